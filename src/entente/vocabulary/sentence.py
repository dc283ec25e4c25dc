"""A sentence as data, and nothing else: the types ``vocabulary.said`` says, kept apart so that the modules it
leans on to write dates (``dates``, ``lv``) can give their own errors as sentences too.

``english`` writes a sentence as the rules' English does (``said.say`` without a catalog): its dates as the
record writes them, its lists joined by "and" or "or".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

__all__ = ["Case", "Day", "Joining", "Listed", "Said", "Term", "Value", "counted", "day", "english", "listed",
           "said", "word"]

# The case a date takes in its phrase: "in"/"on" the locative (1934. gada 13. novembrī), "from"/"since" the
# genitive (kopš 1934. gada 13. novembra), "until"/"to" the dative (līdz 1940. gada 1. jūlijam).
Case = Literal["in", "from", "until"]
# How a list is joined: "A, B and C" ("and", "or"), "A and B and C" ("and_each", "or_each"), or by a mark.
Joining = Literal["and", "and_each", "or", "or_each", ";", ",", "→", ""]


class Day(msgspec.Struct, tag="day", kw_only=True, omit_defaults=True):
    """An EDTF date in a sentence, and the case its phrase gives it."""

    edtf: str
    case: Case = "in"


class Term(msgspec.Struct, tag="term", kw_only=True, omit_defaults=True):
    """A word of the treaty's (a body such as "conferences of foreign ministers"), said in the catalog's words
    where the catalog has them, else as the treaty file writes it; ``entry`` is the word the catalog is asked
    for where the English says it otherwise (in the singular, say)."""

    text: str
    entry: str = ""
    forms: dict[str, str] = {}  # the record's own words in other languages (a place's "Rīga"), used first


class Listed(msgspec.Struct, tag="listed", kw_only=True, omit_defaults=True):
    """Several values in one phrase: "AA and BB", "AA or CC", "held in X; hosted by Y"."""

    items: list[Value]
    # "and_each" joins every pair with "and" ("in X and in June and during Y"), "and" only the last two.
    joined: Joining = "and"


class Said(msgspec.Struct, tag="said", kw_only=True, omit_defaults=True):
    """A sentence: its English message, its plural message and count where it counts, and its values."""

    text: str
    plural: str = ""
    n: int = 0
    values: dict[str, Value] = {}


Value = str | int | float | Said | Day | Term | Listed


def said(text: str, **values: Value) -> Said:
    """A sentence with its values."""
    return Said(text=text, values=values)


def counted(singular: str, plural: str, n: int, **values: Value) -> Said:
    """A sentence counting ``n`` ("%(num)s more due"), in the plural form ``n`` needs; ``%(num)s`` is ``n``."""
    return Said(text=singular, plural=plural, n=n, values=values)


def day(edtf: str, case: Case = "in") -> Day:
    return Day(edtf=edtf, case=case)


def word(text: str, entry: str = "") -> Term:
    """A word of the treaty's, to be said in the catalog's words."""
    return Term(text=text, entry=entry if entry != text else "")


def listed(items: Sequence[Value], joined: Joining = "and") -> Listed:
    return Listed(items=list(items), joined=joined)


_MARKS = {";": "; ", ",": ", ", "→": " → ", "": ""}


def english(s: Value) -> str:
    """The sentence in the rules' English, its dates as the record writes them."""
    if isinstance(s, str):
        return s
    if isinstance(s, int | float):
        return str(s)
    if isinstance(s, Day):
        return s.edtf
    if isinstance(s, Term):
        return s.text
    if isinstance(s, Listed):
        items = [english(v) for v in s.items]
        if s.joined not in ("and", "and_each", "or", "or_each"):
            return _MARKS[s.joined].join(items)
        joint = " or " if s.joined.startswith("or") else " and "
        if s.joined in ("and", "or") and len(items) > 2:
            return ", ".join(items[:-1]) + joint + items[-1]
        return joint.join(items)
    message = s.plural if s.plural and s.n != 1 else s.text
    values = {k: english(v) for k, v in s.values.items()}
    if s.plural:
        values["num"] = str(s.n)
    return message % values if values else message
