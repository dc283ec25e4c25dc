"""Counts at their edges: a motion's outcome as data and the sentence saying it, for each procedure a founding
document writes, where one vote more or less, one weight or one word of the rule changes the result."""

from __future__ import annotations

from typing import Any

import pytest

from entente.rules.decision import procedure_words, tally
from entente.vocabulary.said import say
from entente.vocabulary.treaty import DecisionRule

FOUR = ["AA", "BB", "CC", "DD"]


def _rule(**settings: Any) -> DecisionRule:
    return DecisionRule(**settings)


@pytest.mark.parametrize(("settings", "words"), [
    ({"rule": "unanimity"}, "unanimity"),
    ({"rule": "consensus", "excluding": "concerned"}, "consensus, the member concerned not counted"),
    ({"rule": "majority"}, "majority of the members"),
    ({"rule": "majority", "of": "votes_cast", "weights": {"AA": 2}}, "majority of the votes cast, weighted"),
    ({"rule": "qualified", "threshold": 0.6}, "qualified majority of 0.6 of the members"),
    ({"rule": "qualified", "threshold": 0.55, "weights": {"AA": 1}}, "qualified majority of 0.55 of the members, "
                                                                      "weighted"),
])
def test_the_procedure_in_words(settings: dict[str, Any], words: str) -> None:
    assert procedure_words(_rule(**settings)) == words


# (the rule's settings, the votes, whether adopted, the sentence, the yes (weights) and what they are a share of)
CASES = [
    # A simple majority is more than half: two of four is not.
    ({"rule": "majority"}, {"AA": "yes", "BB": "yes", "CC": "no"}, False,
     "a majority needs more than half of the parties' yes; only 2 of 4 parties voted yes", 2.0, 4.0),
    ({"rule": "majority", "of": "votes_cast"}, {"AA": "yes", "BB": "no", "CC": "no"}, False,
     "a majority needs more than half; only 1 of 3 votes cast were yes", 1.0, 3.0),
    ({"rule": "majority", "of": "votes_cast"}, {"AA": "yes", "BB": "abstain"}, True,
     "majority: 1 of 1 vote cast was yes, more than half", 1.0, 1.0),
    ({"rule": "majority", "of": "votes_cast"}, {"AA": "abstain"}, False, "no vote was cast", 0.0, 0.0),
    # Weights: a member the treaty gives none has none.
    ({"rule": "majority", "weights": {"AA": 3, "BB": 1}}, {"AA": "yes", "CC": "yes"}, True,
     "majority: 3 of 4 weighted votes were yes, more than half", 3.0, 4.0),
    ({"rule": "majority", "of": "votes_cast", "weights": {"AA": 3, "BB": 1}}, {"AA": "no", "BB": "yes"}, False,
     "a majority needs more than half; only 1 of 4 weighted votes cast were yes", 1.0, 4.0),
    ({"rule": "majority", "weights": {"ZZ": 1}}, {"AA": "yes"}, False, "no member has a vote", 0.0, 0.0),
    # Weights below one: the share is of the weights, not of whole votes.
    ({"rule": "qualified", "threshold": 0.6, "weights": {"AA": 0.5, "BB": 0.5, "CC": 0.5}},
     {"AA": "yes", "BB": "yes", "CC": "no"}, True,
     "qualified majority of 0.6: 1 of 1.5 weighted votes were yes (0.67)", 1.0, 1.5),
    # A blocking minority: fewer against than it deems the share attained; as many does not.
    ({"rule": "qualified", "threshold": 0.75, "of": "votes_cast", "blocking_minimum": 2},
     {"AA": "yes", "BB": "yes", "CC": "no", "DD": "abstain"}, True,
     "qualified majority of 0.75 deemed attained: 2 of 3 votes cast were yes (0.67), but fewer than 2 members "
     "voted against (CC)", 2.0, 3.0),
    ({"rule": "qualified", "threshold": 0.75, "blocking_minimum": 1}, {"AA": "yes", "BB": "yes", "CC": "yes",
                                                                        "DD": "no"}, True,
     "qualified majority of 0.75: 3 of 4 parties voted yes (0.75)", 3.0, 4.0),
    ({"rule": "qualified", "threshold": 0.8, "blocking_minimum": 1}, {"AA": "yes", "BB": "yes", "CC": "yes",
                                                                       "DD": "no"}, False,
     "a qualified majority needs a share of 0.8 voting yes; only 3 of 4 parties voted yes (0.75)", 3.0, 4.0),
    # A double majority: the share of the members is met exactly.
    ({"rule": "qualified", "threshold": 0.6, "weights": {"AA": 5, "BB": 3, "CC": 1, "DD": 1},
      "member_threshold": 0.5}, {"AA": "yes", "BB": "yes", "CC": "no", "DD": "no"}, True,
     "qualified majority of 0.6: 8 of 10 weighted votes were yes (0.80); 2 of 4 members voted yes, at least 0.5 "
     "of them", 8.0, 10.0),
    ({"rule": "qualified", "threshold": 0.6, "weights": {"AA": 5, "BB": 3, "CC": 1, "DD": 1},
      "member_threshold": 0.75}, {"AA": "yes", "BB": "yes", "CC": "no", "DD": "no"}, False,
     "qualified majority of 0.6: 8 of 10 weighted votes were yes (0.80); but only 2 of 4 members voted yes, short "
     "of 0.75 of the members", 8.0, 10.0),
]


@pytest.mark.parametrize(("settings", "votes", "adopted", "why", "yes", "out_of"), CASES)
def test_the_count_at_its_edges(settings: dict[str, Any], votes: dict[str, str], adopted: bool, why: str,
                                yes: float, out_of: float) -> None:
    outcome, sentence = tally(_rule(**settings), votes, FOUR)
    assert (outcome.adopted, say(sentence), outcome.yes, outcome.out_of) == (adopted, why, yes, out_of)


def test_a_member_without_a_weight_is_counted_with_none() -> None:
    outcome, _ = tally(_rule(rule="majority", weights={"AA": 3, "BB": 1}), {"AA": "yes"}, FOUR)
    assert [(c.party, c.vote, c.weight) for c in outcome.counted] == [("AA", "yes", 3.0), ("BB", "", 1.0),
                                                                      ("CC", "", 0.0), ("DD", "", 0.0)]


def test_the_member_concerned_is_counted_unless_the_rule_leaves_it_out() -> None:
    votes = {"AA": "yes", "BB": "yes", "CC": "yes", "DD": "no"}
    counted, why = tally(_rule(rule="unanimity"), votes, FOUR, concerned="DD")
    assert not counted.adopted and [c.party for c in counted.counted] == FOUR and counted.not_counted == []
    assert say(why) == "unanimity needs every party's yes; DD voted no"
    left_out, why = tally(_rule(rule="unanimity", excluding="concerned"), votes, FOUR, concerned="DD")
    assert left_out.adopted and [c.party for c in left_out.counted] == ["AA", "BB", "CC"]
    assert [(n.party, n.why) for n in left_out.not_counted] == [("DD", "the member the decision concerns")]
    assert say(why) == "unanimity: every party (AA, BB and CC) voted yes; DD, whom it concerns, is not counted"


def test_a_vote_from_outside_the_count_is_listed_and_says_nothing_of_the_member_concerned() -> None:
    outcome, why = tally(_rule(rule="consensus"), {"AA": "yes", "ZZ": "no"}, ["AA", "BB"], concerned="ZZ")
    assert outcome.adopted and say(why) == "consensus: no party objected (BB did not vote)"
    assert [(n.party, n.why) for n in outcome.not_counted] == [("ZZ", "not a member counted on the day")]
