"""The names of a trace's steps (``views.trace_steps``), the codes their results may be, and why an entry was left
out, marked for the catalogs: shared by the trace's page and ``entente why``."""

from __future__ import annotations

from entente.languages.catalog import N_

STEP_LABELS = {
    # meetings counted in a period or window
    "in_force": N_("in force"), "inferred": N_("inferred by the record"), "period_days": N_("days of the period"),
    "days_covered": N_("days in force"), "partly_in_force": N_("partly in force"),
    "partial_periods": N_("a period partly in force"), "minimum": N_("minimum"), "required": N_("required"),
    "counted": N_("counted"), "running": N_("still running"), "record_complete": N_("the record lists every one"),
    "window_days": N_("days of each window"), "window": N_("window"),
    "meetings_in_window": N_("meetings in the window"), "days_in_force": N_("days judged"),
    "meetings": N_("meetings"), "windows": N_("windows read"),
    # a meeting's place, months and occasion
    "settings_day": N_("settings of the day"), "held_from": N_("held from"), "held_to": N_("held to"),
    "host": N_("host"), "held_in": N_("held in"), "place_required": N_("place required"),
    "months_required": N_("months required"), "during_required": N_("to be held during"),
    "occasions": N_("occasions"), "presiding": N_("presiding"),
    # hosts and chairs
    "rotation": N_("rotation"), "previous_host": N_("previous host"), "hosted_in_cycle": N_("hosted in the cycle"),
    "taking_turns": N_("taking turns"), "expected_host": N_("host expected"), "chair": N_("chair"),
    "presidency_held_by": N_("presidency held by"), "held_since": N_("held since"), "held_because": N_("held because"),
    # proposals, questions, requests
    "proposals": N_("proposals"), "deadline": N_("deadline"), "at": N_("day judged"),
    "instrument_ended": N_("instrument ended"), "procedure": N_("procedure"), "decided_on": N_("decided on"),
    "recorded_outcome": N_("outcome recorded"), "votes_recorded": N_("votes recorded"),
    "not_accepted_by": N_("not accepted by"), "unanimity": N_("unanimity"), "count": N_("count"),
    "closes": N_("objections close"), "objections": N_("objections"), "objected_by_close": N_("objected in time"),
    "questions": N_("questions"), "bound": N_("bound"), "positions": N_("positions"),
    "joint_position_required": N_("joint position required"), "joint_by_proposal": N_("joint position by proposal"),
    "requests": N_("requests"), "requester": N_("requester"), "requester_bound": N_("requester bound"),
    "owing": N_("owing an answer"), "excluded_by": N_("excluded by"), "refusal": N_("a refusal"),
    "answers": N_("answers"),
    # excluded subjects, conditions, consent, suspension
    "raised": N_("raised"), "subject": N_("subject"), "raised_by": N_("raised by"), "outside_for": N_("outside for"),
    "in_force_then": N_("in force then"), "on_entry": N_("on entry"), "party": N_("party"),
    "holds_from": N_("holds from"), "holds_until": N_("holds until"), "lapsed_on": N_("lapsed on"),
    "forbidden_acts": N_("forbidden acts"), "acts": N_("acts"), "act_on": N_("act on"), "act_ends": N_("act ends"),
    "members": N_("members"), "consent": N_("consent"), "asked": N_("consent asked"), "governing": N_("governing"),
    "in_record": N_("in the record"), "signed": N_("signed"), "in_force_from": N_("in force from"),
    "ended": N_("ended"), "suspended_for": N_("suspended for"),
    # duration
    "term_months": N_("term in months"), "renewal": N_("renewal"), "term_ends": N_("term ends"),
    "ended_otherwise_on": N_("ended otherwise"), "ending_acts": N_("acts ending it"),
    "early_termination": N_("ending it early"), "ended_by_decision": N_("ended by decision"),
    "obligations_end": N_("obligations end"),
    # duties
    "duty": N_("duty"), "period_from": N_("period from"), "period_to": N_("period to"), "by": N_("owed by"),
    "done_on": N_("done on"), "done_by": N_("done by"),
    # a vote count
    "votes": N_("votes"), "raiser": N_("raised by"), "present": N_("present"), "not_counted": N_("not counted"),
    "yes": N_("yes votes"), "out_of": N_("out of"), "adopted": N_("adopted"), "why": N_("why"),
    "reason": N_("why, as data"),
    # inside a step
    "rule": N_("rule"), "threshold": N_("threshold"), "veto": N_("veto"), "of": N_("share of"),
    "excluding": N_("excluding"), "weights": N_("weights"), "member_threshold": N_("share of the members"),
    "blocking_minimum": N_("blocking minimum"), "quorum": N_("quorum"), "quorum_weight": N_("quorum of the weights"),
    "vote": N_("vote"), "weight": N_("weight"), "date": N_("date"), "stance": N_("stance"),
    "response": N_("response"), "proposal": N_("proposal"), "accepted_on": N_("accepted on"), "id": N_("entry"),
    "on": N_("on"), "takes_effect": N_("takes effect"), "ended_on": N_("ended on"), "outcome": N_("outcome"),
}

# Codes a step's result may be, in words.
VALUE_LABELS = {
    "yes": N_("yes"), "no": N_("no"), "abstain": N_("abstain"), "accepted": N_("accepted"),
    "rejected": N_("rejected"), "given": N_("given"), "refused": N_("refused"), "meeting": N_("at a meeting"),
    "written": N_("in writing"), "prorate": N_("in proportion"), "full": N_("in full"), "exempt": N_("not judged"),
    "each_once_per_cycle": N_("each once per cycle"), "not_twice_in_a_row": N_("not twice in a row"),
    "strict_order": N_("in a fixed order"), "breach": N_("breach"), "allowed": N_("allowed"),
    "not_judged": N_("not judged"), "refuse": N_("refused"), "flag": N_("flagged"), "before": N_("before the act"),
    "any_time": N_("any time"), "none": N_("none"), "tacit": N_("tacit"), "until_denounced": N_("until denounced"),
    "unanimity": N_("unanimity"), "consensus": N_("consensus"), "majority": N_("majority"),
    "qualified": N_("qualified majority"), "members": N_("the members"), "votes_cast": N_("the votes cast"),
    "raiser": N_("the one who raised it"), "concerned": N_("the member concerned"),
    # why a party bound on the day is not counted
    **{text: text for text in (N_("its vote is suspended"), N_("the member the decision concerns"),
                               N_("not a member counted on the day"))},
}

# Why an entry was left out of a finding (``views.traces``), where the reason is one of a few fixed sentences.
REASON_LABELS = {text: text for text in (
    N_("inferred by the record, not stated by a source: reported, not judged"),
    N_("an extraordinary meeting, which the settings do not count"),
    N_("not among the entries this finding rests on"),
    N_("its party was not bound on the day the question was raised"),
    N_("a later position of the same party replaced it"),
    N_("its party was not an addressee bound on the day of the request"),
    N_("a later answer of the same party replaced it"),
    N_("raised after the closing day"),
    N_("its party was not a member counted"),
    N_("a later decision replaced it"),
    N_("outside the days the obligation held"),
    N_("the condition had been met by its day"),
    N_("the settings of its day did not oblige the party"),
    N_("before the instrument entered into force"),
    N_("it did not take effect before the end of the term it fell in"),
    N_("under this reading the instrument ended otherwise (reported, not judged)"),
    N_("it does another duty"),
    N_("it is another party's"),
    N_("a later entry for the same period"),
)}
