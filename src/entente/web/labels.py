"""The words for the record's codes (kinds of event, statuses, verdicts, stances...), marked for translation.

The code stays in the URL and the data; a page shows its label in the
page's language (``label`` filter).  A code with no label here is shown as
it is, its underscores as spaces.
"""

from __future__ import annotations

from entente.languages.catalog import N_

LABELS = {
    # kinds of event
    "conference_convened": N_("conference convened"),
    "conference_held": N_("conference held"),
    "instrument_signed": N_("instrument signed"),
    "instrument_ratified": N_("instrument ratified"),
    "instrument_acceded": N_("instrument acceded to"),
    "instrument_entered_into_force": N_("instrument in force"),
    "instrument_terminated": N_("instrument ended"),
    "intent_declared": N_("intent declared"),
    "body_established": N_("body established"),
    "question_raised": N_("question raised"),
    "position_stated": N_("position stated"),
    "assistance_requested": N_("assistance requested"),
    "assistance_responded": N_("assistance answered"),
    "proposal_made": N_("proposal made"),
    "proposal_decided": N_("proposal decided"),
    "rule_changed": N_("rule changed"),
    "decision_taken": N_("decision taken"),
    "classification_amended": N_("classification amended"),
    "entry_corrected": N_("entry corrected"),
    "entry_retracted": N_("entry retracted"),
    "field_erased": N_("personal data erased"),
    "outside_event": N_("outside event"),
    # an instrument's status
    "signed": N_("signed"),
    "in_force": N_("in force"),
    "never_in_force": N_("never in force"),
    "terminated": N_("ended"),
    # verdicts
    "met": N_("met"),
    "breach": N_("breach"),
    "pending": N_("pending"),
    "not_applicable": N_("not applicable"),
    # what is due
    "meeting": N_("meeting"),
    "host": N_("host"),
    "condition": N_("condition"),
    "expiry": N_("expiry"),
    "chair": N_("chair"),
    "decision": N_("decision"),
    "position": N_("position"),
    "response": N_("response"),
    # stances and motions
    "support": N_("support"),
    "oppose": N_("oppose"),
    "abstain": N_("abstain"),
    "statement": N_("statement"),
    "convene_conference": N_("convene a conference"),
    "strike_point": N_("strike a point"),
    "change_rule": N_("change a rule"),
    "other": N_("other"),
    "withdrawal_notified": N_("withdrawal notified"),
    # how an instrument ends
    "mode:denounced": N_("denounced"),
    "mode:annulled": N_("annulled"),
    "mode:lapsed": N_("lapsed"),
    "mode:expired": N_("expired"),
    # a participant's role at a conference
    "member": N_("member"),
    "observer": N_("observer"),
    "outside": N_("outside power"),
    # the versions of an entry
    "change:original": N_("as first recorded"),
    "change:corrected": N_("corrected"),
    "change:retracted": N_("withdrawn"),
    "change:recorded": N_("recorded"),
    "change:reclassified": N_("reclassified"),
    # the audit trail
    "refused": N_("refused"),
    # the kind of source an entry rests on (views.sources.SOURCE_KINDS), prefixed so no other code clashes
    "source:seed": N_("from the seed"),
    "source:treaty-text": N_("from a treaty text"),
    "source:primary-document": N_("from a primary document"),
    "source:general-history": N_("from general history"),
    "source:compilation": N_("from the union's notes on other works"),
    "source:allegation": N_("an allegation, not a fact"),
    "source:none": N_("no source"),
}


def label(code: str) -> str:
    """The English label of a code, the message the catalogs translate."""
    return LABELS.get(code, code.replace("_", " "))


# The lines of a state a what-if compares (``whatif.run.state_lines``): an instrument's ("treaty-1 status"),
# the union's standing ("standing members"), a presidency ("treaty-1 presidency") and the record's counts.
STATE_LINES = {
    "status": N_("status"), "parties": N_("parties"), "signatories": N_("signatories"), "in_force": N_("in force"),
    "ended": N_("ended"), "withdrawn": N_("withdrawn from it"), "on_notice": N_("on notice"),
    "suspended": N_("suspended"),
    "presidency": N_("presidency"), "members": N_("members"), "observers": N_("observers"), "roles": N_("roles"),
    "signatories_not_bound": N_("signatories not bound"), "conferences_held": N_("conferences held"),
    "other_conferences": N_("other conferences"), "last_conference": N_("last conference"),
}


def state_line(line: str) -> tuple[str, str, str] | None:
    """A state line as (message, instrument, what): "treaty-1 status" is ("%(instrument)s: %(line)s",
    "treaty-1", "status"); None for a line with no words here."""
    if line in STATE_LINES:
        return "%(line)s", "", STATE_LINES[line]
    head, _, name = line.rpartition(" ")
    if name not in STATE_LINES or not head:
        return None
    if head == "standing":
        return N_("the union: %(line)s"), "", STATE_LINES[name]
    return N_("%(instrument)s: %(line)s"), head, STATE_LINES[name]
