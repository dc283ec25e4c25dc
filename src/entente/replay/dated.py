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

import threading
from array import array
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain, compress, repeat
from operator import attrgetter
from typing import Any, Generic, TypeVar, cast

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
    sort_keys,
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


class Tables(msgspec.Struct, kw_only=True):
    """The questions, requests and proposals of a dated state, each with its answers, and what is kept beside them."""

    questions: dict[str, Asked] = {}
    requests: dict[str, Asked] = {}
    proposals: dict[str, Asked] = {}
    targets: dict[str, list[str]] = {}  # the proposals on each question (or entry, or party) they name as target
    # Per table, the questions, requests and proposals that may still await an answer: a question until
    # every party bound on the day it was raised has answered, a request until every addressee has, a
    # proposal until it is decided.  What is due at the
    # record's end is looked for among these only; the rules still judge each one found.
    unsettled: dict[str, dict[str, None]] = {}
    # Answers whose question, request or proposal is not folded yet (an uncertain date can start
    # earlier than the thing it answers); attached when it comes.
    waiting: dict[str, list[Event]] = {}


class _Table(Generic[T]):
    """A table of a dated state's ``Tables``, read and set as an attribute of the state (made when first read)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, d: DatedState, owner: type | None = None) -> T:
        return cast(T, getattr(d.tables(), self.name))

    def __set__(self, d: DatedState, value: T) -> None:
        setattr(d.tables(), self.name, value)


# Held while a state's tables are made: readers that ask at once wait for the first to make them rather than make
# them each (the making is Python's work, which runs on one core at a time whatever the threads).
_MAKING = threading.Lock()


class DatedState(msgspec.Struct, kw_only=True):
    # Every event, in valid-time order: a list, or in a state a write extended, a chunked sequence
    # (``replay.extend``).  A day is looked up by each event's first day, found as asked (``first_day``).
    events: Sequence[Event] = []
    instruments: dict[str, InstrumentHistory] = {}
    conferences: list[ConferenceHeld] = []
    conference_days: list[str] = []
    convened: list[ConferenceConvened] = []
    rule_changes: list[RuleChanged] = []
    last_day: str = "0001-01-01"  # the last day the record speaks of (the latest end of any event's date)
    # The questions, requests and proposals; None where a whole record's fold left them to be made from ``events``
    # when first read (``tables``): a read of the instruments, the conferences or the entries of a day does not
    # wait for them.
    _tables: Tables | None = msgspec.field(default_factory=Tables)
    # Until they are made, what a fold left to make them from faster (``_Given``); let go once they are.
    _given: Any = None

    questions = _Table[dict[str, Asked]]()
    requests = _Table[dict[str, Asked]]()
    proposals = _Table[dict[str, Asked]]()
    targets = _Table[dict[str, list[str]]]()
    unsettled = _Table[dict[str, dict[str, None]]]()
    waiting = _Table[dict[str, list[Event]]]()

    def tables(self) -> Tables:
        """The questions, requests and proposals, made from the entries the first time they are asked for (and
        kept): each state's own, made whole at once, so a reader in another thread sees all of them or none."""
        made = self._tables
        if made is None:
            with _MAKING, uncollected():
                made = self._tables
                if made is None:  # not made by another reader meanwhile
                    given, self._given = self._given, None
                    made = self._tables = _tables_of(self.events, self.instruments, given if isinstance(
                        given, _Given) and given.of(self.events) else None)
                    del given  # let go before the collector runs again, which would walk every entry it holds
        return made

    def with_tables(self, **changed: Any) -> DatedState:
        """A copy whose tables named are replaced (the others, and everything else, shared)."""
        return msgspec.structs.replace(self, _tables=msgspec.structs.replace(self.tables(), **changed))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatedState):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _COMPARED) and \
            self.tables() == other.tables()

    __hash__ = None  # type: ignore[assignment]

    def target_of(self, proposal: str) -> str | None:
        """What a proposal is about (a question, an entry, a party), if it names it."""
        asked = self.proposals.get(proposal)
        return getattr(asked.raised, "target", None) if asked is not None else None

    def put_to(self, meeting: str) -> list[str]:
        """The proposals put to a meeting."""
        return [name for name, asked in self.proposals.items() if getattr(asked.raised, "meeting", None) == meeting]


_COMPARED = tuple(name for name in DatedState.__struct_fields__ if name not in ("_tables", "_given"))


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
    """The record folded into dated state; with ``onto``, the new entries folded onto it (which it returns).

    The whole record folded at once leaves its questions, requests and proposals to be made when first read
    (``DatedState.tables``)."""
    with uncollected():
        if onto is None:
            return _fold_whole(events if isinstance(events, list) else list(events))
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
    onto._given = None  # what a whole fold kept for its tables is for its entries alone
    onto.last_day = max(onto.last_day, max(map(dates.end, map(attrgetter("date"), new)), default=onto.last_day))
    # Tables not made yet are made from the entries when first read, these among them.
    apply = (_APPLY if onto._tables is not None else _UNTABLED).get
    for e, day in zip(new, new_days, strict=True):
        if (step := apply(type(e))) is not None:
            step(onto, e, day)
    return onto


