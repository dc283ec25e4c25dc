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
from entente.vocabulary.said import Said, Value, counted, listed, parties, said, say, word
from entente.vocabulary.treaty import DecisionRule


def names(parties: Iterable[str]) -> str:
    """Party codes as an English list: "AA", "AA and BB", "AA, BB and CC"."""
    items = sorted(parties)
    if len(items) < 2:
        return items[0] if items else "no party"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short(votes: Mapping[str, str], voters: list[str]) -> Value:
    """Who stood in the way of a unanimous yes: the noes, the abstentions and the missing votes."""
    by_vote: dict[str, list[str]] = {"no": [], "abstain": [], "": []}  # "": no vote, or none of the three
    for v in voters:
        if (vote := votes.get(v)) != "yes":
            by_vote[vote if vote in by_vote else ""].append(v)
    told: list[Value] = []
    if by_vote["no"]:
        told.append(said("%(parties)s voted no", parties=parties(by_vote["no"])))
    if by_vote["abstain"]:
        told.append(said("%(parties)s abstained", parties=parties(by_vote["abstain"])))
    if by_vote[""]:
        told.append(said("%(parties)s did not vote", parties=parties(by_vote[""])))
    return listed(told, ";")


def decide(rule: DecisionRule, votes: dict[str, str], voters: list[str], raiser: str | None) -> tuple[bool, str]:
    """Whether a motion passes among ``voters`` under ``rule``, and a sentence saying why.

    Votes of anyone not among the voters do not count; an abstention or a missing vote is not a yes.
    """
    outcome, why = tally(rule, votes, voters, raiser=raiser)
    return outcome.adopted, say(why)


def _present(votes: Mapping[str, str], counted: list[str], present: Collection[str]) -> list[str]:
    """The members counted who were present: those who voted or abstained, and those said to be present."""
    return [p for p in counted if votes.get(p) in _VOTES or p in present]


_VOTES = ("yes", "no", "abstain")


def procedure_words(rule: DecisionRule) -> str:
    """The procedure in words, for findings and outcomes."""
    return say(procedure_told(rule))


def procedure_told(rule: DecisionRule) -> Value:
    """The procedure as data, for a view to say in its reader's language: "unanimity", "qualified majority of 0.65
    of the members, weighted"."""
    what: Value = word(rule.rule) if rule.rule in ("unanimity", "consensus", "majority") else \
        said("qualified majority of %(threshold)s", threshold=f"{rule.threshold or 0:g}")
    if rule.rule in ("majority", "qualified"):
        what = said("%(what)s of the votes cast", what=what) if rule.of == "votes_cast" else \
            said("%(what)s of the members", what=what)
        if rule.weights:
            what = said("%(what)s, weighted", what=what)
    if rule.excluding == "concerned":
        what = said("%(what)s, the member concerned not counted", what=what)
    return what


