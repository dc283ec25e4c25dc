"""The ledger: the record's rows checked as they are read, and one Merkle log per viewer over them.

A process keeps one ``Ledger`` and catches it up from the store before it
answers; only the rows after the last one read are fetched.  Each entry's
leaf hash is kept once in the store, in tiles (``kept.py``), whatever the
viewers that hold it, and read from there when asked for (``record_leaves.py``:
only those after the last full tile are held); each viewer's log is the list of record indices it holds
and the tiles of its tree above the leaves (``tree.py``), so a log costs a few
bytes an entry and grows by what is new.  What the logs ask of the entries read
before (the entry an act names, the entries at some indices) is answered by
``lookup.py``, which numbers the entries.

A start resumes from the state an earlier process kept, after checking the
record against it: as many entries, in the same order, under the same ids,
with the chain's hash it had at its position; then it checks the entries
recorded since in full.  A log is resumed as kept while it was made by the same
code and its viewer is still one of the union's, whatever else of the union's
files changed; a viewer new to the union has its log built from the entries,
none of them checked again (``built``), and one no longer of it has its log
dropped.  Every entry's leaf up to that position is hashed again
from its bytes in the background (``settle`` waits for it), and a difference
stops writes.  A checkpoint is signed only when it continues the last one
signed of the same log.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from entente.ledger import checkpoints, kept, keys, stand_ins
from entente.ledger.checkpoints import Checkpoint, CheckpointError, Legacy
from entente.ledger.indices import Indices
from entente.ledger.integrity import Break, Checker, kept_answers
from entente.ledger.leaves import LEAF, NONE, SALT, Salting, erasable, leaf_data, leaf_hash
from entente.ledger.lookup import Lookup
from entente.ledger.membership import Logs
from entente.ledger.progress import CHECKED_A_SECOND, HASHED_A_SECOND, Checking, Progress
from entente.ledger.record_leaves import RecordLeaves
from entente.ledger.tree import TILE, WIDTH, Tree, tiles
from entente.record import Store
from entente.record.store import StoredRow
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary.events import EntryCorrected, Event
from entente.vocabulary.said import said
from entente.vocabulary.union import Union


class Away(Protocol):
    """A start's check made by another process (``elsewhere.Elsewhere``, which runs this module's ledger there):
    waited for, and asked how far it has come."""

    def wait(self, stopping: threading.Event) -> bool: ...

    def progress(self) -> Progress | None: ...


log = logging.getLogger("entente.ledger")
# The checked state is kept by a start that read anything, at close, and once this many entries came after
# the last kept; a process that ends without closing leaves the next start at most this many more to check.
KEEP_EVERY = 10_000
BATCH = 20_000  # rows read and checked at a time
_PAGE = 2048  # rows read at a time when the kept entries are hashed again


class _Stopped(Exception):
    """The server stops while its start check runs."""


@dataclass
class ViewerLog:
    viewer: Viewer
    tree: Tree
    kept_tiles: list[int]  # for each level, the full tiles of it the store holds

    @property
    def name(self) -> str:
        return str(self.viewer)


class Ledger:
    """The rows of one store as checked so far, their breaks, and each viewer's log."""

    def __init__(self, union: Union, key: Ed25519PrivateKey) -> None:
        self.union, self.key = union, key
        self._lock = threading.RLock()
        self._prepared: set[int] = set()
        self.write_wait: float | None = None  # how long a write waits for the background check; None: until done
        # Whether the background check waits for ``check_kept`` (a server first reads the record it holds: the
        # two would take turns at the interpreter, and the first answer would wait for both).
        self.deferred = False
        self._starting = threading.Lock()
        self._started: threading.Thread | None = None  # a server's start check, run beside its first answers
        self._first = 0  # the row the start check began after
        self._progress = Progress()  # the start check's rows
        self._hashing = Progress()  # the kept entries hashed again
        self._stopping = threading.Event()
        self._away: Away | None = None  # a start's check made by another process, waited for
        # Whether that process hashed every kept entry's leaf again from its bytes (as it does, before it keeps
        # what it checked): the resume from what it kept does not do it a second time.
        self.hashed_elsewhere = False
        self._reset()

    def _reset(self) -> None:
        """Nothing read yet."""
        self.last: StoredRow | None = None  # the last row read
        self.checked = 0  # rows read and checked by this ledger
        self._lookup = Lookup()  # every entry's id and position, and what the logs ask of the record
        # Every entry's leaf hash, in record order: those the store's shared tiles were compared with or written
        # are read from there when asked for, the others held.
        self._leaves = RecordLeaves(self._leaf_tiles)
        self._base = 0  # the position a kept state was resumed from
        self.breaks: list[Break] = []
        self._checker = Checker(self._lookup.recorded)
        self._kept_at = 0
        self._kept_tail: tuple[int, bytes] = (0, b"")  # the leaves a kept state holds beyond the full tiles
        self._signed: dict[str, tuple[int, bytes]] = {}
        self._versions: dict[Viewer, tuple[int, str]] = {}  # each log's version, as last signed, by its size
        self._background: threading.Thread | None = None
        self.built: list[str] = []  # the viewers whose logs this start built from the record rather than resumed
        self._changed = False  # logs built or dropped since the state was kept
        self._kept_trees: tuple[int, ...] = ()  # each log's tree as kept (its levels' lengths): grown since, kept again
        viewers = [SECRETARIAT, PUBLIC, *(Viewer("party", p.code) for p in self.union.parties)]
        self.logs = Logs(viewers, self._lookup.locate, self._lookup.events_at)
        self._logs: dict[Viewer, ViewerLog] = {v: self._new_log(v) for v in viewers}

    def _new_log(self, viewer: Viewer, levels: list[bytearray] | None = None) -> ViewerLog:
        def leaves(start: int, end: int) -> bytes:
            return self._leaves.picked(self.logs.orders[viewer].between(start, end))
        return ViewerLog(viewer, Tree(leaves, levels), [])

    @classmethod
    def open(cls, db: str, union: Union) -> Ledger:
        return cls(union, keys.load_or_create(keys.key_path(db)))

    # --- reading the record -------------------------------------------------------------------

    def catch_up(self, store: Store, *, whole: bool = False, decoded: Mapping[int, Event] | None = None) -> None:
        """Read and check the rows recorded since the last call, then extend every log.

        The first call resumes from the state kept in the store after checking the record against it,
        unless ``whole``: then every row and every log is checked from the first.  ``decoded``: the entries
        this process appended, as it decoded them from the bytes it wrote, by position (not decoded again).
        While a server's start check runs (``start``), a request's call returns at once: it reads the record,
        not the logs."""
        if self._elsewhere():
            return
        with self._lock:
            self._lookup.store = store
            first = self.last is None and not self._base
            if first:
                self._prepare(store)
                self._resume(store, whole=whole)
                if threading.current_thread() is self._started:  # what is left to check, now it is known
                    self._first = self._base
                    self._progress = Progress(time.monotonic(), 0, self._progress.total - self._base)
            answers = self._answers(store) if first else []  # read before the rows: each names a recorded entry
            after = self.last.position if self.last is not None else self._base
            fresh = store.rows_after(after - 1 if after else 0, BATCH + 1)
            if after:
                head = fresh[0] if fresh else None
                same = (self._same_row(store, head) if self.last is not None
                        else head is not None and (head.position, head.hash) == (after, self._checker.previous_hash))
                if not same:
                    gone = "it is gone or changed since it was read: the record was cut or rewritten"
                    self._add_breaks([Break(after, self.last.id if self.last else self._lookup.last_id, gone)])
                    return
                self.last, fresh = head, fresh[1:]
            if not fresh and not first:
                return
            # A batch at a time: a first start holds one batch of rows, not the whole record's bytes at once.
            self._lookup.decoded = decoded or {}
            try:
                while fresh:
                    if self._stopping.is_set() and threading.current_thread() is self._started:
                        raise _Stopped
                    self._check_rows(store, fresh, decoded)
                    fresh = store.rows_after(fresh[-1].position, BATCH) if len(fresh) >= BATCH else []
            finally:
                self._lookup.decoded = {}
                self._checker.forget()  # the ids of the rows checked are asked of the store from now on
            if answers:
                upto = self.read_up_to()
                self._add_breaks(kept_answers(answers, lambda names: self._lookup.recorded(names, upto)))
            # Found when nothing more precise is (the kept leaves name the first entry that differs).
            unsigned = self._against_signed() if first else []
            self._keep_tiles(store, write=not self.breaks and not unsigned)
            if not self.breaks:
                self._add_breaks(unsigned)
            if self.breaks and first and not self._lookup.numbered:
                kept.forget(store)  # found checking from the first: every start after this checks it all too
            elif not self.breaks and (first or self.count - self._kept_at >= KEEP_EVERY):
                self.keep(store)

    def start(self, store: Store, then: Callable[[], None] | None = None, away: Away | None = None) -> None:
        """The first catch-up as a thread, so a server answers reads while it runs: a write, or a checkpoint,
        waits for it ``write_wait`` seconds at most, then is told how long to wait (``Checking``).  ``then``:
        what to do once it is done (on the thread, once nothing waits for the check).  ``away``: a check of the
        record made by another process, waited for first (the catch-up then resumes from what it kept)."""
        def run() -> None:
            try:
                if away is not None:
                    if not away.wait(self._stopping):
                        raise _Stopped
                    self.hashed_elsewhere = True
                self._away = None
                self.catch_up(store)
            except _Stopped:
                with self._lock:
                    self._reset()  # stopped part way: nothing checked is kept, the next start checks it again
                return
            except Exception:  # the store closed under it, say: the next request's catch-up starts again
                log.exception("the start's check of the record stopped")
                return
            with self._lock:
                self._started = None  # checked: what ``then`` does holds back no read's version nor a checkpoint
            if then is not None:
                then()

        with self._lock:
            self._first, self._progress = self._base, Progress(time.monotonic(), 0, store.position() - self._base)
            self._away = away
            self._started = threading.Thread(target=run, name="ledger-start", daemon=True)
            self._started.start()

    def checking(self) -> bool:
        """Whether a server's start check runs (on its own thread): nothing is signed of a log meanwhile."""
        return self._elsewhere()

    def _elsewhere(self) -> bool:
        """Whether a server's start check runs on a thread other than this one."""
        started = self._started
        return started is not None and started.is_alive() and threading.current_thread() is not started

    def left(self) -> float | None:
        """The seconds the checks running are expected to take still, from how far they came; None if none runs."""
        seconds = None
        if self._elsewhere():
            done = max(0, (self.last.position if self.last is not None else 0) - self._first)
            away = self._away
            # The logs kept once every row is checked: about a tenth of the rows' time, as measured.
            progress = (away.progress() if away is not None else None) or \
                Progress(self._progress.began, done, self._progress.total)
            seconds = progress.left(CHECKED_A_SECOND, 0.1)
        background = self._background
        if background is not None and (background.is_alive() or background.ident is None):
            seconds = (seconds or 0) + self._hashing.left(HASHED_A_SECOND)
        return seconds

    def hashing(self) -> Progress | None:
        """How far the kept entries' leaves are hashed again, while they are; None otherwise."""
        hashing = self._hashing
        return hashing if hashing.total and hashing.done < hashing.total else None

    def ready(self, timeout: float | None) -> None:
        """Wait for the checks running (``timeout`` seconds at most; None: until they are done); ``Checking``,
        saying how long they are expected to take still, if they are not done by then."""
        deadline = None if timeout is None else time.monotonic() + timeout
        started = self._started
        if self._elsewhere() and started is not None:
            started.join(timeout)
            if started.is_alive():
                raise Checking(self.left() or 1)
        if not self.settle(None if deadline is None else max(0.0, deadline - time.monotonic())):
            raise Checking(self.left() or 1)

    def _signing(self) -> None:
        """Before a checkpoint is signed or a log read from another thread: the start check done, or ``Checking``
        once ``write_wait`` has passed.  The kept entries hashed again meanwhile are not waited for."""
        started = self._started
        if self._elsewhere() and started is not None:
            started.join(self.write_wait)
            if started.is_alive():
                raise Checking(self.left() or 1)

    def _check_rows(self, store: Store, fresh: list[StoredRow], decoded: Mapping[int, Event] | None) -> None:
        """Check the rows after those read, and extend every log with their entries."""
        salting = store.salting(fresh[0].position - 1, fresh[-1].position)
        events, breaks = self._checker.check(fresh, salting, decoded)
        self.checked += len(fresh)
        self.last = fresh[-1]
        added = [(row, event) for row, event in zip(fresh, events, strict=True) if event is not None]
        salts = self._salts(store, [row for row, _ in added], salting, write=not breaks and not self.breaks)
        start = self.count
        for row, _ in added:
            self._leaves.append(leaf_hash(leaf_data(row.body, salts.get(row.position, NONE))))
        self._lookup.extend([event.id for _, event in added], [row.position for row, _ in added])
        self._add_breaks(breaks)
        self._lookup.reading({start + k: event for k, (_, event) in enumerate(added)})
        try:
            self.logs.add([event for _, event in added])
        finally:
            self._lookup.reading({})

    def _same_row(self, store: Store, head: StoredRow | None) -> bool:
        """Whether the row read last is still as it was: the same row, or its bytes with a value erased since,
        which leave its leaf as it was."""
        last = self.last
        if head is None or last is None or head == last:
            return head == last
        if head._replace(body=last.body) != last or self.index(last.position) != self.count - 1:
            return False
        salting = store.salting(head.position - 1, head.position).get(head.position, NONE)
        return leaf_hash(leaf_data(head.body, salting)) == self._leaves.at(len(self._leaves) - 1)

    def _against_signed(self) -> list[Break]:
        """Each log that does not begin with the last checkpoint signed of it (a record changed, or another one
        restored, since): found by a start before anything is written or signed from the record."""
        found = []
        for log in self._logs.values():
            last = self._signed.get(log.name)
            if last is None or not last[0]:
                continue
            size = self.size(log.viewer)
            if size >= last[0] and log.tree.root(last[0]) == last[1]:
                continue
            entry = self._lookup.id_at(self.logs.orders[log.viewer][min(size, last[0]) - 1]) if size else ""
            why = ("it was built again from the record at this start, and a log never changes its past"
                   if log.name in self.built else "the record was changed since")
            found.append(Break(self.position(self.logs.orders[log.viewer][min(size, last[0]) - 1]) if size else 0,
                               entry, f"{log.name}'s log does not begin with the checkpoint of {last[0]} entries "
                                      f"signed of it: {why}", log=log.name))
        return found

    def _prepare(self, store: Store) -> None:
        if id(store) not in self._prepared:
            with store._writing() as cur:
                kept.prepare(cur, store.postgres)
            self._prepared.add(id(store))
        with store._reading() as cur:
            self._signed = kept.signed(cur)
        position = store.position()
        for name, (size, _) in self._signed.items():
            if name == str(SECRETARIAT) and size > position:
                self._add_breaks([Break(position, "", f"the record holds {position} entries, fewer than the {size} "
                                                      "of the last checkpoint signed: entries were cut")])

    def _resume(self, store: Store, *, whole: bool) -> None:
        """Start from the state an earlier process kept, once the record is checked against it: as many
        entries, in the same order and under the same ids, and the chain's hash at its position.  ``whole``:
        only take the leaves it kept, to compare."""
        found = store.snapshot(kept.NAME)
        if found is not None and found[0] > store.position():
            self._add_breaks([Break(store.position(), "", f"the record holds {store.position()} entries, fewer "
                                                          f"than the {found[0]} checked before: entries were cut")])
            return
        loaded = kept.read(store, found)
        if loaded is None:
            return
        state, stands = loaded
        # The leaves kept after the last full tile: compared with the record's, whatever else stands.
        self._kept_tail = (state.position // TILE * TILE, state.tail)
        if whole or not stands:
            return
        position = state.position
        last, ids = store.ids_upto(position)
        digest = kept.ids_hash(ids)
        if last != position or len(ids) != position or digest.digest() != state.ids:
            return  # removed, reordered or renamed: checked whole, which names what differs
        tiled = position // TILE
        if len(state.tail) != (position - tiled * TILE) * LEAF or kept.counted(store, kept.SHARED, 0, tiled) != tiled:
            return
        breaks = list(self.breaks)
        self._base = self._kept_at = position
        self._lookup.resume(ids, digest)
        self._leaves.resume(tiled * TILE, state.tail)
        self._checker.resume(position, store.hash_at(position))
        by_name = {str(viewer): viewer for viewer in self._logs}
        # A log is the record seen as its viewer: one kept by the same code is resumed whatever else of the
        # union changed; a viewer new to the union has its log built, and all are built by other code.
        same = state.made_by == kept.logs_code()
        resumed = [log for log in state.logs if log.viewer in by_name] if same else []
        missing = [viewer for viewer in self._logs if str(viewer) not in {log.viewer for log in resumed}]
        self._changed = len(resumed) != len(state.logs) or bool(missing)
        if same:
            self.logs.resume(state.growth, {by_name[log.viewer]: Indices(log.order, log.size) for log in resumed})
        if missing:
            built = self._build(store, ids, missing)
            if built is None:  # an entry that cannot be read as one: checked whole, which names it
                self._reset()
                self.breaks, self._lookup.store, self._kept_tail = breaks, store, (position // TILE * TILE, state.tail)
                return
            if same:
                self.logs.viewers += missing
                self.logs.orders.update(built.orders)
            else:
                self.logs = built
            self.built = [str(viewer) for viewer in missing]
        with store._reading() as cur:
            for log in resumed:
                levels, counts = [], [0]
                for level, tail in enumerate(log.levels, start=1):
                    full = kept.tiles(cur, store, log.viewer, level)
                    levels.append(bytearray(b"".join(h for _, h in full)) + tail)
                    counts.append(len(full))
                made = self._new_log(by_name[log.viewer], levels)
                made.kept_tiles = counts
                self._logs[made.viewer] = made
            for viewer in missing:
                self._add_breaks(self._against_kept(cur, store, viewer))
        self._kept_trees = self._trees()
        if not self.hashed_elsewhere:  # else another process hashed them, just before this resumed from them
            self._verify_in_background(store, position)

    def _build(self, store: Store, ids: list[str], viewers: list[Viewer]) -> Logs | None:
        """The logs of ``viewers`` made from the entries ``ids`` names, up to their position (checked before, their
        leaves kept): none checked or hashed again, each read as ``stand_ins`` reads it; None if one cannot be read
        as the entry it was."""
        position = len(ids)
        built = Logs(viewers, self._lookup.locate, self._lookup.events_at)
        after = 0
        try:
            for events in stand_ins.entries(store, position, BATCH):
                if [event.id for event in events] != ids[after:after + len(events)]:
                    return None
                self._lookup.reading(dict(enumerate(events, start=after)))
                built.add(events)
                after += len(events)
        except msgspec.DecodeError:
            return None
        finally:
            self._lookup.reading({})
        return built if after == position else None

    def _against_kept(self, cur: Any, store: Store, viewer: Viewer) -> list[Break]:
        """A log built at this start against the tiles kept of it before (a viewer that left the union and came
        back, or a log made by other code): the full tiles are never rewritten, so one that differs is a log
        that would change its past, which is refused and said, not kept."""
        log = self._logs[viewer]
        log.tree.extend(self.size(viewer))
        for level, index, hashes in tiles(log.tree.levels):
            found = kept.tiles(cur, store, log.name, level, index)
            if found and found[0][0] == index and found[0][1] != hashes:
                return [Break(0, "", f"{log.name}'s log, built again from the record at this start, differs from "
                                     "the one kept of it before: a log never changes its past, so it is not kept",
                              log=log.name)]
        return []

    def _verify_in_background(self, store: Store, position: int) -> None:
        """Hash every entry's leaf up to ``position`` again from its bytes, as a thread: writes wait for it."""
        leaves = self._leaves  # the leaves as resumed (a start stopped part way makes new ones)

        def run() -> None:
            try:
                check()
            except Exception:  # the store closed under it: the next start checks again
                return

        def check() -> None:
            salts = store.salting(0, position)
            found = []
            self._hashing = Progress(time.monotonic(), 0, position)
            # A page of rows a query: a driver that fetches a whole result at once (psycopg) would otherwise hold
            # every entry's bytes, and leave the memory it let go of strewn among what the server keeps.
            index = after = 0
            while after < position:
                if self._stopping.is_set():
                    return
                with store._reading() as cur:
                    cur.execute(store._sql("SELECT position, id, body FROM events WHERE position > ? AND "
                                           "position <= ? ORDER BY position LIMIT ?"), (after, position, _PAGE))
                    rows = cur.fetchall()
                if not rows:
                    break
                kept_leaves = leaves.between(index, index + len(rows))
                for k, (p, entry, body) in enumerate(rows):
                    if leaf_hash(leaf_data(bytes(body), salts.get(int(p), NONE))) != kept_leaves[k * LEAF:
                                                                                              (k + 1) * LEAF]:
                        found.append(Break(int(p), entry, "its bytes are not those checked and kept as its "
                                                          "leaf: it was changed"))
                    index += 1
                after = int(rows[-1][0])
                self._hashing = Progress(self._hashing.began, index, position)
            if found:
                with self._lock:
                    self._add_breaks(found)
                    kept.forget(store)

        # A command checks before it goes on; a server (``write_wait`` set) serves reads meanwhile.
        if self.write_wait is None or os.environ.get("ENTENTE_LEDGER_FOREGROUND") or not position:
            check()
            return
        self._background = threading.Thread(target=run, name="ledger-verify", daemon=True)
        if not self.deferred:
            self._background.start()

    def check_kept(self) -> None:
        """Begin the background check a start deferred (``deferred``), if it has not begun."""
        with self._starting:  # two requests' writes may ask at once: the thread is started once
            background = self._background
            if background is not None and background.ident is None:
                background.start()

    def stop(self) -> None:
        """End the background check, if one runs (before the store it reads is closed)."""
        self._stopping.set()
        started = self._started
        if self._elsewhere() and started is not None:
            started.join()
        self.settle()
        self._stopping.clear()

    def settle(self, timeout: float | None = None) -> bool:
        """Wait for the background check of the kept entries; whether it is done."""
        self.check_kept()
        background = self._background
        if background is not None:
            background.join(timeout)
            if background.is_alive():
                return False
            self._background = None
        return True

    def keep(self, store: Store) -> None:
        """Keep the state checked so far in the store, so the next start checks only what comes after it."""
        with self._lock:
            if self.breaks or self.last is None or self.count != self.last.position:
                return  # a break, nothing read, or a row that is not an entry: nothing to resume from
            # The public's log hashed to its root and kept with the rest, so that a start resumes its tree: the
            # first read a restarted server answers names its version, which hashes the whole log otherwise.
            public = self._logs.get(PUBLIC)
            if public is not None:
                public.tree.extend(self.size(PUBLIC))
            if self._kept_at == self.count and not self._changed and self._trees() == self._kept_trees:
                return
            self._keep_tiles(store, write=True)
            full = self.count // TILE * TILE
            logs = [kept.Log(log.name, len(self.logs.orders[log.viewer]), self.logs.orders[log.viewer].packed(),
                             [bytes(hashes[len(hashes) // kept.FULL * kept.FULL:])
                              for hashes in log.tree.levels[1:]])
                    for log in self._logs.values()]
            kept.keep(store, kept.State(
                position=self.last.position, ids=self._lookup.ids_digest(),
                tail=self._leaves.between(full, len(self._leaves)),
                logs=logs, growth=self.logs.state(), made_by=kept.logs_code()))
            self._kept_at, self._changed, self._kept_trees = self.count, False, self._trees()

    def _trees(self) -> tuple[int, ...]:
        """How far each log's tree is worked out: a tree a checkpoint or a proof extended is kept so, else the
        next start works it out again from every leaf."""
        return tuple(len(hashes) for log in self._logs.values() for hashes in log.tree.levels)

    def _salts(self, store: Store, rows: list[StoredRow], salting: dict[int, Salting], *, write: bool
               ) -> dict[int, Salting]:
        """What each of ``rows`` needs beside its bytes for its leaf: as kept, or, for an entry with personal
        data kept without a salt (a record from before salts), a salt made now and kept."""
        missing = {row.position: os.urandom(SALT) for row in rows
                   if row.position not in salting and erasable(row.body)}
        if missing and write and not store.read_only:
            with store._writing() as cur:
                kept.put_salts(cur, store, missing)
            salting = {**salting, **store.salting(min(missing) - 1, max(missing))}  # another process's, if first
        return {**{p: Salting(s, {}) for p, s in missing.items()}, **salting}

    def _keep_tiles(self, store: Store, *, write: bool) -> None:
        """Compare the record's new leaves with the shared tiles the store holds, and write the full tiles
        new since (each viewer's too)."""
        done = len(self._leaves) // TILE
        first = self._leaves.stored // TILE
        with store._reading() as cur:
            stored = kept.tiles(cur, store, kept.SHARED, first)
        for index, hashes in stored:
            mine = self._leaves.between(index * TILE, (index + 1) * TILE)
            if mine != hashes[:len(mine)]:
                at = index * TILE + next(k for k in range(TILE) if mine[k * LEAF:(k + 1) * LEAF] != hashes[
                    k * LEAF:(k + 1) * LEAF])
                self._add_breaks([Break(self.position(at), self._lookup.id_at(at),
                                        "its leaf differs from the one kept: it was rewritten or reordered")])
                return
            if len(mine) < len(hashes):
                at = self.position(self.count - 1) + 1 if self.count else 1
                self._add_breaks([Break(at, "", "entries whose leaves were kept are no longer in the record: "
                                                "it was cut")])
                return
        first_kept, tail = self._kept_tail
        mine = self._leaves.between(first_kept, first_kept + len(tail) // LEAF)
        if tail and mine != tail[:len(mine)]:
            at = first_kept + next(k for k in range(len(mine) // LEAF)
                                   if mine[k * LEAF:(k + 1) * LEAF] != tail[k * LEAF:(k + 1) * LEAF])
            self._add_breaks([Break(self.position(at), self._lookup.id_at(at),
                                    "its leaf differs from the one kept: it was rewritten or reordered")])
            return
        if not write or store.read_only:
            return
        rows = [(kept.SHARED, 0, index, self._leaves.between(index * TILE, (index + 1) * TILE))
                for index in range(first, done)]
        for log in self._logs.values():
            for level, index, hashes in tiles(log.tree.levels):
                while len(log.kept_tiles) <= level:
                    log.kept_tiles.append(0)
                if index >= log.kept_tiles[level]:
                    rows.append((log.name, level, index, hashes))
        if rows:
            with store._writing() as cur:
                kept.put_tiles(cur, store, rows)
        for log in self._logs.values():
            log.kept_tiles = [0, *(len(h) // kept.FULL for h in log.tree.levels[1:])]
        self._leaves.kept_up_to(done * TILE)

    @staticmethod
    def _answers(store: Store) -> list[tuple[str, bytes]]:
        with store._reading() as cur:
            cur.execute("SELECT key, answer FROM idempotency")
            return [(key, bytes(answer)) for key, answer in cur.fetchall()]

    def _add_breaks(self, breaks: Iterable[Break]) -> None:
        self.breaks += [b for b in breaks if b not in self.breaks]

    # --- the entries read, numbered ----------------------------------------------------------------

    @property
    def count(self) -> int:
        """The entries read and numbered so far."""
        return self._lookup.count

    @property
    def _store(self) -> Store | None:
        return self._lookup.store

    def index(self, position: int) -> int | None:
        """The entry index (from 0) of the entry at record ``position``."""
        return self._lookup.index(position)

    def position(self, index: int) -> int:
        """The record position of entry ``index`` (from 0)."""
        return self._lookup.position(index)

    @property
    def held_leaves(self) -> int:
        """The leaf hashes this process holds: those after the last full tile the store keeps (the others are
        read from there when asked for)."""
        return len(self._leaves) - self._leaves.stored

    def leaf(self, index: int) -> bytes:
        return self._leaves.at(index)

    def _leaf_tiles(self, indices: Sequence[int]) -> list[tuple[int, bytes]]:
        """The record's full tiles of leaves at ``indices``, as the store the ledger reads keeps them."""
        store = self._lookup.store
        if store is None:
            raise LookupError("no store read yet")
        return kept.tiles_at(store, kept.SHARED, 0, indices)

    def log_positions(self, viewer: Viewer) -> list[int]:
        with self._lock:
            position = self._lookup.position
            return [position(index) for index in self.logs.orders[viewer]]

    def public_key(self) -> dict[str, str]:
        public = self.key.public_key()
        return {"key": keys.key_id(public), "public_key": keys.public_text(public),
                "verifier_key": checkpoints.verifier_key(self.union.id, public)}

    def viewers(self) -> list[Viewer]:
        with self._lock:
            return list(self._logs)

    # --- what a viewer asks of its log -----------------------------------------------------------

    def _log(self, viewer: Viewer) -> ViewerLog:
        if viewer not in self._logs:
            raise KeyError(f"no log of {viewer}")
        return self._logs[viewer]

    def size(self, viewer: Viewer) -> int:
        with self._lock:
            return len(self.logs.orders[self._log(viewer).viewer])

    def root(self, viewer: Viewer, size: int | None = None) -> bytes:
        with self._lock:
            log = self._log(viewer)
            return log.tree.root(self.size(viewer) if size is None else size)

    def checkpoint(self, viewer: Viewer) -> Checkpoint:
        """The viewer's log signed now; refused when it does not continue the last checkpoint signed of it."""
        self._signing()
        with self._lock:
            log, size = self._log(viewer), self.size(viewer)
            root = log.tree.root(size)
            last = self._signed.get(log.name)
            if last is not None:
                earlier, earlier_root = last
                if size < earlier or log.tree.root(earlier) != earlier_root:
                    raise CheckpointError(said("%(viewer)s's log of %(size)s entries does not continue the "
                                               "checkpoint of %(earlier)s signed before: not signed",
                                               viewer=str(viewer), size=size, earlier=earlier))
            if (last is None or size > last[0]) and self._store is not None and not self._store.read_only:
                with self._store._writing() as cur:
                    kept.put_signed(cur, self._store, log.name, size, root)
                self._signed[log.name] = (size, root)
            return checkpoints.sign(self.key, self.union.id, str(viewer), size, root)

    def version(self, viewer: Viewer) -> str | None:
        """The viewer's log signed now, as a read names the record it was read from (``checkpoints.version``),
        signed once for each size; None when the log does not continue the last checkpoint signed of it, or
        while a server's start check runs (nothing is signed of a log not yet checked, and a read does not wait)."""
        if self._elsewhere():
            return None
        with self._lock:
            size = self.size(viewer)
            held = self._versions.get(viewer)
            if held is not None and held[0] == size:
                return held[1]
            try:
                version = checkpoints.version(self.checkpoint(viewer))
            except CheckpointError:
                return None
            self._versions[viewer] = (size, version)
            return version

    def read_up_to(self) -> int:
        """The position of the last row read and checked (0: none)."""
        return self.last.position if self.last is not None else self._base

    def shown(self, viewer: Viewer, at: str | None = None) -> dict[str, tuple[int, int]]:
        """The entries ``viewer`` may see now (on day ``at``, when given), by id: their index in its log and
        their record position."""
        self._signing()
        with self._lock:
            assert self._store is not None
            events = [e for _, e in self._store.read(0)]
            now = {event.id for event in visible(events, viewer, at=at)}
            found: dict[str, tuple[int, int]] = {}
            for index, entry in enumerate(self.logs.orders[viewer]):
                event = events[entry] if entry < len(events) else None
                if event is None:
                    continue
                # A corrected entry is shown as its latest correction, which holds it as it now reads.
                shown_as = event.target if isinstance(event, EntryCorrected) else event.id
                if shown_as in now:
                    found[shown_as] = (index, self.position(entry))
            return found

    def proof(self, viewer: Viewer, entry: str, at: str | None = None) -> dict[str, Any] | None:
        """The inclusion proof of ``entry`` in ``viewer``'s log now; None when the viewer may not see it (on
        day ``at``, when given)."""
        with self._lock:
            found = self.shown(viewer, at).get(entry)
            if found is None:
                return None
            index, position = found
            assert self._store is not None
            row = self._store.rows_after(position - 1)[0]
            salting = self._store.salting(position - 1, position).get(position, NONE)
            size = self.size(viewer)
            tree = self._log(viewer).tree
            data = leaf_data(row.body, salting)
            salted = data != row.body
            return {"entry": entry, "index": index, "entry_bytes": row.body.decode(),
                    "leaf_bytes": data.decode(), "salt": salting.salt.hex() if salted and salting.salt else None,
                    "digests": dict(salting.digests) if salted and salting.digests else None,
                    "leaf_hash": leaf_hash(data).hex(),
                    "audit_path": [h.hex() for h in tree.inclusion(index, size)],
                    "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def consistency(self, viewer: Viewer, prior: int) -> dict[str, Any] | None:
        self._signing()
        with self._lock:
            size = self.size(viewer)
            if not 0 < prior <= size:
                return None
            tree = self._log(viewer).tree
            return {"prior_size": prior, "consistency_path": [h.hex() for h in tree.consistency(prior, size)],
                    "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def viewer_breaks(self, viewer: Viewer) -> list[Break]:
        with self._lock:
            if viewer.kind == "secretariat":
                return list(self.breaks)
            mine = set(self.log_positions(viewer))
            return [b for b in self.breaks if b.log == str(viewer) or (b.log is None and b.position in mine)]

    def broken_for(self, viewer: Viewer) -> str | None:
        """Why writes are refused, as ``viewer`` may hear it: the details are the secretariat's.  While the
        record is being checked, a write waits for it (a server's, ``write_wait`` seconds at most, then
        ``Checking`` says how long to wait)."""
        self.ready(self.write_wait)
        with self._lock:
            if not self.breaks:
                return None
            if viewer.kind == "secretariat":
                more = f" (and {len(self.breaks) - 1} more)" if len(self.breaks) > 1 else ""
                return f"the record is broken: {self.breaks[0]}{more}"
            return "the record failed its integrity check; writes are refused until the secretariat restores it"

    def problems(self, viewer: Viewer, kept: Checkpoint | Legacy | None = None, where: str = "") -> list[str]:
        with self._lock:
            found = [str(b) if viewer.kind == "secretariat" else b.reason for b in self.viewer_breaks(viewer)]
            differs = None if kept is None else self.against(viewer, kept, where)
            return ([differs] if differs else []) + found

    def against(self, viewer: Viewer, kept: Checkpoint | Legacy, where: str) -> str | None:
        """Why ``viewer``'s log now is not a continuation of the kept checkpoint; None when it is."""
        with self._lock:
            if kept.viewer != str(viewer):
                raise CheckpointError(said("%(file)s: a checkpoint of %(kept)s's log, not of %(viewer)s's", file=where,
                                           kept=kept.viewer, viewer=str(viewer)))
            checkpoints.check(kept, self.key.public_key(), where)
            size = self.size(viewer)
            mine = self.viewer_breaks(viewer)
            named = [b for b in mine if b.log == str(viewer)] or mine
            first = f": the first that differs is {self._describe(viewer, named[0])}" if named else ""
            if kept.size > size:
                return (f"{viewer}'s log holds {size} entries, fewer than the {kept.size} of the checkpoint: "
                        f"entries were cut{first}")
            if kept.size == 0:
                return None
            root = self.legacy_root(viewer, kept.size) if isinstance(kept, Legacy) else self.root(viewer, kept.size)
            signed = self._signed.get(str(viewer))
            if signed is not None and signed[0] == kept.size and signed[1].hex() != kept.root:
                # Both signed with this store's key: one log shown with two histories, to different readers.
                return (f"split view: {viewer}'s log was signed as two different trees of {kept.size} entries, "
                        f"root {kept.root} in {where} and {signed[1].hex()} as signed last{first}")
            if root.hex() != kept.root:
                return f"{viewer}'s first {kept.size} entries are not those of the checkpoint{first}"
            return None

    def legacy_root(self, viewer: Viewer, size: int) -> bytes:
        """The root of the viewer's first ``size`` entries with leaves as they were hashed before salted
        leaves: each entry's bytes as they are."""
        assert self._store is not None
        bodies = {row.position: row.body for row in self._store.rows_after(0)}
        order = self.logs.orders[viewer]
        leaves = b"".join(leaf_hash(bodies.get(self.position(i), b"")) for i in order.between(0, size))
        return Tree(lambda start, end: leaves[start * WIDTH:end * WIDTH]).root(size)

    def _describe(self, viewer: Viewer, broken: Break) -> str:
        if viewer.kind == "secretariat" or broken.entry in self.shown(viewer):
            return f"entry {broken.entry!r}"
        return "an entry no longer shown to you"

