"""`entente serve` as the benchmark starts it, and its latency as wrk measures it: one server, or two on one store.

Two servers on one PostgreSQL stand for two hosts behind a load balancer: each is started on a port of its
own, and wrk loads both at once, half the connections each; the p99 given is the worse of the two.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ENTENTE = str(Path(sys.executable).parent / "entente")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wrk(url: str, connections: int, duration: int) -> tuple[float, float] | None:
    """(p50, p99) in ms from wrk (two threads at most: it takes little of a core), for ``duration`` seconds."""
    done = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
                           "--timeout", "10s", "--latency", url], capture_output=True, text=True, timeout=duration + 60)
    found = {p: float(v) * _UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$",
                                                                  done.stdout, re.MULTILINE)}
    answered = re.search(r"(\d+) requests in", done.stdout)
    if not answered or int(answered[1]) == 0 or "50" not in found or "99" not in found:
        return None  # nothing answered within the time: shown as —
    return found["50"], found["99"]


def on_both(urls: list[str], connections: int, duration: int) -> tuple[float, float] | None:
    """wrk on each of ``urls`` at once, ``connections`` shared among them: the worse p50 and p99."""
    with ThreadPoolExecutor(len(urls)) as pool:
        found = list(pool.map(lambda url: wrk(url, connections // len(urls), duration), urls))
    if any(f is None for f in found):
        return None
    return max(f[0] for f in found if f), max(f[1] for f in found if f)


def serve(url: str, folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, float]:
    """``entente serve`` on the store: the process, its address, and the seconds from launch to its first answer."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([ENTENTE, "--db", url, "--union", str(folder), "serve", "--port", str(port),
                               "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(60_000):  # up to ten minutes: a first start checks every viewer's log
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            return server, base, time.perf_counter() - started
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"entente serve ended with status {server.returncode}") from None
            time.sleep(0.01)
    stop(server)
    raise RuntimeError("entente serve did not answer within ten minutes")


def on_a_core(pid: int) -> float | None:
    """Seconds a running process has spent on a core so far (user and system), with those of the processes it
    started that still run (a start's check made by a process of its own) and of those it has waited for,
    where /proc tells it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    own = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own + sum(on_a_core(child) or 0.0 for child in _children(pid))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()]
    except OSError:
        return []


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=60)
