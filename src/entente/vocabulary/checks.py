"""Checks an event must pass before it is recorded, beyond its schema.

Pure: each check looks at the event and what the union declares, and returns
(field, problem) pairs, each problem a sentence given as data (``said``) for the
edge to say in its reader's language; an empty list means the event is acceptable.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import msgspec

from entente.vocabulary import dates
from entente.vocabulary.events import (
    KINDS,
    AnyEvent,
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    Participant,
    Restricted,
    Signatory,
    kind_of,
)
from entente.vocabulary.lv import DatePhraseError, parse_lv_date
from entente.vocabulary.sentence import Day, Listed, Said, Term, Value, said

if TYPE_CHECKING:
    from entente.vocabulary.union import Union

Problem = tuple[str, Value]

_PARTY_FIELDS = ("actor", "party", "host", "requester", "proposer")
_PARTY_LIST_FIELDS = ("parties", "addressees")
# The longest text one field may hold: the longest note in a record is a few thousand characters.
MAX_TEXT = 20_000
_ALLOWED_CONTROLS = "\n\r\t"
# The control characters (Unicode category Cc: U+0000–U+001F and U+007F–U+009F) but those allowed.
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in (*range(0x20), *range(0x7F, 0xA0))
                                    if chr(c) not in _ALLOWED_CONTROLS) + "]")
# In an entry encoded as JSON, what any control character but those allowed turns into (an escape, or
# U+007F–U+009F as they are), and the bidirectional controls below as UTF-8: an entry without any has none,
# and its texts need no closer look.
_MAYBE_CONTROL = re.compile(rb"\\[bfu]|\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# The bidirectional controls (marks, embeddings, overrides, isolates): a name holding one can be shown
# reading otherwise than it is stored, as another name, or with its letters in another order.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_json = msgspec.json.Encoder()
_vocabulary = msgspec.json.Decoder(AnyEvent)


def _encoded(event: Event) -> bytes | None:
    """The entry as JSON, or None where it cannot be (a text holding half a surrogate pair, a value of no
    JSON type): the checks that use it then look at the entry field by field."""
    try:
        return _json.encode(event)
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        return None


def _reads_back(encoded: bytes, event: Event) -> bool:
    """Whether the entry's JSON reads back, under the vocabulary's constraints, as the very entry: then
    every field holds a value of its type that meets its constraints, and converting it would find nothing."""
    try:
        return bool(_vocabulary.decode(encoded) == event)
    except msgspec.ValidationError:
        return False


def check_event(event: Event, union: Union, earlier_ids: Collection[str]) -> list[Problem]:
    encoded = _encoded(event)
    # An event built in code has not met the vocabulary's constraints (patterns, kinds) yet.  Most read
    # back from their JSON as they are; any other is converted, to its own kind named by its tag as the
    # union of kinds would, for what is wrong and where.
    if encoded is None or not _reads_back(encoded, event):
        try:
            msgspec.convert(msgspec.to_builtins(event), KINDS.get(kind_of(event), AnyEvent))
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).partition(" - at `$.")
            return [(path.rstrip("`") or "id", message)]
    problems = _check_texts(event, encoded)
    if problems:
        return problems
    if event.id in earlier_ids:
        problems.append(("id", reused(event.id)))
    try:
        dates.bounds(event.date)
    except dates.DateError as exc:
        problems.append(("date", _told(exc)))
    else:
        if (outside := dates.check_span(event.date)) is not None:
            problems.append(("date", outside))
    if isinstance(event, ClassificationAmended) and event.since is not None:
        try:
            dates.bounds(event.since)
        except dates.DateError as exc:
            problems.append(("since", _told(exc)))
    problems += _check_parties(event, union)
    if event.date_lv and not problems:
        problems += _check_phrase(event)
    if event.source is not None and event.source.document not in union.documents:
        problems.append(("source.document", _unknown_document(event.source.document)))
    problems += [(f"cites[{n}].document", _unknown_document(c.document))
                 for n, c in enumerate(event.cites) if c.document not in union.documents]
    if isinstance(event, EntryCorrected | EntryRetracted):
        problems += _check_revision(event, union)
    return problems


def reused(entry: str) -> Value:
    """Why an entry cannot take an id an earlier one has."""
    return said("the id %(id)s is used by an earlier entry", id=repr(entry))


def _unknown_document(document: str) -> Value:
    return said("unknown document %(document)s", document=repr(document))


def _told(exc: dates.DateError | DatePhraseError) -> Value:
    """A date's error as the sentence it gives."""
    told = exc.told
    return told if isinstance(told, Said | Listed | Day | Term) else str(exc)


