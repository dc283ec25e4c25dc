"""The append-only guards switched off for one sanctioned change, inside the caller's transaction.

Two changes may touch rows the guards keep: the migration that makes the
chain link the salted data (``relink.py``), and an erasure of personal data
(``Store.erase``).  Each runs inside one transaction: the guards are back
before it commits, or the change is rolled back with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def unguarded(cur: Any, tables: Sequence[str], *, postgres: bool) -> Iterator[None]:
    if postgres:
        for table in tables:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in tables:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    marks = ", ".join("?" * len(tables))
    cur.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
                tuple(tables))
    triggers = cur.fetchall()
    for name, _ in triggers:
        cur.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        cur.execute(sql)
