"""Replay from the store: events a second, against a bare peer measured in the same run.

The peer reads the same rows with the standard library (sqlite3 + json.loads
into dicts, no types, no replay): the floor any typed replay is measured
against.  Run: python bench/replay.py [N]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from entente.record import open_store
from entente.replay.state import state
from entente.vocabulary.events import ConferenceHeld, OutsideEvent, PositionStated, QuestionRaised


def synthetic(n: int) -> list:
    events = []
    for i in range(n):
        day = f"{1900 + (i * 7) % 200:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        match i % 4:
            case 0:
                events.append(ConferenceHeld(id=f"c{i}", date=day, host="AA", instrument="t", number=i))
            case 1:
                events.append(QuestionRaised(id=f"q{i}", date=day, question=f"q{i}", subject="s", title={"en": "q"}))
            case 2:
                events.append(PositionStated(id=f"p{i}", date=day, question=f"q{i - 1}", party="BB"))
            case _:
                events.append(OutsideEvent(id=f"o{i}", date=day, category="x", title={"en": "o"}))
    return events


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        store = open_store(db)
        store.append(synthetic(n))

        def ours() -> None:
            state(store.events(), "2200-01-01")

        raw = sqlite3.connect(db)

        def peer() -> None:
            for (body,) in raw.execute("SELECT body FROM events ORDER BY position"):
                json.loads(body)

        t_ours, t_peer = best_of(3, ours), best_of(3, peer)
        print(f"events: {n}")
        print(f"entente  store → typed events → state: {t_ours:.3f}s  {n / t_ours:>12,.0f} events/s")
        print(f"peer     sqlite3 + json.loads (no replay): {t_peer:.3f}s  {n / t_peer:>12,.0f} events/s")
        print(f"ratio    entente / peer time: {t_ours / t_peer:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
