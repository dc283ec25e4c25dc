"""Rule tests written as data, one YAML file per case under tests/rule_cases/<kind>/.

A case file holds a union's parties, a treaty (articles with rule settings), a
record, the day to judge on, and the findings and due items expected::

    parties: [AA, BB, CC]
    treaty: {instrument: t, title: {en: T}, articles: [...]}
    events: [...]
    at: "2001-06-01"
    reading: calendar    # optional: judge under this reading of the contested articles only
    focus: [q1]          # optional: judge only these questions, requests and proposals (as for a new entry)
    expect:
      findings:          # in order; every listed field must match, detail by substring, whole_detail exactly
        - {rule_id: r, status: met, period: "2000", detail: "2 of at least 2"}
        - {rule_id: r, status: met, whole_detail: "question “Trade”: every party bound (AA) has stated a position"}
        - {rule_id: r, outcome: {adopted: true, on: "2001-02-01"}}   # a nested struct: the keys listed
      due:
        - {rule_id: r, host: BB}

Each case is checked against exactly the findings listed (no more, no fewer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from entente.rules import judge

from .rule_case import read_case

CASES = sorted((Path(__file__).parent / "rule_cases").glob("*/*.yaml"))


def _matches(actual: msgspec.Struct, expected: dict[str, Any]) -> bool:
    for key, value in expected.items():
        got = getattr(actual, "detail" if key == "whole_detail" else key)  # whole_detail: nothing may follow
        if key == "detail" and isinstance(value, str):
            if value not in got:
                return False
        elif isinstance(value, dict) and isinstance(got, msgspec.Struct | dict):  # nested: the keys listed
            plain = msgspec.to_builtins(got)
            if any(plain.get(k) != v for k, v in value.items()):
                return False
        elif got != value:
            return False
    return True


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_rule_case(path: Path, tmp_path: Path) -> None:
    read = read_case(path, tmp_path)
    case, union, treaties, events = read.case, read.union, read.treaties, read.events
    at = case["at"]
    expect = case["expect"]
    reading = case.get("reading")  # one reading of the contested articles; default: each where they differ
    focus = frozenset(case["focus"]) if "focus" in case else None
    # A case that lists a finding's steps asks for them, as `entente why` does.
    traced = any("steps" in f for f in expect.get("findings", []))
    findings = judge(union, treaties, events, at, reading, due_wanted=False, focus=focus, traced=traced)[0]
    if "findings" in expect:
        wanted = expect["findings"]
        shown = "\n".join(f"  {f.rule_id} {f.status} {f.period or f.subject}: {f.detail}" for f in findings)
        assert len(findings) == len(wanted), f"expected {len(wanted)} findings, got:\n{shown}"
        for got, want in zip(findings, wanted, strict=True):
            assert _matches(got, want), f"finding {got} does not match {want}"
    if "due" in expect:
        items = judge(union, treaties, events, at, reading)[1]
        assert len(items) == len(expect["due"]), f"due items: {items}"
        for got, want in zip(items, expect["due"], strict=True):
            assert _matches(got, want), f"due item {got} does not match {want}"
