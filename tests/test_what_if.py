"""What-if runs: scenario files, the differences each makes, secrecy, and a store left as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from click.testing import CliRunner

from entente.cli import main
from entente.replay.dated import fold
from entente.rules import SETTINGS, read_treaties
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import AnyEvent, Restricted, kind_of
from entente.vocabulary.yamlfile import FileError
from entente.whatif.run import what_if
from entente.whatif.scenario import Change, Classify, Scenario, read_scenario

CASES = Path(__file__).parent / "what_if"
BUNDLED = DEFAULT_UNION / "scenarios"


@pytest.fixture(scope="module")
def baltic_union() -> Any:
    union = load_union()
    return union, read_treaties(DEFAULT_UNION), bundled_record(union)


def _run(baltic_union: Any, path: Path, viewer: Viewer, at: str | None = None) -> dict[str, Any]:
    union, treaties, events = baltic_union
    scenario = read_scenario(path, union, SETTINGS)
    day = at or scenario.at or "1940-07-01"
    return what_if(union, treaties, viewer, visible(events, viewer, at=day), scenario, day)


def _about(row: dict[str, Any]) -> str:
    about = row.get("period") or row.get("subject")
    return (f" {about}" if about else "") + (f" [{row['reading_name']}]" if row.get("reading_name") else "")


def _day(due: dict[str, Any]) -> str:
    return due.get("by") or due.get("on") or ("—" if not due else "no day")


def summary(result: dict[str, Any]) -> list[str]:
    """Each difference as one line: what changed, and its verdict or value before and after."""
    lines = []
    for f in result["findings"]:
        b, a = f["before"] or {}, f["after"] or {}
        lines.append(f"finding {f['change']} {(b or a)['rule_id']}{_about(b or a)}: {b.get('status', '—')} -> "
                     f"{a.get('status', '—')}")
    lines += [f"state {s['line']}: {json.dumps(s['before'])} -> {json.dumps(s['after'])}" for s in result["state"]]
    for d in result["due"]:
        b, a = d["before"] or {}, d["after"] or {}
        lines.append(f"due {d['change']} {(b or a)['rule_id']} {(b or a)['what']}: {_day(b)} -> {_day(a)}")
    return lines


CASE_LIST = yaml.safe_load((CASES / "cases.yaml").read_text())


@pytest.mark.parametrize("case", CASE_LIST, ids=[f"{Path(c['scenario']).stem}-{c['as']}" for c in CASE_LIST])
def test_each_case_makes_exactly_its_differences(baltic_union, case):
    result = _run(baltic_union, CASES / case["scenario"], Viewer.parse(case["as"]))
    assert summary(result) == case["expect"]


@pytest.mark.parametrize("path", [*sorted(BUNDLED.glob("*.yaml")), *(CASES / c["scenario"] for c in CASE_LIST)],
                         ids=lambda p: p.stem)
@pytest.mark.parametrize("viewer", [SECRETARIAT, PUBLIC, Viewer.parse("LT")], ids=str)
def test_judging_only_what_a_scenario_concerns_finds_every_difference_judging_everything_finds(
        baltic_union, path, viewer):
    union, treaties, events = baltic_union
    scenario = read_scenario(path, union, SETTINGS)
    seen = visible(events, viewer)
    try:
        full = what_if(union, treaties, viewer, seen, scenario, scenario.at or "1940-07-01", narrow=False)
    except FileError:
        pytest.skip(f"{path.name} names what {viewer} does not see")
    narrowed = what_if(union, treaties, viewer, seen, scenario, scenario.at or "1940-07-01")
    assert narrowed == full


def test_every_bundled_scenario_reads_and_says_it_is_a_counterfactual(baltic_union):
    paths = sorted(BUNDLED.glob("*.yaml"))
    assert len(paths) >= 3
    for path in paths:
        scenario = read_scenario(path, baltic_union[0], SETTINGS)
        assert scenario.why.startswith("A counterfactual."), path.name
        assert _run(baltic_union, path, SECRETARIAT)["findings"], path.name


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text("title: t\nwhy: w\n" + text)
    return path


@pytest.mark.parametrize(("text", "where"), [
    ("changes:\n  - remove: x\n    add: {kind: outside_event}\n", "line 4, field 'changes[0]'"),
    ("changes:\n  - settings: {instrument: entente-1934, rule: periodic-conferences, set: {minimun: 4}}\n",
     "line 4, field 'changes[0].settings.set'"),
    ("changes:\n  - add:\n      kind: assistance_responded\n      id: x\n      date: 1939-03-20\n      request: r\n"
     "      party: LV\n      response: perhaps\n", "line 10, entry 'change 1 (add)', field 'response'"),
    ("changes:\n  - classify: {entry: x, classification: secret}\n", "line 4, entry 'change 1 (classify)'"),
    ("title2: x\nchanges: []\n", "line 3, field 'title2'"),
])
def test_a_bad_file_is_refused_in_one_line_naming_the_line_and_field(baltic_union, tmp_path, text, where):
    with pytest.raises(FileError) as caught:
        read_scenario(_scenario(tmp_path, text), baltic_union[0], SETTINGS)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{tmp_path / 's.yaml'}, ")
    assert where in message, message


def test_a_setting_of_the_wrong_type_is_refused_when_run(baltic_union, tmp_path):
    path = _scenario(tmp_path, "changes:\n  - settings: {instrument: entente-1934, rule: periodic-conferences, "
                               "set: {minimum: four}}\n")
    with pytest.raises(FileError, match=r"line 4, entry 'change 1 \(settings\)', field 'set': not a setting of a "
                                        r"periodic_meetings rule"):
        _run(baltic_union, path, SECRETARIAT)


def _refusal(baltic_union: Any, tmp_path: Path, change: str, viewer: Viewer) -> str:
    with pytest.raises(FileError) as caught:
        _run(baltic_union, _scenario(tmp_path, f"changes:\n  - {change}\n"), viewer)
    return str(caught.value)


@pytest.mark.parametrize(("hidden", "unknown"), [
    ("remove: declaration-1934-signed", "remove: no-such-entry"),
    ("classify: {entry: declaration-1934-signed, classification: public}",
     "classify: {entry: no-such-entry, classification: public}"),
    ("settings: {instrument: declaration-1934, rule: vilnius-excepted, set: {subjects: {}}}",
     "settings: {instrument: no-such-treaty, rule: vilnius-excepted, set: {subjects: {}}}"),
    ("reading: {instrument: entente-1934, rule: specific-problems-excepted, name: vilnius-only}",
     "reading: {instrument: entente-1934, rule: specific-problems-excepted, name: no-such-reading}"),
])
def test_the_public_cannot_name_a_hidden_entry_or_rule(baltic_union, tmp_path, hidden, unknown):
    """Refused in the very words an id that does not exist gets, so the refusal tells nothing."""
    said = _refusal(baltic_union, tmp_path, hidden, PUBLIC)
    assert said.replace("declaration-1934-signed", "no-such-entry").replace("declaration-1934", "no-such-treaty") \
        .replace("vilnius-only", "no-such-reading") == _refusal(baltic_union, tmp_path, unknown, PUBLIC)
    assert "vilnius-only" not in said.split("its readings:")[-1]  # the confidential reading is not listed
    # The secretariat, which sees it, is not refused (a rule's settings may still not fit, as here).
    if hidden.startswith(("remove", "classify", "reading")):
        _run(baltic_union, _scenario(tmp_path, f"changes:\n  - {hidden}\n"), SECRETARIAT)


def test_a_public_scenario_that_signs_the_hidden_declaration_brings_none_of_its_rules(baltic_union, tmp_path):
    path = _scenario(tmp_path, """at: 1940-07-01
