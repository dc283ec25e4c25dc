"""The work of the ``serve``, ``token``, ``record`` and ``load`` commands (declared in ``commands``): the HTTP
API, its tokens, and the operator's writes.

The web framework is loaded only by ``serve``; ``record`` shares the API's write
path (``api.write``), so it makes the same checks and says the same things.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import msgspec

from entente import forked
from entente.api import write
from entente.cli import progress, speech
from entente.cli.app import Context
from entente.cli.ledger import open_ledger
from entente.cli.render import article, emit, status, table, told
from entente.cli.speech import _, ngettext, spoken
from entente.ledger import elsewhere
from entente.ledger.integrity import Consecutive
from entente.ledger.keys import KeyFileError
from entente.ledger.logs import Ledger
from entente.ledger.progress import Checking
from entente.record import open_store
from entente.record.store import Appended
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Refused
from entente.vocabulary.events import english
from entente.vocabulary.yamlfile import Located
from entente.workers import APP, CHECK_VARIABLE, DB_VARIABLE, START_VARIABLE, UNION_VARIABLE, WORKERS_VARIABLE


def serve(ctx: Context, host: str, port: int, workers: int) -> None:
    import uvicorn

    ledger = open_ledger(ctx)  # a signing key that cannot be used is told in one line before anything starts
    secretariat = ctx.secretariat  # a store that cannot be served is told here, once
    union = secretariat.union
    if workers == 1:
        from entente import server  # the web framework, loaded by this command only

        app = server.create_app(ctx.db, ctx.union_folder, secretariat, ledger)
        click.echo(f"Entente serving the {english(union.name, union.id)} on http://{host}:{port}")
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # The record checked and every viewer's log kept once, not by each process: here when there is little to
    # check; else by a process of its own while the server's processes answer reads, each of them waiting for it
    # before it resumes from what it kept, none of them writing the logs or waiting for another that does.  Each
    # hashes the kept entries again itself as it starts.
    ledger.write_wait = 1.0
    away = elsewhere.waited_for(ctx.db, ctx.union_folder, secretariat.store)
    if away is None:
        ledger.catch_up(secretariat.store)
    else:
        away.held()  # its lock taken before any process waits for it
    ledger.stop()
    secretariat.close()
    with tempfile.NamedTemporaryFile(prefix="entente-serve-") as started:
        os.environ.update({DB_VARIABLE: ctx.db, UNION_VARIABLE: str(ctx.union_folder),
                           WORKERS_VARIABLE: str(workers), START_VARIABLE: started.name,
                           CHECK_VARIABLE: away.path if away is not None else ""})
        click.echo(f"Entente serving the {english(union.name, union.id)} on http://{host}:{port} "
                   f"({workers} processes)")
        uvicorn.run(APP, factory=True, workers=workers, host=host, port=port, log_level="warning")


def _secretariat_only(ctx: Context) -> None:
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException(_("only the secretariat issues and revokes tokens, not %(viewer)s",
                                     viewer=ctx.viewer))


def token_create(ctx: Context, for_viewer: Viewer, label: str | None, expires: str | None) -> None:
    _secretariat_only(ctx)
    party = for_viewer.party
    if party is not None and ctx.secretariat.union.party(party) is None:
        raise click.BadParameter(_("%(party)s is not a party of %(union)s", party=party,
                                   union=ctx.secretariat.union.id), param_hint="--for")
    token_id, secret = tokens.create(ctx.secretariat.store, for_viewer, label, expires)
    until = f", until {expires}" if expires else ""
    click.echo(f"token {token_id} for {for_viewer}{until}; it will not be shown again:", err=True)
    click.echo(secret)  # alone on standard output, so TOKEN=$(entente token create ...) captures just the token


def token_revoke(ctx: Context, token_id: str) -> None:
    _secretariat_only(ctx)
    if not tokens.revoke(ctx.secretariat.store, token_id):
        raise click.ClickException(_("no token %(token)s that is not revoked already", token=repr(token_id)))
    click.echo(f"token {token_id} revoked")


def token_list(ctx: Context, as_json: bool) -> None:
    _secretariat_only(ctx)
    emit(tokens.list_tokens(ctx.secretariat.store), as_json, lambda rows: table(
        [[r["id"], r["viewer"], r["created"], r["expires"] or "", r["revoked"] or "", r["label"] or ""] for r in rows],
        ["id", "viewer", "created", "expires", "revoked", "label"], wide=5))


def _body(data: str | None, file: Path | None) -> Any:
    if (data is None) == (file is None):
        raise click.UsageError(_("give the event as --data JSON or --file FILE (one of them)"))
    try:
        if data is not None:
            return json.loads(data)
        assert file is not None
        if file.suffix in (".yaml", ".yml"):
            return Located(file).data  # keeps dates as strings, as record files do
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.BadParameter(_("not valid JSON: %(problem)s", problem=exc),
                                 param_hint="--data" if data else "--file") from None
    except RecursionError:
        raise click.BadParameter(_("nests too deeply to be an entry"),
                                 param_hint="--data" if data else "--file") from None


def _checked(ctx: Context) -> Ledger:
    """The ledger, once the record is checked against what was signed: a check that takes longer than a second
    is said in one line, with how long it is expected to take, and waited for."""
    ledger = open_ledger(ctx)
    ledger.start(ctx.secretariat.store)
    try:
        ledger.ready(1.0)
    except Checking as exc:
        click.echo(spoken(exc.waiting), err=True)
        ledger.ready(None)
    return ledger


def record(ctx: Context, kind: str, data: str | None, file: Path | None, key: str | None,
           if_match: str | None, as_json: bool) -> None:
    body = _body(data, file)
    s, replayed = ctx.secretariat, False
    answer: write.Written | dict[str, Any]
    try:
        event = write.decode(kind, body)
    except Refused as exc:
        answer = write.refusal(exc.problems, catalog=speech.catalog(), lang=speech.lang())[1]
    else:
        answer, replayed = write.attempt(s, event, ctx.viewer, key=key, if_match=if_match, ledger=_checked(ctx),
                                         catalog=speech.catalog(), lang=speech.lang())[1:]
    if not isinstance(answer, write.Written):  # a refusal: its status is not 201
        if as_json:
            click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        click.echo(_refused(answer), err=True)
        sys.exit(1)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(answer), indent=2).decode())
        return
    again = _(" (already recorded with this key; nothing new)") if replayed else ""
    click.echo(_("recorded %(entry)s%(again)s; view tag now %(tag)s", entry=answer.event.id, again=again,
                 tag=answer.tag))
    if answer.checkpoint is not None:
        click.echo(ngettext("your log now: %(num)s entry, root %(root)s (`entente checkpoint` prints it signed)",
                            "your log now: %(num)s entries, root %(root)s (`entente checkpoint` prints it signed)",
                            answer.checkpoint.size, root=answer.checkpoint.root))
    for f in answer.findings:
        row = msgspec.to_builtins(f)
        click.echo(f"  {status(f.status).plain.upper()}: {told(row)} ({article(f.instrument, f.article)})")


def _refused(answer: dict[str, Any]) -> str:
    """A refused write in the command line's language: what refused it, each problem with its field and, where a
    treaty rule refuses it, the rule and article; then that nothing was recorded."""
    error = {"refused": _("refused"), "forbidden": _("forbidden")}.get(answer["error"], answer["error"])
    if "retry_after" in answer:
        return _("Error: %(problem)s; nothing was recorded", problem=error)
    lines = [_("Error: %(problem)s", problem=error)]
    names = {"rule": _("rule"), "instrument": _("instrument"), "article": _("article")}
    for p in answer.get("problems", ()):
        where = ", ".join(f"{names[k]} {p[k]}" for k in ("rule", "instrument", "article") if p.get(k))
        lines.append(f"  {p['field']}: {p['message']}" + (f" ({where})" if where else ""))
    return "\n".join([*lines, _("Nothing was recorded.")])


def load(ctx: Context, files: tuple[Path, ...]) -> None:
    # A process of one thread, so that it can fork: a reader of each long file, and a copy that keeps the logs.
    ctx.pooled = False
    try:
        ledger: Ledger | None = Ledger.open(ctx.db, ctx.secretariat.union)
    except KeyFileError:
        ledger = None  # the logs are kept by the next start instead, which says what is wrong with the key
    store = ctx.secretariat.store
    for path in files:
        kept = _LogsKept(ctx, ledger)
        # Counted for the bar alone, which is drawn on a terminal only: the count is a pass over the whole file.
        total = progress.entries_in(path) if progress.on_terminal() else 0
        with progress.bar(_("checking %(file)s", file=path.name), total) as tick:
            appended = ctx.secretariat.load_file(path, tick, None if store.read_only else kept.begin)
        added = appended.events
        at = _(" at %(time)s", time=added[0].recorded) if added else ""
        click.echo(ngettext("%(file)s: %(num)s new event recorded%(at)s", "%(file)s: %(num)s new events recorded%(at)s",
                            len(added), file=path, at=at))
        kept.wait()


class _LogsKept:
    """Every viewer's log extended and kept once a file is recorded, from the entries just checked and decoded
    (their rows read back a batch at a time, hashed and their chain checked as a start would, nothing decoded
    again), so a server's first start resumes from them.  Kept by a forked copy of this process (``forked``), on
    a core of its own and a connection of its own, while this process keeps its snapshot of the record; else
    here, on this process's store."""

    def __init__(self, ctx: Context, ledger: Ledger | None) -> None:
        self.ctx, self.ledger = ctx, ledger
        self.wait: Callable[[], None] = lambda: None

    def begin(self, appended: Appended) -> None:
        if self.ledger is None or not appended.events:
            return
        ledger, decoded = self.ledger, Consecutive(appended.position - len(appended.events) + 1, appended.events)

        def keep(in_copy: bool) -> None:
            store = open_store(self.ctx.db, pooled=False) if in_copy else self.ctx.secretariat.store
            ledger.catch_up(store, decoded=decoded)
            ledger.keep(store)
            if in_copy:
                store.close()  # its own connection, ended cleanly before the copy is

        # A store in memory is this process's alone: kept here, on it.
        self.wait = forked.begun(keep) if self.ctx.db != ":memory:" else lambda: keep(False)


def erase(ctx: Context, entry: str, field: str, requested_by: str, reason: str, date: str | None,
          key: str | None, as_json: bool) -> None:
    day = date or datetime.now(UTC).date().isoformat()
    body = {"target": entry, "field": field, "requested_by": requested_by, "reason": reason, "date": day}
    record(ctx, "field_erased", json.dumps(body), None, key, None, as_json)
