"""A dated state carried on with new entries, as a new state: the one it extends is left as it was.

A service holds each viewer's record folded, and readers may be reading it
while a write comes in; so a write makes a new state rather than change the
held one.  The new state shares what the entries do not touch and copies what
they do (a question's answers, an instrument's history), so the cost is that
of copying the lists, not of folding the record again.

An entry dated after everything folded is folded on at the end.  One dated
among the folded entries (an outside event of today, which sorts before the
positions stated today) is put in its place where its kind only goes into
ordered lists (answers, conferences, entries no table holds); so is a question,
request or proposal (one raised today after today's positions) when what
follows it holds only entries it cannot change: their answers to it wait for
it, as in a fold.  An earlier act of an instrument, a rule changed, or a
question raised earlier than entries it would change, makes the fold start
again, since it changes what followed it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from copy import copy as copy_of
from typing import Any

import msgspec

from entente.replay.chunked import Chunked
from entente.replay.dated import _ANSWER, _APPLY, _ASKED, _LIFE, DatedState, InstrumentHistory, _settled, fold
from entente.replay.model import in_order, order_key
from entente.vocabulary import dates
from entente.vocabulary.events import (
    ConferenceConvened,
    ConferenceHeld,
    Event,
    InstrumentSigned,
    ProposalMade,
    RuleChanged,
)

# Kinds that change what follows them (who is bound, which rules hold, what a later answer answers):
# one dated among the folded entries makes the fold start again.
_ACTS = (InstrumentSigned, *_LIFE)
_ORDERED = (*_ACTS, *_ASKED, ConferenceConvened, RuleChanged)
# Entries placed among the folded ones one by one at most; more (a file of the past) are folded with the rest.
_PLACED_AT_MOST = 256
# A question, request or proposal is put in its place among the folded entries only with at most so many after it
# (those of its own day, as a rule), each looked at; one dated further back makes the fold start again.
_FOLLOWED_BY_AT_MOST = 4096


def extended(d: DatedState, events: Iterable[Event]) -> DatedState:
    """``d`` with ``events`` folded in, as a new dated state; ``d`` is left as it was."""
    new = in_order(events)
    among = [e for e in new if d.events and order_key(e) < order_key(d.events[-1])]
    if len(among) > _PLACED_AT_MOST or any(isinstance(e, _ORDERED) and type(e) not in _ASKED for e in among):
        return fold([*d.events, *new])
    # The entries and their days in chunks, which a new version shares but for the chunk an entry goes into;
    # every other table shared too, until an entry changes it (``_own`` copies it then, once).
    copy = msgspec.structs.replace(d, events=Chunked.of(d.events))
    owned: set[str] = set()
    if new and not among:
        # All after what is folded (a write of today, a catch-up): appended in one step each, then folded on.
        days = [dates.bounds(e.date) for e in new]
        copy.events = Chunked.of(copy.events).appended(new)
        copy.last_day = max(copy.last_day, *(end for _, end in days))
        for e, (day, _) in zip(new, days, strict=True):
            _own(copy, e, owned)
            if (step := _APPLY.get(type(e))) is not None:
                step(copy, e, day)
        return copy
    for e in new:
        key = order_key(e)
        last = not copy.events or key > order_key(copy.events[-1])
        at = len(copy.events) if last else bisect_right(copy.events, key, key=order_key)
        if not last and type(e) in _ASKED and not _placeable(copy, e, at):
            return fold([*d.events, *new])
        _own(copy, e, owned)
        day, end = dates.bounds(e.date)
        copy.events = Chunked.of(copy.events).inserted(at, e)
        copy.last_day = max(copy.last_day, end)
        if last:  # folded on as the fold does
            if (step := _APPLY.get(type(e))) is not None:
                step(copy, e, day)
        else:
            _place(copy, e, key, day)
    return copy


def _table(copy: DatedState, name: str, owned: set[str]) -> Any:
    """The table ``name`` of ``copy``, its own: copied from the state extended the first time it is changed."""
    if name not in owned:
        owned.add(name)
        setattr(copy, name, copy_of(getattr(copy, name)))
    return getattr(copy, name)


def _own(copy: DatedState, e: Event, owned: set[str]) -> None:
    """Copy what ``e`` will change in place, so the state it extends keeps its own; what it leaves, stays shared."""
    kind = type(e)
    instrument = getattr(e, "instrument", None) or ""
    if isinstance(e, InstrumentSigned) or kind in _LIFE:
        instruments = _table(copy, "instruments", owned)
        if history := instruments.get(instrument):
            instruments[instrument] = InstrumentHistory(days=list(history.days), states=list(history.states),
                                                        acts=list(history.acts), timed=history.timed)
    elif isinstance(e, ConferenceHeld):
        _table(copy, "conferences", owned)
        _table(copy, "conference_days", owned)
    elif isinstance(e, ConferenceConvened):
        _table(copy, "convened", owned)
    elif isinstance(e, RuleChanged):
        _table(copy, "rule_changes", owned)
    table, field = _ANSWER.get(kind) or _ASKED.get(kind) or ("", "")
    if not field:
        return
    key = getattr(e, field)
    asked = _table(copy, table, owned)
    if (earlier := asked.get(key)) is not None:
        asked[key] = msgspec.structs.replace(earlier, answers=list(earlier.answers), latest=None)
    unsettled = _table(copy, "unsettled", owned)
    if f"unsettled.{table}" not in owned and table in unsettled:  # each table's unsettled names: a table too
        owned.add(f"unsettled.{table}")
        unsettled[table] = dict(unsettled[table])
    waiting = _table(copy, "waiting", owned)
    if key in waiting:
        waiting[key] = list(waiting[key])
    if isinstance(e, ProposalMade) and e.target:
        targets = _table(copy, "targets", owned)
        if e.target in targets:
            targets[e.target] = list(targets[e.target])


def _placeable(d: DatedState, e: Event, at: int) -> bool:
    """Whether a question, request or proposal to go at index ``at`` is folded as the fold would: none of its name
    is folded yet (its answers wait for it, wherever they are), and no entry after it is one it would come before
    in its table (another of its table), or that changes who is bound by then (an instrument's act)."""
    table, field = _ASKED[type(e)]
    if getattr(e, field) in getattr(d, table) or len(d.events) - at > _FOLLOWED_BY_AT_MOST:
        return False
    return not any(_ASKED.get(type(after), ("",))[0] == table or isinstance(after, _ACTS) for after in d.events[at:])


def _place(d: DatedState, e: Event, key: tuple[str, int, str], day: str) -> None:
    """Put ``e`` in its place among the folded answers or conferences (it is among the entries already), or a
    question, request or proposal in its table (``_placeable``)."""
    if type(e) in _ASKED:
        _APPLY[type(e)](d, e, day)
    elif isinstance(e, ConferenceHeld):
        at = bisect_right(d.conferences, key, key=order_key)
        d.conferences.insert(at, e)
        d.conference_days.insert(at, day)
    elif type(e) in _ANSWER:
        table, field = _ANSWER[type(e)]
        name = getattr(e, field)
        if (asked := getattr(d, table).get(name)) is not None:
            at = bisect_right(asked.answers, key, key=order_key)
            asked.answers.insert(at, e)
            if name in d.unsettled.get(table, ()) and _settled(d, table, asked):
                del d.unsettled[table][name]
        else:
            waiting = d.waiting.setdefault(name, [])
            waiting.insert(bisect_right(waiting, key, key=order_key), e)