changes:
  - add:
      kind: instrument_signed
      id: x-signed
      date: "1934-09-12"
      instrument: declaration-1934
      title: {en: A paper}
      form: declaration
      parties: [EE, LV, LT]
  - add: {kind: instrument_entered_into_force, id: x-in-force, date: "1934-11-13", instrument: declaration-1934}
""")
    result = _run(baltic_union, path, PUBLIC)
    text = json.dumps(result, ensure_ascii=False).lower()
    assert "vilnius" not in text and "excepted" not in text and "point-" not in text
    sensitive = baltic_union[1]["declaration-1934"].sensitive
    assert not [word for word in sensitive if word.lower() in text]
    assert all((f["before"] or f["after"])["instrument"] != "declaration-1934" for f in result["findings"])


def test_the_command_answers_and_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "w.db"
    scenario = str(BUNDLED / "four-conferences-a-year.yaml")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "timeline", "--json"]).exit_code == 0  # the store made, loaded
    # The public's log signed once, as any read of the public's names its version: named again at the same size,
    # it is not signed anew.
    assert runner.invoke(main, ["--db", str(db), "--as", "public", "checkpoint"]).exit_code == 0

    def stored() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir()) if p.is_file()}

    before = stored()
    table = runner.invoke(main, ["--db", str(db), "what-if", scenario])
    assert table.exit_code == 0, table.output
    assert "A treaty that required four conferences a year" in table.output
    assert "entente-1934, art. 2" in table.output and "breach: 1935: 2 of at least 4" in table.output
    data = runner.invoke(main, ["--db", str(db), "--as", "public", "what-if", scenario, "--at", "1936", "--json"])
    assert data.exit_code == 0, data.output
    result = json.loads(data.output)
    assert result["at"] == "1936-12-31" and result["viewer"] == "public"
    # 1934 to 1936 in calendar years; in treaty years (from 13 November 1934), the first two and the one running.
    assert [f["after"]["status"] for f in result["findings"] if f["after"]["reading_name"] == "calendar-year"] == [
        "met", "breach", "breach"]
    assert [f["after"]["status"] for f in result["findings"] if f["after"]["reading_name"] == "treaty-year"] == [
        "breach", "breach", "pending"]
    assert stored() == before


def test_the_command_refuses_a_bad_scenario_in_one_line(tmp_path):
    path = _scenario(tmp_path, "changes:\n  - remove: no-such-entry\n")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "w.db"), "--as", "public", "what-if", str(path)])
    assert result.exit_code == 3
    assert result.output.strip() == (f"Error: {path}, line 4, entry 'change 1 (remove)', field 'remove': "
                                     "no entry 'no-such-entry' in the record as public sees it")


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A generated council of about 4,000 entries, as the what-if benchmark makes one of 100,000."""
    from bench import generate

    folder = generate.write_union(tmp_path_factory.mktemp("council") / "union", 30, 20, readings=True)
    return load_union(folder), read_treaties(folder), generate.record(4000, years=20)


