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
from entente.cli.speech import _, ngettext
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
        raise click.ClickException(str(exc)) from None


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
        raise click.ClickException(str(exc)) from None


def public_key(ctx: Context) -> None:
    _print(_ledger(ctx).public_key())


def proof(ctx: Context, entry: str) -> None:
    found = _ledger(ctx).proof(ctx.viewer, entry, ctx.secretariat.seen_on(ctx.viewer)[1])
    if found is None:
        raise click.ClickException(f"no entry {entry!r}")
    _print(found)


def verify(ctx: Context, against: Path | None, as_json: bool) -> None:
    ledger, viewer = _ledger(ctx, whole=True), ctx.viewer
    try:
        kept = None if against is None else checkpoints.read(against.read_bytes(), str(against))
        problems = ledger.problems(viewer, kept, str(against))
    except OSError as exc:
        raise click.ClickException(f"{against}: {exc.strerror}") from None
    except CheckpointError as exc:
        raise click.ClickException(str(exc)) from None
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
        raise click.ClickException("a backup holds the whole record: it is the secretariat's")
    ledger = _ledger(ctx, whole=True)
    if ledger.breaks:
        raise click.ClickException(f"{ledger.broken_for(ctx.viewer)}: restore from an earlier backup instead")
    try:
        count = backups.write(file, ctx.secretariat.store, ledger, recipients)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    to = f", sealed to {len(recipients)} recipient{'s' if len(recipients) > 1 else ''}" if recipients else ""
    click.echo(f"{file}: {count} entries and the checkpoints of {len(ledger.viewers())} logs{to}")


def restore(ctx: Context, file: Path, identity: Path | None) -> None:
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException("only the secretariat restores a record")
    union = load_union(ctx.union_folder)
    store = open_store(ctx.db)  # not the secretariat's opening: the bundled record must not be loaded first
    try:
        restored = backups.restore(file, store, ctx.db, union, identity)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"{file}: {restored.added} entries restored, {restored.entries} in all; "
               f"{len(restored.checkpoints)} checkpoints as in the backup")
