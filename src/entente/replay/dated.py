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
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, TypeVar

import msgspec

from entente.replay.life import _LIFE, _copy, _signed, life, timed
from entente.replay.model import (
    InstrumentState,
    ProposalState,
    QuestionState,
    RequestState,
    UnionState,
    in_order_with_days,
    order_key,
    sorting,
)
from entente.uncollected import uncollected
from entente.vocabulary import dates
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    ConferenceConvened,
    ConferenceHeld,
    Event,
    InstrumentSigned,
    ObjectionRaised,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
)
from entente.vocabulary.stored import with_twins

T = TypeVar("T")


class InstrumentHistory(msgspec.Struct, kw_only=True):
    """An instrument's state after each event of its life: ``states[i]`` holds from ``days[i]`` on."""

    days: list[str] = []
    states: list[InstrumentState] = []
    acts: list[Event] = []  # the acts of its life, in order
    timed: bool = False  # its life has days of its own (``life.timed``): worked out anew from ``acts``

    def on(self, day: str) -> InstrumentState | None:
        i = bisect_right(self.days, day)
        return self.states[i - 1] if i else None


def first_day(e: Event) -> str:
    """The first day an entry's date may mean (each date's looked up once, and kept)."""
    return dates.start(e.date)


class Asked(msgspec.Struct, kw_only=True):
    """A question, request or proposal and every answer to it, in valid-time order."""

    raised: Event
    day: str  # the first day of ``raised``
    answers: list[Event] = []
    # Each party's last answer among the first n, for the last n asked: most reads ask at the record's end.
    latest: tuple[int, dict[str, Any]] | None = None

    def upto(self, day: str) -> int:
        """How many answers were given by the end of ``day``: their first days are looked up as asked (a few
        for each question a read asks about), not held, a list of them as long as the answers."""
        return bisect_right(self.answers, day, key=first_day)

    def latest_upto(self, day: str) -> tuple[int, dict[str, Any]]:
        """How many answers were given by the end of ``day``, and each party's last one among them."""
        n = self.upto(day)
        if self.latest is None or self.latest[0] != n:
            field = "party" if n and hasattr(self.answers[0], "party") else ""
            self.latest = n, {getattr(a, field): a for a in self.answers[:n]} if field else {}
        return self.latest


class DatedState(msgspec.Struct, kw_only=True):
    # Every event, in valid-time order: a list, or in a state a write extended, a chunked sequence
    # (``replay.extend``).  A day is looked up by each event's first day, found as asked (``first_day``).
    events: Sequence[Event] = []
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

    def put_to(self, meeting: str) -> list[str]:
        """The proposals put to a meeting."""
        return [name for name, asked in self.proposals.items() if getattr(asked.raised, "meeting", None) == meeting]


# --- the life of an instrument: each event makes a new state from the one before --------------------------


def _instrument(d: DatedState, e: Any, day: str) -> None:
    history = d.instruments.get(e.instrument)
    if isinstance(e, InstrumentSigned):
        history = d.instruments.setdefault(e.instrument, InstrumentHistory())
    elif history is None:
        return  # an act on an instrument not signed (yet): nothing to change
    history.acts.append(e)
    if history.timed or timed(e):
        # Final clauses, a notice or a suspension with a day of its own: the life worked out anew from its acts.
        history.timed = True
        history.days, history.states = life(history.acts)
        return
    new = _signed(None, e) if isinstance(e, InstrumentSigned) else _LIFE[type(e)](_copy(history.states[-1]), e)
    history.days.append(day)
    history.states.append(new)


# --- questions, requests and proposals, with their answers -------------------------------------------------


_ASKED: dict[type, tuple[str, str]] = with_twins({  # kind -> (the DatedState table, the field naming it)
    QuestionRaised: ("questions", "question"),
    AssistanceRequested: ("requests", "request"),
    ProposalMade: ("proposals", "proposal"),
})
_ANSWER: dict[type, tuple[str, str]] = with_twins({
    PositionStated: ("questions", "question"),
    AssistanceResponded: ("requests", "request"),
    ProposalDecided: ("proposals", "proposal"),
    ObjectionRaised: ("proposals", "proposal"),
})