@pytest.mark.parametrize("kind", ["entries", "a rule", "a reading", "a classification", "positions", "acts",
                                  "a decision"])
@pytest.mark.parametrize("viewer", [SECRETARIAT, PUBLIC], ids=str)
def test_each_kind_of_scenario_run_narrowly_finds_what_a_full_replay_finds(council, tmp_path, kind, viewer):
    from bench.what_if_scenarios import scenarios

    union, treaties, events = council
    path = tmp_path / "scenario.yaml"
    path.write_text(scenarios(events)[kind])
    scenario = read_scenario(path, union, SETTINGS)
    seen = visible(events, viewer)
    at = max(e.date for e in events)[:10]
    full = what_if(union, treaties, viewer, seen, scenario, at, narrow=False)
    if (kind, viewer) != ("a classification", SECRETARIAT):  # the secretariat sees every entry however classified
        assert full["findings"] or full["state"] or full["due"], "the scenario must change something"
    assert what_if(union, treaties, viewer, seen, scenario, at) == full


UNIONS = [DEFAULT_UNION, *sorted(p for p in (Path(__file__).parent / "unions").iterdir() if p.is_dir())]
# What a scenario may do to an entry, each a path of its own in a narrow run: an instrument's act left out or moved
# (who is bound changes from a day on), an answer or an opening left out or moved, an entry classified away.
_ACTS = ("instrument_signed", "instrument_ratified", "instrument_acceded", "instrument_entered_into_force",
         "instrument_terminated", "withdrawal_notified", "rights_suspended", "rights_restored")


