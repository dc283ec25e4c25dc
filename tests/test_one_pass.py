"""The rules read off the record folded once give what the rules that replayed the record per item gave.

Both evaluations run side by side on every union the tests carry (the Baltic
Entente, the consortium, the triad, every rule case), on every day an event
starts on, the day before it, and each case's own day.  They differ only
where the old one was wrong: a decision changing a rule from a day on also
rewrote the verdicts of the periods before it, and a rule added by a decision
broke every evaluation between the decision and its effective day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from entente.rules import judge, read_treaties, read_treaty
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import AnyEvent, RuleChanged
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Party, Union

from .conftest import CONSORTIUM, TESTS
from .legacy import rules as legacy

CASES = sorted((TESTS / "rule_cases").glob("*/*.yaml"))


def _days(events: list[Any], extra: list[str]) -> list[str]:
    starts = {e.date[:10] for e in events if len(e.date) >= 10 and e.date[4] == "-" and e.date[7] == "-"}
    starts |= {(date.fromisoformat(d) - timedelta(days=1)).isoformat() for d in starts}
    return sorted(starts | set(extra))


def _added_not_yet_effective(events: list[Any], day: str) -> bool:
    """A rule added by a decision recorded by ``day`` and effective after it: the old evaluation's fault."""
    return any(isinstance(e, RuleChanged) and e.rule_kind and e.effective and dates.start(e.date) <= day < e.effective
               for e in events)


def _compare(union: Union, treaties: dict[str, Treaty], events: list[Any], days: list[str]) -> list[str]:
    differences = []
    for day in days:
        new = msgspec.to_builtins(judge(union, treaties, events, day))
        try:
            old = msgspec.to_builtins(legacy.judge(union, treaties, events, day))
        except msgspec.ValidationError as exc:
            if not _added_not_yet_effective(events, day):
                differences.append(f"{day}: the old evaluation failed ({exc})")
            continue
        if new != old:
            differences.append(f"{day}: differ")
    return differences


def _case(path: Path, tmp_path: Path) -> tuple[Union, dict[str, Treaty], list[Any], str]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    union = Union(id="case", name={"en": path.stem},
                  parties=tuple(Party(code=c, names={"en": c}) for c in case["parties"]))
    treaty_file = tmp_path / "treaty.yaml"
    treaty_file.write_text(yaml.safe_dump(case["treaty"], allow_unicode=True), encoding="utf-8")
    treaties = {t.instrument: t for t in [read_treaty(treaty_file)] + [
        msgspec.convert(extra, Treaty) for extra in case.get("other_treaties", [])]}
    return union, treaties, [msgspec.convert(e, AnyEvent) for e in case["events"]], case["at"]


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_rule_cases_agree(path: Path, tmp_path: Path) -> None:
    union, treaties, events, at = _case(path, tmp_path)
    assert _compare(union, treaties, events, _days(events, [at])) == []


def test_consortium_and_triad_agree() -> None:
    for folder in (CONSORTIUM, TESTS / "unions" / "triad"):
        union = load_union(folder)
        events = bundled_record(union)
        assert _compare(union, read_treaties(folder), events, _days(events, ["2030-01-01"])) == []


def test_baltic_entente_agrees() -> None:
    union = load_union(DEFAULT_UNION)
    events = bundled_record(union)
    # Weekly meetings decided on 14-16 March 1940, effective on the 16th: the old evaluation broke
    # on the days in between; the one-pass evaluation applies the rule from the 16th.
    assert _added_not_yet_effective(events, "1940-03-15")
    assert _compare(union, read_treaties(DEFAULT_UNION), events, _days(events, ["1941-01-01"])) == []


def test_a_decision_raising_the_minimum_from_1939_leaves_the_years_before_it_as_they_were() -> None:
    union = load_union(DEFAULT_UNION)
    treaties = read_treaties(DEFAULT_UNION)
    events = bundled_record(union)
    raised = RuleChanged(id="three-a-year", date="1938-12-01", instrument="entente-1934", rule="periodic-conferences",
                         effective="1939-01-01", settings={"minimum": 3})

    def years(record: list[Any], evaluate: Any) -> dict[str, str]:
        findings = evaluate(union, treaties, record, "1940-12-31")[0]
        return {f.period: f.status for f in findings if f.rule_id == "periodic-conferences"}

    before, after = years(events, judge), years([*events, raised], judge)
    assert {y: after[y] for y in ("1935", "1936", "1937")} == {"1935": "met", "1936": "met", "1937": "met"}
    assert {y: after[y] for y in after if y < "1939"} == {y: before[y] for y in before if y < "1939"}
    assert (before["1939"], after["1939"]) == ("met", "breach")  # two held, three asked from 1939 on
    # The evaluation this one replaces rewrote the earlier years under the later minimum.
    old = years([*events, raised], legacy.judge)
    assert {old[y] for y in ("1935", "1936", "1937")} == {"breach"}
