"""A union that is not the Baltic Entente, described by files alone, judged against expected findings in a file."""

from __future__ import annotations

import yaml

from entente.rules import compliance, due, read_treaties
from entente.vocabulary.definition import bundled_record, load_union

from .conftest import CONSORTIUM


def test_the_consortium_findings_are_those_expected():
    expected = yaml.safe_load((CONSORTIUM / "expected-findings.yaml").read_text(encoding="utf-8"))
    union, treaties = load_union(CONSORTIUM), read_treaties(CONSORTIUM)
    events = bundled_record(union)
    got = compliance(union, treaties, events, expected["at"])
    assert [(f.rule_id, f.status) for f in got] == [(e["rule_id"], e["status"]) for e in expected["findings"]]
    for finding, want in zip(got, expected["findings"], strict=True):
        for key in ("period", "subject"):
            if key in want:
                assert getattr(finding, key) == want[key], finding
        assert finding.article in {a.article for a in treaties["agreement-2020"].articles}
    items = {d.rule_id: d for d in due(union, treaties, events, expected["at"])}
    for want in expected["due"]:
        item = items[want.pop("rule_id")]
        assert {k: getattr(item, k) for k in want} == want
