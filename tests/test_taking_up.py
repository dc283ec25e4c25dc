"""A server answers while it takes up its record: what needs no record at once, a read the last server answered
on the same record from what it kept, and every other read once the record is held; each as a server that held
the record before answering gives it, for every viewer."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import httpx
import uvicorn
from litestar.testing import TestClient

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION
from tests.test_serve import _wait_for

VIEWERS = ["public", "LV", "EE", "secretariat"]
# Reads of views of the record: answered from what the last server kept, if it asked them too.
VIEWS = ["/api/timeline", "/api/conferences", "/api/state", "/api/state?at=1937-06-30", "/api/due", "/api/next",
         "/api/compliance", "/api/treaties", "/api/search?q=Vilnius", "/api/events/declaration-1934-signed",
         "/calendar.ics"]
# Reads of the logs, and of views not asked of the last server: they wait for the record.
WAITING = ["/api/checkpoint", "/api/state?at=1938-06-30", "/api/timeline?limit=5"]


class _HeldBack(Secretariat):
    """A secretariat that reads its kept snapshot only once let: a server's start held open for as long as the
    test needs, the reading itself as every server's."""

    let: threading.Event  # set on each one before its server starts

    def begin(self) -> None:
        assert self.let.wait(120)
        super().begin()


def _headers(url: str, viewer: str) -> dict[str, str]:
    if viewer == "public":
        return {}
    store = open_store(url)
    try:
        return {"Authorization": f"Bearer {tokens.create(store, Viewer.parse(viewer), 'test')[1]}"}
    finally:
        store.close()


def _asked(client: TestClient[Any], paths: list[str], headers: dict[str, dict[str, str]]
           ) -> dict[tuple[str, str], httpx.Response]:
    return {(viewer, path): client.get(path, headers=headers[viewer]) for viewer in VIEWERS for path in paths}


def _same(answered: dict[tuple[str, str], httpx.Response], expected: dict[tuple[str, str], httpx.Response]) -> None:
    assert answered.keys() == expected.keys()
    for key, answer in answered.items():
        assert (answer.status_code, answer.content) == (expected[key].status_code, expected[key].content), key
        assert answer.headers.get("etag") == expected[key].headers.get("etag"), key


def _restarted(url: str, paths: list[str], headers: dict[str, dict[str, str]]
               ) -> tuple[dict[tuple[str, str], httpx.Response], dict[tuple[str, str], httpx.Response]]:
    """The reads sent at once to a server while its start is held back: those it answered meanwhile (until none
    more were for a second), and then every answer, once it was let take up the record."""
    held = _HeldBack.open(url, DEFAULT_UNION)
    held.let = threading.Event()
    asked = [(viewer, path) for viewer in VIEWERS for path in paths]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url, DEFAULT_UNION, held), host="127.0.0.1", port=port,
                                           log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()

    async def run() -> tuple[dict[tuple[str, str], httpx.Response], dict[tuple[str, str], httpx.Response]]:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=180) as client:
            assert (await client.get("/")).json()["union"] == "baltic-entente"  # no record needed: at once
            sent = {key: asyncio.ensure_future(client.get(key[1], headers=headers[key[0]])) for key in asked}
            done = -1
            for _ in range(60):
                await asyncio.sleep(1)
                if (now := sum(answer.done() for answer in sent.values())) == done:
                    break
                done = now
            early = {key: answer.result() for key, answer in sent.items() if answer.done()}
            held.let.set()
            await asyncio.gather(*sent.values())
            return early, {key: answer.result() for key, answer in sent.items()}

    try:
        for _ in range(600):
            if server.started:
                break
            time.sleep(0.05)
        return asyncio.run(run())
    finally:
        held.let.set()
        server.should_exit = True
        serving.join(60)


