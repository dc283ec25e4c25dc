"""``POST /api/what-if``: the same answer as the command, on the asking viewer's view, nothing recorded."""

from __future__ import annotations

import json

from click.testing import CliRunner

from entente.cli import main
from entente.record import open_store
from entente.vocabulary.definition import DEFAULT_UNION

SCENARIO = DEFAULT_UNION / "scenarios" / "four-conferences-a-year.yaml"


def _rows(url: str) -> list[object]:
    store = open_store(url)
    try:
        return list(store.rows_after(0))
    finally:
        store.close()


def test_the_api_answers_as_the_command_does_and_records_nothing(api, db_url):
    db = db_url(DEFAULT_UNION.name)
    client, issue = api(DEFAULT_UNION, db)
    assert client.get("/api/timeline").status_code == 200
    before = _rows(db)
    answer = client.post("/api/what-if?at=1938", content=SCENARIO.read_bytes(),
                         headers={"Content-Type": "application/yaml"})
    assert answer.status_code == 200, answer.text
    cli = CliRunner().invoke(main, ["--db", str(db), "--as", "public", "what-if", str(SCENARIO), "--at", "1938",
                                    "--json"])
    assert cli.exit_code == 0, cli.output
    assert answer.json() == json.loads(cli.output)
    assert answer.json()["viewer"] == "public" and answer.json()["at"] == "1938-12-31"
    assert _rows(db) == before
    # A party's token: its own view.
    assert client.post("/api/what-if", content=SCENARIO.read_bytes(), headers=issue("LV")).json()["viewer"] == "LV"


def test_a_bad_scenario_is_a_400_in_one_line_and_a_hidden_entry_is_as_unknown(api):
    client, issue = api(DEFAULT_UNION)

    def sent(change: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        answer = client.post("/api/what-if", content=f"title: t\nwhy: w\nchanges:\n  - {change}\n".encode(),
                             headers=headers or {})
        return answer.status_code, answer.json().get("error", "")

    assert sent("remove: no-such-entry") == (400, "scenario, line 4, entry 'change 1 (remove)', field 'remove': "
                                                  "no entry 'no-such-entry' in the record as public sees it")
    assert sent("remove: declaration-1934-signed") == (
        400, "scenario, line 4, entry 'change 1 (remove)', field 'remove': no entry 'declaration-1934-signed' in "
             "the record as public sees it")
    assert sent("remove: declaration-1934-signed", issue("LV"))[0] == 200
    status, detail = sent("settings: {instrument: entente-1934, rule: periodic-conferences, set: {minimum: x}}")
    assert status == 400 and "\n" not in detail and "field 'set'" in detail


def test_a_bad_scenario_is_said_in_the_language_asked_for(api):
    client, _ = api(DEFAULT_UNION)
    body = b"title: t\nwhy: w\nchanges:\n  - remove: no-such-entry\n"
    latvian = "scenario, 4. rinda, ieraksts '1. izmaiņa (remove)', lauks 'remove': "
    for asked in ({"params": {"lang": "lv"}}, {"headers": {"Accept-Language": "lv-LV,lv;q=0.9,en;q=0.5"}}):
        answer = client.post("/api/what-if", content=body, **asked)  # type: ignore[arg-type]
        assert (answer.status_code, answer.json()["error"]) == (
            400, latvian + "ieraksta 'no-such-entry' nav ierakstos, kā tos redz public")
    english = client.post("/api/what-if", content=body)
    assert english.json()["error"] == ("scenario, line 4, entry 'change 1 (remove)', field 'remove': no entry "
                                       "'no-such-entry' in the record as public sees it")
