"""Latvian date phrases, as historians write them, turned into EDTF strings.

`parse_lv_date(phrase, year=None)` reads one phrase and returns an EDTF string
(Library of Congress Extended Date/Time Format).  `year` supplies the year when
the phrase leaves it out, as running text does ("25. aprīlī" after "1934. gadā").
Anything not understood raises `DatePhraseError`, whose message quotes the phrase.

Forms read, and the EDTF each becomes (Y = the year, from the phrase or `year`):

=================================================  ==============================  ========================
Latvian                                            meaning                         EDTF
=================================================  ==============================  ========================
1934. gada 12. septembrī                           a day                           1934-09-12
25. aprīlī (year=1934)                             a day, year omitted             1934-04-25
1920. gada janvārī; martā (year=Y)                 a month                         1920-01; Y-03
1934. gadā                                         a year                          1934
1919. gada 14.—15. septembrī                       a day range in one month        1919-09-14/1919-09-15
1940. gada 14 — 16. martam                         (first day without a dot)       1940-03-14/1940-03-16
no 11. līdz 19. novembrim                          from .. to ..                   Y-11-11/Y-11-19
1934. gada 30. novembris — 2. decembris            a range across months           1934-11-30/1934-12-02
1939. gada 30. decembris — 1940. gada 2. janvāris  a range across years            1939-12-30/1940-01-02
no 1919. līdz 1934. gadam                          a range of years                1919/1934
1934. — 1940.gadā; 1919.—1920. gadā                a range of years                1934/1940; 1919/1920
1919. un 1920. gadā                                in 1919 and in 1920             {1919,1920}
12. un 13. septembrī                               on both days                    {Y-09-12,Y-09-13}
no 1934. gada 15. maija; kopš ...                  from, since (open end)          1934-05-15/..
līdz 1934. gadam                                   until (open start)              ../1934
1935. gada pirmajā; otrajā pusē                    first; second half              1935-40; 1935-41
pirmajā .. ceturtajā ceturksnī                     first .. fourth quarter         Y-33 .. Y-36
gada sākumā                                        beginning of the year           Y-33 (first quarter)
gada vidū                                          middle of the year              Y-05/Y-08 (May-August)
1920. gada beigās                                  end of the year                 1920-36 (fourth quarter)
pavasarī; vasarā; rudenī; ziemā                    spring; summer; autumn; winter  Y-21; Y-22; Y-23; Y-24
jūnija sākumā                                      beginning of a month            Y-06-01/Y-06-10
jūnija vidū                                        middle of a month               Y-06-11/Y-06-20
jūnija beigās                                      end of a month                  Y-06-21/Y-06-30
=================================================  ==============================  ========================

Readings chosen, where Latvian is vaguer than EDTF:

- the beginning, middle and end of a month are its three ten-day "decades"
  (1-10, 11-20, 21-last), the usual Latvian division of a month; the last day
  follows the month's length, leap years included;
- the beginning and end of a year are its first and fourth quarters; its middle,
  which no quarter or half names, is May to August, centred on mid-year and about
  as long as a quarter;
- "no X" (from) and "kopš X" (since) alone are intervals open at the end, "līdz X"
  (until) alone is open at the start; "no X līdz Y" is the closed interval X/Y, which, as
  EDTF reads an interval, ends on X's own dates or later ("no 1934. gada janvāra līdz
  1934. gadam" is 1934-01/1934): an end lying within a longer start ("no 1934. gada līdz
  1934. gada janvārim") is refused;
- the calendar has no year 0: a phrase writing one, or a caller's default year of 0, is refused;
- in a range or list the parts shared by its members are written once: the year
  on the first member, the month on the last ("1934. gada 14.—15. septembrī"),
  and each member borrows what it lacks from its neighbours.

Month names are accepted in the nominative, genitive, locative, dative and
accusative (septembris, septembra, septembrī, septembrim, septembri), in any
letter case, and without diacritics (septembri, junija).  Dashes may be em dash,
en dash or hyphen, with or without spaces; whitespace, non-breaking spaces
included, is normalised and trailing punctuation ignored.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace

from entente.vocabulary import dates
from entente.vocabulary.sentence import Said, english, said

__all__ = ["MONTH_FORMS", "DatePhraseError", "parse_lv_date"]


class DatePhraseError(ValueError):
    """Raised for a phrase that is not understood; its message quotes the phrase, and ``told`` is the same line as
    data (``said.Said``), to be said in a reader's language."""

    def __init__(self, told: Said) -> None:
        self.told = told
        super().__init__(english(told))


