"""The decision rule: whether a motion passes among the parties bound, and the sentence saying why."""

from __future__ import annotations

import msgspec
import pytest

from entente.rules.decision import deadline, decide, names, overdue
from entente.vocabulary.treaty import DecisionRule

VOTERS = ["AA", "BB", "CC"]
UNANIMITY = DecisionRule(rule="unanimity")
MAJORITY = DecisionRule(rule="majority")
QUALIFIED = DecisionRule(rule="qualified", threshold=0.6667)


@pytest.mark.parametrize(
    ("rule", "votes", "raiser", "passes", "why"),
    [
        (UNANIMITY, {"AA": "yes", "BB": "yes", "CC": "yes"}, None, True, "every party (AA, BB and CC) voted yes"),
        (UNANIMITY, {"AA": "yes", "BB": "no", "CC": "no"}, "AA", False,
         "unanimity needs every party's yes; BB and CC voted no"),
        (UNANIMITY, {"AA": "yes", "BB": "yes", "CC": "abstain"}, None, False, "CC abstained"),
        (UNANIMITY, {"AA": "yes", "BB": "yes"}, None, False, "CC did not vote"),
        (UNANIMITY, {"AA": "yes", "BB": "yes", "CC": "yes", "ZZ": "no"}, None, True, "voted yes"),  # ZZ not bound
        (MAJORITY, {"AA": "yes", "BB": "yes", "CC": "no"}, None, True, "2 of 3 parties voted yes, more than half"),
        (MAJORITY, {"AA": "yes", "BB": "abstain", "CC": "no"}, None, False, "only 1 of 3 parties voted yes"),
        (QUALIFIED, {"AA": "yes", "BB": "yes", "CC": "yes"}, None, True, "3 of 3 parties voted yes (1.00)"),
        # A threshold written as 0.6667 means two thirds: 2 of 3 reaches it, 3 of 5 does not.
        (QUALIFIED, {"AA": "yes", "BB": "yes", "CC": "no"}, None, True, "2 of 3 parties voted yes (0.67)"),
        (DecisionRule(rule="qualified", threshold=0.6), {"AA": "yes", "BB": "yes", "CC": "no"}, None, True,
         "qualified majority of 0.6: 2 of 3 parties voted yes"),
        (QUALIFIED, {"AA": "yes", "BB": "no", "CC": "no"}, None, False, "needs a share of 0.6667 voting yes"),
    ],
)
def test_decide(rule: DecisionRule, votes: dict[str, str], raiser: str | None, passes: bool, why: str) -> None:
    got, sentence = decide(rule, votes, VOTERS, raiser)
    assert got is passes
    assert why in sentence


@pytest.mark.parametrize("rule", [MAJORITY, QUALIFIED, UNANIMITY])
def test_raiser_veto_blocks_whatever_the_count(rule: DecisionRule) -> None:
    veto = DecisionRule(rule=rule.rule, threshold=rule.threshold, veto="raiser")
    votes = {"AA": "no", "BB": "yes", "CC": "yes", "DD": "yes"}
    assert decide(rule, votes, [*VOTERS, "DD"], "AA")[0] is (rule.rule != "unanimity")
    passes, why = decide(veto, votes, [*VOTERS, "DD"], "AA")
    assert not passes and "AA raised it and voted no" in why


@pytest.mark.parametrize("rule", [UNANIMITY, MAJORITY, QUALIFIED])
def test_no_voters_nothing_passes(rule: DecisionRule) -> None:
    assert decide(rule, {"AA": "yes"}, [], "AA") == (False, "no party was bound to decide it")


def test_qualified_without_threshold_is_refused_where_the_treaty_is_read() -> None:
    with pytest.raises(msgspec.ValidationError, match="needs a threshold between 0 and 1"):
        msgspec.convert({"rule": "qualified"}, DecisionRule)


def test_three_of_five_falls_short_of_two_thirds() -> None:
    votes = {"AA": "yes", "BB": "yes", "CC": "yes", "DD": "no", "EE": "no"}
    assert decide(QUALIFIED, votes, [*VOTERS, "DD", "EE"], None)[0] is False


@pytest.mark.parametrize(
    ("parties", "text"), [([], "no party"), (["BB"], "BB"), (["BB", "AA"], "AA and BB"), (VOTERS, "AA, BB and CC")]
)
def test_names(parties: list[str], text: str) -> None:
    assert names(parties) == text


@pytest.mark.parametrize(
    ("edtf", "days", "by"),
    [("2000-01-30", 5, "2000-02-04"), ("2000-01", 1, "2000-02-01"), ("2000-01-01/2000-01-03", 0, "2000-01-03"),
     ("2000-01-01", None, None)],
)
def test_deadline_runs_from_the_latest_day(edtf: str, days: int | None, by: str | None) -> None:
    assert deadline(edtf, days) == by


@pytest.mark.parametrize(
    ("by", "at", "ended", "late"),
    [("2000-01-10", "2000-01-10", None, False), ("2000-01-10", "2000-01-11", None, True),
     ("2000-01-10", "2000-02-01", "2000-01-10", False), ("2000-01-10", "2000-02-01", "2000-01-11", True),
     (None, "2000-02-01", None, False)],
)
def test_overdue_only_while_bound(by: str | None, at: str, ended: str | None, late: bool) -> None:
    assert overdue(by, at, ended) is late
