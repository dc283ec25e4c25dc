"""The append-only, hash-chained record, on SQLite (embedded) or PostgreSQL (shared).

Both back ends run the same code; only connecting, locking and placeholders
differ.  Rows are never updated or deleted (triggers refuse it), and every
append happens in one transaction: a batch is recorded whole or not at all.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any, NamedTuple

import msgspec

from entente.record import chain, errors
from entente.record.errors import StoreError
from entente.vocabulary import dates
from entente.vocabulary.events import AnyEvent, Event, kind_of

Clock = Callable[[], str]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ConflictError(Exception):
    """Another writer appended first: the record is no longer as the writer last read it."""


class RecordConflict(ValueError):
    """An event whose id is recorded already with different content: history is not rewritten."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f"event {event_id!r} is already recorded with different content; "
                         "record a correcting event instead of changing it")


# The longest id, viewer or action an audit row keeps (its reason: ten times this).
AUDIT_TEXT = 200

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(AnyEvent)

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS events (
        position BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        valid_start TEXT NOT NULL,
        valid_end TEXT NOT NULL,
        recorded TEXT NOT NULL,
        body BYTEA NOT NULL,
        hash TEXT NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # A retried write with the same key gets the answer the first one got.
    "CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, answer BYTEA NOT NULL)",
    # Refused writes, for the secretariat to read; append-only like the record.
    """CREATE TABLE IF NOT EXISTS audit (
        at TEXT NOT NULL, viewer TEXT NOT NULL, action TEXT NOT NULL, event_id TEXT, reason TEXT NOT NULL)""",
]
# Tables that are only ever appended to: the record, the refusals, the answers kept for retries.
APPEND_ONLY = ("events", "audit", "idempotency")
_SQLITE_GUARDS = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}
       BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END"""
    for table in APPEND_ONLY for verb in ("UPDATE", "DELETE")
]
_POSTGRES_GUARDS = [
    """CREATE OR REPLACE FUNCTION entente_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the record is append-only'; END $$ LANGUAGE plpgsql""",
    *(f"""CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
          FOR EACH ROW EXECUTE FUNCTION entente_append_only()""" for table in APPEND_ONLY),
    # TRUNCATE fires no row trigger: it needs a statement trigger of its own.
    *(f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION entente_append_only()""" for table in APPEND_ONLY),
]


class StoredRow(NamedTuple):
    """A row of the record as stored: the columns, the entry's bytes, and its link in the chain."""

    position: int
    id: str
    kind: str
    version: int
    valid_start: str
    valid_end: str
    recorded: str
    body: bytes
    hash: str


def content(event: Event) -> bytes:
    """The event's bytes without its record time: what 'the same event' means."""
    return _encoder.encode(msgspec.structs.replace(event, recorded=None))


class Store:
    """A record store over a DB-API connection."""

    def __init__(self, connection: Any, *, postgres: bool = False, clock: Clock = utc_now) -> None:
        self.db = connection
        self.postgres = postgres
        self.clock = clock
        self.mark = "%s" if postgres else "?"
        with self._transaction() as cur:
            if postgres:  # several processes may open the same store at once: one sets the schema up at a time
                cur.execute("SELECT pg_advisory_xact_lock(7316511)")
            for statement in _SCHEMA + (_POSTGRES_GUARDS if postgres else _SQLITE_GUARDS):
                cur.execute(statement.replace("BYTEA", "BYTEA" if postgres else "BLOB"))

    @contextmanager
    def _transaction(self, *, exclusive: bool = False) -> Iterator[Any]:
        cur = self.db.cursor()
        if self.postgres:
            if exclusive:
                cur.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
        else:
            cur.execute("BEGIN IMMEDIATE" if exclusive else "BEGIN")
        try:
            yield cur
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.mark)

    def position(self) -> int:
        cur = self.db.cursor()
        cur.execute("SELECT COALESCE(MAX(position), 0) FROM events")
        (value,) = cur.fetchone()
        self.db.commit()
        return int(value)

    def append(self, events: Sequence[Event], *, expected: int | None = None,
               precondition: Callable[[list[Event]], None] | None = None,
               key: str | None = None, answer: Callable[[list[Event], list[Event]], bytes] | None = None,
               ) -> list[Event]:
        """Record events in one transaction; return those newly recorded, with their record time.

        An event whose id is already recorded with the same content is skipped,
        which makes loading a file twice harmless.  With ``expected``, the
        append succeeds only if the record is still at that position; with
        ``precondition``, only if it does not raise (it sees the recorded events).
        With ``key``, a key already used records nothing; otherwise the key is
        kept with ``answer(added, recorded events)``, in the same transaction;
        ``answer`` is called whenever it is given, so the caller can keep what it computed.
        """
        added: list[Event] = []
        with self._transaction(exclusive=True) as cur:
            if key is not None and self._answer(cur, key) is not None:
                return []
            cur.execute("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            row = cur.fetchone()
            position, previous = (int(row[0]), row[1]) if row else (0, chain.GENESIS)
            if expected is not None and expected != position:
                raise ConflictError(f"the record is at position {position}, not {expected}: reload and retry")
            current = self._all(cur) if precondition or answer else []
            now = self.clock()  # one record time for the batch: it is entered in one transaction
            if precondition is not None:
                precondition(current)
            for event in events:
                cur.execute(self._sql("SELECT body FROM events WHERE id = ?"), (event.id,))
                found = cur.fetchone()
                if found is not None:
                    if content(_decoder.decode(bytes(found[0]))) != content(event):
                        raise RecordConflict(event.id)
                    continue
                recorded = msgspec.structs.replace(event, recorded=now)
                body = _encoder.encode(recorded)
                try:  # a struct built in code skips the vocabulary's constraints: what is stored must read back
                    _decoder.decode(body)
                except msgspec.ValidationError as exc:
                    raise ValueError(f"event {event.id!r} does not fit the vocabulary: {exc}") from None
                previous = chain.link(previous, body)
                position += 1
                start, end = dates.bounds(event.date)
                cur.execute(
                    self._sql("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    (position, event.id, kind_of(event), type(event).version, start, end,
                     recorded.recorded, body, previous),
                )
                added.append(recorded)
            answered = answer(added, current + added) if answer else b""
            if key is not None:
                cur.execute(self._sql("INSERT INTO idempotency VALUES (?, ?)"), (key, answered))
        return added

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A cursor in a transaction that holds the record's write lock until it commits or rolls back."""
        with self._transaction(exclusive=True) as cur:
            yield cur

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._transaction() as cur:
            yield cur

    def rows_after(self, position: int) -> list[StoredRow]:
        """The stored rows after ``position``, in order, exactly as they are in the table."""
        with self._reading() as cur:
            cur.execute(self._sql("SELECT position, id, kind, version, valid_start, valid_end, recorded, body, hash "
                                  "FROM events WHERE position > ? ORDER BY position"), (position,))
            return [StoredRow(int(p), i, k, int(v), s, e, r, bytes(b), h)
                    for p, i, k, v, s, e, r, b, h in cur.fetchall()]

    def insert_rows(self, rows: Sequence[StoredRow], meta: dict[str, str]) -> None:
        """Put rows back as they were stored (a restore), with the store's settings, in one transaction;
        the caller has checked they continue the record."""
        with self._writing() as cur:
            cur.executemany(self._sql("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            [tuple(row) for row in rows])
            cur.executemany(self._sql("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
                            list(meta.items()))

    def all_meta(self) -> dict[str, str]:
        with self._reading() as cur:
            cur.execute("SELECT key, value FROM meta ORDER BY key")
            return {k: v for k, v in cur.fetchall()}

    def meta(self, key: str) -> str | None:
        cur = self.db.cursor()
        cur.execute(self._sql("SELECT value FROM meta WHERE key = ?"), (key,))
        row = cur.fetchone()
        self.db.commit()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value once: a key already set keeps its first value."""
        with self._transaction() as cur:
            cur.execute(self._sql("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO NOTHING"), (key, value))

    def _all(self, cur: Any) -> list[Event]:
        cur.execute("SELECT body FROM events ORDER BY position")
        return [_decoder.decode(bytes(body)) for (body,) in cur.fetchall()]

    def _answer(self, cur: Any, key: str) -> bytes | None:
        cur.execute(self._sql("SELECT answer FROM idempotency WHERE key = ?"), (key,))
        row = cur.fetchone()
        return bytes(row[0]) if row else None

    def answer_for(self, key: str) -> bytes | None:
        """The answer stored with an idempotency key, if a write with that key was recorded."""
        cur = self.db.cursor()
        found = self._answer(cur, key)
        self.db.commit()
        return found

    def audit(self, viewer: str, action: str, event_id: str | None, reason: str) -> None:
        """Note a refusal; its texts are cut to a bounded length, whatever a caller sent."""
        with self._transaction() as cur:
            cur.execute(self._sql("INSERT INTO audit VALUES (?, ?, ?, ?, ?)"),
                        (self.clock(), viewer[:AUDIT_TEXT], action[:AUDIT_TEXT],
                         None if event_id is None else event_id[:AUDIT_TEXT], reason[:AUDIT_TEXT * 10]))

    def audit_trail(self) -> list[dict[str, Any]]:
        cur = self.db.cursor()
        cur.execute("SELECT at, viewer, action, event_id, reason FROM audit ORDER BY at")
        rows = [dict(zip(("at", "viewer", "action", "event_id", "reason"), r, strict=True)) for r in cur.fetchall()]
        self.db.commit()
        return rows

    def events(self) -> list[Event]:
        """Every recorded event, in the order it was recorded."""
        result = self._all(self.db.cursor())
        self.db.commit()
        return result

    def get(self, event_id: str) -> Event | None:
        cur = self.db.cursor()
        cur.execute(self._sql("SELECT body FROM events WHERE id = ?"), (event_id,))
        row = cur.fetchone()
        self.db.commit()
        return _decoder.decode(bytes(row[0])) if row else None

    def verify(self) -> int | None:
        """The position of the first event whose hash does not follow from the chain; None if intact."""
        cur = self.db.cursor()
        cur.execute("SELECT position, body, hash FROM events ORDER BY position")
        broken = chain.first_break((int(p), bytes(b), h) for p, b, h in cur.fetchall())
        self.db.commit()
        return broken

    def head(self) -> str:
        cur = self.db.cursor()
        cur.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1")
        row = cur.fetchone()
        self.db.commit()
        return row[0] if row else chain.GENESIS

    def close(self) -> None:
        self.db.close()


def open_store(url: str, *, clock: Clock = utc_now) -> Store:
    """A store for a SQLite file path (or ``sqlite:///path``) or a ``postgresql://`` URL."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        return Store(psycopg.connect(url), postgres=True, clock=clock)
    path = url.removeprefix("sqlite:///")
    try:
        _create_private(path)
        connection = sqlite3.connect(path, isolation_level=None, timeout=errors.LOCK_WAIT_SECONDS)
        connection.execute("PRAGMA journal_mode=WAL")
    except OSError:  # a folder, a missing folder, a place one may not write
        raise errors.cannot_open(path) from None
    except sqlite3.Error as exc:  # a file of another kind, a locked or read-only store
        raise errors.unavailable(exc, path) or StoreError(f"cannot open the record store {path!r}: {exc}") from None
    return Store(_SqliteAutocommit(connection), clock=clock)


def _create_private(path: str) -> None:
    """A new database file readable by its owner only: it holds every secret and the token hashes.
    SQLite gives its -wal and -shm files the database file's permissions."""
    if path == ":memory:" or path.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class _SqliteAutocommit:
    """sqlite3 in autocommit mode with explicit BEGIN, behind the commit/rollback calls psycopg uses."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def cursor(self) -> sqlite3.Cursor:
        return self.connection.cursor()

    def commit(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("COMMIT")

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()
