"""Web pages: time to the first byte of each page on the bundled record, against the JSON API's read of the
same view, measured in the same run over a real socket to ``entente serve``.

The goal is under 300 ms for every page; the ratio says what the HTML costs over the view it lays out.
The delegation's page is timed signed in as one of the union's delegations.  With ``--size N`` the server
serves a council of about N entries made by ``generate.py`` instead, and the overview, the pages that list its
entries or findings a page at a time (the timeline, a rule's findings, a delegation's own) and those that keep
what they judge with the viewer's view are timed on it; then the search for words not asked before, and the
overview, the instrument's page, a rule's findings and the search on the first request after a write, which
judges anew what the write concerns (the search indexes the entries written, after those indexed before).
Run: python bench/web.py [RUNS] [--size N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import generate
import httpx

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat

GOAL_MS = 300
# Each page, and the API read of the same view (None: a page with no JSON twin).
PAGES = {
    "/": "/api/state", "/union?at=1938-01-01": "/api/state?at=1938-01-01", "/timeline": "/api/timeline",
    "/timeline?kind=conference_held&party=LT": "/api/timeline", "/conferences": "/api/conferences",
    "/instruments": "/api/treaties", "/instruments/entente-1934": "/api/compliance",
    "/compliance": "/api/compliance", "/due": "/api/due", "/parties/LT?at=1939-04-01": "/api/parties/LT?at=1939-04-01",
    "/search?q=Vilnius": "/api/search?q=Vilnius", "/signin": None,
}
# The pages a delegation signed in sees (the bundled record's Latvia, the council's second party).
SIGNED_IN = {"/delegation": None}
COUNCIL_PAGES = {"/": "/api/state", "/timeline": None, "/timeline?page=20": None, "/conferences": "/api/conferences",
                 "/due": "/api/due", "/instruments/council-1950": "/api/compliance",
                 "/findings/council-1950/understanding": None, "/findings/council-1950/understanding?page=3": None}
COUNCIL_SIGNED_IN = {"/delegation": None, "/delegation?positions_page=2": None}
# The council's pages timed on the first request after a write (a question raised), which judges anew what the
# write's entry concerns.
AFTER_A_WRITE = ["/", "/instruments/council-1950", "/findings/council-1950/understanding", "/search?q=borders"]
HTML = {"Accept": "text/html"}


def first_byte(client: httpx.Client, url: str, headers: dict[str, str]) -> float:
    """Seconds from sending the request to its first byte of body."""
    start = time.perf_counter()
    with client.stream("GET", url, headers=headers) as answer:
        next(answer.iter_raw(1), None)
        elapsed = time.perf_counter() - start
        answer.raise_for_status()
    return elapsed


def signed_in(base: str, db: Path, party: str) -> httpx.Client:
    """A client holding the session of ``party``'s delegation, signed in with a new token as a person signs in."""
    store = open_store(str(db))
    try:
        token = tokens.create(store, Viewer.parse(party), "bench")[1]
    finally:
        store.close()
    client = httpx.Client(base_url=base, timeout=120)
    signed = client.post("/session", data={"token": token}, headers=HTML)
    if signed.status_code != 303:
        raise RuntimeError(f"signing in as {party} answered {signed.status_code}")
    return client


def council(folder: Path, db: Path, size: int) -> None:
    """A council of about ``size`` entries, loaded into the store as a secretariat loads its history."""
    generate.write_union(folder, 30, 100)
    secretariat = Secretariat.open(str(db), folder)
    try:
        secretariat.load_events(generate.record(size))
    finally:
        secretariat.close()


