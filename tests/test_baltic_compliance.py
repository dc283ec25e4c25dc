"""The Baltic Entente's treaties executed against its record: every verdict as the seed has it."""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import compliance, due, read_treaties
from entente.vocabulary.definition import bundled_record
from entente.vocabulary.events import Restricted


@pytest.fixture(scope="module")
def judged(baltic):
    from pathlib import Path

    treaties = read_treaties(Path(baltic.folder))
    events = bundled_record(baltic)
    return baltic, treaties, events, compliance(baltic, treaties, events, "1940-07-01")


def _by(findings, rule_id):
    return [f for f in findings if f.rule_id == rule_id]


def test_twice_a_year_judged_from_the_seeds_own_list(judged):
    union, _, _, findings = judged
    # Count the seed's list of conferences per year, apart from the record.
    seed = union.document_text("seed")
    years = Counter(int(y) for y in re.findall(r"(?:Tallina|Kauņa|Rīga), (\d{4})\. gada", seed) if int(y) >= 1934)
    periodic = {f.period: f for f in _by(findings, "periodic-conferences")}
    assert sorted(periodic) == [str(y) for y in range(1934, 1941)]
    # In force from 13 November 1934 to 30 June 1940: the partly covered years need their share, rounded up.
    share = {1934: math.ceil(2 * 49 / 365), 1940: math.ceil(2 * 182 / 366)}
    for year, held in years.items():
        finding = periodic[str(year)]
        expected = "met" if held >= share.get(year, 2) else "breach"
        assert finding.status == expected, finding.detail
        assert f"{held} of at least 2" in finding.detail
    assert [y for y, f in periodic.items() if f.status == "breach"] == ["1938"]
    assert "rounded up, so one" in periodic["1934"].reading and "covered 49 of 365 days" in periodic["1934"].detail


def test_rotation_met_on_the_treaty_reading_and_the_reading_is_said(judged):
    _, _, _, findings = judged
    rotation = _by(findings, "rotation")
    assert [f.status for f in rotation] == ["met"] * 11
    assert "in every run of three conferences each state hosts once" in rotation[0].reading


def test_assistance_given_in_1935_refused_in_1939(judged):
    _, _, _, findings = judged
    assistance = {f.subject: f for f in _by(findings, "diplomatic-assistance")}
    assert assistance["klaipeda-1935"].status == "met"
    assert assistance["klaipeda-1939"].status == "breach" and "EE and LV refused" in assistance["klaipeda-1939"].detail


def test_proposals_decided_by_unanimity(judged):
    _, _, _, findings = judged
    (convene,) = _by(findings, "extraordinary-conferences")
    (strike,) = _by(findings, "striking-a-point")
    for finding in (convene, strike):
        assert finding.status == "met" and "rejected: unanimity needs every party's yes; EE and LV voted no" in \
            finding.detail


def test_the_declaration_exclusion_suspension_and_commitment(judged):
    _, _, _, findings = judged
    (vilnius,) = _by(findings, "vilnius-excepted")
    assert vilnius.status == "met" and "'vilnius'" in vilnius.detail
    (suspended,) = _by(findings, "article-6-suspended")
    assert "from 1934-11-13 to 1940-07-01" in suspended.detail
    commitment = _by(findings, "no-pact-with-germany")
    assert [f.status for f in commitment] == ["met", "met"]
    assert "no non-aggression pact with DE" in commitment[0].detail


def test_what_is_due_in_the_summer_of_1938(judged):
    union, treaties, events, _ = judged
    items = {d.rule_id: d for d in due(union, treaties, events, "1938-07-01")}
    assert items["periodic-conferences"].by == "1938-12-31"
    assert items["rotation"].host == "LT"
    assert items["presidency"].detail.startswith("the next conference is presided over by the foreign minister of")
    assert items["term"].on == "1944-11-13"


def test_the_readable_report_groups_by_instrument_and_article(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "compliance", "--at", "1939-01-01"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("as of 1 January 1939\n")
    assert re.search(r"\nentente-1934, art\. 2 +(met|breach|pending|not applicable) ", text)  # a group's first row
    assert re.search(r"\n +breach +1938: 1 of at least 2", text)  # later rows of the group leave its name out
    rows = json.loads(CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "compliance", "--json",
                                                "--at", "1939-01-01"]).output)
    assert all({"rule", "instrument", "article", "status", "detail"} <= set(r) for r in rows)
    assert all(r.get("period") or r.get("subject") for r in rows)


def test_a_vilnius_question_of_lithuanias_under_the_treaty_is_refused_on_entry(tmp_path):
    from entente.secretariat.clearance import Viewer
    from entente.secretariat.service import Refused, Secretariat
    from entente.vocabulary.events import QuestionRaised

    secretariat = Secretariat.open(str(tmp_path / "v.db"))
    before = secretariat.store.events()
    question = QuestionRaised(id="vilnius-1936", date="1936-03-01", question="vilnius-1936", subject="vilnius",
                              instrument="entente-1934", title={"en": "The Vilnius region"},
                              classification=Restricted(instrument="entente-1934"))
    with pytest.raises(Refused) as caught:
        secretariat.record(question, Viewer.parse("LT"))
    (problem,) = caught.value.problems
    assert (problem.rule, problem.instrument, problem.article, problem.field) == (
        "excluded_subjects", "declaration-1934", "point-1", "subject")
    assert "outside the undertaking of entente-1934 for LT" in problem.message
    assert secretariat.store.events() == before
    # Latvia has no excepted subjects: its question on the same subject is recorded.
    done = secretariat.record(msgspec.structs.replace(question, id="vilnius-1936-lv"), Viewer.parse("LV"))
    assert done.event.id == "lv.vilnius-1936-lv"
    secretariat.close()
