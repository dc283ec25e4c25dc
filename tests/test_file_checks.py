"""A union's own record.yaml is checked as strictly as `entente load` and the API check a write: each refusal is
one line naming the file, the line, the entry and the field, in the project's words, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from entente.rules import read_treaties, read_treaty
from entente.secretariat.loading import checked_record
from entente.vocabulary.definition import load_union
from entente.vocabulary.yamlfile import FileError

from .conftest import CONSORTIUM


def _folder(tmp_path: Path, *entries: dict) -> Path:
    folder = tmp_path / f"union-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(CONSORTIUM, folder)
    text = (folder / "record.yaml").read_text(encoding="utf-8").rstrip("\n")
    more = "".join(f"\n  - {json.dumps(entry)}" for entry in entries)  # JSON is YAML, in flow style
    (folder / "record.yaml").write_text(text + more + "\n", encoding="utf-8")
    return folder


def _refusal(tmp_path: Path, *entries: dict) -> str:
    folder = _folder(tmp_path, *entries)
    with pytest.raises(FileError) as caught:
        checked_record(load_union(folder), read_treaties(folder), folder / "record.yaml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(folder / "record.yaml") + ", line ")
    assert f", entry '{entries[-1]['id']}', field '" in message
    return message.split(": ", 1)[1] if ": " in message else message


def test_the_test_unions_own_records_pass_every_check():
    for folder in sorted((Path(__file__).parent / "unions").iterdir()):
        if (folder / "record.yaml").is_file():
            checked_record(load_union(folder), read_treaties(folder), folder / "record.yaml")


def test_a_position_from_a_party_not_bound_is_refused(tmp_path):
    assert _refusal(tmp_path, {"kind": "position_stated", "id": "fund-position", "date": "2021-10-01",
                               "question": "data-policy", "party": "FUND"}) == \
        "FUND is not bound by agreement-2020 on 2021-10-01, so it has no position to state on 'data-policy'"


def test_a_position_dated_before_its_question_is_refused(tmp_path):
    assert _refusal(tmp_path, {"kind": "position_stated", "id": "early", "date": "2021-01-01",
                               "question": "data-policy", "party": "HAM"}) == \
        "2021-01-01 is before data-policy-raised (2021-06-09), which it answers"


def test_a_withdrawal_by_a_party_that_never_signed_is_refused(tmp_path):
    assert _refusal(tmp_path, {"kind": "instrument_terminated", "id": "fund-leaves", "date": "2023-01-01",
                               "instrument": "agreement-2020", "party": "FUND"}) == \
        "FUND never signed nor acceded to agreement-2020, so it has nothing to withdraw from"


def test_an_accession_by_a_party_that_signed_is_refused(tmp_path):
    assert _refusal(tmp_path, {"kind": "instrument_acceded", "id": "ham-accedes", "date": "2023-01-01",
                               "instrument": "agreement-2020", "party": "HAM"}) == \
        "HAM has signed or acceded to agreement-2020 already: a party accedes only to an instrument it is not " \
        "party to"


def test_a_second_decision_on_a_decided_proposal_is_refused(tmp_path):
    assert _refusal(tmp_path, {"kind": "proposal_decided", "id": "archive-move-again", "date": "2022-04-01",
                               "proposal": "archive-move", "outcome": "accepted"}) == \
        "proposal 'archive-move' is decided already, by archive-move-decided: correct that entry instead"


def test_a_rule_change_naming_no_rule_or_no_setting_of_it_is_refused(tmp_path):
    change = {"kind": "rule_changed", "id": "change", "date": "2023-01-01", "instrument": "agreement-2020"}
    assert _refusal(tmp_path, {**change, "rule": "no-such-rule", "settings": {"minimum": 2}}) == \
        "agreement-2020 has no rule 'no-such-rule'; its rules are assembly-yearly, assembly-rotation, " \
        "assembly-decisions, common-questions (name rule_kind and article to add one)"
    assert _refusal(tmp_path, {**change, "rule": "assembly-yearly", "settings": {"minimun": 2}}).startswith(
        "'minimun' is not a field here; the fields are: minimum, period")
    assert _refusal(tmp_path, {**change, "rule": "assembly-yearly", "settings": {"months": [9, 13]}}) == \
        "months are 1 (January) to 12 (December), not 13"
    assert _refusal(tmp_path, {**change, "instrument": "elsewhere", "rule": "x", "settings": {}}) == \
        "no treaty file has instrument 'elsewhere'; known: agreement-2020"


def test_a_month_out_of_range_in_a_treaty_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("instrument: t\ntitle: {en: T}\narticles:\n  - article: '1'\n    rules:\n"
                    "      - {id: r, kind: periodic_meetings, settings: {minimum: 1, months: [9, 13]}}\n",
                    encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_treaty(path)
    assert str(caught.value) == f"{path}, line 6, entry 'article 1', field 'settings': months are 1 (January) to " \
        "12 (December), not 13"


def test_a_decision_procedure_out_of_range_is_refused_in_one_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("instrument: t\ntitle: {en: T}\ndecision: {rule: consensus, quorum: 0}\narticles: []\n",
                    encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_treaty(path)
    assert str(caught.value) == f"{path}, line 3, field 'decision': quorum is a number of members, at least 1"
