"""A record where one entry in a hundred was declassified, beside the same record where none was: how each
starts, and what a declassification costs beside an ordinary write.

    python bench/declassified.py                                         # 100,000 entries, SQLite
    python bench/declassified.py --sizes 100000,1000000 --backends sqlite,postgresql

For each size and back end, the council of ``generate.py`` (30 parties, so 32 viewers; about 15% of its
entries restricted to the council's members) is appended to two new stores.  On the second, one entry in a
hundred of the record is then made public by a ``classification_amended`` dated some years after it (each a
restricted entry, drawn with a fixed seed), so that every viewer outside the council gains those entries in
its log.  Then, in the process, as a server's start does it, taking turns between the stores (``--rounds``
times each, the fastest on a core): the ledger's first start (nothing kept, so every row is checked and every
viewer's log made and kept; the kept leaves hashed again), then its restart.  Last, on
the second store, a declassification beside an ordinary write, taking turns seven times: each is appended,
the ledger caught up and the writer's checkpoint signed, as a server does for a write; the median of each.

Targets: the store with 1% declassified starts as fast as the one without (its first start within 1.1 times
the other's for each entry it holds), and a declassification is within 10 ms of an ordinary write.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate
from stores import new_store

from entente.ledger import kept
from entente.ledger.logs import Ledger
from entente.record import open_store
from entente.record.store import Store
from entente.secretariat.clearance import SECRETARIAT
from entente.vocabulary.definition import load_union
from entente.vocabulary.events import ClassificationAmended, Event, OutsideEvent, Restricted

WRITES = 7
SHARE = 100  # one entry in this many is declassified
LATER = 25  # years after an entry its declassification is dated


def declassifications(events: list[Event], seed: int) -> list[Event]:
    """One entry in ``SHARE`` of ``events`` made public, each some years after its own day (within the record)."""
    last = max(e.date for e in events)
    secret = [e for e in events if isinstance(e.classification, Restricted)]
    chosen = random.Random(seed).sample(secret, min(len(secret), len(events) // SHARE))
    return [ClassificationAmended(id=f"declassified-{i}", date=min(f"{int(e.date[:4]) + LATER:04d}{e.date[4:]}", last),
                                  target=e.id, to="public", how="declassified", classification=e.classification)
            for i, e in enumerate(chosen)]


def _append(store: Store, events: list[Event]) -> None:
    for i in range(0, len(events), 50_000):
        store.append(events[i:i + 50_000])


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Seconds on the clock and on a core (this process's: on PostgreSQL the server's part is left out)."""
    clock, core = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - clock, time.process_time() - core


def _start(url: str, folder: Path, store: Store, *, first: bool) -> tuple[float, float]:
    """A start of the ledger as a server's is, to the end of its check (the kept leaves hashed again too); with
    ``first``, from nothing kept, so every row is checked and every log made."""
    if first:
        kept.forget(store)
    ledger = Ledger.open(url, load_union(folder))

    def check() -> None:
        ledger.catch_up(store)
        ledger.settle()
    taken = _timed(check)
    assert not ledger.breaks, ledger.breaks[:1]
    return taken


def _writes(url: str, folder: Path, store: Store, targets: list[Event]) -> tuple[float, float]:
    """The median seconds of an ordinary write and of a declassification, each appended, the ledger caught up
    and the secretariat's checkpoint signed; taking turns, so the machine's moods fall on both alike."""
    ledger = Ledger.open(url, load_union(folder))
    ledger.catch_up(store)
    ledger.settle()
    last = store.read(store.position() - 1)[0][1].date

    def write(event: Event) -> float:
        began = time.perf_counter()
        store.append([event])
        ledger.catch_up(store)
        ledger.checkpoint(SECRETARIAT)
        return time.perf_counter() - began

    plain, revealed = [], []
    for i, entry in enumerate(targets[:WRITES]):
        plain.append(write(OutsideEvent(id=f"bench-write-{i}", date=last, category="bench",
                                        title={"en": "a write"})))
        revealed.append(write(ClassificationAmended(id=f"bench-declassified-{i}", date=last, target=entry.id,
                                                    to="public", how="declassified",
                                                    classification=entry.classification)))
    return statistics.median(plain), statistics.median(revealed)