# --- the whole record at once: a step a kind, an item or an answered key, not a step an entry -----------------

_TABLED = frozenset(with_twins(dict.fromkeys((*_ASKED, *_ANSWER))))
_UNTABLED = {kind: step for kind, step in _APPLY.items() if kind not in _TABLED}
_INSTRUMENT_KINDS = frozenset(with_twins(dict.fromkeys((InstrumentSigned, *_LIFE))))
_CONFERENCE_KINDS = frozenset(with_twins({ConferenceHeld: None}))
_CONVENED_KINDS = frozenset(with_twins({ConferenceConvened: None}))
_RULE_KINDS = frozenset(with_twins({RuleChanged: None}))
_DECIDED_KINDS = frozenset(with_twins({ProposalDecided: None}))
_TABLES = {table: (frozenset(k for k, (t, _) in _ASKED.items() if t == table), field,
                   frozenset(k for k, (t, _) in _ANSWER.items() if t == table))
           for table, field in _ASKED.values()}
# The kinds the whole record's fold looks at one by one (a few in any record); the others only go into ``events``.
_FEW = _INSTRUMENT_KINDS | _CONFERENCE_KINDS | _CONVENED_KINDS | _RULE_KINDS


def _fold_whole(given: list[Event]) -> DatedState:
    """The record folded at once, to the state ``_fold`` makes of it entry by entry: the entries sorted, and
    the instruments, conferences and rule changes (a few in any record) picked out and folded in order.  The
    questions, requests and proposals are left to be made when first read (``_tables_of``)."""
    keys, kinds, first_days = sort_keys(given)
    numbers = list(range(len(given)))
    order = sorted(numbers, key=keys.__getitem__)
    ordered = list(map(given.__getitem__, order))
    # The few entries looked at one by one, found in the order given and then put in valid-time order.
    few = sorted(compress(numbers, map(_FEW.__contains__, kinds)), key=keys.__getitem__)
    d = DatedState(events=ordered, _tables=None, _given=_Given(ordered, given, order, numbers))
    d.last_day = max(d.last_day, max(map(dates.end, first_days), default=d.last_day))
    for i in few:
        e: Any = given[i]
        kind = kinds[i]
        if kind in _INSTRUMENT_KINDS:
            _instrument(d, e, first_days[e.date])
        elif kind in _CONFERENCE_KINDS:
            _conference(d, e, first_days[e.date])
        elif kind in _CONVENED_KINDS:
            d.convened.append(e)
        else:
            d.rule_changes.append(e)
    return d


class _Given:
    """The entries a whole record's fold was given, in the order given, and where each comes in valid-time order:
    read in the order given, which is the order they lie in memory, the tables are made in about half the time
    (in valid-time order, reading a field of each entry costs a cache miss on a record larger than the
    processor's caches).  Held for the state's own entries only (``of``)."""

    __slots__ = ("_count", "_events", "entries", "rank")

    def __init__(self, ordered: list[Event], given: list[Event], order: list[int], numbers: list[int]) -> None:
        """``numbers``: 0 to n - 1, the same number objects ``order`` holds (none made again)."""
        self._events, self._count = ordered, len(ordered)
        self.entries = list(given)  # a copy: a caller may change its own list later
        # 4 bytes an entry (8 past two thousand million), not a number object's 36.
        code = "i" if len(order) < 1 << 31 else "q"
        self.rank = array(code, bytes(array(code).itemsize * len(order)))
        deque(map(self.rank.__setitem__, order, numbers), maxlen=0)

    def of(self, events: Sequence[Event]) -> bool:
        """Whether these are the entries of ``events`` (a state that shares the fold's fields but holds entries
        of its own, or entries added since in place, is made from its entries)."""
        return events is self._events and len(events) == self._count


def _tables_of(events: Sequence[Event], instruments: dict[str, InstrumentHistory], given: _Given | None) -> Tables:
    """The questions, requests and proposals of entries in valid-time order (whose instruments are folded),
    table by table, to what ``_fold`` makes of them entry by entry; read in the order ``given``, where a fold
    left it.

    In order, every answer comes after those before it and what it answers is in its table by the end;
    so each question's (request's, proposal's) answers are its answers in order, grouped once, and
    whether it may still await one is decided once, at the end.  A record where this would differ from
    the fold entry by entry (a key raised twice, or named in two tables) is folded entry by entry.
    """
    with uncollected():
        ordered = events if isinstance(events, list) else list(events)
        entries = ordered if given is None else given.entries
        # Each list of positions in the order read, put in valid-time order where that differs.
        in_order: Callable[[list[int]], Any] = (lambda found: None) if given is None else \
            partial(list.sort, key=given.rank.__getitem__)
        of_kind = _bucketed(map(type, entries), range(len(entries)))  # the positions of each kind's entries
        tables: dict[str, tuple[list[int], list[str], dict[str, list[int]]]] = {}
        for table, (asking, field, answering) in _TABLES.items():
            get = attrgetter(field)
            in_order(raised := list(_of_kinds(of_kind, asking)))
            keys = list(map(get, map(entries.__getitem__, raised)))
            if len(set(keys)) != len(keys):
                return _entry_by_entry(ordered)
            answers = _of_kinds(of_kind, answering)
            grouped = _bucketed(map(get, map(entries.__getitem__, answers)), answers)
            deque(map(in_order, grouped.values()), maxlen=0)
            tables[table] = raised, keys, grouped
        named = [{*keys, *grouped} for _, keys, grouped in tables.values()]
        if any(a & b for i, a in enumerate(named) for b in named[i + 1:]):
            return _entry_by_entry(ordered)
        made = Tables()
        first = (lambda at: at) if given is None else given.rank.__getitem__
        for table, (raised, keys, grouped) in tables.items():
            _table(made, instruments, table, entries, raised, keys, grouped, first)
        return made


