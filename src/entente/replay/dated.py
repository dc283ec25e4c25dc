"""The record folded once into dated state: what held from when to when, so any day is read off, not replayed.

``fold(events)`` reads the record once, in valid-time order, into a
``DatedState``: every instrument's states over time (so who was bound by
what, from when to when), the conferences, the questions, requests and
proposals with every answer in order, and the decisions that change rules
with their effective days.  ``state_at(dated, day)`` gives the union as it
stood at the end of a day; ``bound(dated, instrument, day)`` who an
instrument bound then.  Both look the day up (a binary search); neither
replays anything.

A fold can be carried on with the entries added since (``fold(new, onto=dated)``):
entries dated after everything folded so far are added in place; one dated
earlier makes the fold start again from the whole record, since a day in the
past would change what followed it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import msgspec

from entente.replay.model import (
    InstrumentState,
    ProposalState,
    QuestionState,
    RequestState,
    UnionState,
    in_order,
    order_key,
)
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
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
)

T = TypeVar("T")


class InstrumentHistory(msgspec.Struct, kw_only=True):
    """An instrument's state after each event of its life: ``states[i]`` holds from ``days[i]`` on."""

    days: list[str] = []
    states: list[InstrumentState] = []

    def on(self, day: str) -> InstrumentState | None:
        i = bisect_right(self.days, day)
        return self.states[i - 1] if i else None


class Asked(msgspec.Struct, kw_only=True):
    """A question, request or proposal and every answer to it, in valid-time order."""

    raised: Event
    day: str  # the first day of ``raised``
    answers: list[Event] = []
    days: list[str] = []  # the first day of each answer, to look a day up
    # Each party's last answer among the first n, for the last n asked: most reads ask at the record's end.
    latest: tuple[int, dict[str, Any]] | None = None

    def latest_upto(self, day: str) -> tuple[int, dict[str, Any]]:
        """How many answers were given by the end of ``day``, and each party's last one among them."""
        n = bisect_right(self.days, day)
        if self.latest is None or self.latest[0] != n:
            field = "party" if n and hasattr(self.answers[0], "party") else ""
            self.latest = n, {getattr(a, field): a for a in self.answers[:n]} if field else {}
        return self.latest


class DatedState(msgspec.Struct, kw_only=True):
    events: list[Event] = []  # every event, in valid-time order
    days: list[str] = []  # the first day of each event, in the same order, to look a day up
    instruments: dict[str, InstrumentHistory] = {}
    conferences: list[ConferenceHeld] = []
    conference_days: list[str] = []
    questions: dict[str, Asked] = {}
    requests: dict[str, Asked] = {}
    proposals: dict[str, Asked] = {}
    convened: list[ConferenceConvened] = []
    rule_changes: list[RuleChanged] = []
    targets: dict[str, list[str]] = {}  # the proposals on each question (or entry, or party) they name as target
    # Per table, the questions, requests and proposals that may still await an answer: a question until
    # every party bound on the day it was raised has answered, a request until every addressee has, a
    # proposal until it is decided.  What is due at the
    # record's end is looked for among these only; the rules still judge each one found.
    unsettled: dict[str, dict[str, None]] = {}
    # Answers whose question, request or proposal is not folded yet (an uncertain date can start
    # earlier than the thing it answers); attached when it comes.
    waiting: dict[str, list[Event]] = {}
    last_day: str = "0001-01-01"  # the last day the record speaks of (the latest end of any event's date)

    def target_of(self, proposal: str) -> str | None:
        """What a proposal is about (a question, an entry, a party), if it names it."""
        asked = self.proposals.get(proposal)
        return getattr(asked.raised, "target", None) if asked is not None else None


# --- the life of an instrument: each event makes a new state from the one before --------------------------


def _copy(i: InstrumentState) -> InstrumentState:
    return msgspec.structs.replace(i, signatories=list(i.signatories), parties=list(i.parties),
                                   withdrawn=list(i.withdrawn), ratified=list(i.ratified))


def _signed(_: InstrumentState | None, e: InstrumentSigned) -> InstrumentState:
    on_signature = e.in_force_on_signature
    return InstrumentState(
        id=e.instrument, title=e.title, form=e.form, status="in_force" if on_signature else "signed",
        signed=e.date, signatories=list(e.parties), parties=list(e.parties) if on_signature else [],
        in_force=e.date if on_signature else None,
    )


def _bind(i: InstrumentState, party: str) -> None:
    if party not in i.parties:
        i.parties.append(party)


