"""A viewer's log as record indices: compact, and those an earlier process kept unpacked only when read.

A start resumes 32 or more logs of up to the record's length each; most
entries after it only append to them, so the indices kept stay packed until
something reads the log whole (its tree, a proof, a revealing entry).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain
from operator import sub

_TYPE = "I"  # unsigned 32-bit: a record of up to four billion entries
_DELTA = "i"  # signed 32-bit: an entry revealed later comes after later ones


class Indices:
    """Record indices in log order: the packed ones kept earlier, then those appended since."""

    def __init__(self, packed: bytes = b"", size: int = 0) -> None:
        self._packed: bytes | None = packed if size else None  # the kept indices, compressed, until unpacked
        self._head = array(_TYPE)  # the kept indices once unpacked, and every one appended after that
        self._size = size  # how many are kept packed, or in _head once unpacked
        self._added = array(_TYPE)  # appended while the kept ones are still packed
        # The first ``_segmented`` indices as packed last, so packing again compresses only what came after.
        self._segments, self._segmented = (packed, size) if size else (b"", 0)

    def __len__(self) -> int:
        return self._size + len(self._added)

    def __getitem__(self, index: int) -> int:
        if index >= self._size:
            return self._added[index - self._size]
        return self.whole()[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self.whole())

    def append(self, index: int) -> None:
        (self._head if self._packed is None else self._added).append(index)
        if self._packed is None:
            self._size += 1

    def extend(self, indices: Iterable[int]) -> None:
        before = len(self._added) if self._packed is not None else len(self._head)
        (self._head if self._packed is None else self._added).extend(indices)
        if self._packed is None:
            self._size += len(self._head) - before

    def since(self, start: int) -> list[int]:
        """The indices from log position ``start`` on (without unpacking the kept ones when after them)."""
        if start >= self._size:
            return list(self._added[start - self._size:])
        return list(self.whole()[start:])

    def between(self, start: int, end: int) -> list[int]:
        """The indices from log position ``start`` up to ``end`` (not included)."""
        if start >= self._size:
            return list(self._added[start - self._size:end - self._size])
        return list(self.whole()[start:end])

    def whole(self) -> array[int]:
        if self._packed is not None:
            self._head.extend(unpack(self._packed))
            self._head += self._added
            self._packed, self._size, self._added = None, len(self._head), array(_TYPE)
        return self._head

    def packed(self) -> bytes:
        """The indices compressed: those packed before as they were, then the ones after them as a segment of
        their own, so keeping a log costs what it grew by."""
        new = self._head[self._segmented:] if self._packed is None else self._added[self._segmented - self._size:]
        if new:
            self._segments += _segment(new)
            self._segmented += len(new)
        return self._segments


def _segment(indices: array[int]) -> bytes:
    # Each index as its difference from the one before (the first from 0): a log holds mostly consecutive
    # entries, so the differences are mostly 1 and compress to a few bytes per thousand entries.
    deltas = array(_DELTA, map(sub, indices, chain((0,), indices)))  # at C speed: no Python step an index
    return zlib.compress(deltas.tobytes(), 6)


def unpack(packed: bytes) -> Iterator[int]:
    """The indices of ``packed``: one compressed segment after another, each counted from 0."""
    while packed:
        segment = zlib.decompressobj()
        deltas = array(_DELTA)
        deltas.frombytes(segment.decompress(packed))
        yield from accumulate(deltas)
        packed = segment.unused_data
