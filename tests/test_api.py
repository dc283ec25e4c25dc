"""The HTTP API, in process (Litestar's TestClient) on a fresh store, for the Baltic Entente and the consortium."""

from __future__ import annotations

import re
from datetime import date

import pytest
from litestar.testing import TestClient

from entente.api import reading
from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import KINDS

from .conftest import CONSORTIUM, CONSORTIUM_EVENTS


@pytest.fixture
def baltic_api(api):
    return api(DEFAULT_UNION)


@pytest.fixture
def consortium_api(api):
    return api(CONSORTIUM)


def _tag(response) -> str:
    return response.headers["etag"].strip('"')


@pytest.mark.parametrize(("union", "day", "events", "a_conference"), [
    (DEFAULT_UNION, "1938-01-01", None, "conference-1934-11-tallinn"),
    (CONSORTIUM, "2022-01-01", CONSORTIUM_EVENTS, "assembly-2020"),
])
def test_every_read_endpoint_answers_plain_json_tagged_with_the_viewers_view(api, union, day, events, a_conference):
    client, issue = api(union)
    secretariat = issue("secretariat")
    timeline = client.get("/api/timeline", headers=secretariat)
    assert timeline.status_code == 200
    rows = timeline.json()
    assert events is None or len(rows) == events
    assert set(rows[0]) >= {"id", "kind", "date", "start", "end", "summary", "classification", "source"}

    conferences = client.get("/api/conferences").json()
    assert a_conference in [c["id"] for c in conferences]
    assert set(conferences[0]) >= {"id", "number", "host", "place", "start", "end", "participants"}

    state = client.get("/api/state", params={"at": day}).json()
    assert state["at"] == day and state["instruments"]
    assert set(state["instruments"][0]) >= {"id", "status", "parties", "in_force", "ended"}

    findings = client.get("/api/compliance", params={"at": day}).json()
    assert findings and {f["status"] for f in findings} <= {"met", "breach", "pending", "not_applicable"}
    assert set(findings[0]) >= {"rule", "instrument", "article", "status", "detail"}
    assert client.get("/api/compliance").status_code == 200  # default: the record's last day

    due = client.get("/api/due", params={"at": day})
    assert due.status_code == 200 and all({"instrument", "article", "detail"} <= set(d) for d in due.json())

    one = client.get(f"/api/events/{a_conference}")
    assert one.json()["kind"] == "conference_held" and one.json()["id"] == a_conference

    # Every read by one viewer carries the tag of that viewer's view; the public's view is a smaller one.
    public_tag = _tag(client.get("/api/timeline"))
    assert public_tag != _tag(timeline)
    for path in ("/api/timeline", "/api/conferences", f"/api/state?at={day}", "/api/compliance", f"/api/due?at={day}",
                 f"/api/events/{a_conference}"):
        # A read of today (no day asked, the union in force) adds the day to the tag: the view's tag is the same.
        assert _tag(client.get(path)).partition("-")[0] == public_tag, path
        assert _tag(client.get(path, headers=secretariat)).partition("-")[0] == _tag(timeline), path

    links = client.get("/").json()["links"]
    assert links["conferences"] == "/api/conferences" and set(links["record"]) == set(KINDS)
    assert client.get("/api/state", params={"at": "1938-13-01"}).json() == {
        "error": '"1938-13-01" is not a date this reads: no such day or month'}


def _numbers(client: TestClient, headers: dict[str, str] | None = None) -> list[int]:
    return [c["number"] for c in client.get("/api/conferences", headers=headers or {}).json() if c["number"]]


def test_the_conferences_are_public_and_what_was_said_in_confidence_shows_only_to_the_parties(baltic_api):
    client, issue = baltic_api
    for headers in ({}, issue("FI"), issue("LV"), issue("secretariat")):
        assert _numbers(client, headers) == list(range(1, 12))
    # The exchange on the Soviet military talks at the 11th conference is the parties' only, and so is
    # everything derived from it: no finding cites it to the public.
    for path in ("/api/timeline", "/api/compliance?at=1940-06-30"):
        assert "soviet-military-talks-1940" not in client.get(path).text, path
        assert "soviet-military-talks-1940" not in client.get(path, headers=issue("FI")).text, path
        assert "soviet-military-talks-1940" in client.get(path, headers=issue("LV")).text, path


