"""The vocabulary as the store reads it back: each type of ``events`` without its fields' constraints.

An entry is checked against the vocabulary (the patterns of ids and party codes, their lengths) when it
is written: ``Store.append`` decodes every body with the checked types before inserting it, and the
record is hash-chained, so what is read back was checked.  Checking every field again on every read was
most of the time a replay took.  Each type here is generated from its checked type (the fields are
declared once, in ``events``) as a subclass of it, so ``isinstance`` and every field read behave as for
the checked type, the same bytes encode, and an entry read back compares equal to the entry that was
written.  They are not tracked by the cyclic collector: an event holds strings, numbers, tuples and
dicts of those, never a cycle, and the collector walking a large record was a cost of its own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import compress
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import msgspec

from entente.vocabulary.events import EVENT_TYPES, Event

V = TypeVar("V")
E = TypeVar("E")

TWINS: dict[type, type] = {}  # checked type -> its unchecked twin
CHECKED: dict[type, type] = {}  # twin -> the checked type it stands for
_making: set[type] = set()


def _name(cls: type) -> str:
    return f"_twin_{cls.__name__}"


def _plain(tp: Any) -> Any:
    """A field's type without constraints, with every struct in it replaced by its twin."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _plain(get_args(tp)[0])
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return _name(tp) if tp in _making else twin(tp)  # a type that holds itself: named, resolved later
    if origin is None or origin is typing.Literal:
        return tp
    args = tuple(_plain(a) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return Union[args]  # noqa: UP007 (the arguments are built at run time)
    return origin[args]


def _stands_for(obj: object) -> type:
    return CHECKED.get(type(obj), type(obj))


def _eq(self: msgspec.Struct, other: object) -> Any:
    if type(other) is type(self):
        return msgspec.Struct.__eq__(self, other)
    if not isinstance(other, msgspec.Struct) or _stands_for(other) is not _stands_for(self):
        return NotImplemented
    return msgspec.structs.astuple(self) == msgspec.structs.astuple(other)


def _ne(self: msgspec.Struct, other: object) -> Any:
    equal = _eq(self, other)
    return equal if equal is NotImplemented else not equal


def _hash(self: msgspec.Struct) -> int:
    return hash(CHECKED[type(self)](**msgspec.structs.asdict(self)))


def twin(cls: type) -> type:
    """The unchecked twin of a checked struct type (made once)."""
    if cls in TWINS:
        return TWINS[cls]
    _making.add(cls)
    try:
        fields: list[tuple[Any, ...]] = []
        for f in msgspec.structs.fields(cls):
            if f.default is not msgspec.NODEFAULT:
                fields.append((f.name, _plain(f.type), f.default))
            elif f.default_factory is not msgspec.NODEFAULT:
                fields.append((f.name, _plain(f.type), msgspec.field(default_factory=f.default_factory)))
            else:
                fields.append((f.name, _plain(f.type)))
        config = cls.__struct_config__  # type: ignore[attr-defined]
        made = msgspec.defstruct(
            cls.__name__, fields, bases=(cls,), module=__name__, kw_only=True, frozen=config.frozen,
            forbid_unknown_fields=config.forbid_unknown_fields, omit_defaults=config.omit_defaults,
            tag=config.tag, tag_field=config.tag_field, gc=False,
            namespace={"__eq__": _eq, "__ne__": _ne, "__hash__": _hash})
    finally:
        _making.discard(cls)
    TWINS[cls], CHECKED[made] = made, cls
    globals()[_name(cls)] = made
    return made


def of_kinds(events: Iterable[E], kinds: Collection[type]) -> Iterator[E]:
    """The events whose type is one of ``kinds`` (with their twins: see ``with_twins``), picked out without a
    Python loop over the rest: a long record holds few entries of most kinds."""
    return compress(events, map(kinds.__contains__, map(type, events)))


def with_twins(table: Mapping[type, V]) -> dict[type, V]:
    """A table keyed by event type, with each type's twin as a key too (for lookups by ``type(event)``)."""
    return {**table, **{TWINS[t]: v for t, v in table.items() if t in TWINS}}


for _cls in EVENT_TYPES:
    twin(_cls)

# Any event as stored: what the store's reads and snapshots decode to.
AnyStored: Any = Union[tuple(TWINS[t] for t in EVENT_TYPES)]  # noqa: UP007
STORED_TYPES: tuple[type[Event], ...] = tuple(TWINS[t] for t in EVENT_TYPES)
