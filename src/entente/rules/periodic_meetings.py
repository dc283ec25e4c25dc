"""Periodic meetings: at least ``minimum`` meetings of a series in every period while the instrument is in force.

How a period only partly covered (the year the instrument entered into force,
the year it ended) counts is a setting, and every finding says which was used:
``prorate`` asks for the minimum in proportion to the days covered, rounded
up; ``full`` asks for the whole minimum; ``exempt`` does not judge it.
"""

from __future__ import annotations

import calendar
import math
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from typing import Literal

import msgspec

from entente.rules import periods, presidency
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, Series, Status, in_series, meeting_label, spans
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceConvened, ConferenceHeld, Event, OutsideEvent, english
from entente.vocabulary.said import Listed, Said, Term, Value, counted, day, listed, said, word

_READINGS = {
    "prorate": "a partly covered period needs the minimum in proportion to its days covered, rounded up",
    "full": "a partly covered period needs the whole minimum",
    "exempt": "a partly covered period is not judged",
}


class Occasion(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Outside events of one category, such as the sessions of an assembly, that meetings are held during.

    Fields:
        category: the ``outside_event`` category, whose date is the occasion's span
        words: the occasion in words, for findings
    """

    category: str
    words: str | None = None


# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.  An outside event can be the occasion a meeting is held in.
READS: tuple[type[Event], ...] | None = (ConferenceHeld, ConferenceConvened, OutsideEvent)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``periodic_meetings`` rule's ``settings`` may say in a treaty file.

    Fields:
        minimum: meetings required in each period
        period: the period counted in: calendar years, months or weeks; years, half-years or quarters from the
          day ``starts`` names; ``presidency_term``: each term of the treaty's presidency; ``rolling``: every run of
          ``window_days`` days in force
        starts: with ``period`` year, half_year or quarter, the day of the year a period starts on (MM-DD, such as
          07-01 for a presidency year from 1 July), or ``entry_into_force`` (treaty years); none: 01-01
        window_days: with ``period: rolling``, the length of the run
        partial_periods: a period only partly in force needs the minimum in proportion to its days (rounded up), the
          whole minimum, or is not judged
        series: count only meetings of this series (or these); none: every meeting of the instrument
        count_extraordinary: whether extraordinary meetings count
        body: who meets, in words, for findings
        record_complete: false where the record does not list every meeting: a shortfall is then not judged
        notice_days: a meeting is convened at least this many days ahead (what is due says the earliest day)
        place: every meeting counted is held here (the place's English name); each meeting gets a finding
        months: every meeting counted falls in these months (1–12); each meeting gets a finding
        during: every meeting counted is held during an outside event of this category (e.g. an assembly's session);
          each meeting gets a finding
        in_presiding_country: every meeting counted is hosted by the party that holds the treaty's presidency on its
          first day; each meeting gets a finding, and what is due names that party as the host
    """

    minimum: int
    period: Literal["calendar_year", "calendar_month", "week", "year", "half_year", "quarter", "presidency_term",
                    "rolling"] = "calendar_year"
    starts: str | None = None
    window_days: int = 365
    partial_periods: Literal["prorate", "full", "exempt"] = "prorate"
    series: Series = None
    count_extraordinary: bool = True
    body: str | None = None
    record_complete: bool = True
    notice_days: int | None = None
    place: str | None = None
    months: list[int] = []
    during: Occasion | None = None
    in_presiding_country: bool = False

    def __post_init__(self) -> None:
        if self.minimum < 1 or self.window_days < 1:
            raise ValueError("minimum and window_days are numbers of meetings and of days, at least 1")
        periods.check_start(self.starts, self.period)
        if bad := [m for m in self.months if not 1 <= m <= 12]:
            raise ValueError(f"months are 1 (January) to 12 (December), not {', '.join(map(str, bad))}")


def _periods(ctx: Context, s: Settings, first: date, last: date) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each period touching [first, last]: as ``periods`` counts them, or the
    presidency's terms (a term still running with no end set runs to ``last``)."""
    if s.period != "presidency_term":
        i = ctx.instrument
        return periods.periods(first, last, s.period,
                               periods.anchor(s.starts, dates.start(i.in_force) if i and i.in_force else None))
    out = []
    for term in _terms(ctx):
        t_first = date.fromisoformat(term.since)
        t_last = date.fromisoformat(term.until) - timedelta(days=1) if term.until else max(last, t_first)
        if t_first <= last and first <= t_last:
            out.append((f"{term.since}/{t_last.isoformat()} ({term.holder})", t_first, t_last))
    return out


def _terms(ctx: Context) -> list[presidency.Term]:
    """The terms of the treaty's presidency, as its own rule builds them (none where it has no such rule)."""
    for article, spec in ctx.treaty.rules():
        if spec.kind == "presidency":
            other = ctx.for_rule(article, spec, presidency.Settings)
            if other.epochs:
                return presidency.terms(other, other.settings_on(ctx.at) or other.epochs[0][1])
    return []


def _window(ctx: Context) -> tuple[date, date, bool] | None:
    """The days the rule applied up to ``at``, and whether it still applies."""
    instrument = ctx.instrument
    if instrument is None or instrument.in_force is None:
        return None
    # A rule added by a decision applies from its effective day.
    begin = max(dates.start(instrument.in_force), ctx.epochs[0][0] if ctx.epochs else "")
    # The day an instrument ends on, it no longer binds.
    end = (date.fromisoformat(dates.start(instrument.ended)) - timedelta(days=1)).isoformat() \
        if instrument.ended else ctx.at
    if begin > end:
        return None
    return date.fromisoformat(begin), date.fromisoformat(min(end, ctx.at)), instrument.ended is None


def _meetings(ctx: Context, s: Settings, inferred: bool = False) -> list[ConferenceHeld]:
    """The meetings the rule counts (or, with ``inferred``, those it would count if a source stated them)."""
    return [e for e in ctx.state.conferences if e.instrument == ctx.treaty.instrument and e.inferred == inferred
            and _counts(s, e)]


def _count(n: int, body: str) -> Said:
    """``n`` meetings in words, the body named in the singular for one ("1 conference of foreign ministers")."""
    if n != 1:
        return said("%(n)s %(body)s", n=n, body=word(body))
    head, _, rest = body.partition(" ")
    one = f"{head[:-1] if head.endswith('s') else head}{' ' + rest if rest else ''}"
    return said("%(n)s %(body)s", n=n, body=word(one))


def _rolling(ctx: Context, s: Settings, first: date, last: date, meetings: list[ConferenceHeld]) -> list[Finding]:
    """Every run of ``window_days`` days in force must hold the minimum; each run that does not is a finding.

    Only runs ending the day before a meeting, or on the last day judged, can hold fewer than any run
    overlapping them, so those are the ones checked.  A run not yet complete on ``at`` is not judged.
    """
    days = sorted(date.fromisoformat(dates.start(m.date)) for m in meetings)
    span = timedelta(days=s.window_days - 1)
    reading = ctx.spec.reading or f"in every {s.window_days} days in force, counted from any day"
    body = s.body or "meetings"
    ends = sorted({d - timedelta(days=1) for d in days if first + span <= d - timedelta(days=1) <= last} |
                  ({last} if first + span <= last else set()))
    findings = []
    for end in ends:
        start = end - span
        held = [d for d in days if start <= d <= end]
        if len(held) < s.minimum:
            label = f"{start.isoformat()}/{end.isoformat()}"
            status: Status = "breach" if s.record_complete else "not_applicable"
            steps = {"window_days": s.window_days, "window": label, "meetings_in_window": [d.isoformat() for d in held],
                     "minimum": s.minimum, "record_complete": s.record_complete}
            findings.append(ctx.finding(status, said("%(label)s: %(count)s in %(days)s days, fewer than %(minimum)s",
                                                     label=day(label), count=_count(len(held), body),
                                                     days=s.window_days, minimum=s.minimum),
                                        period=label, reading=reading, steps=steps))
    if not findings:
        judged = f"{first.isoformat()}/{last.isoformat()}"
        # The windows read: each ending the day before a meeting, or on the last day judged, and what each held.
        steps = {"window_days": s.window_days, "days_in_force": (last - first).days + 1, "minimum": s.minimum,
                 "meetings": [d.isoformat() for d in days],
                 "windows": {f"{(end - span).isoformat()}/{end.isoformat()}":
                             sum(1 for d in days if end - span <= d <= end) for end in ends} if ctx.traced else {}}
        findings.append(ctx.finding("met" if first + span <= last else "pending",
                                    said("%(label)s: every %(days)s days in force held at least %(minimum)s %(body)s",
                                         label=day(judged), days=s.window_days, minimum=s.minimum, body=word(body))
                                    if first + span <= last else
                                    said("%(label)s: fewer than %(days)s days in force so far, not judged yet",
                                         label=day(judged), days=s.window_days), period=judged, reading=reading,
                                    evidence=[m.id for m in meetings], steps=steps))
    return findings


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    """Each run of days with the same settings is judged by its own settings (a decision applies from its day)."""
    window = _window(ctx)
    if window is None:
        return [ctx.finding("not_applicable", said("%(instrument)s is not in force on %(day)s",
                                                   instrument=ctx.treaty.instrument, day=day(ctx.at)),
                            steps={"in_force": False})]
    first, last, ongoing = window
    runs = spans(ctx.epochs, first, last)
    findings = []
    for n, (run_first, run_last, settings) in enumerate(runs):
        findings += _judge(ctx, settings, run_first, run_last, ongoing and n == len(runs) - 1)
    for run_first, run_last, settings in runs:
        findings += _where_and_when(ctx, settings, run_first, run_last)
    findings += [ctx.finding("not_applicable", said("%(meeting)s: %(inferred)s (not counted)", meeting=_label(m),
                                                    inferred=INFERRED_SAID), subject=_label(m),
                             evidence=[m.id], steps={"inferred": True}) for m in _inferred(ctx, s)
                 if ctx.touches(*dates.bounds(m.date))]
    return findings


def _inferred(ctx: Context, s: Settings) -> list[ConferenceHeld]:
    """The meetings the record infers that the rule would count if a source stated them, each by the settings in
    force on its day (series, extraordinary meetings), so a later decision does not add or drop one."""
    if not ctx.epochs:
        return _meetings(ctx, s, inferred=True)
    return [m for m in ctx.state.conferences if m.inferred and m.instrument == ctx.treaty.instrument
            and _counts(ctx.settings_for(dates.start(m.date)), m)]


def _counts(s: Settings, m: ConferenceHeld) -> bool:
    return in_series(m, s.series) and (s.count_extraordinary or not m.extraordinary)


def _label(m: ConferenceHeld) -> Said:
    """A meeting by its number, place and days: "conference 3 (Riga, 1935-12-09/1935-12-11)"."""
    return meeting_label(m, m.host or said("no place"))



def _where_and_when(ctx: Context, s: Settings, first: date, last: date) -> list[Finding]:
    """Each meeting in [first, last] judged on the place, months and occasion the settings ask for."""
    if s.place is None and not s.months and s.during is None and not s.in_presiding_country:
        return []
    terms = _terms(ctx) if s.in_presiding_country else []
    occasions = [dates.bounds(e.date) for e in ctx.events if isinstance(e, OutsideEvent)
                 and s.during is not None and e.category == s.during.category]
    findings = []
    for m in _meetings(ctx, s):
        begin, end = dates.bounds(m.date)
        if not first.isoformat() <= begin <= last.isoformat() or not ctx.touches(begin, end):
            continue
        wanted: list[Value] = []
        wrong: list[Value] = []
        steps: dict[str, object] = {"settings_day": begin, "held_from": begin, "held_to": end, "host": m.host,
                                    "held_in": english(m.place)}
        if s.place is not None:
            steps["place_required"] = s.place
            wanted.append(said("in %(place)s", place=word(s.place)))
            if english(m.place) != s.place:
                wrong.append(said("held in %(place)s", place=Term(text=english(m.place), forms=dict(m.place))
                                  if english(m.place) else said("a place the record does not name")))
        if s.months:
            months = listed([word(calendar.month_name[n]) for n in s.months], "or_each")
            wanted.append(said("in %(months)s", months=months))
            steps["months_required"] = list(s.months)
            if int(begin[5:7]) not in s.months or int(end[5:7]) not in s.months:
                wrong.append(said("held on %(day)s", day=day(m.date)))
        if s.during is not None:
            occasion = s.during.words or s.during.category
            wanted.append(said("during %(occasion)s", occasion=word(occasion)))
            steps["during_required"] = s.during.category
            steps["occasions"] = [f"{o_begin}/{o_end}" for o_begin, o_end in occasions]
            if not any(o_begin <= begin and end <= o_end for o_begin, o_end in occasions):
                wrong.append(said("not during %(occasion)s", occasion=word(occasion)) if occasions else
                             said("the record holds no %(occasion)s", occasion=word(occasion)))
        concerned = [m.host] if m.host else []
        if s.in_presiding_country:
            held_by = presidency.holder_on(terms, begin)
            wanted.append(said("in the presiding country (%(holder)s)", holder=held_by.holder if held_by else
                               said("none presided then")))
            steps["presiding"] = held_by.holder if held_by else None
            if held_by is None or m.host != held_by.holder:
                wrong.append(said("hosted by %(host)s", host=m.host or said("no party")))
            concerned = sorted({*concerned, *([held_by.holder] if held_by else [])})
        rule = Listed(items=wanted, joined="and_each")
        if wrong:
            findings.append(ctx.finding("breach", said("%(meeting)s: %(wrong)s, but it was to be held %(rule)s",
                                                       meeting=_label(m), wrong=listed(wrong, ";"), rule=rule),
                                        subject=_label(m), evidence=[m.id], parties=concerned, steps=steps))
        else:
            findings.append(ctx.finding("met", said("%(meeting)s: held %(rule)s", meeting=_label(m), rule=rule),
                                        subject=_label(m), evidence=[m.id],
                                        parties=concerned, steps=steps))
    return findings


def _judge(ctx: Context, s: Settings, first: date, last: date, ongoing: bool) -> list[Finding]:
    meetings = _meetings(ctx, s)
    if s.period == "rolling":
        return _rolling(ctx, s, first, last, meetings)
    reading = ctx.spec.reading or _READINGS[s.partial_periods]
    body = s.body or "meetings"
    starts = [dates.start(m.date) for m in meetings]  # in order: the record is folded in order of days
    findings = []
    # Where new entries are judged, only the periods their days fall in: the others' verdicts stand as they were.
    since, until = (first, last) if ctx.days is None else \
        (max(first, date.fromisoformat(ctx.days[0])), min(last, date.fromisoformat(ctx.days[1])))
    for label, p_first, p_last in _periods(ctx, s, since, until) if since <= until else []:
        covered_first, covered_last = max(first, p_first), min(last, p_last)
        current = ongoing and p_last > last  # the period is still running on ``at``
        partial = covered_first > p_first or (covered_last < p_last and not current)
        length = (p_last - p_first).days + 1
        covered = ((p_last if current else covered_last) - covered_first).days + 1
        held = meetings[bisect_left(starts, covered_first.isoformat()):bisect_right(starts, covered_last.isoformat())]
        steps = {"period_days": length, "days_covered": covered, "partly_in_force": partial,
                 "partial_periods": s.partial_periods, "minimum": s.minimum, "counted": len(held),
                 "running": current, "record_complete": s.record_complete}
        if partial and s.partial_periods == "exempt":
            findings.append(ctx.finding("not_applicable", counted(
                "%(label)s: partly covered (%(covered)s of %(num)s days); %(held)s %(body)s held, not judged",
                "%(label)s: partly covered (%(covered)s of %(num)s days); %(held)s %(body)s held, not judged",
                length, label=day(label), covered=covered, held=len(held), body=word(body)), period=label,
                reading=reading,
                                        evidence=[m.id for m in held], steps=steps))
            continue
        required = math.ceil(s.minimum * covered / length) if partial and s.partial_periods == "prorate" \
            else s.minimum
        steps["required"] = required
        part: Value = counted(" (covered %(covered)s of %(num)s days, so %(required)s required)",
                              " (covered %(covered)s of %(num)s days, so %(required)s required)", length,
                              covered=covered, required=required) if partial else ""
        count = counted("%(label)s: %(num)s of at least %(minimum)s %(body)s held%(part)s",
                        "%(label)s: %(num)s of at least %(minimum)s %(body)s held%(part)s", len(held),
                        label=day(label), minimum=s.minimum, body=word(body), part=part)
        status: Status
        detail: Said
        if len(held) >= required:
            status, detail = "met", count
        elif current:
            status, detail = "pending", said("%(count)s; %(more)s", count=count, more=counted(
                "%(num)s more due by %(day)s", "%(num)s more due by %(day)s", required - len(held),
                day=day(p_last.isoformat(), "until")))
        elif not s.record_complete:
            status, detail = "not_applicable", said(
                "%(count)s; the record does not list every such meeting, so a shortfall is not judged", count=count)
        else:
            status, detail = "breach", said("%(count)s; %(short)s", count=count, short=counted(
                "%(num)s short", "%(num)s short", required - len(held)))
        findings.append(ctx.finding(status, detail, period=label, reading=reading, evidence=[m.id for m in held],
                                    steps=steps))
    return findings


def due(ctx: Context, s: Settings) -> list[Due]:
    window = _window(ctx)
    if window is None or not window[2]:
        return []
    first, last = spans(ctx.epochs, *window[:2])[-1][:2]  # from the day the settings in force took effect
    if s.period == "rolling":
        return [_rolling_due(ctx, s, first)]
    running = _periods(ctx, s, last, last)
    if not running:
        return []  # a presidency with no term on the day asked
    label, p_first, p_last = running[0]
    held = [m for m in _meetings(ctx, s) if max(first, p_first).isoformat() <= dates.start(m.date) <= ctx.at]
    partial = first > p_first  # the period began before the rule applied: as ``partial_periods`` says
    prorated = math.ceil(s.minimum * ((p_last - first).days + 1) / ((p_last - p_first).days + 1))
    required = s.minimum if not partial or s.partial_periods == "full" else \
        prorated if s.partial_periods == "prorate" else 0
    remaining = max(required - len(held), 0)
    body = s.body or "meetings"
    earliest = (date.fromisoformat(ctx.at) + timedelta(days=s.notice_days)).isoformat() if s.notice_days else None
    notice: Value = said("; %(days)s days' notice, so not before %(day)s", days=s.notice_days or 0,
                         day=day(earliest)) if earliest else ""
    if remaining:
        host = _host(ctx, s, p_first, p_last)
        where: Value = said(", in %(host)s, which presides", host=host) if host else ""
        return [ctx.due("meeting", counted(
            "%(num)s more of the %(body)s due in %(label)s%(where)s (%(held)s held so far%(notice)s; %(cite)s)",
            "%(num)s more of the %(body)s due in %(label)s%(where)s (%(held)s held so far%(notice)s; %(cite)s)",
            remaining, body=word(body), label=day(label), where=where, held=len(held), notice=notice,
            cite=ctx.cited()), by=p_last.isoformat(), earliest=earliest, series=s.series,
                        host=host,
                    parties=[host] if host else [])]
    following = _periods(ctx, s, p_last + timedelta(days=1), p_last + timedelta(days=1))
    why = said("%(label)s is partly covered and not judged", label=day(label)) if required == 0 else \
        said("%(label)s is met", label=day(label))
    if not following:
        return [ctx.due("meeting", said("%(why)s (%(cite)s)", why=why, cite=ctx.cited()), series=s.series)]
    next_label, next_first, next_last = following[0]
    host = _host(ctx, s, next_first, next_last)
    where = said(", in %(host)s, which presides then", host=host) if host else ""
    return [ctx.due("meeting", said("%(why)s; %(minimum)s of the %(body)s due in %(next)s%(where)s%(notice)s "
                                    "(%(cite)s)", why=why, minimum=s.minimum, body=word(body), next=day(next_label),
                                    where=where, notice=notice, cite=ctx.cited()),
                    by=next_last.isoformat(), earliest=earliest, series=s.series, host=host,
                    parties=[host] if host else [])]


def _host(ctx: Context, s: Settings, first: date, last: date) -> str | None:
    """Where the meetings of a period are to be held, where the settings say it: the country presiding at the
    period's end (the last day a meeting of it may be held on), or at its start if none presides then."""
    if not s.in_presiding_country:
        return None
    terms = _terms(ctx)
    term = presidency.holder_on(terms, last.isoformat()) or presidency.holder_on(terms, first.isoformat())
    return term.holder if term else None


def _rolling_due(ctx: Context, s: Settings, first: date) -> Due:
    """The next meeting is due when the oldest of the last ``minimum`` meetings would drop out of the window."""
    days = sorted(date.fromisoformat(dates.start(m.date)) for m in _meetings(ctx, s))
    recent = days[-s.minimum:]
    by = (recent[0] + timedelta(days=s.window_days) if len(recent) == s.minimum
          else first + timedelta(days=s.window_days - 1))
    return ctx.due("meeting", said("a meeting of the %(body)s is due by %(day)s, to keep %(minimum)s in every "
                                   "%(days)s days (%(cite)s)", body=word(s.body or "meetings"),
                                   day=day(by.isoformat(), "until"), minimum=s.minimum, days=s.window_days,
                                   cite=ctx.cited()), by=by.isoformat(), series=s.series)
