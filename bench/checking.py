"""What a start checks again after the union's files change, and how a server answers while it checks.

    python -m bench.checking                    # 10^5 entries (from the project folder)
    python -m bench.checking --size 300000

A council made by ``generate.py`` (30 parties), recorded on a new SQLite store with no log kept.  First, in
the process, a start after each change to the union's folder (the first start, which checks the whole
record; a comment; a party's name; a party added; the same party removed): how long it took, the rows it
checked again and the logs it built.  Then ``entente serve`` on a fresh copy of the store, whose first start
checks every entry: from launch to the first answer; a read's time while the check runs; a write sent then
(its status, its time, its Retry-After), and asked again as Retry-After says until it is recorded; then a
checkpoint, signed now that the log is checked.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from bench import generate
from bench.servers import ENTENTE, free_port

from entente.ledger.logs import Ledger
from entente.record import open_store
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import load_union

_PARTY = "  - {code: Q99, names: {en: State Q99}}\n"


def _edit(folder: Path, change: Callable[[str], str]) -> None:
    path = folder / "union.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def starts(db: Path, folder: Path) -> list[tuple[str, float, int, list[str]]]:
    """(the change, the start's seconds, rows checked again, logs built) for each change to the folder."""
    changes: list[tuple[str, Callable[[str], str]]] = [
        ("first start (nothing kept)", lambda text: text),
        ("a comment added", lambda text: "# A comment.\n" + text),
        ("a party's name changed", lambda text: text.replace("{en: State P05}", "{en: The State P05}")),
        ("a party added", lambda text: text + _PARTY),
        ("that party removed", lambda text: text.replace(_PARTY, "")),
        ("nothing changed", lambda text: text),
    ]
    found = []
    store = open_store(str(db))
    try:
        for name, change in changes:
            _edit(folder, change)
            ledger = Ledger.open(str(db), load_union(folder))
            began = time.perf_counter()
            ledger.catch_up(store)  # a command's start: the kept entries hashed again before it goes on
            seconds = time.perf_counter() - began
            assert not ledger.breaks, ledger.breaks
            found.append((name, seconds, ledger.checked, ledger.built))
    finally:
        store.close()
    return found


def _write(base: str, secret: str) -> tuple[httpx.Response, float]:
    began = time.perf_counter()
    answer = httpx.post(f"{base}/api/events/outside_event", headers={"Authorization": f"Bearer {secret}"},
                        json={"date": "2050-03-01", "category": "note", "title": {"en": "A note"}}, timeout=60)
    return answer, time.perf_counter() - began


def served(db: Path, folder: Path) -> list[tuple[str, str]]:
    """What a server's first start on a store with no log kept answers while it checks, and when."""
    entente = [ENTENTE, "--db", str(db), "--union", str(folder)]
    secret = subprocess.run([*entente, "token", "create", "--for", "secretariat"], capture_output=True, text=True,
                            check=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    launched = time.perf_counter()
    server = subprocess.Popen([*entente, "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    rows: list[tuple[str, str]] = []
    try:
        while True:
            try:
                httpx.get(f"{base}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        first = time.perf_counter() - launched
        rows.append(("launch to first answer, s", f"{first:.2f}"))
        checkpoint = httpx.get(f"{base}/api/checkpoint", timeout=60)
        rows.append(("checkpoint at the first answer", f"{checkpoint.status_code}, Retry-After "
                                                       f"{checkpoint.headers.get('retry-after', '-')}"))
        reads = []
        for _ in range(5):
            began = time.perf_counter()
            assert httpx.get(f"{base}/api/conferences", timeout=60).status_code == 200
            reads.append(time.perf_counter() - began)
        rows.append(("a read during the check (median of 5), ms", f"{statistics.median(reads) * 1000:.0f}"))
        answer, seconds = _write(base, secret)
        tries = 1
        rows.append(("first write: status, s, Retry-After", f"{answer.status_code}, {seconds:.2f}, "
                                                           f"{answer.headers.get('retry-after', '-')}"))
        while answer.status_code == 503:
            time.sleep(int(answer.headers["retry-after"]))
            answer, seconds = _write(base, secret)
            tries += 1
        rows.append(("write recorded: tries, s from launch", f"{tries}, {time.perf_counter() - launched:.2f}"))
        while httpx.get(f"{base}/api/checkpoint", timeout=60).status_code != 200:
            time.sleep(0.05)
        rows.append(("a checkpoint after it (200), s from launch", f"{time.perf_counter() - launched:.2f}"))
    finally:
        server.terminate()
        server.wait(timeout=60)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="entries (default 100,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = generate.write_union(work / "union", 30, 100)
        made = work / "made.db"
        s = Secretariat.open(str(made), folder)
        s.load_events(generate.record(args.size))
        size = s.store.position()
        s.close()
        db = work / "council.db"
        shutil.copy(made, db)
        print(f"A start after each change to the union's folder ({size:,} entries, SQLite, in the process)")
        print(f"{'change':<30} {'start, s':>9} {'rows checked':>13}  logs built")
        for name, seconds, checked, built in starts(db, folder):
            print(f"{name:<30} {seconds:>9.2f} {checked:>13,}  {', '.join(built) if len(built) < 4 else len(built)}")
        _edit(folder, lambda text: text)
        shutil.copy(made, db)
        print(f"\n`entente serve`, first start on {size:,} entries with no log kept (SQLite)")
        for name, value in served(db, folder):
            print(f"{name:<45} {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
