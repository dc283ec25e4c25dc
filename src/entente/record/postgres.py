"""The record on PostgreSQL: the store for a shared deployment.

Connections come from a pool (psycopg_pool), so reads run concurrently; each connection is checked as it is
taken, so one the server dropped is replaced and the request goes on.  A store opened unpooled
(``pooled=False``: a command's, not a server's) gives each of its process's threads a connection of its own
instead, and starts no thread, so that a process with no thread but its own can be forked (``entente load``'s
reader process, and the copy that keeps the logs).  A writing transaction first locks the events table against
other writers (readers are not blocked), so positions never interleave; each tells every process that listens
when it commits (``listening.py``), so a server answers from what it holds until another writes.  The schema is
made by the numbered migrations, once, under an advisory lock, should several processes open a new store at
once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from entente.record import errors, migrations
from entente.record.errors import StoreError
from entente.record.listening import NOTIFY, Listener
from entente.record.store import Clock, Store, utc_now
from entente.record.upcast import UPCASTERS, Upcasters
from entente.vocabulary.said import said

_ALONG_THE_INDEX = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)"
_CONNECTED: dict[str, Any] = {"autocommit": True, "application_name": "entente"}  # how each connection is made
_MIGRATION_LOCK = 7316511  # any fixed number: the key of the advisory lock migrations take


class PostgresStore(Store):
    backend = "postgresql"
    mark = "%s"
    # A batch's bodies joined by the server, in binary (see ``_fetched``): less work here than fetching its rows.
    # In the order the batch's subquery gives them (ordered by position, then limited): a plain aggregate over
    # it is fed its rows as they come.  Ordered within the aggregate, they were sorted again before 16 (the
    # version that first uses input already in order), a sort of the whole batch that spilled to disk.
    joined = "string_agg(body, ',')"

    def __init__(self, url: str, *, clock: Clock = utc_now, upcasters: Upcasters = UPCASTERS,
                 max_connections: int = 8, pooled: bool = True) -> None:
        super().__init__(clock=clock, upcasters=upcasters)
        self.url = url
        try:  # one connection first, so a server that does not answer is told at once, in the store's words
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.OperationalError as exc:
            raise errors.unavailable(exc, url) or StoreError(said(
                "cannot open the record store: %(problem)s", problem=str(exc))) from None
        self.pool = ConnectionPool(url, min_size=1, max_size=max_connections, open=True, name="entente",
                                   kwargs=_CONNECTED, check=ConnectionPool.check_connection) if pooled else None
        self._local = threading.local()  # unpooled: each thread's own connection
        self._opened: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                        "applied TEXT NOT NULL)")
            if migrations.applied(cur) < migrations.LATEST:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                migrations.migrate(cur, postgres=True, now=self.clock())
            cur.execute("SELECT current_schema()")
            schema = str((cur.fetchone() or ("public",))[0])
        self.listener = Listener(url, schema)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection from the pool, or this thread's own (made again if it was closed, or the server dropped it)."""
        if self.pool is not None:
            with self.pool.connection() as pooled:
                yield pooled
            return
        conn: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        if conn is not None and not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
            try:  # checked as the pool checks each connection it hands out: one the server dropped is replaced
                ConnectionPool.check_connection(conn)
            except psycopg.Error:
                conn.close()
        if conn is None or conn.closed or conn.broken:
            conn = self._local.connection = psycopg.connect(self.url, **_CONNECTED)
            with self._lock:
                self._opened.append(conn)
        yield conn

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
            yield cur
            cur.execute(NOTIFY, (self.listener.payload,))  # heard by every listener when this commits, only then
        self.listener.committed()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._connection() as conn, conn.cursor() as cur:
            yield cur

    @contextmanager
    def _reading_large(self) -> Iterator[Any]:
        # On a connection of its own, closed once read: libpq keeps a connection's input buffer as large as the
        # largest message it was sent, so a pooled connection that read a snapshot would hold its size for the
        # server's life.  In binary: as text, bytes cross as hexadecimal, twice their size.
        with psycopg.connect(self.url, autocommit=True, application_name="entente") as conn, \
                conn.cursor(binary=True) as cur:
            yield cur

    def _fetched(self, cur: Any, query: str, params: Sequence[Any]) -> list[Any]:
        # In binary: as text, each body crosses as hexadecimal, twice its size, and is decoded back to bytes,
        # which took most of the time on a core that reading the record did.
        if cur.connection.info.transaction_status != TransactionStatus.IDLE:  # a writer's read of its tail
            cur.execute(query, params, binary=True)
            return cur.fetchall()
        with cur.connection.transaction():
            # Rows in position order read along its index.  A table not analyzed yet (a store just loaded) has
            # the planner guess a third of it after any position, and read those in the heap's order, then sort
            # them (on disk): several times slower than the index, which gives them in order.
            cur.execute(_ALONG_THE_INDEX)
            cur.execute(query, params, binary=True)
            return cur.fetchall()

    def stamp(self) -> int | None:
        return self.listener.stamp()

    def close(self) -> None:
        self.listener.stop()
        if self.pool is not None:
            self.pool.close()
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
