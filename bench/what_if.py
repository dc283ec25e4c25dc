"""What-if runs on a large record: each kind of scenario replayed beside the record, timed, on one core.

    python bench/what_if.py                       # 100,000 entries, every kind of scenario
    python bench/what_if.py --sizes 10000,100000 --kinds positions,acts

A council made by ``generate.py`` (deterministic by seed); one scenario of each kind (``what_if_scenarios.py``):
entries removed and added, a rule's settings, a reading, a classification, positions, an instrument's act, a
decision changing a rule.  Timed, best of ``--repeat`` runs: the run as it answers (the record's fold
revised by the scenario, and only the rules and items it can change judged), beside its peer measured
in the same run, a full replay (every rule judged, the scenario's whole record folded; the record's own fold
held already, as a viewer's projection holds it).  Each is given on the clock and in processor time, which
the other work of a shared machine lengthens far less.  The target is under a second at 100,000 entries.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import generate
from what_if_scenarios import scenarios

from entente.replay.dated import fold
from entente.rules import SETTINGS, read_treaties
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary.definition import load_union
from entente.whatif.run import what_if
from entente.whatif.scenario import read_scenario

TARGET = 1.0  # seconds, at 100,000 entries


def _best(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    """The best of ``repeat`` runs: on the clock, and in the processor's time given to this process (which other
    work on a shared machine lengthens far less)."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(times), min(cpu)


def measure(size: int, repeat: int, kinds: list[str] | None = None
            ) -> list[tuple[str, int, tuple[float, float], tuple[float, float]]]:
    """(viewer and kind of scenario, entries seen, seconds as it answers, seconds of a full replay; each on the
    clock and of the processor) for each run."""
    events = generate.record(size)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate.write_union(Path(tmp) / "union", 30, 100, readings=True)
        union, treaties = load_union(folder), read_treaties(folder)
        path = Path(tmp) / "scenario.yaml"
        at = max(e.date for e in events)[:10]
        viewer: Viewer
        for viewer in (SECRETARIAT, PUBLIC):
            seen = visible(events, viewer)
            held = fold(seen)  # the viewer's fold, as a server holds it
            for name, text in scenarios(events).items():
                if kinds and name not in kinds:
                    continue
                path.write_text(text)
                scenario = read_scenario(path, union, SETTINGS)
                served = _best(repeat, partial(what_if, union, treaties, viewer, seen, scenario, at, held))
                full = _best(repeat, partial(what_if, union, treaties, viewer, seen, scenario, at, held,
                                             narrow=False))
                rows.append((f"{viewer}, {name}", len(seen), served, full))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="record sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best counted")
    parser.add_argument("--kinds", default="", help="kinds of scenario, comma-separated (default: every kind)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"{'entries':>9}  {'viewer, scenario':<30} {'seen':>8}  {'what-if':>9}  {'full replay':>11}  "
          f"{'ratio':>6}  {'cpu what-if':>11}  {'cpu full':>9}  target")
    for size in (int(s) for s in args.sizes.split(",")):
        for viewer, seen, served, full in measure(size, args.repeat, [k for k in args.kinds.split(",") if k]):
            met = "met" if served[0] < TARGET else "missed"
            print(f"{size:>9,}  {viewer:<30} {seen:>8,}  {served[0]:>8.3f}s  {full[0]:>10.3f}s  "
                  f"{full[0] / served[0]:>5.1f}x  {served[1]:>10.3f}s  {full[1]:>8.3f}s  "
                  f"{met if size >= 100_000 else '—'}")


if __name__ == "__main__":
    main()
