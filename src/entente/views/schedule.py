"""What the treaty asks for next, in time: the proposed next conference of each periodic series, and deadlines.

Both are read off :func:`entente.rules.due` (the rule kinds decide what is due);
this module only pairs the due items of one series and adds what the record
knows about places.  Pure: (union, treaties, events, date) in, plain data out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from entente.replay.state import state
from entente.rules import Due, due
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceHeld, Event, english
from entente.vocabulary.said import Said, Term, Value, day, listed, said, say
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


class Proposal(msgspec.Struct, kw_only=True):
    """The next conference of one periodic series of an instrument, as the rules in force make it due."""

    instrument: str
    series: str | list[str] | None = None
    rule_id: str  # the periodic_meetings rule
    latest: str | None  # the last day it may be held on (the periodic rule's ``by``)
    earliest: str | None = None  # the first day it may be held on, given a notice period
    host: str | None = None  # the one host the rotation allows, else None
    hosts: list[str] = []  # every host the rotation allows
    place: str | None = None  # the host's most recent conference place (English), if the record has one
    place_from: str | None = None  # the conference that place comes from
    convened: str | None = None  # the day it is to meet on, once convened
    articles: list[str] = []  # "Article 2 of <instrument>", for each rule it rests on
    detail: str
    said: Said | None = None  # the detail as data, for a view to say in its reader's language


def _last_place(events: Sequence[Event], host: str, at: str) -> ConferenceHeld | None:
    """The most recent conference the host held up to ``at`` that names a place."""
    held = [e for e in events if isinstance(e, ConferenceHeld) and e.host == host and e.place
            and dates.start(e.date) <= at]
    return max(held, key=lambda e: (dates.start(e.date), e.id), default=None)


def _cite(item: Due) -> str:
    return f"Article {item.article} of {item.instrument}"


def next_conference(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str) -> list[Proposal]:
    """For each periodic_meetings rule of an instrument in force on ``at``, the next conference it makes due."""
    s = state(events, at)
    items = due(union, treaties, events, at)
    proposals: list[Proposal] = []
    for item in items:
        treaty = treaties.get(item.instrument)
        instrument = s.instruments.get(item.instrument)
        if item.rule != "periodic_meetings" or treaty is None or instrument is None \
                or instrument.status != "in_force":
            continue
        series = item.series
        # The rotation that governs this series: a host_rotation rule of the same instrument and series.
        rotation = next((d for d in items if d.rule == "host_rotation" and d.instrument == item.instrument
                         and d.series == series), None)
        notes: list[Value] = [said("latest %(day)s (%(why)s)", day=day(str(item.by)), why=item.said or item.detail)]
        earliest = item.earliest
        notes.append(said("earliest %(day)s, after the notice period", day=day(earliest)) if earliest
                     else said("no earliest date: rule %(rule)s sets no notice period", rule=item.rule_id))
        # A rotation names the hosts it allows; else the periodic rule may name one (the presiding country).
        hosts = list(rotation.parties) if rotation else ([item.host] if item.host else [])
        host = rotation.host if rotation else item.host
        if rotation:
            notes.append(rotation.said or rotation.detail)
        elif item.host:
            notes.append(said("in %(host)s, the presiding country then (rule %(rule)s)", host=item.host,
                              rule=item.rule_id))
        else:
            notes.append(said("no host: no host_rotation rule governs this series"))
        called = next((c for c in s.convened.values() if c.instrument == item.instrument and c.series == series),
                      None)
        if called is not None:  # already convened: the notice says when and where, whatever the rules allow
            host, hosts = called.host, [called.host] if called.host else hosts
            notes.insert(0, said("convened on %(day)s for %(planned)s (%(id)s)", day=day(called.date),
                                 planned=day(str(called.planned)), id=called.id))
        last = _last_place(s.events, host, at) if host else None
        place = english(called.place) if called is not None and called.place else english(last.place) if last \
            else None
        if host and not (called is not None and called.place):
            notes.append(said("place: %(place)s, where %(host)s last held a conference (%(id)s)",
                              place=Term(text=str(place), forms=dict(last.place)), host=host, id=last.id) if last
                         else said("place: the record names no conference %(host)s held", host=host))
        articles = list(dict.fromkeys([_cite(item)] + ([_cite(rotation)] if rotation else [])))
        proposals.append(Proposal(
            instrument=item.instrument, series=series, rule_id=item.rule_id, latest=item.by, earliest=earliest,
            host=host, hosts=hosts, place=place, place_from=last.id if last else None, articles=articles,
            convened=called.planned if called is not None else None,
            detail=say(listed(notes, ";")), said=said("%(notes)s", notes=listed(notes, ";"))))
    return proposals


def deadlines(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str) -> list[Due]:
    """Every due item with a date (``by`` or ``on``), earliest first."""
    dated = [d for d in due(union, treaties, events, at) if d.by or d.on]
    return sorted(dated, key=lambda d: (d.by or d.on or "", d.instrument, d.rule_id))
