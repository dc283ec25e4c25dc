"""The version of the record a command's output names: the viewer's log signed now (``checkpoints.version``:
its name, size and root), as every export and every view's JSON carries it (``views.versioned``).

The ledger is opened only when a version is asked for, so a view drawn for people does not load it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import click

from entente.cli.app import Context
from entente.cli.speech import refused


def record_version(ctx: Context) -> str:
    """The version an export names; one line saying why when the viewer's log does not continue what was
    signed of it (an export is made to be cited)."""
    from entente.cli import ledger
    from entente.ledger import checkpoints
    from entente.ledger.checkpoints import CheckpointError

    try:
        return checkpoints.version(ledger.open_caught_up(ctx).checkpoint(ctx.viewer))
    except CheckpointError as exc:
        raise click.ClickException(refused(exc)) from None


def read_version(ctx: Context) -> str | None:
    """The version a view's JSON names; None (the view is still given) when the viewer's log does not continue
    what was signed of it, or cannot be signed: a store on a read-only mount with no key beside it."""
    from entente.ledger.keys import KeyFileError
    from entente.ledger.logs import Ledger

    store = ctx.secretariat.store
    try:
        ledger = Ledger.open(ctx.db, ctx.secretariat.union)
        ledger.catch_up(store)
    except (KeyFileError, OSError):  # no key can be made beside the store
        return None
    except sqlite3.Error:
        if store.read_only:  # a store that cannot be written and was never signed of
            return None
        raise
    return ledger.version(ctx.viewer)


def with_version(ctx: Context, data: Any, as_json: bool) -> Any:
    """What a view prints: as JSON, with the version of the record it was read from (in each row, or once in
    an object); for people, as it is."""
    if not as_json:
        return data
    from entente.views.versioned import versioned

    return versioned(data, read_version(ctx))
