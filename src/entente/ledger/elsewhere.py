"""A start's check of a large record made in a process of its own, so the server's own process answers meanwhile.

A check on a thread of the server takes turns at the interpreter with the thread that answers: at 10^6 entries
with no log kept, a first start answered nothing for 15 s or more.  So when a start has many rows to check
(``LARGE``: a first start with no log kept, or a restart after many entries were recorded), a process of its
own checks them and keeps the logs, as ``entente verify`` would, while the server
(or each of ``entente serve --workers``' processes) answers; the server's ledger then resumes from what it kept.

The two meet at a file: the checking process holds a lock on it while it checks, and writes in it how far it
has come, so a waiting server says to a write how long to wait still.  Where there are no such locks (Windows),
the check is made on the server's thread, as before.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from entente.ledger import kept
from entente.ledger.progress import Progress
from entente.record import Store

# Rows a start checks on a thread of the server at most; beyond this, a process of its own checks them (about a
# second of a core's work: the answers slowed meanwhile for no longer than that).
LARGE = 30_000


def to_check(store: Store) -> int:
    """The rows a start checks in full: every one, or those recorded after the state kept by this code."""
    with store._reading() as cur:
        cur.execute(store._sql("SELECT position, versions FROM snapshots WHERE name = ?"), (kept.NAME,))
        row = cur.fetchone()
    stands = row is not None and str(row[1]).startswith(f"{kept.NAME} {kept._code()} chain ")
    return store.position() - (int(row[0]) if stands else 0)


def wanted(store: Store) -> bool:
    """Whether a start on ``store`` checks the record in a process of its own: one that checks more than
    ``LARGE`` rows in full.  A restart's work (the kept leaves hashed again) stays on a thread of the server:
    made by another process it cost more in all (that process's start, and the kept state read twice) and
    the server's reads were answered no sooner."""
    return available() and to_check(store) > LARGE


class Elsewhere:
    """A check made by another process, known by its file: waited for, and asked how far it has come."""

    def __init__(self, path: str, begun: Callable[[float], bool] | None = None) -> None:
        self.path = path
        self._begun = begun  # whether the process holds the file's lock yet, asked waiting that long at most

    @classmethod
    def begin(cls, db: str, union_folder: Path) -> Elsewhere:
        """A process of its own that checks the record of ``db`` and keeps its logs, begun."""
        handle, path = tempfile.mkstemp(prefix="entente-check-")
        os.close(handle)
        atexit.register(Path(path).unlink, missing_ok=True)  # a server stopped before the check ends leaves none
        spawned = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the server's is shared
        holding = spawned.Event()
        process = spawned.Process(target=_check, args=(db, str(union_folder), path, holding), daemon=True,
                                  name="entente-check")
        process.start()

        def reap() -> None:  # once it ends, so no ended process or file is left behind by a server that runs on
            process.join()
            holding.set()  # it may have ended before it held the lock (a store it could not open)
            Path(path).unlink(missing_ok=True)

        threading.Thread(target=reap, name="entente-check-reaper", daemon=True).start()
        return cls(path, holding.wait)

    def held(self, stopping: threading.Event | None = None) -> bool:
        """Until the process holds the file's lock (or ended): True; False if ``stopping`` is set first."""
        while self._begun is not None and not self._begun(0.05):
            if stopping is not None and stopping.is_set():
                return False
        return True

    def wait(self, stopping: threading.Event) -> bool:
        """Until the check is done (the process ended, whether or not it kept what it checked): True; False if
        ``stopping`` is set first."""
        import fcntl  # here: a server where there is none checks on its own thread (``available``)

        if not self.held(stopping):
            return False
        try:
            file = open(self.path, "rb")  # noqa: SIM115 (held across the loop below)
        except FileNotFoundError:  # the process ended
            return True
        with file:
            while not stopping.is_set():
                try:
                    fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    time.sleep(0.1)
                    continue
                fcntl.flock(file, fcntl.LOCK_UN)
                return True
        return False

    def progress(self) -> Progress | None:
        """How far the check has come, as the checking process last wrote it; None before it wrote any."""
        try:
            done, total, elapsed = Path(self.path).read_text().split()
        except (OSError, ValueError):
            return None
        return Progress(time.monotonic() - float(elapsed), int(done), int(total))


def available() -> bool:
    """Whether a check can be made elsewhere here (file locks, as POSIX systems have them)."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def _check(db: str, union_folder: str, path: str, holding: threading.Event) -> None:
    """The checking process: the lock held while it checks the record and keeps the logs, its progress written."""
    import fcntl

    from entente.ledger.logs import Ledger
    from entente.record import open_store
    from entente.vocabulary.definition import load_union

    with open(path, "r+b") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        holding.set()
        store = open_store(db)
        try:
            ledger = Ledger.open(db, load_union(Path(union_folder)))
            total, began = store.position(), time.monotonic()
            checking = threading.Thread(target=ledger.catch_up, args=(store,), name="ledger-check")
            checking.start()
            while checking.is_alive():
                # The kept entries hashed again, then the rows after them checked: each told as it runs.
                hashing = ledger.hashing()
                done, of, since = ((hashing.done, hashing.total, hashing.began) if hashing is not None
                                   else (ledger.checked, total, began))
                file.seek(0)
                file.write(f"{done} {of} {time.monotonic() - since:.3f}".encode())
                file.truncate()
                file.flush()
                checking.join(0.25)
            ledger.stop()
        finally:
            store.close()
            # Before the lock is let go: a server that waits has the file open; one that comes later finds none.
            # Left by none even if the server ended by a signal, with no exit handler run (the check goes on).
            Path(path).unlink(missing_ok=True)
