"""Traces: every finding has a stable identifier and a trace from which its verdict can be worked out again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.languages.steps import REASON_LABELS, STEP_LABELS
from entente.replay.state import latest_day
from entente.rules import compliance, read_treaties, reading_names
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, visible
from entente.views.trace_steps import COUNT, STEPS
from entente.views.traces import trace
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import ConferenceHeld, RuleChanged
from entente.web.i18n import translations
from tests.test_duties import _union as duties_union
from tests.verdicts import verdict

from .rule_case import read_case

UNIONS = [DEFAULT_UNION, *sorted(p for p in (Path(__file__).parent / "unions").iterdir() if p.is_dir())]


def _loaded(folder: Path) -> tuple[Any, Any, list[Any]]:
    union = load_union(folder)
    return union, read_treaties(folder), bundled_record(union)


def _days(events: list[Any]) -> list[str]:
    """The record's last day and a day in its middle, where some periods are still running."""
    days = sorted(dates.start(e.date) for e in events)
    return [latest_day(events), days[len(days) // 2]] if days else []


@pytest.mark.parametrize("folder", UNIONS, ids=lambda p: p.name)
@pytest.mark.parametrize("viewer", [SECRETARIAT, PUBLIC], ids=str)
def test_each_trace_holds_its_findings_evidence_and_its_verdict_follows_from_its_data(folder, viewer):
    union, treaties, events = _loaded(folder)
    seen = visible(events, viewer)
    kinds, judged = set(), set()
    # Every reading's findings (where readings differ, each reading's own), then each reading's alone.
    readings = [None, *reading_names(treaties)]
    for day, reading in [(d, r) for d in _days(seen) for r in readings]:
        findings = compliance(union, treaties, seen, day, reading)
        judged |= {f.instrument for f in findings}
        assert len({f.id for f in findings}) == len(findings), "two findings share an identifier"
        for f in findings:
            t = msgspec.to_builtins(trace(union, treaties, seen, day, f.id, reading=reading))
            t = json.loads(json.dumps(t))  # the data as a client reads it, nothing more
            assert [e["id"] for e in t["counted"]] == f.evidence, f.id
            assert t["verdict"] == f.status and t["finding"]["id"] == f.id
            assert not {e["id"] for e in t["left_out"]} & set(f.evidence)
            # Why each was left out: one of the sentences the pages translate, or the series it belongs to.
            assert all(e["why"] in REASON_LABELS or e["why"].startswith("of the series ") for e in t["left_out"])
            setting = t["settings"]
            assert setting in t["history"]
            assert setting["since"] is None or setting["since"] <= t["day_judged"]
            assert t["steps"], f"{f.id} ({f.rule}) gives no steps"
            assert set(t["steps"]) <= set(STEPS[f.rule]), f"{f.rule} names steps its reference does not describe"
            counts = [t["steps"].get("count"), *(a.get("count") for a in t["steps"].get("asked", []))]
            assert all(set(c) == set(COUNT) for c in counts if c is not None)
            assert verdict(t) == t["verdict"], f"{f.id}: {f.detail}"
            kinds.add(f.rule)
    # Every rule kind of the union's treaties was judged again.
    assert kinds == {spec.kind for t in treaties.values() if t.instrument in judged for _, spec in t.rules()}


def test_a_setting_changed_by_decision_is_traced_to_the_decision():
    union, treaties, events = _loaded(DEFAULT_UNION)
    four = RuleChanged(id="four-a-year", date="1935-12-01", instrument="entente-1934", rule="periodic-conferences",
                       settings={"minimum": 4}, effective="1936-01-01")
    weekly = RuleChanged(id="weekly-by-decision", date="1940-03-14/1940-03-16", instrument="entente-1934",
                         rule="weekly-meetings", rule_kind="periodic_meetings", article="2", effective="1940-03-16",
                         settings={"period": "week", "minimum": 1, "series": "ministers-and-envoys"})
    record = [*events, four, weekly]
    findings = compliance(union, treaties, record, "1940-07-01")

    def traced(rule: str, period: str) -> Any:
        f = next(f for f in findings if f.rule_id == rule and f.period == period)
        return trace(union, treaties, record, "1940-07-01", f.id)

    early, late = traced("periodic-conferences", "1935"), traced("periodic-conferences", "1937")
    assert (early.settings.set_by, early.settings.settings["minimum"]) == (None, 2)
    assert (late.settings.set_by, late.settings.since, late.settings.settings["minimum"]) == \
        ("four-a-year", "1936-01-01", 4)
    assert late.verdict == "breach" and late.steps["required"] == 4
    added = next(f for f in findings if f.rule_id == "weekly-meetings")
    t = trace(union, treaties, record, "1940-07-01", added.id)
    assert t is not None and [e.set_by for e in t.history] == ["weekly-by-decision"]


def test_identifiers_stay_the_same_across_runs_and_versions_of_the_record():
    union, treaties, events = _loaded(DEFAULT_UNION)
    earlier = [e for e in events if not isinstance(e, ConferenceHeld) or e.date < "1937-12"]
    ids = {f.id: f for f in compliance(union, treaties, events, "1940-07-01")}
    again = {f.id: f for f in compliance(union, treaties, events, "1940-07-01")}
    assert ids.keys() == again.keys()
    # Without the conferences from December 1937 on, 1937's count is another verdict on the same finding.
    before = {f.id: f for f in compliance(union, treaties, earlier, "1940-07-01")}
    year = next(i for i, f in ids.items() if f.rule_id == "periodic-conferences" and f.period == "1937")
    assert year in before and before[year].detail != ids[year].detail


def test_the_public_gets_no_trace_of_a_finding_it_does_not_have():
    union, treaties, events = _loaded(DEFAULT_UNION)
    secret = [f for f in compliance(union, treaties, events, "1940-07-01") if f.instrument == "declaration-1934"]
    assert secret
    # On that day the declaration was confidential: the public then had no finding on it.
    assert trace(union, treaties, visible(events, PUBLIC, at="1940-07-01"), "1940-07-01", secret[0].id) is None
    assert trace(union, treaties, events, "1940-07-01", secret[0].id) is not None


def test_the_trace_gives_the_article_in_the_language_asked_for():
    union, treaties, events = _loaded(DEFAULT_UNION)
    f = next(f for f in compliance(union, treaties, events, "1938-12-31") if f.rule_id == "periodic-conferences")
    lv, en = (trace(union, treaties, events, "1938-12-31", f.id, lang) for lang in ("lv", "en"))
    assert lv is not None and en is not None
    assert (lv.article.lang, en.article.lang) == ("lv", "en") and lv.article.text != en.article.text
    assert "divas reizes gadā" in lv.article.text


def test_the_command_the_api_and_the_page_give_the_same_trace(api, db_url):
    db = db_url(DEFAULT_UNION.name)
    client, issue = api(DEFAULT_UNION, db)
    findings = client.get("/api/compliance?at=1938").json()
    f = next(f for f in findings if f["rule_id"] == "periodic-conferences" and f["status"] == "met")
    answer = client.get(f"/api/findings/{f['id']}/trace?at=1938")
    assert answer.status_code == 200, answer.text
    cli = CliRunner().invoke(main, ["--db", db, "--as", "public", "why", f["id"], "--at", "1938", "--json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output) == answer.json()
    assert [e["id"] for e in answer.json()["counted"]] == f["evidence"]
    # One the public may not see reads as one that does not exist; a party to it gets its trace.
    secret = next(x for x in client.get("/api/compliance", headers=issue("LT")).json()
                  if x["instrument"] == "declaration-1934")
    assert client.get(f"/api/findings/{secret['id']}/trace").status_code == 404
    assert client.get("/api/findings/no.such.finding/trace").status_code == 404
    assert client.get(f"/api/findings/{secret['id']}/trace", headers=issue("LT")).status_code == 200
    unknown = CliRunner().invoke(main, ["--db", db, "--as", "public", "why", secret["id"]])
    assert unknown.exit_code == 1 and unknown.output.count("\n") == 1 and "no finding" in unknown.output
    # Every finding on the compliance page links to its trace's page, which shows its entries.
    page = client.get("/compliance?at=1938", headers={"Accept": "text/html"}).text
    assert all(f"/findings/{x['id']}/why" in page for x in findings)
    why = client.get(f"/findings/{f['id']}/why?at=1938&lang=lv", headers={"Accept": "text/html"})
    assert why.status_code == 200 and all(e in why.text for e in f["evidence"]) and "divas reizes" in why.text
    # Its steps are named in the page's language: the meetings required, of the minimum, in the days of the year.
    assert all(words in why.text for words in ("prasīts", "minimums", "perioda dienas"))
    schema = client.get("/schema/openapi.json").json()
    assert "/api/findings/{finding_id}/trace" in schema["paths"] and "TraceView" in schema["components"]["schemas"]
    # The schema names each rule kind's steps.
    steps = schema["components"]["schemas"]["TraceView"]["properties"]["steps"]["description"]
    assert all(f"{kind}: " in steps for kind in STEPS) and "objected_by_close" in steps


def test_each_partys_duty_is_traced_to_its_day_and_the_entry_that_did_it(tmp_path):
    union, treaties, events = _loaded(duties_union(tmp_path))
    seen = {}
    for day in ("2021-02-01", "2021-06-01"):
        for f in compliance(union, treaties, events, day):
            t = json.loads(json.dumps(msgspec.to_builtins(trace(union, treaties, events, day, f.id))))
            assert t["steps"] and verdict(t) == t["verdict"], f.id
            assert set(t["steps"]) <= set(STEPS["duties"])
            seen[day, f.period, f.parties[0]] = (t["verdict"], t["steps"]["by"], t["steps"]["done_by"])
    assert seen["2021-06-01", "2020", "BB"] == ("breach", "2020-03-31", "bb-2020")  # paid on 10 April
    assert seen["2021-06-01", "2020", "AA"] == ("met", "2020-03-31", "aa-2020")
    assert seen["2021-06-01", "2021", "AA"] == ("breach", "2021-03-31", None)
    assert seen["2021-02-01", "2021", "AA"] == ("pending", "2021-03-31", None)
    # The other parties' payments of the year are left out of AA's finding, each saying why.
    aa = next(f for f in compliance(union, treaties, events, "2021-06-01")
              if f.period == "2020" and f.parties == ["AA"])
    t = trace(union, treaties, events, "2021-06-01", aa.id)
    assert {(e.id, e.why) for e in t.left_out} == {("bb-2020", "it is another party's"),
                                                   ("cc-2020", "it is another party's")}


RULE_CASES = sorted((Path(__file__).parent / "rule_cases").glob("*/*.yaml"))


@pytest.mark.parametrize("path", RULE_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in RULE_CASES])
def test_every_rule_cases_verdicts_follow_from_their_traces(path: Path, tmp_path: Path) -> None:
    """The rule cases reach branches the test unions do not (written procedure, weighted votes, notices, duties):
    each of their findings is judged again from its trace alone."""
    read = read_case(path, tmp_path)
    case, union, treaties, events = read.case, read.union, read.treaties, read.events
    at, reading = case["at"], case.get("reading")
    for f in compliance(union, treaties, events, at, reading):
        t = json.loads(json.dumps(msgspec.to_builtins(trace(union, treaties, events, at, f.id, reading=reading))))
        assert [e["id"] for e in t["counted"]] == f.evidence, f.id
        assert t["steps"], f"{f.id} ({f.rule}) gives no steps"
        assert set(t["steps"]) <= set(STEPS[f.rule])
        assert verdict(t) == f.status, f"{f.id}: {f.detail}"


def test_every_step_has_a_name_in_the_pages_languages():
    named = set(STEP_LABELS)
    assert {name for steps in (*STEPS.values(), COUNT) for name in steps} <= named
    lv = translations("lv")
    assert all(lv.gettext(label) != label or label == "veto" for label in STEP_LABELS.values())
    assert all(lv.gettext(why) != why for why in REASON_LABELS)


def test_the_code_judging_verdicts_again_uses_nothing_of_the_rules():
    source = (Path(__file__).parent / "verdicts.py").read_text(encoding="utf-8")
    imported = {line.split()[1] for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert not any(name.startswith("entente.") and name != "entente.vocabulary.dates" for name in imported)


def test_a_finding_judged_under_one_reading_has_its_trace_too():
    union, treaties, events = _loaded(DEFAULT_UNION)
    every = {f.id for f in compliance(union, treaties, events, "1940-07-01")}
    # Where every reading judges alike, one finding names them all; under one reading alone, it names that one.
    alone = [f for name in reading_names(treaties) for f in compliance(union, treaties, events, "1940-07-01",
                                                                                name) if f.id not in every]
    assert alone
    for f in alone:
        t = trace(union, treaties, events, "1940-07-01", f.id)  # the reading is found from the identifier
        assert t is not None and t.rule.reading_name == f.reading_name and t.verdict == f.status
