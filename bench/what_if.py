"""What-if runs on a large record: one scenario replayed beside the record, timed, on one core.

    python bench/what_if.py                       # 100,000 entries
    python bench/what_if.py --sizes 10000,100000

A council made by ``generate.py`` (deterministic by seed); the scenario changes a rule's settings (four meetings
a year), removes an entry and adds one.  Timed, best of ``--repeat`` runs: the run as it answers (judging only
the rules the scenario concerns, each on a record folded from the entries they read), beside its peer measured
in the same run, a full replay (every rule judged, the scenario's whole record folded; the record's own fold
held already, as a viewer's projection holds it).  The target is under a second at 100,000 entries.
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
from entente.rules import SETTINGS, read_treaties
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary.definition import load_union
from entente.vocabulary.events import ConferenceHeld
from entente.whatif.run import what_if
from entente.whatif.scenario import read_scenario

TARGET = 1.0  # seconds, at 100,000 entries

_SCENARIO = """title: Four meetings a year, one meeting left out, one added
why: A benchmark, not a question from the sources.
changes:
  - settings: {{instrument: {instrument}, rule: ministers-twice-yearly, set: {{minimum: 4}}}}
  - remove: {removed}
  - add: {{kind: outside_event, id: bench-added, date: "{day}", category: other, title: {{en: An added entry}}}}
"""
# The same, changing the rule only: the record's fold then serves both runs.
_RULES_ONLY = _SCENARIO.split("  - remove")[0]


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(size: int, repeat: int) -> list[tuple[str, int, float, float]]:
    """(viewer and scenario, entries seen, seconds as it answers, seconds of a full replay) for each run."""
    events = generate.record(size)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate.write_union(Path(tmp) / "union", 30, 100)
        union, treaties = load_union(folder), read_treaties(folder)
        removed = next(e for e in events if isinstance(e, ConferenceHeld))
        path = Path(tmp) / "scenario.yaml"
        at = max(e.date for e in events)[:10]
        viewer: Viewer
        for name, text in (("entries and rule", _SCENARIO), ("rule only", _RULES_ONLY)):
            path.write_text(text.format(instrument=generate.INSTRUMENT, removed=removed.id, day=events[-1].date))
            scenario = read_scenario(path, union, SETTINGS)
            for viewer in (SECRETARIAT, PUBLIC):
                seen = visible(events, viewer)
                held = fold(seen)
                served = _best(repeat, partial(what_if, union, treaties, viewer, seen, scenario, at))
                full = _best(repeat, partial(what_if, union, treaties, viewer, seen, scenario, at, held,
                                             narrow=False))
                rows.append((f"{viewer}, {name}", len(seen), served, full))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="record sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best counted")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"{'entries':>9}  {'viewer, scenario':<30} {'seen':>8}  {'what-if':>9}  {'full replay':>11}  "
          f"{'ratio':>6}  target")
    for size in (int(s) for s in args.sizes.split(",")):
        for viewer, seen, served, full in measure(size, args.repeat):
            met = "met" if served < TARGET else "missed"
            print(f"{size:>9,}  {viewer:<30} {seen:>8,}  {served:>8.3f}s  {full:>10.3f}s  {full / served:>5.1f}x  "
                  f"{met if size >= 100_000 else '—'}")


if __name__ == "__main__":
    main()