class _Unreadable(Exception):
    """Raised inside the parser with the reason, as a sentence; `parse_lv_date` adds the phrase."""

    def __init__(self, reason: Said) -> None:
        super().__init__(english(reason))
        self.reason = reason


# --- Vocabulary -------------------------------------------------------------------------------------------

# Every case form of every month: nominative, genitive, locative, dative, accusative.  Spelled out rather
# than built from stems and endings because April's genitive palatalises (aprīlis -> aprīļa).
_MONTH_ROWS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("janvāris", "janvāra", "janvārī", "janvārim", "janvāri")),
    (2, ("februāris", "februāra", "februārī", "februārim", "februāri")),
    (3, ("marts", "marta", "martā", "martam", "martu")),
    (4, ("aprīlis", "aprīļa", "aprīlī", "aprīlim", "aprīli")),
    (5, ("maijs", "maija", "maijā", "maijam", "maiju")),
    (6, ("jūnijs", "jūnija", "jūnijā", "jūnijam", "jūniju")),
    (7, ("jūlijs", "jūlija", "jūlijā", "jūlijam", "jūliju")),
    (8, ("augusts", "augusta", "augustā", "augustam", "augustu")),
    (9, ("septembris", "septembra", "septembrī", "septembrim", "septembri")),
    (10, ("oktobris", "oktobra", "oktobrī", "oktobrim", "oktobri")),
    (11, ("novembris", "novembra", "novembrī", "novembrim", "novembri")),
    (12, ("decembris", "decembra", "decembrī", "decembrim", "decembri")),
)


MONTH_FORMS = _MONTH_ROWS  # for writing dates in Latvian (wording.py): nominative, genitive, locative, dative, ...


