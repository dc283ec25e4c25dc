"""A whole history of a three-party union, written over the HTTP API, then judged by its treaty.

It runs twice: on the app in process, and on ``entente serve`` over a real socket.

The union exists only as files (tests/unions/triad): three states, an empty
record, and a pact with yearly conferences hosted in a fixed order,
consultation and mutual assistance.  Each delegation writes its own acts with
its own token; the secretariat writes the rest.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from litestar.testing import TestClient

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.server import create_app

from .conftest import TESTS, StoreAt
from .test_serve import _entente, _free_port, _wait_for

TRIAD = TESTS / "unions" / "triad"


@contextmanager
def _served(db: str) -> Iterator[httpx.Client]:
    """``entente serve`` as a real process on a free port, and a client talking to it over the socket."""
    port = _free_port()
    server = subprocess.Popen(_entente(db, "--union", str(TRIAD), "serve", "--port", str(port)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}", server)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.terminate()
        server.communicate(timeout=10)


@pytest.fixture(params=["in_process", "socket"])
def triad(request: pytest.FixtureRequest, db_url: StoreAt):
    db = db_url("triad")
    opened = TestClient(create_app(db, TRIAD)) if request.param == "in_process" else _served(db)
    with opened as client:
        store = open_store(db)
        headers = {who: {"Authorization": f"Bearer {tokens.create(store, Viewer.parse(who), who)[1]}"}
                   for who in ("secretariat", "AA", "BB", "CC")}
        store.close()

        def write(who: str, kind: str, **body):
            response = client.post(f"/api/events/{kind}", json=body, headers=headers[who])
            assert response.status_code == 201, response.text
            return response.json()

        yield client, headers, write


def _by_rule(findings: list[dict]) -> dict[str, list[tuple[str, str]]]:
    rules: dict[str, list[tuple[str, str]]] = {}
    for f in findings:
        rules.setdefault(f["rule"], []).append((f["status"], f["detail"]))
    return rules


def test_two_years_of_the_triad_pact(triad):
    client, headers, write = triad
    assert client.get("/api/timeline").json() == []

    write("secretariat", "instrument_signed", id="pact-signed", date="2020-01-10", instrument="pact",
          title={"en": "Triad Pact"}, parties=["AA", "BB", "CC"])
    write("secretariat", "instrument_entered_into_force", date="2020-02-01", instrument="pact")
    for number, (day, host) in enumerate([("2020-05-04", "AA"), ("2020-11-09", "BB"), ("2021-04-12", "CC"),
                                          ("2021-10-18", "AA")], start=1):
        write("secretariat", "conference_held", id=f"conference-{number}", date=day, number=number,
              instrument="pact", host=host)

    write("AA", "question_raised", id="harbour-raised", date="2021-04-12", actor="AA", question="harbour",
          instrument="pact", subject="shipping", title={"en": "A common harbour authority"})
    for party, stance in (("AA", "support"), ("BB", "support"), ("CC", "oppose")):
        write(party, "position_stated", date="2021-05-01", question="harbour", party=party, stance=stance)

    write("BB", "assistance_requested", id="flood-request", date="2021-06-01", request="flood", instrument="pact",
          requester="BB", addressees=["AA", "CC"], subject="floods", title={"en": "Help against the floods"})
    write("AA", "assistance_responded", date="2021-06-05", request="flood", party="AA", response="given")
    refused = write("CC", "assistance_responded", id="cc-refuses", date="2021-06-07", request="flood", party="CC",
                    response="refused")
    # The refusal is recorded, and the answer to the write already says it is a breach.
    assert [(f["rule"], f["status"]) for f in refused["findings"]] == [("mutual_assistance", "breach")]

    write("CC", "instrument_terminated", id="cc-denounces", date="2022-03-01", instrument="pact", party="CC",
          mode="denounced")

    state = client.get("/api/state", params={"at": "2022-06-01"}).json()
    (pact,) = state["instruments"]
    assert (pact["id"], pact["status"], pact["parties"], pact["withdrawn"]) == (
        "pact", "in_force", ["AA", "BB"], ["CC"])
    assert state["conferences_held"] == 4

    findings = _by_rule(client.get("/api/compliance", params={"at": "2022-06-01"}).json())
    assert [s for s, _ in findings["host_rotation"]] == ["met"] * 4
    assert [(s, d.split(":")[0]) for s, d in findings["periodic_meetings"]] == [
        ("met", "2020"), ("met", "2021"), ("pending", "2022")]
    assert [s for s, _ in findings["consultation"]] == ["met"]
    (assistance,) = findings["mutual_assistance"]
    assert assistance[0] == "breach" and assistance[1].endswith("CC refused")

    # CC is no longer bound: it has no position to state on a new question, and is not due to host.
    write("AA", "question_raised", id="tolls-raised", date="2022-04-01", actor="AA", question="tolls",
          instrument="pact", subject="trade", title={"en": "Tolls"})
    late = client.post("/api/events/position_stated", headers=headers["CC"],
                       json={"date": "2022-04-02", "question": "tolls", "party": "CC", "stance": "oppose"})
    assert late.status_code == 422 and late.json()["problems"][0]["field"] == "party"
    assert "CC is not bound by pact" in late.json()["problems"][0]["message"]
    due = client.get("/api/due", params={"at": "2022-06-01"}).json()
    assert next(d for d in due if d["rule"] == "host_rotation")["parties"] == ["BB"]

    # Every delegation and the public see the whole of this public record alike, each read from its own log
    # (whose entries are the same: one size and root, under each viewer's name).
    public = client.get("/api/timeline").json()
    for viewer, h in headers.items():
        rows = client.get("/api/timeline", headers=h).json()
        assert [{**r, "record_version": None} for r in rows] == [{**r, "record_version": None} for r in public]
        assert {r["record_version"] for r in rows} == {public[0]["record_version"].replace("/public ", f"/{viewer} ")}
