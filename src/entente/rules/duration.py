"""Duration: entry into force and the term of an instrument.

The term runs ``months`` calendar months from entry into force (or from
signature); the expiry day is the same day of the month that many months on,
or the month's last day where it has no such day, and from it the instrument
no longer binds.  An instrument signed later that ``renews`` this one starts a
new term of the same length from its signature.  A party that denounces or
annuls the instrument before the end of a term ends it early: a breach or
allowed, as the article says, or, where the record cannot judge the act (one of
a government installed under occupation), reported and not judged.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from entente.rules.base import Context, Due, Finding, Status
from entente.vocabulary import dates
from entente.vocabulary.dates import add_months
from entente.vocabulary.events import Event, InstrumentSigned, InstrumentTerminated

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = ()


class EndedOtherwise(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """How a reading has the instrument end other than by the acts the record holds.

    Fields:
        how: how it ended, in words ("lost with the parties' independence")
        on: when (EDTF)
        renewed_on: when it was renewed, where a reading has it renewed (EDTF)
        renewed_by: what renewed it, in words
    """

    how: str
    on: str
    renewed_on: str | None = None
    renewed_by: str | None = None


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``duration`` rule's ``settings`` may say in a treaty file.

    Fields:
        months: the term in calendar months; none: no fixed term
        from: what the term runs from
        early_termination: whether ending it before its term is a breach; ``not_judged``: reported, not judged (an
          act the record cannot judge)
        renewal: ``tacit``: unless denounced, it runs on for another term each time one ends
        ended_otherwise: under a reading that has it end other than by the acts the record holds: how and when
          (reported, not judged)
    """

    months: int | None = None
    from_: Literal["entry_into_force", "signature"] = msgspec.field(default="entry_into_force", name="from")
    early_termination: Literal["breach", "allowed", "not_judged"] = "allowed"
    renewal: Literal["none", "tacit"] = "none"
    ended_otherwise: EndedOtherwise | None = None


def _renewals(ctx: Context) -> list[InstrumentSigned]:
    """Later instruments whose signature says they renew this one."""
    return [e for e in ctx.events if isinstance(e, InstrumentSigned) and e.renews == ctx.treaty.instrument]


def _expiry(ctx: Context, s: Settings, until: str | None = None) -> str | None:
    """The day the term running on ``until`` (default: the day asked about) ends."""
    i = ctx.instrument
    start = i and (i.signed if s.from_ == "signature" else i.in_force)
    if not start or s.months is None:
        return None
    day = until or ctx.at
    start = max([dates.start(start), *(dates.start(e.date) for e in _renewals(ctx) if dates.start(e.date) <= day)])
    terms = 1
    expiry = add_months(start, s.months)
    while s.renewal == "tacit" and expiry is not None and expiry <= day:
        terms += 1
        expiry = add_months(start, s.months * terms)
    return expiry


def _early(ctx: Context, s: Settings) -> list[tuple[InstrumentTerminated, str]]:
    """Denunciations and annulments after entry into force and before the end of the term they fell in."""
    i = ctx.instrument
    if i is None or i.in_force is None:
        return []
    early = []
    for e in ctx.events:
        if isinstance(e, InstrumentTerminated) and e.instrument == i.id and e.mode in ("denounced", "annulled"):
            day = dates.start(e.date)
            expiry = _expiry(ctx, s, day)
            if expiry is not None and dates.start(i.in_force) <= day < expiry:
                early.append((e, expiry))
    return early


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    i = ctx.instrument
    if i is None:
        return []
    expiry = _expiry(ctx, s)
    term = f"{s.months} months from {'signature' if s.from_ == 'signature' else 'entry into force'}" + (
        ", renewed tacitly" if s.renewal == "tacit" else "") + "".join(
        f", renewed by {e.instrument} on {e.date}" for e in _renewals(ctx))

    def finding(status: Status, detail: str, evidence: list[str] | None = None) -> Finding:
        return ctx.finding(status, detail, subject=i.id, evidence=evidence or [])

    if (other := s.ended_otherwise) is not None and i.in_force is not None and dates.start(other.on) <= ctx.at:
        renewed = f"; renewed on {other.renewed_on}" + (f" by {other.renewed_by}" if other.renewed_by else "") \
            if other.renewed_on and dates.start(other.renewed_on) <= ctx.at else ""
        return [finding("not_applicable", f"in force from {i.in_force}; {other.how} in {other.on}{renewed}: "
                                          "reported, not judged")]
    if i.in_force is None:
        if i.ended:
            return [finding("not_applicable", f"signed on {i.signed}, never in force (ended {i.ended})")]
        return [finding("pending", f"signed on {i.signed}, not yet in force")]
    if early := _early(ctx, s):
        who = "; ".join(f"{e.party or 'the parties'} {e.mode} it on {e.date}" for e, _ in early)
        detail = f"{who}, before the end of its term ({term}) on {early[0][1]}"
        if s.early_termination == "breach":
            return [finding("breach", detail, [e.id for e, _ in early])]
        if s.early_termination == "not_judged":
            return [finding("not_applicable", f"{detail}: reported, not judged", [e.id for e, _ in early])]
        return [finding("met", f"{detail}, which the treaty allows", [e.id for e, _ in early])]
    if i.ended:
        ran = f"; its term ({term}) ran to {expiry}" if expiry else ""
        return [finding("not_applicable", f"in force from {i.in_force}, ended on {i.ended}{ran}")]
    if expiry is None:
        term_end = "with no fixed term" if s.months is None else f"its term ({term}) runs past the year 9999"
        return [finding("met", f"in force since {i.in_force}, {term_end}")]
    if ctx.at >= expiry:
        return [finding("not_applicable", f"in force from {i.in_force}; its term ({term}) expired on {expiry}")]
    return [finding("met", f"in force since {i.in_force}; its term ({term}) expires on {expiry}")]


def due(ctx: Context, s: Settings) -> list[Due]:
    i = ctx.instrument
    expiry = _expiry(ctx, s)
    if i is None or expiry is None or i.ended or ctx.at >= expiry:
        return []
    return [ctx.due("expiry", f"{i.id} expires on {expiry} ({s.months} months; {ctx.cite()})", on=expiry)]