def _ratified(i: InstrumentState, e: InstrumentRatified) -> InstrumentState:
    if e.party not in i.ratified:
        i.ratified.append(e.party)
    return i


def _acceded(i: InstrumentState, e: InstrumentAcceded) -> InstrumentState:
    if e.party not in i.signatories:
        i.signatories.append(e.party)
    if i.status == "in_force":
        _bind(i, e.party)
    return i


def _in_force(i: InstrumentState, e: InstrumentEnteredIntoForce) -> InstrumentState:
    if i.status == "signed":
        i.status, i.in_force = "in_force", e.date
        for party in i.signatories:
            if party not in i.withdrawn:
                _bind(i, party)
    return i


def _terminated(i: InstrumentState, e: InstrumentTerminated) -> InstrumentState:
    if i.status in ("terminated", "never_in_force"):
        return i
    if e.party is not None:
        i.withdrawn.append(e.party)
        if e.party in i.parties:
            i.parties.remove(e.party)
        if i.status != "in_force" or len(i.parties) >= 2:
            return i
    i.status = "terminated" if i.status == "in_force" else "never_in_force"
    i.ended, i.parties = e.date, []
    return i


_LIFE: dict[type, Any] = {
    InstrumentRatified: _ratified,
    InstrumentAcceded: _acceded,
    InstrumentEnteredIntoForce: _in_force,
    InstrumentTerminated: _terminated,
}


def _instrument(d: DatedState, e: Any, day: str) -> None:
    history = d.instruments.get(e.instrument)
    if isinstance(e, InstrumentSigned):
        new = _signed(None, e)
        history = d.instruments.setdefault(e.instrument, InstrumentHistory())
    elif history is None:
        return  # an act on an instrument not signed (yet): nothing to change
    else:
        new = _LIFE[type(e)](_copy(history.states[-1]), e)
    history.days.append(day)
    history.states.append(new)


# --- questions, requests and proposals, with their answers -------------------------------------------------


_ASKED: dict[type, tuple[str, str]] = {  # kind -> (the DatedState table, the field naming it)
    QuestionRaised: ("questions", "question"),
    AssistanceRequested: ("requests", "request"),
    ProposalMade: ("proposals", "proposal"),
}
_ANSWER: dict[type, tuple[str, str]] = {
    PositionStated: ("questions", "question"),
    AssistanceResponded: ("requests", "request"),
    ProposalDecided: ("proposals", "proposal"),
}


def _asked(d: DatedState, e: Event) -> None:
    table, field = _ASKED[type(e)]
    key = getattr(e, field)
    if isinstance(e, ProposalMade) and e.target:
        d.targets.setdefault(e.target, []).append(key)
    answers = d.waiting.pop(key, [])
    asked = getattr(d, table)[key] = Asked(raised=e, day=dates.start(e.date), answers=answers,
                                           days=[dates.start(a.date) for a in answers])
    if not _settled(d, table, asked):
        d.unsettled.setdefault(table, {})[key] = None


def _answer(d: DatedState, e: Event) -> None:
    table, field = _ANSWER[type(e)]
    key = getattr(e, field)
    if asked := getattr(d, table).get(key):
        asked.answers.append(e)
        asked.days.append(dates.start(e.date))
        if key in d.unsettled.get(table, ()) and _settled(d, table, asked):
            del d.unsettled[table][key]
    else:
        d.waiting.setdefault(key, []).append(e)


def _settled(d: DatedState, table: str, asked: Asked) -> bool:
    """Whether nothing more can be owed on a question, request or proposal (see ``DatedState.unsettled``)."""
    if table == "proposals":
        return bool(asked.answers)
    answered = {getattr(a, "party", None) for a in asked.answers}
    raised = asked.raised
    if isinstance(raised, AssistanceRequested):
        return set(raised.addressees) <= answered
    # Who is bound on the day raised, as folded so far: acts of that day that come later in order only end
    # bonds, so this holds every party that can owe a position.
    return set(bound(d, getattr(raised, "instrument", None) or "", asked.day)) <= answered


def _apply(d: DatedState, e: Event, day: str) -> None:
    kind = type(e)
    if kind in _ASKED:
        _asked(d, e)
    elif kind in _ANSWER:
        _answer(d, e)
    elif kind is ConferenceHeld:
        d.conferences.append(e)  # type: ignore[arg-type]
        d.conference_days.append(day)
    elif kind is InstrumentSigned or kind in _LIFE:
        _instrument(d, e, day)
    elif kind is ConferenceConvened:
        d.convened.append(e)  # type: ignore[arg-type]
    elif kind is RuleChanged:
        d.rule_changes.append(e)  # type: ignore[arg-type]


