"""What replay produces: the state of a union at a date, and the one order events are folded in.

Events are put in valid-time order (earliest possible day, then a fixed rank
of kinds so that a signature comes before the entry into force of the same
day, then id), so the result does not depend on the order they were loaded
or recorded in.  An event counts from its earliest possible day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    # Read-only: made into each one's state on the day only when read (see ``dated.Raised``).
    questions: Mapping[str, QuestionState] = {}
    requests: Mapping[str, RequestState] = {}
    proposals: Mapping[str, ProposalState] = {}
    rule_changes: list[RuleChanged] = []
    convened: dict[str, ConferenceConvened] = {}  # conferences called and not yet held, by their coming id
    # Answers whose question, request or proposal is not there yet (an uncertain date can start
    # earlier than the thing it answers); attached when it comes.
    waiting: dict[str, list[Event]] = {}
