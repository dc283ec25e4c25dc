"""Verdicts worked out again from a trace's data alone, one function for each rule kind.

This code reads only the JSON a trace gives (as a client reads it) and the EDTF date helpers: it imports nothing of
the rules, so a verdict it agrees with is one the trace's data supports, not one the rule's own code repeats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from entente.vocabulary.dates import bounds, start

Steps = dict[str, Any]
TOLERANCE = 5e-4  # a share written as a rounded decimal (0.6667) means the fraction near it (2/3)


def adopted(count: Steps) -> bool:
    """Whether a count adopts its motion, from the procedure's settings and the votes recorded."""
    rule, votes = count["procedure"], count["votes"]
    voters = [c["party"] for c in count["counted"]]
    assert all(c.get("vote", "") == votes.get(c["party"], "") for c in count["counted"])
    assert not set(voters) & {n["party"] for n in count["not_counted"]}
    weights = rule["weights"]

    def weight(party: str) -> float:
        return weights.get(party, 0.0) if weights else 1.0

    if not voters:
        return False
    yes = [p for p in voters if votes.get(p) == "yes"]
    present = [p for p in voters if votes.get(p) in ("yes", "no", "abstain") or p in count["present"]]
    if rule["quorum"] is not None and len(present) < rule["quorum"]:
        return False
    if rule["quorum_weight"] is not None:
        total = sum(map(weight, voters))
        if not total or sum(map(weight, present)) / total < rule["quorum_weight"] - TOLERANCE:
            return False
    if rule["veto"] == "raiser" and count["raiser"] is not None and votes.get(count["raiser"]) == "no":
        return False
    if rule["rule"] == "unanimity":
        return len(yes) == len(voters)
    if rule["rule"] == "consensus":
        return not any(votes.get(p) == "no" for p in voters)
    base = [p for p in voters if votes.get(p) in ("yes", "no")] if rule["of"] == "votes_cast" else voters
    out_of = sum(map(weight, base))
    if not out_of:
        return False
    share = sum(map(weight, yes)) / out_of
    if rule["rule"] == "majority":
        passed = share > 0.5
    else:
        passed = share >= rule["threshold"] - TOLERANCE
        against = [p for p in voters if votes.get(p) != "yes" and (rule["of"] == "members" or votes.get(p) == "no")]
        if not passed and rule["blocking_minimum"] is not None and len(against) < rule["blocking_minimum"]:
            passed = True
    if passed and rule["member_threshold"] is not None:
        passed = bool(base) and len(yes) / len(base) >= rule["member_threshold"] - TOLERANCE
    return passed


def _overdue(by: str | None, at: str, ended: str | None) -> bool:
    return by is not None and by < at and (ended is None or by < start(ended))


def periodic_meetings(s: Steps, t: dict[str, Any]) -> str:
    if s.get("in_force") is False or s.get("inferred"):
        return "not_applicable"
    if "window_days" in s:
        return _rolling(s, t)
    if "held_from" in s:
        return _where_and_when(s)
    counted, minimum = len(t["counted"]), t["settings"]["settings"]["minimum"]
    assert s["counted"] == counted and s["minimum"] == minimum
    partial = s["partly_in_force"]
    if partial and s["partial_periods"] == "exempt":
        return "not_applicable"
    required = math.ceil(minimum * s["days_covered"] / s["period_days"]) \
        if partial and s["partial_periods"] == "prorate" else minimum
    assert s["required"] == required
    if counted >= required:
        return "met"
    if s["running"]:
        return "pending"
    return "breach" if s["record_complete"] else "not_applicable"


def _rolling(s: Steps, t: dict[str, Any]) -> str:
    """Every run of ``window_days`` days judged holds the minimum: counted here day by day, not as the rule does."""
    span = timedelta(days=s["window_days"] - 1)
    if "window" in s:  # one run that held too few
        first, last = (date.fromisoformat(d) for d in s["window"].split("/"))
        assert last - first == span
        assert all(first.isoformat() <= d <= last.isoformat() for d in s["meetings_in_window"])
        if len(s["meetings_in_window"]) >= s["minimum"]:
            return "met"
        return "breach" if s["record_complete"] else "not_applicable"
    first, last = (date.fromisoformat(d) for d in bounds(t["finding"]["period"]))
    assert (last - first).days + 1 == s["days_in_force"]
    if first + span > last:
        return "pending"
    held = [date.fromisoformat(d) for d in s["meetings"]]
    end = first + span
    while end <= last:
        if sum(1 for d in held if end - span <= d <= end) < s["minimum"]:
            return "breach"
        end += timedelta(days=1)
    return "met"


