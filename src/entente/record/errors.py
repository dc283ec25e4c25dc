"""What goes wrong with a store, in the project's words: which store, what is wrong, and what to do.

The back ends raise their drivers' errors (sqlite3, psycopg, and OSError for a SQLite file);
``unavailable`` turns those a user can cause (a wrong path, a file that is not a record, a server that
does not answer, a store locked or read-only) into :class:`StoreError`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from entente.vocabulary.said import SaidError, Value, said

# How long a writer waits for another process's transaction on a SQLite store before giving up.
LOCK_WAIT_SECONDS = 5.0


class StoreError(SaidError):
    """The record store cannot be opened, read or written; the message says which and what to do (``told``, as
    data, for a reader's language)."""


def cannot_open(where: str) -> StoreError:
    """Why a SQLite file cannot be opened or created, told from what is at its path."""
    path = Path(where)
    if path.is_dir():
        return StoreError(said("%(store)s is a folder, not a record store: give a file name, such as %(file)s",
                               store=where, file=str(path / "entente.db")))
    if not path.parent.is_dir():
        return StoreError(said("cannot create the record store %(store)s: the folder %(folder)s does not exist",
                               store=where, folder=str(path.parent)))
    if path.exists():
        return StoreError(said("cannot open the record store %(store)s: it or its folder is read-only; give a --db "
                               "file this user may write", store=where))
    return StoreError(said("cannot create the record store %(store)s: check that this user may write in %(folder)s",
                           store=where, folder=str(path.parent)))


def _seconds() -> str:
    return f"{LOCK_WAIT_SECONDS:g}"


def _sqlite(exc: sqlite3.Error, where: str) -> Value | None:
    text = str(exc).lower()
    if "unable to open database file" in text:
        return cannot_open(where).told
    if "file is not a database" in text or "malformed" in text:
        return said("%(store)s is not an Entente record store (not a SQLite database): give another --db file",
                    store=where)
    if "locked" in text or "busy" in text:
        return said("the record store %(store)s is locked by another process (waited %(seconds)s s): try again "
                    "when that process is done", store=where, seconds=_seconds())
    if "readonly" in text or "read-only" in text:
        return said("the record store %(store)s is read-only: give a --db file this user may write", store=where)
    if "disk i/o" in text or "disk is full" in text:
        return said("cannot write the record store %(store)s: %(problem)s; check the disk", store=where,
                    problem=str(exc))
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
        return StoreError(said("the PostgreSQL server at %(store)s does not answer (%(problem)s): check that it runs "
                               "and the URL is right", store=where, problem=first))
    return None


def _safe(url: str) -> str:
    """The store's name for a message, a password in a URL left out."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return url
