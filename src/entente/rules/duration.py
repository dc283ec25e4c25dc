"""Duration: entry into force and the term of an instrument.

The term runs ``months`` calendar months from entry into force (or from
signature); the expiry day is the same day of the month that many months on,
or the month's last day where it has no such day, and from it the instrument
no longer binds.  An instrument signed later that ``renews`` this one starts a
new term of the same length from its signature.  After its term it expires, is
renewed for another term (``tacit``), or runs on until a party denounces it
(``until_denounced``): a denunciation is a written notice (``withdrawal_notified``)
that takes effect after the notice period of the instrument's final clauses, and
one taking effect before the end of the term ends it early.  The day each
party's obligations end is said: the day it stopped being bound, or the day
its notice takes effect.  An instrument the parties end by decision
(``mode: by_decision``) ended as it may, where the record holds the proposal
accepted; without it, the ending is a breach.  A party that denounces or
annuls the instrument before the end of a term ends it early: a breach or
allowed, as the article says, or, where the record cannot judge the act (one of
a government installed under occupation), reported and not judged.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from entente.replay.dated import bindings, instrument_on
from entente.replay.life import DEFAULT_NOTICE_MONTHS
from entente.replay.model import ProposalState
from entente.rules.base import Context, Due, Finding, Status
from entente.vocabulary import dates
from entente.vocabulary.dates import add_months
from entente.vocabulary.events import (
    Event,
    InstrumentSigned,
    InstrumentTerminated,
    ProposalDecided,
    ProposalMade,
    WithdrawalNotified,
)
from entente.vocabulary.said import Said, Value, listed, said, word
from entente.vocabulary.said import day as on_day

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (WithdrawalNotified, ProposalMade, ProposalDecided)


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
        renewal: ``tacit``: unless denounced, it runs on for another term each time one ends; ``until_denounced``:
          after its term it runs on until a party denounces it, on the notice its final clauses set
        ended_otherwise: under a reading that has it end other than by the acts the record holds: how and when
          (reported, not judged)
    """

    months: int | None = None
    from_: Literal["entry_into_force", "signature"] = msgspec.field(default="entry_into_force", name="from")
    early_termination: Literal["breach", "allowed", "not_judged"] = "allowed"
    renewal: Literal["none", "tacit", "until_denounced"] = "none"
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


def _early(ctx: Context) -> list[tuple[InstrumentTerminated | WithdrawalNotified, str]]:
    """Denunciations and annulments after entry into force and before the end of the term they fell in, and
    notices of denunciation taking effect before the end of the term they were given in."""
    i = ctx.instrument
    if i is None or i.in_force is None:
        return []
    early: list[tuple[InstrumentTerminated | WithdrawalNotified, str]] = []
    for e in ctx.events:
        if not isinstance(e, InstrumentTerminated | WithdrawalNotified) or e.instrument != i.id:
            continue
        day = dates.start(e.date)
        if isinstance(e, InstrumentTerminated):
            if e.mode not in ("denounced", "annulled"):
                continue
            effective = day
        else:
            effective = _notice_takes_effect(ctx, e) or day
        expiry = _expiry(ctx, ctx.settings_for(day), day)  # the term in force that day
        if expiry is not None and dates.start(i.in_force) <= day and effective < expiry:
            early.append((e, expiry))
    return early


def _by_decision(ctx: Context) -> tuple[InstrumentTerminated, ProposalState | None] | None:
    """The ending of the whole instrument by decision of the parties, with the proposal it rests on."""
    end = next((e for e in ctx.events if isinstance(e, InstrumentTerminated) and e.instrument == ctx.treaty.instrument
                and e.mode == "by_decision" and e.party is None), None)
    if end is None:
        return None
    return end, ctx.state.proposals.get(end.proposal or "")


def notice_months(ctx: Context) -> int:
    """The months after which a notice of withdrawal takes effect, as the instrument's final clauses say."""
    signed = next((e for e in ctx.events if isinstance(e, InstrumentSigned) and e.instrument == ctx.treaty.instrument),
                  None)
    months = signed.binding.notice_months if signed is not None and signed.binding is not None else None
    return DEFAULT_NOTICE_MONTHS if months is None else months


def _notice_takes_effect(ctx: Context, e: WithdrawalNotified) -> str | None:
    on = instrument_on(ctx.dated, e.instrument, dates.start(e.date))
    return on.on_notice.get(e.party) if on else None


def obligations_end(ctx: Context) -> dict[str, str]:
    """Per party, the day its obligations under the instrument end (it is no longer bound from that day): the
    day it stopped being bound up to the day judged, or the day a notice given by then takes effect."""
    i = ctx.instrument
    if i is None:
        return {}
    out = {party: until for party, runs in bindings(ctx.dated, i.id).items()
           for _, until in runs[-1:] if until is not None and until <= ctx.at}
    out.update(i.on_notice)
    return dict(sorted(out.items(), key=lambda kv: (kv[1], kv[0])))


