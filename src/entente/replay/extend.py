"""A dated state carried on with new entries, as a new state: the one it extends is left as it was.

A service holds each viewer's record folded, and readers may be reading it
while a write comes in; so a write makes a new state rather than change the
held one.  The new state shares what the entries do not touch and copies what
they do (a question's answers, an instrument's history), so the cost is that
of copying the lists, not of folding the record again.

An entry dated after everything folded is folded on at the end.  One dated
among the folded entries (an outside event of today, which sorts before the
positions stated today) is put in its place where its kind only goes into
ordered lists (answers, conferences, entries no table holds); an earlier act
of an instrument, a question raised or a rule changed earlier than the last
entry, makes the fold start again, since it changes what followed it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import msgspec

from entente.replay.dated import _ANSWER, _ASKED, _LIFE, DatedState, InstrumentHistory, _settled, fold
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
_ORDERED = (InstrumentSigned, *_LIFE, *_ASKED, ConferenceConvened, RuleChanged)


def extended(d: DatedState, events: Iterable[Event]) -> DatedState:
    """``d`` with ``events`` folded in, as a new dated state; ``d`` is left as it was."""
    new = in_order(events)
    if any(isinstance(e, _ORDERED) and d.events and order_key(e) < order_key(d.events[-1]) for e in new):
        return fold([*d.events, *new])
    copy = msgspec.structs.replace(
        d, events=list(d.events), days=list(d.days), instruments=dict(d.instruments),
        conferences=list(d.conferences), conference_days=list(d.conference_days), questions=dict(d.questions),
        requests=dict(d.requests), proposals=dict(d.proposals), convened=list(d.convened),
        rule_changes=list(d.rule_changes), targets=dict(d.targets), waiting=dict(d.waiting),
        unsettled={table: dict(keys) for table, keys in d.unsettled.items()})
    for e in new:
        _own(copy, e)
        if not copy.events or order_key(e) > order_key(copy.events[-1]):
            fold([e], onto=copy)
        else:
            _place(copy, e)
    return copy


def _own(copy: DatedState, e: Event) -> None:
    """Copy what ``e`` will change in place, so the state it extends keeps its own."""
    kind = type(e)
    instrument = getattr(e, "instrument", None) or ""
    if (kind is InstrumentSigned or kind in _LIFE) and (history := copy.instruments.get(instrument)):
        copy.instruments[instrument] = InstrumentHistory(days=list(history.days), states=list(history.states))
    table, field = _ANSWER.get(kind) or _ASKED.get(kind) or ("", "")
    key = getattr(e, field) if field else None
    if key is not None and (asked := getattr(copy, table).get(key)) is not None:
        getattr(copy, table)[key] = msgspec.structs.replace(asked, answers=list(asked.answers),
                                                             days=list(asked.days), latest=None)
    if key is not None and key in copy.waiting:
        copy.waiting[key] = list(copy.waiting[key])
    if isinstance(e, ProposalMade) and e.target in copy.targets:
        copy.targets[e.target] = list(copy.targets[e.target])


def _place(d: DatedState, e: Event) -> None:
    """Put ``e`` in its place among the folded entries: an answer, a conference, or an entry no table holds."""
    key = order_key(e)
    day, end = dates.bounds(e.date)
    at = bisect_right(d.events, key, key=order_key)
    d.events.insert(at, e)
    d.days.insert(at, day)
    d.last_day = max(d.last_day, end)
    if isinstance(e, ConferenceHeld):
        at = bisect_right(d.conferences, key, key=order_key)
        d.conferences.insert(at, e)
        d.conference_days.insert(at, day)
    elif type(e) in _ANSWER:
        table, field = _ANSWER[type(e)]
        name = getattr(e, field)
        if (asked := getattr(d, table).get(name)) is not None:
            at = bisect_right(asked.answers, key, key=order_key)
            asked.answers.insert(at, e)
            asked.days.insert(at, day)
            if name in d.unsettled.get(table, ()) and _settled(d, table, asked):
                del d.unsettled[table][name]
        else:
            waiting = d.waiting.setdefault(name, [])
            waiting.insert(bisect_right(waiting, key, key=order_key), e)
