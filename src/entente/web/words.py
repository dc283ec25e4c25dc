"""EDTF dates written as words, in English and Latvian: "first half of 1935", "1935. gada pirmajā pusē".

A page never shows a raw EDTF code.  Latvian takes the locative ("septembrī",
"1935. gadā"), as running text and the record's own source write it; the
bounds of a range take the genitive and the dative ("no septembra līdz
novembrim").  A form not read here is shown as its first and last day.
"""

from __future__ import annotations

import re

from entente.vocabulary import dates

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
# Latvian month names: locative ("in"), genitive ("from"), dative ("until").
_LV_STEMS = ("janvār", "februār", "mart", "aprīl", "maij", "jūnij", "jūlij", "august", "septembr", "oktobr",
             "novembr", "decembr")


def _lv_month(month: int, case: str) -> str:
    stem = _LV_STEMS[month - 1]
    soft = stem.endswith(("r", "īl"))  # janvāris, aprīlis, septembris: -is nouns; the rest (marts, maijs) -s
    return stem + {"loc": "ī" if soft else "ā", "gen": "a", "dat": "im" if soft else "am"}[case]


_SUB_EN = {21: "spring of {y}", 22: "summer of {y}", 23: "autumn of {y}", 24: "winter of {y}",
           33: "first quarter of {y}", 34: "second quarter of {y}", 35: "third quarter of {y}",
           36: "fourth quarter of {y}", 40: "first half of {y}", 41: "second half of {y}"}
_SUB_LV = {21: "{y}. gada pavasarī", 22: "{y}. gada vasarā", 23: "{y}. gada rudenī", 24: "{y}. gada ziemā",
           33: "{y}. gada pirmajā ceturksnī", 34: "{y}. gada otrajā ceturksnī", 35: "{y}. gada trešajā ceturksnī",
           36: "{y}. gada ceturtajā ceturksnī", 40: "{y}. gada pirmajā pusē", 41: "{y}. gada otrajā pusē"}

_SINGLE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([?~%]?)")


def _single(text: str, lang: str, case: str = "loc") -> str | None:
    found = _SINGLE.fullmatch(text)
    if found is None:
        return None
    year, month, day = found[1].lstrip("0") or "0", found[2], found[3]
    m = int(month) if month else None
    if m is not None and m > 12:
        words = (_SUB_EN if lang == "en" else _SUB_LV).get(m)
        if words is None:
            return None
        phrase = words.format(y=year)
    elif lang == "en":
        phrase = " ".join(p for p in (str(int(day)) if day else "", _EN_MONTHS[m - 1] if m else "", year) if p)
    elif m is None:
        phrase = f"{year}. gad" + {"loc": "ā", "gen": "a", "dat": "am"}[case]
    else:
        phrase = f"{year}. gada " + (f"{int(day)}. " if day else "") + _lv_month(m, case)
    if found[4]:
        phrase = ("about " if lang == "en" else "apmēram ") + phrase
    return phrase


def _same_month_days(first: str, last: str, lang: str) -> str | None:
    """14–15 September 1919; 1919. gada 14.–15. septembrī."""
    a, b = _SINGLE.fullmatch(first), _SINGLE.fullmatch(last)
    if not (a and b and a[3] and b[3] and a[1] == b[1] and a[2] == b[2] and not a[4] and not b[4]):
        return None
    if lang == "en":
        return f"{int(a[3])}–{int(b[3])} {_EN_MONTHS[int(a[2]) - 1]} {a[1]}"
    return f"{a[1]}. gada {int(a[3])}.–{int(b[3])}. {_lv_month(int(a[2]), 'loc')}"


# An EDTF date inside running text (a rule's finding speaks of "conference 1 (Tallinn, 1934-11-30/1934-12-02)").
_IN_TEXT = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?[?~]?(?:/\d{4}-\d{2}(?:-\d{2})?[?~]?)?(?![\d-])")


def dates_in(text: str, lang: str = "en") -> str:
    """Running text with each EDTF date in it written as words (in the language of the text)."""
    return _IN_TEXT.sub(lambda m: date_words(m[0], lang), text)


def date_words(edtf: str, lang: str = "en") -> str:
    """The date as words in ``lang`` (en or lv; any other language gets English)."""
    lang = "lv" if lang == "lv" else "en"
    text = edtf.strip()
    if text.startswith("{") and text.endswith("}"):
        parts = [_single(p.strip(), lang) for p in text[1:-1].split(",")]
        if all(parts):
            joined = ", ".join(str(p) for p in parts[:-1]) + (" and " if lang == "en" else " un ") + str(parts[-1])
            return joined if len(parts) > 1 else str(parts[0])
    elif "/" in text:
        first, last = text.split("/", 1)
        if (days := _same_month_days(first, last, lang)) is not None:
            return days
        start, end = _single(first, lang, "gen"), _single(last, lang, "dat")
        if first == ".." and end:
            return ("until " if lang == "en" else "līdz ") + end
        if last == ".." and start:
            return ("from " if lang == "en" else "no ") + start
        if start and end and first[:4] == last[:4] and len(first) == len(last) == 10:
            # 30 November – 2 December 1934: the year said once.
            return f"{start.removesuffix(' ' + first[:4])} – {end}" if lang == "en" else \
                f"no {start} līdz {end.removeprefix(first[:4] + '. gada ')}"
        if start and end:
            return f"{start} – {end}" if lang == "en" else f"no {start} līdz {end}"
    elif (single := _single(text, lang)) is not None:
        return single
    try:
        lo, hi = dates.bounds(text)
    except dates.DateError:
        return text
    return date_words(lo if lo == hi else f"{lo}/{hi}", lang)
