"""Start-up: how long the ``entente`` command takes from launch to exit, against ``python -c pass`` on the same
interpreter, measured as whole processes in the same run.

    python bench/startup.py             # 15 runs of each
    python bench/startup.py --runs 31
    python bench/startup.py --runs 1 --import-runs 1   # each command once: that it runs, not what it measures
    python bench/startup.py --record 100000   # due and compliance --json on a store of 10^5 entries too

Each command is run N times, the commands taking turns so that a busy moment of the machine falls on all of
them alike.  A figure is the median (with the fastest and slowest run) on the clock, and the median time the
process spent on a core, which a machine shared with other work changes less; beside it, its difference from
``python -c pass`` and the target it is held to: ``entente --version`` and ``entente -h`` within 130 ms of
it, ``entente overview`` on the bundled union within 380 ms.  ``overview`` is timed on a store made once
before the timing (its record loaded, its snapshot kept), and, with no target, on a new store each run (the
first use of a store, which loads the bundled record).  Python's bytecode caches are written before the
timing, as an installed package has them.

A second table says where each command's imports go: ``python -X importtime``'s own time of each module,
summed by top-level package (the standard library's together), from the fastest of seven runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ENTENTE = str(Path(sys.executable).parent / "entente")
PEER = "python -c pass"


def commands(db: Path, fresh: Path, large: tuple[int, Path, Path] | None = None
             ) -> dict[str, tuple[list[str], float | None]]:
    """Each figure: its command line, and its target over ``python -c pass`` in ms (None: shown only).  With
    ``large`` (entries, store, union folder), ``due`` and ``compliance --json`` on that store too, each to be
    within 300 ms of ``entente --version``: their target is that one's and 300 ms (see ``main``)."""
    figures: dict[str, tuple[list[str], float | None]] = {
        PEER: ([sys.executable, "-c", "pass"], None),
        "entente --version": ([ENTENTE, "--version"], 130),
        "entente -h": ([ENTENTE, "-h"], 130),
        "entente overview -h": ([ENTENTE, "overview", "-h"], 130),
        "entente overview (store made before)": ([ENTENTE, "--db", str(db), "overview"], 380),
        "entente overview (new store each run)": ([ENTENTE, "--db", str(fresh), "overview"], None),
    }
    if large is not None:
        n, store, union = large
        on = [ENTENTE, "--db", str(store), "--union", str(union)]
        figures[f"entente due ({n:,} entries)"] = ([*on, "due"], None)
        figures[f"entente compliance --json ({n:,} entries)"] = ([*on, "compliance", "--json"], None)
    return figures


def large_store(folder: Path, size: int) -> tuple[int, Path, Path]:
    """A store of about ``size`` entries made by the engine benchmark's generator, loaded and its snapshot kept."""
    import generate  # the benchmark's own generator, beside this file

    from entente.secretariat.service import Secretariat

    union = generate.write_union(folder / "union", 30, 100)
    events = generate.record(size)
    s = Secretariat.open(str(folder / "large.db"), union)
    s.load_events(events)
    s.snapshot_every = 1
    s.close()
    return len(events), folder / "large.db", union


