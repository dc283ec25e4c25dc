"""Upcasting: an event stored in an older version of its kind is read as the current version.

Each kind carries a version (``Event.version``).  When a kind changes shape,
its version goes up and an upcaster is registered here for the version it
replaces: a function from the old stored fields to the fields of the next
version.  The stored bytes never change (the hash chain covers them); the
upcast happens on every read, chained version by version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

import msgspec

from entente.uncollected import uncollected
from entente.vocabulary.events import KINDS, AnyEvent, Event

# (kind, the version it upgrades from) -> the stored fields rewritten as the next version's.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
Upcasters = Mapping[tuple[str, int], Upcaster]

UPCASTERS: Upcasters = {}

CURRENT: dict[str, int] = {kind: cls.version for kind, cls in KINDS.items()}



@cache
def _many() -> msgspec.json.Decoder[list[Event]]:
    """The decoder of stored bodies, which were checked against the vocabulary when written: read back without
    checking them again.  Made when first read, not when imported (a command that prints a kept answer reads
    no entry)."""
    from entente.vocabulary.stored import AnyStored

    return msgspec.json.Decoder(list[AnyStored])


def upcast(kind: str, version: int, body: bytes, upcasters: Upcasters) -> Event:
    fields = msgspec.json.decode(body)
    while version < CURRENT.get(kind, version):
        step = upcasters.get((kind, version))
        if step is None:
            raise ValueError(f"a {kind} event is stored as version {version}, and nothing reads that version")
        fields, version = step(fields), version + 1
    return msgspec.convert(fields, AnyEvent)  # what an upcaster made was never checked: checked here


def decode_joined(bodies: bytes) -> list[Event]:
    """The events of bodies in the current version of their kind, joined with commas, in one call."""
    with uncollected():
        return _many().decode(b"[" + bodies + b"]")


def decode_rows(rows: Sequence[tuple[Any, str, int, Any]], upcasters: Upcasters) -> list[tuple[int, Event]]:
    """(position, event) for stored rows of (position, kind, version, body).

    The rows in the current version of their kind are decoded in one call
    (the bodies joined into one JSON array), which is several times faster
    than one call a row; the few in older versions are upcast one by one.
    """
    if not rows:
        return []
    bodies = list(map(itemgetter(3), rows))  # bytes from either back end; joined as they are
    current = CURRENT
    # Each (kind, version) the rows hold, found without a Python step a row; the rows looked at one by one
    # only when one of them is not current.
    stored = set(map(itemgetter(1, 2), rows))
    old = [] if all(current.get(k) == v for k, v in stored) else [
        i for i, r in enumerate(rows) if r[2] != current.get(r[1])]
    if not old:
        events = decode_joined(b",".join(bodies))
    else:
        stale = set(old)
        fresh = iter(_many().decode(b"[" + b",".join(b for i, b in enumerate(bodies) if i not in stale) + b"]"))
        events = [upcast(r[1], r[2], bytes(bodies[i]), upcasters) if i in stale else next(fresh)
                  for i, r in enumerate(rows)]
    return list(zip(map(itemgetter(0), rows), events, strict=True))
