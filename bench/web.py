"""Web pages: time to the first byte of each page on the bundled record, against the JSON API's read of the
same view, measured in the same run over a real socket to ``entente serve``.

The goal is under 300 ms for every page; the ratio says what the HTML costs over the view it lays out.
Run: python bench/web.py [RUNS]
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

GOAL_MS = 300
# Each page, and the API read of the same view (None: a page with no JSON twin).
PAGES = {
    "/": "/api/state", "/union?at=1938-01-01": "/api/state?at=1938-01-01", "/timeline": "/api/timeline",
    "/timeline?kind=conference_held&party=LT": "/api/timeline", "/conferences": "/api/conferences",
    "/instruments": "/api/treaties", "/instruments/entente-1934": "/api/compliance",
    "/compliance": "/api/compliance", "/due": "/api/due", "/parties/LT?at=1939-04-01": "/api/parties/LT?at=1939-04-01",
    "/search?q=Vilnius": "/api/search?q=Vilnius", "/signin": None,
}
HTML = {"Accept": "text/html"}


def first_byte(client: httpx.Client, url: str, headers: dict[str, str]) -> float:
    """Seconds from sending the request to its first byte of body."""
    start = time.perf_counter()
    with client.stream("GET", url, headers=headers) as answer:
        next(answer.iter_raw(1), None)
        elapsed = time.perf_counter() - start
        answer.raise_for_status()
    return elapsed


def main(runs: int) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        server = subprocess.Popen([sys.executable, "-c", "from entente.cli import run; run()", "--db", str(db),
                                   "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(300):
                    try:
                        client.get("/api/conferences")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                print(f"first byte, median of {runs} (ms) on the bundled record; goal: every page under {GOAL_MS}")
                print(f"{'page':44} {'html':>7} {'json':>7} {'ratio':>6}")
                worst = 0.0
                for page, twin in PAGES.items():
                    first_byte(client, page, HTML)  # warm: templates compiled, caches filled
                    html = statistics.median(first_byte(client, page, HTML) for _ in range(runs)) * 1000
                    worst = max(worst, html)
                    if twin is None:
                        print(f"{page:44} {html:7.1f} {'—':>7} {'—':>6}")
                        continue
                    first_byte(client, twin, {})
                    api = statistics.median(first_byte(client, twin, {}) for _ in range(runs)) * 1000
                    print(f"{page:44} {html:7.1f} {api:7.1f} {html / api:6.2f}")
                print(f"slowest page: {worst:.1f} ms ({'within' if worst < GOAL_MS else 'OVER'} the {GOAL_MS} ms goal)")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