def _asked(d: DatedState, e: Event) -> None:
    table, field = _ASKED[type(e)]
    key = getattr(e, field)
    if isinstance(e, ProposalMade) and e.target:
        d.targets.setdefault(e.target, []).append(key)
    answers = d.waiting.pop(key, [])
    asked = getattr(d, table)[key] = Asked(raised=e, day=dates.start(e.date), answers=answers)
    if not _settled(d, table, asked):
        d.unsettled.setdefault(table, {})[key] = None


def _answer(d: DatedState, e: Event) -> None:
    table, field = _ANSWER[type(e)]
    key = getattr(e, field)
    if asked := getattr(d, table).get(key):
        asked.answers.append(e)
        unsettled = d.unsettled.get(table)
        if unsettled is not None and key in unsettled and _settled(d, table, asked):
            del unsettled[key]
            if not unsettled:  # as a whole fold leaves it: a table with nothing unsettled is not there
                del d.unsettled[table]
    else:
        d.waiting.setdefault(key, []).append(e)


def _settled(d: DatedState, table: str, asked: Asked) -> bool:
    """Whether nothing more can be owed on a question, request or proposal (see ``DatedState.unsettled``)."""
    if table == "proposals":
        return any(isinstance(a, ProposalDecided) for a in asked.answers)
    answered = set(map(getattr, asked.answers, repeat("party"), repeat(None)))
    raised = asked.raised
    if isinstance(raised, AssistanceRequested):
        return set(raised.addressees) <= answered
    # Who is bound on the day raised, as folded so far: acts of that day that come later in order only end
    # bonds, so this holds every party that can owe a position.
    return set(bound(d, getattr(raised, "instrument", None) or "", asked.day)) <= answered


def _conference(d: DatedState, e: Any, day: str) -> None:
    d.conferences.append(e)
    d.conference_days.append(day)


# What each kind adds to the dated state, looked up by type (kinds not here add only themselves, to ``events``).
_APPLY: dict[type, Callable[[DatedState, Any, str], None]] = with_twins({
    **{kind: lambda d, e, _day: _asked(d, e) for kind in _ASKED},
    **{kind: lambda d, e, _day: _answer(d, e) for kind in _ANSWER},
    ConferenceHeld: _conference,
    InstrumentSigned: _instrument,
    **{kind: _instrument for kind in _LIFE},
    ConferenceConvened: lambda d, e, _day: d.convened.append(e),
    RuleChanged: lambda d, e, _day: d.rule_changes.append(e),
})


def fold(events: Iterable[Event], onto: DatedState | None = None) -> DatedState:
    """The record folded into dated state; with ``onto``, the new entries folded onto it (which it returns)."""
    with uncollected():
        if onto is None:
            given = events if isinstance(events, list) else list(events)  # read twice when left to ``_fold``
            return _fold_whole(given) or _fold(given, None)
        return _fold(events, onto)


def _joined(held: Sequence[T], more: list[T]) -> list[T]:
    """``more`` after ``held``: onto a list in place, as a fold carried on does; otherwise in a new list."""
    if isinstance(held, list):
        held += more
        return held
    return [*held, *more]


def _fold(events: Iterable[Event], onto: DatedState | None) -> DatedState:
    new, new_days = in_order_with_days(events)
    if onto is None:
        onto = DatedState()
    elif new and onto.events and order_key(new[0]) < order_key(onto.events[-1]):
        return fold([*onto.events, *new])  # an entry dated before others folded: fold the whole record again
    onto.events = _joined(onto.events, new)
    onto.last_day = max(onto.last_day, max(map(dates.end, map(attrgetter("date"), new)), default=onto.last_day))
    apply = _APPLY.get
    for e, day in zip(new, new_days, strict=True):
        if (step := apply(type(e))) is not None:
            step(onto, e, day)
    return onto


# --- the whole record at once: a step a kind, an item or an answered key, not a step an entry -----------------