def _entry_by_entry(events: list[Event]) -> Tables:
    """The tables the fold entry by entry makes of entries in valid-time order."""
    made = _fold(events, None)._tables
    assert made is not None  # a fold entry by entry makes its tables as it goes
    return made


def _of_kinds(of_kind: dict[type, list[int]], wanted: frozenset[type]) -> list[int]:
    """The positions of the entries of the kinds ``wanted``, in order."""
    found = [of_kind[k] for k in wanted if k in of_kind]
    return found[0] if len(found) == 1 else sorted(chain.from_iterable(found))


def _bucketed(keys: Iterable[Any], values: Iterable[T]) -> dict[Any, list[T]]:
    """The values of each key, in order: a pass in C, not a Python step a value (``deque`` of no length
    only drives the appends)."""
    buckets: defaultdict[Any, list[T]] = defaultdict(list)
    deque(map(list.append, map(buckets.__getitem__, keys), values), maxlen=0)
    return buckets


def _table(made: Tables, instruments: dict[str, InstrumentHistory], table: str, given: list[Event],
           raised: list[int], keys: list[str], grouped: dict[str, list[int]], rank: Callable[[int], int]) -> None:
    """One table (questions, requests or proposals) of the whole record, with every answer attached.

    Whether each may still await an answer is decided at the end, with every answer and who is bound on
    each day as the whole record has it (the fold entry by entry asks as each answer comes, and what it
    finds settled stays so: answers only add; acts of a question's day that come after it only end bonds),
    and as each is made, while its answers are still in the processor's cache."""
    held: dict[str, Asked] = getattr(made, table)
    unsettled: dict[str, None] = {}
    still_open = _still_open(instruments, table)
    for key, i in zip(keys, raised, strict=True):
        e = given[i]
        day = first_day(e)
        answers = list(map(given.__getitem__, grouped.pop(key, ())))
        held[key] = Asked(raised=e, day=day, answers=answers)
        if still_open(e, day, answers):
            unsettled[key] = None
        if isinstance(e, ProposalMade) and e.target:
            made.targets.setdefault(e.target, []).append(key)
    # In the order their first answers come, as the fold entry by entry meets them.
    for key, found in sorted(grouped.items(), key=lambda group: rank(group[1][0])):
        made.waiting[key] = list(map(given.__getitem__, found))
    if unsettled:
        made.unsettled[table] = unsettled


_party = attrgetter("party")


def _still_open(instruments: dict[str, InstrumentHistory], table: str) -> Callable[[Any, str, list[Event]], bool]:
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
            history = instruments.get(where[0])
            now = history.on(day) if history else None
            owed = bound_on[where] = set(now.parties) if now else set()
        # Those owed that no answer names: answered by all once none is left (no set of the answers made).
        return len(answers) < len(owed) or bool(owed.difference(map(_party, answers)))

    return question


def _unsettled(d: DatedState, table: str, held: dict[str, Asked]) -> Iterator[str]:
    """The keys of ``held`` that ``_settled`` finds unsettled (a revised fold asks it of the items it made again)."""
    still_open = _still_open(d.instruments, table)
    return (key for key, asked in held.items() if still_open(asked.raised, asked.day, asked.answers))


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

    def __init__(self, d: DatedState, table: str, at: str, make: Callable[[Asked, str], T]) -> None:
        self._d, self._name, self._at, self._make = d, table, at, make
        self._made: dict[str, T] = {}

    @property
    def _table(self) -> dict[str, Asked]:
        """The state's table, looked up when first read: a state of the day read for its instruments only does not
        make the dated state's tables (``DatedState.tables``)."""
        return cast(dict[str, Asked], getattr(self._d, self._name))

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
    s.questions = Raised(d, "questions", at, _question)
    s.requests = Raised(d, "requests", at, _request)
    s.proposals = Raised(d, "proposals", at, _proposal)
    held = {c.id for c in s.conferences}
    for c in d.convened:
        if start(c.date) <= at:
            s.convened[c.conference] = c
    s.convened = {k: c for k, c in s.convened.items() if k not in held}
    s.rule_changes = [c for c in d.rule_changes if start(c.date) <= at]
    return s
