"""``entente serve`` as a real process on a free port, called over the socket with httpx."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entente(db: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "from entente.cli import run; run()", "--db", db, *args]


def _wait_for(base: str, server: subprocess.Popen[str], seconds: float = 120) -> None:
    """Until the server answers: a first start checks the whole record, which a busy machine slows down."""
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


def test_serve_answers_reads_and_a_write_with_a_token_from_the_command_line(db_url):
    db, port = db_url("served"), _free_port()
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
        assert [c["number"] for c in conferences.json() if c["number"]] == list(range(1, 12))  # public
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
        out = _stop(server)
    assert out.splitlines()[0] == f"Entente serving the Baltic Entente on http://127.0.0.1:{port}"


def _stop(server: subprocess.Popen[str]) -> str:
    server.terminate()
    try:
        out, _ = server.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        out, _ = server.communicate()
    return out


def _note(title: str) -> dict[str, object]:
    return {"date": "1940-08-05", "category": "note", "title": {"en": title}}


def _within_a_second(url: str, entry: str) -> httpx.Response:
    """The timeline as soon as it shows ``entry``, a second at most after the write was answered: a server
    hears of another's commit (SQLite's data_version, PostgreSQL's notification) before its next read."""
    deadline = time.monotonic() + 1
    while True:
        answer = httpx.get(url, timeout=10)
        if entry in [row["id"] for row in answer.json()] or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)


def test_two_servers_on_one_store_each_see_what_was_written_through_the_other(db_url):
    db = db_url("shared")
    secret = subprocess.run(_entente(db, "token", "create", "--for", "secretariat"), capture_output=True,
                            text=True, check=True).stdout.strip()
    auth = {"Authorization": f"Bearer {secret}"}
    ports = [_free_port(), _free_port()]
    servers = [subprocess.Popen(_entente(db, "serve", "--port", str(p)), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for p in ports]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base, server in zip(bases, servers, strict=True):
            _wait_for(base, server)
        for writer, title in ((0, "written through the first"), (1, "written through the second")):
            before = [httpx.get(f"{base}/api/timeline", timeout=10) for base in bases]  # each holds the view
            written = httpx.post(f"{bases[writer]}/api/events/outside_event", headers=auth, json=_note(title),
                                 timeout=10)
            assert written.status_code == 201, written.text
            for base, old in zip(bases, before, strict=True):
                after = _within_a_second(f"{base}/api/timeline", written.json()["event"]["id"])
                assert after.headers["etag"] != old.headers["etag"], base
                assert written.json()["event"]["id"] in [row["id"] for row in after.json()], base
                # A client that holds the old view is not told it is current.
                again = httpx.get(f"{base}/api/timeline", headers={"If-None-Match": old.headers["etag"]}, timeout=10)
                assert again.status_code == 200, base
    finally:
        for server in servers:
            _stop(server)


def test_several_server_processes_on_one_port_all_answer_with_the_latest_write(db_url):
    db, port = db_url("workers"), _free_port()
    secret = subprocess.run(_entente(db, "token", "create", "--for", "secretariat"), capture_output=True,
                            text=True, check=True).stdout.strip()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(_entente(db, "serve", "--port", str(port), "--workers", "2"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(base, server)
        # Connections one after another are shared out among the processes: enough reads reach both, and
        # each holds the view it answered with.
        # Once each process's start has checked the record: meanwhile a read is tagged apart, naming no version.
        for _ in range(120):
            before = {httpx.get(f"{base}/api/timeline", timeout=10).headers["etag"] for _ in range(20)}
            if not any(tag.endswith('-unchecked"') for tag in before):
                break
            time.sleep(0.5)
        assert len(before) == 1
        written = httpx.post(f"{base}/api/events/outside_event", json=_note("seen by every process"),
                             headers={"Authorization": f"Bearer {secret}"}, timeout=10)
        assert written.status_code == 201, written.text
        for _ in range(20):
            after = httpx.get(f"{base}/api/timeline", timeout=10)
            assert after.headers["etag"] not in before
            assert written.json()["event"]["id"] in [row["id"] for row in after.json()]
    finally:
        out = _stop(server)
    assert out.splitlines()[0] == f"Entente serving the Baltic Entente on http://127.0.0.1:{port} (2 processes)"
