"""Append-only stores for a union's record: the contract (``store.py``) and its back ends.

The PostgreSQL back end (``postgres.py``) is imported by ``open_store`` only for a
``postgresql://`` URL, so a SQLite store never loads its driver.
"""

from entente.record.errors import StoreError
from entente.record.sqlite import SqliteStore
from entente.record.store import (
    Appended,
    Clock,
    ConflictError,
    ReadOnly,
    RecordConflict,
    Store,
    Transaction,
    utc_now,
)
from entente.record.upcast import UPCASTERS, Upcasters


def open_store(url: str, *, clock: Clock = utc_now, upcasters: Upcasters = UPCASTERS, pooled: bool = True) -> Store:
    """A store for a SQLite file path (or ``sqlite:///path``) or a ``postgresql://`` URL.  ``pooled=False``: on
    PostgreSQL, a connection for each thread rather than a pool, whose threads would keep the process from being
    forked (SQLite's connections are each thread's own always)."""
    if url.startswith(("postgresql://", "postgres://")):
        from entente.record.postgres import PostgresStore  # its driver, psycopg, takes a tenth of a second to import

        return PostgresStore(url, clock=clock, upcasters=upcasters, pooled=pooled)
    return SqliteStore(url.removeprefix("sqlite:///"), clock=clock, upcasters=upcasters)


__all__ = ["Appended", "ConflictError", "ReadOnly", "RecordConflict", "SqliteStore", "Store",
           "StoreError", "Transaction", "open_store"]
