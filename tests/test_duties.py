"""Each party's own duties, by files alone: a contribution owed by a day of each year, judged party by party, and
`entente party` listing a party's own breaches, not every breach of what binds it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from entente.cli import main

UNION = """\
id: fund
name: {en: A fund of three states}
parties:
  - {code: AA, names: {en: Aland}}
  - {code: BB, names: {en: Borland}}
  - {code: CC, names: {en: Corland}}
  - {code: OO, role: observer, names: {en: Observia}}
"""
TREATY = """\
instrument: statute
title: {en: Statute}
articles:
  - article: "9"
    text: {en: Each member pays its contribution by 31 March of each year.}
    rules:
      - id: contributions
        kind: duties
        settings: {duty: contribution, words: pay its contribution, by: "03-31"}
"""
RECORD = """\
events:
  - {kind: instrument_signed, id: s, date: "2020-01-01", instrument: statute, title: {en: Statute},
     parties: [AA, BB, CC], in_force_on_signature: true}
  - {kind: duty_done, id: aa-2020, date: "2020-03-01", instrument: statute, party: AA, duty: contribution}
  - {kind: duty_done, id: bb-2020, date: "2020-04-10", instrument: statute, party: BB, duty: contribution}
  - {kind: duty_done, id: cc-2020, date: "2020-02-01", instrument: statute, party: CC, duty: contribution}
"""


def _union(tmp_path: Path) -> Path:
    folder = tmp_path / "fund"
    (folder / "treaties").mkdir(parents=True)
    (folder / "union.yaml").write_text(UNION, encoding="utf-8")
    (folder / "treaties" / "statute.yaml").write_text(TREATY, encoding="utf-8")
    (folder / "record.yaml").write_text(RECORD, encoding="utf-8")
    return folder


def test_a_party_sees_its_own_breaches_and_its_own_duty(tmp_path, db_url):
    folder = _union(tmp_path)

    def ask(*args: str) -> dict:
        result = CliRunner().invoke(main, ["--union", str(folder), "--db", db_url("fund"), *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    findings = ask("compliance", "--at", "2020-06-01")
    assert [(f["parties"], f["status"]) for f in findings] == [(["AA"], "met"), (["BB"], "breach"), (["CC"], "met")]
    # BB paid late: the breach is BB's, and neither AA's nor CC's, though the statute binds all three.
    assert [f["detail"] for f in ask("party", "BB", "--at", "2020-06-01")["breaches"]] == [
        "2020: BB was to pay its contribution by 2020-03-31: done late, on 2020-04-10"]
    assert ask("party", "AA", "--at", "2020-06-01")["breaches"] == []
    # What is due from a party: its own contribution of the next year.
    due = ask("party", "CC", "--at", "2020-06-01")["due"]
    assert [(d["what"], d["by"], d["parties"]) for d in due] == [("duty", "2021-03-31", ["CC"])]
    # An observer is never bound, so it owes nothing.
    observer = ask("party", "OO", "--at", "2020-06-01")
    assert observer["role"] == "observer" and observer["due"] == [] and observer["breaches"] == []


def test_a_bad_duty_day_is_named_by_file_line_and_setting(tmp_path):
    folder = _union(tmp_path)
    treaty = folder / "treaties" / "statute.yaml"
    treaty.write_text(TREATY.replace('by: "03-31"', 'by: "02-30"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["--union", str(folder), "--db", str(tmp_path / "f.db"), "compliance"])
    assert result.exit_code != 0
    assert "statute.yaml, line 9, entry 'article 9', field 'settings'" in result.output
    assert "by is a day of the year as MM-DD (03-31 for 31 March), not '02-30'" in result.output
    assert "Traceback" not in result.output