def fold(events: Iterable[Event], onto: DatedState | None = None) -> DatedState:
    """The record folded into dated state; with ``onto``, the new entries folded onto it (which it returns)."""
    new = in_order(events)
    if onto is None:
        onto = DatedState()
    elif new and onto.events and order_key(new[0]) < order_key(onto.events[-1]):
        return fold([*onto.events, *new])  # an entry dated before others folded: fold the whole record again
    bounds = dates.bounds
    last = onto.last_day
    for e in new:
        day, end = bounds(e.date)
        last = max(last, end)
        onto.events.append(e)
        onto.days.append(day)
        _apply(onto, e, day)
    onto.last_day = last
    return onto


# --- reading a day off the dated state -----------------------------------------------------------------------


def bound(d: DatedState, instrument: str, day: str) -> list[str]:
    """The parties ``instrument`` bound at the end of ``day``."""
    history = d.instruments.get(instrument)
    i = history.on(day) if history else None
    return list(i.parties) if i else []


def instrument_on(d: DatedState, instrument: str, day: str) -> InstrumentState | None:
    history = d.instruments.get(instrument)
    return history.on(day) if history else None


def bindings(d: DatedState, instrument: str) -> dict[str, list[tuple[str, str | None]]]:
    """Who ``instrument`` bound from when to when: per party, [first day, day it stopped binding) intervals."""
    history = d.instruments.get(instrument)
    spans: dict[str, list[tuple[str, str | None]]] = {}
    if history is None:
        return spans
    held: dict[str, str] = {}
    for day, i in zip(history.days, history.states, strict=True):
        for party in list(held):
            if party not in i.parties and held[party] != day:
                spans.setdefault(party, []).append((held.pop(party), day))
            elif party not in i.parties:
                held.pop(party)
        for party in i.parties:
            held.setdefault(party, day)
    for party, since in held.items():
        spans.setdefault(party, []).append((since, None))
    return spans


class Raised(Mapping[str, T]):
    """The questions (or requests, or proposals) raised by the end of a day, each made into its state on that
    day only when read: a rule that judges one question does not pay for all the others."""

    def __init__(self, table: dict[str, Asked], at: str, make: Callable[[Asked, str], T]) -> None:
        self._table, self._at, self._make = table, at, make
        self._made: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        if (made := self._made.get(key)) is not None:
            return made
        asked = self._table[key]
        if asked.day > self._at:
            raise KeyError(key)
        made = self._made[key] = self._make(asked, self._at)
        return made

    def __iter__(self) -> Iterator[str]:
        at = self._at
        return (key for key, asked in self._table.items() if asked.day <= at)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _question(q: Asked, at: str) -> QuestionState:
    return QuestionState(question=q.raised, positions=q.latest_upto(at)[1])  # type: ignore[arg-type]


def _request(r: Asked, at: str) -> RequestState:
    return RequestState(request=r.raised, responses=r.latest_upto(at)[1])  # type: ignore[arg-type]


def _proposal(p: Asked, at: str) -> ProposalState:
    n = bisect_right(p.days, at)
    return ProposalState(proposal=p.raised, decision=p.answers[n - 1] if n else None)  # type: ignore[arg-type]


def state_at(d: DatedState, at: str) -> UnionState:
    """The union as it stood at the end of day ``at`` (YYYY-MM-DD)."""
    upto = bisect_right(d.days, at)
    # The whole list when the day is past every entry (the usual read, at the record's end): not copied,
    # since a dated state a service holds is never changed (a write makes a new one: ``extend``).
    s = UnionState(at=at, events=d.events if upto == len(d.events) else d.events[:upto])
    s.instruments = {k: i for k, h in d.instruments.items() if (i := h.on(at)) is not None}
    s.conferences = d.conferences[:bisect_right(d.conference_days, at)]
    start = dates.start
    s.questions = Raised(d.questions, at, _question)
    s.requests = Raised(d.requests, at, _request)
    s.proposals = Raised(d.proposals, at, _proposal)
    held = {c.id for c in s.conferences}
    for c in d.convened:
        if start(c.date) <= at:
            s.convened[c.conference] = c
    s.convened = {k: c for k, c in s.convened.items() if k not in held}
    s.rule_changes = [c for c in d.rule_changes if start(c.date) <= at]
    return s
