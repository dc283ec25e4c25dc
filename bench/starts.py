"""Loading a record file and starting a server on it, as a user does it: ``entente load FILE``, then ``entente
serve`` twice (a first start, then a restart), each timed as a whole process.

    python bench/starts.py                                     # 10^4 entries, SQLite and PostgreSQL
    python bench/starts.py --sizes 100000,1000000 --backends sqlite,postgresql

For each size a union and its record are made by ``generate.py`` and the record written as a YAML file.
``entente load`` records it on a new store (its peer: the same entries loaded in the process by
``Secretariat.load_events`` on another new store, every entry checked and the rules judged alike, with no file
to read, in a forked copy of this process); its peak resident memory is the process's own, from ``wait4``, the
peer's what its copy held beyond what it held when forked, and for each the growth per entry between two
sizes.  ``--load process`` loads the record in the process instead (no file), for sizes where the file is not
the question.  ``--keep DIR`` keeps each loaded store in DIR, and a later run finds it there and times its
restart alone (no load, no first start).  Then ``entente serve`` starts on the loaded store: the first start
checks every viewer's log against the record and keeps it, a restart checks only what was recorded since; each
is timed from launch to its first answer, and the restart also to its answer of a read no server answered
before (the public's state on a day not asked: it waits for the record to be taken up).  Targets: a first start
within 10 s and a restart within 2 s at 10^6, that read too on a core; the load from the file at 0.8 of the
load in the process or more.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate
import msgspec
import servers
import yaml
from stores import new_store

from entente.record import open_store
from entente.secretariat import answers
from entente.secretariat.service import Secretariat
from entente.vocabulary.events import Event

ENTENTE = str(Path(sys.executable).parent / "entente")
UNKEPT_DAY = f"{generate.FIRST_YEAR + 37}-06-30"  # within the generated record, and asked of no earlier server
Row = dict[str, Any]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def write_record(events: list[Event], path: Path) -> Path:
    """The entries as a record file, as a secretariat would write it: one mapping per entry, in block style."""
    entries = msgspec.to_builtins(events)
    with path.open("w", encoding="utf-8") as out:
        out.write("events:\n")
        for start in range(0, len(entries), 10_000):  # in slices: the dumper's own memory stays small
            out.write(yaml.dump(entries[start:start + 10_000], Dumper=yaml.CSafeDumper, sort_keys=False,
                                allow_unicode=True, width=1000))
    return path


def process(argv: list[str]) -> tuple[float, float, int]:
    """Seconds on the clock, seconds on a core, and peak resident bytes of one whole process."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[-3:])} ended with status {child.returncode}: {child.stderr.read()!r}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def peer(url: str, folder: Path, events: list[Event]) -> tuple[float, float]:
    """The load in the process: seconds on the clock and on a core."""
    s = Secretariat.open(url, folder)
    started, used = time.perf_counter(), time.process_time()
    s.load_events(events)
    took = time.perf_counter() - started, time.process_time() - used
    s.close()
    return took


def in_a_child(work: Callable[[], tuple[float, float]]) -> tuple[float, float, int]:
    """``work``'s seconds, run in a forked copy of this process, and the most resident memory that copy held
    beyond what it held when forked (the entries generated here, this process's libraries): what the work
    itself took."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its figures through the pipe, then gone
        status = 1
        try:
            os.close(read)
            before = _resident()
            clock, cpu = work()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            os.write(write, json.dumps([clock, cpu, peak - before]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read()
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not said:
        raise RuntimeError(f"the load in the process ended with status {os.waitstatus_to_exitcode(status)}")
    clock, cpu, grown = json.loads(said)
    return clock, cpu, grown


def _resident() -> int:
    """This process's resident bytes now (``VmRSS``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
    return int(kb) * 1024