def _fold(word: str) -> str:
    """Strip diacritics (ā -> a, ļ -> l), so text typed without them still reads."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_MONTHS: dict[str, int] = {form: number for number, forms in _MONTH_ROWS for form in forms}
_MONTHS_FOLDED: dict[str, int] = {_fold(form): number for form, number in _MONTHS.items()}

# Ordinals for halves and quarters, by stem: pirmajā, pirmā, pirmais ... all start with the stem.
_ORDINALS: dict[str, int] = {"pirm": 1, "otr": 2, "treš": 3, "ceturt": 4}

# Seasons, every case form, to EDTF level-1 season codes.
_SEASONS: dict[str, int] = {
    **dict.fromkeys(("pavasaris", "pavasara", "pavasarī", "pavasarim", "pavasari"), 21),
    **dict.fromkeys(("vasara", "vasaras", "vasarā", "vasarai", "vasaru"), 22),
    **dict.fromkeys(("rudens", "rudenī", "rudenim", "rudeni"), 23),
    **dict.fromkeys(("ziema", "ziemas", "ziemā", "ziemai", "ziemu"), 24),
}

# Beginning, middle and end: every case form of sākums, vidus, beigas.
_BEGIN, _MIDDLE, _END = "begin", "middle", "end"
_PARTS: dict[str, str] = {
    **dict.fromkeys(("sākums", "sākuma", "sākumā", "sākumam", "sākumu"), _BEGIN),
    **dict.fromkeys(("vidus", "vidū", "vidum"), _MIDDLE),
    **dict.fromkeys(("beigas", "beigu", "beigās", "beigām"), _END),
}

# Parts of a year: the quarter for its beginning and end, and an interval of months for its middle.
_YEAR_PART_EDTF: dict[str, str] = {_BEGIN: "{y}-33", _MIDDLE: "{y}-05/{y}-08", _END: "{y}-36"}

# Parts of a month: its ten-day decades; None stands for the month's last day.
_MONTH_PART_DAYS: dict[str, tuple[int, int | None]] = {_BEGIN: (1, 10), _MIDDLE: (11, 20), _END: (21, None)}


# --- Regexes, one per form, run on the normalised phrase ------------------------------------------------

_WORD = r"[^\W\d_]+"  # a run of letters, diacritics included
_YEAR_NUMBER = r"(?P<year>\d{3,4})\.?"  # 3-4 digits; 1-2 digits are a day
_GADA = r"(?:gada|g\.)"  # "of the year", written out or abbreviated
# "1934. gada " or just "gada " (the year then comes from the caller), or nothing at all.
_OF_YEAR = rf"(?:(?:{_YEAR_NUMBER}\s)?{_GADA}\s)?"

# pirmajā pusē, otrajā pusgadā, trešajā ceturksnī ...
_HALF_OR_QUARTER = re.compile(
    rf"{_OF_YEAR}(?P<ordinal>{_WORD})\s"
    rf"(?P<unit>pus(?:ē|e|es|gadā|gads|gada|gadam|gadu)|ceturk(?:sn|šņ){_WORD})"
)
# gada sākumā / vidū / beigās: "gada" is required, as "beigās" alone says nothing of what ends.
_YEAR_PART = re.compile(rf"(?:{_YEAR_NUMBER}\s)?{_GADA}\s(?P<part>{_WORD})")
# jūnija sākumā, 1940. gada jūnija beigās.
_MONTH_PART = re.compile(rf"(?:{_YEAR_NUMBER}\s{_GADA}\s)?(?P<month>{_WORD})\s(?P<part>{_WORD})")
# pavasarī, 1935. gada rudenī.
_SEASON = re.compile(rf"{_OF_YEAR}(?P<season>{_WORD})")
# One point in time, any of its parts possibly left for a neighbour to supply:
# "1934. gada 12. septembrī", "1934. gadā", "14", "1919.", "16. martam", "septembrī".
_POINT = re.compile(
    rf"""(?:{_YEAR_NUMBER}(?:\s?(?:gad(?:am|a|ā|s|u)\b|g(?:\.|\b)))?\s?)?
         (?:(?P<day>\d{{1,2}})\.?\s?)?
         (?P<month>(?!gad){_WORD})?""",
    re.VERBOSE,
)
_FROM_TO = re.compile(r"no\s(?P<start>.+)\slīdz\s(?P<end>.+)")
_FROM = re.compile(r"(?:no|kopš)\s(?P<start>.+)")
_FROM_WORD = re.compile(r"^(?:no|kopš)\s")  # "no 1919.—1920. gadam": the dash already says "from"
_UNTIL = re.compile(r"līdz\s(?P<end>.+)")
_LIST_SEPARATOR = re.compile(r"\s?,\s?|\sun\s")


# --- Normalising ------------------------------------------------------------------------------------------


def _normalise(phrase: str) -> str:
    text = unicodedata.normalize("NFC", phrase).lower()
    text = " ".join(text.split())  # str.split also splits on non-breaking and other Unicode spaces
    text = re.sub(r"\s*[-‐‑‒–—―−]\s*", "-", text)  # every dash to a hyphen, spaces around it dropped
    text = re.sub(r"\.(?=[^\W\d_])", ". ", text)  # "1940.gadā" -> "1940. gadā"
    # Surrounding punctuation: quotes, brackets, and the comma or full stop of the sentence it came from.
    return text.strip(" \t\"'«»„“”‘’()[],;:!?.")


# --- Points -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    """A point as written, each part None when the phrase leaves it to a neighbour or the caller."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def edtf(self) -> str:
        assert self.year is not None  # _complete has supplied it
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def days(self) -> tuple[str, str]:
        """Its first and last day, as ISO dates."""
        assert self.year is not None
        month = self.month or 12
        last = self.day or calendar.monthrange(self.year, month)[1]
        return (f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}", f"{self.year:04d}-{month:02d}-{last:02d}")