def _where_and_when(s: Steps) -> str:
    ok = True
    if "place_required" in s:
        ok &= s["held_in"] == s["place_required"]
    if "months_required" in s:
        ok &= int(s["held_from"][5:7]) in s["months_required"] and int(s["held_to"][5:7]) in s["months_required"]
    if "during_required" in s:
        ok &= any(bounds(o)[0] <= s["held_from"] and s["held_to"] <= bounds(o)[1] for o in s["occasions"])
    if "presiding" in s:
        ok &= s["presiding"] is not None and s["host"] == s["presiding"]
    return "met" if ok else "breach"


def host_rotation(s: Steps, t: dict[str, Any]) -> str:
    if s.get("meetings") == 0:
        return "not_applicable"
    host = s["host"]
    assert host in t["finding"]["detail"]
    assert s["rotation"] == t["settings"]["settings"].get("reading", "each_once_per_cycle")
    if s["rotation"] == "not_twice_in_a_row":
        ok = host != s["previous_host"]
    elif s["rotation"] == "strict_order":
        ok = s["expected_host"] in (None, host)
    else:
        ok = host not in s["hosted_in_cycle"]
    return "met" if ok else "breach"


def presidency(s: Steps, t: dict[str, Any]) -> str:
    if s.get("meetings") == 0 or s["inferred"] or s["presidency_held_by"] is None or s["chair"] is None:
        return "not_applicable"
    return "met" if s["chair"] == s["presidency_held_by"] else "breach"


def proposals(s: Steps, t: dict[str, Any]) -> str:
    if s.get("proposals") == 0 or s["inferred"]:
        return "not_applicable"
    at, recorded = t["at"], s["recorded_outcome"]
    if s["procedure"] == "written":
        objected = [p for p in s["counted"] if p in s["objections"] and start(s["objections"][p]) <= s["closes"]]
        assert objected == s["objected_by_close"]
        if recorded is None and at <= s["closes"]:
            return "pending"
        expected = "rejected" if objected else "accepted"
        return "breach" if recorded is not None and recorded != expected else "met"
    by = s["deadline"]
    if s["decided_on"] is None:
        if _overdue(by, at, s["instrument_ended"]):
            return "breach"
        return "not_applicable" if s["instrument_ended"] else "pending"
    late = by is not None and start(s["decided_on"]) > by
    if not s["votes_recorded"]:
        return "breach" if late else "met"  # the outcome is taken as recorded
    passed = adopted(s["count"])
    assert passed == s["count"]["adopted"]
    if ("accepted" if passed else "rejected") != recorded:
        return "breach"
    return "breach" if late else "met"


def consultation(s: Steps, t: dict[str, Any]) -> str:
    if s.get("questions") == 0 or s["inferred"] or not s["bound"]:
        return "not_applicable"
    by, positions = s["deadline"], s["positions"]
    assert set(positions) <= set(s["bound"])
    outstanding = [p for p in s["bound"] if p not in positions]
    late = [p for p, pos in positions.items() if by is not None and start(pos["date"]) > by]
    missing = outstanding if _overdue(by, t["at"], s["instrument_ended"]) else []
    if late or missing:
        return "breach"
    if s.get("joint_by_proposal"):
        return "met"
    if outstanding:
        return "not_applicable" if s["instrument_ended"] else "pending"
    if "count" in s:
        assert adopted(s["count"]) == s["count"]["adopted"]
    return "met"  # every party answered: closed, with a joint position or without one


def mutual_assistance(s: Steps, t: dict[str, Any]) -> str:
    if s.get("requests") == 0 or s["inferred"] or not s["requester_bound"] or not s["owing"] or s["excluded_by"]:
        return "not_applicable"
    by, answers = s["deadline"], s["answers"]
    assert set(answers) <= set(s["owing"])
    refused = [p for p, a in answers.items() if a["response"] == "refused"]
    late = [p for p, a in answers.items() if by is not None and start(a["date"]) > by]
    missing = [p for p in s["owing"] if p not in answers]
    unanswered = missing if _overdue(by, t["at"], s["instrument_ended"]) else []
    if (refused and s["refusal"] == "breach") or late or unanswered:
        return "breach"
    if missing:
        return "not_applicable" if s["instrument_ended"] else "pending"
    return "met"


