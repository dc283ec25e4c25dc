"""The bare loop: the limit a replay from the store is held against.

The record's rows are read in order with the database's driver alone (sqlite3, or psycopg), and each
row's body is decoded by msgspec into the same event types the store reads it as, one call a row; nothing
else is done with them.  No replay of the store can be faster than reading and decoding its rows, so
a replay (decode and fold into the dated state) is given as a fraction of this loop, measured in the same
run on the same rows: the target is 0.5 of it or more.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec
import psycopg

from entente.vocabulary.events import Event
from entente.vocabulary.stored import AnyStored

_decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(AnyStored)
_QUERY = "SELECT body FROM events ORDER BY position"


def loop(backend: str, url: str) -> list[Event]:
    """Every entry of the store at ``url``, read and decoded a row at a time."""
    decode = _decoder.decode
    if backend == "sqlite":
        conn = sqlite3.connect(url)
        try:
            return [decode(body) for (body,) in conn.execute(_QUERY)]
        finally:
            conn.close()
    with psycopg.connect(url) as pg:
        return [decode(body) for (body,) in pg.execute(_QUERY)]
