"""Replay beside the bare loop, and the memory a server holds: one table, each size on each back end.

    python bench/memory.py                                        # quick: 10,000 and 100,000 events
    python bench/memory.py --sizes 100000,1000000 --backends sqlite,postgresql

For each size, a union made by ``generate.py`` (30 parties, so 32 viewers: the public, the
secretariat and each party) is appended to a new store, each entry decoded by the store's own
checks; the rules are not judged, since what is measured here is reading the record and holding it.
Then:

- the replay (decode, then fold into the dated state) beside the bare loop over the same rows
  (``bare.py``), taking turns three times, the fastest of each;
- ``entente serve`` with one process, started twice: a first start on the store (every viewer's
  log made and checked, the snapshot kept), then a restart.  After each start the public's state,
  timeline and what is due are read once (the time from launch to the first of them answered is
  given beside the time to the first answer, ``GET /``), then its checkpoint and conferences (a
  restart answers the first three from what the first start kept, before it holds the record: these
  wait until it does, and fold the public's view), and the process's resident memory (``VmRSS``)
  and the most it held at any moment (``VmHWM``) are read from ``/proc``.

What a restarted server adds for each entry is the difference of its resident memory between two
sizes, divided by the difference of their entries: what the process holds whatever the size (the
interpreter, the libraries) falls out.  ``--keep DIR`` keeps the stores in DIR (SQLite files, and
PostgreSQL schemas named after their size) and uses them again in a later run; ``--replay-only`` measures
the replay beside the bare loop and starts no server.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bare
import generate
import servers
from stores import new_store

from entente.record import open_store

READS = ("/api/state", "/api/timeline", "/api/due")
# Read after them: a restarted server answers READS from what the first start kept, before it holds the record;
# the public's checkpoint waits until it does, and the conferences are folded from the record it holds.
HELD = ("/api/checkpoint", "/api/conferences")
Row = dict[str, Any]


def _status(pid: int) -> dict[str, int]:
    """The process's resident memory now and at its most, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) * 1024
    return found


def _store(backend: str, size: int, events: list[Any], folder: Path, keep: bool) -> tuple[str, Callable[[], None]]:
    """The url of a store holding ``events``, and what removes it: made now, or kept from an earlier run with
    ``keep`` (a PostgreSQL schema named after its size, to be found again)."""
    path = folder / f"memory-{size}.db"
    if not keep:
        path.unlink(missing_ok=True)
    url, remove = new_store(backend, path, f"bench_memory_{size}" if keep else None)
    store = open_store(url)
    try:
        if store.position() != len(events):
            if store.position():
                raise SystemExit(f"{url} holds another record: remove it, or run without --keep")
            for i in range(0, len(events), 50_000):
                store.append(events[i:i + 50_000])
    finally:
        store.close()
    return url, remove


def _served(url: str, folder: Path) -> tuple[float, float, list[float], dict[str, int]]:
    """Seconds from launch to the first answer (``GET /``) and to the answer of the first read of the record
    (the public's state), the server's seconds on a core up to each (from /proc), and its memory after the
    public's reads."""
    launched = time.perf_counter()
    server, base, started = servers.serve(url, folder, 1)
    try:
        cores = [servers.on_a_core(server.pid) or 0.0]
        for path in READS + HELD:
            _read(base + path)
            if path == READS[0]:
                read = time.perf_counter() - launched
                cores.append(servers.on_a_core(server.pid) or 0.0)
        time.sleep(1)  # what the reads set going in the background has settled
        return started, read, cores, _status(server.pid)
    finally:
        servers.stop(server)


def _read(url: str) -> None:
    """A read answered: asked again, after the seconds it names, while the server says it is still checking
    the record (a first start on a large store checks every entry, and a checkpoint waits for that)."""
    while True:
        try:
            urllib.request.urlopen(url, timeout=3600).read()
            return
        except urllib.error.HTTPError as refused:
            if refused.code != 503:
                raise
            time.sleep(min(5.0, float(refused.headers.get("Retry-After") or 1)))


def measure(backend: str, size: int, args: argparse.Namespace, work: Path) -> Row:
    folder = generate.write_union(work / f"union-{size}", args.parties, args.years)
    events = generate.record(size, args.parties, args.years, args.seed)
    say(f"{backend} {len(events):,}: the store")
    url, remove = _store(backend, size, events, work, args.keep is not None)
    row: Row = {"events": len(events)}
    try:
        say(f"{backend} {len(events):,}: replay beside the bare loop")
        store = open_store(url)
        try:
            bare.beside(row, backend, url, store)
        finally:
            store.close()
        if args.replay_only:
            return row
        say(f"{backend} {len(events):,}: a first start, then a restart")
        row["first_s"], row["first_read_s"], row["first_cpu"], first = _served(url, folder)
        row["restart_s"], row["restart_read_s"], row["restart_cpu"], again = _served(url, folder)
        row["first_peak"], row["first_rss"] = first["VmHWM"], first["VmRSS"]
        row["restart_peak"], row["restart_rss"] = again["VmHWM"], again["VmRSS"]
    finally:
        if args.keep is None:
            remove()
    return row


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _mb(value: float) -> str:
    return f"{value / 1e6:,.1f}"


