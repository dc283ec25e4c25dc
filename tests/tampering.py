"""Ways someone with the database in hand may change the record, each made as such a person would:
the append-only guards switched off first, then rows changed with plain SQL.

Shared by the ledger tests and ``bench/faults.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from entente.record import Store, chain
from entente.record.salted import NONE, hashed
from entente.record.store import StoredRow

_GUARDED = ("events", "ledger_tiles", "ledger_salts", "ledger_digests")


def _unguarded(store: Store, change: Callable[[Any, Store, list[StoredRow]], None]) -> None:
    rows = store.rows_after(0)
    with store._writing() as cur:
        if store.postgres:
            cur.execute("SET LOCAL session_replication_role = replica")  # a superuser's way past every trigger
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cur.fetchall():
                if name.startswith(_GUARDED):
                    cur.execute(f"DROP TRIGGER {name}")
        change(cur, store, rows)


def _run(cur: Any, store: Store, statement: str, *params: object) -> None:
    cur.execute(store._sql(statement), params)


def _rewritten(row: StoredRow) -> bytes:
    entry = msgspec.json.decode(row.body)
    entry["note"] = "rewritten afterwards"
    return msgspec.json.encode(entry)


def _put(cur: Any, store: Store, row: StoredRow) -> None:
    _run(cur, store, "UPDATE events SET id = ?, kind = ?, version = ?, valid_start = ?, valid_end = ?, recorded = ?, "
                "body = ?, hash = ? WHERE position = ?", *row[1:], row.position)


def changed(store: Store, at: int) -> None:
    """One entry's bytes changed, its hash left as it was."""
    _unguarded(store, lambda cur, s, rows: _run(cur, s, "UPDATE events SET body = ? WHERE position = ?",
                                           _rewritten(rows[at - 1]), at))


def deleted(store: Store, at: int) -> None:
    _unguarded(store, lambda cur, s, rows: _run(cur, s, "DELETE FROM events WHERE position = ?", at))


def truncated(store: Store, keep: int) -> None:
    """Every entry after the first ``keep`` removed."""
    _unguarded(store, lambda cur, s, rows: _run(cur, s, "DELETE FROM events WHERE position > ?", keep))


def reordered(store: Store, at: int) -> None:
    """Two neighbouring entries swapped, every column with them."""
    def swap(cur: Any, s: Store, rows: list[StoredRow]) -> None:
        first, second = rows[at - 1], rows[at]
        _run(cur, s, "UPDATE events SET id = ? WHERE position = ?", "swapping-1", at)  # ids are unique meanwhile
        _run(cur, s, "UPDATE events SET id = ? WHERE position = ?", "swapping-2", at + 1)
        _put(cur, s, second._replace(position=at))
        _put(cur, s, first._replace(position=at + 1))
    _unguarded(store, swap)


def recomputed_tail(store: Store, at: int, *, with_ledger: bool = False) -> None:
    """One entry's bytes changed and every hash from it on recomputed, so the chain holds again;
    ``with_ledger``: the logs' kept leaves thrown away too, so they are derived again from the changed record."""
    def rewrite(cur: Any, s: Store, rows: list[StoredRow]) -> None:
        previous = rows[at - 2].hash if at > 1 else chain.GENESIS
        salting = s.salting()  # the chain links personal data as salted digests: the salts are in the store
        for row in rows[at - 1:]:
            body = _rewritten(row) if row.position == at else row.body
            previous = chain.link(previous, hashed(body, salting.get(row.position, NONE)))
            _run(cur, s, "UPDATE events SET body = ?, hash = ? WHERE position = ?", body, previous, row.position)
        if with_ledger:  # everything the ledger kept: its tiles, the heads it signed, the state it resumes from
            for table in ("ledger_tiles", "ledger_signed", "snapshots"):
                _run(cur, s, f"DELETE FROM {table}")
    _unguarded(store, rewrite)


def id_changed(store: Store, at: int) -> None:
    """The id column of one row changed (its hashed entry left alone)."""
    _unguarded(store, lambda cur, s, rows: _run(cur, s, "UPDATE events SET id = ? WHERE position = ?", "renamed", at))


def emptied(store: Store) -> None:
    _unguarded(store, lambda cur, s, rows: _run(cur, s, "DELETE FROM events"))


# Each tampering as the figures name it, applied to a record of at least 20 entries.
ALL: dict[str, Callable[[Store], None]] = {
    "changed": lambda s: changed(s, 12),
    "deleted": lambda s: deleted(s, 12),
    "truncated": lambda s: truncated(s, len(s.rows_after(0)) - 8),
    "reordered": lambda s: reordered(s, 12),
    "recomputed tail": lambda s: recomputed_tail(s, 12),
    "id column changed": lambda s: id_changed(s, 12),
    "table emptied": emptied,
    "tail and logs recomputed": lambda s: recomputed_tail(s, 12, with_ledger=True),
}