def measure(backend: str, size: int, seed: int, work: Path, rounds: int = 1) -> dict[str, Any]:
    folder = generate.write_union(work / f"union-{size}", 30, 100)
    events = generate.record(size, seed=seed)
    amended = declassifications(events, seed)
    targets = {e.target for e in amended if isinstance(e, ClassificationAmended)}
    row: dict[str, Any] = {"events": len(events), "amended": len(amended)}
    stores: dict[str, tuple[str, Store]] = {}
    dropped = []
    try:
        for name, appended in (("plain", events), ("declassified", events + amended)):
            url, drop = new_store(backend, work / f"{name}-{size}.db")
            dropped.append(drop)
            say(f"{backend} {len(appended):,}: {name}")
            stores[name] = url, open_store(url)
            _append(stores[name][1], appended)
            row[f"{name}_entries"] = stores[name][1].position()
        # Taking turns, the fastest of each (on a core): the machine's moods fall on both alike.
        for kind in ("first", "restart"):
            taken: dict[str, list[tuple[float, float]]] = {name: [] for name in stores}
            for _ in range(rounds):
                for name, (url, store) in stores.items():
                    taken[name].append(_start(url, folder, store, first=kind == "first"))
            for name, times in taken.items():
                row[f"{name}_{kind}"] = min(times, key=lambda t: t[1])
        url, store = stores["declassified"]
        still = [e for e in events if isinstance(e.classification, Restricted) and e.id not in targets]
        if len(still) < WRITES:
            raise SystemExit(f"{size:,} entries hold too few restricted ones to declassify: ask for more")
        row["write"], row["declassify"] = _writes(url, folder, store, still[-WRITES:])
    finally:
        for _, store in stores.values():
            store.close()
        for drop in dropped:
            drop()
    return row


def say(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def table(rows: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    keys = list(rows)
    lines = ["| figure | " + " | ".join(f"{b} {rows[b, n]['events']:,}" for b, n in keys) + " |",
             "|---" * (len(keys) + 1) + "|"]

    def line(label: str, value: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(value(rows[k]) for k in keys) + " |")

    def pair(taken: tuple[float, float]) -> str:
        return f"{taken[0]:.2f} / {taken[1]:.2f}"

    line("entries declassified (1%)", lambda r: f"{r['amended']:,}")
    line("first start, none declassified: s on the clock / on a core", lambda r: pair(r["plain_first"]))
    line("first start, 1% declassified: s on the clock / on a core", lambda r: pair(r["declassified_first"]))
    line("first start, 1% declassified / none, per entry (on a core)", lambda r: f"{_ratio(r):.2f}×")
    line("restart, none declassified: s on the clock / on a core", lambda r: pair(r["plain_restart"]))
    line("restart, 1% declassified: s on the clock / on a core", lambda r: pair(r["declassified_restart"]))
    line("ordinary write + ledger + checkpoint, ms", lambda r: f"{r['write'] * 1000:.1f}")
    line("declassification + ledger + checkpoint, ms", lambda r: f"{r['declassify'] * 1000:.1f}")
    lines.append("")
    lines.append("Targets:")
    worst = max(rows.values(), key=_ratio)
    lines.append(f"- a store with 1% declassified starts within 1.1× of one without, per entry: "
                 f"{'met' if _ratio(worst) <= 1.1 else 'missed'} ({_ratio(worst):.2f}× at most)")
    slowest = max(rows.values(), key=lambda r: r["declassify"] - r["write"])
    extra = (slowest["declassify"] - slowest["write"]) * 1000
    lines.append(f"- a declassification within 10 ms of an ordinary write: {'met' if extra <= 10 else 'missed'} "
                 f"({extra:+.1f} ms at most)")
    return lines


def _ratio(row: dict[str, Any]) -> float:
    plain = row["plain_first"][1] / row["plain_entries"]
    return float(row["declassified_first"][1] / row["declassified_entries"] / plain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000", help="entries, comma-separated (default 100000)")
    parser.add_argument("--backends", default="sqlite", help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="starts of each kind on each store (the fastest)")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            measure(backend, 3000, args.seed, Path(tmp))  # once before: what a first call sets up falls on neither
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in args.backends.split(","):
                rows[backend, size] = measure(backend, size, args.seed, Path(tmp), args.rounds)
    print(f"A record with 1% declassified beside none (30 parties, 32 viewers; load average "
          f"{os.getloadavg()[0]:.1f} at the end)\n")
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
