"""What traces cost: a compliance run (no steps kept) beside the same run keeping every step, and one trace.

    python bench/traces.py                     # 10,000 and 100,000 entries
    python bench/traces.py --sizes 10000

A council made by ``generate.py`` (deterministic by seed), judged on its last day from its record folded once (as
a viewer's projection holds it).  Timed, best of ``--repeat`` runs, on one core: ``compliance`` as every page and
command runs it (steps not kept), its peer measured in the same run, the same judgement keeping every finding's
steps (what it would cost to build traces on every run), and ``trace`` of one finding of each rule kind (what
``entente why`` and ``/api/findings/ID/trace`` cost).  Run with another checkout's code first on ``PYTHONPATH``
to compare a compliance run before and after a change; code without traced judgements prints "—" for them.
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

from entente.replay.dated import fold
from entente.rules import compliance, judge, read_treaties
from entente.views.traces import trace
from entente.vocabulary.definition import load_union


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(size: int, repeat: int) -> None:
    events = generate.record(size)
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate.write_union(Path(tmp) / "union", 30, 100)
        union, treaties = load_union(folder), read_treaties(folder)
    held = fold(events)
    at = max(e.date for e in events)[:10]
    plain = _best(repeat, partial(compliance, union, treaties, held, at))
    findings = compliance(union, treaties, held, at)
    try:
        traced = _best(repeat, partial(judge, union, treaties, held, at, due_wanted=False, traced=True))
    except TypeError:  # code from before traced judgements
        print(f"{size:>9,}  {len(findings):>8,}  {plain:>10.3f}s  {'—':>11}  {'—':>6}  {'—':>10}")
        return
    one = {f.rule: f for f in findings}
    each = [_best(repeat, partial(trace, union, treaties, held, at, f.id)) for f in one.values()]
    print(f"{size:>9,}  {len(findings):>8,}  {plain:>10.3f}s  {traced:>10.3f}s  {traced / plain:>5.2f}x  "
          f"{max(each):>9.3f}s  ({len(each)} kinds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="record sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best counted")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"{'entries':>9}  {'findings':>8}  {'compliance':>11}  {'with steps':>11}  {'ratio':>6}  "
          f"{'one trace':>10}  (slowest of)")
    for size in (int(s) for s in args.sizes.split(",")):
        measure(size, args.repeat)


if __name__ == "__main__":
    main()
