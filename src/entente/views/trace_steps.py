"""What each rule kind's trace steps hold: one definition, from which the reference page, the ``Trace`` schema and
the checks of every trace are made.

A rule kind names its steps as data (``Finding.steps``) only when a trace asks for them; this says, for each
kind, what each named step holds, so that a reader (or a program) can work the verdict out again from them.
"""

from __future__ import annotations

# A vote count, as proposals, consultations and consents give it (the step ``count``).
COUNT: dict[str, str] = {
    "procedure": "the decision procedure's settings: rule (unanimity, consensus, majority, qualified), threshold, "
                 "of (members or votes cast), weights, quorum, quorum_weight, veto, excluding, member_threshold, "
                 "blocking_minimum",
    "votes": "the votes the record holds, party by party (yes, no, abstain)",
    "raiser": "the party that raised the question or made the proposal (whose no blocks it under `veto: raiser`)",
    "present": "the parties said to be present besides those who voted",
    "counted": "the members counted: each party, its vote (none where it cast none) and its weight (1 unless "
               "weighted)",
    "not_counted": "the parties left out of the count, each with why (its vote suspended, the member the decision "
                   "concerns, not a member on the day)",
    "yes": "the yes votes counted (their weights, where weighted)",
    "out_of": "what the share of yes is of: the members counted, or the votes cast (their weights)",
    "adopted": "what the count gives: adopted or not",
    "why": "the count in words",
    "reason": "the same words as data (the sentence, the count choosing its plural form, its values), for a view to "
              "say in its reader's language",
}

_ITEM = {
    "settings_day": "the day whose settings judge it: the day it was raised (made, requested, done)",
    "inferred": "whether the record infers it instead of a source stating it (then reported, not judged)",
    "deadline": "the last day an answer (a decision) was owed by; none: no deadline",
    "at": "the day judged",
    "instrument_ended": "the day the instrument ended, if it has",
}

