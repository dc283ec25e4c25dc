"""A start's check of a large record made in a process of its own, so the server's own process answers meanwhile.

A check on a thread of the server takes turns at the interpreter with the thread that answers: at 10^6 entries
with no log kept, a first start answered nothing for 15 s or more.  So when a start has many rows to check
(``LARGE``: a first start with no log kept, or a restart after many entries were recorded), a process of its
own checks them and keeps the logs, as ``entente verify`` would, while the server
(or each of ``entente serve --workers``' processes) answers; the server's ledger then resumes from what it kept.

The two meet at a file named after the store (``check_file``): the checking process holds a lock on it while it
checks, and writes in it how far it has come, so a waiting server says to a write how long to wait still.  A
server started while a check of its store runs (its own server stopped meanwhile, say) finds that file locked
and waits for that check rather than begin another.  Where there are no such locks (Windows), the check is made
on the server's thread, as before.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from entente.ledger import kept
from entente.ledger.keys import data_folder, server_store_name
from entente.ledger.progress import Progress
from entente.record import Store

# Rows a start checks on a thread of the server at most; beyond this, a process of its own checks them (about a
# second of a core's work: the answers slowed meanwhile for no longer than that).
LARGE = 30_000


def to_check(store: Store) -> int:
    """The rows a start checks in full: every one, or those recorded after the state kept by this code."""
    return store.position() - (kept.kept_at(store) or 0)


def wanted(store: Store) -> bool:
    """Whether a start on ``store`` checks the record in a process of its own: one that checks more than
    ``LARGE`` rows in full.  A restart's work (the kept leaves hashed again) stays on a thread of the server:
    made by another process it cost more in all (that process's start, and the kept state read twice) and
    the server's reads were answered no sooner."""
    return available() and to_check(store) > LARGE


def waited_for(db: str, union_folder: Path, store: Store) -> Elsewhere | None:
    """The check of the record a start on ``store`` (at ``db``) waits for: the one another server's start began,
    if it runs still (that server stopped meanwhile, say); else one begun here if ``wanted``; None: the start
    checks on a thread of the server."""
    if not available() or db == ":memory:":  # a store in memory is this process's alone
        return None
    if (running := Elsewhere.running(db)) is not None:
        return running
    return Elsewhere.begin(db, union_folder) if wanted(store) else None


class Elsewhere:
    """A check made by another process, known by its file: waited for, and asked how far it has come."""

    def __init__(self, path: str, begun: Callable[[float], bool] | None = None) -> None:
        self.path = path
        self._begun = begun  # whether the process holds the file's lock yet, asked waiting that long at most

    @classmethod
    def begin(cls, db: str, union_folder: Path) -> Elsewhere:
        """A process of its own that checks the record of ``db`` and keeps its logs, begun (if another server began
        one meanwhile, that process ends at once, and this one waits for the other's check)."""
        path = check_file(db)
        path.parent.mkdir(parents=True, exist_ok=True)
        spawned = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the server's is shared
        holding = spawned.Event()
        process = spawned.Process(target=_check, args=(db, str(union_folder), str(path), holding), daemon=True,
                                  name="entente-check")
        process.start()

        def reap() -> None:  # once it ends, so no ended process is left behind by a server that runs on
            process.join()
            holding.set()  # it may have ended before it held the lock (a store it could not open)

        threading.Thread(target=reap, name="entente-check-reaper", daemon=True).start()
        return cls(str(path), holding.wait)

    @classmethod
    def running(cls, db: str) -> Elsewhere | None:
        """The check of the record of ``db`` made by a process of its own, if one runs (its file locked)."""
        path = check_file(db)
        return cls(str(path)) if _locked(path) else None

    def held(self, stopping: threading.Event | None = None) -> bool:
        """Until the process holds the file's lock (or ended): True; False if ``stopping`` is set first."""
        while self._begun is not None and not self._begun(0.05):
            if stopping is not None and stopping.is_set():
                return False
        return True

    def wait(self, stopping: threading.Event) -> bool:
        """Until the check is done (the process ended, whether or not it kept what it checked): True; False if
        ``stopping`` is set first."""
        if not self.held(stopping):
            return False
        while not stopping.is_set():
            if not _locked(Path(self.path)):  # let go, or gone: the process ended
                return True
            time.sleep(0.1)
        return False

    def progress(self) -> Progress | None:
        """How far the check has come, as the checking process last wrote it; None before it wrote any."""
        try:
            done, total, elapsed = Path(self.path).read_text().split()
        except (OSError, ValueError):
            return None
        return Progress(time.monotonic() - float(elapsed), int(done), int(total))


def check_file(db: str) -> Path:
    """The file a check of the store ``db`` made by a process of its own holds locked: beside a SQLite file
    (``record.sqlite.checking``), else in the user's data folder, named after the store as its key is."""
    if db.startswith(("postgresql://", "postgres://")):
        return data_folder() / "checks" / f"{server_store_name(db)}.checking"
    return Path(db.removeprefix("sqlite:///") + ".checking")


def _locked(path: Path) -> bool:
    """Whether a process holds ``path`` locked to check (asked without waiting; a lock taken only to ask this, as
    here, is let go at once)."""
    import fcntl

    try:
        file = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError:  # none: no check runs
        return False
    with file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(file, fcntl.LOCK_UN)
        return False


def _hold(path: Path) -> int | None:
    """The file ``path``, created if need be, open and locked for this process's check; None if another process
    checks the store (it holds the lock)."""
    import fcntl

    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if _locked(path):  # another check holds it (not a server that only asked, as ``_locked`` does)
                return None
            time.sleep(0.01)
            continue
        try:
            same = os.stat(path).st_ino == os.fstat(handle).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        os.close(handle)  # locked once the check that held it had removed it: another file is the store's now


def available() -> bool:
    """Whether a check can be made elsewhere here (file locks, as POSIX systems have them)."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def _check(db: str, union_folder: str, path: str, holding: threading.Event) -> None:
    """The checking process: the lock held while it checks the record and keeps the logs, its progress written."""
    from entente.ledger.logs import Ledger
    from entente.record import open_store
    from entente.vocabulary.definition import load_union

    handle = _hold(Path(path))
    if handle is None:  # another server's check of the store runs: the server waits for that one
        holding.set()
        return
    with open(handle, "r+b") as file:
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
