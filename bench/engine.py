"""The engine benchmark: one command, one table, Entente against the eventsourcing library in the same run.

    python bench/engine.py                              # quick: 2,000 events, SQLite and PostgreSQL
    python bench/engine.py --sizes 10000,100000,1000000 # the full table

For each size, a union made by ``generate.py`` (deterministic by seed) is
loaded with every entry checked, replayed from the store, restarted from its
snapshot, judged, written to, served twice (each timed from launch to the first
answer: the first start checks every viewer's log, a restart only what was
recorded since) and read over HTTP (``wrk`` on loopback, one and 50
connections, a few seconds each, against ``entente serve`` with a process for
each core unless ``--workers`` says otherwise); the same events go through the
``eventsourcing`` library's SQLite and PostgreSQL persistence as the peer.
Figures that the rules cannot reach in reasonable time at a size (over
``--rules-up-to``) are shown as "—" and the note says so.  Targets are printed
as met or missed; one not measured in the run is "not shown".
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import bare
import generate
import peer
import servers
from stores import new_store

from entente.ledger.logs import Ledger
from entente.rules import compliance, due
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.secretariat.loading import Loader
from entente.secretariat.projections import Projections
from entente.secretariat.service import Secretariat
from entente.vocabulary.events import ClassificationAmended, Event, OutsideEvent, Restricted

WRITES = 7  # writes timed after the first, for "one write, then what is due"
Row = dict[str, Any]


def seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def measure(backend: str, size: int, args: argparse.Namespace, work: Path) -> Row:
    """Every figure of one size on one back end."""
    folder = generate.write_union(work / f"union-{size}", args.parties, args.years)
    events = generate.record(size, args.parties, args.years, args.seed)
    n = len(events)
    (work / f"{backend}-{size}").mkdir(exist_ok=True)
    url, drop = new_store(backend, work / f"{backend}-{size}" / "bench.db")
    rules = n <= args.rules_up_to
    row: Row = {"events": n, "rules": rules}
    try:
        s = Secretariat.open(url, folder)
        say(f"{backend} {n:,}: checked load")
        if rules:
            row["load_s"], _ = seconds(lambda: s.load_events(events))
        else:  # each entry's own checks and the append; the rules' judgement of the batch is left out
            def entries_only() -> None:
                loader = Loader(s.union, s.treaties, [])
                for e in events:
                    assert not loader.check(e), e.id
                s.store.append(events)

            row["load_s"], _ = seconds(entries_only)
        say(f"{backend} {n:,}: replay beside the bare loop")
        store = s.store
        last = bare.beside(row, backend, url, store)
        say(f"{backend} {n:,}: snapshot and cold start")
        s.snapshot_every = 1
        s.close()  # keeps a snapshot of the whole record
        row["cold_s"], s = seconds(lambda: _cold(url, folder))
        row["bytes_per_event"] = _held_per_event(s, n)
        if rules:
            say(f"{backend} {n:,}: compliance and due")
            held = s.seen(SECRETARIAT).folded  # what the service holds: the record as the cold start left it
            row["compliance_s"], _ = seconds(lambda: compliance(s.union, s.treaties, held, last))
            row["due_s"], _ = seconds(lambda: due(s.union, s.treaties, held, last))
            notes = [OutsideEvent(id=f"bench-write-{i}", date=last, category="bench", title={"en": "a write"})
                     for i in range(1 + WRITES)]

            def write_then_due(i: int) -> None:
                s.record(notes[i], SECRETARIAT)
                due(s.union, s.treaties, s.seen(SECRETARIAT).folded, last)  # as the service answers it

            # The first write after a start indexes what the writer sees, once; a running service has it.
            row["first_write_due_s"], _ = seconds(lambda: write_then_due(0))
            # The median of several, each a write to the running service: one alone is at the mercy of the machine.
            row["write_due_s"] = statistics.median(seconds(partial(write_then_due, i))[0] for i in range(1, 1 + WRITES))
        say(f"{backend} {n:,}: ledger")
        row.update(_ledger_figures(s, url))
        s.close()
        say(f"{backend} {n:,}: serve, first start and restart")
        # The first start checks every viewer's log against the record and keeps what it checked;
        # a restart checks only what was recorded since.
        try:
            server, base, row["first_serve_s"] = servers.serve(url, folder, args.workers)
            servers.stop(server)
            server, base, row["serve_s"] = servers.serve(url, folder, args.workers)
        except RuntimeError as exc:  # the figures that need a server are shown as —, the others still are
            say(f"{backend} {n:,}: {exc}; the serve and API figures are not shown")
        else:
            try:
                if shutil.which("wrk"):
                    say(f"{backend} {n:,}: HTTP API")
                    row["api"] = _api(base, rules, args.seconds, args.workers)
                    if backend == "postgresql":  # a second server on the same store, as on a second host
                        say(f"{backend} {n:,}: HTTP API, two servers")
                        second, other, _ = servers.serve(url, folder, args.workers)
                        try:
                            for _ in range(4 * args.workers):  # each process has made the view
                                urllib.request.urlopen(other + "/api/state", timeout=600).read()
                            row["api"]["/api/state two"] = servers.on_both(
                                [base + "/api/state", other + "/api/state"], 50, args.seconds)
                        finally:
                            servers.stop(second)
            finally:
                servers.stop(server)
        say(f"{backend} {n:,}: the eventsourcing library")
        row["peer"] = peer.run(backend, events, str(work / f"peer-{backend}-{size}.db"))
    finally:
        drop()
    return row


def _ledger_figures(s: Secretariat, url: str) -> Row:
    """The ledger in the process: a first start (every entry checked, every viewer's log made and kept), a
    restart (the record checked against what was kept, and the kept entries hashed again in the background),
    what it keeps beside the record's own bytes, and a declassification beside an ordinary write (each the
    append, the ledger caught up and the writer's checkpoint signed; the median of several)."""
    figures: Row = {}
    store = s.store
    ledger = Ledger.open(url, s.union)
    figures["ledger_first_s"], _ = seconds(lambda: ledger.catch_up(store))
    ledger.settle()
    again = Ledger.open(url, s.union)
    again.write_wait = 1.0  # as a server starts it: the kept leaves hashed again beside the first answers
    figures["ledger_restart_s"], _ = seconds(lambda: again.catch_up(store))
    figures["ledger_rehash_s"], _ = seconds(again.settle)
    assert not again.breaks, again.breaks[:1]
    with store._reading() as cur:
        cur.execute("SELECT COALESCE(SUM(LENGTH(body) + LENGTH(hash) + LENGTH(id) + LENGTH(kind) + "
                    "LENGTH(valid_start) + LENGTH(valid_end) + LENGTH(recorded) + 12), 0) FROM events")
        figures["record_bytes"] = int(cur.fetchone()[0])
        kept = 0
        for statement in ("SELECT COALESCE(SUM(LENGTH(hashes) + 24), 0) FROM ledger_tiles",
                          "SELECT COALESCE(SUM(LENGTH(salt) + 8), 0) FROM ledger_salts",
                          "SELECT COALESCE(SUM(LENGTH(root) + LENGTH(viewer) + 8), 0) FROM ledger_signed",
                          "SELECT COALESCE(SUM(LENGTH(body)), 0) FROM snapshots WHERE name = 'ledger-tiles'"):
            cur.execute(statement)
            kept += int(cur.fetchone()[0])
        figures["ledger_bytes"] = kept
    figures["viewers"] = len(again.viewers())
    secret = [e for _, e in store.read(0) if isinstance(e.classification, Restricted)
              and not isinstance(e, ClassificationAmended)][-1 - WRITES:]
    last = store.read(store.position() - 1)[0][1].date

    def write(event: Event) -> None:
        store.append([event])
        again.catch_up(store)
        again.checkpoint(SECRETARIAT)

    plain: list[float] = []
    declassified: list[float] = []
    for i, entry in enumerate(secret[:WRITES]):  # interleaved: the machine's moods fall on both alike
        plain.append(seconds(partial(write, OutsideEvent(id=f"bench-ledger-{i}", date=last, category="bench",
                                                         title={"en": "a write"})))[0])
        declassified.append(seconds(partial(write, ClassificationAmended(
            id=f"bench-declassified-{i}", date=last, target=entry.id, to="public",
            classification=entry.classification)))[0])
    # A record with no restricted entry (a small one) has nothing to declassify: both shown as "—".
    figures["ledger_write_s"] = statistics.median(plain) if plain else None
    figures["ledger_declassify_s"] = statistics.median(declassified) if declassified else None
    again.keep(store)
    return figures


def _cold(url: str, folder: Path) -> Secretariat:
    s = Secretariat.open(url, folder)
    s.seen(SECRETARIAT)
    return s


def _held_per_event(s: Secretariat, n: int) -> float:
    """Bytes the service holds for the record and three viewers' views of it (secretariat, public, a party)."""
    gc.collect()
    tracemalloc.start()
    projections = Projections()
    projections.catch_up(s.store.read)
    for viewer in (SECRETARIAT, PUBLIC, Viewer("party", "P00")):
        projections.seen(viewer)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del projections
    return held / n


def _api(base: str, rules: bool, duration: int, workers: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for path in ["/api/state", "/api/timeline", *(["/api/due"] if rules else [])]:
        # The first read a process answers computes its view: enough reads that each process has made it
        # (connections one after another go to whichever process is waiting for one).
        for _ in range(4 * workers):
            urllib.request.urlopen(base + path, timeout=600).read()
        for connections in (1, 50):
            figures[f"{path} c{connections}"] = servers.wrk(base + path, connections, duration)
    return figures


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _rate(n: int, s: float | None) -> str:
    return "—" if s is None else f"{n / s:,.0f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1e3:,.1f}"


def _latency(row: Row, path: str, connections: int | str) -> str:
    key = f"{path} c{connections}" if isinstance(connections, int) else f"{path} {connections}"
    found = row.get("api", {}).get(key)
    return "—" if not found else f"{found[0]:.1f} / {found[1]:.1f}"


def table(results: dict[tuple[str, int], Row]) -> list[str]:
    columns = sorted(results, key=lambda k: (k[1], k[0]))
    header = ["figure", *(f"{b} {results[(b, s)]['events']:,}" for b, s in columns)]
    lines: list[list[str]] = []

    def line(name: str, cell: Callable[[Row], str]) -> None:
        lines.append([name, *(cell(results[c]) for c in columns)])

    line("checked load, events/s", lambda r: _rate(r["events"], r["load_s"]) + ("" if r["rules"] else " ¹"))
    line("peer load (eventsourcing), events/s", lambda r: _rate(r["events"], r["peer"]["load"]))
    line("load, Entente / peer", lambda r: f"{r['peer']['load'] / r['load_s']:.2f}×")
    line("bare loop (driver + msgspec, a row at a time), events/s", lambda r: _rate(r["events"], r["bare_s"]))
    line("replay from the store (decode + fold), events/s", lambda r: _rate(r["events"], r["replay_s"]))
    line("  of which decoding, events/s", lambda r: _rate(r["events"], r["decode_s"]))
    line("replay / bare loop", lambda r: f"{r['bare_s'] / r['replay_s']:.2f}")
    line("peer replay (eventsourcing), events/s", lambda r: _rate(r["events"], r["peer"]["replay"]))
    line("replay, Entente / peer", lambda r: f"{r['peer']['replay'] / r['replay_s']:.1f}×")
    line("bare loop on one core (CPU time ²), events/s", lambda r: _rate(r["events"], r["bare_cpu"]))
    line("replay on one core (CPU time ²), events/s", lambda r: _rate(r["events"], r["replay_cpu"]))
    line("  of which decoding, events/s", lambda r: _rate(r["events"], r["decode_cpu"]))
    line("peer replay on one core (CPU time ²), events/s", lambda r: _rate(r["events"], r["peer"]["replay_cpu"]))
    line("replay on one core, Entente / peer", lambda r: f"{r['peer']['replay_cpu'] / r['replay_cpu']:.1f}×")
    line("replay on one core / bare loop on one core", lambda r: f"{r['bare_cpu'] / r['replay_cpu']:.2f}")
    line("cold start from a snapshot, ms", lambda r: _ms(r["cold_s"]))
    line("serve, first start to first answer, ms", lambda r: _ms(r.get("first_serve_s")))
    line("serve, restart to first answer, ms", lambda r: _ms(r.get("serve_s")))
    line("ledger, first start (every entry checked, logs made), ms", lambda r: _ms(r.get("ledger_first_s")))
    line("ledger, restart (record checked against the kept state), ms", lambda r: _ms(r.get("ledger_restart_s")))
    line("  then every kept leaf hashed again (background), ms", lambda r: _ms(r.get("ledger_rehash_s")))
    line("ledger kept per entry, bytes (all viewers' logs)", lambda r: f"{r['ledger_bytes'] / r['events']:,.0f}")
    line("record's own bytes per entry", lambda r: f"{r['record_bytes'] / r['events']:,.0f}")
    line("ledger / record, bytes", lambda r: f"{r['ledger_bytes'] / r['record_bytes']:.3f}× "
         f"({r['viewers']} viewers)")
    line("write + ledger + checkpoint, ms", lambda r: _ms(r.get("ledger_write_s")))
    line("declassification + ledger + checkpoint, ms", lambda r: _ms(r.get("ledger_declassify_s")))
    line("compliance at the last day, ms", lambda r: _ms(r.get("compliance_s")))
    line("due at the last day, ms", lambda r: _ms(r.get("due_s")))
    line("first write after a start, then what is due, ms", lambda r: _ms(r.get("first_write_due_s")))
    line("one write, then what is due, ms", lambda r: _ms(r.get("write_due_s")))
    for path in ("/api/state", "/api/due", "/api/timeline"):
        for c in (1, 50):
            line(f"{path} p50 / p99 ms, {c} client{'s' if c > 1 else ''}",
                 partial(_latency, path=path, connections=c))
        if path == "/api/state":
            line("/api/state p50 / p99 ms, 50 clients, two servers on one store ³",
                 lambda r: _latency(r, "/api/state", "two"))
    line("held by the service per event, bytes", lambda r: f"{r['bytes_per_event']:,.0f}")
    for backend in sorted({b for b, _ in columns}):
        sizes = sorted(s for b, s in columns if b == backend)
        for small, large in itertools.pairwise(sizes):
            a, b = results[(backend, small)], results[(backend, large)]
            lines.append([f"growth {backend} {a['events']:,} → {b['events']:,} (replay / load time)",
                          *[f"{b['replay_s'] / a['replay_s']:.1f}× / {b['load_s'] / a['load_s']:.1f}×"
                            if c == (backend, large) else "" for c in columns]])
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(cells) + " |" for cells in lines]


def targets(results: dict[tuple[str, int], Row]) -> list[str]:
    """Each target met or missed, at the size it names, or not shown when the run did not reach it."""
    big = results.get(("sqlite", 1_000_000)) or next((r for (b, s), r in results.items()
                                                       if b == "sqlite" and r["events"] >= 1_000_000), None)
    ten5 = next((r for (b, s), r in results.items() if b == "sqlite" and 100_000 <= r["events"] < 1_000_000), None)
    loads = [r["events"] / r["load_s"] for r in results.values() if r["rules"]]
    held = max(r["bytes_per_event"] for r in results.values())

    def verdict(name: str, value: float | None, ok: Callable[[float], bool], shown: str) -> str:
        if value is None:
            return f"- {name}: not shown (the run did not reach the size it names)"
        return f"- {name}: {'met' if ok(value) else 'missed'} ({shown.format(value)})"

    write_ms = big["write_due_s"] * 1e3 if big and big.get("write_due_s") is not None else None
    api = (big or {}).get("api", {})
    p99 = max((v[1] for k, v in api.items() if k.endswith("c50") and v), default=None)
    return [
        verdict("replay from SQLite at 10^6 ≥ 0.5 of the bare loop over the same rows (on one core)",
                big["bare_cpu"] / big["replay_cpu"] if big else None, lambda v: v >= 0.5, "{:.2f} of it"),
        verdict("checked load ≥ 50,000 events/s (rules judged)", min(loads) if loads else None,
                lambda v: v >= 50_000, "{:,.0f} events/s at the slowest size"),
        verdict("10^5 → 10^6 replay grows ≤ 11× (on one core)",
                big["replay_cpu"] / ten5["replay_cpu"] if big and ten5 else None,
                lambda v: v <= 11, "{:.1f}×"),
        verdict("compliance over 10^6 events ≤ 5 s", big.get("compliance_s") if big else None, lambda v: v <= 5,
                "{:.1f} s"),
        verdict("one write plus what is due < 5 ms at 10^6", write_ms, lambda v: v < 5, "{:,.1f} ms"),
        verdict("API p99 < 25 ms at 10^6 with 50 clients", p99, lambda v: v < 25, "{:.1f} ms"),
        verdict("≤ 300 bytes held per event", held, lambda v: v <= 300, "{:,.0f} bytes at most"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000", help="comma-separated record sizes (events)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--parties", type=int, default=30)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules-up-to", type=int, default=10_000_000,
                        help="judge the rules (load, compliance, due, a write) only up to this many events")
    parser.add_argument("--seconds", type=int, default=3, help="seconds of load for each API figure")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="server processes for the API figures (default: one for each core this may use)")
    args = parser.parse_args()
    results: dict[tuple[str, int], Row] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in args.backends.split(","):
                results[(backend, size)] = measure(backend, size, args, Path(tmp))
    print(f"Entente engine benchmark: {args.parties} parties over {args.years} years, seed {args.seed}; "
          f"peer: eventsourcing; API by wrk on loopback, {args.seconds} s a figure, "
          f"`entente serve --workers {args.workers}`\n")
    print("\n".join(table(results)))
    print("\n² seconds this process spent on a core (time.process_time), not on the clock: with SQLite that is the "
          "whole replay; with PostgreSQL the server's part is left out, so only the figures on the clock compare "
          "the back ends")
    print("\n³ two `entente serve` on one PostgreSQL, each on a port of its own as on two hosts, each hearing of "
          "the other's writes by LISTEN/NOTIFY; wrk loads both at once, 25 connections each, and the worse p99 of "
          "the two is given (on SQLite: not measured)")
    if not all(r["rules"] for r in results.values()):
        print(f"\n¹ over {args.rules_up_to:,} events the rules are not judged: the load is each entry's own checks "
              "and the append, and the figures that need the rules are not measured (—)")
    print("\nTargets:")
    print("\n".join(targets(results)))


if __name__ == "__main__":
    main()
