"""The work of the ``checkpoint``, ``public-key``, ``proof``, ``verify``, ``backup`` and ``restore`` commands
(declared in ``commands``): the viewer's log of the record.

Each viewer (``--as``) has a log of its own and hears of its own entries only;
the secretariat's log is the whole record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from entente.cli.app import Context
from entente.cli.speech import _, ngettext, refused
from entente.ledger import backup as backups
from entente.ledger import checkpoints
from entente.ledger.checkpoints import CheckpointError
from entente.ledger.keys import KeyFileError
from entente.ledger.logs import Ledger
from entente.record import open_store
from entente.vocabulary.definition import load_union


def open_ledger(ctx: Context) -> Ledger:
    """The store's ledger with its signing key; one line saying why when the key cannot be used."""
    try:
        return Ledger.open(ctx.db, ctx.secretariat.union)
    except KeyFileError as exc:
        raise click.ClickException(refused(exc)) from None


def open_caught_up(ctx: Context) -> Ledger:
    """The store's ledger caught up from the state kept at the last start."""
    return _ledger(ctx)


def _ledger(ctx: Context, *, whole: bool = False) -> Ledger:
    """The ledger caught up from the state kept at the last start; ``whole``: every entry and log checked."""
    ledger = open_ledger(ctx)
    ledger.catch_up(ctx.secretariat.store, whole=whole)
    return ledger


def _print(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def checkpoint(ctx: Context) -> None:
    try:
        _print(checkpoints.as_dict(_ledger(ctx).checkpoint(ctx.viewer)))
    except CheckpointError as exc:  # a log that does not continue what was signed of it is not signed again
        raise click.ClickException(refused(exc)) from None


def public_key(ctx: Context) -> None:
    _print(_ledger(ctx).public_key())


def proof(ctx: Context, entry: str) -> None:
    found = _ledger(ctx).proof(ctx.viewer, entry, ctx.secretariat.seen_on(ctx.viewer)[1])
    if found is None:
        raise click.ClickException(_("no entry %(entry)s", entry=repr(entry)))
    _print(found)


def verify(ctx: Context, against: Path | None, as_json: bool) -> None:
    ledger, viewer = _ledger(ctx, whole=True), ctx.viewer
    try:
        kept = None if against is None else checkpoints.read(against.read_bytes(), str(against))
        problems = ledger.problems(viewer, kept, str(against))
    except OSError as exc:
        raise click.ClickException(f"{against}: {exc.strerror}") from None
    except CheckpointError as exc:
        raise click.ClickException(refused(exc)) from None
    size = ledger.size(viewer)
    whose = _("the record") if viewer.kind == "secretariat" else _("%(viewer)s's log", viewer=viewer)
    if as_json:
        try:
            signed: dict[str, Any] | None = checkpoints.as_dict(ledger.checkpoint(viewer))
        except CheckpointError as exc:
            signed, problems = None, [*problems, str(exc)]
        _print({"viewer": str(viewer), "entries": size, "intact": not problems, "problems": problems,
                "checkpoint": signed})
    elif not problems:
        continuing = _(", continuing the checkpoint of %(file)s", file=against) if against else ""
        try:
            click.echo(ngettext("intact: %(num)s entry in %(whose)s%(continuing)s; root %(root)s",
                                "intact: %(num)s entries in %(whose)s%(continuing)s; root %(root)s", size,
                                whose=whose, continuing=continuing, root=ledger.checkpoint(viewer).root))
        except CheckpointError as exc:
            problems = [str(exc)]
    if problems:
        if not as_json:
            click.echo(ngettext("%(whose)s (%(size)s entries) is broken in %(num)s place:",
                                "%(whose)s (%(size)s entries) is broken in %(num)s places:", len(problems),
                                whose=whose, size=size), err=True)
            click.echo("\n".join(f"  {p}" for p in problems), err=True)
        raise SystemExit(1)


def backup(ctx: Context, file: Path, recipients: list[str]) -> None:
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException(_("a backup holds the whole record: it is the secretariat's"))
    ledger = _ledger(ctx, whole=True)
    if ledger.breaks:
        raise click.ClickException(_("%(broken)s: restore from an earlier backup instead",
                                     broken=ledger.broken_for(ctx.viewer)))
    try:
        count = backups.write(file, ctx.secretariat.store, ledger, recipients)
    except backups.BackupError as exc:
        raise click.ClickException(refused(exc)) from None
    logs = ngettext("%(num)s log", "%(num)s logs", len(ledger.viewers()))
    if recipients:
        click.echo(ngettext("%(file)s: %(entries)s and the checkpoints of %(logs)s, sealed to %(num)s recipient",
                            "%(file)s: %(entries)s and the checkpoints of %(logs)s, sealed to %(num)s recipients",
                            len(recipients), file=file, entries=ngettext("%(num)s entry", "%(num)s entries", count),
                            logs=logs))
    else:
        click.echo(_("%(file)s: %(entries)s and the checkpoints of %(logs)s", file=file,
                     entries=ngettext("%(num)s entry", "%(num)s entries", count), logs=logs))


def restore(ctx: Context, file: Path, identity: Path | None) -> None:
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException(_("only the secretariat restores a record"))
    union = load_union(ctx.union_folder)
    store = open_store(ctx.db)  # not the secretariat's opening: the bundled record must not be loaded first
    try:
        restored = backups.restore(file, store, ctx.db, union, identity)
    except backups.BackupError as exc:
        raise click.ClickException(refused(exc)) from None
    finally:
        store.close()
    click.echo(_("%(file)s: %(restored)s, %(all)s in all; %(checkpoints)s as in the backup", file=file,
                 restored=ngettext("%(num)s entry restored", "%(num)s entries restored", restored.added),
                 all=restored.entries,
                 checkpoints=ngettext("%(num)s checkpoint", "%(num)s checkpoints", len(restored.checkpoints))))
