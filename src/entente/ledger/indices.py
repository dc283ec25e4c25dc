"""A viewer's log as record indices: compact, and those an earlier process kept unpacked only when read.

A start resumes 32 or more logs of up to the record's length each; most
entries after it only append to them, so the indices kept stay packed until
something reads the log whole (its tree, a proof, a revealing entry).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator

_TYPE = "I"  # unsigned 32-bit: a record of up to four billion entries


class Indices:
    """Record indices in log order: the packed ones kept earlier, then those appended since."""

    def __init__(self, packed: bytes = b"", size: int = 0) -> None:
        self._packed: bytes | None = packed if size else None  # the kept indices, compressed, until unpacked
        self._head = array(_TYPE)  # the kept indices once unpacked, and every one appended after that
        self._size = size  # how many are kept packed, or in _head once unpacked
        self._added = array(_TYPE)  # appended while the kept ones are still packed

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

    def since(self, start: int) -> list[int]:
        """The indices from log position ``start`` on (without unpacking the kept ones when after them)."""
        if start >= self._size:
            return list(self._added[start - self._size:])
        return list(self.whole()[start:])

    def whole(self) -> array[int]:
        if self._packed is not None:
            self._head.frombytes(zlib.decompress(self._packed))
            self._head += self._added
            self._packed, self._size, self._added = None, len(self._head), array(_TYPE)
        return self._head

    def packed(self) -> bytes:
        if self._packed is not None and not self._added:
            return self._packed
        return zlib.compress(self.whole().tobytes(), 1)
