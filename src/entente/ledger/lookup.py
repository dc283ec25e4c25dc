"""What the logs ask of the record while they grow: the entries they hold, by index or by id, and the rows to read.

The ledger numbers the entries it has read from 0, in record order; ``Lookup`` holds that numbering (each
entry's record position, and a digest of their ids in order: the ids themselves are the store's, asked for
when needed, and a server holds the record's already) and answers, for the rows being read, what the logs
and the row checks ask of the entries before them: the index of the entry recorded under an id (an act names
the entry it classifies, corrects or retracts), the entries at some indices, and which ids were recorded up
to a position.  Entries in hand (the batch being read, those this process decoded as it wrote them) are not
read again; the others are read from the store a few hundred a query.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import msgspec

from entente.ledger.integrity import decoder
from entente.record import Store
from entente.vocabulary.events import ClassificationAmended, EntryCorrected, EntryRetracted, Event

_ACT_KINDS = ("entry_corrected", "entry_retracted")
_NAMING = ClassificationAmended | EntryCorrected | EntryRetracted  # the entries that name an earlier one


def rows_in(store: Store, query: str, values: Sequence[Any], before: Sequence[Any] = ()) -> Iterator[Any]:
    """The rows of ``query``, its ``IN (%s)`` filled with ``values``, a few hundred values a query (after the
    parameters ``before``); each query's rows fetched before they are given, so no connection is held meanwhile."""
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        with store._reading() as cur:
            cur.execute(store._sql(query % ", ".join("?" * len(chunk))), [*before, *chunk])
            rows = cur.fetchall()
        yield from rows


class Lookup:
    """The entries read so far, numbered from 0, and what the logs ask of them while a batch of rows is read."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self.count = 0  # the entries numbered
        self.last_id = ""  # the id of the last of them
        self._ids: hashlib._Hash = hashlib.sha256()  # every id in record order, each then a newline
        self._numbered = 0  # the entries before it are at positions 1, 2, ... (as a kept state says)
        self._positions: list[int] = []  # the positions of the entries after those
        self.decoded: Mapping[int, Event] = {}  # entries decoded already by this process, by position
        self._batch: dict[int, Event] = {}  # the entries of the rows being read, by index
        self._batch_ids: dict[str, int] | None = None  # their indices by id, made at the batch's first look-up
        self._named: dict[str, tuple[int, str]] | None = None  # earlier entries the batch names: position, kind
        self._named_at: dict[int, bytes] = {}  # and their bodies by position

    @property
    def numbered(self) -> int:
        """The entries at positions 1, 2, ... as a kept state said (0: none resumed)."""
        return self._numbered

    def resume(self, ids: list[str], digest: hashlib._Hash) -> None:
        """Begin from the entries a kept state holds: ``ids``, at positions 1, 2, ..., whose ``kept.ids_hash`` is
        ``digest`` (carried on with the ids that follow)."""
        self.count = self._numbered = len(ids)
        self.last_id = ids[-1] if ids else ""
        self._ids, self._positions = digest, []

    def extend(self, ids: Sequence[str], positions: Sequence[int]) -> None:
        """The entries read next: their ids and record positions, in record order."""
        if ids:
            self._ids.update(("\n".join(ids) + "\n").encode())
            self.count, self.last_id = self.count + len(ids), ids[-1]
        self._positions += positions

    def ids_digest(self) -> bytes:
        """SHA-256 of every entry's id in record order, each followed by a newline (``kept.ids_digest``)."""
        return self._ids.copy().digest()

    def id_at(self, index: int) -> str:
        """The id the store holds entry ``index`` under (said in a break found at it)."""
        assert self.store is not None
        found = list(rows_in(self.store, "SELECT id FROM events WHERE position IN (%s)", [self.position(index)]))
        return str(found[0][0]) if found else ""

    def index(self, position: int) -> int | None:
        """The entry index (from 0) of the entry at record ``position``."""
        if position <= self._numbered:
            return position - 1
        k = bisect_left(self._positions, position)
        return self._numbered + k if k < len(self._positions) and self._positions[k] == position else None

    def position(self, index: int) -> int:
        """The record position of entry ``index`` (from 0)."""
        return index + 1 if index < self._numbered else self._positions[index - self._numbered]

    def reading(self, batch: dict[int, Event]) -> None:
        """The entries of the rows being read now, by index (none: ``{}``); what was read for the last is let go."""
        self._batch, self._batch_ids, self._named, self._named_at = batch, None, None, {}

    def _read_named(self, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        """The position and kind of each entry of ``ids`` recorded before the batch, a few hundred a query (a
        round trip each would cost a batch of declassifications more than its checks), their bodies kept."""
        assert self.store is not None and self._batch_ids is not None
        store, wanted = self.store, [i for i in dict.fromkeys(ids) if i not in self._batch_ids]
        read: dict[str, tuple[int, str]] = {}
        for entry, position, kind, body in rows_in(store, "SELECT id, position, kind, body FROM events WHERE id IN "
                                                          "(%s)", wanted):
            read[entry] = int(position), kind
            self._named_at[int(position)] = bytes(body)
        return read

    def locate(self, entry: str) -> int | None:
        """The index of the entry (not a correction or retraction) recorded under ``entry``."""
        if self._batch_ids is None:  # made once a batch: a batch of declassifications looks up one id each
            self._batch_ids = {event.id: index for index, event in reversed(self._batch.items())}
        index = self._batch_ids.get(entry)
        if index is not None:
            event = self._batch[index]
            return None if isinstance(event, EntryCorrected | EntryRetracted) else index
        if self._named is None:  # every entry the batch's acts name, read at the first look-up
            self._named = self._read_named(e.target for e in self._batch.values() if isinstance(e, _NAMING))
        found = self._named.get(entry) or self._read_named([entry]).get(entry)
        if found is None or found[1] in _ACT_KINDS:
            return None
        at = self.index(int(found[0]))
        if at is None:
            return None
        try:  # the entry there, as its bytes name it: what was checked when it was read
            return at if decoder.decode(self._named_at[int(found[0])]).id == entry else None
        except msgspec.DecodeError:
            return None

    def recorded(self, names: list[str], upto: int) -> set[str]:
        """Those of ``names`` that entries up to position ``upto`` are recorded under, as the store says."""
        assert self.store is not None
        return {entry for entry, in rows_in(self.store, "SELECT id FROM events WHERE position <= ? AND id IN (%s)",
                                            names, [upto])}

    def events_at(self, indices: Sequence[int]) -> list[Event]:
        """The entries at ``indices``: those of the rows being read or decoded already as they are, the others
        read from the store, a few hundred a query."""
        found: dict[int, Event] = {}
        wanted: dict[int, int] = {}  # position -> index, for those to read
        for index in indices:
            if index in self._batch:
                found[index] = self._batch[index]
            elif (known := self.decoded.get(self.position(index))) is not None:
                found[index] = known
            elif (body := self._named_at.get(self.position(index))) is not None:
                found[index] = decoder.decode(body)
            else:
                wanted[self.position(index)] = index
        store, positions = self.store, list(wanted)
        assert store is not None
        for position, body in rows_in(store, "SELECT position, body FROM events WHERE position IN (%s)", positions):
            found[wanted[int(position)]] = decoder.decode(bytes(body))
        return [found[index] for index in indices]