_INSTRUMENT_KINDS = frozenset(with_twins(dict.fromkeys((InstrumentSigned, *_LIFE))))
_TABLES = {table: (frozenset(k for k, (t, _) in _ASKED.items() if t == table), field,
                   frozenset(k for k, (t, _) in _ANSWER.items() if t == table))
           for table, field in _ASKED.values()}


class _Kinds:
    """The positions in valid-time order of the entries of some kinds, found from one pass over the entries
    in the order given, which is the order they lie in memory: read in valid-time order, a field of each
    entry costs a cache miss an entry on a record larger than the processor's caches."""

    def __init__(self, kinds: list[type], order: list[int], indices: list[int]) -> None:
        self.of_kind = _bucketed(kinds, indices)  # the entries of each kind, in the order given
        # Where each entry given comes in valid-time order.
        self.rank: list[int] = [0] * len(order)
        deque(map(self.rank.__setitem__, order, indices), maxlen=0)

    def given(self, wanted: frozenset[type]) -> list[int]:
        """The indices (in the order given) of the entries of the kinds ``wanted``, in that order."""
        found = [self.of_kind[k] for k in wanted if k in self.of_kind]
        return found[0] if len(found) == 1 else sorted(chain.from_iterable(found))

    def __call__(self, wanted: frozenset[type]) -> list[int]:
        return sorted(map(self.rank.__getitem__, self.given(wanted)))

    def grouped(self, given: list[Event], wanted: frozenset[type], key: Callable[[Any], str]) -> dict[str, list[int]]:
        """The entries of the kinds ``wanted`` by their ``key``, each group their indices in the order given put
        in valid-time order: each key read in the order given, and each group's entries then read where they
        lie (the answers to one question mostly lie together in the order given, and far apart in valid-time
        order, where reading each costs a cache miss on a record larger than the processor's caches)."""
        groups = dict(_bucketed(map(key, map(given.__getitem__, at := self.given(wanted))), at))
        by_rank = partial(list.sort, key=self.rank.__getitem__)
        deque(map(by_rank, groups.values()), maxlen=0)
        return groups


def _bucketed(keys: Iterable[Any], values: Iterable[T]) -> dict[Any, list[T]]:
    """The values of each key, in order: a pass in C, not a Python step a value (``deque`` of no length
    only drives the appends)."""
    buckets: defaultdict[Any, list[T]] = defaultdict(list)
    deque(map(list.append, map(buckets.__getitem__, keys), values), maxlen=0)
    return buckets


def _fold_whole(given: list[Event]) -> DatedState | None:
    """The record folded table by table, to the state ``_fold`` makes of it entry by entry.

    Sorted, every answer comes after those before it and what it answers is in its table by the end;
    so each question's (request's, proposal's) answers are its answers in order, grouped once, and
    whether it may still await one is decided once, at the end.  A record where this would differ from
    the fold entry by entry (a key raised twice, or named in two tables) is left to it: None.
    """
    order, indices, starts, given_kinds, first_days = sorting(given)
    ordered: list[Any] = list(map(given.__getitem__, order))
    days = list(map(starts.__getitem__, order))
    picked = _Kinds(given_kinds, order, indices)
    tables: dict[str, tuple[list[int], list[str], dict[str, list[int]]]] = {}
    for table, (asking, field, answering) in _TABLES.items():
        get = attrgetter(field)
        raised = picked(asking)
        keys = list(map(get, map(ordered.__getitem__, raised)))
        if len(set(keys)) != len(keys):
            return None
        tables[table] = raised, keys, picked.grouped(given, answering, get)
    named = [{*keys, *grouped} for _, keys, grouped in tables.values()]
    if any(a & b for i, a in enumerate(named) for b in named[i + 1:]):
        return None
    d = DatedState(events=ordered)
    d.last_day = max(d.last_day, max(map(dates.end, first_days), default=d.last_day))
    for i in picked(_INSTRUMENT_KINDS):
        _instrument(d, ordered[i], days[i])
    at = picked(_CONFERENCE_KINDS)
    d.conferences, d.conference_days = list(map(ordered.__getitem__, at)), list(map(days.__getitem__, at))
    d.convened = list(map(ordered.__getitem__, picked(_CONVENED_KINDS)))
    d.rule_changes = list(map(ordered.__getitem__, picked(_RULE_KINDS)))
    for table, (raised, keys, grouped) in tables.items():
        _table(d, table, (ordered, days), (given, picked.rank), raised, keys, grouped)
    return d