def _check_revision(event: EntryCorrected | EntryRetracted, union: Union) -> list[Problem]:
    """A correction or retraction says why and on what source; a correction gives a whole entry, under the same id."""
    problems: list[Problem] = []
    if event.source is None:
        problems.append(("source", said("a correction or retraction needs a source: the document it rests on")))
    if not event.reason.strip():
        problems.append(("reason", said("a correction or retraction needs a reason")))
    if isinstance(event, EntryCorrected):
        if event.entry.id != event.target:
            problems.append(("entry.id", said("the corrected entry must keep the id %(id)s", id=repr(event.target))))
        if isinstance(event.entry, EntryCorrected | EntryRetracted):
            problems.append(("entry.kind", said("a correction corrects an entry of the record, not another "
                                                "correction")))
        problems += [(f"entry.{field}", message) for field, message in check_event(event.entry, union, ())]
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


def _check_texts(event: Event, encoded: bytes | None) -> list[Problem]:
    """No field longer than ``MAX_TEXT`` characters, no control characters but line breaks and tabs, and no
    bidirectional controls."""
    # A whole entry (as JSON: every text in it at least as long as it is) no longer than a field may be,
    # with no trace of a control character (none of the bytes one begins with, or none of the traces), passes.
    if encoded is not None and len(encoded) <= MAX_TEXT and (
            (b"\\" not in encoded and b"\x7f" not in encoded and b"\xc2" not in encoded
             and b"\xe2" not in encoded and b"\xd8" not in encoded)
            or not _MAYBE_CONTROL.search(encoded)):
        return []
    problems: list[Problem] = []
    for field, text in strings(msgspec.to_builtins(event)):
        if len(text) > MAX_TEXT:
            problems.append((field, said("is %(length)s characters long; a field holds at most %(most)s",
                                         length=f"{len(text):,}", most=f"{MAX_TEXT:,}")))
        if bad := _CONTROL.search(text):
            problems.append((field, said("holds the control character %(char)s, which no entry may hold",
                                         char=f"U+{ord(bad[0]):04X}")))
        elif bad := _BIDI.search(text):
            problems.append((field, said("holds the bidirectional control character %(char)s, which can make a text "
                                         "read otherwise than it is stored; no entry may hold one",
                                         char=f"U+{ord(bad[0]):04X}")))
    return problems


@cache
def _party_fields(kind: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The fields of a kind that name parties: one party, a list of them, a list of items with a party."""
    fields = set(getattr(kind, "__struct_fields__", ()))
    return (tuple(n for n in _PARTY_FIELDS if n in fields), tuple(n for n in _PARTY_LIST_FIELDS if n in fields),
            tuple(n for n in ("participants", "signatories") if n in fields))


# Each union's party codes, made once for all its entries (the union held, so its id is not reused).
_CODES: dict[int, tuple[Union, frozenset[str]]] = {}


def _codes(union: Union) -> frozenset[str]:
    found = _CODES.get(id(union))
    if found is None or found[0] is not union:
        if len(_CODES) > 16:
            _CODES.clear()
        found = _CODES[id(union)] = (union, frozenset(p.code for p in union.parties))
    return found[1]


def _participant_roles(union: Union) -> list[str]:
    """How a party may take part in a meeting: as a member, an observer, the host, or in a role its union declares."""
    return ["member", "observer", "host", *union.roles]


def _check_parties(event: Event, union: Union) -> list[Problem]:
    known = _codes(union)
    problems: list[Problem] = []

    def check(field: str, code: str | None) -> None:
        if code is not None and code not in known:
            problems.append((field, said("unknown party %(code)s; the union's parties are %(codes)s", code=repr(code),
                                         codes=", ".join(sorted(known)))))

    single, lists, items = _party_fields(type(event))
    for name in single:
        check(name, getattr(event, name))
    for name in lists:
        for i, code in enumerate(getattr(event, name)):
            check(f"{name}[{i}]", code)
    for name in items:
        item: Participant | Signatory
        for i, item in enumerate(getattr(event, name)):
            check(f"{name}[{i}].party", item.party)
            if isinstance(item, Participant) and item.role not in _participant_roles(union):
                problems.append((f"{name}[{i}].role", said("%(value)s is not one of the values it takes: %(values)s",
                                                           value=repr(item.role),
                                                           values=", ".join(_participant_roles(union)))))
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
        return [("date_lv", _told(exc))]
    if meant != event.date:
        return [("date_lv", said('the phrase "%(phrase)s" means %(meant)s, but date is %(date)s',
                                 phrase=event.date_lv, meant=meant, date=event.date))]
    return []