def tally(rule: DecisionRule, votes: Mapping[str, str], members: Sequence[str], *, raiser: str | None = None,
          concerned: str | None = None, present: Collection[str] = (), left_out: Mapping[str, str] | None = None
          ) -> tuple[Outcome, Said]:
    """A motion counted under ``rule``: its outcome as data, and a sentence saying why, as data.

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
        why = said("%(why)s; %(party)s, whom it concerns, is not counted", why=why, party=concerned)
    outcome = Outcome(adopted=adopted, procedure=procedure_words(rule),
                      counted=[Counted(party=p, vote=votes.get(p, ""), weight=weight(p)) for p in counted],
                      not_counted=[NotCounted(party=p, why=w) for p, w in sorted(not_counted.items())],
                      yes=yes, out_of=out_of)
    return outcome, why


def _count(rule: DecisionRule, votes: Mapping[str, str], voters: list[str], raiser: str | None,
           present: Collection[str], weight: Callable[[str], float]) -> tuple[bool, Said, float, float]:
    """Whether the count adopts the motion, why, the yes (weights) and what the share is of."""
    if not voters:
        return False, said("no party was bound to decide it"), 0.0, 0.0
    yes = [v for v in voters if votes.get(v) == "yes"]
    yes_weight = sum(map(weight, yes))
    there = _present(votes, voters, present)
    if rule.quorum is not None and len(there) < rule.quorum:
        short = counted("no quorum: %(num)s member must be present, %(present)s were (%(parties)s)",
                        "no quorum: %(num)s members must be present, %(present)s were (%(parties)s)", rule.quorum,
                        present=len(there), parties=parties(there)) if there else \
            counted("no quorum: %(num)s member must be present, 0 were",
                    "no quorum: %(num)s members must be present, 0 were", rule.quorum)
        return False, short, yes_weight, 0.0
    if rule.quorum_weight is not None:
        total = sum(map(weight, voters))
        share_present = sum(map(weight, there)) / total if total else 0.0
        if Fraction(share_present).limit_denominator(1000) < _fraction(rule.quorum_weight):
            return False, said("no quorum: members holding %(share)s of the weights must be present, %(present)s "
                               "were", share=f"{rule.quorum_weight:g}", present=f"{share_present:.2f}"), yes_weight, 0.0
    if rule.veto == "raiser" and raiser is not None and votes.get(raiser) == "no":
        return False, said("%(party)s raised it and voted no, which blocks it whatever the count", party=raiser), \
            yes_weight, 0.0
    if rule.rule == "unanimity":
        if len(yes) == len(voters):
            return True, said("unanimity: every party (%(parties)s) voted yes", parties=parties(voters)), \
                yes_weight, float(len(voters))
        return False, said("unanimity needs every party's yes; %(short)s", short=_short(votes, voters)), \
            yes_weight, float(len(voters))
    if rule.rule == "consensus":
        against = [v for v in voters if votes.get(v) == "no"]
        others = [v for v in voters if v not in against and votes.get(v) != "yes"]
        if not against:
            return True, said("consensus: no party objected (%(others)s)", others=_short(votes, others)) if others \
                else said("consensus: no party objected"), yes_weight, float(len(voters))
        return False, said("consensus is blocked by an objection: %(parties)s voted no", parties=parties(against)), \
            yes_weight, float(len(voters))
    return _majority(rule, votes, voters, yes, weight)


def _fraction(share: float) -> Fraction:
    # A share written as a rounded decimal (0.6667) means the simple fraction near it (2/3).
    return Fraction(share).limit_denominator(100)


def _majority(rule: DecisionRule, votes: Mapping[str, str], voters: list[str], yes: list[str],
              weight: Callable[[str], float]) -> tuple[bool, Said, float, float]:
    """A simple or qualified majority, of the members or of the votes cast, by count or by weight."""
    base = [v for v in voters if votes.get(v) in ("yes", "no")] if rule.of == "votes_cast" else voters
    yes_weight, out_of = sum(map(weight, yes)), sum(map(weight, base))
    plain = rule.of == "members" and not rule.weights
    # The count, its plural form that of what it is out of ("3 of 5 parties", "1 of 1 vote cast").
    count: Said
    if plain:  # the words the treaties with one vote a member have always had
        count = counted("%(yes)s of %(num)s party voted yes", "%(yes)s of %(num)s parties voted yes", len(voters),
                        yes=len(yes))
    elif rule.weights:
        weighed = {"yes": f"{yes_weight:g}", "total": f"{out_of:g}"}
        count = said("%(yes)s of %(total)s weighted votes cast were yes", **weighed) if rule.of == "votes_cast" \
            else said("%(yes)s of %(total)s weighted votes were yes", **weighed)
    else:
        count = counted("%(yes)s of %(num)s vote cast was yes", "%(yes)s of %(num)s votes cast were yes", len(base),
                        yes=len(yes))
    if not out_of:
        return False, said("no vote was cast") if rule.of == "votes_cast" else said("no member has a vote"), \
            yes_weight, 0.0
    share = yes_weight / out_of
    why: Said
    if rule.rule == "majority":
        passed = 2 * yes_weight > out_of
        why = said("majority: %(count)s, more than half", count=count) if passed else \
            said("a majority needs more than half of the parties' yes; only %(count)s", count=count) if plain else \
            said("a majority needs more than half; only %(count)s", count=count)
    else:
        assert rule.threshold is not None  # DecisionRule refuses a qualified majority without one
        passed = Fraction(share).limit_denominator(1000) >= _fraction(rule.threshold) if rule.weights \
            else Fraction(int(yes_weight), int(out_of)) >= _fraction(rule.threshold)
        against = [v for v in voters if votes.get(v) != "yes" and (rule.of == "members" or votes.get(v) == "no")]
        shares = {"threshold": f"{rule.threshold:g}", "share": f"{share:.2f}"}
        why = said("qualified majority of %(threshold)s: %(count)s (%(share)s)", count=count, **shares) if passed \
            else said("a qualified majority needs a share of %(threshold)s voting yes; only %(count)s (%(share)s)",
                      count=count, **shares)
        if not passed and rule.blocking_minimum is not None and len(against) < rule.blocking_minimum:
            passed = True
            why = counted("qualified majority of %(threshold)s deemed attained: %(count)s (%(share)s), but fewer "
                          "than %(num)s member voted against (%(parties)s)",
                          "qualified majority of %(threshold)s deemed attained: %(count)s (%(share)s), but fewer "
                          "than %(num)s members voted against (%(parties)s)", rule.blocking_minimum, count=count,
                          parties=parties(against), **shares)
    if passed and rule.member_threshold is not None:
        members = len(base)
        needed = f"{rule.member_threshold:g}"
        if not members or Fraction(len(yes), members) < _fraction(rule.member_threshold):
            return False, counted("%(why)s; but only %(yes)s of %(num)s member voted yes, short of %(share)s of the "
                                  "members", "%(why)s; but only %(yes)s of %(num)s members voted yes, short of "
                                  "%(share)s of the members", members, why=why, yes=len(yes), share=needed), \
                yes_weight, out_of
        why = counted("%(why)s; %(yes)s of %(num)s member voted yes, at least %(share)s of them",
                      "%(why)s; %(yes)s of %(num)s members voted yes, at least %(share)s of them", members, why=why,
                      yes=len(yes), share=needed)
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


def count_steps(rule: DecisionRule, votes: Mapping[str, str], outcome: Outcome, why: Value, *,
                raiser: str | None = None, present: Collection[str] = ()) -> dict[str, object]:
    """A count as a trace shows it: the procedure's settings, the votes recorded, who was counted with what vote
    and weight, who was not and why, who was present, and what the count gave: ``why`` in English, ``reason`` the
    same as data, for a view to say in its reader's language."""
    return {"procedure": msgspec.to_builtins(rule), "votes": dict(votes), "raiser": raiser, "present": sorted(present),
            "counted": msgspec.to_builtins(outcome.counted), "not_counted": msgspec.to_builtins(outcome.not_counted),
            "yes": outcome.yes, "out_of": outcome.out_of, "adopted": outcome.adopted, "why": say(why),
            "reason": msgspec.to_builtins(why)}