def _table(d: DatedState, table: str, in_order: tuple[list[Event], list[str]],
           as_given: tuple[list[Event], list[int]], raised: list[int], keys: list[str],
           grouped: dict[str, list[int]]) -> None:
    """One table (questions, requests or proposals) of the whole record, with every answer attached.

    Whether each may still await an answer is decided at the end, with every answer and who is bound on
    each day as the whole record has it (the fold entry by entry asks as each answer comes, and what it
    finds settled stays so: answers only add; acts of a question's day that come after it only end bonds),
    and as each is made, while its answers are still in the processor's cache."""
    ordered, days = in_order
    given, rank = as_given
    held: dict[str, Asked] = getattr(d, table)
    unsettled: dict[str, None] = {}
    still_open = _still_open(d, table)
    for key, i in zip(keys, raised, strict=True):
        e = ordered[i]
        found = grouped.pop(key, ())
        answers = list(map(given.__getitem__, found))
        held[key] = Asked(raised=e, day=days[i], answers=answers)
        if still_open(e, days[i], answers):
            unsettled[key] = None
        if isinstance(e, ProposalMade) and e.target:
            d.targets.setdefault(e.target, []).append(key)
    # In the order their first answers come, as the fold entry by entry meets them.
    for key, found in sorted(grouped.items(), key=lambda group: rank[group[1][0]]):
        d.waiting[key] = list(map(given.__getitem__, found))
    if unsettled:
        d.unsettled[table] = unsettled


_party = attrgetter("party")


def _still_open(d: DatedState, table: str) -> Callable[[Any, str, list[Event]], bool]:
    """Whether ``_settled`` finds a question (request, proposal) raised on a day with its answers unsettled,
    found with fewer steps each: who an instrument bound on a day is looked up once for every question
    raised under it that day."""
    if table == "proposals":
        decided = _DECIDED_KINDS.__contains__
        return lambda _raised, _day, answers: not any(map(decided, map(type, answers)))
    if table == "requests":
        return lambda raised, _day, answers: not set(raised.addressees) <= set(map(_party, answers))
    bound_on: dict[tuple[str, str], set[str]] = {}

    def question(raised: Any, day: str, answers: list[Event]) -> bool:
        where = (getattr(raised, "instrument", None) or "", day)
        owed = bound_on.get(where)
        if owed is None:
            owed = bound_on[where] = set(bound(d, *where))
        return len(answers) < len(owed) or not owed <= set(map(_party, answers))

    return question


def _unsettled(d: DatedState, table: str, held: dict[str, Asked]) -> Iterator[str]:
    """The keys of ``held`` that ``_settled`` finds unsettled (a revised fold asks it of the items it made again)."""
    still_open = _still_open(d, table)
    return (key for key, asked in held.items() if still_open(asked.raised, asked.day, asked.answers))


_CONFERENCE_KINDS = frozenset(with_twins({ConferenceHeld: None}))
_CONVENED_KINDS = frozenset(with_twins({ConferenceConvened: None}))
_RULE_KINDS = frozenset(with_twins({RuleChanged: None}))
_DECIDED_KINDS = frozenset(with_twins({ProposalDecided: None}))


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
    n = p.upto(at)
    decided = [a for a in p.answers[:n] if isinstance(a, ProposalDecided)]
    objections = {a.party: a for a in p.answers[:n] if isinstance(a, ObjectionRaised)}
    return ProposalState(proposal=p.raised, decision=decided[-1] if decided else None,  # type: ignore[arg-type]
                         objections=objections)


def state_at(d: DatedState, at: str) -> UnionState:
    """The union as it stood at the end of day ``at`` (YYYY-MM-DD)."""
    upto = bisect_right(d.events, at, key=first_day)
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
