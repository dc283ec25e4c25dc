"""Which entries each viewer's log holds, in the order they became visible to it (pure).

A viewer's log grows as the record does: after each entry is recorded, every
entry the viewer may now see that its log does not hold yet is appended, in
record order.  An entry revealed later (an accession, a reclassification) is
appended when it is revealed; an entry restricted later stays where it is.
What "may see" means is decided by ``clearance``: ``visible`` for the union's
entries, and, for a correction or retraction (which views show in place of the
entry it is about), whether the viewer is cleared for the act itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from entente.ledger.indices import Indices
from entente.secretariat.clearance import Viewer, cleared, instrument_parties, visible
from entente.vocabulary.events import (
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    InstrumentAcceded,
    InstrumentSigned,
)

# Entries that can change what a viewer sees of entries recorded before them.
REVEALING = (ClassificationAmended, InstrumentSigned, InstrumentAcceded)


class Membership:
    """One viewer's log as record indices (from 0) in the order they were appended, caught up entry by entry."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.order = Indices()
        self._held: set[int] | None = set()  # the same indices as a set; None until a revealing entry needs it
        # The revealing entries so far: with them, whether a plain entry is visible is decided on its own.
        self._context: list[Event] = []
        self._parties: dict[str, set[str]] = {}  # who is party to what, by the revealing entries so far
        self._seen = 0

    @classmethod
    def resumed(cls, viewer: Viewer, order: Indices, context: Sequence[Event], seen: int) -> Membership:
        """A log as an earlier process left it: its indices, the revealing entries so far, the entries judged."""
        membership = cls(viewer)
        membership.order, membership._held, membership._seen = order, None, seen
        membership._context = list(context)
        membership._parties = instrument_parties(context) if context else {}
        return membership

    def catch_up(self, events: Sequence[Event], base: int = 0) -> list[int]:
        """Extend the log with what the entries after those seen make visible; the record indices appended,
        in order.  ``events`` are the record from index ``base`` on: a revealing entry needs it whole (base 0)."""
        start = len(self.order)
        for index in range(self._seen, base + len(events)):
            event = events[index - base]
            if isinstance(event, REVEALING):
                if base:
                    raise ValueError("an entry that reveals earlier ones needs the whole record")
                self._context.append(event)
                self._parties = instrument_parties(self._context)
                shown = {e.id for e in visible(events[:index + 1], self.viewer)}
                if self._held is None:
                    self._held = set(self.order.whole())
                for earlier in range(index + 1):
                    if earlier not in self._held and (events[earlier].id in shown or self._act(events[earlier])):
                        self._append(earlier)
            elif isinstance(event, EntryCorrected | EntryRetracted):
                if self._act(event):
                    self._append(index)
            elif self.viewer.kind == "secretariat" or cleared(event, self.viewer, self._parties):
                # A plain entry is judged on its own: nothing recorded before it amends, corrects or retracts it.
                self._append(index)
        self._seen = base + len(events)
        return self.order.since(start)

    def _act(self, event: Event) -> bool:
        """Whether ``event`` corrects or retracts an entry and the viewer is cleared for it."""
        return isinstance(event, EntryCorrected | EntryRetracted) and cleared(event, self.viewer, self._parties)

    def _append(self, index: int) -> None:
        self.order.append(index)
        if self._held is not None:
            self._held.add(index)
