"""Faults survived, as figures: writes acknowledged and then found after a server is killed again and again,
and tamperings found out of tamperings made, with and without a checkpoint kept by a party.

Run from the project folder: python -m bench.faults [KILLS] [WRITERS]
(PostgreSQL is measured too where ENTENTE_TEST_POSTGRES, or postgresql://postgres@127.0.0.1:5432/test, answers.)
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests import tampering

from entente.ledger import keys
from entente.ledger.logs import Ledger
from entente.record import open_store
from entente.secretariat.clearance import PUBLIC, SECRETARIAT
from entente.secretariat.service import Secretariat

POSTGRES_URL = os.environ.get("ENTENTE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def _postgres() -> Iterator[str | None]:
    """A fresh schema's URL, or None where no server answers."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except Exception:  # no driver or no server: measured on SQLite only
        yield None
        return
    schema = f"entente_bench_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def _entente(db: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "from entente.cli import run; run()", "--db", db, *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(_entente(db, "serve", "--port", str(port)), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/checkpoint", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the server did not start within 60 s")


def crashes(db: str, kills: int, writers: int) -> tuple[int, int, int, list[str]]:
    """(acknowledged, found, kills, problems the ledger finds afterwards) for writers racing a killed server."""
    secret = subprocess.run(_entente(db, "token", "create", "--for", "secretariat"), capture_output=True,
                            text=True, check=True).stdout.strip().splitlines()[-1]
    port = _free_port()
    headers = {"Authorization": f"Bearer {secret}"}
    acknowledged: set[str] = set()
    lock, stop = threading.Lock(), threading.Event()

    def write(writer: int) -> None:
        n = 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as client:
            while not stop.is_set():
                entry = f"fault-{writer}-{n}"
                try:
                    answer = client.post("/api/events/outside_event", headers={"Idempotency-Key": entry}, json={
                        "id": entry, "date": "1938-01-01", "category": "test", "title": {"en": entry}})
                except httpx.TransportError:
                    time.sleep(0.05)  # the server is down: the same entry is sent again once it is back
                    continue
                if answer.status_code == 201:
                    with lock:
                        acknowledged.add(entry)
                    n += 1

    server = _start(db, port)
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for _ in range(kills):
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = _start(db, port)
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join()
    server.send_signal(signal.SIGKILL)
    server.wait()
    s = Secretariat.open(db)
    found = {e.id for e in s.store.events()} & acknowledged
    ledger = Ledger.open(db, s.union)
    ledger.catch_up(s.store)
    problems = ledger.problems(SECRETARIAT)
    s.close()
    return len(acknowledged), len(found), kills, problems


def tamperings(db_for: Iterator[str]) -> list[tuple[str, bool, bool, bool]]:
    """Each tampering: (name, found by a start on the store alone, found with the secretariat's kept
    checkpoint, found with the public's kept checkpoint).  The start resumes from what the start before the
    tampering kept, as every start of a server or a command does."""
    results = []
    template = None
    for name, tamper in tampering.ALL.items():
        db = next(db_for)
        store = open_store(db)
        if template is None:
            s = Secretariat.open(db)
            template = (s.store.rows_after(0), s.store.all_meta(), s.store.salting())
            s.close()
        else:
            store.insert_rows(*template)
        s = Secretariat.open(db)
        ledger = Ledger.open(db, s.union)
        ledger.catch_up(s.store)
        kept = {viewer: ledger.checkpoint(viewer) for viewer in (SECRETARIAT, PUBLIC)}
        tamper(s.store)
        after = Ledger.open(db, s.union)  # a start, as a server or a command makes it before writing or signing
        after.catch_up(s.store)  # the kept entries hashed again included, as a command's start does
        results.append((name, bool(after.problems(SECRETARIAT)),
                        bool(after.problems(SECRETARIAT, kept[SECRETARIAT], "kept")),
                        bool(after.problems(PUBLIC, kept[PUBLIC], "kept"))))
        s.close()
        store.close()
    return results


def main() -> None:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    writers = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    with tempfile.TemporaryDirectory() as folder:
        os.environ[keys.SETTING] = str(Path(folder) / "bench.key")
        files = (str(Path(folder) / f"store-{i}.db") for i in range(10_000))
        kinds: list[tuple[str, str, Iterator[str]]] = [("SQLite", next(files), files)]
        with _postgres() as url:
            if url is not None:
                kinds.append(("PostgreSQL", url, _postgres_stores()))
            else:
                print("PostgreSQL: no server answers; measured on SQLite only\n")
            print(f"Writes acknowledged and found after {kills} SIGKILLs of `entente serve` under {writers} writers")
            print(f"{'store':<12} {'acknowledged':>12} {'found':>6}  ledger afterwards")
            for kind, db, _ in kinds:
                acked, found, _, problems = crashes(db, kills, writers)
                print(f"{kind:<12} {acked:>12} {found:>6}  {'intact' if not problems else problems[0]}")
            print("\nTamperings found by a start out of tamperings made (each on a fresh copy of the Baltic record)")
            print(f"{'store':<12} {'tampering':<26} {'store check':>11} {'+ kept checkpoint':>18} {'public kept':>12}")
            for kind, _, stores in kinds:
                rows = tamperings(stores)
                for name, alone, kept, public in rows:
                    print(f"{kind:<12} {name:<26} {_yes(alone):>11} {_yes(kept):>18} {_yes(public):>12}")
                print(f"{kind:<12} {'found':<26} {sum(r[1] for r in rows):>6} of {len(rows)} "
                      f"{sum(r[2] for r in rows):>13} of {len(rows)} {sum(r[3] for r in rows):>7} of {len(rows)}")


def _postgres_stores() -> Iterator[str]:
    while True:
        with _postgres() as url:
            assert url is not None
            yield url


def _yes(found: bool) -> str:
    return "found" if found else "missed"


if __name__ == "__main__":
    main()
