"""The record's leaf hashes, in record order: those of the store's full tiles read from there when asked for, the
others held.

Every leaf up to the last full tile the store holds is kept there (``kept.py``), and those tiles never change,
so a process need not hold them too: 32 bytes an entry, as much as the record's id list and the viewers' logs
together.  What asks for leaves asks for few at a time, near one another: a viewer's block of 256 leaves as its
tree grows (a start resumes every tree as kept), a proof's partial block, a page of rows hashed again; each is a
query for the tiles it touches, the last few kept at hand.  The leaves after the last tile the store holds
(those of a batch just checked, a start's check before it writes its tiles, a store that cannot be written) are
held here until it does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from entente.ledger.kept import FULL
from entente.ledger.leaves import LEAF
from entente.ledger.tree import TILE

_AT_HAND = 16  # tiles read last, kept: the trees of every viewer ask for the same few in turn
_KEPT_READ = 4  # tiles a read may take at most to be kept: a longer one (a page hashed again) passes through

# The full tiles of the given indices, as the store holds them: (index, its 256 leaves), in any order.
Read = Callable[[Sequence[int]], Iterable[tuple[int, bytes]]]


class RecordLeaves:
    """Every leaf of the record read so far: ``stored`` of them in the store's tiles, the rest held."""

    def __init__(self, read: Read | None = None) -> None:
        self._read = read
        self.stored = 0  # the leaves the store's full tiles hold and this process read or wrote (whole tiles)
        self._held = bytearray()  # the leaves after those
        self._at_hand: OrderedDict[int, bytes] = OrderedDict()
        # The kept entries are hashed again on a thread of their own, which compares them with these leaves
        # while the record's reads may add some.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.stored + len(self._held) // LEAF

    def append(self, leaf: bytes) -> None:
        with self._lock:
            self._held += leaf

    def resume(self, stored: int, tail: bytes) -> None:
        """Begin from ``stored`` leaves kept in the store's tiles (whole tiles), with ``tail`` after them."""
        with self._lock:
            self.stored, self._held, self._at_hand = stored, bytearray(tail), OrderedDict()

    def kept_up_to(self, count: int) -> None:
        """The store now holds the full tiles of the first ``count`` leaves (a multiple of 256), as these are:
        those held among them are let go of."""
        with self._lock:
            if count > self.stored:
                # A new array, not the old one cut: cutting from the front keeps the whole block allocated.
                self._held = self._held[(count - self.stored) * LEAF:]
                self.stored = count

    def at(self, index: int) -> bytes:
        return self.between(index, index + 1)

    def between(self, start: int, end: int) -> bytes:
        """The leaves from ``start`` up to ``end`` (not included), joined."""
        with self._lock:
            return self._between(start, end)

    def _between(self, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        if start >= self.stored:
            return bytes(self._held[(start - self.stored) * LEAF:(end - self.stored) * LEAF])
        last = min(end, self.stored)
        wanted = range(start // TILE, (last - 1) // TILE + 1)
        tiles = self._tiles(wanted)
        first = wanted[0] * TILE
        found = b"".join(map(tiles.__getitem__, wanted))[(start - first) * LEAF:(last - first) * LEAF]
        return found + bytes(self._held[:(end - self.stored) * LEAF]) if end > self.stored else found

    def picked(self, indices: Sequence[int]) -> bytes:
        """The leaves at ``indices`` (a viewer's log's record indices), joined in that order."""
        with self._lock:
            return self._picked(indices)

    def _picked(self, indices: Sequence[int]) -> bytes:
        stored, held = self.stored, self._held
        if not stored:  # all held: a start's check, or a store not written
            return b"".join(held[i * LEAF:(i + 1) * LEAF] for i in indices)
        tiles = self._tiles(sorted({i // TILE for i in indices if i < stored}))
        return b"".join(tiles[i // TILE][i % TILE * LEAF:(i % TILE + 1) * LEAF] if i < stored
                        else held[(i - stored) * LEAF:(i - stored + 1) * LEAF] for i in indices)

    def _tiles(self, wanted: Iterable[int]) -> dict[int, bytes]:
        """The store's full tiles of ``wanted`` (indices), from those at hand where they are."""
        at_hand = self._at_hand
        found = {i: at_hand[i] for i in wanted if i in at_hand}
        missing = [i for i in wanted if i not in found]
        if missing:
            if self._read is None:
                raise LookupError("the record's leaves are kept in a store this ledger does not read")
            read = dict(self._read(missing))
            if len(read) != len(missing) or any(len(read[i]) != FULL for i in missing):
                raise LookupError("a tile of the record's leaves is missing from the store")
            found.update(read)
            if len(read) <= _KEPT_READ:
                at_hand.update(read)
        for i in found:
            if i in at_hand:
                at_hand.move_to_end(i)
        while len(at_hand) > _AT_HAND:
            at_hand.popitem(last=False)
        return found