def _ends_in_words(ctx: Context) -> Value:
    ends = obligations_end(ctx)
    return listed([said("%(party)s's obligations ended on %(day)s", party=party, day=on_day(day)) if day <= ctx.at
                   else said("%(party)s's obligations end on %(day)s", party=party, day=on_day(day))
                   for party, day in ends.items()], ";") if ends else ""


def _act(ctx: Context, e: InstrumentTerminated | WithdrawalNotified) -> Said:
    if isinstance(e, WithdrawalNotified):
        return said("%(party)s gave notice of denunciation on %(day)s, taking effect on %(effect)s", party=e.party,
                    day=on_day(e.date), effect=on_day(str(_notice_takes_effect(ctx, e))))
    return said("%(party)s %(mode)s it on %(day)s", party=e.party or word("the parties"), mode=word(e.mode),
                day=on_day(e.date))


def _steps(ctx: Context, s: Settings, expiry: str | None) -> dict[str, Any]:
    """What a trace shows of the term: its settings, the acts that could end it early, each with the day it takes
    effect and the end of the term it fell in, the ending by decision, and the day each party's obligations end."""
    i = ctx.instrument
    assert i is not None
    acts = []
    for e in ctx.events:
        if isinstance(e, InstrumentTerminated | WithdrawalNotified) and e.instrument == i.id and (
                isinstance(e, WithdrawalNotified) or e.mode in ("denounced", "annulled")):
            day = dates.start(e.date)
            effect = day if isinstance(e, InstrumentTerminated) else _notice_takes_effect(ctx, e) or day
            then = ctx.settings_for(day)
            acts.append({"id": e.id, "on": day, "takes_effect": effect, "term_ends": _expiry(ctx, then, day),
                         "early_termination": then.early_termination})
    decided = _by_decision(ctx)
    other = s.ended_otherwise
    return {"signed": i.signed, "in_force_from": i.in_force, "ended": i.ended, "at": ctx.at, "term_months": s.months,
            "renewal": s.renewal, "term_ends": expiry, "ended_otherwise_on": other.on if other else None,
            "ending_acts": acts, "early_termination": s.early_termination,
            "ended_by_decision": None if decided is None else {
                "ended_on": decided[0].date, "proposal": decided[0].proposal,
                "outcome": decided[1].decision.outcome if decided[1] and decided[1].decision else None},
            "obligations_end": obligations_end(ctx)}


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    i = ctx.instrument
    if i is None:
        return []
    expiry = _expiry(ctx, s)
    runs_on = s.renewal == "until_denounced"
    renewals: list[Value] = [said(", renewed tacitly")] if s.renewal == "tacit" else []
    renewals += [said(", renewed by %(instrument)s on %(day)s", instrument=e.instrument, day=on_day(e.date))
                 for e in _renewals(ctx)]
    if runs_on:
        renewals.append(said(", then until denounced on %(months)s months' notice", months=notice_months(ctx)))
    term = said("%(months)s months from signature%(renewals)s", months=str(s.months), renewals=listed(renewals, "")) \
        if s.from_ == "signature" else \
        said("%(months)s months from entry into force%(renewals)s", months=str(s.months), renewals=listed(renewals, ""))
    ends = _ends_in_words(ctx)
    early = _early(ctx)
    steps = _steps(ctx, s, expiry) if ctx.traced else {}

    def finding(status: Status, detail: Said, evidence: list[str] | None = None, *, with_ends: bool = True
                ) -> Finding:
        return ctx.finding(status, said("%(detail)s; %(ends)s", detail=detail, ends=ends) if ends and with_ends
                           else detail, evidence=evidence or [],
                           parties=sorted({e.party for e, _ in early if e.party}), steps=steps)

    if (other := s.ended_otherwise) is not None and i.in_force is not None and dates.start(other.on) <= ctx.at:
        renewed: Value = ""
        if other.renewed_on and dates.start(other.renewed_on) <= ctx.at:
            renewed = said("; renewed on %(day)s by %(by)s", day=on_day(other.renewed_on), by=other.renewed_by) \
                if other.renewed_by else said("; renewed on %(day)s", day=on_day(other.renewed_on))
        # The reading says how the parties' obligations went (lost, or suspended): not the day an act the reading
        # does not follow, such as an annulment, ended them.
        return [finding("not_applicable", said("in force from %(since)s; %(how)s in %(on)s%(renewed)s: reported, not "
                                               "judged", since=on_day(i.in_force, "from"), how=word(other.how),
                                               on=on_day(other.on), renewed=renewed), with_ends=False)]
    if i.in_force is None:
        if i.ended:
            return [finding("not_applicable", said("signed on %(day)s, never in force (ended %(ended)s)",
                                                   day=on_day(str(i.signed)), ended=on_day(i.ended)))]
        return [finding("pending", said("signed on %(day)s, not yet in force", day=on_day(str(i.signed))))]
    if early:
        detail = said("%(who)s, before the end of its term (%(term)s) on %(day)s",
                      who=listed([_act(ctx, e) for e, _ in early], ";"), term=term, day=on_day(early[0][1]))
        # Judged by what the settings said of an early end on the day of the first act (a later decision does not
        # make it a breach, nor excuse it).
        how = ctx.settings_for(dates.start(early[0][0].date)).early_termination
        if how == "breach":
            return [finding("breach", detail, [e.id for e, _ in early])]
        if how == "not_judged":
            return [finding("not_applicable", said("%(detail)s: reported, not judged", detail=detail),
                            [e.id for e, _ in early])]
        return [finding("met", said("%(detail)s, which the treaty allows", detail=detail), [e.id for e, _ in early])]
    if (decided := _by_decision(ctx)) is not None:
        end, proposal = decided
        ran: Value = said("; its term (%(term)s) ran to %(day)s", term=term,
                          day=on_day(str(_expiry(ctx, s, dates.start(end.date))), "until")) if s.months else ""
        if proposal is not None and proposal.decision is not None and proposal.decision.outcome == "accepted":
            return [finding("met", said("ended on %(day)s by decision of the parties (proposal %(proposal)s, accepted "
                                        "on %(accepted)s)%(ran)s", day=on_day(end.date),
                                        proposal=proposal.proposal.proposal,
                                        accepted=on_day(proposal.decision.date), ran=ran),
                            [end.id, proposal.decision.id])]
        return [finding("breach", said("ended on %(day)s as by decision of the parties, but the record holds no "
                                       "accepted proposal %(proposal)s%(ran)s", day=on_day(end.date),
                                       proposal=end.proposal or said("(none named)"), ran=ran), [end.id])]
    since = on_day(i.in_force, "from")
    if i.ended:
        ran = said("; its term (%(term)s) ran to %(day)s", term=term, day=on_day(expiry, "until")) if expiry else ""
        return [finding("not_applicable", said("in force from %(since)s, ended on %(day)s%(ran)s", since=since,
                                               day=on_day(i.ended), ran=ran))]
    if expiry is None:
        if s.months is None:
            return [finding("met", said("in force since %(since)s, with no fixed term", since=since))]
        return [finding("met", said("in force since %(since)s, its term (%(term)s) runs past the year 9999",
                                    since=since, term=term))]
    if ctx.at >= expiry:
        if runs_on:
            return [finding("met", said("in force since %(since)s; its fixed term (%(term)s) ran to %(day)s, and it "
                                        "runs on until denounced", since=since, term=term,
                                        day=on_day(expiry, "until")))]
        return [finding("not_applicable", said("in force from %(since)s; its term (%(term)s) expired on %(day)s",
                                               since=since, term=term, day=on_day(expiry)))]
    if runs_on:
        return [finding("met", said("in force since %(since)s; its fixed term (%(term)s) runs to %(day)s", since=since,
                                    term=term, day=on_day(expiry, "until")))]
    return [finding("met", said("in force since %(since)s; its term (%(term)s) expires on %(day)s", since=since,
                                term=term, day=on_day(expiry)))]