def _month_number(word: str) -> int:
    number = _MONTHS.get(word) or _MONTHS_FOLDED.get(_fold(word))
    if number is None:
        raise _Unreadable(said('unknown month name "%(word)s"', word=word))
    return number


def _read_point(text: str) -> _Point:
    match = _POINT.fullmatch(text)
    if match is None or not any(match.groupdict().values()):
        raise _Unreadable(said('"%(phrase)s" is not a date', phrase=text))
    year, day, month = match["year"], match["day"], match["month"]
    return _Point(
        year=_real_year(int(year)) if year else None,
        month=_month_number(month) if month else None,
        day=int(day) if day else None,
    )


def _need_year(year: int | None) -> int:
    if year is None:
        raise _Unreadable(said("the year is missing: the phrase does not give it and no year= was passed"))
    return year


def _real_year(year: int) -> int:
    """A year a phrase writes: the calendar historians write in has no year 0 (1 BC is followed by AD 1)."""
    if year == 0:
        raise _Unreadable(said("there is no year 0: the year before 1 is 1 BC"))
    return year


def _complete(points: list[_Point], year: int | None) -> list[_Point]:
    """Fill in what members of a range or list leave out, then check each is a real date.

    Latvian writes the shared year once on the first member and the shared month once on the last, so a
    member borrows a missing year from the nearest member before it (else after it, else the caller) and a
    missing month from the nearest member after it that has a day and a month.
    """
    done: list[_Point] = []
    for index, point in enumerate(points):
        if point.day is not None and point.month is None:
            later = [p.month for p in points[index + 1 :] if p.day is not None and p.month is not None]
            if not later:
                raise _Unreadable(said("day %(day)s has no month", day=point.day))
            point = replace(point, month=later[0])
        if point.year is None:
            before = [p.year for p in done if p.year is not None]
            after = [p.year for p in points[index + 1 :] if p.year is not None]
            point = replace(point, year=(before[-1:] or after[:1] or [_need_year(year)])[0])
        done.append(point)
    for point in done:
        _check_day(point)
    return done


def _check_day(point: _Point) -> None:
    if point.day is None:
        return
    assert point.year is not None and point.month is not None
    last = calendar.monthrange(point.year, point.month)[1]
    if not 1 <= point.day <= last:
        raise _Unreadable(said("no such day: %(month)s has %(last)s days, so there is no day %(day)s",
                               month=f"{point.year:04d}-{point.month:02d}", last=last, day=point.day))


# --- Forms ------------------------------------------------------------------------------------------------


def _year_of(match: re.Match[str], year: int | None) -> int:
    return _real_year(int(match["year"])) if match["year"] else _need_year(year)


def _half_or_quarter(text: str, year: int | None) -> str | None:
    match = _HALF_OR_QUARTER.fullmatch(text)
    if match is None:
        return None
    ordinal = next((n for stem, n in _ORDINALS.items() if match["ordinal"].startswith(stem)), None)
    if match["unit"].startswith("pus"):
        if ordinal is None or ordinal > 2:
            raise _Unreadable(said('"%(ordinal)s" is not a first or second half', ordinal=match["ordinal"]))
        return f"{_year_of(match, year):04d}-{39 + ordinal}"  # EDTF 40, 41: first, second half
    if ordinal is None:
        raise _Unreadable(said('"%(ordinal)s" is not a first to fourth quarter', ordinal=match["ordinal"]))
    return f"{_year_of(match, year):04d}-{32 + ordinal}"  # EDTF 33-36: first to fourth quarter


def _year_part(text: str, year: int | None) -> str | None:
    match = _YEAR_PART.fullmatch(text)
    if match is None or match["part"] not in _PARTS:
        return None
    return _YEAR_PART_EDTF[_PARTS[match["part"]]].format(y=f"{_year_of(match, year):04d}")


