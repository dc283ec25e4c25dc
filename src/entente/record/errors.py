"""What goes wrong with a store, in the project's words: which store, what is wrong, and what to do.

The back ends raise their drivers' errors (sqlite3, psycopg, and OSError for a SQLite file);
``unavailable`` turns those a user can cause (a wrong path, a file that is not a record, a server that
does not answer, a store locked or read-only) into :class:`StoreError`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# How long a writer waits for another process's transaction on a SQLite store before giving up.
LOCK_WAIT_SECONDS = 5.0


class StoreError(ValueError):
    """The record store cannot be opened, read or written; the message says which and what to do."""


def cannot_open(where: str) -> StoreError:
    """Why a SQLite file cannot be opened or created, told from what is at its path."""
    path = Path(where)
    if path.is_dir():
        return StoreError(f"{where} is a folder, not a record store: give a file name, such as {path / 'entente.db'}")
    if not path.parent.is_dir():
        return StoreError(f"cannot create the record store {where}: the folder {path.parent} does not exist")
    if path.exists():
        return StoreError(f"cannot open the record store {where}: it or its folder is read-only; give a --db file "
                          "this user may write")
    return StoreError(f"cannot create the record store {where}: check that this user may write in {path.parent}")


def _sqlite(exc: sqlite3.Error, where: str) -> str | None:
    text = str(exc).lower()
    if "unable to open database file" in text:
        return str(cannot_open(where))
    if "file is not a database" in text or "malformed" in text:
        return f"{where} is not an Entente record store (not a SQLite database): give another --db file"
    if "locked" in text or "busy" in text:
        return (f"the record store {where} is locked by another process (waited {LOCK_WAIT_SECONDS:g} s): "
                "try again when that process is done")
    if "readonly" in text or "read-only" in text:
        return f"the record store {where} is read-only: give a --db file this user may write"
    if "disk i/o" in text or "disk is full" in text:
        return f"cannot write the record store {where}: {exc}; check the disk"
    return None


def unavailable(exc: BaseException, url: str) -> StoreError | None:
    """The store's own error for a driver's error a user can cause; None for any other (a bug)."""
    where = _safe(url)
    if isinstance(exc, sqlite3.Error):
        message = _sqlite(exc, where)
        return StoreError(message) if message else None
    module = type(exc).__module__ or ""
    if module.startswith("psycopg") and type(exc).__name__ == "OperationalError":
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"the PostgreSQL server at {where} does not answer ({first}): "
                          "check that it runs and the URL is right")
    return None


def _safe(url: str) -> str:
    """The store's name for a message, a password in a URL left out."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return url
