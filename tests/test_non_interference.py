"""Non-interference: a write a viewer may not see changes nothing that viewer receives.

Random writes that only Latvia and the secretariat may see (every kind a delegation or the secretariat records
out of others' sight: new entries, corrections, retractions and reclassifications of hidden entries, and
corrections or retractions of public entries classified more narrowly, which are refused) are made through the
API and the command line, on both stores.  After each batch every other viewer's every output is compared
with what it was before: bodies, tags, the log's checkpoint, proofs, consistency, search, the calendar, the
exports and the error texts, over the API and the command line.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente.cli import main
from entente.vocabulary.definition import DEFAULT_UNION

OBSERVERS = ("public", "EE", "LT", "FI")
HIDDEN = {"parties": ["LV"]}
PUBLIC_ENTRY = "conference-1919-09-tartu"
SOURCE = {"document": "seed", "quote": "Baltijas", "lang": "lv"}
# Every read of the API, and a request for an id the hidden writes use, which must stay a plain 404.
PATHS = ("/api/timeline", "/api/conferences", "/api/state", "/api/compliance", "/api/due", "/api/treaties",
         "/api/search?q=riga", "/api/search?q=secretly", "/api/next", "/api/code", "/calendar.ics",
         "/api/checkpoint", "/api/consistency?from=3", f"/api/proof/{PUBLIC_ENTRY}", f"/api/events/{PUBLIC_ENTRY}",
         f"/api/events/{PUBLIC_ENTRY}/history", "/api/parties/LV", "/api/parties/EE", "/api/key",
         "/api/events/lv.hidden-1", "/api/events/hidden-1/history", "/api/proof/lv.hidden-1",
         "/api/timeline?known_at=2100-01-01")
COMMANDS = (("timeline", "--json"), ("search", "riga"), ("search", "secretly"), ("checkpoint",),
            ("proof", PUBLIC_ENTRY), ("calendar",), ("history", PUBLIC_ENTRY), ("conferences",), ("verify",),
            ("history", "lv.hidden-1"))

_ids = itertools.count(1)


def _write(kind: str, word: str) -> tuple[str, str, dict[str, Any]]:
    """One hidden write: (who writes, the kind, its fields), each with an id of its own."""
    n = next(_ids)
    title = {"en": f"{word} noted secretly {n}"}
    match kind:
        case "outside_event":
            return "secretariat", kind, {"id": f"hidden-{n}", "date": "1938-03-17", "category": "press",
                                        "title": title, "classification": HIDDEN}
        case "intent_declared":
            return "LV", kind, {"id": f"intent-{n}", "date": "1938-03-18", "party": "LV", "text": title,
                                "classification": HIDDEN}
        case "question_raised":
            return "LV", kind, {"id": f"question-{n}", "date": "1938-03-19", "question": f"q-{n}",
                                "instrument": "entente-1934", "subject": "foreign_policy", "title": title,
                                "classification": HIDDEN}
        case "entry_corrected":  # of a hidden entry, hidden alike
            return "secretariat", kind, {
                "id": f"corrected-{n}", "date": "1938-03-17", "target": "hidden-1", "reason": word,
                "source": SOURCE, "classification": HIDDEN,
                "entry": {"kind": "outside_event", "id": "hidden-1", "date": "1938-03-17", "category": "press",
                          "title": title, "classification": HIDDEN}}
        case "entry_retracted":
            return "secretariat", kind, {"id": f"retracted-{n}", "date": "1938-03-17", "target": f"hidden-{n - 1}",
                                         "reason": word, "source": SOURCE, "classification": HIDDEN}
        case "classification_amended":
            return "secretariat", kind, {"id": f"amended-{n}", "date": "1938-03-20", "target": "hidden-1",
                                         "to": HIDDEN, "classification": HIDDEN}
        case "public_corrected":  # a correction of a public entry that only Latvia may see: refused
            return "secretariat", "entry_corrected", {
                "id": f"narrow-{n}", "date": "1919-09-29/1919-10-01", "target": PUBLIC_ENTRY, "reason": word,
                "source": SOURCE, "classification": HIDDEN,
                "entry": {"kind": "conference_held", "id": PUBLIC_ENTRY, "date": "1919-09-29/1919-10-01",
                          "host": "EE", "place": {"en": word}, "title": title, "classification": HIDDEN}}
        case _:  # "public_retracted": a retraction of a public entry that only Latvia may see: refused
            return "secretariat", "entry_retracted", {"id": f"narrow-{n}", "date": "1919-09-29",
                                                      "target": PUBLIC_ENTRY, "reason": word, "source": SOURCE,
                                                      "classification": HIDDEN}


KINDS = st.sampled_from(["outside_event", "intent_declared", "question_raised", "entry_corrected",
                         "entry_retracted", "classification_amended", "public_corrected", "public_retracted"])
WORDS = st.sampled_from(["Riga", "Tallinn", "Kaunas", "Vilnius", "secretly"])
WRITES = st.lists(st.tuples(KINDS, WORDS, st.booleans()), min_size=1, max_size=4)


def _api_outputs(client, headers: dict[str, dict[str, str]]) -> dict[tuple[str, str], tuple[int, str, str | None]]:
    out = {}
    for viewer in OBSERVERS:
        for path in PATHS:
            r = client.get(path, headers=headers[viewer])
            out[(viewer, path)] = (r.status_code, r.text, r.headers.get("etag"))
    return out


def _cli_outputs(db: str) -> dict[tuple[str, tuple[str, ...]], tuple[int, str]]:
    runner = CliRunner()
    out = {}
    for viewer in ("public", "EE"):
        for command in COMMANDS:
            r = runner.invoke(main, ["--db", db, "--as", viewer, *command])
            out[(viewer, command)] = (r.exit_code, r.output)
    return out


def test_no_hidden_write_changes_what_another_viewer_receives(store_url, api):
    client, issue = api(DEFAULT_UNION, store_url)
    headers = {v: ({} if v == "public" else issue(v)) for v in OBSERVERS}
    writers = {"LV": issue("LV"), "secretariat": issue("secretariat")}
    before, before_cli = _api_outputs(client, headers), _cli_outputs(store_url)
    assert before[("public", "/api/events/lv.hidden-1")][:2] == (404, '{"error":"not found"}')
    runner = CliRunner()
    statuses: set[int] = set()

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(WRITES)
    def hidden_writes(writes: list[tuple[str, str, bool]]) -> None:
        for kind, word, by_cli in writes:
            writer, event_kind, fields = _write(kind, word)
            if by_cli:
                r = runner.invoke(main, ["--db", store_url, "--as", writer, "record", event_kind,
                                         "--data", json.dumps(fields)])
                assert r.exit_code in (0, 1) and "Traceback" not in r.output, r.output
                status = r.exit_code
            else:
                answer = client.post(f"/api/events/{event_kind}", json=fields, headers=writers[writer])
                assert answer.status_code in (201, 409, 422), answer.text
                status = answer.status_code
            if kind.startswith("public_"):
                assert status in (1, 422), f"a correction narrower than its target was recorded ({status})"
            statuses.add(status)
        after = _api_outputs(client, headers)
        changed = [key for key in before if after[key] != before[key]]
        assert not changed, f"a hidden write changed {changed[:3]}"
        after_cli = _cli_outputs(store_url)
        changed_cli = [key for key in before_cli if after_cli[key] != before_cli[key]]
        assert not changed_cli, f"a hidden write changed {changed_cli[:3]}"

    hidden_writes()
    assert 201 in statuses or 0 in statuses, "no hidden write was recorded"
    # Latvia saw them: the hidden writes are in its log, so the comparison above was not of a record unchanged.
    latvia = client.get("/api/checkpoint", headers=writers["LV"]).json()
    assert latvia["size"] > json.loads(before[("public", "/api/checkpoint")][1])["size"]


def test_a_correction_or_retraction_narrower_than_its_target_is_refused_in_one_line(api):
    client, issue = api(DEFAULT_UNION)
    secretariat = issue("secretariat")
    for kind in ("public_corrected", "public_retracted"):
        _, event_kind, fields = _write(kind, "Riga")
        answer = client.post(f"/api/events/{event_kind}", json=fields, headers=secretariat)
        assert answer.status_code == 422
        assert answer.json()["problems"][0]["message"] == (
            "a correction or retraction must be seen by everyone who may see the entry it is about; "
            "classify it at least as widely")
    # Classified as widely as its target, the same correction is recorded, and the public sees it.
    _, _, fields = _write("public_corrected", "Valga")
    fields = {**fields, "classification": "public", "entry": {**fields["entry"], "classification": "public"}}
    assert client.post("/api/events/entry_corrected", json=fields, headers=secretariat).status_code == 201
    assert client.get(f"/api/events/{PUBLIC_ENTRY}").json()["place"] == {"en": "Valga"}
    proof = client.get(f"/api/proof/{PUBLIC_ENTRY}").json()
    assert json.loads(proof["entry_bytes"])["entry"]["place"] == {"en": "Valga"}


def test_an_entry_corrected_out_of_sight_is_shown_more_widely_only_by_a_correction_as_wide(api):
    client, issue = api(DEFAULT_UNION)
    secretariat = issue("secretariat")
    _, _, hidden = _write("outside_event", "Riga")
    assert client.post("/api/events/outside_event", json=hidden, headers=secretariat).status_code == 201
    _, _, correction = _write("entry_corrected", "Tallinn")
    correction = {**correction, "target": hidden["id"], "entry": {**correction["entry"], "id": hidden["id"]}}
    assert client.post("/api/events/entry_corrected", json=correction, headers=secretariat).status_code == 201
    # Made public by an amendment, the public would be shown the corrected text while its log proved the original.
    amendment = {"id": "widened", "date": "1938-03-20", "target": hidden["id"], "to": "public",
                 "classification": HIDDEN}
    refused = client.post("/api/events/classification_amended", json=amendment, headers=secretariat)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["message"] == (
        f"{hidden['id']} was corrected or retracted by an entry fewer may see ({correction['id']}); to show it "
        "more widely, correct it again under the wider classification")
    # Corrected again as widely, it is public, and what the public is shown is what its log proves.
    again = {**correction, "id": "corrected-publicly", "classification": "public",
             "entry": {**correction["entry"], "classification": "public"}}
    assert client.post("/api/events/entry_corrected", json=again, headers=secretariat).status_code == 201
    shown = client.get(f"/api/events/{hidden['id']}").json()
    proof = client.get(f"/api/proof/{hidden['id']}").json()
    assert json.loads(proof["entry_bytes"])["entry"]["title"] == shown["title"]
