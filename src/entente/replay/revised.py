"""A record's dated state with some entries left out and others put in, made from the state folded already.

A what-if run replays a record with a few entries changed.  Folding the changed record again costs as much as the
first fold; ``revised`` makes the same dated state from the one held instead: the instruments whose acts change
are worked out again from their own acts, each question (request, proposal) touched from its own entries, and who
may still owe an answer anew where either changes; every other table and item is shared with the state it is
made from, which is left as it was.  It gives what ``fold`` gives the changed record (``tests/test_revised.py``
compares the two).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from operator import attrgetter
from typing import Any

import msgspec

from entente.replay.dated import (
    _ANSWER,
    _ASKED,
    _CONFERENCE_KINDS,
    _CONVENED_KINDS,
    _INSTRUMENT_KINDS,
    _RULE_KINDS,
    Asked,
    DatedState,
    InstrumentHistory,
    _instrument,
    _unsettled,
    bound,
    first_day,
    fold,
)
from entente.replay.model import in_order, order_key
from entente.vocabulary import dates
from entente.vocabulary.events import Event, InstrumentSigned, ProposalMade

_id, _date = attrgetter("id"), attrgetter("date")


def revised(d: DatedState, left_out: Sequence[Event], new: Sequence[Event]) -> DatedState:
    """What ``fold`` makes of ``d``'s entries without ``left_out`` (entries of ``d``), and with ``new``."""
    gone = {e.id for e in left_out}
    events = list(d.events)
    at = _positions(events, left_out)
    dropped = [events[n] for n in at]
    for n in reversed(at):
        del events[n]
    added = in_order(new)
    for e in added:
        events.insert(bisect_right(events, order_key(e), key=order_key), e)
    days = list(map(first_day, events))
    touched = [*dropped, *added]
    if _raised_twice(d, gone, added):
        return fold(events)  # a name raised twice: the fold's own way with it, not worked out here
    out = msgspec.structs.replace(d, events=events, last_day=_last_day(d, events, dropped, added))
    kinds = {type(e) for e in touched}
    since = None  # the first day on which an instrument binds otherwise
    if not kinds.isdisjoint(_INSTRUMENT_KINDS):
        acting = _instruments(out, d, events, days, dropped, added)
        since = min((day for name in acting if (day := first_difference(d.instruments.get(name),
                                                                       out.instruments.get(name)))), default=None)
    gone_ids = {e.id for e in dropped}
    for name, of_kinds in (("conferences", _CONFERENCE_KINDS), ("convened", _CONVENED_KINDS),
                           ("rule_changes", _RULE_KINDS)):
        if not kinds.isdisjoint(of_kinds):
            setattr(out, name, _merged(getattr(d, name), gone_ids, [e for e in added if type(e) in of_kinds]))
    if not kinds.isdisjoint(_CONFERENCE_KINDS):
        out.conference_days = [dates.start(c.date) for c in out.conferences]
    tables = _tables(out, d, touched, gone_ids, added)
    if tables or since is not None:
        unsettled = dict(d.unsettled)
        for table in {*tables, *(("questions",) if since is not None else ())}:
            held: dict[str, Asked] = getattr(out, table)
            if table in tables or since is None:
                names = dict.fromkeys(_unsettled(out, table, held))
            else:  # who owes a position follows who is bound: asked again where that changed
                was = d.unsettled.get(table, {})
                again = _rebound(d, out, held, was, since)
                now = set(_unsettled(out, table, again))
                names = dict.fromkeys(k for k in held if (k in now if k in again else k in was))
            if names:
                unsettled[table] = names
            else:
                unsettled.pop(table, None)
        out.unsettled = unsettled
    return out


def _rebound(d: DatedState, out: DatedState, questions: dict[str, Asked], was: Mapping[str, None], since: str
             ) -> dict[str, Asked]:
    """The questions raised on or after ``since`` on which a position may be owed otherwise: where who was bound
    when each was raised changed, unless no one more is bound and it was settled (answers only add)."""
    changed: dict[tuple[str, str], tuple[bool, bool]] = {}  # (who is bound changed, someone more is bound)
    again = {}
    for key, asked in questions.items():
        if asked.day < since:
            continue
        where = (getattr(asked.raised, "instrument", None) or "", asked.day)
        if (how := changed.get(where)) is None:
            old, new = set(bound(d, *where)), set(bound(out, *where))
            how = changed[where] = old != new, not new <= old
        if how[0] and (key in was or how[1]):
            again[key] = asked
    return again


def _positions(events: list[Event], left_out: Sequence[Event]) -> list[int]:
    """The positions of the entries left out, in order: each looked up by its place in valid-time order, or, where
    it is not there as given, by its id."""
    at = []
    for e in left_out:
        n = bisect_left(events, order_key(e), key=order_key)
        if n < len(events) and events[n].id == e.id:
            at.append(n)
        else:
            at += [n for n, other in enumerate(events) if other.id == e.id]
    return sorted(set(at))


def _raised_twice(d: DatedState, gone: set[str], added: list[Event]) -> bool:
    """Whether a name raised by an added entry is raised already, in its table or another (which the fold takes
    entry by entry, in a way of its own)."""
    named = [getattr(e, _ASKED[type(e)][1]) for e in added if type(e) in _ASKED]
    if len(set(named)) != len(named):
        return True
    for key in named:
        for table in ("questions", "requests", "proposals"):
            held = getattr(d, table).get(key)
            if held is not None and held.raised.id not in gone:
                return True
    return False


