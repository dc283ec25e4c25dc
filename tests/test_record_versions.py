"""Every read names the version of the record it was read from: the reader's own log as signed
(``entente/<union>/<viewer> <size> <root>``), the same string a checkpoint of that log gives, in each row of a
list, once in an object, in the ``Entente-Record-Version`` header and in the calendar.  A write the reader sees
moves it on; a write hidden from the reader leaves it, and the reader's cached answers, as they were."""

from __future__ import annotations

import json
from typing import Any

import icalendar
from click.testing import CliRunner

from entente.cli import main
from entente.vocabulary.definition import DEFAULT_UNION
from entente.whatif.shelf import digest

# Latvia's position, visible to the parties of the 1934 treaty and the secretariat, not to the public.
POSITION = {"date": "1939-12-08", "question": "baltic-cooperation-1939", "party": "LV", "stance": "support",
            "classification": {"instrument": "entente-1934"}}
# A public entry, recorded by the secretariat.
NOTED = {"id": "press-note-1938", "date": "1938-03-17", "category": "press", "title": {"en": "A press note"}}
DAY = "1939-12-31"
# Every read of the record's views as JSON: (path, whether it answers rows).
JSON_READS = [("/api/timeline", True), ("/api/conferences", True), (f"/api/state?at={DAY}", False),
              (f"/api/compliance?at={DAY}", True), ("/api/due?at=1935-01-01", True), ("/api/next?at=1935-01-01", True),
              (f"/api/parties/LV?at={DAY}", False), (f"/api/treaties?at={DAY}", True), ("/api/search?q=Riga", True),
              ("/api/code", True), ("/api/events/conference-1934-11-tallinn/history", True),
              ("/api/timeline?known_at=2100-01-01", True)]


def _version(checkpoint: dict[str, Any]) -> str:
    return f"{checkpoint['log']} {checkpoint['size']} {checkpoint['root']}"


def _named(client, path: str, rows: bool, auth: dict[str, str]) -> set[str | None]:
    """The versions a JSON read names: in each row, or in the object, and in its header (all the same)."""
    answer = client.get(path, headers=auth)
    assert answer.status_code == 200, (path, answer.text)
    body = answer.json()
    if rows:
        assert isinstance(body, list) and body, f"{path} has no rows to check"
        named = {row["record_version"] for row in body}
    else:
        named = {body["record_version"]}
    return named | {answer.headers["entente-record-version"]}


def _calendar_version(client, auth: dict[str, str]) -> tuple[str, str]:
    cal = icalendar.Calendar.from_ical(client.get("/calendar.ics", headers=auth).content)
    return str(cal["X-ENTENTE-RECORD-VERSION"]), str(cal["DESCRIPTION"])


def _every_read(client, auth: dict[str, str]) -> set[str | None]:
    named: set[str | None] = set()
    for path, rows in JSON_READS:
        named |= _named(client, path, rows, auth)
    finding = client.get(f"/api/compliance?at={DAY}", headers=auth).json()[0]["id"]
    named |= _named(client, f"/api/findings/{finding}/trace?at={DAY}", False, auth)
    scenario = (DEFAULT_UNION / "scenarios" / "four-conferences-a-year.yaml").read_text("utf-8")
    named |= _named(client, f"/api/what-if/{digest(scenario)}", False, auth)
    entry = client.get("/api/events/conference-1934-11-tallinn", headers=auth)
    assert "record_version" not in entry.json()  # the entry as recorded; its version in the header
    named.add(entry.headers["entente-record-version"])
    in_calendar, description = _calendar_version(client, auth)
    assert in_calendar in description
    return named | {in_calendar}


def test_every_api_read_names_its_viewers_version_which_a_write_it_sees_moves_on(api):
    client, issue = api(DEFAULT_UNION)
    lv, secretariat = issue("LV"), issue("secretariat")
    viewers = {"public": {}, "LV": lv}
    before = {v: _version(client.get("/api/checkpoint", headers=auth).json()) for v, auth in viewers.items()}
    assert before["LV"].startswith("entente/baltic-entente/LV ") and before["public"].startswith(
        "entente/baltic-entente/public ")
    for viewer, auth in viewers.items():
        assert _every_read(client, auth) == {before[viewer]}, viewer
    public_state = client.get(f"/api/state?at={DAY}")

    written = client.post("/api/events/position_stated", json=POSITION, headers=lv)
    assert written.status_code == 201, written.text
    after = {v: _version(client.get("/api/checkpoint", headers=auth).json()) for v, auth in viewers.items()}
    assert after["LV"] != before["LV"] and after["LV"].split()[1] == str(int(before["LV"].split()[1]) + 1)
    assert _every_read(client, lv) == {after["LV"]}
    # Hidden from the public: its version, its answers and their tags stay as they were.
    assert after["public"] == before["public"]
    assert _every_read(client, {}) == {before["public"]}
    unchanged = client.get(f"/api/state?at={DAY}", headers={"If-None-Match": public_state.headers["etag"]})
    assert unchanged.status_code == 304

    noted = client.post("/api/events/outside_event", json=NOTED, headers=secretariat)
    assert noted.status_code == 201, noted.text
    now = _version(client.get("/api/checkpoint").json())
    assert now != before["public"]
    changed = client.get(f"/api/state?at={DAY}", headers={"If-None-Match": public_state.headers["etag"]})
    assert changed.status_code == 200 and changed.json()["record_version"] == now
    assert _every_read(client, {}) == {now}


def _cli(db: str, viewer: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", db, "--as", viewer, *args])
    assert result.exit_code == 0, (args, result.output)
    return result.output


def _cli_versions(db: str, viewer: str) -> set[str | None]:
    named: set[str | None] = set()
    for args in (["compliance", "--json", "--at", DAY], ["compliance", "--json", "--at", DAY],  # the second: kept
                 ["due", "--json", "--at", "1935-01-01"], ["due", "--json", "--at", "1935-01-01"],
                 ["conferences", "--json"], ["state", "--json", "--at", DAY], ["party", "LV", "--json", "--at", DAY],
                 ["search", "Riga", "--json"], ["treaty", "--json"], ["next", "--json", "--at", "1935-01-01"],
                 ["history", "conference-1934-11-tallinn", "--json"], ["code", "--json"], ["timeline", "--json"],
                 ["what-if", str(DEFAULT_UNION / "scenarios" / "four-conferences-a-year.yaml"), "--json"]):
        data = json.loads(_cli(db, viewer, *args))
        rows = data if isinstance(data, list) else [data]
        assert rows, f"{args} has no rows to check"
        named |= {row["record_version"] for row in rows}
    finding = json.loads(_cli(db, viewer, "compliance", "--json", "--at", DAY))[0]["id"]
    named.add(json.loads(_cli(db, viewer, "why", finding, "--at", DAY, "--json"))["record_version"])
    cal = icalendar.Calendar.from_ical(_cli(db, viewer, "calendar").encode())
    return named | {str(cal["X-ENTENTE-RECORD-VERSION"])}


def test_every_json_view_of_the_command_line_names_its_viewers_version(store_url):
    versions = {v: _version(json.loads(_cli(store_url, v, "checkpoint"))) for v in ("LV", "public")}
    for viewer, version in versions.items():
        assert _cli_versions(store_url, viewer) == {version}, viewer
    _cli(store_url, "LV", "record", "position_stated", "--data", json.dumps(POSITION))
    moved = _version(json.loads(_cli(store_url, "LV", "checkpoint")))
    assert moved != versions["LV"]
    assert _cli_versions(store_url, "LV") == {moved}
    assert _cli_versions(store_url, "public") == {versions["public"]}
