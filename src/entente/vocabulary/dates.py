"""EDTF dates: the bounds a date stands for, as ISO day strings.

Every event's valid time is an EDTF string ("1934-09-12", "1935-40",
"1919-09-14/1919-09-15", "1923-11-01?").  Ordering and comparisons use its
earliest and latest possible day, which sort correctly as plain strings; that
keeps the replay loop free of date objects.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException


class DateError(ValueError):
    """An EDTF string that does not parse."""


def _iso(t: time.struct_time) -> str:
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"


# A record of any size names some tens of thousands of days: each is checked once, and replay asks
# for each entry's first day, so that is kept too.
_KEPT = 1 << 17


@lru_cache(maxsize=_KEPT)
def bounds(edtf: str) -> tuple[str, str]:
    """The earliest and latest day an EDTF date can mean, as YYYY-MM-DD."""
    # Most dates are plain days: answer those without the full EDTF parser, which is far slower.
    if len(edtf) == 10 and edtf[4] == "-" and edtf[7] == "-" and edtf[:4].isdigit():
        try:
            date.fromisoformat(edtf)
        except ValueError:
            pass  # let the parser say what is wrong
        else:
            return edtf, edtf
    return _parsed_bounds(edtf)


def _parsed_bounds(edtf: str) -> tuple[str, str]:
    try:
        parsed = parse_edtf(edtf)
    except (EDTFParseException, ValueError, TypeError) as exc:
        raise DateError(f'"{edtf}" is not an EDTF date: {exc}') from None
    low, high = parsed.lower_strict(), parsed.upper_strict()
    if not isinstance(low, time.struct_time) or not isinstance(high, time.struct_time):
        raise DateError(f'"{edtf}" is open-ended or unknown at one end: an entry\'s date needs a first and '
                        f'a last day') from None
    first, last = _iso(low), _iso(high)
    for day in (first, last):  # the EDTF parser lets through days no calendar has, such as 1939-02-29
        try:
            date.fromisoformat(day)
        except ValueError:
            raise DateError(f'"{edtf}" is not an EDTF date: {day} is not a day of the calendar') from None
    if last < first:
        raise DateError(f'"{edtf}" ends ({last}) before it begins ({first})')
    return first, last


# The years an entry of any union may be dated in: a date outside them is a slip of the keyboard in its year.
FIRST_YEAR, LAST_YEAR = 1000, 2200


def check_span(edtf: str) -> str | None:
    """Why ``edtf`` (a valid date) lies outside the years any union's record is dated in, or None."""
    first, last = bounds(edtf)
    if int(first[:4]) < FIRST_YEAR or int(last[:4]) > LAST_YEAR:
        return f'"{edtf}" is outside the years a record is dated in ({FIRST_YEAR} to {LAST_YEAR}): check the year'
    return None


@lru_cache(maxsize=_KEPT)
def start(edtf: str) -> str:
    return bounds(edtf)[0]


@lru_cache(maxsize=_KEPT)
def end(edtf: str) -> str:
    return bounds(edtf)[1]


def year_of(edtf: str) -> int:
    return int(start(edtf)[:4])


def check_day(text: str) -> str:
    """A plain calendar day (YYYY-MM-DD), as given on the command line or in a query."""
    try:
        time.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise DateError(f'"{text}" is not a day in the form YYYY-MM-DD') from None
    return text


def check_moment(text: str) -> str:
    """A record time given as a day or a UTC date-time, as the latest moment it can mean (comparable as text)."""
    if len(text) == 10:
        return check_day(text) + "T23:59:59.999999Z"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DateError(f'"{text}" is not a day (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