def due(ctx: Context, s: Settings) -> list[Due]:
    i = ctx.instrument
    if i is None or i.ended:
        return []
    items = [ctx.due("obligations end", said("%(party)s's obligations under %(instrument)s end on %(day)s, when its "
                                             "notice takes effect (%(cite)s)", party=party, instrument=i.id,
                                             day=on_day(day), cite=ctx.cited()), on=day, parties=[party], earliest=day)
             for party, day in obligations_end(ctx).items() if day > ctx.at]
    expiry = _expiry(ctx, s)
    if s.renewal == "until_denounced" and i.in_force is not None and (expiry is None or ctx.at >= expiry):
        months = notice_months(ctx)
        effect = add_months(ctx.at, months)
        return [*items, ctx.due("denunciation", said(
            "%(instrument)s runs on until denounced: a notice given on %(day)s takes effect on %(effect)s (%(months)s "
            "months; %(cite)s)", instrument=i.id, day=on_day(ctx.at), effect=on_day(str(effect)),
                                                     months=months, cite=ctx.cited()), earliest=effect)]
    if expiry is None or ctx.at >= expiry:
        return items
    if s.renewal == "until_denounced":
        months = notice_months(ctx)
        first = add_months(expiry, -months)
        return [*items, ctx.due("end of term", said(
            "%(instrument)s's fixed term ends on %(day)s; then it runs on until denounced, on %(months)s months' "
            "notice (a notice given from %(first)s on takes effect after the term; %(cite)s)", instrument=i.id,
            day=on_day(expiry), months=months, first=on_day(str(first), "from"), cite=ctx.cited()),
            on=expiry, earliest=first)]
    return [*items, ctx.due("expiry", said("%(instrument)s expires on %(day)s (%(months)s months; %(cite)s)",
                                           instrument=i.id, day=on_day(expiry), months=str(s.months),
                                           cite=ctx.cited()), on=expiry)]
