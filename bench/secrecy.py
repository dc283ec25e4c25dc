"""Timing as a channel: how long the public's read takes right after a write it may not see, against right
after none, on the bundled record.

Interleaved: each round makes one hidden write (classified to Latvia alone) and times the public's next read,
and times another read of the public after no write, in alternating order; the medians of the two should
differ by less than 10%, or the time of a read tells the public that something hidden was recorded.  The
control before a read is a request of the same shape that records nothing.  Each read is sent a few
milliseconds after the request before it, as another client's read would follow it.
Run: python -m bench.secrecy [ROUNDS] [PATH]   (from the project folder; default 200 rounds of /api/timeline)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from litestar.testing import TestClient

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

TARGET = 0.10
# How long after the write (or none) the read is sent: as a read from another client would follow it, over a
# network; it measures what a hidden write leaves behind, not the writer's request still being finished.
PAUSE = 0.005


def _read(client: TestClient, path: str) -> float:
    time.sleep(PAUSE)
    start = time.perf_counter()
    answer = client.get(path)
    elapsed = time.perf_counter() - start
    answer.raise_for_status()
    return elapsed


def main(rounds: int, path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        with TestClient(create_app(db, DEFAULT_UNION)) as client:
            store = open_store(db)
            try:
                token = tokens.create(store, Viewer.parse("secretariat"), "bench")[1]
            finally:
                store.close()
            secretariat = {"Authorization": f"Bearer {token}"}
            for _ in range(5):
                _read(client, path)
            after_write: list[float] = []
            after_none: list[float] = []
            for n in range(rounds):
                hidden = {"id": f"hidden-{n}", "date": "1938-03-17", "category": "press",
                          "title": {"en": f"Noted {n}"}, "classification": {"parties": ["LV"]}}
                order = (True, False) if n % 2 == 0 else (False, True)
                for write in order:
                    if write:
                        answer = client.post("/api/events/outside_event", json=hidden, headers=secretariat)
                        answer.raise_for_status()
                        after_write.append(_read(client, path))
                    else:
                        # A request of the same shape that records nothing (a body that is no JSON, refused
                        # before anything is read or written), so the two reads each follow a POST.
                        client.post("/api/events/outside_event", content=b"{", headers=secretariat)
                        after_none.append(_read(client, path))
    write_ms, none_ms = statistics.median(after_write) * 1000, statistics.median(after_none) * 1000
    difference = abs(write_ms - none_ms) / none_ms
    print(f"public's read of {path}, median of {rounds} interleaved rounds on the bundled record")
    print(f"{'after a hidden write':<24}{write_ms:8.2f} ms")
    print(f"{'after none':<24}{none_ms:8.2f} ms")
    print(f"{'difference':<24}{difference:8.1%}   (target: under {TARGET:.0%})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, sys.argv[2] if len(sys.argv) > 2 else "/api/timeline")
