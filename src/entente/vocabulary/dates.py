"""EDTF dates: the bounds a date stands for, as ISO day strings.

Every event's valid time is an EDTF string ("1934-09-12", "1935-40",
"1919-09-14/1919-09-15", "1923-11-01?").  Ordering and comparisons use its
earliest and latest possible day, which sort correctly as plain strings; that
keeps the replay loop free of date objects.

The forms a record mostly holds (a day, a month, a year, a season, quarter or half
of a year, a day or month marked uncertain or approximate, a span or a set of those)
are read here directly; any other EDTF goes to the ``edtf`` library's parser, which
reads all of it but is slow to import and to run.  Both give the same bounds.
"""

from __future__ import annotations

import calendar
import contextlib
import io
import re
import time
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

from entente.vocabulary.sentence import Said, english, said


class DateError(ValueError):
    """An EDTF string that does not parse; ``told``, where given, is the same sentence as data (``said.Said``), for
    the command line to say in its reader's language."""

    def __init__(self, message: str, told: object = None) -> None:
        super().__init__(message)
        self.told = told


def refused(told: Said) -> DateError:
    """A date not read: its English line, and the same sentence as data."""
    return DateError(english(told), told)


def _iso(t: time.struct_time) -> str:
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"


# A record of any size names some tens of thousands of days: each is checked once, and replay asks
# for each entry's first day, so that is kept too.
_KEPT = 1 << 17


@lru_cache(maxsize=_KEPT)
def bounds(edtf: str) -> tuple[str, str]:
    """The earliest and latest day an EDTF date can mean, as YYYY-MM-DD."""
    return _plain_bounds(edtf) or parsed_bounds(edtf)


# A day, month or year, perhaps uncertain (?), approximate (~) or both (%); or a year's season (21-24),
# quarter (33-36) or half (40-41), which EDTF does not let be qualified, nor stand in a span or a set.
_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[?~%]?")
_PART = re.compile(r"(\d{4})-(2[1-4]|3[3-6]|4[01])")
# The first and last month of each part of a year, as the EDTF parser reads them (its winter is December).
_PARTS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12), 33: (1, 3), 34: (4, 6), 35: (7, 9), 36: (10, 12),
          40: (1, 6), 41: (7, 12)}


def _months(year: int, first: int, last: int) -> tuple[str, str]:
    """The first day of month ``first`` to the last day of month ``last``, in ``year``."""
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"


def _point_bounds(text: str) -> tuple[str, str] | None:
    """The bounds of a day, month or year, qualified or not; None for anything else, or a day no calendar has."""
    match = _POINT.fullmatch(text)
    if match is None or int(match[1]) == 0:  # year 0 is the parser's to judge
        return None
    year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if not match[2]:
        return _months(year, 1, 12)
    if not 1 <= month <= 12:
        return None
    if not match[3]:
        return _months(year, month, month)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", f"{year:04d}-{month:02d}-{day:02d}"


def _plain_bounds(edtf: str) -> tuple[str, str] | None:
    """The bounds of the forms read without the EDTF parser; None for any other string, to be parsed."""
    if len(edtf) == 10 and edtf[4] == "-" and edtf[7] == "-":  # a day: most dates are
        return _point_bounds(edtf)
    if (part := _PART.fullmatch(edtf)) is not None:
        return None if int(part[1]) == 0 else _months(int(part[1]), *_PARTS[int(part[2])])
    if edtf[:1] + edtf[-1:] in ("{}", "[]") and ".." not in edtf:  # all of, or one of, a set
        members = [_point_bounds(m) for m in edtf[1:-1].split(",")]
        if len(members) < 2 or None in members:
            return None
        return min(m[0] for m in members if m), max(m[1] for m in members if m)
    if edtf.count("/") == 1:  # a span
        first, last = (_point_bounds(side) for side in edtf.split("/"))
        if first is None or last is None:
            return None
        return _spanned(edtf, first, last)
    return _point_bounds(edtf)


def _parsed(edtf: str) -> Any:
    """The ``edtf`` library's reading of a date, which reads any EDTF, slowly."""
    # Imported here, not above: the parser takes a tenth of a second to import, and most dates never need it.
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        # Where the parser fails on its own it prints what it tried ("1935-XX/1935-03"): a command's output, which
        # may be JSON a program reads, is no place for that.
        with contextlib.redirect_stdout(io.StringIO()):
            return parse_edtf(edtf)
    # AttributeError: the parser's own fault on some forms it ought to read ("1935-XX/1935-03").
    except (EDTFParseException, ValueError, TypeError, AttributeError):
        raise refused(said('"%(date)s" is not an EDTF date: %(why)s', date=edtf, why=_why_not(edtf))) from None


# A date as EDTF writes one, whatever its numbers: where its numbers are wrong, that is what to say.
_SHAPED = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?[?~%]?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?[?~%]?)?")