STEPS: dict[str, dict[str, str]] = {
    "periodic_meetings": {
        "in_force": "false where the instrument is not in force on the day judged (nothing to count)",
        "inferred": "true for a meeting the record infers: reported, not counted",
        "period_days": "the days of the period",
        "days_covered": "the days of the period the instrument was in force (to the period's end while it runs)",
        "partly_in_force": "whether the instrument was in force for only part of the period",
        "partial_periods": "how a period partly in force counts: prorate, full or exempt",
        "minimum": "the meetings the settings ask for in each period (window)",
        "required": "the meetings required in this period: the minimum, or in proportion to the days covered, "
                    "rounded up",
        "counted": "the meetings counted (the entries counted)",
        "running": "whether the period is still running on the day judged",
        "record_complete": "whether the record lists every such meeting (else a shortfall is not judged)",
        "window_days": "with `period: rolling`, the days of every window",
        "window": "a window that held too few meetings: its first and last day",
        "meetings_in_window": "the days of the meetings in that window",
        "days_in_force": "the days judged, from the first day the rule applied to the last",
        "meetings": "the days of every meeting counted",
        "windows": "the windows read (each ending the day before a meeting, or on the last day judged) and the "
                   "meetings each held",
        "settings_day": "for a meeting judged on its place, months or occasion: its first day",
        "held_from": "the meeting's first day",
        "held_to": "the meeting's last day",
        "host": "the party that hosted the meeting",
        "held_in": "the place the meeting was held in",
        "place_required": "the place the settings ask for",
        "months_required": "the months the settings ask for",
        "during_required": "the category of outside event the meeting is to be held during",
        "occasions": "the days of each such outside event the record holds",
        "presiding": "the party presiding on the meeting's first day, in whose country it is to be held",
    },
    "host_rotation": {
        "meetings": "0 where no meeting of the series is recorded yet",
        "settings_day": "the meeting's first day, whose settings judge it",
        "rotation": "the rotation read: each_once_per_cycle, not_twice_in_a_row or strict_order",
        "host": "the meeting's host",
        "previous_host": "the host of the meeting before",
        "hosted_in_cycle": "who had hosted in the current cycle before this meeting",
        "taking_turns": "the parties taking turns on the meeting's day",
        "expected_host": "in a fixed order, the host the order gives",
    },
    "presidency": {
        "meetings": "0 where no conference of the series is recorded yet",
        "settings_day": "the conference's first day, whose settings judge it",
        "inferred": "whether the record infers the conference",
        "chair": "who chaired it, as the record says",
        "presidency_held_by": "the party that held the presidency on its day",
        "held_since": "since when that party held it",
        "held_because": "why it held it (the host of the conference before, the order, an election)",
    },
    "proposals": {
        "proposals": "0 where no proposal has been made",
        **_ITEM,
        "procedure": "how it was decided: at a meeting, or in writing",
        "decided_on": "the day of the decision the record holds; none: not decided",
        "recorded_outcome": "the outcome the record holds (accepted, rejected)",
        "votes_recorded": "whether the record holds the votes (else the outcome is taken as recorded)",
        "not_accepted_by": "the parties the source says did not accept it, where it records no vote",
        "unanimity": "whether its procedure is unanimity",
        "count": "the count of the recorded votes among the members counted on the proposal's day (see below)",
        "closes": "in writing: the last day for objections",
        "objections": "in writing: each objection's party and day",
        "counted": "in writing: the members counted",
        "objected_by_close": "in writing: the members counted who objected by the closing day (any one blocks it)",
    },
    "consultation": {
        "questions": "0 where no question has been raised",
        **_ITEM,
        "bound": "the parties bound on the day it was raised, who owe a position",
        "positions": "each bound party's position: its day and stance",
        "joint_position_required": "whether positions are put to the decision rule",
        "joint_by_proposal": "the accepted proposal on the question that is its joint position, and its day",
        "count": "where a joint position is required, the positions counted as votes (see below)",
    },
    "mutual_assistance": {
        "requests": "0 where no assistance has been requested",
        **_ITEM,
        "requester": "the party that asked",
        "requester_bound": "whether it was bound on the day it asked",
        "owing": "the addressees bound on that day, who owe an answer",
        "excluded_by": "the article that puts the request's subject outside the undertaking, if any",
        "refusal": "whether a refusal breaks the undertaking (breach) or is allowed",
        "answers": "each owing party's answer: given or refused, and its day",
    },
    "excluded_subjects": {
        "in_force": "false where the instrument is not in force on the day judged",
        "raised": "0 where no question or request on the subject was raised",
        "settings_day": "the day the question or request was raised",
        "inferred": "whether the record infers it",
        "subject": "the subject",
        "raised_by": "the party that raised it",
        "outside_for": "the parties for whom the subject is outside the undertaking (empty: every party)",
        "in_force_then": "whether the excluding instrument was in force on that day",
        "on_entry": "whether such an entry is to be refused (a breach) or flagged",
    },
    "conditional_commitment": {
        "in_force": "false where the instrument is not in force on the day judged",
        "party": "the obligated party",
        "holds_from": "the first day the obligation holds (entry into force)",
        "instrument_ended": "the day the instrument ended, if it has",
        "lapsed_on": "the day of the outside event that met the condition and lifted the obligation, if any",
        "forbidden_acts": "every outside event of the party that the settings in force on its day forbid: its day, "
                          "whether those settings obliged the party, and the day their condition had been met by "
                          "then, if it had (one while the instrument was in force, of a party obliged, before the "
                          "condition was met, breaks the obligation)",
    },
    "consent_to_acts": {
        "acts": "0 where no act needing consent is recorded",
        "settings_day": "the act's first day",
        "inferred": "whether the record infers the act",
        "act_on": "the act's date",
        "act_ends": "the act's last day (consent by then came before it)",
        "members": "the members who did it",
        "consent": "whether consent must come before the act or may come any time",
        "asked": "each proposal asking consent: its day of decision, the outcome recorded, whether the votes are "
                 "recorded and their count (see below)",
    },
    "suspension": {
        "settings_day": "where a decision added the rule after the entry into force, or changed what is suspended, "
                        "or for whom: the first day of the run of days judged by its own settings",
        "governing": "the instrument the suspension lasts with",
        "in_record": "whether the record holds it",
        "signed": "the day it was signed",
        "in_force_from": "the day it entered into force",
        "ended": "the day it ended, if it has",
        "suspended_for": "the parties for whom the article is suspended",
    },
    "duration": {
        "signed": "the day the instrument was signed",
        "in_force_from": "the day it entered into force",
        "ended": "the day it ended, if it has",
        "at": "the day judged",
        "term_months": "its term in months; none: no fixed term",
        "renewal": "what follows a term: none, tacit renewal, or until denounced",
        "term_ends": "the end of the term running on the day judged",
        "ended_otherwise_on": "under a reading that has it end otherwise (reported, not judged): when",
        "ending_acts": "each denunciation, annulment or notice of denunciation: its day, the day it takes effect, "
                       "the end of the term it fell in (one taking effect before that ends the term early) and what "
                       "the settings of its day say of an early end (the first early act's judges it)",
        "early_termination": "whether ending it early is a breach, allowed or not judged, by the settings in force "
                             "on the day judged",
        "ended_by_decision": "an ending by decision of the parties: its day, the proposal it names and that "
                             "proposal's outcome",
        "obligations_end": "each party's day its obligations end",
    },
    "duties": {
        "in_force": "false where the instrument is not in force on the day judged",
        "settings_day": "the day the duty was owed by, whose settings judge it",
        "party": "the party that owes it",
        "duty": "the duty",
        "period_from": "the period's first day",
        "period_to": "the period's last day",
        "by": "the day it was owed by",
        "done_on": "the day the entry doing it is dated, if the record holds one",
        "done_by": "the entry that did it",
        "at": "the day judged",
    },
}


def described() -> str:
    """What each kind's steps hold, in a few lines (for the ``Trace`` schema)."""
    return "What the rule worked out on the way, named; by rule kind: " + "; ".join(
        f"{kind}: {', '.join(steps)}" for kind, steps in STEPS.items()) + "; a vote count (count): " + \
        ", ".join(COUNT) + ". Each is described in the documentation's reference of trace steps."


__all__ = ["COUNT", "STEPS", "described"]