def table(results: dict[tuple[str, int], Row]) -> list[str]:
    columns = sorted(results, key=lambda k: (k[0], k[1]))
    header = ["figure", *(f"{b} {results[(b, s)]['events']:,}" for b, s in columns)]
    lines: list[list[str]] = []

    def line(name: str, cell: Any) -> None:
        lines.append([name, *(cell(results[c]) for c in columns)])

    line("bare loop (driver + msgspec, a row at a time), events/s", lambda r: f"{r['events'] / r['bare_s']:,.0f}")
    line("replay (decode + fold), events/s", lambda r: f"{r['events'] / r['replay_s']:,.0f}")
    line("  of which decoding, s / folding, s", lambda r: f"{r['decode_s']:.3f} / {r['fold_s']:.3f}")
    line("replay / bare loop", lambda r: f"{r['bare_s'] / r['replay_s']:.2f}")
    line("replay / bare loop, on one core (CPU time ¹)", lambda r: f"{r['bare_cpu'] / r['replay_cpu']:.2f}")
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    if not all("first_s" in r for r in results.values()):  # no server started (``--replay-only``)
        return out + ["| " + " | ".join(cells) + " |" for cells in lines]
    line("first start to first answer, s", lambda r: f"{r['first_s']:.1f}")
    line("restart to first answer, s", lambda r: f"{r['restart_s']:.1f}")
    line("first start / restart to the first read of the record answered, s",
         lambda r: f"{r['first_read_s']:.1f} / {r['restart_read_s']:.1f}")
    line("restart to first answer / to first read, s on a core ²",
         lambda r: f"{r['restart_cpu'][0]:.1f} / {r['restart_cpu'][1]:.1f}")
    line("first start: peak / after the reads, MB", lambda r: f"{_mb(r['first_peak'])} / {_mb(r['first_rss'])}")
    line("restart: peak / after the reads (steady), MB",
         lambda r: f"{_mb(r['restart_peak'])} / {_mb(r['restart_rss'])}")
    line("first start's peak / steady", lambda r: f"{r['first_peak'] / r['restart_rss']:.2f}×")
    for backend in sorted({b for b, _ in columns}):
        sizes = sorted(s for b, s in columns if b == backend)
        for small, large in itertools.pairwise(sizes):
            a, b = results[(backend, small)], results[(backend, large)]
            added = _per_entry(a, b)
            lines.append([f"restarted server, bytes added per entry, {backend} {a['events']:,} → {b['events']:,}",
                          *[f"{added:,.0f}" if c == (backend, large) else "" for c in columns]])
    return out + ["| " + " | ".join(cells) + " |" for cells in lines]


def _per_entry(a: Row, b: Row) -> float:
    return (b["restart_rss"] - a["restart_rss"]) / (b["events"] - a["events"])


def targets(results: dict[tuple[str, int], Row]) -> list[str]:
    """Each target met or missed: the replay at the largest size of each back end, memory between its two
    largest sizes, the peak at every size."""
    out = []
    for backend in sorted({b for b, _ in results}):
        sizes = sorted(s for b, s in results if b == backend)
        big = results[(backend, sizes[-1])]
        ratio = big["bare_s"] / big["replay_s"]
        out.append(f"- {backend}: replay ≥ 0.5 of the bare loop at {big['events']:,}: "
                   f"{'met' if ratio >= 0.5 else 'missed'} ({ratio:.2f}; on one core "
                   f"{big['bare_cpu'] / big['replay_cpu']:.2f})")
        if "first_s" not in big:
            continue
        if len(sizes) > 1:
            added = _per_entry(results[(backend, sizes[-2])], big)
            out.append(f"- {backend}: ≤ 300 bytes a restarted server adds per entry, "
                       f"{results[(backend, sizes[-2])]['events']:,} → {big['events']:,}: "
                       f"{'met' if added <= 300 else 'missed'} ({added:,.0f})")
        worst = max(r["first_peak"] / r["restart_rss"] for (b, _), r in results.items() if b == backend)
        out.append(f"- {backend}: a first start's peak ≤ 2× the steady state: "
                   f"{'met' if worst <= 2 else 'missed'} ({worst:.2f}× at most)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated record sizes (events)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--parties", type=int, default=30)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="keep the stores in DIR, and use those kept there before")
    parser.add_argument("--replay-only", action="store_true", help="the replay beside the bare loop only, no server")
    args = parser.parse_args()
    results: dict[tuple[str, int], Row] = {}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in args.backends.split(","):
                results[(backend, size)] = measure(backend, size, args, work)
    reads = ", ".join(READS + HELD)
    served = "" if args.replay_only else f"; `entente serve --workers 1`, after reading {reads} as the public"
    print(f"Entente replay and memory: {args.parties} parties ({args.parties + 2} viewers) over {args.years} "
          f"years, seed {args.seed}{served}; the machine's load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores\n")
    print("\n".join(table(results)))
    print("\n¹ seconds this process spent on a core (time.process_time): with PostgreSQL the server's part is left "
          "out, so only the figures on the clock compare the back ends")
    print("² the server process's time on a core from its launch (user and system, from /proc): on a machine busy "
          "with other work the clock counts the waits for a core too")
    print("\nTargets:")
    print("\n".join(targets(results)))


if __name__ == "__main__":
    main()
