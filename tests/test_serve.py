"""``entente serve`` as a real process on a free port, called over the socket with httpx."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entente(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from entente.cli import run; run()", "--db", str(db), *args]


def _wait_for(base: str, server: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.communicate()}")
        try:
            httpx.get(f"{base}/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not answer within {seconds} s")


def test_serve_answers_reads_and_a_write_with_a_token_from_the_command_line(tmp_path):
    db, port = tmp_path / "served.db", _free_port()
    created = subprocess.run(_entente(db, "token", "create", "--for", "secretariat", "--label", "test"),
                             capture_output=True, text=True, check=True)
    secret = created.stdout.strip()  # the token alone on standard output
    assert created.stderr.strip().endswith("it will not be shown again:") and "\n" not in secret
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(_entente(db, "serve", "--port", str(port)), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(base, server)
        conferences = httpx.get(f"{base}/api/conferences", timeout=10)
        assert conferences.status_code == 200
        assert [c["number"] for c in conferences.json() if c["number"]] == list(range(1, 10))  # public
        secretariat_view = httpx.get(f"{base}/api/conferences", headers={"Authorization": f"Bearer {secret}"},
                                     timeout=10)
        auth = {"Authorization": f"Bearer {secret}", "If-Match": secretariat_view.headers["etag"]}
        written = httpx.post(f"{base}/api/events/outside_event", headers=auth, timeout=10, json={
            "date": "1940-08-05", "category": "annexation", "parties": ["LV"],
            "title": {"en": "Latvia is annexed by the Soviet Union"}})
        assert written.status_code == 201, written.text
        assert written.json()["tag"] != secretariat_view.headers["etag"].strip('"')
        event_id = written.json()["event"]["id"]
        assert httpx.get(f"{base}/api/events/{event_id}", timeout=10).json()["category"] == "annexation"
        assert httpx.get(f"{base}/api/audit", headers={"Authorization": "Bearer x.y"}, timeout=10).status_code == 401
    finally:
        server.terminate()
        try:
            out, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            out, _ = server.communicate()
    assert out.splitlines()[0] == f"Entente serving the Baltic Entente on http://127.0.0.1:{port}"
