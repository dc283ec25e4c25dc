"""Entries read from the store with their positions: a sequence of (position, event) pairs, held as two lists.

A record read whole is a million entries; a pair made for each is a million
tuples more to make, and to be walked once by the cyclic collector (a tuple is
watched by it until a collection finds it holds nothing it watches), for
positions that follow one another and that most readers drop.  Here the
events are one list and the positions beside them a ``range`` where they
follow one another; a pair is made only when read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import overload

from entente.sequences import ListLike
from entente.vocabulary.events import Event


class Positioned(ListLike, Sequence[tuple[int, Event]]):
    """(position, event) pairs: ``events`` in order, ``positions`` beside them.  Never changed once made."""

    __slots__ = ("events", "positions")

    def __init__(self, positions: Sequence[int] = range(0), events: Sequence[Event] = ()) -> None:
        if len(positions) != len(events):
            raise ValueError(f"{len(positions)} positions for {len(events)} events")
        self.positions = positions
        self.events = events if isinstance(events, list) else list(events)

    @classmethod
    def joined(cls, parts: Sequence[Positioned]) -> Positioned:
        """The parts one after another: their positions a range still where each follows the one before."""
        if len(parts) == 1:
            return parts[0]
        events = [e for part in parts for e in part.events] if parts else []
        ranges = [p.positions for p in parts if p.positions]
        if all(isinstance(r, range) and r.step == 1 for r in ranges) and \
                all(a[-1] + 1 == b[0] for a, b in pairwise(ranges)):
            return cls(range(ranges[0][0], ranges[-1][-1] + 1) if ranges else range(0), events)
        return cls([p for part in parts for p in part.positions], events)

    def __len__(self) -> int:
        return len(self.events)

    @overload
    def __getitem__(self, index: int) -> tuple[int, Event]: ...

    @overload
    def __getitem__(self, index: slice) -> Positioned: ...

    def __getitem__(self, index: int | slice) -> tuple[int, Event] | Positioned:
        if isinstance(index, slice):
            return Positioned(self.positions[index], self.events[index])
        return self.positions[index], self.events[index]

    def __iter__(self) -> Iterator[tuple[int, Event]]:
        return zip(self.positions, self.events, strict=True)

    def __repr__(self) -> str:
        return f"Positioned({list(self)!r})"
