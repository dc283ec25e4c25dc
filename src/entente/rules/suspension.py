"""Suspension: while one instrument is in force, an article of another is suspended for some parties.

The suspension runs from the day the governing instrument (``while_in_force``,
by default the rule's own) enters into force, or the later day a decision adds
the rule, to the day it ends.  Where a decision changed what is suspended or
for whom, each run of days is reported by the settings in force over it, so
the change does not rewrite the days before it.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from entente.rules.base import Context, Due, Finding, spans
from entente.vocabulary import dates
from entente.vocabulary.events import (
    Event,
    InstrumentEnteredIntoForce,
    InstrumentSigned,
    InstrumentTerminated,
    PartyCode,
)
from entente.vocabulary.said import Said, parties, said
from entente.vocabulary.said import day as on_day

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = ()


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``suspension`` rule's ``settings`` may say in a treaty file.

    Fields:
        instrument: the instrument whose article is suspended
        article: the article suspended
        parties: for whom; empty: every party of that instrument
        while_in_force: the instrument the suspension lasts with; none: the rule's own
    """

    instrument: str
    article: str
    parties: list[PartyCode] = []
    while_in_force: str | None = None


def _article(s: Settings) -> Said:
    return said("Article %(article)s of %(instrument)s", article=s.article, instrument=s.instrument)


def _whom(s: Settings) -> Said:
    return said("for %(parties)s", parties=parties(s.parties)) if s.parties else said("for all its parties")


def _subject(s: Settings) -> Said:
    return said("%(instrument)s Article %(article)s", instrument=s.instrument, article=s.article)


def _life(ctx: Context, instrument: str) -> list[str]:
    """The events of the governing instrument's life: its signature, entry into force and end."""
    return [e.id for e in ctx.events if isinstance(e, InstrumentSigned | InstrumentEnteredIntoForce
                                                   | InstrumentTerminated) and e.instrument == instrument]


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    governing = s.while_in_force or ctx.treaty.instrument
    i = ctx.state.instruments.get(governing)
    evidence = _life(ctx, governing)
    subject = _subject(s)
    steps = {"governing": governing, "in_record": i is not None, "signed": i.signed if i else None,
             "in_force_from": i.in_force if i else None, "ended": i.ended if i else None,
             "suspended_for": list(s.parties) or "every party"}
    if i is None:
        return [ctx.finding("not_applicable", said("%(article)s is not suspended: %(governing)s is not in the record "
                                                   "on %(day)s", article=_article(s), governing=governing,
                                                   day=on_day(ctx.at)), subject=subject, steps=steps)]
    if i.in_force is None:
        state = said("ended on %(day)s without entering into force", day=on_day(i.ended)) if i.ended else \
            said("not yet in force")
        return [ctx.finding("not_applicable", said("%(article)s is not suspended %(whom)s: %(governing)s, signed on "
                                                   "%(day)s, is %(state)s", article=_article(s), whom=_whom(s),
                                                   governing=governing, day=on_day(str(i.signed)), state=state),
                            subject=subject, evidence=evidence, steps=steps)]
    runs = _runs(ctx, i.in_force, i.ended)
    if not runs:  # a rule added by a decision that took effect only after the governing instrument ended
        return [ctx.finding("not_applicable", said("%(article)s was not suspended %(whom)s: %(governing)s ended on "
                                                   "%(day)s, before this rule applied", article=_article(s),
                                                   whom=_whom(s), governing=governing, day=on_day(str(i.ended))),
                            subject=subject, evidence=evidence, steps=steps)]
    if len(runs) > 1 or runs[0][0] != i.in_force:
        # A decision added the rule after the entry into force, or changed what is suspended, or for whom: each run
        # of days by its own settings.
        return [_run(ctx, governing, then, since, until, evidence) for since, until, then in runs]
    then = runs[0][2]
    subject = _subject(then)
    steps["suspended_for"] = list(then.parties) or "every party"
    if i.ended:
        return [ctx.finding("not_applicable", _was(then, governing, i.in_force, i.ended), subject=subject,
                            evidence=evidence,
                            steps=steps)]
    return [ctx.finding("met", _is(then, governing, i.in_force), subject=subject, evidence=evidence, steps=steps)]


def _was(s: Settings, governing: str, since: str, until: str) -> Said:
    return said("%(article)s was suspended %(whom)s from %(since)s to %(until)s, while %(governing)s was in force",
                article=_article(s), whom=_whom(s), since=on_day(since, "from"), until=on_day(until, "until"),
                governing=governing)


def _is(s: Settings, governing: str, since: str) -> Said:
    return said("%(article)s is suspended %(whom)s since %(since)s (while %(governing)s is in force)",
                article=_article(s), whom=_whom(s), since=on_day(since, "from"), governing=governing)


def _runs(ctx: Context, in_force: str, ended: str | None) -> list[tuple[str, str | None, Settings]]:
    """The runs of days the governing instrument was in force and the rule applied over which the settings stayed
    the same: (first day, as the record writes it where it is the entry into force, the day after the last, or
    none while it runs on, the settings)."""
    first = date.fromisoformat(dates.start(in_force))
    last = date.fromisoformat(dates.start(ended)) - timedelta(days=1) if ended else date.fromisoformat(ctx.at)
    runs = spans(ctx.epochs, first, last)
    return [(in_force if begin == first else begin.isoformat(),
             (end + timedelta(days=1)).isoformat() if n + 1 < len(runs) else ended, then)
            for n, (begin, end, then) in enumerate(runs)]


def _run(ctx: Context, governing: str, s: Settings, since: str, until: str | None, evidence: list[str]) -> Finding:
    """One run of days of a suspension whose settings a decision changed: judged by the settings of its days."""
    subject, period = _subject(s), f"{since}/{until or '..'}"
    steps = {"settings_day": dates.start(since), "governing": governing, "in_record": True, "in_force_from": since,
             "ended": until, "suspended_for": list(s.parties) or "every party"}
    if until is not None:
        return ctx.finding("not_applicable", _was(s, governing, since, until), subject=subject, period=period,
                           evidence=evidence,
                           steps=steps)
    return ctx.finding("met", _is(s, governing, since), subject=subject, period=period, evidence=evidence, steps=steps)


def due(ctx: Context, s: Settings) -> list[Due]:
    governing = s.while_in_force or ctx.treaty.instrument
    i = ctx.state.instruments.get(governing)
    if i is None or i.status != "in_force":
        return []
    return [ctx.due("condition", said("%(article)s stays suspended %(whom)s while %(governing)s is in force "
                                      "(%(cite)s)", article=_article(s), whom=_whom(s), governing=governing,
                                      cite=ctx.cited()),
                    parties=list(s.parties), evidence=_life(ctx, governing))]
