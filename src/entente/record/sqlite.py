"""The record on SQLite: the embedded default, one file, no server.

Each thread has its own connection (a SQLite connection belongs to the thread
that opened it), all in WAL mode so readers never wait for the writer.  A
writing transaction begins IMMEDIATE, taking the file's write lock before it
reads, so two writers are serialised and never interleave positions.  A file
that cannot be written is opened read-only: it can still be read and verified.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from entente.record import errors, migrations
from entente.record.errors import StoreError
from entente.record.store import Clock, Store, utc_now
from entente.record.upcast import UPCASTERS, Upcasters
from entente.vocabulary.said import said


def _create_private(path: str) -> None:
    """A new database file readable by its owner only: it holds every secret and the token hashes.
    SQLite gives its -wal and -shm files the database file's permissions."""
    if path == ":memory:" or path.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class SqliteStore(Store):
    backend = "sqlite"
    mark = "?"

    def __init__(self, path: str, *, clock: Clock = utc_now, upcasters: Upcasters = UPCASTERS,
                 read_only: bool | None = None) -> None:
        super().__init__(clock=clock, upcasters=upcasters)
        self.path = path
        self.read_only = read_only if read_only is not None else (
            os.path.exists(path) and not os.access(path, os.W_OK))
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # One connection that only ever asks SQLite's data_version, which changes when another connection
        # commits: as this one never writes, every commit (any thread's, any process's) changes it.
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        try:
            if self.read_only:
                self.connection.execute("SELECT 1").fetchall()
            else:
                _create_private(path)
                with self._writing() as cur:
                    migrations.migrate(cur, postgres=False, now=self.clock())
        except OSError:  # a folder, a missing folder, a place one may not write
            self.close()
            raise errors.cannot_open(path) from None
        except sqlite3.Error as exc:  # a file of another kind, a locked or read-only store
            self.close()
            raise errors.unavailable(exc, path) or StoreError(said(
                "cannot open the record store %(store)s: %(problem)s", store=repr(path), problem=str(exc))) from None

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            connection = self._read_only()
        else:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=errors.LOCK_WAIT_SECONDS,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL stays durable across a crash of the program
            connection.execute("PRAGMA secure_delete=ON")  # an erased value leaves no copy in freed space
        with self._lock:
            self._opened.append(connection)
        return connection

    def _read_only(self) -> sqlite3.Connection:
        uri = "file:" + self.path.replace("?", "%3f").replace("#", "%23")
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("SELECT 1 FROM events LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            # A WAL file whose folder cannot be written either: nothing can change it, so read it as immutable.
            connection.close()
            connection = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None,
                                         check_same_thread=False)
        return connection

    @property
    def connection(self) -> sqlite3.Connection:
        found: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if found is None:
            found = self._local.connection = self._connect()
        return found

    def stamp(self) -> int | None:
        with self._watch_lock:
            if self._watch is None:
                self._watch = self._connect()
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        connection = self.connection
        cur = connection.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        else:
            connection.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        yield self.connection.cursor()

    def kept_slices(self, name: str, position: int, versions: str) -> Iterator[bytes] | None:
        """As ``Store.kept_slices``, read with SQLite's incremental I/O: a body of tens of megabytes is read a
        slice at a time, several times faster than as one value, and never held whole.  The slices are read in
        one read transaction, so a snapshot replaced meanwhile is read as it was when asked for."""
        connection = self.connection
        connection.execute("BEGIN")
        try:
            row = connection.execute("SELECT rowid FROM snapshots WHERE name = ? AND position = ? AND versions = ?",
                                     (name, position, versions)).fetchone()
        except BaseException:
            connection.execute("COMMIT")
            raise
        if row is None:
            connection.execute("COMMIT")
            return None
        return _slices(connection, int(row[0]))

    def keep_snapshot_pieces(self, name: str, position: int, versions: str, size: int,
                             pieces: Callable[[], Iterable[bytes]]) -> None:
        """As ``Store.keep_snapshot_pieces``, written with SQLite's incremental I/O into a value of its size made
        first: the body is never held whole, nor copied whole by SQLite (a snapshot of 10^6 entries is hundreds
        of megabytes, and held whole and copied it was the peak of a load's memory).  The value stored is the
        same."""
        if self.read_only:
            return
        with self._writing() as cur:
            cur.execute(KEEP_EMPTY, (name, position, versions, size))
            rowid = int(cur.execute("SELECT rowid FROM snapshots WHERE name = ?", (name,)).fetchone()[0])
            written = 0
            with self.connection.blobopen("snapshots", "body", rowid) as blob:
                for piece in pieces():
                    blob.write(piece)  # past the size made: ValueError, and nothing is kept
                    written += len(piece)
            if written != size:
                raise ValueError(f"a snapshot of {written} bytes said to be of {size}")

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        with self._watch_lock:
            self._watch = None
        self._local = threading.local()


SLICE = 1 << 20  # bytes of a kept body read at a time
# A snapshot's row with a body of zeros of its size, written a piece at a time after (``keep_snapshot_pieces``).
KEEP_EMPTY = ("INSERT INTO snapshots VALUES (?, ?, ?, zeroblob(?)) ON CONFLICT (name) DO UPDATE SET "
              "position = excluded.position, versions = excluded.versions, body = excluded.body")


def _slices(connection: sqlite3.Connection, rowid: int) -> Iterator[bytes]:
    """The body of the snapshot at ``rowid``, a slice at a time, then the read transaction ended."""
    try:
        with connection.blobopen("snapshots", "body", rowid, readonly=True) as blob:
            while piece := blob.read(SLICE):
                yield piece
    finally:
        connection.execute("COMMIT")
