"""The record's rows checked one by one: each break found, not only the first.

A row breaks when its hash does not follow from the row before it (changed,
removed or reordered), when its position does not follow, when its bytes are
not an entry, when a column says something the hashed entry does not (its
id, kind, version, dates, record time), or when its entry is recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import msgspec

from entente.record import chain
from entente.record.salted import NONE, Salting, hashed
from entente.record.store import StoredRow
from entente.vocabulary import dates
from entente.vocabulary.events import AnyEvent, Event, kind_of

decoder = msgspec.json.Decoder(AnyEvent)


class Break(NamedTuple):
    position: int
    entry: str  # the entry's id as its hashed bytes say, or as its row says when they cannot be read
    reason: str
    log: str | None = None  # the viewer whose log showed it, for a break found by comparing a log

    def __str__(self) -> str:
        return f"entry {self.entry!r} at position {self.position}: {self.reason}"


class Consecutive(Mapping[int, Event]):
    """Entries by position, ``events`` at the positions from ``first`` on: those a load just appended."""

    def __init__(self, first: int, events: Sequence[Event]) -> None:
        self.first, self.events = first, events

    def __getitem__(self, position: int) -> Event:
        if not 0 <= position - self.first < len(self.events):
            raise KeyError(position)
        return self.events[position - self.first]

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.first, self.first + len(self.events)))

    def __len__(self) -> int:
        return len(self.events)


# Those of ``names`` that rows up to ``position`` are recorded under: asked of the store.
Recorded = Callable[[list[str], int], set[str]]


class Checker:
    """Checks rows in order, carrying what each check needs from the rows before.

    Whether an entry is recorded twice is found among the ids of the rows checked since ``forget`` was last
    called, held as they are checked, and, given ``recorded``, among the rows before those, asked of the
    store: a process that holds the record does not hold every id a second time in a set."""

    def __init__(self, recorded: Recorded | None = None) -> None:
        self.previous_hash = chain.GENESIS
        self.position = 0
        self.ids: set[str] = set()  # the ids of the rows checked after position ``base``
        self.base = 0
        self._recorded = recorded

    def resume(self, position: int, previous_hash: str) -> None:
        """Carry on after rows checked earlier (by another process): the last one's position and hash; their ids
        are asked of the store."""
        self.position, self.previous_hash = position, previous_hash
        self.forget()

    def forget(self) -> None:
        """Let go of the ids checked so far, if the store can be asked for them instead."""
        if self._recorded is not None:
            self.base, self.ids = self.position, set()

    def check(self, rows: Iterable[StoredRow], salting: Mapping[int, Salting] | None = None,
              decoded: Mapping[int, Event] | None = None) -> tuple[list[Event | None], list[Break]]:
        """The decoded entry of each row (None where its bytes are not an entry) and the breaks found;
        ``salting``: what each row's hashed data needs beside its bytes, by position; ``decoded``: entries
        this process decoded from the very bytes it appended, by position, not decoded again."""
        salting = salting or {}
        decoded = decoded or {}
        rows = list(rows)
        entries = [_entry(row, decoded.get(row.position)) for row in rows]
        names = [event.id if event is not None else row.id for row, (event, _) in zip(rows, entries, strict=True)]
        earlier = self._recorded(names, self.base) if self._recorded is not None and self.base else set()
        events: list[Event | None] = []
        breaks: list[Break] = []
        for row, (event, problems), name in zip(rows, entries, names, strict=True):
            if row.position != self.position + 1:
                # Said without positions: a party hears this of its own entries, and positions count every entry.
                problems.insert(0, "the entry recorded before it is missing: entries were removed or reordered")
            if chain.link(self.previous_hash, hashed(row.body, salting.get(row.position, NONE))) != row.hash:
                problems.append("its hash does not follow from the entry before it: "
                                "it or an earlier entry was changed, removed or reordered")
            if name in self.ids or name in earlier:
                problems.append("it is recorded twice")
            breaks += [Break(row.position, name, p) for p in problems]
            self.ids.add(name)
            self.previous_hash, self.position = row.hash, row.position
            events.append(event)
        return events, breaks


def kept_answers(answers: Iterable[tuple[str, bytes]], recorded: Callable[[list[str]], set[str]]) -> list[Break]:
    """Answers kept for retried writes whose entry the record no longer holds: a write that was acknowledged, lost.
    ``recorded``: those of the ids named that the record holds (asked once, for all of them)."""
    named: list[tuple[str, str | None]] = []  # each answer's key and the id it names (None: not an answer)
    for key, answer in answers:
        try:
            named.append((key, msgspec.json.decode(answer)["event"]["id"]))
        except (msgspec.DecodeError, KeyError, TypeError):
            named.append((key, None))
    held = recorded([entry for _, entry in named if entry is not None]) if named else set()
    return [Break(0, key, "the answer kept for this retry key is not an answer") if entry is None else
            Break(0, entry, f"the write answered under retry key {key!r} is no longer in the record")
            for key, entry in named if entry not in held]


def stored_row(position: int, body: bytes, hash: str) -> StoredRow:
    """A row as the store writes it, every column derived from the entry's bytes (which must be an entry)."""
    event = decoder.decode(body)
    start, end = dates.bounds(event.date)
    return StoredRow(position, event.id, kind_of(event), type(event).version, start, end, event.recorded or "",
                     body, hash)


_COLUMNS = ("id", "kind", "version", "valid_start", "valid_end", "recorded")


def _entry(row: StoredRow, known: Event | None = None) -> tuple[Event | None, list[str]]:
    """The row's entry (``known``, when this process decoded it from the row's bytes already), and where its
    columns disagree with it."""
    if known is not None and known.id == row.id:
        event = known
    else:
        try:
            event = decoder.decode(row.body)
        except msgspec.DecodeError as exc:
            return None, [f"its bytes are not an entry: {exc}"]
    start, end = dates.bounds(event.date)
    said = (event.id, kind_of(event), type(event).version, start, end, event.recorded)
    if said == row[1:7]:  # the columns, in the order of ``_COLUMNS``: most rows, compared at once
        return event, []
    return event, [f"the {column} column says {getattr(row, column)!r}, the hashed entry {value!r}"
                   for column, value in zip(_COLUMNS, said, strict=True) if getattr(row, column) != value]
