"""The rules' sentences in a reader's language: a finding's or a due item's detail, and a finding's subject, said
from the catalog where the rule gave them as data (``vocabulary.said``), else in the rules' English with their
dates in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from entente.languages.known import DEFAULT
from entente.vocabulary.said import Catalog, Day, Listed, Said, Term, Value, say
from entente.vocabulary.wording import dates_in

__all__ = ["in_language", "refused_in", "refused_lang", "told", "told_value"]

# Which field of a row holds the data each of its sentences was written from.
_DATA = {"detail": "said", "subject": "about", "summary": "said", "why": "reason"}


def in_language(row: Mapping[str, Any], lang: str, field: str = "detail") -> bool:
    """Whether ``told`` says the row's ``field`` in ``lang`` (else it is the rules' English)."""
    return lang == DEFAULT or bool(row.get(_DATA[field]))


def told(row: Mapping[str, Any], catalog: Catalog, lang: str, field: str = "detail") -> str:
    """The row's ``field`` ("detail", "subject", a timeline row's "summary", a presidency's "why") in ``lang``:
    from ``catalog`` where the row holds it as data and the language is not English, else its English words with
    their dates as words."""
    data = row.get(_DATA[field])
    if data and lang != DEFAULT:
        return say(msgspec.convert(data, Said), catalog, lang)
    if data and field == "subject":  # an entry a finding is about, by its title where its subject is its id
        return dates_in(say(msgspec.convert(data, Said)))
    return dates_in(str(row.get(field) or ""))


def told_value(value: Value, catalog: Catalog, lang: str) -> str:
    """A sentence given as data, said in ``lang``."""
    if lang == DEFAULT:
        return dates_in(say(value))
    return say(value, catalog, lang)


def refused_in(exc: Exception, lang: str) -> str:
    """An error's line in ``lang``, where the error gives it as data (``told``: a date that is not read, a file's,
    the store's, a key's or a checkpoint's problem, a check that makes a write wait); else its own words."""
    from entente.languages.catalog import translations  # Babel: loaded by the first error said, not before

    told = getattr(exc, "told", None)
    if not isinstance(told, Said | Listed | Day | Term) or lang == DEFAULT:
        return str(exc)
    return say(told, translations(lang), lang)


def refused_lang(exc: Exception, lang: str) -> str:
    """The language ``refused_in`` says the error's line in: ``lang`` where the error gives it as data, else English."""
    return lang if isinstance(getattr(exc, "told", None), Said | Listed | Day | Term) else DEFAULT