def test_unknown_forged_revoked_and_malformed_tokens_get_the_same_401(baltic_api, db_url):
    client, issue = baltic_api
    good = issue("LV")["Authorization"].removeprefix("Bearer ")
    token_id = good.split(".")[0]
    store = open_store(db_url("baltic_entente"))
    revoked_id, revoked = tokens.create(store, Viewer.parse("EE"), "to revoke")
    assert tokens.revoke(store, revoked_id) and not tokens.revoke(store, revoked_id)
    listed = {t["id"]: t for t in tokens.list_tokens(store)}
    store.close()
    assert listed[revoked_id]["revoked"] and set(listed[token_id]) == {"id", "viewer", "label", "created", "expires",
                                                                              "revoked"}

    assert client.get("/api/conferences", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    answers = [client.get("/api/conferences", headers={"Authorization": value}) for value in (
        f"Bearer {token_id}.{'A' * 43}",  # the right id, a forged secret
        f"Bearer {good[:-1]}{'B' if good[-1] != 'B' else 'C'}",  # one character off
        f"Bearer {revoked}",
        "Bearer 0123456789abcdef.nothing",
        "Bearer nonsense",
        f"Basic {good}",
        "",
    )]
    assert {(a.status_code, a.content) for a in answers} == {(401, b'{"error":"invalid token"}')}
    assert client.post("/api/events/position_stated", headers={"Authorization": f"Bearer {revoked}"},
                       json={"date": "1935-01-01", "question": "q", "party": "EE"}).status_code == 401


def test_a_classified_event_is_answered_exactly_as_a_missing_one(baltic_api):
    client, issue = baltic_api
    hidden = client.get("/api/events/strike-point-3-1939-proposed")
    missing = client.get("/api/events/strike-point-3-1939-nowhere")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content == b'{"error":"not found"}'
    assert dict(hidden.headers) | {"date": ""} == dict(missing.headers) | {"date": ""}
    assert client.get("/api/events/strike-point-3-1939-proposed", headers=issue("LT")).status_code == 200
    # The audit trail is no page at all to anyone but the secretariat.
    nowhere = client.get("/api/no-such-page")
    for headers in ({}, issue("LV")):
        audit = client.get("/api/audit", headers=headers)
        assert (audit.status_code, audit.content) == (nowhere.status_code, nowhere.content) == (404, missing.content)


POSITION = {"date": "2021-07-01", "question": "data-policy", "party": "HAM", "stance": "support"}


def test_a_retry_with_the_same_key_records_once_and_answers_the_same(consortium_api):
    client, issue = consortium_api
    ham = issue("HAM")
    first = client.post("/api/events/position_stated", json=POSITION, headers={**ham, "Idempotency-Key": "k-1"})
    again = client.post("/api/events/position_stated", json=POSITION, headers={**ham, "Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    body = first.json()
    assert set(body) == {"event", "tag", "findings", "checkpoint"} and body["tag"] == _tag(first)
    assert body["checkpoint"] == client.get("/api/checkpoint", headers=ham).json()  # the writer's log, with the entry
    assert re.fullmatch(r"ham\.position-stated-[0-9a-f]{12}", body["event"]["id"])  # named by the server
    timeline = client.get("/api/timeline", headers=issue("secretariat")).json()
    assert [r["kind"] for r in timeline].count("position_stated") == 2  # GDA's and this one, once

    # Keys are the writer's own: the same key from another delegation is another write.
    tar = client.post("/api/events/position_stated", json={**POSITION, "party": "TAR"},
                      headers={**issue("TAR"), "Idempotency-Key": "k-1"})
    assert tar.status_code == 201 and tar.json()["event"]["party"] == "TAR"
    assert tar.json()["event"]["id"] != body["event"]["id"]


def test_if_match_refuses_a_stale_view_and_a_retry_with_the_new_tag_succeeds(consortium_api):
    client, issue = consortium_api
    secretariat = issue("secretariat")
    seen = _tag(client.get("/api/conferences", headers=secretariat))
    client.post("/api/events/position_stated", json=POSITION, headers=secretariat)  # someone else writes first
    stale = client.post("/api/events/position_stated", json={**POSITION, "party": "RIG"},
                        headers={**secretariat, "If-Match": f'"{seen}"'})
    assert stale.status_code == 409
    assert stale.json() == {"error": "the record has changed since you read it: read it again and retry"}
    fresh = _tag(client.get("/api/timeline", headers=secretariat))
    retry = client.post("/api/events/position_stated", json={**POSITION, "party": "RIG"},
                        headers={**secretariat, "If-Match": fresh})
    assert retry.status_code == 201 and retry.json()["tag"] == _tag(retry) != fresh
    bad = client.post("/api/events/position_stated", json=POSITION, headers={**secretariat, "If-Match": "soon"})
    assert bad.status_code == 400 and "If-Match" in bad.json()["error"]


def test_the_tag_does_not_move_for_a_write_the_viewer_cannot_see(consortium_api):
    # A count or position would tell TAR that GDA recorded something; the tag of TAR's own view does not.
    client, issue = consortium_api
    tartu = issue("TAR")
    before = client.get("/api/timeline", headers=tartu)
    secret = {**POSITION, "party": "GDA", "date": "2021-06-30", "classification": {"parties": ["GDA"]}}
    assert client.post("/api/events/position_stated", json=secret, headers=issue("GDA")).status_code == 201
    after = client.get("/api/timeline", headers=tartu)
    assert (_tag(after), after.content) == (_tag(before), before.content)
    # ...and TAR's write conditioned on its unchanged view goes through.
    mine = client.post("/api/events/position_stated", json={**POSITION, "party": "TAR"},
                       headers={**tartu, "If-Match": _tag(before)})
    assert mine.status_code == 201


def test_a_refused_write_names_the_field_and_records_nothing(consortium_api):
    client, issue = consortium_api
    secretariat = issue("secretariat")
    before = client.get("/api/timeline", headers=secretariat)
    refused = client.post("/api/events/position_stated", json={**POSITION, "question": "budget"}, headers=secretariat)
    assert refused.status_code == 422
    assert refused.json() == {"error": "refused", "problems": [{
        "field": "question", "message": "no question 'budget' has been raised",
        "rule": None, "instrument": None, "article": None}]}
    no_date = client.post("/api/events/conference_held", json={"host": "HAM"}, headers=secretariat)
    assert no_date.status_code == 422 and no_date.json()["problems"][0]["field"] == "date"
    unknown = client.post("/api/events/conference_held", json={"date": "2024-01-01", "host": "ZZZ"},
                          headers=secretariat)
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "host"
    after = client.get("/api/timeline", headers=secretariat)
    assert _tag(after) == _tag(before) and after.content == before.content


def test_a_party_writing_for_another_is_forbidden_and_audited_for_the_secretariat_only(consortium_api):
    client, issue = consortium_api
    tartu, secretariat = issue("TAR"), issue("secretariat")
    forbidden = client.post("/api/events/position_stated", json={**POSITION, "id": "ham-by-tar"}, headers=tartu)
    assert forbidden.status_code == 403
    assert forbidden.json()["problems"][0]["message"] == "TAR may not record an act of HAM (party)"
    assert client.post("/api/events/position_stated", json=POSITION).status_code == 403  # the public writes nothing
    audit = client.get("/api/audit", headers=secretariat)
    assert audit.status_code == 200
    assert ("TAR", "refused", "tar.ham-by-tar") in [(a["viewer"], a["action"], a["event_id"]) for a in audit.json()]
    assert client.get("/api/audit", headers=tartu).status_code == 404
    assert client.get("/api/events/tar.ham-by-tar", headers=secretariat).status_code == 404  # nothing recorded


def test_the_openapi_document_has_a_post_path_with_a_body_for_every_kind(consortium_api):
    client, _ = consortium_api
    doc = client.get("/schema/openapi.json").json()
    for kind, cls in KINDS.items():
        post = doc["paths"][f"/api/events/{kind}"]["post"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(cls.__struct_fields__) <= set(schema["properties"]), kind
        assert "id" not in schema.get("required", []) and "date" in schema["required"]
        assert {"201", "403", "409", "422"} <= set(post["responses"])
    assert {"/api/timeline", "/api/conferences", "/api/state", "/api/compliance", "/api/due",
            "/api/events/{event_id}", "/api/audit"} <= set(doc["paths"])


def test_reads_and_writes_on_either_back_end(store_url, api):
    """The same reads and writes on SQLite and on PostgreSQL (the store outlives the app, as in use)."""
    client, issue = api(CONSORTIUM, store_url)
    ham = issue("HAM")
    assert len(client.get("/api/conferences").json()) == 3
    written = client.post("/api/events/position_stated", json=POSITION, headers=ham)
    assert written.status_code == 201
    assert _tag(client.get("/api/conferences", headers=ham)) == written.json()["tag"]


def test_a_view_of_today_is_computed_again_the_next_day(consortium_api, monkeypatch):
    """The consortium is in force: a read with no day is of today, so the next day it is not yesterday's."""
    client, issue = consortium_api
    today = [date(2026, 6, 1)]

    class Clock(date):
        @classmethod
        def today(cls) -> date:
            return today[0]

    monkeypatch.setattr(reading, "date", Clock)
    first = client.get("/api/state")
    assert first.json()["at"] == "2026-06-01"
    assert client.get("/api/state", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    timeline = client.get("/api/timeline").headers["etag"]
    today[0] = date(2026, 6, 2)
    later = client.get("/api/state", headers={"If-None-Match": first.headers["etag"]})
    assert later.status_code == 200 and later.json()["at"] == "2026-06-02"
    assert client.get("/api/timeline", headers={"If-None-Match": timeline}).status_code == 304  # no day in it
    # A write may name the record by the tag of a read of today.
    tag = client.get("/api/state", headers=issue("HAM")).headers["etag"]
    written = client.post("/api/events/position_stated", json=POSITION, headers={**issue("HAM"), "If-Match": tag})
    assert written.status_code == 201, written.text


def test_the_timeline_comes_in_pages_that_make_up_the_whole(api):
    client, issue = api(DEFAULT_UNION)
    for headers in ({}, issue("LT")):  # the public's and Lithuania's own timelines
        whole = client.get("/api/timeline", headers=headers).json()
        pages = [client.get("/api/timeline", params={"offset": o, "limit": 7}, headers=headers).json()
                 for o in range(0, len(whole) + 7, 7)]
        assert all(len(p) == 7 for p in pages[:-2]) and len(pages[-2]) <= 7 and pages[-1] == []
        assert [row for p in pages for row in p] == whole
    assert client.get("/api/timeline", params={"limit": 0}).status_code == 400


def test_every_read_takes_the_record_as_it_stood_at_a_record_time(consortium_api):
    client, _ = consortium_api
    now = client.get("/api/timeline").json()
    assert now and client.get("/api/timeline", params={"known_at": "2000-01-01"}).json() == []
    recorded = max(r["recorded"] for r in now)
    assert client.get("/api/timeline", params={"known_at": recorded}).json() == now
    bad = client.get("/api/conferences", params={"known_at": "soon"})
    assert bad.status_code == 400 and "not a day" in bad.json()["error"]


def test_an_entry_retracted_later_shows_in_the_record_as_it_stood_before_under_its_last_classification(
        consortium_api):
    client, issue = consortium_api
    secretariat, ham, gda = issue("secretariat"), issue("HAM"), issue("GDA")

    def write(kind: str, body: dict) -> dict:
        answer = client.post(f"/api/events/{kind}", headers=secretariat, json={"date": "2021-08-01", **body})
        assert answer.status_code == 201, answer.text
        return answer.json()["event"]

    def ids(headers: dict, known_at: str | None = None) -> set[str]:
        params = {"known_at": known_at} if known_at else {}
        return {row["id"] for row in client.get("/api/timeline", headers=headers, params=params).json()}

    said = write("outside_event", {"id": "a-mistaken-note", "category": "note", "title": {"en": "A note"},
                                   "classification": {"parties": ["HAM", "GDA"]}})
    write("classification_amended", {"id": "a-note-for-gdansk", "target": "a-mistaken-note",
                                      "to": {"parties": ["GDA"]}, "classification": {"parties": ["GDA"]}})
    write("entry_retracted", {"id": "the-note-withdrawn", "target": "a-mistaken-note", "reason": "recorded twice",
                              "classification": {"parties": ["GDA"]},
                              "source": {"document": "minutes", "quote": "recorded twice"}})
    assert "a-mistaken-note" not in ids(gda) | ids(secretariat)
    assert "a-mistaken-note" in ids(gda, said["recorded"]) & ids(secretariat, said["recorded"])
    # Hamburg could see the note when it was recorded, but not as it was classified when withdrawn.
    assert "a-mistaken-note" not in ids(ham, said["recorded"])
    assert "a-mistaken-note" not in ids({}, said["recorded"])


def test_a_read_whose_view_has_not_changed_is_answered_304(consortium_api):
    client, issue = consortium_api
    ham = issue("HAM")
    first = client.get("/api/timeline", headers=ham)
    etag = first.headers["etag"]
    again = client.get("/api/timeline", headers={**ham, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""
    # Gdańsk sees an entry Hamburg does not: its view has a tag of its own.
    assert client.get("/api/timeline", headers={**issue("GDA"), "If-None-Match": etag}).status_code == 200
    written = client.post("/api/events/position_stated", json=POSITION, headers=ham).json()
    changed = client.get("/api/timeline", headers={**ham, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] == f'"{written["tag"]}"'
    assert written["event"]["id"] in [row["id"] for row in changed.json()]
