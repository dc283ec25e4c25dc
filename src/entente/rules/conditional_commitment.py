"""Conditional commitment: the obligated parties refrain from something while a condition on outside events holds.

The obligation holds while the instrument is in force and, where an
``unless`` is set, until the first outside event matching it (it lapses from
that day on).  An outside
event matching ``forbidden`` that involves an obligated party while the
obligation held is a breach by that party.
"""

from __future__ import annotations

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


def _lapse(ctx: Context, s: Settings) -> OutsideEvent | None:
    """The first outside event that meets the condition and so lifts the obligation."""
    unless = s.unless
    return None if unless is None else next((e for e in _outside(ctx) if unless.matches(e)), None)


def _forbidden(ctx: Context, e: OutsideEvent) -> bool:
    """Whether the event is what the settings in force on its day forbid (nothing, before the rule applied)."""
    then = ctx.settings_on(dates.start(e.date))
    return then is not None and then.forbidden.matches(e)


def _obligated(ctx: Context, s: Settings) -> list[str]:
    if s.obligated:
        return list(s.obligated)
    instrument = ctx.instrument
    return list(instrument.signatories) if instrument else []


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    instrument = ctx.instrument
    if instrument is None or instrument.in_force is None:
        return [ctx.finding("not_applicable", f"{ctx.treaty.instrument} is not in force on {ctx.at}",
                            steps={"in_force": False})]
    begin = dates.start(instrument.in_force)
    lapse = _lapse(ctx, s)
    # The obligation holds from entry into force until the instrument ends or the condition is met.
    ends = [dates.start(instrument.ended)] if instrument.ended else []
    ends += [dates.start(lapse.date)] if lapse else []
    end = min(ends, default=None)
    forbidden = s.forbidden.phrase()
    held = "while the condition held" if s.unless else "while it held"
    why = f" (no {s.unless.phrase()} had yet occurred)" if s.unless else ""
    findings = []
    for party in _obligated(ctx, s):
        broken = [e for e in _outside(ctx) if _forbidden(ctx, e) and party in e.parties
                  and begin <= dates.start(e.date) and (end is None or dates.start(e.date) < end)]
        # Every act of the party the settings forbid, whenever it fell: the trace shows which fell while it held.
        steps = {"party": party, "holds_from": begin, "instrument_ended": instrument.ended,
                 "lapsed_on": lapse.date if lapse else None, "holds_until": end,
                 "forbidden_acts": [{"id": e.id, "date": e.date} for e in _outside(ctx) if _forbidden(ctx, e)
                                    and party in e.parties]} if ctx.traced else {}
        if broken:
            findings.append(ctx.finding("breach", f"{party} concluded a {forbidden} on {broken[0].date} {held}{why}",
                                        subject=party, parties=[party],
                                        evidence=[e.id for e in broken], steps=steps))
        elif lapse is not None:
            findings.append(ctx.finding("not_applicable", f"{party}: the obligation lapsed from {lapse.date}, "
                                        f"when the condition was met ({s.unless.phrase() if s.unless else ''})",
                                        subject=party, parties=[party],
                                        evidence=[lapse.id], steps=steps))
        elif instrument.ended:
            findings.append(ctx.finding("not_applicable", f"{party}: the obligation ended with "
                                        f"{ctx.treaty.instrument} on {instrument.ended}; no {forbidden} "
                                        "while it held", subject=party, parties=[party], steps=steps))
        else:
            findings.append(ctx.finding("met", f"{party} has concluded no {forbidden} {held}",
                                        subject=party, parties=[party], steps=steps))
    return findings


def due(ctx: Context, s: Settings) -> list[Due]:
    instrument = ctx.instrument
    if instrument is None or instrument.status != "in_force" or _lapse(ctx, s) is not None:
        return []
    parties = _obligated(ctx, s)
    lift = f"; a {s.unless.phrase()} would lift it" if s.unless else ""
    return [ctx.due("condition", f"in force: {names(parties)} to conclude no {s.forbidden.phrase()}{lift} "
                    f"({ctx.cite()})", parties=parties)]
