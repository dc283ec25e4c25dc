"""Every benchmark of ``bench/`` still runs: each at its smallest size (a tiny record, one run, SQLite), as a
process started as its docstring says, must end with status 0 having printed its table's rows.  What the figures
are is the benchmark's to say; here only that it measures at all, so that a change elsewhere that breaks one is
found at once rather than the next time its figures are wanted.

The fault benchmark measures PostgreSQL beside SQLite where a server answers; its rows for PostgreSQL are then
checked too.  The engine benchmark compares with the eventsourcing library (the ``bench`` dependency group),
and is skipped, saying so, where that is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import POSTGRES_URL

ROOT = Path(__file__).parent.parent
NUMBER = r"[\d,.]+"

# name: (the command after the interpreter, lines it must print: each a regular expression matching a whole line)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "engine": (["bench/engine.py", "--sizes", "300", "--backends", "sqlite", "--seconds", "1", "--workers", "1"],
               [rf"\| replay from the store \(decode \+ fold\), events/s \| {NUMBER} \|",
                rf"\| serve, restart to first answer, ms \| {NUMBER} \|",
                rf"\| compliance at the last day, ms \| {NUMBER} \|",
                r"- ≤ 300 bytes held per event: (met|missed) .*"]),
    "memory": (["bench/memory.py", "--sizes", "300", "--backends", "sqlite"],
               [rf"\| replay \(decode \+ fold\), events/s \| {NUMBER} \|",
                rf"\| restart to first answer, s \| {NUMBER} \|",
                rf"\| restart: peak / after the reads \(steady\), MB \| {NUMBER} / {NUMBER} \|"]),
    "starts": (["bench/starts.py", "--sizes", "300", "--backends", "sqlite"],
               [rf"\| `entente load FILE`, events/s \| {NUMBER} \|",
                rf"\| `entente load`, s on a core \(its reader process too\) ² \| {NUMBER} \|",
                rf"\| `entente serve`, restart to first answer, ms \| {NUMBER} \|"]),
    "startup": (["bench/startup.py", "--runs", "1", "--import-runs", "1"],
                [rf"\| entente --version \| {NUMBER} \| .*",
                 rf"\| entente overview \(store made before\) \| {NUMBER} \| .*",
                 r"- entente overview \(store made before\) within 380 ms of `python -c pass`: (met|missed) .*"]),
    "traces": (["bench/traces.py", "--sizes", "300", "--repeat", "1"],
               [rf"\s*300\s+\d+\s+{NUMBER}s\s+{NUMBER}s\s+{NUMBER}x\s+{NUMBER}s\s+\(\d+ kinds\)"]),
    "what_if": (["bench/what_if.py", "--sizes", "300", "--repeat", "1"],
                [rf"\s*300\s+{viewer}, {kind}\s+\d+\s+{NUMBER}s\s+{NUMBER}s\s+.*"
                 for viewer in ("secretariat", "public")
                 for kind in ("entries", "a rule", "a reading", "a classification", "positions", "acts",
                              "a decision")]),
    "web": (["bench/web.py", "1"],
            [rf"{page}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}" for page in ("/", "/timeline", "/compliance", "/due")]
            + [rf"slowest page: {NUMBER} ms .*"]),
    "web council": (["bench/web.py", "1", "--size", "8000"],
                    [rf"{page}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}"
                     for page in ("/findings/council-1950/understanding", "/instruments/council-1950")]
                    + [r"first request after a write \(a question raised\)\s+after\s+again\s+ratio",
                       rf"/search, other words not asked before\s+{NUMBER}"]),
    "secrecy": (["-m", "bench.secrecy", "2"],
                [rf"after a hidden write\s+{NUMBER} ms", rf"after none\s+{NUMBER} ms", rf"difference\s+{NUMBER}%.*"]),
    "fuzz": (["-m", "bench.fuzz", "--examples", "1"],
             [rf"GET /api/timeline\s+1\s+0\s+{NUMBER}", rf"POST /api/events/conference_held\s+1\s+\d+\s+{NUMBER}",
              rf"all operations\s+\d+\s+0\s+{NUMBER}"]),
    "checking": (["-m", "bench.checking", "--size", "300"],
                 [rf"a party added\s+{NUMBER}\s+0\s+Q99", rf"a comment added\s+{NUMBER}\s+0\s*",
                  rf"write recorded: tries, s from launch\s+\d+, {NUMBER}"]),
    "declassified": (["bench/declassified.py", "--sizes", "3000"],
                     [rf"\| first start, 1% declassified / none, per entry \(on a core\) \| {NUMBER}× \|",
                      rf"\| declassification \+ ledger \+ checkpoint, ms \| {NUMBER} \|",
                      r"- a declassification within 10 ms of an ordinary write: (met|missed) .*"]),
    "faults": (["-m", "bench.faults", "0", "1"],
               [r"SQLite\s+\d+\s+\d+\s+intact", r"SQLite\s+changed\s+found\s+found\s+found",
                r"SQLite\s+found\s+\d of 8\s+\d of 8\s+\d of 8"]),
}


def _postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception:
        return False
    return True


def test_every_bench_script_is_run_here():
    scripts = {p.stem for p in (ROOT / "bench").glob("*.py") if "__main__" in p.read_text("utf-8")}
    assert scripts == {name.split()[0] for name in BENCHES}  # "web council": web.py on a council of its own


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_each_bench_runs_at_its_smallest_and_prints_its_table(name):
    argv, lines = BENCHES[name]
    if name == "engine" and importlib.util.find_spec("eventsourcing") is None:
        pytest.skip("the engine benchmark's peer, the eventsourcing library, is not installed (make bench)")
    if name == "faults" and _postgres_answers():  # measured there too, where a server answers
        lines = [*lines, *(line.replace("SQLite", "PostgreSQL") for line in lines)]
    env = {**os.environ, "ENTENTE_TEST_POSTGRES": POSTGRES_URL, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{name} ended with status {done.returncode}:\n{done.stderr[-3000:]}"
    printed = done.stdout.splitlines()
    missing = [line for line in lines if not any(re.fullmatch(line, p) for p in printed)]
    assert not missing, f"{name} did not print {missing}:\n{done.stdout[-3000:]}"