def measure(backend: str, size: int, args: argparse.Namespace, work: Path) -> Row:
    folder = generate.write_union(work / f"union-{size}", args.parties, args.years)
    events = generate.record(size, args.parties, args.years, args.seed)
    row: Row = {"events": len(events)}
    drops: list[Callable[[], None]] = []
    try:
        url, drop = new_store(backend, work / f"{backend}-{size}.db", f"bench_starts_{size}" if args.keep else None)
        kept = args.keep is not None and _holds_record(url)
        if args.keep is None:
            drops.append(drop)
        if kept:
            say(f"{backend} {size:,}: the store kept by an earlier run")
        elif args.load == "cli":
            path = write_record(events, work / f"record-{size}.yaml")
            row["file_bytes"] = path.stat().st_size
            say(f"{backend} {size:,}: entente load")
            row["load_s"], row["load_cpu"], row["load_rss"] = process(
                [ENTENTE, "--db", url, "--union", str(folder), "load", str(path)])
            path.unlink()
            say(f"{backend} {size:,}: the same entries loaded in the process")
            other, drop = new_store(backend, work / f"{backend}-{size}-in-process.db")
            drops.append(drop)
            row["peer_s"], row["peer_cpu"], row["peer_rss"] = in_a_child(functools.partial(peer, other, folder, events))
        else:
            say(f"{backend} {size:,}: loaded in the process")
            s = Secretariat.open(url, folder)
            started = time.perf_counter()
            s.load_events(events)
            row["peer_s"] = time.perf_counter() - started
            s.close()
        del events
        if args.load_only:
            return row
        for name in ("restart",) if kept else ("first", "restart"):
            say(f"{backend} {size:,}: entente serve, {'first start' if name == 'first' else name}")
            launched = time.perf_counter()
            server, base, row[f"{name}_s"] = servers.serve(url, folder, args.workers)
            row[f"{name}_cpu"] = servers.on_a_core(server.pid)
            if name == "restart":
                # A read no server answered before (the first start was asked nothing but its links): the
                # public's state on a day of its own, which waits for the record to be taken up.
                urllib.request.urlopen(f"{base}/api/state?at={UNKEPT_DAY}", timeout=900).read()
                row["unkept_s"] = time.perf_counter() - launched
                row["unkept_cpu"] = servers.on_a_core(server.pid)
            server.terminate()
            server.wait(timeout=900)  # a first start at 10^6 may take minutes to keep what it read
    finally:
        for drop in drops:
            drop()
    return row


def _holds_record(url: str) -> bool:
    """Whether the store holds a record; if so, the reads an earlier restart on it kept are dropped, so that the
    read timed is one no server answered."""
    store = open_store(url)
    try:
        if not store.position():
            return False
        store.run("DELETE FROM snapshots WHERE name LIKE ?", (answers.PREFIX + "%",))
        return True
    finally:
        store.close()


def _ms(row: Row, key: str) -> str:
    return "—" if key not in row else f"{row[key] * 1e3:,.0f}"


def _s(row: Row, key: str) -> str:
    return "—" if row.get(key) is None else f"{row[key]:,.1f}"


def _growth(results: dict[tuple[str, int], Row], column: tuple[str, int], key: str) -> str:
    """How much more the peak held, per entry, than at the next smaller size on the same back end: what a
    process holds whatever the size falls out."""
    backend, size = column
    smaller = [s for b, s in results if b == backend and s < size and key in results[(b, s)]]
    if not smaller or key not in results[column]:
        return "—"
    low, high = results[(backend, max(smaller))], results[column]
    return f"{(high[key] - low[key]) / (high['events'] - low['events']):,.0f}"


