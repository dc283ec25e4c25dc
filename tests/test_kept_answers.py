"""``due`` and ``compliance``, asked again of a record unchanged since, print the answer the store kept; after
a write, for another viewer or day, or with other union files, they make it again, and it is always what
making it afresh gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from entente.cli import main
from entente.cli.kept import Answer, decoded, encoded
from entente.record import open_store
from entente.secretariat.answers import PREFIX

from .conftest import CONSORTIUM

POSITION = {"date": "2021-07-01", "question": "data-policy", "party": "HAM", "stance": "support"}


def run(db: str, *args: str, union: Path = CONSORTIUM) -> str:
    result = CliRunner().invoke(main, ["--db", db, "--union", str(union), *args])
    assert result.exit_code == 0, result.output
    return result.output


def kept_names(db: str) -> list[str]:
    store = open_store(db)
    try:
        with store._reading() as cur:
            cur.execute(store._sql("SELECT name FROM snapshots WHERE name LIKE ? ORDER BY name"), (PREFIX + "%",))
            return [row[0] for row in cur.fetchall()]
    finally:
        store.close()


def afresh(db: str, *args: str, union: Path = CONSORTIUM) -> str:
    """The command's output with every kept answer dropped first: made from the record."""
    store = open_store(db)
    try:
        with store._writing() as cur:
            cur.execute(store._sql("DELETE FROM snapshots WHERE name LIKE ?"), (PREFIX + "%",))
    finally:
        store.close()
    return run(db, *args, union=union)


def test_asked_again_the_kept_answer_is_printed(db_url):
    db = db_url("kept")
    run(db, "conferences")  # the union's own record loaded into the new store
    first = run(db, "due", "--json")
    assert kept_names(db) == [f"{PREFIX}due secretariat"]
    # Its rows replaced in the store, the stamp left as it is: what is printed now comes from the store.
    store = open_store(db)
    name = f"{PREFIX}due secretariat"
    position, stamp, body = store.snapshot(name)
    kept = decoded(body)
    assert kept is not None
    store.keep_snapshot(name, position, stamp, encoded(Answer(kept.day, kept.why, b'["kept"]')))
    store.close()
    assert json.loads(run(db, "due", "--json")) == ["kept"]
    assert afresh(db, "due", "--json") == first


def test_after_a_write_the_answer_is_made_again(db_url):
    db = db_url("kept")
    due, findings = run(db, "due", "--json"), run(db, "compliance", "--json")
    assert "owed by HAM, RIG, TAR and VIL" in due
    run(db, "record", "position_stated", "--data", json.dumps(POSITION))
    due_after, findings_after = run(db, "due", "--json"), run(db, "compliance", "--json")
    assert "owed by RIG, TAR and VIL" in due_after and due_after != due
    assert findings_after != findings
    assert afresh(db, "due", "--json") == due_after
    assert afresh(db, "compliance", "--json") == findings_after


def test_each_viewer_day_and_reading_gets_its_own_answer(db_url):
    db = db_url("kept")
    asked = [("due", "--json"), ("--as", "public", "due", "--json"), ("--as", "GDA", "due", "--json"),
             ("due", "--at", "2021-08-01", "--json"), ("compliance", "--json"),
             ("--as", "public", "compliance", "--json"), ("compliance", "--at", "2022", "--json")]
    answers = [run(db, *args) for args in asked]
    assert answers[0] != answers[1] and answers[0] != answers[3] and answers[4] != answers[6]
    for args, answer in zip(asked, answers, strict=True):  # asked again, each after all the others
        assert run(db, *args) == answer
        assert afresh(db, *args) == answer
    # What one viewer was answered never reaches another: the public's findings leave out Gdańsk's position.
    assert "data-policy-gda" in answers[4] and "data-policy-gda" not in answers[5]
    assert "data-policy-gda" not in run(db, "--as", "public", "compliance", "--json")


def test_the_table_is_drawn_from_the_kept_answer_as_from_a_new_one(db_url, wide_terminal):
    db = db_url("kept")
    made = run(db, "due")
    assert made.startswith("as of ") and "what is due" in made
    assert run(db, "due") == made


def test_other_union_files_make_it_again(db_url, tmp_path):
    union = tmp_path / "consortium"
    shutil.copytree(CONSORTIUM, union)
    db = db_url("kept")
    before = run(db, "due", "--json", union=union)
    treaty = next((union / "treaties").glob("*.yaml"))
    text = treaty.read_text(encoding="utf-8")
    assert "respond_within_days: 90" in text
    treaty.write_text(text.replace("respond_within_days: 90", "respond_within_days: 30"), encoding="utf-8")
    after = run(db, "due", "--json", union=union)
    assert after != before and '"by": "2021-07-09"' in after


def test_the_record_as_it_once_stood_is_not_kept(db_url):
    db = db_url("kept")
    run(db, "conferences")
    run(db, "--known-at", "1 hour ago", "due", "--json")
    assert kept_names(db) == []


def test_an_erasure_drops_every_kept_answer(db_url):
    db = db_url("kept")
    person = {"id": "assembly-2024", "date": "2024-06-12", "number": 4, "instrument": "agreement-2020",
              "host": "RIG", "place": {"en": "Riga"}, "participants": [{"party": "RIG", "person": "A. Delegate"}]}
    run(db, "record", "conference_held", "--data", json.dumps(person))
    run(db, "due", "--json")
    run(db, "--as", "RIG", "compliance", "--json")
    assert kept_names(db) == [f"{PREFIX}compliance RIG", f"{PREFIX}due secretariat"]
    run(db, "erase", "assembly-2024", "participants/0/person", "--requested-by", "the delegate", "--reason", "asked")
    assert kept_names(db) == []  # a kept answer may hold the value; the next ones are made without it
