"""Conditional commitment: the obligated parties refrain from something while a condition on outside events holds.

The obligation holds while the instrument is in force and, where an
``unless`` is set, until the first outside event matching it (it lapses from
that day on).  An outside
event matching ``forbidden`` that involves an obligated party while the
obligation held is a breach by that party.  Each outside event is judged by the
settings in force on its own day (what they forbade, whom they obliged, what
lifted them), so a decision changing the rule never rewrites an earlier verdict.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec

from entente.rules.base import Context, Due, Finding
from entente.vocabulary import dates
from entente.vocabulary.events import Event, OutsideEvent, PartyCode
from entente.vocabulary.said import Said, Value, parties, said, word
from entente.vocabulary.said import day as on_day


class EventPattern(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An outside event a conditional commitment looks for: its category and the parties it involves.

    Fields:
        category: the ``outside_event`` category
        with_parties: every one of these is also among the event's parties
        words: the category in words, for findings
    """

    category: str
    with_parties: list[PartyCode] = []
    words: str | None = None

    def phrase(self) -> Said:
        """The kind of act in words, the treaty's, and with whom: "non-aggression pact with AA and BB"."""
        if self.with_parties:
            return said("%(act)s with %(parties)s", act=word(self.words or self.category),
                        parties=parties(self.with_parties))
        return said("%(act)s", act=word(self.words or self.category))

    def matches(self, e: OutsideEvent) -> bool:
        return e.category == self.category and all(p in e.parties for p in self.with_parties)


# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (OutsideEvent,)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``conditional_commitment`` rule's ``settings`` may say in a treaty file.

    Fields:
        forbidden: the outside events the obligated parties may not take part in
        unless: the outside event that lifts the obligation from its day on; none: it holds while the instrument is
          in force
        obligated: the parties bound by it; empty: the instrument's signatories
    """

    forbidden: EventPattern
    unless: EventPattern | None = None
    obligated: list[PartyCode] = []


def _outside(ctx: Context) -> list[OutsideEvent]:
    """Outside events a source states (an inferred one neither lifts the obligation nor breaks it)."""
    return [e for e in ctx.events if isinstance(e, OutsideEvent) and not e.inferred]


def _lapse(ctx: Context, s: Settings, day: str | None = None) -> OutsideEvent | None:
    """The first outside event (on or before ``day``, where given) that meets the condition of ``s`` and so lifts
    the obligation."""
    unless = s.unless
    return None if unless is None else next((e for e in _outside(ctx) if unless.matches(e)
                                             and (day is None or dates.start(e.date) <= day)), None)


def _obligated(ctx: Context, s: Settings) -> list[str]:
    if s.obligated:
        return list(s.obligated)
    instrument = ctx.instrument
    return list(instrument.signatories) if instrument else []


def _breaks(ctx: Context, e: OutsideEvent, party: str, begin: str, ended: str | None) -> bool:
    """Whether ``party`` broke the obligation by ``e``: judged by the settings in force on the event's day (what
    they forbade, whom they obliged, whether their condition had been met by then), so a later decision does not
    rewrite it.  Nothing was forbidden before the rule applied."""
    day = dates.start(e.date)
    then = ctx.settings_on(day)
    return (then is not None and begin <= day and (ended is None or day < ended) and party in e.parties
            and then.forbidden.matches(e) and party in _obligated(ctx, then) and _lapse(ctx, then, day) is None)


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _steps(ctx: Context, party: str, begin: str, ended: str | None, lapse: OutsideEvent | None) -> dict[str, Any]:
    """What a trace shows of one party's obligation: every outside event of the party that the settings of its day
    forbid, with whether those settings obliged the party and when their condition had been met by then."""
    acts = []
    for e in _outside(ctx):
        day = dates.start(e.date)
        then = ctx.settings_on(day)
        if then is not None and party in e.parties and then.forbidden.matches(e):
            met = _lapse(ctx, then, day)
            acts.append({"id": e.id, "date": e.date, "obliged": party in _obligated(ctx, then),
                         "condition_met_on": met.date if met else None})
    return {"party": party, "holds_from": begin, "instrument_ended": ended, "lapsed_on": lapse.date if lapse else None,
            "forbidden_acts": acts}


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    instrument = ctx.instrument
    if instrument is None or instrument.in_force is None:
        return [ctx.finding("not_applicable", said("%(instrument)s is not in force on %(day)s",
                                                   instrument=ctx.treaty.instrument, day=on_day(ctx.at)),
                            steps={"in_force": False})]
    begin = dates.start(instrument.in_force)
    ended = dates.start(instrument.ended) if instrument.ended else None
    # The obligation as it stood on the last day it could hold: what a party that broke nothing is judged by.
    closing: Settings = ctx.settings_for(_day_before(ended)) if ended and ctx.epochs else s
    lapse = _lapse(ctx, closing)
    # Everyone the settings obliged at some time while the instrument was in force, in the order they named them.
    epochs = ctx.epochs or (("", s),)
    obliged = dict.fromkeys(p for day, then in epochs if day <= ctx.at and (ended is None or day < ended)
                            for p in _obligated(ctx, then))
    findings = []
    for party in obliged:
        broken = [e for e in _outside(ctx) if _breaks(ctx, e, party, begin, ended)]
        steps = _steps(ctx, party, begin, instrument.ended, lapse if closing.unless else None) if ctx.traced else {}
        if broken:
            then: Settings = ctx.settings_for(dates.start(broken[0].date))
            if then.unless:
                detail = said("%(party)s concluded a %(act)s on %(day)s while the condition held (no %(lifting)s had "
                              "yet occurred)", party=party, act=then.forbidden.phrase(),
                              day=on_day(broken[0].date), lifting=then.unless.phrase())
            else:
                detail = said("%(party)s concluded a %(act)s on %(day)s while it held", party=party,
                              act=then.forbidden.phrase(), day=on_day(broken[0].date))
            findings.append(ctx.finding("breach", detail, subject=party, parties=[party],
                                        evidence=[e.id for e in broken], steps=steps))
        elif lapse is not None and closing.unless is not None:
            findings.append(ctx.finding("not_applicable", said(
                "%(party)s: the obligation lapsed from %(day)s, when the condition was met (%(condition)s)",
                party=party, day=on_day(lapse.date, "from"), condition=closing.unless.phrase()),
                                        subject=party, parties=[party], evidence=[lapse.id], steps=steps))
        elif instrument.ended:
            findings.append(ctx.finding("not_applicable", said(
                "%(party)s: the obligation ended with %(instrument)s on %(day)s; no %(act)s while it held",
                party=party, instrument=ctx.treaty.instrument, day=on_day(instrument.ended),
                act=closing.forbidden.phrase()), subject=party,
                                        parties=[party], steps=steps))
        else:
            findings.append(ctx.finding("met", said(
                "%(party)s has concluded no %(act)s while the condition held", party=party,
                act=closing.forbidden.phrase()) if closing.unless else said(
                "%(party)s has concluded no %(act)s while it held", party=party, act=closing.forbidden.phrase()),
                                        subject=party, parties=[party], steps=steps))
    return findings


def due(ctx: Context, s: Settings) -> list[Due]:
    instrument = ctx.instrument
    if instrument is None or instrument.status != "in_force" or _lapse(ctx, s) is not None:
        return []
    obliged = _obligated(ctx, s)
    lift: Value = said("; a %(lifting)s would lift it", lifting=s.unless.phrase()) if s.unless else ""
    return [ctx.due("condition", said("in force: %(parties)s to conclude no %(act)s%(lift)s (%(cite)s)",
                                      parties=parties(obliged), act=s.forbidden.phrase(), lift=lift,
                                      cite=ctx.cited()), parties=obliged)]
