"""Replay: the state of a union at a date, as a pure function of its events.

Events are put in valid-time order (earliest possible day, then a fixed rank
of kinds so that a signature comes before the entry into force of the same
day, then id), so the result does not depend on the order they were loaded
or recorded in.  An event counts from its earliest possible day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

from entente.vocabulary import dates
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    ConferenceConvened,
    ConferenceHeld,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    OutsideEvent,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
    Text,
)

Status = Literal["signed", "in_force", "never_in_force", "terminated"]

# Within a day: an instrument's life in its natural order, what others did (an ultimatum, an
# attack) before what the parties did about it, and a question, request or proposal before the
# answers to it.
_RANK: dict[type, int] = {
    InstrumentSigned: 0,
    InstrumentRatified: 1,
    InstrumentAcceded: 2,
    InstrumentEnteredIntoForce: 3,
    OutsideEvent: 3,
    QuestionRaised: 4,
    AssistanceRequested: 4,
    ProposalMade: 4,
    PositionStated: 6,
    AssistanceResponded: 6,
    ProposalDecided: 6,
    InstrumentTerminated: 9,
}


def order_key(event: Event) -> tuple[str, int, str]:
    return dates.start(event.date), _RANK.get(type(event), 5), event.id


def latest_day(events: Iterable[Event]) -> str:
    """The last day the record (as the viewer sees it) speaks of: the day judged when none is asked for."""
    return max((dates.end(e.date) for e in events), default="0001-01-01")


def in_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=order_key)


class InstrumentState(msgspec.Struct, kw_only=True):
    id: str
    title: Text
    form: str
    status: Status
    signed: str
    signatories: list[str]
    parties: list[str]  # the states bound at the date
    in_force: str | None = None
    ended: str | None = None
    withdrawn: list[str] = []
    ratified: list[str] = []


class QuestionState(msgspec.Struct, kw_only=True):
    question: QuestionRaised
    positions: dict[str, PositionStated] = {}


class RequestState(msgspec.Struct, kw_only=True):
    request: AssistanceRequested
    responses: dict[str, AssistanceResponded] = {}


class ProposalState(msgspec.Struct, kw_only=True):
    proposal: ProposalMade
    decision: ProposalDecided | None = None


class UnionState(msgspec.Struct, kw_only=True):
    at: str
    events: list[Event] = []  # every event counted, in valid-time order
    instruments: dict[str, InstrumentState] = {}
    conferences: list[ConferenceHeld] = []
    questions: dict[str, QuestionState] = {}
    requests: dict[str, RequestState] = {}
    proposals: dict[str, ProposalState] = {}
    rule_changes: list[RuleChanged] = []
    convened: dict[str, ConferenceConvened] = {}  # conferences called and not yet held, by their coming id
    # Answers whose question, request or proposal is not there yet (an uncertain date can start
    # earlier than the thing it answers); attached when it comes.
    waiting: dict[str, list[Event]] = {}


def _bind(instrument: InstrumentState, party: str) -> None:
    if party not in instrument.parties:
        instrument.parties.append(party)


def _signed(s: UnionState, e: InstrumentSigned) -> None:
    on_signature = e.in_force_on_signature
    s.instruments[e.instrument] = InstrumentState(
        id=e.instrument, title=e.title, form=e.form, status="in_force" if on_signature else "signed",
        signed=e.date, signatories=list(e.parties), parties=list(e.parties) if on_signature else [],
        in_force=e.date if on_signature else None,
    )


def _ratified(s: UnionState, e: InstrumentRatified) -> None:
    if (i := s.instruments.get(e.instrument)) and e.party not in i.ratified:
        i.ratified.append(e.party)


def _acceded(s: UnionState, e: InstrumentAcceded) -> None:
    if i := s.instruments.get(e.instrument):
        if e.party not in i.signatories:
            i.signatories.append(e.party)
        if i.status == "in_force":
            _bind(i, e.party)


def _in_force(s: UnionState, e: InstrumentEnteredIntoForce) -> None:
    if (i := s.instruments.get(e.instrument)) and i.status == "signed":
        i.status, i.in_force = "in_force", e.date
        for party in i.signatories:
            if party not in i.withdrawn:
                _bind(i, party)


def _terminated(s: UnionState, e: InstrumentTerminated) -> None:
    i = s.instruments.get(e.instrument)
    if i is None or i.status in ("terminated", "never_in_force"):
        return
    if e.party is not None:
        i.withdrawn.append(e.party)
        if e.party in i.parties:
            i.parties.remove(e.party)
        if i.status != "in_force" or len(i.parties) >= 2:
            return
    i.status = "terminated" if i.status == "in_force" else "never_in_force"
    i.ended, i.parties = e.date, []


def _conference(s: UnionState, e: ConferenceHeld) -> None:
    s.conferences.append(e)
    s.convened.pop(e.id, None)


def _convened(s: UnionState, e: ConferenceConvened) -> None:
    s.convened[e.conference] = e


def _wait(s: UnionState, target: str, e: Event) -> None:
    s.waiting.setdefault(target, []).append(e)


def _release(s: UnionState, target: str) -> None:
    for answer in s.waiting.pop(target, ()):
        _APPLY[type(answer)](s, answer)  # type: ignore[operator]


def _question(s: UnionState, e: QuestionRaised) -> None:
    s.questions[e.question] = QuestionState(question=e)
    _release(s, e.question)


def _position(s: UnionState, e: PositionStated) -> None:
    if q := s.questions.get(e.question):
        q.positions[e.party] = e
    else:
        _wait(s, e.question, e)


def _requested(s: UnionState, e: AssistanceRequested) -> None:
    s.requests[e.request] = RequestState(request=e)
    _release(s, e.request)


def _responded(s: UnionState, e: AssistanceResponded) -> None:
    if r := s.requests.get(e.request):
        r.responses[e.party] = e
    else:
        _wait(s, e.request, e)


def _proposed(s: UnionState, e: ProposalMade) -> None:
    s.proposals[e.proposal] = ProposalState(proposal=e)
    _release(s, e.proposal)


def _decided(s: UnionState, e: ProposalDecided) -> None:
    if p := s.proposals.get(e.proposal):
        p.decision = e
    else:
        _wait(s, e.proposal, e)


def _rule_changed(s: UnionState, e: RuleChanged) -> None:
    s.rule_changes.append(e)


_APPLY = {
    InstrumentSigned: _signed,
    InstrumentRatified: _ratified,
    InstrumentAcceded: _acceded,
    InstrumentEnteredIntoForce: _in_force,
    InstrumentTerminated: _terminated,
    ConferenceHeld: _conference,
    ConferenceConvened: _convened,
    QuestionRaised: _question,
    PositionStated: _position,
    AssistanceRequested: _requested,
    AssistanceResponded: _responded,
    ProposalMade: _proposed,
    ProposalDecided: _decided,
    RuleChanged: _rule_changed,
}


def state(events: Iterable[Event], at: str) -> UnionState:
    """The union as it stood at the end of day ``at`` (YYYY-MM-DD)."""
    s = UnionState(at=at)
    apply = _APPLY.get
    start = dates.start
    for event in in_order(events):
        if start(event.date) > at:
            break
        s.events.append(event)
        if handler := apply(type(event)):
            handler(s, event)  # type: ignore[operator]
    return s
