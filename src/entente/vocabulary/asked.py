"""Dates as people ask for them: the day a view is computed for (``--at``, ``?at=``) and a record time (``--known-at``).

``read_day`` takes, in this order:

- EDTF, as the record writes dates: a day ``1938-03-01``, a month ``1938-03``, a year
  ``1938``, or any other bounded EDTF date (``1935-40``, the first half of 1935);
- a Latvian date phrase, read by ``lv.parse_lv_date``: "1938. gada martā", "1938. gadā";
- an English phrase, read by dateparser: "March 1938", "1 March 1938", "March 1, 1938",
  "12.03.1938" (day first), "in 1938", and phrases relative to ``today``: "yesterday", "last month";
- a season, quarter or half of a year as ``wording`` writes it: "spring 1938", "first half of 1935".

A month, a year or any span means its last day: the state "in March 1938" is the
state at its end, when all of March has happened.  ``AskedDay.said`` keeps what was
understood, so a reader can be told which day was used.

Pure: ``today`` and ``now`` are given by the caller, never read from the clock here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from entente.vocabulary import dates
from entente.vocabulary.lv import DatePhraseError, parse_lv_date
from entente.vocabulary.said import Said, listed, said, say
from entente.vocabulary.wording import words

__all__ = ["AskedDay", "read_day", "read_moment"]

_PARTS_OF_YEAR = (21, 22, 23, 24, 33, 34, 35, 36, 40, 41)  # EDTF seasons, quarters, halves
_ISO_LIKE = re.compile(r"^\d{4}-\d")
_EXAMPLES = listed(["1938-03-01", "1938-03", "1938", '"March 1938"', '"1938. gada martā"'], "or")


class AskedDay(NamedTuple):
    """The day used (YYYY-MM-DD) and what was asked for, as EDTF (the same day when a day was asked for)."""

    day: str
    said: str

    @property
    def exact(self) -> bool:
        return self.day == self.said


def _english(text: str, base: datetime) -> tuple[str, datetime] | None:
    """(EDTF of what the phrase names, the moment it names) for an English phrase; None if it is not one."""
    # Imported here, not above: dateparser takes a tenth of a second to import, and a day written as EDTF
    # or in Latvian, as most are, never needs it.
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings={
        "PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["year"], "DATE_ORDER": "DMY",
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})
    found = parser.get_date_data(text)
    moment = found.date_obj
    if moment is None:
        return None
    if found.period == "year":
        return f"{moment.year:04d}", moment
    if found.period == "month":
        return f"{moment.year:04d}-{moment.month:02d}", moment
    return moment.date().isoformat(), moment


def _part_of_year(text: str) -> str | None:
    """A season, quarter or half of a year as ``wording`` writes it ("spring 1938", "first half of 1935")."""
    year = re.search(r"\b\d{4}\b", text)
    if year is None:
        return None
    wanted = " ".join(text.lower().split())
    return next((code for code in (f"{year[0]}-{n}" for n in _PARTS_OF_YEAR) if words(code).lower() == wanted), None)


def read_day(text: str, today: date) -> AskedDay:
    """The day a phrase asks for: its last day when it names a month, a year or a span."""
    phrase = " ".join(text.split())
    if not phrase:
        raise _refused(said("no date given: write a day, a month or a year, such as %(examples)s",
                            examples=_EXAMPLES))
    if ".." in phrase:
        raise _refused(said('"%(date)s" is open-ended, so it has no last day: write a day, a month or a year, such '
                            'as %(examples)s', date=phrase, examples=_EXAMPLES))
    try:
        return AskedDay(dates.end(phrase), phrase)
    except dates.DateError:
        if _ISO_LIKE.match(phrase):  # "1934-13-01": meant as EDTF, and wrong; not to be guessed at as a phrase
            raise _refused(said('"%(date)s" is not a date this reads: no such day or month', date=phrase)) from None
    try:
        edtf = parse_lv_date(phrase)
    except DatePhraseError:
        pass
    else:
        if ".." not in edtf:  # "no 1934. gada" (since 1934) is open-ended too
            return AskedDay(dates.end(edtf), edtf)
    english = _english(phrase, datetime.combine(today, datetime.min.time()))
    if english is not None:
        return AskedDay(dates.end(english[0]), english[0])
    if (part := _part_of_year(phrase)) is not None:
        return AskedDay(dates.end(part), part)
    raise _refused(said('"%(date)s" is not a date this reads: write a day, a month or a year, such as %(examples)s',
                        date=phrase, examples=_EXAMPLES))


def _refused(told: Said) -> dates.DateError:
    """A date not read, in English and as data for a view to say in its reader's language."""
    return dates.DateError(say(told), told)


def read_moment(text: str, now: datetime) -> str:
    """A record time as the latest moment it can mean, in UTC, comparable as text with the record's times.

    A day or a UTC date-time as ``dates.check_moment`` takes them; a phrase relative to ``now``
    ("10 minutes ago", "yesterday"); or any date ``read_day`` reads (its last day, to its last moment).
    """
    try:
        return dates.check_moment(text)
    except dates.DateError as not_iso:
        now = now.astimezone(UTC).replace(tzinfo=None)
        english = _english(" ".join(text.split()), now) if text.strip() else None
        if english is not None and english[1].time() != datetime.min.time():  # a moment of a day: "an hour ago"
            return english[1].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            asked = read_day(text, now.date())
        except dates.DateError:
            told = said('"%(date)s" is not a day in the form YYYY-MM-DD', date=text) if len(text) == 10 else \
                said('"%(date)s" is not a day (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)', date=text)
            raise (_refused(told) if say(told) == str(not_iso) else not_iso) from None
        return (datetime.fromisoformat(asked.day) + timedelta(days=1, microseconds=-1)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
