"""The record indexed by what a new entry's own checks look for, so they cost what they touch.

Checking an entry against the whole record before it costs the record's length
for every entry.  ``Related`` keeps the entries those checks look at findable:
what an entry answers, the conference numbered before it, the acts of the
instruments; it grows entry by entry, for a file being loaded and for the
writers of a running service alike.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from entente.replay.dated import DatedState, fold
from entente.vocabulary.events import (
    AssistanceRequested,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ProposalMade,
    QuestionRaised,
)
from entente.vocabulary.stored import of_kinds, with_twins

_ACTS = (InstrumentSigned, InstrumentRatified, InstrumentAcceded, InstrumentEnteredIntoForce, InstrumentTerminated)
_ACT_KINDS = frozenset(with_twins(dict.fromkeys(_ACTS)))
_INDEXED = frozenset(with_twins(dict.fromkeys(
    (QuestionRaised, AssistanceRequested, ProposalMade, ConferenceHeld, ConferenceConvened))))


class Related:
    """The record indexed by what a new entry's checks look for."""

    def __init__(self, events: Sequence[Event]) -> None:
        # Made in one sweep, the few kinds it indexes picked out without a Python step for every entry:
        # the first write after a start indexes all its writer sees.
        self.everything: list[Event] = list(events)
        self.by_id: dict[str, Event] = {event.id: event for event in self.everything}
        self.acts: list[Event] = list(of_kinds(self.everything, _ACT_KINDS))  # few beside the record
        self._dated: DatedState | None = None  # the acts folded, made again when one is added
        self.threads: dict[str, Event] = {}  # questions, requests and proposals by the name answers use
        # Conferences held or convened, by (instrument, series, number).
        self.conferences: dict[tuple[str | None, str | None, int], list[Event]] = {}
        for event in of_kinds(self.everything, _INDEXED):
            self._index(event)

    def add(self, event: Event) -> None:
        self.by_id[event.id] = event
        self.everything.append(event)
        if isinstance(event, _ACTS):
            self.acts.append(event)
            self._dated = None
        else:
            self._index(event)

    def _index(self, event: Event) -> None:
        if isinstance(event, QuestionRaised):
            self.threads.setdefault(f"question:{event.question}", event)
        elif isinstance(event, AssistanceRequested):
            self.threads.setdefault(f"request:{event.request}", event)
        elif isinstance(event, ProposalMade):
            self.threads.setdefault(f"proposal:{event.proposal}", event)
        elif isinstance(event, ConferenceHeld | ConferenceConvened) and event.number:
            self.conferences.setdefault((event.instrument, event.series, event.number), []).append(event)

    @property
    def ids(self) -> Collection[str]:
        """Every id recorded."""
        return self.by_id.keys()

    @property
    def dated(self) -> DatedState:
        """The instruments' acts folded: who is bound by what on each day."""
        if self._dated is None:
            self._dated = fold(self.acts)
        return self._dated

    def around(self, event: Event) -> list[Event]:
        """The entries the checks of ``event`` look at, in the order they were recorded."""
        if isinstance(event, ClassificationAmended):
            return self.everything  # rare: it looks at what follows from its target, wherever that is
        found = list(self.acts)
        for name in ("question", "request", "proposal"):
            if (target := getattr(event, name, None)) is not None and (e := self.threads.get(f"{name}:{target}")):
                found.append(e)
        if isinstance(event, ConferenceHeld | ConferenceConvened) and event.number:
            for number in (event.number - 1, event.number):  # the one before it, and any with its number
                found += self.conferences.get((event.instrument, event.series, number), [])
        # A decision names the conference it was taken at; a notice, the conference it convenes.
        if (conference := getattr(event, "conference", None)) and (taken := self.by_id.get(conference)):
            found.append(taken)
        return found
