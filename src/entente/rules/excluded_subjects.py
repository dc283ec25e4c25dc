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
from entente.rules.base import INFERRED_SAID, Context, Finding, entry_named, titled
from entente.vocabulary import dates
from entente.vocabulary.events import AssistanceRequested, Event, QuestionRaised, english
from entente.vocabulary.said import Said, parties, said
from entente.vocabulary.said import day as on_day

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


def _for_whom(settings: Settings, subject: str) -> Said:
    concerned = settings.subjects[subject]
    return said("for %(parties)s", parties=parties(concerned)) if concerned else said("for every party")


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    own = ctx.instrument
    if own is None or own.in_force is None:
        return [ctx.finding("not_applicable", said("%(instrument)s is not in force on %(day)s",
                                                   instrument=ctx.treaty.instrument, day=on_day(ctx.at)),
                            steps={"in_force": False})]
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
        by = {"who": who or said("an unnamed party"), "day": on_day(e.date)}
        # Named by its title where it has one: its id is the finding's subject, a link's target.
        if english(e.title):
            title = titled(e.title, e.subject)
            label = said("request “%(title)s” by %(who)s on %(day)s", title=title, **by) \
                if isinstance(e, AssistanceRequested) else \
                said("question “%(title)s” by %(who)s on %(day)s", title=title, **by)
        else:
            what = said("request %(request)s", request=e.request) if isinstance(e, AssistanceRequested) else \
                said("question %(question)s", question=e.question)
            label = said("%(what)s (%(title)s) by %(who)s on %(day)s", what=what, title=titled(e.title, e.subject),
                         **by)
        outside = said("subject %(subject)s is outside the undertaking of %(target)s %(whom)s",
                       subject=repr(e.subject), target=target, whom=_for_whom(rule, e.subject))
        subject = e.request if isinstance(e, AssistanceRequested) else e.question
        about = entry_named(e.title, subject)
        steps = {"settings_day": dates.start(e.date), "inferred": e.inferred, "subject": e.subject,
                 "raised_by": who, "outside_for": rule.subjects[e.subject], "in_force_then": True,
                 "on_entry": ctx.spec.on_entry}
        if e.inferred:
            findings.append(ctx.finding("not_applicable", said("%(label)s: %(inferred)s", label=label,
                                                               inferred=INFERRED_SAID),
                                        subject=subject, about=about, evidence=[e.id],
                                        steps=steps))
        elif ctx.spec.on_entry == "refuse":
            findings.append(ctx.finding("breach", said("%(label)s should never have been entered: %(outside)s",
                                                       label=label, outside=outside),
                                        subject=subject, about=about, evidence=[e.id], steps=steps))
        else:
            findings.append(ctx.finding("not_applicable", said("flagged: %(label)s: %(outside)s", label=label,
                                                               outside=outside),
                                        subject=subject, about=about, evidence=[e.id], steps=steps))
    for subject in s.subjects:
        if subject not in hit:
            concerned = s.subjects[subject]
            # Nothing raised is nothing to judge: not applicable, never "met".
            findings.append(ctx.finding("not_applicable", said(
                "no question or request on %(subject)s was raised under %(target)s by %(parties)s, for whom it is "
                "outside the undertaking", subject=repr(subject), target=target, parties=parties(concerned))
                if concerned else said("no question or request on %(subject)s was raised under %(target)s; it is "
                                       "outside the undertaking for every party", subject=repr(subject),
                                       target=target), subject=subject,
                steps={"subject": subject, "outside_for": concerned, "raised": 0}))
    return findings
