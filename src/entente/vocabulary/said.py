"""A sentence as data: the English message a catalog translates, the count that chooses its plural form, and the
values put in it, so the rules (which read no catalog) say what they found and each view says it in its reader's
language.

``said("%(party)s hosted", party="AA")`` is the sentence; ``say(s)`` writes it in English with its dates as the
record writes them (the finding's ``detail``); ``say(s, catalog, "lv")`` writes it from the catalog, its dates in
words and in the case the phrase governs (``Day``), the treaty's words in the catalog's (``Term``) and a list of
parties joined by the language's "and" (``Listed``).  English messages are the catalog's msgids: ``make messages``
extracts every ``said`` and ``counted`` call of the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from entente.vocabulary.sentence import Day, Listed, Said, Term, Value, counted, day, listed, said, word
from entente.vocabulary.wording import words

__all__ = ["Catalog", "Day", "Listed", "Said", "SaidError", "Term", "Value", "counted", "day", "listed", "parties",
           "said", "say", "word"]


class Catalog(Protocol):
    """What a gettext catalog gives: a message, or the form of a counted message its number needs."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class _English:
    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


ENGLISH = _English()
_JOINS = {";": "; ", ",": ", ", "→": " → ", "": ""}


class SaidError(ValueError):
    """An error whose line is given as data too (``told``), so where it is shown it is said in the reader's
    language; its English words are its message."""

    def __init__(self, problem: Value) -> None:
        self.told = problem
        super().__init__(say(problem))


def say(s: Value, catalog: Catalog = ENGLISH, lang: str = "") -> str:
    """The sentence written out: in English with the record's dates (``lang`` empty, the catalog English), or from
    ``catalog`` in ``lang`` with dates in words."""
    if isinstance(s, str):
        return s
    if isinstance(s, int | float):
        return str(s)
    if isinstance(s, Day):
        return _day(s, lang)
    if isinstance(s, Term):
        return (s.forms.get(lang) or catalog.gettext(s.entry or s.text)) if lang else s.text
    if isinstance(s, Listed):
        return _join([say(v, catalog, lang) for v in s.items], s.joined, catalog if lang else ENGLISH)
    message = catalog.ngettext(s.text, s.plural, s.n) if s.plural else catalog.gettext(s.text)
    values = {k: say(v, catalog, lang) for k, v in s.values.items()}
    if s.plural:
        values["num"] = str(s.n)
    return message % values if values else message


def _join(items: list[str], how: str, catalog: Catalog) -> str:
    if how in ("and", "and_each", "or", "or_each"):
        word = catalog.gettext(" or ") if how.startswith("or") else catalog.gettext(" and ")
        if how in ("and", "or") and len(items) > 2:
            return ", ".join(items[:-1]) + word + items[-1]
        return word.join(items)
    return _JOINS[how].join(items)


def _day(d: Day, lang: str) -> str:
    if not lang:
        return d.edtf  # the finding's English detail keeps the record's own notation, as before
    if lang != "lv" or d.case == "in":
        return words(d.edtf, lang)
    # "no 1934. gada 13. novembra" and "līdz 1940. gada 1. jūlijam" give the case; a span keeps its own words.
    bound = f"{d.edtf}/.." if d.case == "from" else f"../{d.edtf}"
    phrase = words(bound, lang)
    return phrase.split(" ", 1)[1] if "/" not in d.edtf and phrase != bound else words(d.edtf, lang)


def parties(codes: Iterable[str]) -> Value:
    """Party codes as one phrase: "AA", "AA and BB", "AA, BB and CC"; "no party" where there are none."""
    items = sorted(codes)
    if not items:
        return said("no party")
    return items[0] if len(items) == 1 else listed(items)
