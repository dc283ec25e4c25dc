"""The record's entries as a log built again reads them: checked before, so read for what judging them asks.

An entry that reveals no other is judged on its classification alone (``membership``), so of it only its id
and classification are decoded, a stand-in for the entry; an entry that may reveal others is decoded whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from entente.ledger.integrity import decoder
from entente.ledger.membership import REVEALING
from entente.record import Store
from entente.vocabulary.events import Classification


class StandIn(msgspec.Struct, frozen=True):
    """What a log asks of an entry that reveals no other: its id and classification."""

    id: str
    classification: Classification = "public"


_stand_in = msgspec.json.Decoder(StandIn)
_WHOLE = {kind.__struct_config__.tag for kind in REVEALING}  # the kinds of the entries decoded whole


def entries(store: Store, position: int, batch: int) -> Iterator[list[Any]]:
    """The entries up to ``position``, ``batch`` at a time, in record order, each read for its kind and bytes
    only (``msgspec.DecodeError`` where one is not an entry)."""
    after = 0
    while after < position:
        with store._reading() as cur:
            cur.execute(store._sql("SELECT kind, body FROM events WHERE position > ? AND position <= ? "
                                   "ORDER BY position"), (after, min(after + batch, position)))
            rows = cur.fetchall()
        if not rows:
            return
        yield [decoder.decode(bytes(body)) if kind in _WHOLE else _stand_in.decode(bytes(body)) for kind, body in rows]
        after += len(rows)