def timed(client: httpx.Client, pages: Mapping[str, str | None], runs: int, api: httpx.Client) -> float:
    """Each page's median time to its first byte beside its JSON twin's, printed; the slowest page's."""
    worst = 0.0
    for page, twin in pages.items():
        first_byte(client, page, HTML)  # warm: templates compiled, caches filled
        html = statistics.median(first_byte(client, page, HTML) for _ in range(runs)) * 1000
        worst = max(worst, html)
        if twin is None:
            print(f"{page:44} {html:7.1f} {'—':>7} {'—':>6}")
            continue
        first_byte(api, twin, {})
        json = statistics.median(first_byte(api, twin, {}) for _ in range(runs)) * 1000
        print(f"{page:44} {html:7.1f} {json:7.1f} {html / json:6.2f}")
    return worst


def new_words(client: httpx.Client, runs: int) -> float:
    """The search's first words on a view, which index what the viewer sees, then the median of ``runs`` searches
    for words not asked before, printed; the slower of the two."""
    first = first_byte(client, "/search?q=borders", HTML) * 1000
    others = statistics.median(first_byte(client, f"/search?q=question+{n}+{generate.FIRST_YEAR + n}", HTML)
                               for n in range(1, runs + 1)) * 1000
    print(f"{'/search, the first words asked':44} {first:7.1f}\n{'/search, other words not asked before':44} "
          f"{others:7.1f}")
    return max(first, others)


def after_writes(client: httpx.Client, db: Path, runs: int) -> float:
    """Each page of ``AFTER_A_WRITE``: the median time to its first byte on the first request after a write,
    printed beside the same page asked again; the slowest page's."""
    store = open_store(str(db))
    try:
        secretariat = {"Authorization": f"Bearer {tokens.create(store, Viewer.parse('secretariat'), 'bench')[1]}"}
    finally:
        store.close()
    worst, written = 0.0, 0
    for page in AFTER_A_WRITE:
        first, again = [], []
        for _ in range(runs):
            written += 1
            question = f"bench-question-{written}"
            client.post("/api/events/question_raised", headers=secretariat, json={
                "id": question, "date": f"{generate.FIRST_YEAR + 99}-12-01", "question": question,
                "instrument": generate.INSTRUMENT, "subject": "trade", "title": {"en": "A question"},
            }).raise_for_status()
            first.append(first_byte(client, page, HTML))
            again.append(first_byte(client, page, HTML))
        after, kept = statistics.median(first) * 1000, statistics.median(again) * 1000
        worst = max(worst, after)
        print(f"{page:44} {after:7.1f} {kept:7.1f} {after / kept:6.2f}")
    return worst


def main(runs: int, size: int | None) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        union: list[str] = []
        if size is not None:
            council(Path(tmp) / "council", db, size)
            union = ["--union", str(Path(tmp) / "council")]
        server = subprocess.Popen([sys.executable, "-c", "from entente.cli import run; run()", "--db", str(db),
                                   *union, "serve", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                for _ in range(3000):
                    try:
                        client.get("/api/conferences")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                record = "the bundled record" if size is None else f"a council of {size:,} entries"
                print(f"first byte, median of {runs} (ms) on {record}; goal: every page under {GOAL_MS}; "
                      f"load average {os.getloadavg()[0]:.1f}")
                print(f"{'page':44} {'html':>7} {'json':>7} {'ratio':>6}")
                worst = timed(client, PAGES if size is None else COUNCIL_PAGES, runs, client)
                delegation = signed_in(base, db, "LV" if size is None else generate.codes(30)[1])
                try:
                    worst = max(worst, timed(delegation, SIGNED_IN if size is None else COUNCIL_SIGNED_IN, runs,
                                             client))
                finally:
                    delegation.close()
                if size is not None:
                    worst = max(worst, new_words(client, runs))
                    print(f"\n{'first request after a write (a question raised)':44} {'after':>7} {'again':>7} "
                          f"{'ratio':>6}")
                    worst = max(worst, after_writes(client, db, runs))
                print(f"slowest page: {worst:.1f} ms ({'within' if worst < GOAL_MS else 'OVER'} the {GOAL_MS} ms goal)")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="?", type=int, default=20, help="requests timed per page (default 20)")
    parser.add_argument("--size", type=int, help="serve a generated council of about this many entries")
    args = parser.parse_args()
    main(args.runs, args.size)
