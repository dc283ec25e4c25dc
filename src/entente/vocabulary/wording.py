"""EDTF dates written as words, in English and Latvian, for readers (never the raw code such as ``1920-36``).

``words("1935-40")`` is "first half of 1935"; ``words("1935-40", "lv")`` is
"1935. gada pirmajā pusē".  The Latvian is written in the forms ``lv.parse_lv_date``
reads, so a Latvian phrase made here parses back to the date it was made from
(uncertain and approximate dates aside, which Latvian date phrases do not mark).

Forms written, and their English and Latvian words:

=========================  ======================================  ==========================================
EDTF                       English                                 Latvian
=========================  ======================================  ==========================================
1934-09-12                 12 September 1934                       1934. gada 12. septembrī
1939-03                    March 1939                              1939. gada martā
1939                       1939                                    1939. gadā
1935-21 .. 1935-24         spring .. winter 1935                   1935. gada pavasarī .. ziemā
1920-33 .. 1920-36         first .. fourth quarter of 1920         1920. gada pirmajā .. ceturtajā ceturksnī
1935-40, 1935-41           first, second half of 1935              1935. gada pirmajā, otrajā pusē
1939-12-07/1939-12-08      7–8 December 1939                       1939. gada 7.–8. decembrī
1934-11-30/1934-12-02      30 November – 2 December 1934           no 1934. gada 30. novembra līdz 2. decembrim
1920-09/1920-11            September – November 1920               no 1920. gada septembra līdz novembrim
1919/1934                  1919–1934                               1919.–1934. gadā
1934-05-15/..              from 15 May 1934                        no 1934. gada 15. maija
../1934                    until 1934                              līdz 1934. gadam
{1919,1920}                1919 and 1920                           1919. un 1920. gadā
{1940-06-14,1940-06-16}    14 and 16 June 1940                     1940. gada 14. un 16. jūnijā
{1940-05-30,1940-06-02}    30 May and 2 June 1940                  1940. gada 30. maijā un 2. jūnijā
[1919,1920]                1919 or 1920                            1919. vai 1920. gadā
1923-11-01?                1 November 1923 (uncertain)             1923. gada 1. novembrī (nav droši zināms)
1939-09~                   about September 1939                    aptuveni 1939. gada septembrī
=========================  ======================================  ==========================================

Anything else EDTF can say is written as the span of days it stands for ("between … and …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entente.vocabulary import dates
from entente.vocabulary.lv import MONTH_FORMS

__all__ = ["LANGUAGES", "dates_in", "day_words", "words"]

LANGUAGES = ("en", "lv")

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
# Latvian case forms of each month, by case: the order of lv.MONTH_FORMS rows.
_NOM, _GEN, _LOC, _DAT = 0, 1, 2, 3
_LV_MONTHS = {number: forms for number, forms in MONTH_FORMS}

_EN_ORDINALS = ("first", "second", "third", "fourth")
_LV_ORDINALS = ("pirmajā", "otrajā", "trešajā", "ceturtajā")
_EN_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_LV_SEASONS = {21: "pavasarī", 22: "vasarā", 23: "rudenī", 24: "ziemā"}

_POINT = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[?~%])?")


@dataclass(frozen=True)
class _Point:
    year: int
    month: int | None = None  # 1-12, or an EDTF sub-year code (21-24 seasons, 33-36 quarters, 40-41 halves)
    day: int | None = None
    qualifier: str = ""

    @property
    def calendar_month(self) -> bool:
        return self.month is not None and 1 <= self.month <= 12


def _point(text: str) -> _Point | None:
    match = _POINT.fullmatch(text)
    if match is None:
        return None
    month, day = match["month"], match["day"]
    point = _Point(int(match["year"]), int(month) if month else None, int(day) if day else None,
                   match["qualifier"] or "")
    code = point.month
    if code is not None and not (1 <= code <= 12 or code in _EN_SEASONS or 33 <= code <= 36 or code in (40, 41)):
        return None
    if point.day is not None and not point.calendar_month:
        return None
    return point


# --- English ----------------------------------------------------------------------------------------------


def _en(p: _Point) -> str:
    m = p.month
    if m is None:
        text = f"{p.year}"
    elif m in _EN_SEASONS:
        text = f"{_EN_SEASONS[m]} {p.year}"
    elif 33 <= m <= 36:
        text = f"{_EN_ORDINALS[m - 33]} quarter of {p.year}"
    elif m in (40, 41):
        text = f"{_EN_ORDINALS[m - 40]} half of {p.year}"
    elif p.day is None:
        text = f"{_EN_MONTHS[m - 1]} {p.year}"
    else:
        text = f"{p.day} {_EN_MONTHS[m - 1]} {p.year}"
    return _en_qualified(text, p.qualifier)


def _en_qualified(text: str, qualifier: str) -> str:
    if qualifier == "?":
        return f"{text} (uncertain)"
    if qualifier == "~":
        return f"about {text}"
    if qualifier == "%":
        return f"about {text} (uncertain)"
    return text


def _en_span(a: _Point, b: _Point) -> str:
    if a.qualifier or b.qualifier:
        return f"{_en(a)} – {_en(b)}"
    if a.year == b.year and a.calendar_month and b.calendar_month:
        assert a.month is not None and b.month is not None
        if a.day is not None and b.day is not None:
            if a.month == b.month:
                return f"{a.day}–{b.day} {_EN_MONTHS[a.month - 1]} {a.year}"
            return f"{a.day} {_EN_MONTHS[a.month - 1]} – {b.day} {_EN_MONTHS[b.month - 1]} {a.year}"
        if a.day is None and b.day is None:
            return f"{_EN_MONTHS[a.month - 1]} – {_EN_MONTHS[b.month - 1]} {a.year}"
    if a.month is None and b.month is None:
        return f"{a.year}–{b.year}"
    return f"{_en(a)} – {_en(b)}"


# --- Latvian ----------------------------------------------------------------------------------------------


def _lv_case(p: _Point, case: int, *, with_year: bool = True) -> str:
    """A calendar point (year, month or day) in a grammatical case: locative "in", genitive "from", dative "until"."""
    year_word = {_NOM: "gads", _GEN: "gada", _LOC: "gadā", _DAT: "gadam"}[case]
    if p.month is None:
        return f"{p.year}. {year_word}"
    assert p.calendar_month
    month = _LV_MONTHS[p.month][case]
    head = f"{p.year}. gada " if with_year else ""
    return head + (f"{p.day}. {month}" if p.day is not None else month)


def _lv(p: _Point) -> str:
    m = p.month
    if m is not None and m in _LV_SEASONS:
        text = f"{p.year}. gada {_LV_SEASONS[m]}"
    elif m is not None and 33 <= m <= 36:
        text = f"{p.year}. gada {_LV_ORDINALS[m - 33]} ceturksnī"
    elif m is not None and m in (40, 41):
        text = f"{p.year}. gada {_LV_ORDINALS[m - 40]} pusē"
    else:
        text = _lv_case(p, _LOC)
    return _lv_qualified(text, p.qualifier)


def _lv_qualified(text: str, qualifier: str) -> str:
    if qualifier == "?":
        return f"{text} (nav droši zināms)"
    if qualifier == "~":
        return f"aptuveni {text}"
    if qualifier == "%":
        return f"aptuveni {text} (nav droši zināms)"
    return text


def _lv_span(a: _Point, b: _Point) -> str:
    calendar = (a.month is None or a.calendar_month) and (b.month is None or b.calendar_month)
    if a.qualifier or b.qualifier or not calendar:
        return f"{_lv(a)} – {_lv(b)}"
    if a.month is None and b.month is None:
        return f"{a.year}.–{b.year}. gadā"
    if a.year == b.year and a.month == b.month and a.day is not None and b.day is not None:
        return f"{a.year}. gada {a.day}.–{b.day}. {_LV_MONTHS[b.month or 0][_LOC]}"
    same_year = a.year == b.year and a.month is not None and b.month is not None
    return f"no {_lv_case(a, _GEN)} līdz {_lv_case(b, _DAT, with_year=not same_year)}"


# --- Both -------------------------------------------------------------------------------------------------


def _lv_bound(p: _Point, case: int) -> str:
    """A bound of an open interval or a span: "no" takes the genitive, "līdz" the dative."""
    plain = not p.qualifier and (p.month is None or p.calendar_month)
    return _lv_case(p, case) if plain else _lv(p)


_EN = (_en, _en_span, lambda p: f"from {_en(p)}", lambda p: f"until {_en(p)}", " and ", " or ",
       lambda a, b: f"between {_en(a)} and {_en(b)}")
_LV = (_lv, _lv_span, lambda p: f"no {_lv_bound(p, _GEN)}", lambda p: f"līdz {_lv_bound(p, _DAT)}", " un ", " vai ",
       lambda a, b: f"no {_lv_bound(a, _GEN)} līdz {_lv_bound(b, _DAT)}")


def _set_in_one_year(points: list[_Point]) -> list[_Point] | None:
    """The days (or months, or years) of a set, where a reader names their year once: all plain, all days or all
    months of one year, or all years."""
    if any(p.qualifier or (p.month is not None and not p.calendar_month) for p in points):
        return None
    if all(p.month is None for p in points):
        return points
    if all(p.month is not None and p.year == points[0].year for p in points) and \
            len({p.day is None for p in points}) == 1:
        return points
    return None


def _listed(parts: list[str], joined: str) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joined + parts[-1]


def _en_set(points: list[_Point], joined: str) -> str:
    """ "14 and 16 June 1940", "30 May and 2 June 1940", "May and June 1940", "1919 and 1920": each month named
    after its last day, the year once."""
    if points[0].month is None:
        return _listed([str(p.year) for p in points], joined)
    parts = []
    for n, p in enumerate(points):
        assert p.month is not None
        month = _EN_MONTHS[p.month - 1]
        last_of_month = n + 1 == len(points) or points[n + 1].month != p.month
        parts.append(month if p.day is None else f"{p.day} {month}" if last_of_month else f"{p.day}")
    return f"{_listed(parts, joined)} {points[0].year}"


def _lv_set(points: list[_Point], joined: str) -> str:
    """ "1940. gada 14. un 16. jūnijā", "1940. gada 30. maijā un 2. jūnijā", "1919. un 1920. gadā"."""
    if points[0].month is None:
        return f"{_listed([f'{p.year}.' for p in points], joined)} gadā"
    parts = []
    for n, p in enumerate(points):
        month = _LV_MONTHS[p.month or 0][_LOC]
        last_of_month = n + 1 == len(points) or points[n + 1].month != p.month
        parts.append(month if p.day is None else f"{p.day}. {month}" if last_of_month else f"{p.day}.")
    return f"{points[0].year}. gada {_listed(parts, joined)}"


# A period labelled by who held the presidency in it: "1996-09-19/1998-09-18 (CA)".
_HELD = re.compile(r"(?P<period>\S+/\S+) \((?P<holder>[^()\s]+)\)")


def words(edtf: str, lang: str = "en") -> str:
    """The date as a reader writes it, in ``lang`` ("en" or "lv"; another language gets English)."""
    one, span, since, until, both, either, between = _LV if lang == "lv" else _EN
    text = edtf.strip()
    if (held := _HELD.fullmatch(text)) is not None:  # a presidency's term: its days, and who held it
        return f"{words(held['period'], lang)} ({held['holder']})"
    if (point := _point(text)) is not None:
        return one(point)
    if text[:1] in "{[" and text[-1:] in "}]":
        members = [_point(m.strip()) for m in text[1:-1].split(",")]
        points = [m for m in members if m is not None]
        if len(points) == len(members):
            joined = both if text[0] == "{" else either
            shared = _set_in_one_year(points)
            if shared is not None:
                return (_lv_set if lang == "lv" else _en_set)(shared, joined)
            return joined.join(one(m) for m in points)
    if text.count("/") == 1:
        first, last = text.split("/")
        a, b = _point(first), _point(last)
        if a is not None and b is not None:
            return span(a, b)
        if a is not None and last in ("..", ""):
            return since(a)
        if b is not None and first in ("..", ""):
            return until(b)
    try:
        low, high = dates.bounds(text)
    except dates.DateError:
        return text  # not a date at all: shown as it is rather than hidden
    lower, upper = _point(low), _point(high)
    assert lower is not None and upper is not None
    return between(lower, upper)


def day_words(day: str, lang: str = "en") -> str:
    """A plain day (YYYY-MM-DD) as words: "31 March 1938", "1938. gada 31. martā"."""
    return words(day, lang)


# An EDTF day or month, or a range of them, standing alone in running text (not inside an id like
# "conference-1939-09").
_IN_TEXT = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?[?~]?(?:/\d{4}-\d{2}(?:-\d{2})?[?~]?)?(?![\d-])")


# A date in running English that follows "on": "on" is for days; a month, a season or a half year takes "in".
_ON_IN_TEXT = re.compile(r"\bon (?=" + _IN_TEXT.pattern + ")")


def _preposition(match: re.Match[str]) -> str:
    """ "in" for a date without a day ("in December 1939", "in the first half of 1935"), "on" for one with it."""
    date = _IN_TEXT.match(match.string, match.end())
    point = _point(date[0].split("/")[0]) if date else None
    if point is None or point.day is not None:
        return match[0]
    return "in the " if point.month is not None and (33 <= point.month <= 36 or point.month in (40, 41)) else "in "


def dates_in(text: str, lang: str = "en") -> str:
    """Running text (a rule's finding, say) with each EDTF date in it written as words, in ``lang``.

    "conference 1 (Tallinn, 1934-11-30/1934-12-02)" becomes "conference 1 (Tallinn, 30 November – 2 December 1934)";
    in English, "proposed on 1939-12" becomes "proposed in December 1939", as "on" is for a day.
    """
    if lang != "lv":
        text = _ON_IN_TEXT.sub(_preposition, text)
    return _IN_TEXT.sub(lambda m: words(m[0], lang), text)
