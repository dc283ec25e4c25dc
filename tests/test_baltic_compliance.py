"""The Baltic Entente's treaties executed against its record: every verdict as the seed has it."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import compliance, due, read_treaties
from entente.secretariat.clearance import Viewer, visible
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import QuestionRaised, Restricted


@pytest.fixture(scope="module")
def judged(baltic):
    from pathlib import Path

    treaties = read_treaties(Path(baltic.folder))
    events = bundled_record(baltic)
    return baltic, treaties, events, compliance(baltic, treaties, events, "1940-07-01")


# Latvian month names, as the seed's list of conferences writes them.
MONTHS = {"janvāris": 1, "februāris": 2, "marts": 3, "aprīlis": 4, "maijs": 5, "jūnijs": 6, "jūlijs": 7,
          "augusts": 8, "septembris": 9, "oktobris": 10, "novembris": 11, "decembris": 12}


def _by(findings, rule_id):
    return [f for f in findings if f.rule_id == rule_id]


def test_twice_a_year_judged_from_the_seeds_own_list(judged):
    union, _, _, findings = judged
    # Count the seed's list of conferences per year, apart from the record.
    seed = union.document_text("seed")
    years = Counter(int(y) for y in re.findall(r"(?:Tallina|Kauņa|Rīga), (\d{4})\. gada", seed) if int(y) >= 1934)
    periodic = {f.period: f for f in _by(findings, "periodic-conferences") if f.reading_name == "calendar-year"}
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


def test_twice_a_year_read_as_treaty_years_from_the_seeds_own_list(judged):
    union, _, _, findings = judged
    # The seed's conferences, counted in years from the entry into force (13 November 1934), apart from the rules.
    seed = union.document_text("seed")
    days = [date(int(y), MONTHS[m], int(d)) for y, d, m in
            re.findall(r"(?:Tallina|Kauņa|Rīga), (\d{4})\. gada (\d+)\.(?:[—-]\d+\.)?\s*([a-zāčēģīķļņšūž]+)", seed)]
    assert len(days) == 11
    treaty = {f.period: f for f in _by(findings, "periodic-conferences") if f.reading_name == "treaty-year"}
    assert sorted(treaty) == [f"{y}-11-13/{y + 1}-11-12" for y in range(1934, 1940)]
    for period, finding in treaty.items():
        first, last = (date.fromisoformat(d) for d in period.split("/"))
        held = sum(first <= d <= last for d in days)
        assert f"{held} of at least 2" in finding.detail
    # Only the treaty year from 13 November 1938 held one conference (Kaunas, February 1939); the last, cut short on
    # 1 July 1940, held two, as its share asks.
    assert [p for p, f in treaty.items() if f.status == "breach"] == ["1938-11-13/1939-11-12"]
    assert "covered 231 of 366 days, so 2 required" in treaty["1939-11-13/1940-11-12"].detail


def test_rotation_met_on_the_treaty_reading_and_the_reading_is_said(judged):
    _, _, _, findings = judged
    rotation = _by(findings, "rotation")
    assert [f.status for f in rotation] == ["met"] * 11
    assert "in every run of three conferences each state hosts once" in rotation[0].reading


def _verdicts(findings, rule_id):
    """(subject, verdict, reading) of each finding of a rule."""
    return [(f.subject, f.status, f.reading_name) for f in _by(findings, rule_id)]


BRITANNICA, ONLY = "treaty-text-and-britannica", "vilnius-only"
BOTH = f"{BRITANNICA}, {ONLY}"
ENDS = ["annulled-1940", "lost-with-independence-1940", "suspended-renewed-1990"]


def test_assistance_over_klaipeda_in_1935_met_under_one_reading_and_owed_nothing_under_the_other(judged):
    _, _, events, findings = judged
    # Latvia and Estonia gave the support asked for: met where Article 3 excepts Vilnius alone; where it excepts
    # Klaipėda too, nothing was owed.  The request of March 1939 is inferred: reported, not judged, under both.
    assert _verdicts(findings, "diplomatic-assistance") == [
        ("klaipeda-1935", "not_applicable", BRITANNICA), ("klaipeda-1935", "met", ONLY),
        ("klaipeda-1939", "not_applicable", BOTH)]
    outside = _by(findings, "diplomatic-assistance")[0]
    assert "its subject 'klaipeda' is outside the undertaking by Article 3 of entente-1934" in outside.detail
    (inferred,) = [f for f in _by(findings, "diplomatic-assistance") if f.subject == "klaipeda-1939"]
    assert inferred.detail.endswith("reported, not judged")
    # The record infers the request of March 1939 (the seed says only that the allies refused to help) and says so.
    request = next(e for e in events if e.id == "klaipeda-1939-requested")
    assert request.note.startswith("Inferred:") and "disputed" in request.note and request.inferred


def test_only_the_1935_request_is_judged_differently_under_the_two_readings(judged):
    _, _, events, findings = judged
    # Every finding naming one reading only is about a Klaipėda request; of those requests only the inferred one
    # of 1939 is not judged, so the request of 1935 is the one recorded entry whose verdict the readings change.
    apart = [(f.rule_id, f.subject, f.status, f.reading_name) for f in findings if f.reading_name in (BRITANNICA, ONLY)]
    assert apart == [
        ("diplomatic-assistance", "klaipeda-1935", "not_applicable", BRITANNICA),
        ("diplomatic-assistance", "klaipeda-1935", "met", ONLY),
        ("specific-problems-excepted", "klaipeda-1935", "not_applicable", BRITANNICA),
        ("specific-problems-excepted", "klaipeda-1939", "not_applicable", BRITANNICA)]
    klaipeda = {e.id for e in events if getattr(e, "subject", None) == "klaipeda"}
    assert klaipeda == {"klaipeda-1935-requested", "klaipeda-1939-requested"}  # no question on it was raised


def test_the_disputed_exception_carries_both_readings_with_their_sources(judged):
    _, treaties, _, _ = judged
    rule = next(r for _, r in treaties["entente-1934"].rules() if r.id == "specific-problems-excepted")
    both, only = rule.readings
    assert (both.name, only.name) == (BRITANNICA, ONLY)
    assert rule.under(ONLY).settings["subjects"] == {"vilnius": ["LT"]}
    assert rule.under(BRITANNICA).settings["subjects"] == {"vilnius": ["LT"], "klaipeda": ["LT"]}
    assert "Taurēns (1996)" in (only.source or "") and "applies only to the Vilnius question" in (only.source or "")
    assert "Encyclopaedia Britannica" in (both.source or "") and "territorial disputes" in (both.source or "")
    assert "Klaipėda is within the undertaking" in (only.reading or "")
    # The reading from the confidential declaration rests on it; the published one on nothing secret.
    assert (only.rests_on, both.rests_on) == (("declaration-1934",), ())


def test_the_treaty_view_lists_both_readings_and_their_sources(db_url):
    text = CliRunner().invoke(main, ["--db", db_url("t"), "treaty", "entente-1934"],
                              env={"COLUMNS": "400"}).output
    both, only = text.index(f"reading {BRITANNICA}:"), text.index(f"reading {ONLY}, subjects=")
    assert text.index("→ rule specific-problems-excepted") < both < text.index("source: The treaty, Article 3") \
        < only < text.index("source: The declaration, point 1")
    rows = json.loads(CliRunner().invoke(main, ["--db", db_url("t"), "treaty", "entente-1934",
                                                "--json"]).output)
    rule = next(r for a in rows[0]["articles"] for r in a["rules"] if r["id"] == "specific-problems-excepted")
    assert [(n["name"], n["source"][:16]) for n in rule["readings"]] == [
        (BRITANNICA, "The treaty, Arti"), (ONLY, "The declaration,")]


@pytest.mark.parametrize(("reading", "verdict"), [(ONLY, "met"), (BRITANNICA, "not_applicable")])
def test_one_reading_chosen_on_the_command_line(db_url, reading, verdict):
    result = CliRunner().invoke(main, ["--db", db_url("r"), "compliance", "--json", "--reading", reading])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assistance = [(f["subject"], f["status"], f.get("reading_name")) for f in rows
                  if f["rule_id"] == "diplomatic-assistance"]
    assert assistance == [("klaipeda-1935", verdict, reading), ("klaipeda-1939", "not_applicable", reading)]
    # The exception flags the Klaipėda requests under the reading that excepts Klaipėda only.
    flagged = [f["subject"] for f in rows if f["rule_id"] == "specific-problems-excepted"
               and f["status"] == "not_applicable" and f["subject"] != "vilnius"]  # no Vilnius question was raised
    assert flagged == (["klaipeda-1935", "klaipeda-1939"] if reading == BRITANNICA else [])
    # A contested rule the chosen reading does not bear on follows its first reading, and names it.
    assert {f.get("reading_name") for f in rows} == {"as-written", reading, "calendar-year", "annulled-1940"}


def test_the_public_gets_the_published_reading_named_and_never_the_confidential_one(api):
    client, issue = api(DEFAULT_UNION)
    public = client.get("/api/compliance").json()
    assert [(f["subject"], f["status"], f.get("reading_name")) for f in public
            if f["rule_id"] == "diplomatic-assistance"] == [("klaipeda-1935", "not_applicable", BRITANNICA),
                                                            ("klaipeda-1939", "not_applicable", BRITANNICA)]
    said = json.dumps(public, ensure_ascii=False).casefold()
    assert ONLY not in said and not [w for w in ("confidential declaration", "secret declaration", "declaration-1934")
                                     if w in said]
    refused = client.get("/api/compliance", params={"reading": ONLY})
    known = refused.json()["error"].split("the readings are: ")[1].split(", ")
    assert refused.status_code == 400
    assert known == ["calendar-year", "twelve-month-gap", "treaty-year", BRITANNICA, *ENDS]
    treaty = client.get("/api/treaties").json()
    assert ONLY not in json.dumps(treaty) and BRITANNICA in json.dumps(treaty)
    lithuania = client.get("/api/compliance", params={"reading": ONLY}, headers=issue("LT"))
    assert lithuania.status_code == 200
    assert [(f["subject"], f["status"]) for f in lithuania.json() if f["rule_id"] == "diplomatic-assistance"] == [
        ("klaipeda-1935", "met"), ("klaipeda-1939", "not_applicable")]


def test_twice_a_year_judged_under_each_reading_named(judged):
    _, _, _, findings = judged
    by_reading = Counter((f.reading_name, f.status) for f in _by(findings, "periodic-conferences"))
    # By calendar year, 1938 alone falls short; by treaty year, the year from 13 November 1938 alone; by any
    # twelve months, every run with one conference does.
    assert by_reading[("calendar-year", "breach")] == 1
    assert by_reading[("treaty-year", "breach")] == 1
    assert by_reading[("twelve-month-gap", "breach")] > 1
    assert all(f.reading_name in ("calendar-year", "twelve-month-gap", "treaty-year")
               for f in _by(findings, "periodic-conferences"))
    assert not any(re.search(r"\b1 conferences\b", f.detail) for f in findings)


def test_proposals_decided_by_unanimity(judged):
    _, _, _, findings = judged
    (convene,) = _by(findings, "extraordinary-conferences")
    (strike,) = _by(findings, "striking-a-point")
    # The seed says who did not accept each proposal and records no vote: the finding says so, naming them as the
    # seed does ("Igaunija un Latvija nepieņēma"), never "voted" nor "rejected".
    for finding in (convene, strike):
        assert finding.status == "met" and ": not accepted by Estonia and Latvia; the source records no vote" in \
            finding.detail and "voted" not in finding.detail and "rejected" not in finding.detail


def test_the_declaration_exclusion_suspension_and_commitment(judged):
    _, _, _, findings = judged
    (vilnius,) = [f for f in _by(findings, "vilnius-excepted") if f.subject == "vilnius"]
    # No Vilnius question was raised: nothing to judge, so not applicable, never "met".
    assert vilnius.status == "not_applicable" and "'vilnius'" in vilnius.detail and vilnius.reading_name == "as-written"
    (suspended,) = _by(findings, "article-6-suspended")
    assert "from 1934-11-13 to 1940-07-01" in suspended.detail
    # Germany's treaty of 22 March 1939 with Lithuania met the condition: the commitment lapsed, and the
    # Latvian and Estonian pacts with Germany of 7 June 1939 came after it.
    commitment = _by(findings, "no-pact-with-germany")
    assert [(f.subject, f.status) for f in commitment] == [("LV", "not_applicable"), ("EE", "not_applicable")]
    assert all("lapsed from 1939-03-22" in f.detail for f in commitment)
    assert not any("concluded no" in f.detail for f in commitment)


def test_what_is_due_in_the_summer_of_1938(judged):
    union, treaties, events, _ = judged
    items = {d.rule_id: d for d in due(union, treaties, events, "1938-07-01")}
    assert items["periodic-conferences"].by == "1938-12-31"
    assert items["rotation"].host == "LT"
    assert items["presidency"].detail.startswith("the next conference is presided over by the foreign minister of")
    assert items["term"].on == "1944-11-13"


def test_the_alliance_of_1923_runs_on_after_its_ten_years_until_denounced(judged):
    # Article 8: ten years (from the renewal of 17 February 1934), then until denounced on a year's notice. It does
    # not expire in 1944: a notice given from 17 February 1943 on takes effect after the ten years.
    union, treaties, events, _ = judged
    (item,) = [d for d in due(union, treaties, events, "1938-07-01") if d.instrument == "defence-1923"
               and d.rule_id == "term"]
    assert (item.what, item.on, item.earliest) == ("end of term", "1944-02-17", "1943-02-17")
    assert "runs on until denounced, on 12 months' notice" in item.detail
    (term,) = [f for f in compliance(union, treaties, events, "1938-07-01") if f.instrument == "defence-1923"
               and f.rule_id == "term"]
    assert term.status == "met" and "expires" not in term.detail and "runs to 1944-02-17" in term.detail
    # Latvia's annulment of 29 June 1940 ended its obligations (and the alliance) that day, before the term ended.
    (ended,) = [f for f in compliance(union, treaties, events, "1940-07-01") if f.instrument == "defence-1923"
                and f.rule_id == "term"]
    assert ended.status == "not_applicable" and "LV annulled it on 1940-06-29" in ended.detail
    assert "LV's obligations ended on 1940-06-29" in ended.detail


def test_the_readable_report_groups_by_instrument_and_article(db_url):
    result = CliRunner().invoke(main, ["--db", db_url("c"), "compliance", "--at", "1939-01-01"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("as of 1 January 1939\n")
    assert re.search(r"\nentente-1934, art\. 2 +(met|breach|pending|not applicable) ", text)  # a group's first row
    assert re.search(r"\n +breach +1938: 1 of at least 2", text)  # later rows of the group leave its name out
    rows = json.loads(CliRunner().invoke(main, ["--db", db_url("c"), "compliance", "--json",
                                                "--at", "1939-01-01"]).output)
    assert all({"rule", "instrument", "article", "status", "detail"} <= set(r) for r in rows)
    assert all(r.get("period") or r.get("subject") for r in rows)


def test_a_vilnius_question_of_lithuanias_is_recorded_and_reported_outside_the_undertaking(db_url):
    secretariat = Secretariat.open(db_url("v"))
    question = QuestionRaised(id="vilnius-1936", date="1936-03-01", question="vilnius-1936", subject="vilnius",
                              instrument="entente-1934", title={"en": "The Vilnius region"},
                              classification=Restricted(instrument="entente-1934"))
    done = secretariat.record(question, Viewer.parse("LT"))
    assert done.event.id == "lt.vilnius-1936"
    events = secretariat.events_for(Viewer.parse("LT"))
    (vilnius,) = [f for f in _by(compliance(secretariat.union, secretariat.treaties, events, "1936-12-31"),
                                 "vilnius-excepted") if f.evidence == ["lt.vilnius-1936"]]
    assert vilnius.status == "not_applicable" and vilnius.reading_name == "as-written"  # the declaration's own rule
    assert "outside the undertaking of entente-1934 for LT" in vilnius.detail
    secretariat.close()


@pytest.mark.parametrize("viewer", ["public", "FI", "EE", "LV", "LT", "secretariat"])
def test_no_viewer_sees_a_conference_breach_in_1939_or_1940(judged, viewer):
    union, treaties, events, _ = judged
    findings = compliance(union, treaties, visible(events, Viewer.parse(viewer), at="1940-07-01"), "1940-07-01")
    periodic = {f.period: f.status for f in _by(findings, "periodic-conferences")}
    assert (periodic["1939"], periodic["1940"]) == ("met", "met"), viewer
    assert [f.status for f in _by(findings, "rotation")] == ["met"] * 11
    assert not any(f.rule_id == "weekly-meetings" for f in findings)  # a working arrangement, not judged


def test_alternately_the_state_that_hosted_last_is_never_next(db_url):
    def run(*args: str):
        result = CliRunner().invoke(main, ["--db", db_url("n"), *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    held = [c for c in run("conferences") if c["instrument"] == "entente-1934"]
    for month in ("1936-01", "1939-03", "1939-06"):
        last = [c for c in held if c["end"] < month][-1]
        (proposed,) = [p for p in run("next", "--at", month) if p["instrument"] == "entente-1934"]
        assert proposed["hosts"] and last["host"] not in proposed["hosts"], (month, last["host"], proposed["hosts"])


def test_the_end_of_the_1934_treaty_read_three_ways_each_with_its_source(judged):
    union, treaties, events, _ = judged
    ends = {f.reading_name: f for f in compliance(union, treaties, events, "1995-01-01")
            if f.rule_id == "term" and f.instrument == "entente-1934"}
    assert list(ends) == ENDS and {f.status for f in ends.values()} == {"not_applicable"}
    assert "LV annulled it on 1940-07-01" in ends["annulled-1940"].detail
    assert "lost with the parties' independence in 1940-06/1940-08" in ends["lost-with-independence-1940"].detail
    assert "renewed on 1990-05-12" in ends["suspended-renewed-1990"].detail
    # Before 1990 the third reading knows no renewal yet.
    before = [f for f in compliance(union, treaties, events, "1980-01-01")
              if f.rule_id == "term" and f.reading_name == "suspended-renewed-1990"]
    assert before and "renewed" not in before[0].detail
    rule = next(r for _, r in treaties["entente-1934"].rules() if r.id == "term")
    assert [r.name for r in rule.readings] == ENDS and all(r.source for r in rule.readings)
    assert "12 May 1990" in (rule.readings[2].source or "")
