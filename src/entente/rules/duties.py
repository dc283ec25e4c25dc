"""Duties of each party by a day of each period: pay its contribution, submit its report, ratify.

Every party the instrument binds on the day a duty falls due owes it for that period (an observer is never
bound; a member whose rights are suspended still owes it).  A party has done it when the record holds a
``duty_done`` entry of that party and duty for the period (its ``period``, else the period its date falls
in): by the day, met; after it, a breach (late); not at all, a breach once the day has passed, pending
until then.  Each finding names its one party (``parties``), so a party's breaches are its own.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

import msgspec

from entente.rules import periods
from entente.rules.base import Context, Due, Finding, spans
from entente.vocabulary import dates
from entente.vocabulary.events import DutyDone, Event, PartyCode
from entente.vocabulary.said import day as on_day
from entente.vocabulary.said import said, word

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``).
READS: tuple[type[Event], ...] | None = (DutyDone,)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``duties`` rule's ``settings`` may say in a treaty file.

    Fields:
        duty: the duty's name, which each ``duty_done`` entry gives
        words: what each party must do, in words (e.g. pay its contribution)
        period: the period it is owed in: calendar years or months, or years, half-years or quarters from the day
          ``starts`` names
        starts: with ``period`` year, half_year or quarter, the day of the year a period starts on (MM-DD), or
          ``entry_into_force``; none: 01-01
        by: the day of each period it is owed by, as MM-DD (the first such day on or after the period's first);
          none: the period's last day
        within_days: instead of ``by``, it is owed by this day of the period (1: its first day)
        parties: only these parties owe it; none: every party bound on the day it is owed
    """

    duty: str
    words: str | None = None
    period: Literal["calendar_year", "calendar_month", "year", "half_year", "quarter"] = "calendar_year"
    starts: str | None = None
    by: str | None = None
    within_days: int | None = None
    parties: list[PartyCode] = []

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", self.duty):
            raise ValueError(f"duty is a name of small letters, digits, dots and hyphens, not {self.duty!r}")
        periods.check_start(self.starts, self.period)
        if self.by is not None and self.within_days is not None:
            raise ValueError("give by or within_days, not both")
        if self.within_days is not None and self.within_days < 1:
            raise ValueError("within_days is a day of the period, at least 1")
        if self.by is not None:
            try:
                date.fromisoformat(f"2001-{self.by}")  # not a leap year: a day every year has
            except ValueError:
                raise ValueError(f"by is a day of the year as MM-DD (03-31 for 31 March), not {self.by!r}") from None


def _deadline(s: Settings, first: date, last: date) -> date:
    """The day of the period ``first``-``last`` the duty is owed by."""
    if s.within_days is not None:
        return min(first + timedelta(days=s.within_days - 1), last)
    if s.by is not None:
        day = date.fromisoformat(f"{first.year}-{s.by}")
        if day < first:
            day = date.fromisoformat(f"{first.year + 1}-{s.by}")
        return min(day, last)
    return last


def _window(ctx: Context) -> tuple[date, date] | None:
    """The days the rule applied, up to the day judged."""
    i = ctx.instrument
    if i is None or i.in_force is None:
        return None
    begin = max(dates.start(i.in_force), ctx.epochs[0][0] if ctx.epochs else "")
    end = (date.fromisoformat(dates.start(i.ended)) - timedelta(days=1)).isoformat() if i.ended else None
    return date.fromisoformat(begin), date.fromisoformat(min(end or "9999-12-31", ctx.at))


def _periods(ctx: Context, s: Settings, first: date, last: date) -> list[tuple[str, date, date]]:
    i = ctx.instrument
    return periods.periods(first, last, s.period,
                           periods.anchor(s.starts, dates.start(i.in_force) if i and i.in_force else None))


def _owing(ctx: Context, s: Settings, day: date) -> list[str]:
    bound = ctx.bound(day.isoformat())
    return [p for p in bound if not s.parties or p in s.parties]


