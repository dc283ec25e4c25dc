"""A sequence that a new version extends without copying it: versions share every chunk but the one changed.

A service holds each viewer's record, and a write makes a new version of it
while readers may still be reading the old one.  Copying a list of a million
entries costs tens of milliseconds (each entry's count of references is
touched); a ``Chunked`` sequence copies only the chunk an entry goes into, and
the list of chunks.  It is never changed once made.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, islice
from typing import TypeVar, overload

T = TypeVar("T")

SIZE = 2048  # entries a chunk holds when made; one grows to twice that by insertions before it is split


class Chunked(Sequence[T]):
    __slots__ = ("_chunks", "_ends")

    def __init__(self, items: Iterable[T] = ()) -> None:
        whole = list(items)
        self._chunks: list[list[T]] = [whole[i:i + SIZE] for i in range(0, len(whole), SIZE)]
        self._ends: list[int] = list(accumulate(map(len, self._chunks)))

    @classmethod
    def of(cls, items: Sequence[T]) -> Chunked[T]:
        """``items`` as a chunked sequence: itself if it is one already (it is never changed)."""
        return items if isinstance(items, Chunked) else cls(items)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                if start >= stop:
                    return []
                c = bisect_right(self._ends, start)  # from the chunk it starts in, not from the first
                skip = start - (self._ends[c - 1] if c else 0)
                return list(islice(chain.from_iterable(self._chunks[c:]), skip, skip + stop - start))
            return list(self)[index]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("index out of range")
        c = bisect_right(self._ends, index)
        return self._chunks[c][index - (self._ends[c - 1] if c else 0)]

    def __iter__(self) -> Iterator[T]:
        return chain.from_iterable(self._chunks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Chunked({list(self)!r})"

    def inserted(self, at: int, item: T) -> Chunked[T]:
        """A new version with ``item`` at index ``at`` (``len(self)``: at the end)."""
        new: Chunked[T] = Chunked.__new__(Chunked)
        chunks = list(self._chunks)
        if not chunks or (at == len(self) and len(chunks[-1]) >= SIZE):
            chunks.append([item])
        else:
            c = min(bisect_right(self._ends, at - 1) if at else 0, len(chunks) - 1)
            chunk = list(chunks[c])
            chunk.insert(at - (self._ends[c - 1] if c else 0), item)
            chunks[c:c + 1] = [chunk[:SIZE], chunk[SIZE:]] if len(chunk) >= 2 * SIZE else [chunk]
        new._chunks = chunks
        new._ends = list(accumulate(map(len, chunks)))
        return new

    def appended(self, items: Iterable[T]) -> Chunked[T]:
        """A new version with ``items`` after the rest: the last chunk is copied and filled, then new ones made."""
        more = list(items)
        if not more:
            return self
        chunks = list(self._chunks)
        tail = [*chunks.pop(), *more] if chunks and len(chunks[-1]) < SIZE else more
        chunks += [tail[i:i + SIZE] for i in range(0, len(tail), SIZE)]
        new: Chunked[T] = Chunked.__new__(Chunked)
        new._chunks = chunks
        new._ends = list(accumulate(map(len, chunks)))
        return new
