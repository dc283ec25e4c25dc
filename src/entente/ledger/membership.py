"""Which entries each viewer's log holds, in the order they became visible to it (pure).

A viewer's log holds every entry it may see now or could see at any time
since it was recorded, each appended when it first became visible: a new
entry when it is recorded, an earlier one when an entry reveals it (an
accession or signature that makes a party cleared for an instrument's
entries, a classification amended, an entry corrected under a wider
classification).  An entry restricted later stays where it is.  What "may see"
means is ``clearance``'s: ``visible`` for the union's entries (each as it now
reads, ``revisions.current``), and, for a correction or retraction, whether the
viewer is cleared for the act itself.

The logs grow by what each entry changes, never by reading the record again:
an entry of no classification change is judged on its own (a run of them
viewer by viewer at C speed); an amendment or a correction judges its target;
an accession or signature judges the entries classified to its instrument,
for the parties it adds.  So a declassification costs what it reveals.  Who
was party to what, and since which entry, is kept, so whether a viewer saw an
entry before is decided from its classifications over time, with no set of
held entries per viewer.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import compress
from typing import Any

import msgspec

from entente.ledger.indices import Indices
from entente.secretariat.clearance import Viewer
from entente.vocabulary.events import (
    Classification,
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    InstrumentAcceded,
    InstrumentSigned,
    Restricted,
)

# Entries that can change what a viewer sees of entries recorded before them.
REVEALING = (ClassificationAmended, InstrumentSigned, InstrumentAcceded, EntryCorrected, EntryRetracted)
_ACTS = (EntryCorrected, EntryRetracted)
# Where an entry's classification is now: a class, or None once retracted.
Now = Classification | None
# The record index of the entry (not a correction or retraction) with an id recorded so far; None if there is none.
Locate = Callable[[str], int | None]
# The entries at record indices, in the order asked (fetched together: an accession may reveal thousands).
EventsAt = Callable[[Sequence[int]], list[Event]]


class Growth(msgspec.Struct, array_like=True):
    """What judging the next entry needs of those before it, as kept between processes."""

    joined: dict[str, dict[str, int]]
    acts: dict[int, list[tuple[int, Now]]]
    classified: dict[str, bytes]  # record indices as unsigned 32-bit integers
    seen: int


class Logs:
    """Every viewer's log as record indices, and what judging a new entry needs of the ones before it."""

    def __init__(self, viewers: Sequence[Viewer], locate: Locate, events_at: EventsAt) -> None:
        self.viewers = list(viewers)
        self.orders: dict[Viewer, Indices] = {v: Indices() for v in self.viewers}
        self.locate, self.events_at = locate, events_at
        self.joined: dict[str, dict[str, int]] = {}  # instrument -> party -> the index of the entry that joined it
        self.acts: dict[int, list[tuple[int, Now]]] = {}  # entry index -> (act index, its class after the act)
        self.classified: dict[str, array[int]] = {}  # instrument -> indices ever classified to it
        self.seen = 0
        # The own class of each entry classified to an instrument that this process judged, and whether it is
        # an act: what an accession asks of those it may reveal, without reading them from the record again.
        self._own: dict[int, tuple[Now, bool]] = {}

    # --- kept between processes ---------------------------------------------------------------

    def state(self) -> Growth:
        return Growth(self.joined, self.acts, {k: v.tobytes() for k, v in self.classified.items()}, self.seen)

    def resume(self, state: Growth, orders: dict[Viewer, Indices]) -> None:
        self.joined, self.acts, self.seen, self.orders = state.joined, state.acts, state.seen, orders
        self.classified = {}
        for instrument, packed in state.classified.items():
            self.classified[instrument] = array("I")
            self.classified[instrument].frombytes(packed)

    # --- growing ----------------------------------------------------------------------------------

    def add(self, events: Sequence[Event]) -> dict[Viewer, int]:
        """Judge the entries after those seen (``events`` are the next ones, in record order); how many each
        log held before."""
        before = {v: len(o) for v, o in self.orders.items()}
        start, i, n = self.seen, 0, len(events)
        while i < n:
            j = i
            while j < n and not isinstance(events[j], REVEALING):
                j += 1
            if j > i:
                self._plain(events[i:j], start + i)
            if j < n:
                self._special(events[j], start + j)
                j += 1
            i = j
        self.seen = start + n
        return before

    def _cleared(self, c: Now, viewer: Viewer, before: int) -> bool:
        """Whether ``viewer`` is cleared for class ``c`` with the parties as they were before entry ``before``
        (``clearance.cleared``, over time)."""
        if c is None:
            return False
        if not isinstance(c, Restricted) or viewer.kind == "secretariat":
            return True
        if viewer.party is None:
            return False
        if viewer.party in c.parties:
            return True
        return c.instrument is not None and self.joined.get(c.instrument, {}).get(viewer.party, before) < before

    def _classify(self, index: int, c: Now) -> None:
        if isinstance(c, Restricted) and c.instrument is not None:
            self.classified.setdefault(c.instrument, array("I")).append(index)

    def _plain(self, events: Sequence[Event], first: int) -> None:
        """Entries that change no classification: each visible to a viewer or not on its own, all of them
        judged viewer by viewer at once."""
        codes = bytearray()
        classes: dict[Any, int] = {}
        for k, event in enumerate(events):
            c = event.classification
            code = classes.get(c)
            if code is None:
                if len(classes) == 255:  # one byte a class: judge what came so far, then go on
                    self._judge(classes, codes, first)
                    self._plain(events[k:], first + k)
                    return
                code = classes[c] = len(classes)
            codes.append(code)
            if isinstance(c, Restricted) and c.instrument is not None:
                self._classify(first + k, c)
                self._own[first + k] = (c, False)
        self._judge(classes, codes, first)

    def _judge(self, classes: dict[Any, int], codes: bytearray, first: int) -> None:
        at = first + len(codes)
        for viewer, order in self.orders.items():
            table = bytearray(256)
            for c, code in classes.items():
                table[code] = self._cleared(c, viewer, at)
            if all(table[code] for code in classes.values()):
                order.extend(range(first, at))
            else:
                order.extend(compress(range(first, at), bytes(codes).translate(table)))

    def _history(self, index: int, own: Now) -> list[tuple[int, Now]]:
        return [(index, own), *self.acts.get(index, [])]

    def _saw(self, index: int, own: Now, viewer: Viewer, before: int) -> bool:
        """Whether ``viewer`` could see the entry at ``index`` at any time before entry ``before``."""
        history = self._history(index, own)
        ends = [at for at, _ in history[1:]] + [before]
        return any(self._cleared(c, viewer, end) for (_, c), end in zip(history, ends, strict=True))

    def _now(self, index: int, own: Now) -> Now:
        return self._history(index, own)[-1][1]

    def _special(self, event: Event, index: int) -> None:
        """An entry that may reveal earlier ones: those it reveals are appended in record order, then itself."""
        revealed: dict[Viewer, list[int]] = {}
        # A dated amendment is seen by everyone who sees its target from its day (``clearance.visible``).
        shown_as: Now = None
        if isinstance(event, InstrumentSigned | InstrumentAcceded):
            joining = event.parties if isinstance(event, InstrumentSigned) else (event.party,)
            members = self.joined.setdefault(event.instrument, {})
            new = [p for p in dict.fromkeys(joining) if p not in members]
            for party in new:
                members[party] = index
            viewers = [v for v in self.viewers if v.party in new]
            if viewers:
                held = sorted(set(self.classified.get(event.instrument, ())))
                unknown = [j for j in held if j not in self._own]
                for j, target in zip(unknown, self.events_at(unknown), strict=True):
                    self._own[j] = (target.classification, isinstance(target, _ACTS))
                for j in held:
                    own: Now
                    own, act = self._own[j]  # an act's own class is its class for good
                    now = own if act else self._now(j, own)
                    for viewer in viewers:
                        saw = self._cleared(own, viewer, index) if act else self._saw(j, own, viewer, index)
                        if not saw and self._cleared(now, viewer, index + 1):
                            revealed.setdefault(viewer, []).append(j)
        elif isinstance(event, ClassificationAmended | EntryCorrected | EntryRetracted):
            target_index = self.locate(event.target)
            if target_index is not None and target_index < index:
                own = self.events_at([target_index])[0].classification
                after: Now
                if isinstance(event, ClassificationAmended):
                    after = event.to
                    applies = self._now(target_index, own) is not None  # a retracted entry is not reclassified
                elif isinstance(event, EntryCorrected):
                    after, applies = event.entry.classification, True
                else:
                    after, applies = None, True
                if applies:
                    seen = {v: self._saw(target_index, own, v, index) for v in self.viewers}
                    self.acts.setdefault(target_index, []).append((index, after))
                    self._classify(target_index, after)
                    for viewer in self.viewers:
                        if not seen[viewer] and self._cleared(after, viewer, index + 1):
                            revealed.setdefault(viewer, []).append(target_index)
                    if isinstance(event, ClassificationAmended) and event.since is not None:
                        shown_as = after
        for viewer, order in self.orders.items():
            order.extend(revealed.get(viewer, ()))
            if self._cleared(event.classification, viewer, index + 1) or self._cleared(shown_as, viewer, index + 1):
                order.append(index)
        self._classify(index, event.classification)
        if isinstance(event.classification, Restricted) and event.classification.instrument is not None:
            self._own[index] = (event.classification, isinstance(event, _ACTS))