def _why_not(text: str) -> Said:
    """What is wrong with a date the parser refused, in words (the parser's own message names a position)."""
    if _SHAPED.fullmatch(text):
        return said("no such month or day: a month is 01 to 12, a day 01 to the last of its month")
    return said("write a day, a month, a year or a span, such as 1938-03-01, 1938-03, 1938, 1938-03/1938-05, "
                "or 1938~ for about 1938")


def parsed_bounds(edtf: str) -> tuple[str, str]:
    """``bounds`` as the ``edtf`` library's parser reads the date."""
    parsed = _parsed(edtf)
    low, high = parsed.lower_strict(), parsed.upper_strict()
    # An empty side ("1934-05-15/") is an unknown end, which the parser fills with ten years of its own guess.
    unknown_end = edtf.startswith("/") or edtf.endswith("/")
    if unknown_end or not isinstance(low, time.struct_time) or not isinstance(high, time.struct_time):
        raise refused(said('"%(date)s" is open-ended or unknown at one end: an entry\'s date needs a first and a '
                           'last day', date=edtf)) from None
    first, last = _iso(low), _iso(high)
    for day in (first, last):  # the EDTF parser lets through days no calendar has, such as 1939-02-29
        try:
            date.fromisoformat(day)
        except ValueError:
            raise refused(said('"%(date)s" is not an EDTF date: %(day)s is not a day of the calendar', date=edtf,
                               day=day)) from None
    if edtf.count("/") != 1:
        return first, last
    # An interval: each side has bounds of its own, which say whether it ends within its start.
    start, finish = ((_iso(side.lower_strict()), _iso(side.upper_strict())) for side in (parsed.lower, parsed.upper))
    return _spanned(edtf, start, finish)


def span_fault(first: tuple[str, str], last: tuple[str, str]) -> Literal["before", "within"] | None:
    """Why a span from a start to an end (the first and last day of each) spans nothing: it ends before it
    begins, or ends within its start (EDTF's end is the same date as its start, or a later one, and
    "1934/1934-01" is neither); None if it spans something.  The record and the Latvian dates both ask it."""
    if last[1] < first[0]:
        return "before"
    if last[1] <= first[1] and last != first:
        return "within"
    return None


def _spanned(edtf: str, first: tuple[str, str], last: tuple[str, str]) -> tuple[str, str]:
    """The bounds of a span from a start to an end (the bounds of each), unless it spans nothing (``span_fault``)."""
    fault = span_fault(first, last)
    if fault == "before":
        raise refused(said('"%(date)s" ends (%(last)s) before it begins (%(first)s)', date=edtf, last=last[1],
                           first=first[0]))
    if fault == "within":
        start, _, finish = edtf.partition("/")
        raise refused(said('"%(date)s" ends (%(last)s) within its start (%(first)s): its end must come after its '
                           'start', date=edtf, last=finish, first=start))
    return first[0], last[1]


# The years an entry of any union may be dated in: a date outside them is a slip of the keyboard in its year.
FIRST_YEAR, LAST_YEAR = 1000, 2200


def check_span(edtf: str) -> Said | None:
    """Why ``edtf`` (a valid date) lies outside the years any union's record is dated in, or None."""
    first, last = bounds(edtf)
    if int(first[:4]) < FIRST_YEAR or int(last[:4]) > LAST_YEAR:
        return said('"%(date)s" is outside the years a record is dated in (%(first)s to %(last)s): check the year',
                    date=edtf, first=FIRST_YEAR, last=LAST_YEAR)
    return None


@lru_cache(maxsize=_KEPT)
def start(edtf: str) -> str:
    return bounds(edtf)[0]


@lru_cache(maxsize=_KEPT)
def end(edtf: str) -> str:
    return bounds(edtf)[1]


def year_of(edtf: str) -> int:
    return int(start(edtf)[:4])


def check_edtf(text: str) -> str:
    """Text that EDTF reads, whatever its bounds (it may be open-ended, or name a day no calendar has)."""
    if _plain_bounds(text) is None:
        _parsed(text)
    return text


def check_day(text: str) -> str:
    """A plain calendar day (YYYY-MM-DD), as given on the command line or in a query."""
    try:
        time.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise refused(said('"%(date)s" is not a day in the form YYYY-MM-DD', date=text)) from None
    return text


def check_moment(text: str) -> str:
    """A record time given as a day or a UTC date-time, as the latest moment it can mean (comparable as text)."""
    if len(text) == 10:
        return check_day(text) + "T23:59:59.999999Z"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise refused(said('"%(date)s" is not a day (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)',
                           date=text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def add_months(day: str, months: int) -> str | None:
    """The day ``months`` calendar months on; None past the year 9999, where the calendar ends."""
    d = date.fromisoformat(day)
    year, month = divmod(d.month - 1 + months, 12)
    year, month = d.year + year, month + 1
    if year > date.max.year:
        return None
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1])).isoformat()
