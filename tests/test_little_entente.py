"""A council of another shape than the consortium, from public facts, by files alone: the Little Entente of 1933.

Several meeting series (ordinary sessions in turn, sessions at Geneva during
the League's Assembly), a presidency held by the host of the ordinary session
until the next, acts that need the Council's consent, and contested readings;
its expected findings are data beside it (tests/unions/little_entente).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from entente.rules import compliance, due, presidencies, read_treaties
from entente.views import reports as views
from entente.vocabulary.definition import bundled_record, load_union

from .conftest import TESTS
from .test_cli_record import run

LITTLE_ENTENTE = TESTS / "unions" / "little_entente"
EXPECTED = yaml.safe_load((LITTLE_ENTENTE / "expected-findings.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def union() -> tuple[Any, Any, Any]:
    union = load_union(LITTLE_ENTENTE)
    return union, read_treaties(LITTLE_ENTENTE), bundled_record(union)


def _pick(row: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(row, k) if not isinstance(row, dict) else row.get(k) for k in keys}


def test_the_findings_are_those_expected(union) -> None:
    got = compliance(*union, EXPECTED["at"])
    assert [_pick(f, list(want)) for f, want in zip(got, EXPECTED["findings"], strict=False)] == EXPECTED["findings"]
    assert len(got) == len(EXPECTED["findings"])


def test_what_is_due_and_who_presides(union) -> None:
    items = due(*union, EXPECTED["at"])
    for want in EXPECTED["due"]:
        assert any(_pick(d, list(want)) == want for d in items), f"nothing due like {want}"
    offices = presidencies(*union, EXPECTED["at"])
    assert [_pick(o, list(want)) for o, want in zip(offices, EXPECTED["presidency"], strict=True)] == \
        EXPECTED["presidency"]
    # The state view says the same, and the party view gives each party its own terms.
    state = views.union_state(union[0], union[2], EXPECTED["at"], union[1])
    assert [o["holder"] for o in state["presidency"] if o.get("current")] == ["RO"]
    yugoslavia = views.party(union[0], union[1], union[2], "YU", EXPECTED["at"])
    assert [o["since"] for o in yugoslavia["presidency"]] == ["1934-01-01", "1937-04-01"]


def test_one_reading_chosen_on_the_command_line(db_url) -> None:
    result = run(db_url("le"), "compliance", "--at", "1938-12-31", "--reading",
                 "treaties-of-friendship-excluded", "--json", union=LITTLE_ENTENTE)
    consent = [f for f in yaml.safe_load(result.output) if f["rule_id"] == "consent"]
    assert [(f["subject"], f["status"], f["reading_name"]) for f in consent] == [
        ("yu-it-agreement", "breach", "treaties-of-friendship-excluded")]
    unknown = run(db_url("le"), "compliance", "--reading", "lenient", union=LITTLE_ENTENTE)
    assert unknown.exit_code == 2 and "no rule has a reading named 'lenient'" in unknown.output


def test_one_reading_chosen_over_the_api(api) -> None:
    client, _ = api(LITTLE_ENTENTE)
    rows = client.get("/api/compliance", params={"at": "1938-12-31", "reading": "each-once-per-cycle"}).json()
    rotation = [(f["status"], f["reading_name"]) for f in rows if f["rule_id"] == "ordinary-rotation"]
    assert rotation == [("met", "each-once-per-cycle")] * 2 + [("breach", "each-once-per-cycle"),
                                                               ("met", "each-once-per-cycle")]
    bad = client.get("/api/compliance", params={"reading": "lenient"})
    assert bad.status_code == 400 and "no rule has a reading named 'lenient'" in bad.text
    state = client.get("/api/state", params={"at": "1938-12-31"}).json()
    assert [(o["holder"], o["since"]) for o in state["presidency"] if o.get("current")] == [("RO", "1938-05-01")]
