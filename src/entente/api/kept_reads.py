"""Reads a server answered, kept in the store when it stops, so the next server answers them while it takes up
the record.

A server notes each read it answers: the viewer, the path and query, the view it was computed from (a ``Seen``,
never changed once made) and the bytes sent.  When it stops, with the record caught up, it keeps those whose
viewer still holds that very view, as one row of the snapshots table, stamped as a kept answer is: the code
(every module), the union's files, the record's position and the chain's hash there, and the day (a read of
"today" is of that day).  A read answered on another day is not kept.  The next server reads that row before it
begins, and while it takes up the record it answers a read from it only if the stamp matches its code, files
and day, and the store is still at the position kept: whatever was recorded since, from wherever, makes every
kept read wait for the record like any other.  When that server stops in turn with nothing recorded, the reads
it answered from the row are kept again beside those it computed.  Each is kept under the viewer its token
resolves to, so a viewer is answered only with what was computed for it.  Dropped with the other kept answers
by an erasure.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from datetime import date
from pathlib import Path

import msgspec

from entente.record import Store
from entente.secretariat import answers, snapshots
from entente.secretariat.clearance import Viewer
from entente.secretariat.projections import Seen
from entente.secretariat.service import Secretariat

NAME = f"{answers.PREFIX}of the API"  # under the prefix an erasure drops
_MOST = 256  # reads noted, the latest
_LARGEST = 16 * 1024 * 1024  # a larger answer (the findings of a long record) is computed again
_ALL = 64 * 1024 * 1024  # noted and kept at most, all reads together

Key = tuple[str, str, str]  # (viewer, path, query)


class Read(msgspec.Struct, array_like=True, frozen=True):
    """One read as it was answered."""

    viewer: str
    path: str
    query: str
    etag: str
    media_type: str
    body: bytes
    version: str | None = None  # the version of the record the body names (its header), if its log was signed


class _Noted(msgspec.Struct, frozen=True):
    read: Read
    viewer: Viewer
    at: str | None
    seen: weakref.ref[Seen]  # not held here: a view the viewer no longer holds is let go, and not kept
    day: str  # the day it was answered on


def _stamp(store: Store, union_folder: str | Path, position: int, today: date) -> str:
    return (f"reads {answers.code_version()} {snapshots.versions(str(union_folder))} "
            f"chain {store.hash_at(position)} today {today.isoformat()}")


class KeptReads:
    """The reads a server answered (to keep when it stops), and those the last one kept (to answer meanwhile, and
    to keep again while nothing is recorded)."""

    def __init__(self, store: Store, union_folder: Path) -> None:
        self._noted: OrderedDict[Key, _Noted] = OrderedDict()
        self._size = 0  # the bytes of the reads noted
        self._lock = threading.Lock()
        self._kept: dict[Key, Read] = {}
        self._position = -1
        found = store.snapshot(NAME)
        if found is not None and found[1] == _stamp(store, union_folder, found[0], date.today()):
            self._position = found[0]
            self._kept = {(r.viewer, r.path, r.query): r for r in msgspec.msgpack.decode(found[2], type=list[Read])}
        self._day = date.today()

    def answer(self, store: Store, viewer: Viewer, path: str, query: str) -> Read | None:
        """The read kept for this question, if the store is still at the position it was kept at, on its day."""
        read = self._kept.get((str(viewer), path, query))
        if read is None or date.today() != self._day:
            return None
        if store.position() != self._position:
            self._kept = {}  # never to be answered again: let go
            return None
        return read

    def note(self, viewer: Viewer, at: str | None, seen: Seen, read: Read) -> None:
        """A read answered from ``seen``: kept when the server stops, if the viewer still holds ``seen``."""
        if len(read.body) > _LARGEST:
            return
        key = (read.viewer, read.path, read.query)
        with self._lock:
            if (earlier := self._noted.pop(key, None)) is not None:
                self._size -= len(earlier.read.body)
            self._noted[key] = _Noted(read, viewer, at, weakref.ref(seen), date.today().isoformat())
            self._size += len(read.body)
            while len(self._noted) > _MOST or self._size > _ALL:
                self._size -= len(self._noted.popitem(last=False)[1].read.body)

    def keep(self, secretariat: Secretariat) -> None:
        """Keep the reads whose view is still the viewer's on the record as held (caught up just before)."""
        store, today = secretariat.store, date.today()
        position = secretariat.projections.position
        kept: list[Read] = []
        with self._lock:
            noted = list(self._noted.values())
        for n in noted:
            seen = n.seen()
            if seen is None or n.day != today.isoformat() or secretariat.held_now(n.viewer, n.at) is not seen:
                continue
            kept.append(n.read)
        if position == self._position and today == self._day:
            # Nothing recorded since the last server kept its reads: those not asked again here stand too.
            asked = {(r.viewer, r.path, r.query) for r in kept}
            kept += [r for key, r in self._kept.items() if key not in asked]
        if kept:
            store.keep_snapshot(NAME, position, _stamp(store, secretariat.union.folder, position, today),
                               msgspec.msgpack.encode(kept))
