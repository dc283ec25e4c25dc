"""The record indexed by what a new entry's own checks look for, so they cost what they touch.

Checking an entry against the whole record before it costs the record's length
for every entry.  ``Related`` keeps the entries those checks look at findable:
what an entry answers, the conference numbered before it, the acts of the
instruments, each instrument's first signature and who is party to it; it
grows entry by entry, for a file being loaded and for the writers of a running
service alike.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from entente.replay.dated import DatedState, fold
from entente.vocabulary import dates
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    Classification,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    DecisionTaken,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ObjectionRaised,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
)
from entente.vocabulary.stored import of_kinds, with_twins

_ACTS = (InstrumentSigned, InstrumentRatified, InstrumentAcceded, InstrumentEnteredIntoForce, InstrumentTerminated)
# Every kind it indexes, with their twins (as the store decodes them), for picking them out in one sweep.
_INDEXED = frozenset(with_twins(dict.fromkeys(
    (*_ACTS, QuestionRaised, AssistanceRequested, ProposalMade, ProposalDecided, ConferenceHeld, ClassificationAmended,
     ConferenceConvened, RuleChanged))))


class Related:
    """The record indexed by what a new entry's checks look for."""

    def __init__(self, events: Sequence[Event]) -> None:
        # Made in one sweep, the few kinds it indexes picked out without a Python step for every entry:
        # the first write after a start indexes all its writer sees.
        self.everything: list[Event] = list(events)
        self.by_id: dict[str, Event] = {event.id: event for event in self.everything}
        self.acts: list[Event] = []  # every act of every instrument: few beside the record
        self._dated: DatedState | None = None  # the acts folded, made again when one is added
        self.signatures: list[InstrumentSigned] = []
        self.signed: dict[str, InstrumentSigned] = {}  # each instrument's first signature
        self.first_signed: str | None = None  # the first day of the earliest signature
        self.parties_of: dict[str, set[str]] = {}  # who is party to each instrument, as clearance counts them
        self.threads: dict[str, Event] = {}  # questions, requests and proposals by the name answers use
        self.decided: dict[str, Event] = {}  # the decision on each proposal decided, by the proposal's name
        # Entries made known from a day on (a dated amendment), with who could see them before: the amendment's
        # own classification, which admission keeps at least as narrow as theirs was.
        self.kept_before: dict[str, Classification] = {}
        # Conferences held or convened, by (instrument, series, number).
        self.conferences: dict[tuple[str | None, str | None, int], list[Event]] = {}
        self.rule_changes: list[RuleChanged] = []  # the decisions changing or adding rules, in the order recorded
        for event in of_kinds(self.everything, _INDEXED):
            self._index(event)

    def add(self, event: Event) -> None:
        self.by_id[event.id] = event
        self.everything.append(event)
        self._index(event)

    def _index(self, event: Event) -> None:
        if isinstance(event, _ACTS):
            self.acts.append(event)
            self._dated = None
            if isinstance(event, InstrumentSigned):
                self.signatures.append(event)
                self.signed.setdefault(event.instrument, event)
                day = dates.start(event.date)
                self.first_signed = day if self.first_signed is None else min(self.first_signed, day)
                self.parties_of.setdefault(event.instrument, set()).update(event.parties)
            elif isinstance(event, InstrumentAcceded):
                self.parties_of.setdefault(event.instrument, set()).add(event.party)
        elif isinstance(event, QuestionRaised):
            self.threads.setdefault(f"question:{event.question}", event)
        elif isinstance(event, AssistanceRequested):
            self.threads.setdefault(f"request:{event.request}", event)
        elif isinstance(event, ProposalMade):
            self.threads.setdefault(f"proposal:{event.proposal}", event)
        elif isinstance(event, ProposalDecided):
            self.decided.setdefault(event.proposal, event)
        elif isinstance(event, ClassificationAmended) and event.since is not None:
            self.kept_before.setdefault(event.target, event.classification)
        elif isinstance(event, RuleChanged):
            self.rule_changes.append(event)
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

    def answered(self, event: Event) -> Event | None:
        """The entry an answer answers (a position its question, a response its request, a decision on a
        proposal the proposal, a decision the conference it was taken at), or the conference held numbered
        just before a numbered one held: the first recorded, where several would do."""
        match event:
            case PositionStated():
                return self.threads.get(f"question:{event.question}")
            case AssistanceResponded():
                return self.threads.get(f"request:{event.request}")
            case ProposalDecided() | ObjectionRaised():
                return self.threads.get(f"proposal:{event.proposal}")
            case DecisionTaken() if event.conference:
                return self.by_id.get(event.conference)
            case ConferenceHeld() if event.number and event.number > 1:
                return next((e for e in self.conferences.get((event.instrument, event.series, event.number - 1), ())
                             if isinstance(e, ConferenceHeld)), None)
        return None

    def numbered(self, instrument: str | None, series: str | None, number: int) -> list[Event]:
        """The conferences held or convened with that number in that series, in the order recorded."""
        return self.conferences.get((instrument, series, number), [])