def environment() -> dict[str, str]:
    """This environment, but writing bytecode caches, no colour, and the width of a terminal."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1", "COLUMNS": "100"}


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds on the clock, and seconds on a core, of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imports(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Milliseconds spent importing each top-level package, as ``-X importtime`` counts them (own times), the
    standard library's modules as one."""
    done = subprocess.run([sys.executable, "-X", "importtime", *_as_module(argv)], env=env, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    spent: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            own, _total, name = line.removeprefix("import time:").split("|")
            if own.strip().isdigit():
                package = name.strip().split(".")[0]
                stdlib = package in sys.stdlib_module_names or package.startswith("encodings")
                spent["the standard library" if stdlib else package] += int(own) / 1000
    return spent


def _as_module(argv: list[str]) -> list[str]:
    """The command line run under ``python -X importtime``: the entente command as ``-m entente``."""
    return ["-m", "entente", *argv[1:]] if argv[0] == ENTENTE else argv[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--import-runs", type=int, default=7,
                        help="runs of each command under python -X importtime, the fastest counted (default 7)")
    parser.add_argument("--record", type=int, default=0,
                        help="also time due and compliance --json on a generated store of this many entries")
    args = parser.parse_args()
    env = environment()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        db, fresh = Path(tmp) / "made-before.db", Path(tmp) / "new.db"
        figures = commands(db, fresh, large_store(Path(tmp), args.record) if args.record else None)
        for argv, _target in figures.values():  # caches written, the store made and its snapshot kept
            once(argv, env)
        clock: dict[str, list[float]] = defaultdict(list)
        core: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.runs):
            for name, (argv, _target) in figures.items():
                if argv[-1] == "overview" and argv[-2] == str(fresh):
                    for stale in Path(tmp).glob("new.db*"):
                        stale.unlink()
                elapsed, used = once(argv, env)
                clock[name].append(elapsed * 1000)
                core[name].append(used * 1000)
        spent = {name: min((imports(argv, env) for _ in range(args.import_runs)), key=lambda s: sum(s.values()))
                 for name, (argv, _target) in figures.items()
                 if name != PEER and "new store" not in name and "entries)" not in name}
    peer, peer_core = statistics.median(clock[PEER]), statistics.median(core[PEER])
    print(f"Entente start-up: {args.runs} runs of each command as a whole process, interleaved; "
          f"peer: {PEER} on {sys.executable} (Python {sys.version.split()[0]}); the machine's load average "
          f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores\n")
    print("| command | median ms | min ms | max ms | over the peer, ms | on a core ms ² | over the peer on a core, "
          "ms | target over the peer |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for name, (_argv, target) in figures.items():
        median, on_core = statistics.median(clock[name]), statistics.median(core[name])
        over, over_core = median - peer, on_core - peer_core
        shown = "—" if target is None else f"≤ {target} ms: {'met' if over <= target else 'missed'}"
        print(f"| {name} | {median:.1f} | {min(clock[name]):.1f} | {max(clock[name]):.1f} | "
              f"{'' if name == PEER else f'{over:+.1f}'} | {on_core:.1f} | "
              f"{'' if name == PEER else f'{over_core:+.1f}'} | {shown} |")
        if target is not None:
            verdicts.append(f"- {name} within {target} ms of `{PEER}`: {'met' if over <= target else 'missed'} "
                            f"({over:+.1f} ms on the clock, {over_core:+.1f} ms on a core)")
    print("\n² seconds the process spent on a core (user and system time), not on the clock: on a machine busy "
          "with other work, the clock counts the waits for a core too")
    if max(load, os.getloadavg()[0]) > (os.cpu_count() or 1):
        print("\nThe machine was busy with other work (a load average above its cores): the figures on the clock "
              "are longer than the same commands take on a machine of their own; those on a core less so.")
    packages = sorted({p for s in spent.values() for p in s}, key=lambda p: -max(s.get(p, 0) for s in spent.values()))
    columns = packages[:7]
    print("\nWhere the imports go, ms (python -X importtime, own times by top-level package, the fastest of "
          f"{args.import_runs} runs):\n")
    print("| command | all imports | " + " | ".join(columns) + " | other |")
    print("|---|---|" + "---|" * (len(columns) + 1))
    for name, s in spent.items():
        total, each = sum(s.values()), [s.get(p, 0) for p in columns]
        print(f"| {name} | {total:.1f} | " + " | ".join(f"{v:.1f}" for v in each) + f" | {total - sum(each):.1f} |")
    version = statistics.median(clock["entente --version"])
    for name in figures:
        if name.startswith(("entente due (", "entente compliance --json (")):
            over = statistics.median(clock[name]) - version
            verdicts.append(f"- {name} within 300 ms of `entente --version`: {'met' if over <= 300 else 'missed'} "
                            f"({over:+.1f} ms on the clock, "
                            f"{statistics.median(core[name]) - statistics.median(core['entente --version']):+.1f} "
                            "ms on a core)")
    print("\nTargets:")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
