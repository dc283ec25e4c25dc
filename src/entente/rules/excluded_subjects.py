"""Excluded subjects: subjects outside an instrument's undertakings, for some parties or for all.

A declaration may narrow another instrument: for one party, an article covers
only one question, and no other party may raise it there.  Questions and
requests entered under the instrument on such a subject are flagged; where the
rule is to refuse them (``on_entry: refuse`` in the treaty file), each one is a
breach, and a new one is refused when it is entered.
"""

from __future__ import annotations

import msgspec

from entente.replay.dated import instrument_on
from entente.rules.base import INFERRED, Context, Finding
from entente.rules.decision import names
from entente.vocabulary import dates
from entente.vocabulary.events import AssistanceRequested, Event, QuestionRaised, english

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (QuestionRaised, AssistanceRequested)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``excluded_subjects`` rule's ``settings`` may say in a treaty file.

    Fields:
        subjects: subject → the parties for whom it is outside the undertaking (empty: every party)
        applies_to: the instrument whose questions and requests are checked; none: the rule's own
    """

    subjects: dict[str, list[str]]
    applies_to: str | None = None


def excluded(settings: Settings, subject: str, party: str | None) -> bool:
    """Whether ``subject`` is outside the undertaking for ``party`` (None: a party not known): the test other rules
    share with this one."""
    if subject not in settings.subjects:
        return False
    parties = settings.subjects[subject]
    return not parties or party in parties


def _for_whom(settings: Settings, subject: str) -> str:
    parties = settings.subjects[subject]
    return f"for {names(parties)}" if parties else "for every party"


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    own = ctx.instrument
    if own is None or own.in_force is None:
        return [ctx.finding("not_applicable", f"{ctx.treaty.instrument} is not in force on {ctx.at}")]
    target = s.applies_to or ctx.treaty.instrument
    findings: list[Finding] = []
    hit: set[str] = set()
    for e in ctx.events:
        if not isinstance(e, QuestionRaised | AssistanceRequested) or e.instrument != target:
            continue
        who = e.requester if isinstance(e, AssistanceRequested) else e.actor
        rule = ctx.settings_on(dates.start(e.date))  # None before the rule applied: nothing was excluded yet
        if rule is None or not excluded(rule, e.subject, who):
            continue
        # The exclusion only narrows the undertaking while its own instrument is in force.
        then = instrument_on(ctx.dated, ctx.treaty.instrument, dates.start(e.date))
        if then is None or then.status != "in_force":
            continue
        hit.add(e.subject)
        what = f"request {e.request}" if isinstance(e, AssistanceRequested) else f"question {e.question}"
        label = f"{what} ({english(e.title, e.subject)}) by {who or 'an unnamed party'} on {e.date}"
        outside = f"subject {e.subject!r} is outside the undertaking of {target} {_for_whom(rule, e.subject)}"
        subject = e.request if isinstance(e, AssistanceRequested) else e.question
        if e.inferred:
            findings.append(ctx.finding("not_applicable", f"{label}: {INFERRED}", subject=subject, evidence=[e.id]))
        elif ctx.spec.on_entry == "refuse":
            findings.append(ctx.finding("breach", f"{label} should never have been entered: {outside}",
                                        subject=subject, evidence=[e.id]))
        else:
            findings.append(ctx.finding("not_applicable", f"flagged: {label}: {outside}",
                                        subject=subject, evidence=[e.id]))
    for subject in s.subjects:
        if subject not in hit:
            parties = s.subjects[subject]
            whom = f" by {names(parties)}, for whom it is outside the undertaking" if parties \
                else "; it is outside the undertaking for every party"
            # Nothing raised is nothing to judge: not applicable, never "met".
            findings.append(ctx.finding("not_applicable", f"no question or request on {subject!r} was raised "
                                        f"under {target}{whom}", subject=subject))
    return findings
