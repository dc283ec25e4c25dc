"""The bare loop: the limit a replay from the store is held against.

The record's rows are read in order with the database's driver alone (sqlite3, or psycopg), and each
row's body is decoded by msgspec into the same event types the store reads it as, one call a row; nothing
else is done with them.  No replay of the store can be faster than reading and decoding its rows, so
a replay (decode and fold into the dated state) is given as a fraction of this loop, measured in the same
run on the same rows: the target is 0.5 of it or more.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import msgspec
import psycopg

from entente.replay import fold
from entente.replay.model import latest_day
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


def on_one_core(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds on the clock and seconds of this process on a core: on a machine shared with other work the
    first counts the waits for a core too, the second only the work done (all of it, for SQLite)."""
    started, used = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - started, time.process_time() - used, value


def beside(row: dict[str, Any], backend: str, url: str, store: Any) -> str:
    """The replay (decode, then fold) and the bare loop over the same rows, taking turns three times so a busy
    moment of the machine falls on both alike; the fastest of each, into ``row``.  The record's last day."""
    figures: dict[str, list[tuple[float, float]]] = {"bare": [], "decode": [], "fold": []}
    last = ""
    for _ in range(3):
        clock, cpu, bare_events = on_one_core(lambda: loop(backend, url))
        figures["bare"].append((clock, cpu))
        del bare_events
        clock, cpu, tail = on_one_core(lambda: store.read(0))
        figures["decode"].append((clock, cpu))
        record = [e for _, e in tail]
        last = latest_day(record)
        clock, cpu, folded = on_one_core(partial(fold, record))
        figures["fold"].append((clock, cpu))
        # Let the decoded record go before the next figures: its fold holds every entry too.
        del folded
        tail, record = [], []
    for name, taken in figures.items():
        row[f"{name}_s"], row[f"{name}_cpu"] = min(c for c, _ in taken), min(c for _, c in taken)
    row["replay_s"] = row["decode_s"] + row["fold_s"]
    row["replay_cpu"] = row["decode_cpu"] + row["fold_cpu"]
    return last
