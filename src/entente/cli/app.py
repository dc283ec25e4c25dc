"""The ``entente`` command: every view as a readable table or, with --json, as JSON."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from entente.cli import progress
from entente.replay.state import in_order, latest_day
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat
from entente.views import reports as views
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import InstrumentEnteredIntoForce, InstrumentTerminated, english

DEFAULT_DB = "entente.db"


class Context:
    def __init__(self, db: str, union: Path, viewer: Viewer, known_at: str | None = None) -> None:
        self.db, self.union_folder, self.viewer, self.known_at = db, union, viewer, known_at
        self._secretariat: Secretariat | None = None

    @property
    def secretariat(self) -> Secretariat:
        if self._secretariat is None:
            self._secretariat = Secretariat.open(self.db, self.union_folder)
            self._secretariat.progress = progress.bar if progress.on_terminal() else None
        return self._secretariat

    def events(self) -> Sequence[Any]:
        return self.secretariat.events_for(self.viewer, self.known_at)


def _viewer(_ctx: click.Context, _param: click.Parameter, value: str) -> Viewer:
    try:
        return Viewer.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _moment(value: str | None) -> str | None:
    try:
        return None if value is None else dates.check_moment(value)
    except dates.DateError as exc:
        raise click.BadParameter(str(exc)) from None


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    try:
        return None if value is None else dates.check_day(value)
    except dates.DateError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group()
@click.option("--db", default=lambda: os.environ.get("ENTENTE_DB", DEFAULT_DB), show_default="entente.db",
              help="The record store: a SQLite file or a postgresql:// URL (env ENTENTE_DB).")
@click.option("--union", "union_folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_UNION, show_default="the bundled union", help="Folder describing the union.")
@click.option("--as", "viewer", default="secretariat", callback=_viewer, show_default=True,
              help="See as this viewer: a party's code, 'public' or 'secretariat'.")
@click.option("--known-at", "known_at", callback=lambda c, p, v: _moment(v),
              help="See the record as it stood at this record time (a day or a UTC date-time).")
@click.pass_context
def main(ctx: click.Context, db: str, union_folder: Path, viewer: Viewer, known_at: str | None) -> None:
    """Entente: the record of a union of states, and what its treaty makes of it."""
    ctx.obj = Context(db, union_folder, viewer, known_at)
    ctx.call_on_close(lambda: ctx.obj._secretariat and ctx.obj._secretariat.close())


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
pass_context = click.make_pass_decorator(Context)


def _emit(data: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render(data))


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain text table; the last column may be long and is not padded."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def _render_timeline(rows: list[dict[str, Any]]) -> str:
    out = []
    for r in rows:
        secret = "" if r["classification"] == "public" else "  [restricted]"
        out.append(f"{r['date']:<24} {r['summary']}{secret}")
        if r["source"]:
            out.append(f"{'':<24}   “{r['source']['quote']}”")
            if r["source"]["gloss"]:
                out.append(f"{'':<24}   = {r['source']['gloss']}")
        if r["note"]:  # the reading the record takes where the source leaves it open
            out.append(f"{'':<24}   note: {' '.join(r['note'].split())}")
    return "\n".join(out)


_CSV_COLUMNS = ["id", "kind", "date", "start", "end", "recorded", "actor", "summary", "classification", "document",
                "quote", "lang", "gloss", "note"]


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({**r, **(r["source"] or {}), "classification": json.dumps(r["classification"])})
    return out.getvalue()


@main.command()
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, a row an event, for a spreadsheet.")
@pass_context
def timeline(ctx: Context, as_json: bool, as_csv: bool) -> None:
    """Every event in date order, with its source."""
    rows = views.timeline(ctx.secretariat.union, ctx.events())
    if as_csv:
        click.echo(_csv(rows), nl=False)
        return
    _emit(rows, as_json, _render_timeline)


@main.command()
@json_option
@pass_context
def conferences(ctx: Context, as_json: bool) -> None:
    """The conferences of the parties, numbered where they belong to a periodic series."""
    def render(rows: list[dict[str, Any]]) -> str:
        return table([[r["number"] or "", r["start"], r["end"], r["host"] or "", r["place"] or "",
                       ", ".join(p["party"] + ("*" if p["role"] == "observer" else "") for p in r["participants"])]
                      for r in rows], ["no", "start", "end", "host", "place", "participants (* observer)"])

    _emit(views.conferences(ctx.secretariat.union, ctx.events()), as_json, render)


def _render_state(s: dict[str, Any]) -> str:
    head = f"{s['union']} at {s['at']}: {s['conferences_held']} conferences held so far\n\n"
    return head + table([[i["id"], i["status"], " ".join(i["parties"]) or "—", i["title"]]
                         for i in s["instruments"]], ["instrument", "status", "bound", "title"])


@main.command()
@click.option("--at", "at", required=True, callback=_day, help="The day, YYYY-MM-DD.")
@json_option
@pass_context
def state(ctx: Context, at: str, as_json: bool) -> None:
    """Which instruments exist at a date, their status, and who is bound by each."""
    _emit(views.union_state(ctx.secretariat.union, ctx.events(), at), as_json, _render_state)


def _render_findings(rows: list[dict[str, Any]]) -> str:
    out: list[str] = []
    group = None
    for f in rows:
        if (f["instrument"], f["article"]) != group:
            group = (f["instrument"], f["article"])
            out.append(f"\n{f['instrument']}, article {f['article']}")
        about = f.get("subject") or f.get("period") or ""
        detail = f["detail"] if about in f["detail"] else f"{about}: {f['detail']}"
        out.append(f"  {f['status'].upper():<15} {detail}")
    if rows:
        out.append(f"\n{rows[0]['judged_on'].capitalize()}.")
    return "\n".join(out).lstrip("\n") or "no findings"


@main.command()
@click.option("--at", "at", callback=_day, help="Judge as of this day (default: the record's last day).")
@json_option
@pass_context
def compliance(ctx: Context, at: str | None, as_json: bool) -> None:
    """Findings of every rule of every instrument: met, breach, pending or not applicable."""
    events = ctx.events()
    s = ctx.secretariat
    _emit(views.compliance(s.union, s.treaties, events, at or latest_day(events)), as_json, _render_findings)


@main.command()
@click.option("--at", "at", required=True, callback=_day, help="From this day, YYYY-MM-DD.")
@json_option
@pass_context
def due(ctx: Context, at: str, as_json: bool) -> None:
    """What is due next: conferences, hosts, responses, conditions in force."""
    s = ctx.secretariat

    def render(rows: list[dict[str, Any]]) -> str:
        return "\n".join(f"{r.get('by') or r.get('on') or '':<11} {r['instrument']} art. {r['article']}: "
                         f"{r['detail']}" for r in rows) or "nothing due"

    _emit(views.due(s.union, s.treaties, ctx.events(), at), as_json, render)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load(ctx: Context, files: tuple[Path, ...]) -> None:
    """Record the events of record files (YAML); a file with any bad entry records nothing."""
    for path in files:
        with progress.bar(f"checking {path.name}", progress.entries_in(path)) as tick:
            added = ctx.secretariat.load_file(path, tick)
        click.echo(f"{path}: {len(added)} new events recorded")


def _render_treaties(rows: list[dict[str, Any]]) -> str:
    out = []
    for t in rows:
        out.append(f"{t['title']} ({t['instrument']}); decisions by {t['decision']['rule']}")
        for a in t["articles"]:
            ref = a["article"].replace("-", " ").capitalize()
            ref = f"Article {ref}" if ref[:1].isdigit() else ref
            out.append(f"\n  {ref}" + (f": {a['title']}" if a["title"] else ""))
            for lang, text in a["text"].items():
                out.append(f"    [{lang}] {' '.join(text.split())}")
            for r in a["rules"]:
                settings = ", ".join(f"{k}={v}" for k, v in r["settings"].items())
                out.append(f"    → rule {r['id']} ({r['kind']}): {settings or 'defaults'}")
                if r.get("reading"):
                    out.append(f"      reading: {' '.join(r['reading'].split())}")
        out.append("")
    return "\n".join(out).rstrip() or "no instruments"


@main.command()
@click.argument("instrument", required=False)
@json_option
@pass_context
def treaty(ctx: Context, instrument: str | None, as_json: bool) -> None:
    """The treaties article by article, each beside the rules that execute it (or only INSTRUMENT)."""
    rows = views.treaties(ctx.secretariat.treaties, ctx.events())
    if instrument is not None:
        rows = [r for r in rows if r["instrument"] == instrument]
        if not rows:
            raise click.ClickException(f"no instrument {instrument!r}")
    _emit(rows, as_json, _render_treaties)


def _render_party(p: dict[str, Any]) -> str:
    lines = [f"{p['name']} ({p['party']}) on {p['at']}", "", "Bound by:"]
    lines += [f"  {i['id']:<18} {i['title']} (in force since {i['since']})" for i in p["bound_by"]] or ["  nothing"]
    if p["signed_not_bound"]:
        lines += ["", "Signed, not bound by:"]
        lines += [f"  {i['id']:<18} {i['title']} ({i['status']})" for i in p["signed_not_bound"]]
    lines += ["", "Due:"] + ([f"  {d.get('by') or d.get('on') or '':<11} {d['detail']}" for d in p["due"]]
                             or ["  nothing"])
    lines += ["", "Breaches under what binds it:"] + ([f"  {f['instrument']} art. {f['article']}: {f['detail']}"
                                                       for f in p["breaches"]] or ["  none"])
    return "\n".join([*lines, "", f"{views.JUDGED_ON.capitalize()}."])


@main.command("party")
@click.argument("code")
@click.option("--at", "at", required=True, callback=_day, help="The day, YYYY-MM-DD.")
@json_option
@pass_context
def party_view(ctx: Context, code: str, at: str, as_json: bool) -> None:
    """One party on one day: what binds it, what is due from it, and the breaches under what binds it."""
    s = ctx.secretariat
    data = views.party(s.union, s.treaties, ctx.events(), code.upper(), at)
    if data is None:
        raise click.ClickException(f"{code!r} is not a party of {s.union.id}")
    _emit(data, as_json, _render_party)


@main.command()
@click.argument("query")
@json_option
@pass_context
def search(ctx: Context, query: str, as_json: bool) -> None:
    """Entries whose words contain every word of QUERY (in any language the record holds)."""
    _emit(views.search(ctx.secretariat.union, ctx.events(), query), as_json,
          lambda rows: _render_timeline(rows) if rows else "nothing found")


@main.command()
@json_option
@pass_context
def audit(ctx: Context, as_json: bool) -> None:
    """Refused writes, for the secretariat."""
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException("the audit trail is the secretariat's")
    _emit(ctx.secretariat.store.audit_trail(), as_json, lambda rows: table(
        [[r["at"], r["viewer"], r["event_id"] or "", r["reason"]] for r in rows],
        ["at", "viewer", "entry", "why refused"]) if rows else "no refusals")


@main.command()
@pass_context
def verify(ctx: Context) -> None:
    """Check the hash chain of the whole record."""
    store = ctx.secretariat.store
    broken = store.verify()
    if broken is not None:
        raise click.ClickException(f"the record is broken at position {broken}: it was changed after recording")
    click.echo(f"intact: {store.position()} events, head {store.head()}")


@main.command()
@click.option("--at", "at_dates", multiple=True, callback=lambda c, p, v: [_day(c, p, d) for d in v],
              help="A day to show the state at (repeatable).")
@pass_context
def overview(ctx: Context, at_dates: list[str]) -> None:
    """The union's timeline, then its state at a few telling dates, then how to ask more."""
    union, events = ctx.secretariat.union, ctx.events()
    click.echo(f"== {english(union.name)}: the record ({len(events)} events, as {ctx.viewer}) ==\n")
    click.echo(_render_timeline(views.timeline(union, events)))
    chosen = at_dates or _telling_dates(events)
    for at in chosen:
        click.echo(f"\n== state at {at} ==")
        click.echo(_render_state(views.union_state(union, events, at)))
    findings = views.compliance(union, ctx.secretariat.treaties, events, latest_day(events))
    counts = {status: sum(f["status"] == status for f in findings) for status in ("met", "breach", "pending")}
    click.echo(f"\n== what the treaties make of it: {counts['met']} met, {counts['breach']} breaches, "
               f"{counts['pending']} pending ==")
    click.echo("\n".join(f"  BREACH  {f['instrument']} art. {f['article']}: {f['detail']}"
                          for f in findings if f["status"] == "breach"))
    click.echo(f"  ({views.JUDGED_ON})")
    middle = dates.start(in_order(events)[len(events) // 2].date) if events else "2000-01-01"
    click.echo("\nAsk further, for example:\n"
               "  entente conferences\n"
               f"  entente state --at {middle} --json\n"
               "  entente --as public timeline\n"
               f"  entente compliance --at {middle}\n"
               f"  entente due --at {middle}\n"
               "  entente --help")


def _telling_dates(events: Sequence[Any]) -> list[str]:
    """The last four days an instrument entered into force or ended: where the state is worth seeing."""
    days = sorted({dates.end(e.date) for e in events
                   if isinstance(e, InstrumentEnteredIntoForce | InstrumentTerminated)})
    return days[-4:]
