"""What the API does with inputs no honest client sends: each gets a 4xx naming the problem, or an answer.

Hand-made cases for what a generator of requests from the OpenAPI document
never produces: deep nesting, bodies of megabytes, control characters, days
the calendar lacks, days at its far end, paths that climb, floods of bad tokens.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.views import reports
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION

DATED = ["/api/state", "/api/compliance", "/api/due", "/api/next", "/api/parties/LV", "/calendar.ics"]


@pytest.fixture
def baltic_api(api):
    return api(DEFAULT_UNION)


def _post(client, kind: str, body: object, headers: dict[str, str] | None = None):
    return client.post(f"/api/events/{kind}", content=body if isinstance(body, bytes) else json.dumps(body),
                       headers={"Content-Type": "application/json", **(headers or {})})


def _problems(response) -> list[tuple[str, str]]:
    return [(p["field"], p["message"]) for p in response.json()["problems"]]


def test_deeply_nested_json_is_refused_before_any_token_is_read(baltic_api):
    client, _ = baltic_api
    deep = b"[" * 100_000 + b"]" * 100_000
    for headers in ({}, {"Authorization": "Bearer forged.token"}):
        response = _post(client, "outside_event", deep, headers)
        assert (response.status_code, response.json()) == (400, {"error": "the body nests too deeply to be an entry"})


def test_a_body_too_large_is_refused_and_a_field_too_long_is_named(baltic_api):
    client, issue = baltic_api
    secretariat = issue("secretariat")
    event = {"date": "1939-11-01", "category": "press", "title": {"en": "A note"}}
    assert _post(client, "outside_event", {**event, "note": "x" * 30_000_000}, secretariat).status_code == 413
    long = _post(client, "outside_event", {**event, "note": "x" * 100_000}, secretariat)
    assert long.status_code == 422 and _problems(long)[0][0] == "note" and "at most 20,000" in _problems(long)[0][1]
    assert _post(client, "outside_event", {**event, "id": "a" * 201}, secretariat).status_code == 422


def test_control_characters_are_refused_naming_the_field(baltic_api):
    client, issue = baltic_api
    body = {"date": "1939-11-01", "category": "press", "title": {"en": "A\u0007 bell"}}
    response = _post(client, "outside_event", body, issue("secretariat"))
    assert response.status_code == 422 and _problems(response) == [
        ("title.en", "holds the control character U+0007, which no entry may hold")]
    lines = _post(client, "outside_event", {**body, "title": {"en": "Two\nlines\tand a tab"}}, issue("secretariat"))
    assert lines.status_code == 201, lines.text


def test_a_refused_anonymous_write_keeps_bounded_text_in_the_audit(baltic_api, db_url):
    client, _ = baltic_api
    body = {"date": "1939-11-01", "category": "press", "title": {"en": "x"}}
    for sent in ({**body, "id": "a" * 200}, {**body, "id": "a" * 200_000}):
        assert _post(client, "outside_event", sent).status_code in (403, 413, 422)
    store = open_store(db_url("baltic_entente"))
    trail = store.audit_trail()
    store.close()
    assert [r["viewer"] for r in trail] == ["public"] and len(json.dumps(trail)) < 3_000


def test_days_the_calendar_lacks_and_days_at_its_far_end(baltic_api):
    client, issue = baltic_api
    for path in DATED:
        wrong = client.get(f"{path}?at=1939-02-29")
        assert (wrong.status_code, wrong.json()) == (
            400, {"error": '"1939-02-29" is not a date this reads: no such day or month'})
        assert client.get(f"{path}?at=9999-12-31").status_code == 200, path
    written = _post(client, "outside_event", {"date": "1939-02-29", "category": "x", "title": {"en": "t"}},
                    issue("secretariat"))
    assert written.status_code == 422 and _problems(written)[0] == (
        "date", '"1939-02-29" is not an EDTF date: 1939-02-29 is not a day of the calendar')
    with pytest.raises(dates.DateError):
        dates.bounds("1939-02-29/1939-03-02")


def test_paths_that_climb_are_not_found(baltic_api):
    client, _ = baltic_api
    for path in ("/api/events/..%2F..", "/api/parties/..%2F..%2Fetc", "/api/events/%2E%2E"):
        assert client.get(path).status_code == 404, path


def test_every_500_is_logged_with_its_cause_and_tells_the_caller_nothing(baltic_api, monkeypatch, caplog):
    client, _ = baltic_api

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(reports, "timeline", broken)
    with caplog.at_level(logging.ERROR, logger="entente.api"):
        response = client.get("/api/timeline")
    assert response.status_code == 500 and "fire" not in response.text
    assert any("GET /api/timeline" in r.getMessage() and r.exc_info and "the disk is on fire" in str(r.exc_info[1])
               for r in caplog.records)


def test_a_token_presented_with_wrong_secrets_is_held_off_in_every_process_and_no_other_token_is(
        store_url, api, monkeypatch):
    client, issue = api(DEFAULT_UNION, store_url)
    good, other = issue("LV"), issue("EE")
    now = [1000.0]
    monkeypatch.setattr(tokens, "clock", lambda: now[0])
    prefix = good["Authorization"].removeprefix("Bearer ").partition(".")[0]
    bad = {"Authorization": f"Bearer {prefix}.forged"}
    answers = [client.get("/api/conferences", headers=bad).status_code for _ in range(tokens.FREE)]
    assert answers == [401] * tokens.FREE
    locked = client.get("/api/conferences", headers=good)  # while it waits even its right secret is not looked at
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert "too many failed sign-ins with this token" in locked.text
    # Another token from the same address, a token of an unknown id, and the public are not held up.
    assert client.get("/api/conferences", headers=other).status_code == 200
    assert client.get("/api/conferences", headers={"Authorization": "Bearer 0123456789abcdef.x"}).status_code == 401
    assert client.get("/api/conferences").status_code == 200
    # The count is kept in the store: a second server process on it holds the token off too.
    second, _ = api(DEFAULT_UNION, store_url)
    assert second.get("/api/conferences", headers=good).status_code == 429
    # So is signing in to the pages with it.
    assert second.post("/session", data={"token": good["Authorization"].removeprefix("Bearer ")},
                       headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False).status_code == 429
    now[0] += 1.5
    assert client.get("/api/conferences", headers=bad).status_code == 401
    assert int(client.get("/api/conferences", headers=good).headers["Retry-After"]) == 2  # the wait doubled
    now[0] += 2.5
    assert client.get("/api/conferences", headers=good).status_code == 200
    # The right secret cleared the count: one more wrong one is not held off.
    assert client.get("/api/conferences", headers=bad).status_code == 401
    assert client.get("/api/conferences", headers=good).status_code == 200


def test_wrong_secrets_spread_over_many_tokens_of_one_viewer_hold_off_that_viewer_alone(store_url, api, monkeypatch):
    client, issue = api(DEFAULT_UNION, store_url)
    now = [1000.0]
    monkeypatch.setattr(tokens, "clock", lambda: now[0])
    # Each token stays under its own limit, but together they pass the account's.
    per_token = tokens.FREE - 1
    spares = [issue("LV") for _ in range(tokens.ACCOUNT_FREE // per_token + 1)]
    good, other = issue("LV"), issue("EE")
    failed = 0
    for spare in spares:
        prefix = spare["Authorization"].removeprefix("Bearer ").partition(".")[0]
        for _ in range(min(per_token, tokens.ACCOUNT_FREE - failed)):
            assert client.get("/api/conferences", headers={"Authorization": f"Bearer {prefix}.forged"}
                              ).status_code == 401
            failed += 1
    assert failed == tokens.ACCOUNT_FREE
    held = client.get("/api/conferences", headers=good)  # a token never guessed at: its viewer's
    assert held.status_code == 429 and "too many failed sign-ins with the tokens of this viewer" in held.text
    assert int(held.headers["Retry-After"]) >= 1
    assert client.get("/api/conferences", headers=other).status_code == 200  # another viewer is not held up
    now[0] += 1.5
    assert client.get("/api/conferences", headers=good).status_code == 200  # the wait is over; the count cleared
    prefix = spares[0]["Authorization"].removeprefix("Bearer ").partition(".")[0]
    assert client.get("/api/conferences", headers={"Authorization": f"Bearer {prefix}.forged"}).status_code == 401
    assert client.get("/api/conferences", headers=good).status_code == 200


def test_a_token_past_its_expiry_gets_401(baltic_api, db_url):
    client, _ = baltic_api
    store = open_store(db_url("baltic_entente"))
    _, expired = tokens.create(store, Viewer.parse("LV"), "expired", dates.check_moment("2000-01-01"))
    _, lasting = tokens.create(store, Viewer.parse("LV"), "lasting", dates.check_moment("2999-01-01"))
    store.close()
    assert client.get("/api/conferences", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    assert client.get("/api/conferences", headers={"Authorization": f"Bearer {lasting}"}).status_code == 200


def test_token_create_takes_the_party_with_for_and_an_expiry(db_url):
    db = db_url("t")
    created = CliRunner().invoke(main, ["--db", db, "token", "create", "--for", "LV", "--expires", "2030-01-31"])
    assert created.exit_code == 0 and "for LV, until 2030-01-31T23:59:59" in created.output, created.output
    listed = json.loads(CliRunner().invoke(main, ["--db", db, "token", "list", "--json"]).output)
    assert listed[0]["expires"].startswith("2030-01-31T23:59:59")
    old = CliRunner().invoke(main, ["--db", db, "token", "create", "--as", "LV"])
    assert old.exit_code == 2 and "Missing option '--for'" in old.output  # --as is the viewer, wherever written
    bad = CliRunner().invoke(main, ["--db", db, "token", "create", "--for", "LV", "--expires", "soon"])
    assert bad.exit_code != 0 and '"soon" is not a day' in bad.output


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path):  # SQLite only: a file's modes
    path = tmp_path / "private.db"
    store = open_store(str(path))
    tokens.create(store, Viewer.parse("LV"))  # writes, so the -wal and -shm files exist
    for name in ("private.db", "private.db-wal", "private.db-shm"):
        mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
        assert mode & 0o077 == 0, f"{name} is {oct(mode)}"
    store.close()


def test_a_store_or_union_folder_that_is_a_climbing_path_gets_one_line(tmp_path):  # SQLite only: a path
    entente = str(Path(sys.executable).parent / "entente")
    # The documented exit codes: 4 for a store that cannot be used, 2 for a folder given that is not a union's.
    for args, code in ((["--db", "../.."], 4), (["--db", str(tmp_path / "r.db"), "--union", "../.."], 2)):
        done = subprocess.run([entente, *args, "timeline"], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == code and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("Error: ") and "../.." in done.stderr and len(done.stderr.splitlines()) == 1


def test_a_deeply_nested_file_given_to_record_gets_one_line(tmp_path, db_url):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", db_url("r"), "record", "outside_event", "--file", str(deep)])
    assert result.exit_code == 2 and "nests too deeply to be an entry" in result.output
