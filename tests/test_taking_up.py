"""A server answers while it takes up its record: what needs no record at once, and every read of the record
or the logs once they are held, as a server that held them before answering gives it, for every viewer."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from litestar.testing import TestClient

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

VIEWERS = ["public", "LV", "EE", "secretariat"]
READS = ["/api/timeline", "/api/conferences", "/api/state", "/api/state?at=1937-06-30", "/api/due", "/api/next",
         "/api/compliance", "/api/treaties", "/api/search?q=Vilnius", "/api/checkpoint",
         "/api/events/declaration-1934-signed", "/calendar.ics"]


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


def test_reads_sent_while_a_server_takes_up_its_record_wait_for_it_and_get_the_answers_of_a_started_one(db_url):
    url = db_url("restarted")
    headers = {viewer: _headers(url, viewer) for viewer in VIEWERS}
    # A first server, which keeps the snapshot and the logs a restart takes up.
    with TestClient(create_app(url, DEFAULT_UNION, Secretariat.open(url, DEFAULT_UNION, snapshot_every=1))) as first:
        expected = {(viewer, path): first.get(path, headers=headers[viewer]) for viewer in VIEWERS for path in READS}
    assert {r.status_code for r in expected.values()} == {200, 404}  # the public cannot see the signature
    assert expected[("public", "/api/events/declaration-1934-signed")].status_code == 404
    assert expected[("LV", "/api/events/declaration-1934-signed")].status_code == 200

    held = _HeldBack.open(url, DEFAULT_UNION)
    held.let = threading.Event()
    with TestClient(create_app(url, DEFAULT_UNION, held)) as restarted, ThreadPoolExecutor(8) as pool:
        assert restarted.get("/").json()["union"] == "baltic-entente"  # no record needed: answered at once
        sent = {key: pool.submit(restarted.get, key[1], headers=headers[key[0]]) for key in expected}
        time.sleep(0.5)
        assert not [key for key, answer in sent.items() if answer.done()]  # none answered from no record
        held.let.set()
        answered = {key: answer.result(timeout=120) for key, answer in sent.items()}
    for key, answer in answered.items():
        assert (answer.status_code, answer.content) == (expected[key].status_code, expected[key].content), key
        assert answer.headers.get("etag") == expected[key].headers.get("etag"), key