def table(results: dict[tuple[str, int], Row]) -> list[str]:
    columns = sorted(results, key=lambda k: (k[1], k[0]))
    rows = [["figure", *(f"{b} {results[(b, s)]['events']:,}" for b, s in columns)]]

    def line(name: str, cell: Callable[[Row], str]) -> None:
        rows.append([name, *(cell(results[c]) for c in columns)])

    line("record file, MB", lambda r: f"{r['file_bytes'] / 1e6:,.1f}" if "file_bytes" in r else "—")
    line("`entente load FILE`, events/s", lambda r: f"{r['events'] / r['load_s']:,.0f}" if "load_s" in r else "—")
    line("load in the process (peer), events/s",
         lambda r: f"{r['events'] / r['peer_s']:,.0f}" if "peer_s" in r else "—")
    line("`entente load` / in the process",
         lambda r: f"{r['peer_s'] / r['load_s']:.2f}×" if "load_s" in r and "peer_s" in r else "—")
    line("`entente load` / in the process, on a core ²",
         lambda r: f"{r['peer_cpu'] / r['load_cpu']:.2f}×" if "load_cpu" in r else "—")
    line("`entente load`, s on a core (its reader process too) ²", lambda r: _s(r, "load_cpu"))
    line("load in the process, s on a core ²", lambda r: _s(r, "peer_cpu"))
    line("`entente load`, peak resident MB", lambda r: f"{r['load_rss'] / 1e6:,.0f}" if "load_rss" in r else "—")
    line("`entente load`, peak resident bytes per entry",
         lambda r: f"{r['load_rss'] / r['events']:,.0f}" if "load_rss" in r else "—")
    line("load in the process, peak resident MB over what it held before ⁴",
         lambda r: f"{r['peer_rss'] / 1e6:,.0f}" if "peer_rss" in r else "—")
    for name, key in (("`entente load`", "load_rss"), ("load in the process", "peer_rss")):
        rows.append([f"{name}, peak grown per entry since the smaller size, bytes ⁴",
                     *(_growth(results, c, key) for c in columns)])
    line("`entente serve`, first start to first answer, ms", lambda r: _ms(r, "first_s"))
    line("`entente serve`, restart to first answer, ms", lambda r: _ms(r, "restart_s"))
    line("`entente serve`, restart to a read no server answered, ms ⁵", lambda r: _ms(r, "unkept_s"))
    line("`entente serve`, first start, s on a core ³", lambda r: _s(r, "first_cpu"))
    line("`entente serve`, restart, s on a core ³", lambda r: _s(r, "restart_cpu"))
    line("`entente serve`, restart to a read no server answered, s on a core ³", lambda r: _s(r, "unkept_cpu"))
    out = ["| " + " | ".join(r) + " |" for r in rows]
    out.insert(1, "|" + "---|" * len(rows[0]))
    return out


def targets(results: dict[tuple[str, int], Row]) -> list[str]:
    said = []
    for (backend, _), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        n = r["events"]
        if n >= 1_000_000 and "restart_s" in r:
            if "first_s" in r:
                said.append(f"- first start ≤ 10 s at {n:,} on {backend}: "
                            f"{'met' if r['first_s'] <= 10 else 'missed'} ({r['first_s']:.1f} s)")
            said.append(f"- restart ≤ 2 s at {n:,} on {backend}: "
                        f"{'met' if r['restart_s'] <= 2 else 'missed'} ({r['restart_s']:.1f} s)")
            if r.get("unkept_cpu") is not None:
                said.append(f"- restart to a read no server answered ≤ 2 s on a core at {n:,} on {backend}: "
                            f"{'met' if r['unkept_cpu'] <= 2 else 'missed'} ({r['unkept_cpu']:.1f} s)")
        if "load_s" in r and "peer_s" in r:
            ratio = r["peer_s"] / r["load_s"]
            said.append(f"- `entente load` ≥ 0.8 of the load in the process at {n:,} on {backend}: "
                        f"{'met' if ratio >= 0.8 else 'missed'} ({ratio:.2f}×)")
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated record sizes (events)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--parties", type=int, default=30)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", choices=["cli", "process"], default="cli",
                        help="load the record by `entente load FILE` beside the load in the process (cli), or "
                             "in the process only (process)")
    parser.add_argument("--load-only", action="store_true", help="the loads only, no server started")
    parser.add_argument("--keep", metavar="DIR", help="keep the loaded stores in DIR, and time only the restart of "
                                                      "those kept there before")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    results: dict[tuple[str, int], Row] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in args.backends.split(","):
                results[(backend, size)] = measure(backend, size, args, work)
    print(f"Entente load and start: {args.parties} parties over {args.years} years, seed {args.seed}; "
          f"`entente serve --workers {args.workers}`; the machine's load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores\n")
    print("\n".join(table(results)))
    print("\n² seconds on a core (user and system time) of the `entente load` process and of the load in the "
          "process, not on the clock: on a machine busy with other work the clock counts the waits for a core too (on "
          "PostgreSQL the server's part is left out of both)")
    print("³ the server process's time on a core from its launch to its first answer, with that of the processes "
          "it started (a start's check made by a process of its own; with `--workers` above 1, the servers), read "
          "from /proc: on a busy machine the clock is several times it")
    print("⁴ the most resident memory the process held (`entente load`: all of it; the load in the process, "
          "made in a forked copy of this one: beyond what that copy held when forked, so not the generated "
          "entries), and how much more it held for each entry than at the next smaller size")
    print(f"⁵ from the restart's launch to the answer of the public's state on {UNKEPT_DAY}: a read the first start "
          "was not asked, so none was kept for it")
    print("\nTargets:")
    print("\n".join(targets(results)))


if __name__ == "__main__":
    main()
