"""How the parties decide a motion under a treaty's decision rule, who is bound to take part, and by when.

Not a rule kind: the helpers the rule kinds share, so a joint position and a
proposal are judged by the same reading of ``DecisionRule``, and every kind
counts the parties bound at a date and a deadline the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction

import msgspec

from entente.rules.outcome import Counted, NotCounted, Outcome
from entente.vocabulary import dates
from entente.vocabulary.treaty import DecisionRule


def names(parties: Iterable[str]) -> str:
    """Party codes as an English list: "AA", "AA and BB", "AA, BB and CC"."""
    items = sorted(parties)
    if len(items) < 2:
        return items[0] if items else "no party"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short(votes: Mapping[str, str], voters: list[str]) -> str:
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
    outcome, why = tally(rule, votes, voters, raiser=raiser)
    return outcome.adopted, why


def _present(votes: Mapping[str, str], counted: list[str], present: Collection[str]) -> list[str]:
    """The members counted who were present: those who voted or abstained, and those said to be present."""
    return [p for p in counted if votes.get(p) in _VOTES or p in present]


_VOTES = ("yes", "no", "abstain")


def procedure_words(rule: DecisionRule) -> str:
    """The procedure in words, for findings and outcomes."""
    what = {"unanimity": "unanimity", "consensus": "consensus", "majority": "majority"}.get(
        rule.rule, f"qualified majority of {rule.threshold or 0:g}")
    if rule.rule in ("majority", "qualified"):
        what += " of the votes cast" if rule.of == "votes_cast" else " of the members"
        what += ", weighted" if rule.weights else ""
    if rule.excluding == "concerned":
        what += ", the member concerned not counted"
    return what


def tally(rule: DecisionRule, votes: Mapping[str, str], members: Sequence[str], *, raiser: str | None = None,
          concerned: str | None = None, present: Collection[str] = (), left_out: Mapping[str, str] | None = None
          ) -> tuple[Outcome, str]:
    """A motion counted under ``rule``: its outcome as data, and a sentence saying why.

    ``members`` are the parties that may vote (bound on the day, their vote not suspended); ``left_out`` the
    parties bound but not counted, with why.  The party the motion ``concerns`` is left out under
    ``excluding: concerned``; a vote from anyone not counted does not count.
    """
    not_counted = {p: why for p, why in (left_out or {}).items()}
    counted = list(members)
    if rule.excluding == "concerned" and concerned in counted:
        counted.remove(concerned)
        not_counted[concerned] = "the member the decision concerns"
    for party in votes:
        if party not in counted and party not in not_counted:
            not_counted[party] = "not a member counted on the day"
    weight = (lambda p: rule.weights.get(p, 0.0)) if rule.weights else (lambda p: 1.0)
    adopted, why, yes, out_of = _count(rule, votes, counted, raiser, present, weight)
    if rule.excluding == "concerned" and concerned in not_counted:
        why += f"; {concerned}, whom it concerns, is not counted"
    outcome = Outcome(adopted=adopted, procedure=procedure_words(rule),
                      counted=[Counted(party=p, vote=votes.get(p, ""), weight=weight(p)) for p in counted],
                      not_counted=[NotCounted(party=p, why=w) for p, w in sorted(not_counted.items())],
                      yes=yes, out_of=out_of)
    return outcome, why


def _count(rule: DecisionRule, votes: Mapping[str, str], voters: list[str], raiser: str | None,
           present: Collection[str], weight: Callable[[str], float]) -> tuple[bool, str, float, float]:
    """Whether the count adopts the motion, why, the yes (weights) and what the share is of."""
    if not voters:
        return False, "no party was bound to decide it", 0.0, 0.0
    yes = [v for v in voters if votes.get(v) == "yes"]
    yes_weight = sum(map(weight, yes))
    there = _present(votes, voters, present)
    if rule.quorum is not None and len(there) < rule.quorum:
        return False, f"no quorum: {rule.quorum} members must be present, {len(there)} were" + (
            f" ({names(there)})" if there else ""), yes_weight, 0.0
    if rule.quorum_weight is not None:
        total = sum(map(weight, voters))
        share_present = sum(map(weight, there)) / total if total else 0.0
        if Fraction(share_present).limit_denominator(1000) < _fraction(rule.quorum_weight):
            return False, f"no quorum: members holding {rule.quorum_weight:g} of the weights must be present, " \
                f"{share_present:.2f} were", yes_weight, 0.0
    if rule.veto == "raiser" and raiser is not None and votes.get(raiser) == "no":
        return False, f"{raiser} raised it and voted no, which blocks it whatever the count", yes_weight, 0.0
    if rule.rule == "unanimity":
        if len(yes) == len(voters):
            return True, f"unanimity: every party ({names(voters)}) voted yes", yes_weight, float(len(voters))
        return False, f"unanimity needs every party's yes; {_short(votes, voters)}", yes_weight, float(len(voters))
    if rule.rule == "consensus":
        against = [v for v in voters if votes.get(v) == "no"]
        others = _short(votes, [v for v in voters if v not in against])
        if not against:
            return True, "consensus: no party objected" + (f" ({others})" if others else ""), yes_weight, \
                float(len(voters))
        return False, f"consensus is blocked by an objection: {names(against)} voted no", yes_weight, \
            float(len(voters))
    return _majority(rule, votes, voters, yes, weight)


def _fraction(share: float) -> Fraction:
    # A share written as a rounded decimal (0.6667) means the simple fraction near it (2/3).
    return Fraction(share).limit_denominator(100)


def _majority(rule: DecisionRule, votes: Mapping[str, str], voters: list[str], yes: list[str],
              weight: Callable[[str], float]) -> tuple[bool, str, float, float]:
    """A simple or qualified majority, of the members or of the votes cast, by count or by weight."""
    base = [v for v in voters if votes.get(v) in ("yes", "no")] if rule.of == "votes_cast" else voters
    yes_weight, out_of = sum(map(weight, yes)), sum(map(weight, base))
    plain = rule.of == "members" and not rule.weights
    if plain:  # the words the treaties with one vote a member have always had
        count = f"{len(yes)} of {len(voters)} parties voted yes"
    elif rule.weights:
        count = f"{yes_weight:g} of {out_of:g} weighted votes" + (" cast" if rule.of == "votes_cast" else "") + \
            " were yes"
    else:
        count = f"{len(yes)} of {len(base)} votes cast were yes"
    if not out_of:
        return False, "no vote was cast" if rule.of == "votes_cast" else "no member has a vote", yes_weight, 0.0
    share = yes_weight / out_of
    if rule.rule == "majority":
        passed = 2 * yes_weight > out_of
        whose = " of the parties' yes" if plain else ""
        why = f"majority: {count}, more than half" if passed else \
            f"a majority needs more than half{whose}; only {count}"
    else:
        assert rule.threshold is not None  # DecisionRule refuses a qualified majority without one
        passed = Fraction(share).limit_denominator(1000) >= _fraction(rule.threshold) if rule.weights \
            else Fraction(int(yes_weight), int(out_of)) >= _fraction(rule.threshold)
        against = [v for v in voters if votes.get(v) != "yes" and (rule.of == "members" or votes.get(v) == "no")]
        why = f"qualified majority of {rule.threshold:g}: {count} ({share:.2f})" if passed else \
            f"a qualified majority needs a share of {rule.threshold:g} voting yes; only {count} ({share:.2f})"
        if not passed and rule.blocking_minimum is not None and len(against) < rule.blocking_minimum:
            passed = True
            why = f"qualified majority of {rule.threshold:g} deemed attained: {count} ({share:.2f}), but fewer " \
                f"than {rule.blocking_minimum} members voted against ({names(against)})"
    if passed and rule.member_threshold is not None:
        members = len(base)
        if not members or Fraction(len(yes), members) < _fraction(rule.member_threshold):
            return False, f"{why}; but only {len(yes)} of {members} members voted yes, short of " \
                f"{rule.member_threshold:g} of the members", yes_weight, out_of
        why += f"; {len(yes)} of {members} members voted yes, at least {rule.member_threshold:g} of them"
    return passed, why, yes_weight, out_of


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


def count_steps(rule: DecisionRule, votes: Mapping[str, str], outcome: Outcome, why: str, *,
                raiser: str | None = None, present: Collection[str] = ()) -> dict[str, object]:
    """A count as a trace shows it: the procedure's settings, the votes recorded, who was counted with what vote
    and weight, who was not and why, who was present, and what the count gave."""
    return {"procedure": msgspec.to_builtins(rule), "votes": dict(votes), "raiser": raiser, "present": sorted(present),
            "counted": msgspec.to_builtins(outcome.counted), "not_counted": msgspec.to_builtins(outcome.not_counted),
            "yes": outcome.yes, "out_of": outcome.out_of, "adopted": outcome.adopted, "why": why}
