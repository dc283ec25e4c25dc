"""A snapshot's entries with their repeated strings stored once: what a restart reads without sharing them.

A server holds the record for long, each repeated string as one object (``sharing``).  Shared as they are
decoded, every such field of every entry was a string made, hashed, looked up and let go: most of what a
restart took to read its snapshot.  Kept here, the entries are written in chunks; each chunk holds the strings
first met in it, its entries with every field worth sharing written empty, and for each kind of entry and
field the entries that hold a string there with the number of that string among those met so far.  Read back,
each such field is set to the one string of its number by a pass in C over the entries named (no string is
decoded for it, none let go), each empty text to the one empty text, and each classification narrower than
public to one object for each distinct one, as ``sharing`` does.  The entries read the same as those kept.
"""

from __future__ import annotations

import operator
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import compress, count, repeat
from operator import attrgetter

import msgspec

from entente.secretariat.sharing import FIELDS, canonical_value, empty_text
from entente.vocabulary.events import Event
from entente.vocabulary.stored import CHECKED, AnyStored

CHUNK = 4096  # entries in a chunk: each chunk is decoded and shared before the next is decoded

# (the kind's number in the chunk, field, the places among the kind's entries that hold one, or None for all of
# them, and each one's number among the strings met so far)
Strings = list[tuple[int, str, list[int] | None, list[int]]]
Places = list[tuple[int, str, list[int] | None]]  # (kind, field, places): empty texts, or classifications


class _Chunk(msgspec.Struct, array_like=True):
    new: list[str]  # the strings first met in this chunk, numbered after those met before it
    entries: msgspec.Raw  # a MessagePack array of the entries, each field worth sharing written ""
    kinds: list[tuple[str, list[int]]]  # each kind of entry in the chunk, and the places of its entries
    strings: Strings
    texts: Places
    valued: Places


_encoder = msgspec.msgpack.Encoder()
_bodies: msgspec.msgpack.Decoder[list[msgspec.Raw]] = msgspec.msgpack.Decoder(list[msgspec.Raw])
_chunk: msgspec.msgpack.Decoder[_Chunk] = msgspec.msgpack.Decoder(_Chunk)
_copy: Callable[[Event], Event] = msgspec.Struct.__copy__  # type: ignore[attr-defined]
_KINDS: dict[type, str] = {t: str(t.__struct_config__.tag) for t in FIELDS}  # type: ignore[attr-defined]


# What sets each field worth sharing on a stored entry of each kind (as the store's types decode it).
_SETTERS = {(_KINDS[t], name): put for t, fields in FIELDS.items() if t in CHECKED for group in fields
            for name, put in group}


@cache
def _entries() -> msgspec.msgpack.Decoder[list[Event]]:
    """Made when a snapshot is first read, not when imported: a kept answer's stamp needs ``snapshots.versions``
    only."""
    return msgspec.msgpack.Decoder(list[AnyStored])


def encoded(record: Sequence[Event]) -> Iterator[bytes]:
    """The pieces of the record's snapshot, in order: a MessagePack array of chunks, each made as it is asked for."""
    yield _array_header(-(-len(record) // CHUNK))
    numbers: dict[str, int] = {}
    for start in range(0, len(record), CHUNK):
        yield _encoded_chunk(record[start:start + CHUNK], numbers)


def _encoded_chunk(part: Sequence[Event], numbers: dict[str, int]) -> bytes:
    new: list[str] = []
    strings: Strings = []
    texts: Places = []
    valued: Places = []
    # The empty fields are written on copies: the entries held are read meanwhile.
    written = list(map(_copy, part))
    by_kind: dict[type, list[int]] = {}
    for place, kind in enumerate(map(type, part)):
        by_kind.setdefault(kind, []).append(place)
    for k, (kind, places) in enumerate(by_kind.items()):
        shared, empties, values = FIELDS[kind]
        these = list(map(part.__getitem__, places))
        copies = list(map(written.__getitem__, places))
        for name, put in shared:
            found = list(map(attrgetter(name), these))
            holds = list(map(isinstance, found, repeat(str)))
            if not any(holds):
                continue
            said = list(compress(found, holds))
            first = [value for value in dict.fromkeys(said) if value not in numbers]
            numbers.update(zip(first, count(len(numbers))))
            new += first
            deque(map(put, compress(copies, holds), repeat("")), maxlen=0)
            strings.append((k, name, _which(holds), list(map(numbers.__getitem__, said))))
        for name, _ in empties:
            if any(holds := list(map(operator.not_, map(attrgetter(name), these)))):
                texts.append((k, name, _which(holds)))
        for name, _ in values:
            if any(holds := list(map(isinstance, map(attrgetter(name), these), repeat(msgspec.Struct)))):
                valued.append((k, name, _which(holds)))
    kinds = [(_KINDS[kind], places) for kind, places in by_kind.items()]
    return _encoder.encode((new, written, kinds, strings, texts, valued))


def _array_header(length: int) -> bytes:
    """The head of a MessagePack array of ``length`` items, in the shortest form, as msgspec writes it."""
    if length < 16:
        return bytes([0x90 | length])
    if length < 1 << 16:
        return b"\xdc" + length.to_bytes(2, "big")
    return b"\xdd" + length.to_bytes(4, "big")


def _which(holds: list[bool]) -> list[int] | None:
    """The places that hold one, or None where all do."""
    return None if all(holds) else list(compress(range(len(holds)), holds))


def _held(kinds: list[tuple[str, list[Event]]], k: int, places: list[int] | None) -> tuple[str, list[Event]]:
    """The kind numbered ``k`` and those of its entries at ``places`` (all of them for None)."""
    kind, these = kinds[k]
    return kind, these if places is None else list(map(these.__getitem__, places))


def decoded(body: bytes) -> list[Event]:
    """The entries of a snapshot made by ``encoded``, each repeated field pointing at one shared object."""
    met: list[str] = []
    out: list[Event] = []
    decode, setters, intern = _entries().decode, _SETTERS, sys.intern
    for raw in _bodies.decode(body):
        chunk = _chunk.decode(raw)
        met += map(intern, chunk.new)  # interned: an entry recorded later holds the same object (``sharing``)
        entries = decode(chunk.entries)
        kinds = [(kind, list(map(entries.__getitem__, places))) for kind, places in chunk.kinds]
        for k, name, places, said in chunk.strings:
            kind, these = _held(kinds, k, places)
            deque(map(setters[(kind, name)], these, map(met.__getitem__, said)), maxlen=0)
        for k, name, places in chunk.texts:
            kind, these = _held(kinds, k, places)
            deque(map(setters[(kind, name)], these, repeat(empty_text())), maxlen=0)
        for k, name, places in chunk.valued:
            kind, these = _held(kinds, k, places)
            put, get = setters[(kind, name)], attrgetter(name)
            for entry in these:
                put(entry, canonical_value(get(entry)))
        out += entries
    return out
