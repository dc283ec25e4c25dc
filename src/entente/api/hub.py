"""The app's hold on the secretariat: one for the app's life, shared by every request."""

from __future__ import annotations

import gc
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import anyio
from litestar import Request
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException

from entente.allocator import give_back_freed
from entente.api.kept_reads import KeptReads
from entente.ledger import elsewhere
from entente.ledger.elsewhere import Elsewhere
from entente.ledger.logs import Ledger
from entente.record import Store
from entente.secretariat import tokens
from entente.secretariat.clearance import PUBLIC, Viewer
from entente.secretariat.service import Secretariat
from entente.vocabulary.said import said
from entente.whatif.shelf import Shelf

log = logging.getLogger("entente.api")
# Seconds with no view made after which a start's hashing again of the kept entries begins, if the public's first
# view is not made first.
FIRST_VIEW = 5.0


class Hub:
    """The app's secretariat: the union read once, the store and each viewer's view of the record held open.

    Requests run on a thread pool and share it: the store gives each thread its
    own SQLite connection, or takes one from its PostgreSQL pool, and the views
    are caught up from the store's position on every read, so another process
    writing to the same store is seen at the next request.

    The record is taken up (the ledger resumed, the snapshot read) on a thread of its own while the server
    begins to answer: what needs no record (the links at ``/``, the public key, the union's files) is answered
    at once, and whatever reads the record or the logs waits until they are held, so nothing is answered from
    a record half read.
    """

    def __init__(self, db: str, union_folder: Path, secretariat: Secretariat | None = None,
                 ledger: Ledger | None = None, away: Elsewhere | None = None) -> None:
        give_back_freed()  # before anything is read: what the start lets go of goes back to the system
        # Claims the store and loads the bundled record, unless the command that starts the server did already.
        self._secretariat = secretariat or Secretariat.open(db, union_folder)
        self.union, self.treaties = self._secretariat.union, self._secretariat.treaties
        self.shelf = Shelf.beside(db, union_folder / "scenarios")  # saved what-if scenarios, outside the record
        # One ledger for the process: every request catches it up, so each new entry is checked once;
        # a start checks what was recorded since the state the last one kept (``entente verify`` checks all).
        self._ledger = ledger or Ledger.open(db, self.union)
        self._ledger.write_wait = 1.0  # reads are served while a start's check runs; a write waits a second at most
        self._ledger.deferred = True  # the kept entries hashed again once the record is held, not while it is read
        # The reads the last server answered, kept when it stopped: answered from there while the record is
        # taken up, if nothing was recorded since (``kept_reads``).
        self.reads = KeptReads(self._secretariat.store, union_folder)
        # A check of the record made by another process (begun by ``entente serve --workers``), else one begun here
        # if the start has many rows to check (``elsewhere``).
        self._db, self._union_folder, self._away = db, union_folder, away
        self._held = threading.Event()
        self._fault: BaseException | None = None
        # Told as soon as the server is asked to stop: a take-up under way is left, not waited for.
        self._stopping = threading.Event()
        # The take-up's end, the check's end and a close while they run, one after the other: whichever of the
        # first two ends last does what follows both (``_both_done``).
        self._closing = threading.Lock()
        self._check_done = False
        self._close_when_held = False
        threading.Thread(target=self._take_up, name="entente-start", daemon=True).start()

    def _take_up(self) -> None:
        """Read the kept snapshot, start the check of the record, then let the requests waiting for them in."""
        try:
            if self._stopping.is_set():
                raise Stopping
            # The record checked against what was signed, on a thread beside the snapshot's reading and then the
            # answers: reads are served meanwhile, and a write waits for it a second at most, then is told how
            # long to wait.  A restart checks only what was recorded since its logs were kept, mostly done before
            # the snapshot is read.
            store = self._secretariat.store
            self._ledger.start(store, then=self._checked, away=self._away or self._elsewhere(store))
            self._secretariat.begin()  # the kept snapshot read, and frozen below with the rest
            # What is held now (the record) is held for the server's life: out of the cyclic collector's sight, a
            # full collection no longer walks it, which stopped every request for a while.
            gc.freeze()
        except BaseException as exc:  # told by every request that needs the record, and logged once here
            self._fault = exc
            if not self._stopping.is_set():
                log.error("the record could not be taken up", exc_info=exc)
        finally:
            with self._closing:
                self._held.set()
                closing, checked = self._close_when_held, self._check_done
            if closing:  # the server stopped meanwhile and left the store to this thread to close
                self._secretariat.close()
            elif checked:
                self._both_done()

    def _elsewhere(self, store: Store) -> Elsewhere | None:
        """The check of the record made by a process of its own that another server's start began, if it runs still;
        else one begun, if the start has many rows to check and one can be begun here (else the check runs on a
        thread, as it would anyway)."""
        try:
            return elsewhere.waited_for(self._db, self._union_folder, store)
        except OSError:
            log.warning("no process could be begun to check the record: it is checked beside the answers")
            return None

    def _checked(self) -> None:
        """Told on the check's thread once the start's check is done.  It waits for nothing: whichever of the
        take-up and the check ends last does what follows both."""
        with self._closing:
            self._check_done = True
            held = self._held.is_set()
        if held:
            self._both_done()

    def _both_done(self) -> None:
        """Once the record is held and the start's check is done: what follows both, once the first reads are
        answered (``_after_first_view``)."""
        if self._fault is not None or self._stopping.is_set():
            return
        threading.Thread(target=self._after_first_view, name="entente-hash-kept", daemon=True).start()

    def _after_first_view(self) -> None:
        """The ledger's logs out of the collector's sight, and the kept entries hashed again: once the public's
        first view is made, or once no view has been made for a few seconds.  Each took turns at the interpreter
        with the first view's fold, and a read that waited for the record waited for them too; none is needed to
        answer it.  A write that comes first begins the hashing itself (it waits for it); a checkpoint does not
        wait for it."""
        projections = self._secretariat.projections
        idle = time.monotonic()
        while not self._stopping.is_set():
            seen = projections.held(PUBLIC)
            if seen is not None and seen.is_folded:
                break
            now = time.monotonic()
            if projections.making():
                idle = now  # a view made for a read that waits: the seconds count from its end
            elif now - idle >= FIRST_VIEW:
                break
            time.sleep(0.05)
        if self._stopping.is_set():
            return
        gc.freeze()
        self._ledger.check_kept()

    def settled(self) -> None:
        """Wait until the record is held and the start's check is done, so that every read names its version
        (a client that compares answers across a start's end, such as a test, asks this first)."""
        self._wait()
        self._ledger.ready(None)

    def checking(self) -> bool:
        """Whether the start's check of the record runs: asked without waiting."""
        return self._ledger.checking()

    @property
    def started(self) -> bool:
        """Whether the record and the logs are held: asked without waiting (on the event loop)."""
        return self._held.is_set() and self._fault is None

    async def until_started(self) -> None:
        """Wait for the record to be held, holding no worker thread meanwhile (they are few: a read waiting on one
        would hold up a read answered from what was kept); ``Stopping`` if the server is asked to stop first."""
        while not self._held.is_set():
            if self._stopping.is_set():
                raise Stopping
            await anyio.sleep(0.02)

    def stopping(self) -> None:
        """The server is asked to stop: the requests waiting for the record are answered so (called from a
        signal's handler: it waits for nothing)."""
        self._stopping.set()

    def on_signals(self) -> None:
        """Told of a signal that stops the server (SIGTERM, SIGINT) before the server's own handler, which
        waits for every request under way to be answered before the app is told to stop: a request waiting
        for the record would hold the stop up until the record is taken up.  Only the main thread sets a
        signal's handler; the server restores its own when it stops."""
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in (signal.SIGTERM, signal.SIGINT):
            then = signal.getsignal(sig)
            if callable(then):
                signal.signal(sig, _told_first(self.stopping, then))

    def _wait(self) -> None:
        self._held.wait()
        if self._fault is not None:
            raise RuntimeError("the record could not be taken up") from self._fault

    @property
    def secretariat(self) -> Secretariat:
        """The secretariat, once the record is held (a request that needs it waits for the start)."""
        self._wait()
        return self._secretariat

    @property
    def ledger(self) -> Ledger:
        """The ledger, once the record is held (a request that needs it waits; its start check may still run)."""
        self._wait()
        return self._ledger

    @contextmanager
    def session(self) -> Iterator[Secretariat]:
        self.ledger.catch_up(self.secretariat.store)
        yield self.secretariat

    def version(self, viewer: Viewer) -> str | None:
        """The version of the record a read by ``viewer`` is made from: its log as signed, with every entry the
        views hold (the ledger is caught up first when the views have read further); None when the log does
        not continue what was signed of it."""
        if self.ledger.read_up_to() < self.secretariat.projections.position:
            self.ledger.catch_up(self.secretariat.store)
        return self.ledger.version(viewer)

    @property
    def store(self) -> Store:
        """The record's store, open from the start (a token is resolved there without the record)."""
        return self._secretariat.store

    def viewer(self, request: Request[Any, Any, Any]) -> Viewer:
        """No Authorization header: the public.  Any token that does not resolve: 401, saying no more;
        a token presented with a wrong secret too many times: 429, until it has waited (``tokens``)."""
        authorization = request.headers.get("authorization")
        if authorization is None:
            return PUBLIC
        scheme, _, token = authorization.strip().partition(" ")
        found = resolved(self.store, token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise NotAuthorizedException()
        return found

    def close(self) -> None:
        self.stopping()
        self._ledger.stop()  # the start's check, if it runs, ends at its next batch and keeps nothing
        with self._closing:
            if not self._held.is_set():
                # Stopped while the record is taken up: nothing was read that is worth keeping, so the stop is
                # not held up by the reading; the thread reading closes the store once it is done.
                self._close_when_held = True
                return
        if self._fault is None:
            self._ledger.keep(self._secretariat.store)
            self._secretariat.caught_up()
            self.reads.keep(self._secretariat)
        self._secretariat.close()


class Stopping(Exception):
    """The server stops before the record is taken up: a request that needed it is answered 503."""

    def __init__(self) -> None:
        self.told = said("the server is stopping; ask again once it has started")
        super().__init__("the server is stopping; ask again once it has started")


def _told_first(stopping: Callable[[], None], then: Callable[[int, FrameType | None], Any]
                ) -> Callable[[int, FrameType | None], None]:
    def handler(sig: int, frame: FrameType | None) -> None:
        stopping()
        then(sig, frame)

    return handler


def resolved(store: Store, token: str) -> Viewer | None:
    """The viewer ``token`` stands for (None: it does not resolve); 429 with ``Retry-After`` while the token is
    held off after failed sign-ins, for the API and the pages alike."""
    try:
        return tokens.resolve(store, token)
    except tokens.Waiting as exc:
        raise held_off(exc) from None


def held_off(exc: tokens.Waiting) -> TooManyRequestsException:
    """429, saying for how long, for a token held off after failed sign-ins."""
    return TooManyRequestsException(str(exc), headers={"Retry-After": str(math.ceil(exc.seconds))})
