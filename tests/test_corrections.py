"""Corrections that keep the history: a store made from an earlier edition of the record, and users' corrections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.record import open_store
from entente.record.store import Store, content
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import DEFAULT_UNION, load_union, read_events
from entente.vocabulary.events import (
    ClassificationAmended,
    ConferenceHeld,
    DecisionTaken,
    EntryCorrected,
    EntryRetracted,
    OutsideEvent,
    Restricted,
)

# The bundled record as it was first published, before the revision of conferences 10 and 11, the dates and ends.
FIRST_EDITION = Path(__file__).parent / "fixtures" / "baltic_record_first_edition.yaml"


@pytest.fixture
def revised_store(db_url) -> str:
    """A store that holds the first edition, then opened with the bundled record as it is now."""
    db = db_url("first-edition")
    store = open_store(db)
    store.set_meta("union", "baltic-entente")
    store.append(read_events(FIRST_EDITION, load_union(DEFAULT_UNION)))
    store.close()
    Secretariat.open(db).close()
    return db


def _current(db: str, viewer: Viewer = SECRETARIAT) -> dict[str, bytes]:
    s = Secretariat.open(db)
    try:
        return {e.id: content(e) for e in s.events_for(viewer)}
    finally:
        s.close()


def test_a_store_from_the_first_edition_reads_as_the_record_does_now_and_keeps_what_it_held(revised_store, db_url):
    fresh = db_url("fresh")
    for viewer in (SECRETARIAT, PUBLIC, Viewer.parse("LT")):
        assert _current(revised_store, viewer) == _current(fresh, viewer), viewer
    store = open_store(revised_store)
    raw = store.events()
    # Nothing recorded before is lost or changed: the first edition is still there, entry for entry, chained.
    assert [content(e) for e in raw[:68]] == [content(e) for e in read_events(FIRST_EDITION, load_union(DEFAULT_UNION))]
    assert store.verify() is None
    corrections = [e for e in raw if isinstance(e, EntryCorrected)]
    assert {"conference-1939-12-tallinn", "conference-1940-03-riga", "revue-baltique-established",
            "weekly-meetings-1940", "occupation-1940"} <= {c.target for c in corrections}
    assert all(c.reason.startswith("revised in the union's record file (record.yaml): ") and c.source
               for c in corrections)
    assert next(c for c in corrections if c.target == "revue-baltique-established").reason.endswith(" changed")
    store.close()
    # Opening it again records nothing more.
    Secretariat.open(revised_store).close()
    again = open_store(revised_store)
    assert len(again.events()) == len(raw)
    again.close()


def test_the_revision_as_a_viewer_sees_it_and_the_history_on_request(revised_store):
    s = Secretariat.open(revised_store)
    public = {e.id: e for e in s.events_for(PUBLIC)}
    assert [public[f"conference-{d}"].number for d in ("1939-12-tallinn", "1940-03-riga")] == [10, 11]
    assert isinstance(public["revue-baltique-established"], OutsideEvent)
    assert isinstance(public["weekly-meetings-1940"], DecisionTaken)
    # The secretariat sees both versions; the public only the one it was cleared for (the first was restricted).
    full = s.history_for(SECRETARIAT, "conference-1939-12-tallinn")
    assert [isinstance(v.entry, ConferenceHeld) for v in full] == [True, True] and full[0].act is None
    assert "Piip" in full[0].entry.outcome["en"] and "Piip" not in full[1].entry.outcome["en"]
    assert [v.entry.classification for v in s.history_for(PUBLIC, "conference-1939-12-tallinn")] == ["public"]
    assert s.history_for(PUBLIC, "strike-point-3-1939-proposed") == []
    s.close()


def test_an_entry_the_secretariat_reclassified_stays_so_when_the_record_file_revises_it(db_url):
    db = db_url("amended")
    store = open_store(db)
    store.set_meta("union", "baltic-entente")
    store.append(read_events(FIRST_EDITION, load_union(DEFAULT_UNION)))
    latvia = Restricted(parties=("LV",))
    store.append([ClassificationAmended(id="occupation-for-latvia", date="1940-06-30", target="occupation-1940",
                                        to=latvia, classification=latvia)])
    store.close()
    s = Secretariat.open(db)
    try:
        correction = next(e for e in s.store.events() if isinstance(e, EntryCorrected)
                          and e.target == "occupation-1940")
        assert correction.classification == correction.entry.classification == latvia
        assert "occupation-1940" not in {e.id for e in s.events_for(PUBLIC)}
        assert "occupation-1940" not in {e.id for e in s.events_for(Viewer.parse("EE"))}
        assert "occupation-1940" in {e.id for e in s.events_for(Viewer.parse("LV"))}
    finally:
        s.close()


def test_make_run_works_on_a_store_from_the_first_edition(revised_store):
    runner = CliRunner()
    result = runner.invoke(main, ["--db", revised_store, "overview"])
    assert result.exit_code == 0, result.output
    assert "Soviet troops enter Latvia and Estonia" in runner.invoke(main, ["--db", revised_store, "timeline"]).output
    rows = json.loads(runner.invoke(main, ["--db", revised_store, "history", "conference-1940-03-riga",
                                           "--json"]).output)
    assert [r["change"] for r in rows] == ["original", "corrected"]
    assert rows[1]["act"]["reason"].startswith("revised in the union's record file (record.yaml): ")
    hidden = runner.invoke(main, ["--db", revised_store, "--as", "public", "history", "strike-point-3-1939-proposed"])
    assert hidden.exit_code != 0 and "no entry 'strike-point-3-1939-proposed'" in hidden.output
    # The first edition's restricted outcome of the 10th conference (Piip's apology) shows to no outsider.
    for viewer in ("public", "FI"):
        for view in (["timeline", "--json"], ["search", "Piip"], ["history", "conference-1939-12-tallinn"]):
            shown = runner.invoke(main, ["--db", revised_store, "--as", viewer, *view]).output
            assert "Piip" not in shown and "Pīps" not in shown, (viewer, view)
    assert "Piip" in runner.invoke(main, ["--db", revised_store, "--as", "LV", "search", "Piip"]).output


CORRECTION = {
    "id": "tartu-participants", "date": "1919-09-29/1919-10-01", "target": "conference-1919-09-tartu",
    "reason": "the participants are known from another source",
    "source": {"document": "seed", "quote": "Nākamajā konferencē", "gloss": "At the next conference"},
    "entry": {"kind": "conference_held", "id": "conference-1919-09-tartu", "date": "1919-09-29/1919-10-01",
              "host": "EE", "place": {"en": "Tartu"}, "title": {"en": "Conference at Tartu"},
              "participants": [{"party": "EE", "role": "host"}, {"party": "LV"}]},
}


def test_a_user_corrects_and_retracts_entries_with_a_reason_and_a_source(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("corrections"))
    secretariat, latvia = issue("secretariat"), issue("LV")
    assert client.post("/api/events/entry_corrected", json=CORRECTION, headers=latvia).status_code == 403
    unsourced = client.post("/api/events/entry_corrected", json={**CORRECTION, "source": None}, headers=secretariat)
    assert unsourced.status_code == 422 and unsourced.json()["problems"][0]["field"] == "source"
    nowhere = client.post("/api/events/entry_corrected", headers=secretariat, json={
        **CORRECTION, "target": "no-such-entry", "entry": {**CORRECTION["entry"], "id": "no-such-entry"}})
    assert nowhere.status_code == 422 and nowhere.json()["problems"] == [{
        "field": "target", "message": "no entry 'no-such-entry' in the record", "rule": None, "instrument": None,
        "article": None}]
    renamed = client.post("/api/events/entry_corrected", headers=secretariat, json={
        **CORRECTION, "entry": {**CORRECTION["entry"], "id": "another-id"}})
    assert renamed.status_code == 422 and renamed.json()["problems"][0]["field"] == "entry.id"
    bad = {**CORRECTION, "entry": {**CORRECTION["entry"], "host": "XX"}}
    refused = client.post("/api/events/entry_corrected", json=bad, headers=secretariat)
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "entry.host"

    done = client.post("/api/events/entry_corrected", json=CORRECTION, headers=secretariat)
    assert done.status_code == 201, done.text
    shown = client.get("/api/events/conference-1919-09-tartu").json()
    assert [p["party"] for p in shown["participants"]] == ["EE", "LV"]
    history = client.get("/api/events/conference-1919-09-tartu/history").json()
    assert [h["change"] for h in history] == ["original", "corrected"]
    assert history[1]["act"] == {"id": "tartu-participants", "reason": CORRECTION["reason"],
                                 "source": {"document": "seed", "quote": "Nākamajā konferencē", "lang": "lv",
                                            "gloss": "At the next conference", "pages": None, "note": None,
                                            "kind": "seed"}}

    retraction = {"id": "bureau-withdrawn", "date": "1920-36", "target": "baltic-bureau-established",
                  "reason": "withdrawn for the test", "source": {"document": "seed", "quote": "Baltijas biroju"}}
    assert client.post("/api/events/entry_retracted", json=retraction, headers=secretariat).status_code == 201
    assert "baltic-bureau-established" not in client.get("/api/timeline").text
    assert client.get("/api/events/baltic-bureau-established").status_code == 404
    assert [h["change"] for h in client.get("/api/events/baltic-bureau-established/history").json()] == [
        "original", "retracted"]
    assert client.get("/api/events/strike-point-3-1939-proposed/history").status_code == 404
    assert "/api/events/entry_corrected" in client.get("/schema/openapi.json").json()["paths"]


def test_the_command_line_records_a_retraction_and_shows_the_history(db_url):
    runner = CliRunner()
    db = ["--db", db_url("cli")]
    data = json.dumps({"date": "1933-10", "target": "germany-leaves-league-1933", "reason": "a test of retraction",
                       "source": {"document": "seed", "quote": "Nacistiskā Vācija"}})
    recorded = runner.invoke(main, [*db, "record", "entry_retracted", "--data", data])
    assert recorded.exit_code == 0, recorded.output
    assert "germany-leaves-league-1933" not in runner.invoke(main, [*db, "timeline", "--json"]).output
    text = runner.invoke(main, [*db, "history", "germany-leaves-league-1933"]).output
    assert "version 2 (retracted" in text and "why: a test of retraction  [seed]" in text and "(withdrawn)" in text


def test_each_viewers_log_holds_the_corrections_it_may_see_and_proves_the_entry_as_it_now_reads(revised_store):
    runner = CliRunner()

    def run(viewer: str, *args: str) -> str:
        result = runner.invoke(main, ["--db", revised_store, "--as", viewer, *args])
        assert result.exit_code == 0, result.output
        return result.output

    for viewer in ("public", "LV", "secretariat"):
        assert run(viewer, "verify").startswith("intact"), viewer
    # The first edition held the 10th conference restricted: the public's log proves it by its correction.
    proof = json.loads(run("public", "proof", "conference-1939-12-tallinn"))
    shown = json.loads(proof["entry_bytes"])
    assert (shown["kind"], shown["target"], shown["entry"].get("classification", "public")) == (
        "entry_corrected", "conference-1939-12-tallinn", "public")
    lv = json.loads(json.loads(run("LV", "proof", "conference-1939-12-tallinn"))["entry_bytes"])
    assert lv["kind"] == "entry_corrected"
    hidden = runner.invoke(main, ["--db", revised_store, "--as", "public", "proof", "strike-point-3-1939-proposed"])
    assert hidden.exit_code != 0


def test_an_edition_of_the_record_file_reaches_a_store_as_acts_with_their_reasons(db_url, tmp_path):
    # A union folder whose record file is edited between two openings of the same store.
    folder = tmp_path / "union"
    shutil.copytree(DEFAULT_UNION, folder)
    db = db_url("editions")
    Secretariat.open(db, folder).close()
    record = folder / "record.yaml"
    text = record.read_text(encoding="utf-8")
    start = text.index("- kind: conference_held\n  id: conference-1919-09-tartu\n")
    end = text.index("- kind:", start + 10)
    edited = text[:start] + text[end:]  # the Tartu conference of 1919 taken out
    edited = edited.replace('en: "Conference at Tartu"', 'en: "Conference at Tartu (second)"')
    edited = edited.replace("title:\n    en: \"Conference of the heads of government and foreign ministers of Estonia, "
                            "Latvia, Lithuania and Finland\"",
                            "title:\n    en: \"Conference of the heads of government and foreign ministers\"")
    record.write_text(edited, encoding="utf-8")
    s = Secretariat.open(db, folder)
    try:
        acts = [e for e in s.store.events() if isinstance(e, EntryCorrected | EntryRetracted)]
        assert [(type(a).__name__, a.target, a.reason) for a in acts] == [
            ("EntryCorrected", "conference-1919-09-tallinn", "revised in the union's record file (record.yaml): "
                                                             "title changed"),
            ("EntryRetracted", "conference-1919-09-tartu", "taken out of the union's record file (record.yaml)")]
        # Every viewer reads the store as a fresh one made from the edited file reads.
        seen = {e.id: content(e) for e in s.events_for(SECRETARIAT)}
    finally:
        s.close()
    fresh = Secretariat.open(db_url("editions-fresh"), folder)
    try:
        assert seen == {e.id: content(e) for e in fresh.events_for(SECRETARIAT)}
    finally:
        fresh.close()


def test_a_store_made_before_editions_were_kept_retracts_what_the_file_no_longer_holds(db_url):
    """A store whose record file's editions were loaded before the store kept their ids: the entries those
    editions put in it and the file no longer holds are retracted, and an entry recorded otherwise is kept."""
    db = db_url("before-editions")
    union = load_union(DEFAULT_UNION)
    first = read_events(FIRST_EDITION, union)
    dropped = msgspec.structs.replace(first[0], id="conference-1919-taken-out")
    store = open_store(db)
    try:
        store.set_meta("union", "baltic-entente")
        store.set_meta("loaded:record.yaml:" + "0" * 64, "1")  # an edition loaded, its ids not kept
        store.append([*first, dropped])  # the first edition, as a store's first open loaded it
        # A later edition: a correction giving the file as its reason, and a new entry, in one append.
        added_later = msgspec.structs.replace(first[1], id="conference-1919-added-later")
        store.append([added_later, EntryCorrected(
            id="conference-1919-taken-out.correction-1", date=dropped.date, target=dropped.id,
            entry=msgspec.structs.replace(dropped, note="revised"), source=dropped.source,
            reason="revised in the union's record file (record.yaml): note changed")])
        store.append([msgspec.structs.replace(first[2], id="conference-1919-recorded-otherwise")])
    finally:
        store.close()
    s = Secretariat.open(db)
    try:
        retracted = [(e.target, e.reason) for e in s.store.events() if isinstance(e, EntryRetracted)]
        shown = {e.id for e in s.events_for(SECRETARIAT)}
    finally:
        s.close()
    assert sorted(retracted) == [("conference-1919-added-later", "taken out of the union's record file (record.yaml)"),
                                 ("conference-1919-taken-out", "taken out of the union's record file (record.yaml)")]
    assert "conference-1919-taken-out" not in shown and "conference-1919-added-later" not in shown
    assert "conference-1919-recorded-otherwise" in shown
    # Opened again, nothing more is added, and the chain holds.
    again = Secretariat.open(db)
    try:
        assert again.load_bundled() == [] and again.store.verify() is None
        assert sum(isinstance(e, EntryRetracted) for e in again.store.events()) == 2
    finally:
        again.close()


def test_a_record_file_of_no_entries_opens_a_store_of_entries_recorded_otherwise_without_reading_them(
        db_url, tmp_path, monkeypatch):
    """A union whose record is recorded elsewhere (its file holds no entry) on a store a load filled: the file's
    first opening adds nothing and reads none of the record, which may be large, and one whose earlier edition
    held entries still takes them out."""
    folder = tmp_path / "union"
    shutil.copytree(DEFAULT_UNION, folder)
    (folder / "record.yaml").write_text("events: []\n", encoding="utf-8")
    with (folder / "union.yaml").open("a", encoding="utf-8") as union:
        union.write("recorded_elsewhere: true\n")
    db = db_url("recorded-elsewhere")
    store = open_store(db)
    try:
        store.set_meta("union", "baltic-entente")
        store.append([OutsideEvent(id=f"outside-{n}", date="1935-01-01", category="test", title={"en": "An event"})
                      for n in range(3)])
    finally:
        store.close()

    def unread(*_: object, **__: object) -> None:
        raise AssertionError("the record was read")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "events", unread)
        s = Secretariat.open(db, folder)
        position = s.store.position()
        s.store.close()
    assert position == 3
    edited = db_url("edited-to-nothing")
    Secretariat.open(edited, DEFAULT_UNION).close()  # an edition with entries, then one with none
    s = Secretariat.open(edited, folder)
    try:
        retracted = {e.target for e in s.store.events() if isinstance(e, EntryRetracted)}
        assert "conference-1919-09-tartu" in retracted and "conference-1919-09-tartu" not in {
            e.id for e in s.events_for(SECRETARIAT)}
    finally:
        s.close()