def _last_day(d: DatedState, events: list[Event], dropped: list[Event], added: list[Event]) -> str:
    ends = [dates.end(e.date) for e in added]
    if any(dates.end(e.date) >= d.last_day for e in dropped):  # the last day may have gone with it
        last = max(map(dates.end, set(map(_date, events))), default="0001-01-01")
    else:
        last = d.last_day
    return max([last, *ends])


def _instruments(out: DatedState, d: DatedState, events: list[Event], days: list[str], dropped: list[Event],
                 added: list[Event]) -> set[str]:
    """The histories of the instruments whose acts are touched, folded again from their acts (the others shared);
    their names."""
    acts = [e for e in (*dropped, *added) if type(e) in _INSTRUMENT_KINDS]
    names = {e.instrument for e in acts}  # type: ignore[attr-defined]
    gone = {e.id for e in dropped}
    scratch = DatedState()
    if any(isinstance(e, InstrumentSigned) for e in acts):  # acts before a signature may now count: every act
        for n in compress(range(len(events)), map(_INSTRUMENT_KINDS.__contains__, map(type, events))):
            if events[n].instrument in names:  # type: ignore[attr-defined]
                _instrument(scratch, events[n], days[n])
    else:  # the acts each history holds (those before its signature count for nothing), with those added
        for name in names:
            history = d.instruments.get(name)
            held = history.acts if history is not None else []
            mine = [e for e in added if type(e) in _INSTRUMENT_KINDS and e.instrument == name]  # type: ignore[attr-defined]
            for e in _merged(held, gone, mine):
                _instrument(scratch, e, dates.start(e.date))
    kept = {k: h for k, h in out.instruments.items() if k not in names}
    # In the order of their first signature, as the fold meets them.
    out.instruments = dict(sorted({**kept, **scratch.instruments}.items(), key=lambda kv: order_key(kv[1].acts[0])))
    return names


def first_difference(was: InstrumentHistory | None, now: InstrumentHistory | None) -> str | None:
    """The first day on which two histories of an instrument differ (None where they do not)."""
    if was is None or now is None:
        return None if was is now else (was or now).days[0]  # type: ignore[union-attr]
    for day, state, other_day, other in zip(was.days, was.states, now.days, now.states, strict=False):
        if day != other_day or state != other:
            return min(day, other_day)
    shorter = min(len(was.days), len(now.days))
    longer = was if len(was.days) > shorter else now
    return longer.days[shorter] if len(longer.days) > shorter else None


def _merged(held: list[Any], gone: set[str], added: list[Event]) -> list[Any]:
    """A list in valid-time order, without the entries gone and with those added in their places."""
    out = [e for e in held if e.id not in gone]
    for e in added:
        out.insert(bisect_right(out, order_key(e), key=order_key), e)
    return out


def _tables(out: DatedState, d: DatedState, touched: list[Event], gone: set[str], added: list[Event]) -> set[str]:
    """Each question, request and proposal touched, made again from its entries; the tables changed."""
    keys: dict[str, dict[str, bool]] = {}  # table -> the names touched -> whether its opening entry is
    for e in touched:
        if (asked := _ASKED.get(type(e))) is not None:
            keys.setdefault(asked[0], {})[getattr(e, asked[1])] = True
        elif (answer := _ANSWER.get(type(e))) is not None:
            keys.setdefault(answer[0], {}).setdefault(getattr(e, answer[1]), False)
    if not keys:
        return set()
    waiting = out.waiting = dict(d.waiting)
    for table, names in keys.items():
        held: dict[str, Asked] = dict(getattr(d, table))
        field = next(f for k, (t, f) in _ASKED.items() if t == table)
        for key in names:
            was = held.get(key)
            raised = was.raised if was is not None and was.raised.id not in gone else None
            raised = next((e for e in added if type(e) in _ASKED and getattr(e, field) == key
                           and _ASKED[type(e)][0] == table), raised)
            answers = _merged(was.answers if was is not None else d.waiting.get(key, []), gone,
                              [e for e in added if _ANSWER.get(type(e), ("", ""))[0] == table
                               and getattr(e, _ANSWER[type(e)][1]) == key])
            if raised is None:
                held.pop(key, None)
                if answers:
                    waiting[key] = answers
                else:
                    waiting.pop(key, None)
                continue
            waiting.pop(key, None)
            held[key] = Asked(raised=raised, day=dates.start(raised.date), answers=answers)
        if any(names.values()):  # an opening entry touched: the table in the order of its openings, as folded
            held = dict(sorted(held.items(), key=lambda kv: order_key(kv[1].raised)))
        setattr(out, table, held)
        if table == "proposals":
            out.targets = _targets(held.items())
    return set(keys)


def _targets(proposals: Iterable[tuple[str, Asked]]) -> dict[str, list[str]]:
    """The proposals on each question (entry, party) they name as target, in the order they were made."""
    targets: dict[str, list[str]] = {}
    for key, asked in proposals:
        if isinstance(asked.raised, ProposalMade) and asked.raised.target:
            targets.setdefault(asked.raised.target, []).append(key)
    return targets
