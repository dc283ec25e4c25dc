"""``entente record``: the operator's write, with the API's checks and error text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from entente.cli import main

from .conftest import CONSORTIUM, CONSORTIUM_EVENTS, TESTS

POSITION = {"date": "2021-07-01", "question": "data-policy", "party": "HAM", "stance": "support"}


def run(db: str, *args: str, union: Path = CONSORTIUM):
    return CliRunner().invoke(main, ["--db", db, "--union", str(union), *args])


def _count(db: str, union: Path = CONSORTIUM) -> int:
    return len(json.loads(run(db, "timeline", "--json", union=union).output))


def test_an_accepted_write_is_recorded_once_per_key(tmp_path, db_url):
    db = db_url("r")
    first = run(db, "record", "position_stated", "--data", json.dumps(POSITION), "--key", "k")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("recorded position-stated-") and "; view tag now " in first.output
    again = run(db, "record", "position_stated", "--data", json.dumps(POSITION), "--key", "k")
    assert again.exit_code == 0 and "already recorded with this key" in again.output
    assert _count(db) == CONSORTIUM_EVENTS + 1
    # Said in the language asked for, the log's entries counted in the form their number needs.
    latvian = run(db, "--lang", "lv", "record", "position_stated", "--data", json.dumps(POSITION), "--key", "k")
    assert latvian.exit_code == 0, latvian.output
    assert latvian.output.startswith("ierakstīts position-stated-") and "ar šo atslēgu jau ierakstīts" in latvian.output
    assert "record" not in latvian.output.replace("entente checkpoint", "")

    as_file = tmp_path / "tartu.yaml"
    as_file.write_text("id: tartu-supports\ndate: 2021-07-02\nquestion: data-policy\nparty: TAR\nstance: support\n")
    by_tartu = run(db, "--as", "TAR", "record", "position_stated", "--file", str(as_file), "--json")
    assert by_tartu.exit_code == 0, by_tartu.output
    answer = json.loads(by_tartu.output)
    # A delegation's entries carry its prefix, so its ids never meet one it cannot see.
    assert answer["event"]["id"] == "tar.tartu-supports" and answer["event"]["date"] == "2021-07-02"
    assert len(answer["tag"]) == 24 and answer["tag"] != first.output.strip().rsplit(" ", 1)[1]


def test_a_refused_write_says_why_exits_non_zero_and_records_nothing(db_url):
    db = db_url("r")
    refused = run(db, "record", "position_stated", "--data", json.dumps({**POSITION, "question": "budget"}))
    assert refused.exit_code == 1
    assert "Error: refused\n  question: no question 'budget' has been raised\nNothing was recorded." in refused.output
    forbidden = run(db, "--as", "TAR", "record", "position_stated", "--data", json.dumps(POSITION))
    assert forbidden.exit_code == 1 and "actor: TAR may not record an act of HAM (party)" in forbidden.output
    malformed = run(db, "record", "position_stated", "--data", json.dumps({**POSITION, "date": 1921}))
    assert malformed.exit_code == 1 and "date: expected text, found a whole number" in malformed.output
    stale = run(db, "record", "position_stated", "--data", json.dumps(POSITION), "--if-match", "0" * 24)
    assert stale.exit_code == 1 and "the record has changed since you read it" in stale.output
    assert run(db, "record", "position_stated", "--data", "{not json").exit_code == 2
    assert run(db, "record", "position_stated").exit_code == 2
    assert _count(db) == CONSORTIUM_EVENTS


def test_a_treaty_rule_that_refuses_an_entry_is_named_with_its_article(tmp_path, db_url):
    union = tmp_path / "triad"
    shutil.copytree(TESTS / "unions" / "triad", union)
    pact = union / "treaties" / "pact.yaml"
    pact.write_text(pact.read_text().replace("order: [AA, BB, CC]}", "order: [AA, BB, CC]}\n        on_entry: refuse"))
    db = db_url("t")
    for kind, data in (
        ("instrument_signed", {"id": "pact-signed", "date": "2020-01-10", "instrument": "pact",
                               "title": {"en": "Triad Pact"}, "parties": ["AA", "BB", "CC"]}),
        ("instrument_entered_into_force", {"date": "2020-02-01", "instrument": "pact"}),
        ("conference_held", {"date": "2020-05-04", "instrument": "pact", "host": "AA"}),
    ):
        assert run(db, "record", kind, "--data", json.dumps(data), union=union).exit_code == 0
    out_of_turn = run(db, "record", "conference_held", "--data",
                      json.dumps({"date": "2020-10-04", "instrument": "pact", "host": "CC"}), union=union)
    assert out_of_turn.exit_code == 1
    assert "  host: " in out_of_turn.output and "(rule host_rotation, instrument pact, article 2)" in out_of_turn.output
    assert _count(db, union) == 3


def test_loading_an_unchanged_file_again_records_nothing_and_a_changed_entry_is_refused(tmp_path, db_url):
    db = db_url("c")
    more = tmp_path / "more.yaml"
    more.write_text("""events:
  - {kind: outside_event, id: fee-rise, date: "2024-05-01", category: budget, title: {en: Fees raised}}
  - {kind: instrument_terminated, id: vil-leaves, date: "2024-06-01", instrument: agreement-2020, party: VIL}
""", encoding="utf-8")
    first = run(db, "load", str(more))
    assert first.exit_code == 0 and "2 new events recorded" in first.output, first.output
    again = run(db, "load", str(more))
    assert again.exit_code == 0 and "0 new events recorded" in again.output, again.output
    assert _count(db) == CONSORTIUM_EVENTS + 2
    more.write_text(more.read_text(encoding="utf-8").replace("Fees raised", "Fees lowered"), encoding="utf-8")
    changed = run(db, "load", str(more))
    assert changed.exit_code != 0
    assert "the id 'fee-rise' is used by an earlier entry" in changed.output + str(changed.exception)
    assert _count(db) == CONSORTIUM_EVENTS + 2