def excluded_subjects(s: Steps, t: dict[str, Any]) -> str:
    if s.get("in_force") is False or s.get("raised") == 0:
        return "not_applicable"
    assert s["in_force_then"] and (not s["outside_for"] or s["raised_by"] in s["outside_for"])
    if s["inferred"]:
        return "not_applicable"
    return "breach" if s["on_entry"] == "refuse" else "not_applicable"


def conditional_commitment(s: Steps, t: dict[str, Any]) -> str:
    if s.get("in_force") is False:
        return "not_applicable"
    ended = start(s["instrument_ended"]) if s["instrument_ended"] else None
    within = [a["id"] for a in s["forbidden_acts"] if s["holds_from"] <= start(a["date"])
              and (ended is None or start(a["date"]) < ended) and a["obliged"] and a["condition_met_on"] is None]
    if within:
        assert within == [e["id"] for e in t["counted"]]
        return "breach"
    return "not_applicable" if s["lapsed_on"] or s["instrument_ended"] else "met"


def consent_to_acts(s: Steps, t: dict[str, Any]) -> str:
    if s.get("acts") == 0 or s["inferred"]:
        return "not_applicable"
    refused = 0
    for asked in s["asked"]:
        if asked["decided_on"] is None:
            continue
        passed = adopted(asked["count"]) if asked["votes_recorded"] else asked["recorded_outcome"] == "accepted"
        if not passed:
            refused += 1
        elif s["consent"] == "any_time" or start(asked["decided_on"]) <= s["act_ends"]:
            return "met"
        else:
            refused += 1  # given, but after the act
    if refused:
        return "breach"
    return "pending" if any(a["decided_on"] is None for a in s["asked"]) else "breach"


def suspension(s: Steps, t: dict[str, Any]) -> str:
    if not s["in_record"] or s["in_force_from"] is None or s["ended"]:
        return "not_applicable"
    return "met"


def duration(s: Steps, t: dict[str, Any]) -> str:
    at, in_force = t["at"], s["in_force_from"]
    if s["ended_otherwise_on"] and in_force and start(s["ended_otherwise_on"]) <= at:
        return "not_applicable"  # reported, not judged
    if in_force is None:
        return "not_applicable" if s["ended"] else "pending"
    early = [a for a in s["ending_acts"] if a["term_ends"] is not None and start(in_force) <= a["on"]
             and a["takes_effect"] < a["term_ends"]]
    if early:
        assert [a["id"] for a in early] == [e["id"] for e in t["counted"]]
        return {"breach": "breach", "not_judged": "not_applicable"}.get(early[0]["early_termination"], "met")
    if (decided := s["ended_by_decision"]) is not None:
        return "met" if decided["outcome"] == "accepted" else "breach"
    if s["ended"]:
        return "not_applicable"
    if s["term_ends"] is None or at < s["term_ends"]:
        return "met"
    return "met" if s["renewal"] == "until_denounced" else "not_applicable"


def duties(s: Steps, t: dict[str, Any]) -> str:
    if s.get("in_force") is False:
        return "not_applicable"
    if s["done_on"] is not None:
        return "met" if start(s["done_on"]) <= s["by"] else "breach"
    return "breach" if s["by"] < t["at"] else "pending"


KINDS: dict[str, Callable[[Steps, dict[str, Any]], str]] = {
    "periodic_meetings": periodic_meetings, "host_rotation": host_rotation, "presidency": presidency,
    "proposals": proposals, "consultation": consultation, "mutual_assistance": mutual_assistance,
    "excluded_subjects": excluded_subjects, "conditional_commitment": conditional_commitment,
    "consent_to_acts": consent_to_acts, "suspension": suspension, "duration": duration, "duties": duties,
}


def verdict(t: dict[str, Any]) -> str:
    """The verdict a trace's data gives, by its rule kind's function here."""
    return KINDS[t["rule"]["kind"]](t["steps"], t)
