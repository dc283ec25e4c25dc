"""A server answers while it takes up its record: what needs no record at once, a read the last server answered
on the same record from what it kept, and every other read once the record is held; each as a server that held
the record before answering gives it, for every viewer."""

from __future__ import annotations

import asyncio
import socket
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

