"""Periods as treaties count them: calendar years, months and weeks, and years, half-years and quarters that start
on a given day (a presidency year from 1 July; a treaty year from entry into force).

Pure date arithmetic, shared by every rule kind that judges period by period.  A period is
(label, first day, last day); a calendar year is labelled by its number ("1935"), a calendar month as
"1935-05", a week as "1935-W19", and any other period by its first and last days ("2022-07-01/2023-06-30").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from entente.vocabulary.dates import add_months

Kind = Literal["calendar_year", "calendar_month", "week", "year", "half_year", "quarter"]

# The periods that may start on a day of one's choosing (``starts``), and their length in months.
MONTHS = {"year": 12, "half_year": 6, "quarter": 3}

# What ``starts`` may say besides a day of the year ("07-01").
FROM_ENTRY_INTO_FORCE = "entry_into_force"


def check_start(starts: str | None, period: str) -> None:
    """Refuse a ``starts`` that names no day of the year, or that is given for a period that cannot take it."""
    if starts is None:
        return
    if period not in MONTHS:
        raise ValueError(f"starts is for periods of {', '.join(MONTHS)}, not {period}")
    if starts == FROM_ENTRY_INTO_FORCE:
        return
    try:
        date.fromisoformat(f"2000-{starts}")  # a leap year, so 02-29 is a day some years have
    except ValueError:
        raise ValueError(f"starts is a day of the year as MM-DD (07-01 for 1 July) or {FROM_ENTRY_INTO_FORCE}, "
                         f"not {starts!r}") from None
    if starts == "02-29":
        raise ValueError("starts may not be 02-29, a day most years do not have")


def anchor(starts: str | None, in_force: str | None) -> date:
    """The first day of one period of the series: the given day of the year, or the day of entry into force."""
    if starts == FROM_ENTRY_INTO_FORCE:
        return date.fromisoformat(in_force) if in_force else date(2000, 1, 1)
    return date.fromisoformat(f"2000-{starts or '01-01'}")


def _nth(first: date, months: int, n: int) -> date | None:
    """The first day of the ``n``-th period of ``months`` months from ``first`` (counted from it each time, so
    a series from the 31st keeps to the month's last day where there is no 31st, then comes back to it); None
    past the year 9999, where the calendar ends."""
    day = add_months(first.isoformat(), months * n)
    return date.fromisoformat(day) if day else None


def _label(first: date, last: date) -> str:
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    return f"{first.isoformat()}/{last.isoformat()}"


def periods(first: date, last: date, kind: str, start: date = date(2000, 1, 1)) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each period touching [first, last]; ``start`` is the first day of any one
    period of the series, for the kinds in ``MONTHS``."""
    if kind in MONTHS:
        length = MONTHS[kind]
        n = ((first.year - start.year) * 12 + first.month - start.month) // length - 1
        while (following := _nth(start, length, n + 1)) is not None and following <= first:
            n += 1
        out = []
        while (p_first := _nth(start, length, n)) is not None and p_first <= last:
            following = _nth(start, length, n + 1)
            # The last period the calendar has ends on its last day.
            p_last = following - timedelta(days=1) if following else date.max
            out.append((_label(p_first, p_last), p_first, p_last))
            n += 1
        return out
    out = []
    if kind == "calendar_year":
        for year in range(first.year, last.year + 1):
            out.append((str(year), date(year, 1, 1), date(year, 12, 31)))
    elif kind == "calendar_month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            nxt = date(y + m // 12, m % 12 + 1, 1)
            out.append((f"{y:04d}-{m:02d}", date(y, m, 1), nxt - timedelta(days=1)))
            y, m = nxt.year, nxt.month
    else:
        monday = first - timedelta(days=first.weekday())
        while monday <= last:
            iso = monday.isocalendar()
            out.append((f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6)))
            monday += timedelta(days=7)
    return out