def test_a_restarted_server_answers_the_reads_kept_at_once_and_the_others_once_it_holds_the_record(db_url):
    url = db_url("restarted")
    headers = {viewer: _headers(url, viewer) for viewer in VIEWERS}
    # A first server, which keeps the snapshot, the logs and the reads it answered.
    with TestClient(create_app(url, DEFAULT_UNION, Secretariat.open(url, DEFAULT_UNION, snapshot_every=1))) as first:
        first.app.state.hub.settled()  # started: the record held and checked
        expected = _asked(first, VIEWS, headers)
    assert {r.status_code for r in expected.values()} == {200, 404}
    assert expected[("public", "/api/events/declaration-1934-signed")].status_code == 404  # not the public's
    assert expected[("LV", "/api/events/declaration-1934-signed")].status_code == 200

    early, answered = _restarted(url, VIEWS + WAITING, headers)
    with TestClient(create_app(url, DEFAULT_UNION)) as started:
        started.app.state.hub.settled()  # started: the record held and checked
        expected |= _asked(started, WAITING, headers)
    assert {k for k in early if k[1] in VIEWS} == {k for k in expected if k[1] in VIEWS and expected[k].status_code
                                                   == 200}  # each read kept, for its own viewer
    assert not [k for k in early if k[1] in WAITING]
    _same(answered, expected)
    # Restarted again: the reads answered from what was kept are kept again, with those computed since.
    early, answered = _restarted(url, VIEWS + WAITING, headers)
    assert early.keys() == {k for k in expected if expected[k].status_code == 200 and k[1] != "/api/checkpoint"}
    _same(answered, expected)


def test_what_is_recorded_after_a_server_stopped_makes_every_read_wait_for_the_record(db_url):
    url = db_url("written")
    headers = {viewer: _headers(url, viewer) for viewer in VIEWERS}
    with TestClient(create_app(url, DEFAULT_UNION)) as first:
        first.app.state.hub.settled()  # started: the record held and checked
        _asked(first, VIEWS, headers)
    with TestClient(create_app(url, DEFAULT_UNION)) as writer:
        writer.app.state.hub.settled()  # started: the record held and checked
        written = writer.post("/api/events/outside_event", headers=headers["secretariat"], json={
            "date": "1940-08-05", "category": "note", "title": {"en": "A note recorded between two servers"}})
        assert written.status_code == 201, written.text

    early, answered = _restarted(url, VIEWS, headers)
    assert not early
    with TestClient(create_app(url, DEFAULT_UNION)) as started:
        started.app.state.hub.settled()  # started: the record held and checked
        expected = _asked(started, VIEWS, headers)
    _same(answered, expected)
    assert b"A note recorded between two servers" in answered[("public", "/api/timeline")].content



def test_the_schema_and_static_files_are_answered_while_the_record_is_taken_up(db_url):
    url = db_url("schema")
    held = _HeldBack.open(url, DEFAULT_UNION)
    held.let = threading.Event()  # never set: the record is not held while these are asked
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(url, DEFAULT_UNION, held)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    try:
        for _ in range(600):
            if server.started:
                break
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        schema = httpx.get(f"{base}/schema/openapi.json", timeout=30)
        assert schema.status_code == 200 and "/api/timeline" in schema.json()["paths"]
        assert httpx.get(f"{base}/schema/swagger", timeout=30).status_code == 200
        assert httpx.get(f"{base}/static/favicon.svg", timeout=30).status_code == 200
        assert httpx.get(f"{base}/favicon.ico", timeout=30).status_code == 301
        assert not app.state.hub.started  # all of it answered before the record was held
    finally:
        held.let.set()
        server.should_exit = True
        serving.join(60)


# A server whose start is held back as ``_HeldBack`` holds it, run as ``entente serve`` runs one: in a process of
# its own, which the operating system's signals stop.
_HELD_SERVER = """
import sys, threading, uvicorn
from entente.secretariat.service import Secretariat
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

class HeldBack(Secretariat):
    def begin(self):
        threading.Event().wait(600)
        super().begin()

url, port = sys.argv[1], int(sys.argv[2])
uvicorn.run(create_app(url, DEFAULT_UNION, HeldBack.open(url, DEFAULT_UNION)), host="127.0.0.1", port=port,
            log_level="warning")
"""


def test_a_server_stopped_while_it_takes_up_its_record_stops_at_once_and_says_so_to_who_waits(db_url):
    url = db_url("stopped")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", _HELD_SERVER, url, str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(base, server)
        waiting: dict[str, httpx.Response] = {}
        asked = threading.Thread(target=lambda: waiting.update(
            answer=httpx.get(f"{base}/api/timeline?limit=5", timeout=60)), daemon=True)
        asked.start()
        time.sleep(1)
        assert not waiting  # the read waits for the record
        began = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        assert time.monotonic() - began < 5  # not held up by the record's reading
        asked.join(30)
        assert waiting["answer"].status_code == 503
        assert "stopping" in waiting["answer"].json()["error"]
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate()  # its pipes closed, whether it ended or was ended
