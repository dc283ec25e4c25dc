"""The union's calendar as iCalendar (RFC 5545): conferences held, the next conference due, and deadlines.

Built only from the events the caller passes (what the viewer may see), and
reproducible: UIDs come from the union and event ids, DTSTAMP from the
event's record time or, failing that, from dates in the data, never the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import icalendar

from entente.replay.state import in_order
from entente.rules import Due
from entente.views.schedule import Proposal, deadlines, next_conference
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceHeld, Event, english
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _midnight(iso_day: str) -> datetime:
    return datetime.combine(_day(iso_day), datetime.min.time(), tzinfo=UTC)


def _stamp(event: Event) -> datetime:
    """When the entry was recorded; without a record time, the last day the event can mean (data, not clock)."""
    if event.recorded:
        try:
            return datetime.fromisoformat(event.recorded).astimezone(UTC).replace(microsecond=0)
        except ValueError:
            pass  # an unparsable record time falls back like a missing one
    return _midnight(dates.end(event.date))


def _uid(key: str, union: Union) -> str:
    return f"{re.sub(r'[^A-Za-z0-9.-]+', '-', key)}@{union.id}.entente"


def _all_day(component: icalendar.cal.Component, first: str, last: str) -> None:
    component.add("dtstart", _day(first))
    component.add("dtend", _day(last) + timedelta(days=1))  # DTEND of an all-day event is exclusive


def _conference(e: ConferenceHeld, union: Union, public: bool) -> icalendar.Event:
    first, last = dates.bounds(e.date)
    v = icalendar.Event()
    v.add("uid", _uid(e.id, union))
    v.add("dtstamp", _stamp(e))
    _all_day(v, first, last)
    numbered = f"Conference no. {e.number}" + (f" ({e.instrument})" if e.instrument else "") if e.number else ""
    v.add("summary", english(e.title) or numbered or "Conference")
    if place := english(e.place):
        v.add("location", place)
    lines = [e.source.gloss or e.source.quote] if e.source else []
    if outcome := english(e.outcome):
        lines.append(f"Outcome: {outcome}")
    if first != last and e.date != f"{first}/{last}":  # the record knows only a span, not the days
        lines.append(f"The record dates it {e.date}: the days shown are every day it can mean.")
    if lines:
        v.add("description", "\n\n".join(lines))
    v.add("categories", ["conference"] + ([e.instrument] if e.instrument else []))
    v.add("class", "PUBLIC" if public else "CONFIDENTIAL")
    return v


def _proposal(p: Proposal, union: Union, at: str) -> icalendar.Event | None:
    if p.latest is None:
        return None
    v = icalendar.Event()
    v.add("uid", _uid(f"next.{p.instrument}.{p.rule_id}.{p.latest}", union))
    v.add("dtstamp", _midnight(at))
    hosts = " or ".join(p.hosts) if p.hosts else "not set by the treaty"
    if p.convened:  # convened: it goes in the calendar on the days it is to meet
        first, last = dates.bounds(p.convened)
        _all_day(v, first, last)
        v.add("summary", f"Conference convened: host {hosts}")
    else:
        _all_day(v, p.latest, p.latest)
        v.add("summary", f"Next conference due: host {hosts}")
    if p.place:
        v.add("location", p.place)
    v.add("description", f"{p.detail}\n\nRests on: {', '.join(p.articles)}")
    v.add("categories", ["proposal", p.instrument])
    return v


def _deadline(d: Due, union: Union, at: str, seen: dict[str, int]) -> icalendar.Event:
    day = d.by or d.on or at
    key = f"due.{d.instrument}.{d.rule_id}.{d.what}.{day}" + (f".{d.evidence[0]}" if d.evidence else "")
    seen[key] = seen.get(key, 0) + 1
    v = icalendar.Event()
    v.add("uid", _uid(key if seen[key] == 1 else f"{key}.{seen[key]}", union))
    v.add("dtstamp", _midnight(at))
    _all_day(v, day, day)
    v.add("summary", f"{'Last day for' if d.by else 'Falls due'}: {d.what} ({d.instrument}, art. {d.article})")
    v.add("description", d.detail)
    v.add("categories", ["deadline", d.instrument])
    if d.by:  # a last day: remind a week before it and on the day before
        for before in REMINDERS:
            v.add_component(_reminder(before, str(v["summary"])))
    return v


# How long before a deadline a subscribed calendar reminds of it.
REMINDERS = (timedelta(days=7), timedelta(days=1))


def _reminder(before: timedelta, summary: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Reminder: {summary}")
    alarm.add("trigger", -before)
    return alarm


def name_version(cal: icalendar.Calendar, record_version: str, what: str) -> None:
    """The version of the record a calendar was made from, for programs (``X-ENTENTE-RECORD-VERSION``) and
    for people, in the calendar's description (RFC 7986's ``DESCRIPTION``, and ``X-WR-CALDESC``, which more
    programs show)."""
    cal.add("x-entente-record-version", record_version)
    said = f"{what}, made from the record as its log was signed: {record_version}."
    cal.add("description", said)
    cal.add("x-wr-caldesc", said)


def calendar(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str,
             record_version: str | None = None) -> bytes:
    """The .ics bytes: every conference in ``events``, and what is due as of ``at``; with ``record_version`` (the
    viewer's log as signed), the calendar names the version of the record it was made from."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Entente//{union.id}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", english(union.name, union.id))
    if record_version is not None:
        name_version(cal, record_version, "Conferences, the next conference due and deadlines")
    # CLASS marks what the public may not see: the classification the visibility filter gave each entry.
    for e in in_order(events):
        if isinstance(e, ConferenceHeld):
            cal.add_component(_conference(e, union, e.classification == "public"))
    for p in next_conference(union, treaties, events, at):
        if (v := _proposal(p, union, at)) is not None:
            cal.add_component(v)
    seen: dict[str, int] = {}
    for d in deadlines(union, treaties, events, at):
        cal.add_component(_deadline(d, union, at, seen))
    return cal.to_ical()
