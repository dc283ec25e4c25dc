"""The hash chain that makes the record tamper-evident.

Each recorded event's hash covers the previous hash and the event's stored
bytes, so changing, removing or reordering any earlier event changes every
hash after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

GENESIS = "0" * 64


def link(previous: str, body: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


def first_break(rows: Iterable[tuple[int, bytes, str]]) -> int | None:
    """The position of the first row whose stored hash does not follow from the chain, if any."""
    previous = GENESIS
    for position, body, stored in rows:
        expected = link(previous, body)
        if expected != stored:
            return position
        previous = stored
    return None
