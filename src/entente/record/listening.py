"""What tells a PostgreSQL store that something was committed, by this process or another: LISTEN/NOTIFY.

Every writing transaction sends a notification on one channel, its payload the store's schema and the
writer's own mark, which PostgreSQL delivers to every listening connection when (and only if) the
transaction commits.  A ``Listener`` holds one connection that does nothing but listen, on a thread of its
own, and counts the notifications for its schema from other writers; its own commits it counts as they
return, so a process sees its own write at once.  The count is the store's stamp, as SQLite's
``data_version`` is: a server answers a read from the view it holds until a process (on this host or
another) commits, without asking the database anything.  While the connection is down the stamp is
unknown (None: read the tail), and a new connection changes it, since what was committed meanwhile was
not heard.
"""

from __future__ import annotations

import os
import threading

import psycopg

CHANNEL = "entente_record"
NOTIFY = "SELECT pg_notify('entente_record', %s)"  # sent inside each writing transaction, with ``payload``
_WAIT = 10.0  # seconds a first stamp waits for the connection to listen
_RETRY = 1.0  # seconds between attempts to connect again


class Listener:
    """The notifications heard for one schema, counted on a thread that starts at the first ``stamp``."""

    def __init__(self, url: str, schema: str) -> None:
        self.url, self.schema = url, schema
        self.payload = f"{schema} {os.urandom(8).hex()}"  # the schema, and this writer's mark
        self._heard = 0
        self._listening = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def stamp(self) -> int | None:
        """The notifications heard so far (and connections made), or None while not listening."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="entente-listen", daemon=True)
                self._thread.start()
                self._listening.wait(_WAIT)
        return self._heard if self._listening.is_set() else None

    def committed(self) -> None:
        """One of this writer's transactions committed: counted now, its own notification ignored."""
        self._heard += 1

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._heard += 1  # what was committed before this connection listened was not heard
                    self._listening.set()
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=1.0):
                            if note.payload != self.payload and note.payload.split(" ")[0] == self.schema:
                                self._heard += 1
            except psycopg.Error:
                self._listening.clear()
                self._stopping.wait(_RETRY)

    def stop(self) -> None:
        """Stop listening: the thread ends within a second, not waited for, so closing a store is not slowed."""
        self._stopping.set()