def _month_part(text: str, year: int | None) -> str | None:
    match = _MONTH_PART.fullmatch(text)
    if match is None or match["part"] not in _PARTS:
        return None
    month = _month_number(match["month"])
    y = _year_of(match, year)
    first, last = _MONTH_PART_DAYS[_PARTS[match["part"]]]
    if last is None:
        last = calendar.monthrange(y, month)[1]
    return f"{y:04d}-{month:02d}-{first:02d}/{y:04d}-{month:02d}-{last:02d}"


def _season(text: str, year: int | None) -> str | None:
    match = _SEASON.fullmatch(text)
    if match is None or match["season"] not in _SEASONS:
        return None
    return f"{_year_of(match, year):04d}-{_SEASONS[match['season']]}"


def _interval(start: str | None, end: str | None, year: int | None) -> str:
    """A closed interval, or one open at the start or end (None)."""
    if start is None or end is None:
        only = _complete([_read_point(start or end or "")], year)[0]
        return f"{only.edtf()}/.." if end is None else f"../{only.edtf()}"
    first, last = _complete([_read_point(start), _read_point(end)], year)
    # The record's own rule for a span (``dates.span_fault``): a phrase it reads is a date the record takes.
    # An EDTF interval runs from its start to an end no earlier than it: the same date (a range of one day), or a
    # later one.  An end that lies within a longer start ("no 1934. gada līdz 1934. gada janvārim", from 1934 to
    # January 1934) is neither: it would end before its start does.
    fault = dates.span_fault(first.days(), last.days())
    if fault == "before":
        raise _Unreadable(said("the range ends (%(last)s) before it starts (%(first)s)", last=last.edtf(),
                               first=first.edtf()))
    if fault == "within":
        raise _Unreadable(said("the range ends (%(last)s) within its start (%(first)s): its end must come after "
                               "its start", last=last.edtf(), first=first.edtf()))
    return f"{first.edtf()}/{last.edtf()}"


def _points(text: str, year: int | None) -> str:
    """One point, or a list joined by "un" (and) and commas, which EDTF writes as a set of all members."""
    members = _complete([_read_point(part) for part in _LIST_SEPARATOR.split(text)], year)
    if len(members) == 1:
        return members[0].edtf()
    return "{" + ",".join(member.edtf() for member in members) + "}"


def _read(text: str, year: int | None) -> str:
    # Parts of a year or month first: their words ("beigās", "vasarā") would otherwise be taken for months.
    for form in (_half_or_quarter, _year_part, _season, _month_part):
        edtf = form(text, year)
        if edtf is not None:
            return edtf
    if match := _FROM_TO.fullmatch(text):
        return _interval(match["start"], match["end"], year)
    if "-" in text:
        start, _, end = _FROM_WORD.sub("", text).partition("-")
        if "-" in end:
            raise _Unreadable(said("more than one dash"))
        return _interval(start, end, year)
    if match := _UNTIL.fullmatch(text):
        return _interval(None, match["end"], year)
    if match := _FROM.fullmatch(text):
        return _interval(match["start"], None, year)
    return _points(text, year)


# --- Entry point ------------------------------------------------------------------------------------------


def parse_lv_date(phrase: str, year: int | None = None) -> str:
    """Return the EDTF string for a Latvian date phrase. `year` supplies the year when the phrase omits it."""
    try:
        if year is not None and not 1 <= year <= 9999:
            raise _Unreadable(said("year=%(year)s is outside 1-9999", year=year))
        text = _normalise(phrase)
        if not text:
            raise _Unreadable(said("the phrase is empty"))
        edtf = _read(text, year)
    except _Unreadable as unread:
        raise DatePhraseError(said('cannot read the Latvian date phrase "%(phrase)s": %(reason)s', phrase=phrase,
                                   reason=unread.reason)) from None
    # A real check, not an `assert` statement, so it holds under `python -O` too: a bug here must not
    # let invalid EDTF into the record.
    try:
        dates.check_edtf(edtf)
    except dates.DateError as error:
        raise AssertionError(f"bug: {phrase!r} was turned into invalid EDTF {edtf!r}") from error
    return edtf
