"""Checks an event must pass before it is recorded, beyond its schema.

Pure: each check looks at the event and what the union declares, and returns
(field, problem) pairs; an empty list means the event is acceptable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

import msgspec

from entente.vocabulary import dates
from entente.vocabulary.events import AnyEvent, Event, Participant, Restricted, Signatory
from entente.vocabulary.lv import DatePhraseError, parse_lv_date

if TYPE_CHECKING:
    from entente.vocabulary.union import Union

Problem = tuple[str, str]

_PARTY_FIELDS = ("actor", "party", "host", "requester", "proposer")
_PARTY_LIST_FIELDS = ("parties", "addressees")
# The longest text one field may hold: the longest note in a record is a few thousand characters.
MAX_TEXT = 20_000
_ALLOWED_CONTROLS = "\n\r\t"


def check_event(event: Event, union: Union, earlier_ids: Collection[str]) -> list[Problem]:
    try:  # an event built in code has not met the vocabulary's constraints (patterns, kinds) yet
        msgspec.convert(msgspec.to_builtins(event), AnyEvent)
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `$.")
        return [(path.rstrip("`") or "id", message)]
    problems = _check_texts(msgspec.to_builtins(event))
    if problems:
        return problems
    if event.id in earlier_ids:
        problems.append(("id", f"the id {event.id!r} is used by an earlier entry"))
    try:
        dates.bounds(event.date)
    except dates.DateError as exc:
        problems.append(("date", str(exc)))
    problems += _check_parties(event, union)
    if event.date_lv and not problems:
        problems += _check_phrase(event)
    if event.source is not None and event.source.document not in union.documents:
        problems.append(("source.document", f"unknown document {event.source.document!r}"))
    return problems


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in an entry, keys included, with the field it is in (``source.note``, ``title.en``)."""
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key, path or "body")
            yield from strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")


def _check_texts(body: Any) -> list[Problem]:
    """No field longer than ``MAX_TEXT`` characters, and no control characters but line breaks and tabs."""
    problems: list[Problem] = []
    for field, text in strings(body):
        if len(text) > MAX_TEXT:
            problems.append((field, f"is {len(text):,} characters long; a field holds at most {MAX_TEXT:,}"))
        bad = next((c for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS), None)
        if bad is not None:
            problems.append((field, f"holds the control character U+{ord(bad):04X}, which no entry may hold"))
    return problems


def _check_parties(event: Event, union: Union) -> list[Problem]:
    known = {p.code for p in union.parties}
    problems: list[Problem] = []

    def check(field: str, code: str | None) -> None:
        if code is not None and code not in known:
            problems.append((field, f"unknown party {code!r}; the union's parties are {', '.join(sorted(known))}"))

    for name in _PARTY_FIELDS:
        check(name, getattr(event, name, None))
    for name in _PARTY_LIST_FIELDS:
        for i, code in enumerate(getattr(event, name, ())):
            check(f"{name}[{i}]", code)
    for name in ("participants", "signatories"):
        item: Participant | Signatory
        for i, item in enumerate(getattr(event, name, ())):
            check(f"{name}[{i}].party", item.party)
    if isinstance(event.classification, Restricted):
        for i, code in enumerate(event.classification.parties):
            check(f"classification.parties[{i}]", code)
    for code in getattr(event, "votes", {}):
        check(f"votes.{code}", code)
    return problems


def _check_phrase(event: Event) -> list[Problem]:
    assert event.date_lv is not None
    try:
        meant = parse_lv_date(event.date_lv, dates.year_of(event.date))
    except DatePhraseError as exc:
        return [("date_lv", str(exc))]
    if meant != event.date:
        return [("date_lv", f'the phrase "{event.date_lv}" means {meant}, but date is {event.date}')]
    return []