def _scenarios(events: list[Any]) -> list[tuple[str, tuple[Change, ...]]]:
    """Scenarios made from a record: each act left out and moved to another entry's day; the first entry of
    every other kind left out, moved and classified for an instrument's parties; an act left out with an answer
    moved, in one scenario."""
    out: list[tuple[str, tuple[Change, ...]]] = []
    seen: set[str] = set()
    answer = next((e for e in events if kind_of(e) in ("position_stated", "assistance_responded",
                                                        "proposal_decided", "objection_raised")), None)
    for n, e in enumerate(events):
        kind = kind_of(e)
        if kind not in _ACTS and kind in seen:
            continue
        seen.add(kind)
        other = events[(n * 7 + 3) % len(events)]
        out += [(f"remove {e.id}", (Change(remove=e.id),)),
                (f"move {e.id} to {other.date}", (Change(replace=msgspec.structs.replace(e, date=other.date)),))]
        instrument = getattr(e, "instrument", None) or next(
            (x.instrument for x in events if kind_of(x) == "instrument_signed"), None)
        if kind not in _ACTS and instrument:
            out.append((f"classify {e.id}", (Change(classify=Classify(
                entry=e.id, classification=Restricted(instrument=instrument))),)))
        if kind in _ACTS and answer is not None and answer.id != e.id:
            out.append((f"remove {e.id}, move {answer.id}", (Change(remove=e.id), Change(
                replace=msgspec.structs.replace(answer, date=other.date)))))
    return out


def _act_ids(events: list[Any]) -> set[str]:
    return {e.id for e in events if kind_of(e) in _ACTS}


def _union_cases() -> list[tuple[Path, str, str, tuple[Change, ...]]]:
    cases = []
    for folder in UNIONS:
        union = load_union(folder)
        events = bundled_record(union)
        viewers = ["secretariat", "public", union.parties[0].code]
        for viewer in viewers:
            seen = visible(events, Viewer.parse(viewer))
            # A delegation's own view differs from the others' by who is party: asked of the acts only.
            cases += [(folder, viewer, what, changes) for what, changes in _scenarios(seen)
                      if viewer in ("secretariat", "public") or what.split()[1] in _act_ids(seen)]
    return cases


UNION_CASES = _union_cases()


@pytest.mark.parametrize(("folder", "viewer", "what", "changes"), UNION_CASES,
                         ids=[f"{c[0].name}-{c[1]}-{c[2]}" for c in UNION_CASES])
def test_every_union_run_narrowly_on_its_held_fold_finds_what_a_full_replay_finds(folder, viewer, what, changes):
    union, treaties = load_union(folder), read_treaties(folder)
    who = Viewer.parse(viewer)
    seen = visible(bundled_record(union), who)
    scenario = Scenario(title=what, why="A test case, not a question from the sources.", changes=changes)
    for at in sorted({max(dates.end(e.date) for e in seen), dates.start(seen[len(seen) // 2].date)}):
        try:
            full = what_if(union, treaties, who, seen, scenario, at, narrow=False)
        except FileError:
            pytest.skip(f"{what} names what {viewer} does not see")
        assert what_if(union, treaties, who, seen, scenario, at, fold(seen)) == full, at
        assert what_if(union, treaties, who, seen, scenario, at) == full, at


@pytest.mark.parametrize("viewer", [SECRETARIAT, PUBLIC], ids=str)
def test_an_instrument_ended_by_a_scenario_judges_again_the_items_raised_before_its_end(council, viewer):
    """Its end, read on the day judged, changes what an item still owed says, however early it was raised."""
    union, treaties, events = council
    seen = visible(events, viewer)
    end = [e for e in seen if kind_of(e) == "conference_held"][-1].date
    ended = msgspec.convert({"kind": "instrument_terminated", "id": "council-lapsed", "date": end,
                             "instrument": "council-1950", "mode": "lapsed"}, AnyEvent)
    scenario = Scenario(title="The council lapsed", why="A test case.", changes=(Change(add=ended),))
    at = dates.end(end)  # positions on the questions of its last weeks still to come
    full = what_if(union, treaties, viewer, seen, scenario, at, narrow=False)
    earlier = {e.question for e in seen if kind_of(e) == "question_raised" and e.date < end}
    assert any((f["before"] or f["after"]).get("subject") in earlier for f in full["findings"])
    assert what_if(union, treaties, viewer, seen, scenario, at, fold(seen)) == full
