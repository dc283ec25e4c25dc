"""How the parties decide a motion under a treaty's decision rule, who is bound to take part, and by when.

Not a rule kind: the helpers the rule kinds share, so a joint position and a
proposal are judged by the same reading of ``DecisionRule``, and every kind
counts the parties bound at a date and a deadline the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

from entente.vocabulary import dates
from entente.vocabulary.treaty import DecisionRule


def names(parties: Iterable[str]) -> str:
    """Party codes as an English list: "AA", "AA and BB", "AA, BB and CC"."""
    items = sorted(parties)
    if len(items) < 2:
        return items[0] if items else "no party"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short(votes: dict[str, str], voters: list[str]) -> str:
    """Who stood in the way of a unanimous yes: the noes, the abstentions and the missing votes."""
    by_vote: dict[str, list[str]] = {"no": [], "abstain": [], "": []}  # "": no vote, or none of the three
    for v in voters:
        if (vote := votes.get(v)) != "yes":
            by_vote[vote if vote in by_vote else ""].append(v)
    return "; ".join(f"{names(who)} {label}" for label, who in (("voted no", by_vote["no"]),
                     ("abstained", by_vote["abstain"]), ("did not vote", by_vote[""])) if who)


def decide(rule: DecisionRule, votes: dict[str, str], voters: list[str], raiser: str | None) -> tuple[bool, str]:
    """Whether a motion passes among ``voters`` under ``rule``, and a sentence saying why.

    Votes of anyone not among the voters do not count; an abstention or a missing vote is not a yes.
    """
    if not voters:
        return False, "no party was bound to decide it"
    if rule.veto == "raiser" and raiser is not None and votes.get(raiser) == "no":
        return False, f"{raiser} raised it and voted no, which blocks it whatever the count"
    yes = [v for v in voters if votes.get(v) == "yes"]
    count = f"{len(yes)} of {len(voters)} parties voted yes"
    if rule.rule == "unanimity":
        if len(yes) == len(voters):
            return True, f"unanimity: every party ({names(voters)}) voted yes"
        return False, f"unanimity needs every party's yes; {_short(votes, voters)}"
    if rule.rule == "majority":
        if 2 * len(yes) > len(voters):
            return True, f"majority: {count}, more than half"
        return False, f"a majority needs more than half of the parties' yes; only {count}"
    assert rule.threshold is not None  # DecisionRule refuses a qualified majority without one
    # A threshold written as a rounded decimal (0.6667) means the simple fraction near it (2/3).
    needed = Fraction(rule.threshold).limit_denominator(100)
    share = len(yes) / len(voters)
    if Fraction(len(yes), len(voters)) >= needed:
        return True, f"qualified majority of {rule.threshold:g}: {count} ({share:.2f})"
    return False, f"a qualified majority needs a share of {rule.threshold:g} voting yes; only {count} ({share:.2f})"


def deadline(edtf: str, days: int | None) -> str | None:
    """The last day something owed within ``days`` of an event may be done on.

    An uncertain date is read in the debtor's favour: the days run from the latest day it can mean.
    """
    if days is None:
        return None
    return (date.fromisoformat(dates.end(edtf)) + timedelta(days=days)).isoformat()


def overdue(by: str | None, at: str, ended: str | None) -> bool:
    """Whether a deadline passed by ``at`` while the instrument (ending on ``ended``, if it did) still bound."""
    return by is not None and by < at and (ended is None or by < dates.start(ended))