def _done(ctx: Context, s: Settings, party: str, first: date, last: date) -> DutyDone | None:
    """The first entry of ``party`` doing the duty for the period ``first``-``last``."""
    for e in ctx.events:
        if isinstance(e, DutyDone) and e.instrument == ctx.treaty.instrument and e.party == party \
                and e.duty == s.duty and not e.inferred:
            day = date.fromisoformat(dates.start(e.period or e.date))
            if first <= day <= last:
                return e
    return None


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    window = _window(ctx)
    if window is None:
        return [ctx.finding("not_applicable", said("%(instrument)s is not in force on %(day)s",
                                                   instrument=ctx.treaty.instrument, day=on_day(ctx.at)),
                            steps={"in_force": False})]
    findings = []
    runs = spans(ctx.epochs, *window)
    ongoing = ctx.instrument is not None and not ctx.instrument.ended
    # Each period is judged by the settings in force on the day its duty is owed.
    for n, (run_first, run_last, settings) in enumerate(runs):
        for label, p_first, p_last in _periods(ctx, settings, run_first, run_last):
            deadline = _deadline(settings, p_first, p_last)
            if deadline < run_first or (deadline > run_last and not (ongoing and n == len(runs) - 1)):
                continue  # owed on a day these settings did not apply (or after the instrument ended)
            if not ctx.touches(p_first.isoformat(), p_last.isoformat()):
                continue
            for party in _owing(ctx, settings, min(deadline, window[1])):
                done = _done(ctx, settings, party, p_first, p_last)
                by = deadline.isoformat()
                # The party is the finding's subject: each party's duty of a period is a finding of its own.
                head = said("%(period)s: %(party)s was to %(duty)s by %(day)s", period=on_day(label), party=party,
                            duty=word(settings.words or settings.duty), day=on_day(by, "until"))
                steps = {"settings_day": by, "party": party, "duty": settings.duty, "period_from": p_first.isoformat(),
                         "period_to": p_last.isoformat(), "by": by, "done_on": done.date if done else None,
                         "done_by": done.id if done else None, "at": ctx.at}
                if done is not None and dates.start(done.date) <= by:
                    f = ctx.finding("met", said("%(head)s: done on %(day)s", head=head, day=on_day(done.date)),
                                    period=label, subject=party,
                                    evidence=[done.id], parties=[party], steps=steps)
                elif done is not None:
                    f = ctx.finding("breach", said("%(head)s: done late, on %(day)s", head=head,
                                                   day=on_day(done.date)), period=label, subject=party,
                                    evidence=[done.id], parties=[party], steps=steps)
                elif by < ctx.at:
                    f = ctx.finding("breach", said("%(head)s: not done", head=head), period=label, subject=party,
                                    parties=[party], steps=steps)
                else:
                    f = ctx.finding("pending", said("%(head)s: not done yet", head=head), period=label,
                                    subject=party, parties=[party], steps=steps)
                findings.append(f)
    return findings


def due(ctx: Context, s: Settings) -> list[Due]:
    """Each party's duty not yet done for the period running on the day asked (or the next, once owed)."""
    window = _window(ctx)
    i = ctx.instrument
    if window is None or i is None or i.ended:
        return []
    at = date.fromisoformat(ctx.at)
    # The first period whose day is still to come (the one running, or the next once its day has passed).
    # Far enough ahead for the next period of any kind; no further than the calendar's end.
    ahead = date.fromordinal(min(at.toordinal() + 800, date.max.toordinal()))
    for label, p_first, p_last in _periods(ctx, s, at, ahead):
        deadline = _deadline(s, p_first, p_last)
        if deadline < at or deadline < window[0]:
            continue
        return [ctx.due("duty", said("%(party)s is to %(duty)s by %(day)s (%(period)s; %(cite)s)", party=party,
                                     duty=word(s.words or s.duty), day=on_day(deadline.isoformat(), "until"),
                                     period=on_day(label), cite=ctx.cited()), by=deadline.isoformat(), parties=[party])
                for party in _owing(ctx, s, at) if _done(ctx, s, party, p_first, p_last) is None]
    return []
