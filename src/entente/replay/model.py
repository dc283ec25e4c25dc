"""What replay produces: the state of a union at a date, and the one order events are folded in.

Events are put in valid-time order (earliest possible day, then a fixed rank
of kinds so that a signature comes before the entry into force of the same
day, then id), so the result does not depend on the order they were loaded
or recorded in.  An event counts from its earliest possible day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
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
    ObjectionRaised,
    OutsideEvent,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
    Text,
)
from entente.vocabulary.stored import with_twins

Status = Literal["signed", "in_force", "never_in_force", "terminated"]

# Within a day: an instrument's life in its natural order, what others did (an ultimatum, an
# attack) before what the parties did about it, and a question, request or proposal before the
# answers to it.
_RANK: dict[type, int] = with_twins({
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
    ObjectionRaised: 6,
    InstrumentTerminated: 9,
})


def order_key(event: Event) -> tuple[str, int, str]:
    return dates.start(event.date), _RANK.get(type(event), 5), event.id


def latest_day(events: Iterable[Event]) -> str:
    """The last day the record (as the viewer sees it) speaks of: the day judged when none is asked for."""
    return max((dates.end(e.date) for e in events), default="0001-01-01")


def in_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=order_key)


def in_order_with_days(events: Iterable[Event]) -> tuple[list[Event], list[str]]:
    """The events in order (as ``in_order``) and the first day of each: the keys made once, the positions sorted."""
    events = events if isinstance(events, list) else list(events)
    order, starts = ordering(events)
    return list(map(events.__getitem__, order)), list(map(starts.__getitem__, order))


def ordering(events: list[Event]) -> tuple[list[int], list[str]]:
    """The positions of ``events`` in valid-time order, and the first day of each event (in the order given)."""
    order, _indices, starts, _kinds, _first_days = sorting(events)
    return order, starts


def sorting(events: list[Event]) -> tuple[list[int], list[int], list[str], list[type], dict[str, str]]:
    """What ``ordering`` gives, with the numbers 0 to n - 1 in order (the same objects the order holds: a
    fold that numbers the entries again makes no new ones), the kind of each event (in the order given) and
    the first day of each distinct date: what a fold reads of every event, read in as few passes over them
    as can be.

    Every step runs over the whole list at once (no Python step an entry), in the order the events were
    made, which is the order they lie in memory: read in valid-time order, or read again, the same fields
    cost more (a record of a million entries is far larger than the processor's caches).  A date is looked
    up once however many entries share it.  The key is one string (day, rank, id), which sorts as the
    tuple does and several times faster.
    """
    said = list(map(_date, events))
    first_days = dict.fromkeys(said, "")
    start = dates.start
    for date in first_days:  # a step a distinct date: a record of any size names some tens of thousands
        first_days[date] = start(date)
    starts = list(map(first_days.__getitem__, said))
    kinds = list(map(type, events))
    # Every first day is a calendar day YYYY-MM-DD (``dates.bounds`` makes no other), so the day, then one
    # character for the rank, then the id, compare as the tuple of the three does.
    keys = list(map("".join, zip(starts, map(_RANK_MARK.__getitem__, kinds), map(_id, events), strict=True)))
    indices = list(range(len(events)))
    return sorted(indices, key=keys.__getitem__), indices, starts, kinds, first_days


class _Ranks(dict[type, int]):
    """The rank of each kind, 5 for a kind not named."""

    def __missing__(self, kind: type) -> int:
        self[kind] = 5  # kept: looked up once a kind, not once an entry
        return 5


class _RankMarks(dict[type, str]):
    """The rank of each kind as one character, which sorts as the number does."""

    def __missing__(self, kind: type) -> str:
        mark = self[kind] = chr(ord("0") + _RANKS[kind])
        return mark


_RANKS = _Ranks(_RANK)
_RANK_MARK = _RankMarks()
_date, _id = attrgetter("date"), attrgetter("id")


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
    on_notice: dict[str, str] = {}  # party -> the day its notified withdrawal takes effect
    suspended: dict[str, list[str]] = {}  # party -> the rights suspended (vote, presidency, seat)


class QuestionState(msgspec.Struct, kw_only=True):
    question: QuestionRaised
    positions: dict[str, PositionStated] = {}


class RequestState(msgspec.Struct, kw_only=True):
    request: AssistanceRequested
    responses: dict[str, AssistanceResponded] = {}


class ProposalState(msgspec.Struct, kw_only=True):
    proposal: ProposalMade
    decision: ProposalDecided | None = None
    objections: dict[str, ObjectionRaised] = {}  # by party: the objections to it circulated in writing


class UnionState(msgspec.Struct, kw_only=True):
    at: str
    events: Sequence[Event] = []  # every event counted, in valid-time order
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
