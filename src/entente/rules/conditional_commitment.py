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

import msgspec

from entente.rules.base import Context, Due, Finding
from entente.rules.decision import names
from entente.vocabulary import dates
from entente.vocabulary.events import Event, OutsideEvent, PartyCode


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

    def phrase(self) -> str:
        return (self.words or self.category) + (f" with {names(self.with_parties)}" if self.with_parties else "")

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


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    instrument = ctx.instrument
    if instrument is None or instrument.in_force is None:
        return [ctx.finding("not_applicable", f"{ctx.treaty.instrument} is not in force on {ctx.at}")]
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
        if broken:
            then: Settings = ctx.settings_for(dates.start(broken[0].date))
            held = "while the condition held" if then.unless else "while it held"
            why = f" (no {then.unless.phrase()} had yet occurred)" if then.unless else ""
            findings.append(ctx.finding("breach", f"{party} concluded a {then.forbidden.phrase()} on "
                                        f"{broken[0].date} {held}{why}", subject=party, parties=[party],
                                        evidence=[e.id for e in broken]))
        elif lapse is not None and closing.unless is not None:
            findings.append(ctx.finding("not_applicable", f"{party}: the obligation lapsed from {lapse.date}, "
                                        f"when the condition was met ({closing.unless.phrase()})",
                                        subject=party, parties=[party], evidence=[lapse.id]))
        elif instrument.ended:
            findings.append(ctx.finding("not_applicable", f"{party}: the obligation ended with "
                                        f"{ctx.treaty.instrument} on {instrument.ended}; no "
                                        f"{closing.forbidden.phrase()} while it held", subject=party,
                                        parties=[party]))
        else:
            held = "while the condition held" if closing.unless else "while it held"
            findings.append(ctx.finding("met", f"{party} has concluded no {closing.forbidden.phrase()} {held}",
                                        subject=party, parties=[party]))
    return findings


def due(ctx: Context, s: Settings) -> list[Due]:
    instrument = ctx.instrument
    if instrument is None or instrument.status != "in_force" or _lapse(ctx, s) is not None:
        return []
    parties = _obligated(ctx, s)
    lift = f"; a {s.unless.phrase()} would lift it" if s.unless else ""
    return [ctx.due("condition", f"in force: {names(parties)} to conclude no {s.forbidden.phrase()}{lift} "
                    f"({ctx.cite()})", parties=parties)]
