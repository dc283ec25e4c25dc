"""Input that no record should take, refused in one line in the project's words: dates with no first or last
day, intervals that end before they begin, years no union is dated in, names holding bidirectional controls;
and a backup, which holds every restricted entry, readable by its owner alone."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.folding import folded

ENTRY = {"category": "press", "title": {"en": "A press note"}}


@pytest.mark.parametrize(("date", "says"), [
    ("../..", '"../.." is open-ended or unknown at one end: an entry\'s date needs a first and a last day'),
    ("1938/..", '"1938/.." is open-ended or unknown at one end: an entry\'s date needs a first and a last day'),
    ("1939-05-01/1938-01-01", '"1939-05-01/1938-01-01" ends (1938-01-01) before it begins (1939-05-01)'),
    ("2990-01-01", '"2990-01-01" is outside the years a record is dated in (1000 to 2200): check the year'),
    ("0999", '"0999" is outside the years a record is dated in (1000 to 2200): check the year'),
])
def test_a_date_no_record_holds_is_refused_in_one_line(api, date, says):
    client, issue = api(DEFAULT_UNION)
    answer = client.post("/api/events/outside_event", json={**ENTRY, "id": "note", "date": date},
                         headers=issue("secretariat"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"] == [{"field": "date", "message": says, "rule": None, "instrument": None,
                                          "article": None}]


@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_a_name_holding_a_bidirectional_control_is_refused(api, db_url, mark):
    client, issue = api(DEFAULT_UNION)
    answer = client.post("/api/events/outside_event", headers=issue("secretariat"), json={
        **ENTRY, "id": "note", "date": "1938-03-17", "title": {"en": f"Riga{mark}agiR"}})
    assert answer.status_code == 422, answer.text
    problem = answer.json()["problems"][0]
    assert problem["field"] == "title.en"
    assert problem["message"] == (f"holds the bidirectional control character U+{ord(mark):04X}, which can make a "
                                  "text read otherwise than it is stored; no entry may hold one")
    # The command line says the same in one line, with no traceback.
    result = CliRunner().invoke(main, ["--db", db_url("bidi-cli"), "record", "outside_event", "--data",
                                       json.dumps({**ENTRY, "id": "note", "date": "1938-03-17",
                                                   "title": {"en": f"Riga{mark}agiR"}})])
    assert result.exit_code == 1 and "bidirectional control character" in result.output
    assert "Traceback" not in result.output


def test_a_backup_is_readable_by_its_owner_alone_even_over_a_file_that_was_not(tmp_path):
    db, file = str(tmp_path / "b.db"), tmp_path / "backup.json"
    file.write_text("an older file, readable by all")
    file.chmod(0o644)
    result = CliRunner().invoke(main, ["--db", db, "backup", str(file)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert json.loads(file.read_text())["format"] == "entente-backup/1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []


@pytest.mark.parametrize("words", [
    "the confidential  declaration still applies",  # two spaces
    "the confidential\u00a0declaration still applies",  # a no-break space
    "the confi\u00addential declaration still applies",  # a soft hyphen
    "the conf\u0456dential declaration still applies",  # a Cyrillic i
    "the CONFIDENTIAL\u200b \u200bDECLARATION still applies",  # zero-width spaces, capitals
    "the ｃｏｎｆｉｄｅｎｔｉａｌ declaration still applies",  # full-width letters
])
def test_a_sensitive_word_is_found_in_any_spelling_of_its_letters(api, words):
    client, issue = api(DEFAULT_UNION)
    answer = client.post("/api/events/outside_event", headers=issue("secretariat"), json={
        **ENTRY, "id": "note", "date": "1939-11-01", "note": words})
    assert answer.status_code == 422, answer.text
    problem = answer.json()["problems"][0]
    assert problem["field"] == "note"
    assert problem["message"].startswith('speaks of declaration-1934 ("confidential declaration")')


def test_words_of_the_parties_languages_keep_their_letters():
    assert folded("Slepenā  Deklarācija") == "slepenā deklarācija"
    assert folded("Konferencija Kaune") == "konferencija kaune"
