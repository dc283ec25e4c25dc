"""What the service holds of the record, held once: equal strings as one object, every empty text as one.

Decoding makes a new string for every field of every entry, though most repeat: a batch's entries
share their record time, a day is the date of many entries, the parties are few, a question's key
is in every position on it.  Held for the service's life, those copies were most of what an entry
cost.  ``share`` makes each such field of the entries handed to it point at one interned string,
each empty text at one empty dict, and each classification narrower than public at one object for
each distinct one.  The values are equal to what they replace, so nothing that
reads, compares or encodes an entry can tell; entries are never changed after they are read (their
types are frozen), which is why one empty dict can stand for all of them.  It runs on entries just
decoded, before anything else holds them: those read after the snapshot (its own entries come back shared
already, ``stored_once``).
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Sequence
from typing import Any

import msgspec

from entente.vocabulary.events import EVENT_TYPES, Event
from entente.vocabulary.stored import TWINS

_EMPTY: dict[str, Any] = {}  # every empty text of the entries shared: never written to


# Fields whose values seldom repeat or seldom are there: not worth a step for every entry.
_UNSHARED = {"id", "note", "date_lv"}
# Fields of a struct value that a record holds few of, each in many entries: equal ones held as one (they are
# frozen, and hold strings and tuples only).
_VALUED = {"classification"}


def _string(tp: Any) -> bool:
    """A string type, plain or constrained (literal strings are shared by the decoder already)."""
    if typing.get_origin(tp) is typing.Annotated:
        return _string(typing.get_args(tp)[0])
    return tp is str


def _choices(tp: Any) -> tuple[Any, ...]:
    """The types a field may hold: those of a union, or the one."""
    return typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, types.UnionType) else (tp,)


Fields = tuple[tuple[str, Any], ...]


def _fields(cls: type) -> tuple[Fields, Fields, Fields]:
    """(name, what sets it) for each string field of ``cls`` worth sharing, for each text field, and for each
    field of ``_VALUED``."""
    strings, texts, valued = [], [], []
    for f in msgspec.structs.fields(cls):
        put = getattr(cls, f.name).__set__  # the field's slot: sets it on a frozen entry too
        if typing.get_origin(f.type) is dict:
            texts.append((f.name, put))
        elif f.name not in _UNSHARED and any(_string(a) for a in _choices(f.type)):
            strings.append((f.name, put))
        elif f.name in _VALUED:
            valued.append((f.name, put))
    return tuple(strings), tuple(texts), tuple(valued)


FIELDS: dict[type, tuple[Fields, Fields, Fields]] = {t: _fields(t) for cls in EVENT_TYPES for t in (cls, TWINS[cls])}
# One object for each distinct value met, by its type and fields (a twin's own hash makes a checked value
# first, which is slower than these tuples).
_VALUES: dict[tuple[Any, ...], Any] = {}


def empty_text() -> dict[str, Any]:
    """The one empty text every entry shared holds for each of its empty texts."""
    return _EMPTY


def canonical_value(value: Any) -> Any:
    """The one object held for every value equal to ``value`` of a field of ``_VALUED`` (a struct), else
    ``value``."""
    if isinstance(value, msgspec.Struct):
        return _VALUES.setdefault((type(value), *msgspec.structs.astuple(value)), value)
    return value


def share(events: Sequence[Event]) -> None:
    """Point the repeated fields of ``events`` at shared objects (see the module's note)."""
    fields, intern, empty = FIELDS, sys.intern, _EMPTY
    for e in events:
        strings, texts, valued = fields[type(e)]
        for name, put in strings:
            value = getattr(e, name)
            if type(value) is str:
                put(e, intern(value))
        for name, put in texts:
            if not getattr(e, name):
                put(e, empty)
        for name, put in valued:
            value = getattr(e, name)
            if isinstance(value, msgspec.Struct):
                put(e, canonical_value(value))
