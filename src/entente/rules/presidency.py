"""Presidency: an office held by one party at a time, with a term; the chair of each meeting is judged against it.

Who holds it (``holder``):

- ``host``: the host of each meeting of ``series`` takes the presidency and holds it until the next such
  meeting; a meeting held outside the parties' territory (no host, or a host that is not a party) leaves
  it with the previous host.  With no ``series``, every meeting passes it on: the host presides, and
  abroad the previous host does.
- ``order``: the parties in ``order`` each hold it for ``term_months``, from ``start`` (by default the
  instrument's entry into force); a party no longer bound when its term begins is passed over.  With
  ``passes_at``, a term ends instead the day after the next meeting of that series (a chairmanship handed
  on at the ministerial meeting that closes it); ``term_months`` is then the length expected of a term
  still running.
- ``elected``: the party named (``target``) by the last accepted proposal with motion ``elect_president``,
  from the day it was decided, for ``term_months`` if set, else until the next election.

The chair of every meeting in ``chairs`` (by default every meeting of the instrument) is judged against
the holder on its first day.  The record often does not name the chair: then the finding names who it
should have been, and judges nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import msgspec

from entente.rules import host_rotation
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, Series, in_series, meeting_label
from entente.rules.duration import add_months
from entente.vocabulary import dates
from entente.vocabulary.events import (
    ConferenceConvened,
    ConferenceHeld,
    Event,
    PartyCode,
    ProposalDecided,
    ProposalMade,
)
from entente.vocabulary.said import Said, Value, listed, said, say, word
from entente.vocabulary.said import day as on_day

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.  A decided proposal can elect the president.
READS: tuple[type[Event], ...] | None = (ConferenceHeld, ConferenceConvened, ProposalMade, ProposalDecided)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``presidency`` rule's ``settings`` may say in a treaty file.

    Fields:
        holder: ``host``: the host of each meeting of ``series`` holds it until the next such meeting (abroad it
          stays with the previous host); ``order``: the parties of ``order`` in terms of ``term_months``; ``elected``:
          the party named by the last accepted ``elect_president`` proposal
        series: with ``holder: host``, the meetings whose host takes the presidency; none: every meeting
        chairs: the meetings whose chair is judged against the presidency; none: every meeting of the instrument
        order: with ``holder: order``, the parties in turn (one no longer bound when its term would begin is passed
          over)
        term_months: the length of a term: required with ``holder: order``; with ``holder: elected``, none means
          until the next election
        start: with ``holder: order``, the first day of the first term; none: entry into force
        passes_at: with ``holder: order``, the meetings (a series) at whose close the presidency passes to the next in
          order, whenever they fall; none: at the end of each ``term_months``
        office: who presides for a state, in words
    """

    holder: Literal["host", "order", "elected"] = "host"
    series: Series = None
    chairs: Series = None
    order: list[PartyCode] = []
    term_months: int | None = None
    start: str | None = None
    passes_at: Series = None
    office: str = "foreign minister"

    def __post_init__(self) -> None:
        if self.term_months is not None and self.term_months < 1:
            raise ValueError("term_months is a number of months, at least 1")
        if self.holder == "order" and not (self.order and self.term_months):
            raise ValueError("a presidency held in turn (holder: order) needs the order and term_months")
        if self.passes_at is not None and self.holder != "order":
            raise ValueError("passes_at is for a presidency held in turn (holder: order)")


class Term(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One party's presidency: from ``since`` to the day before ``until`` (None: still running)."""

    holder: str
    since: str
    until: str | None = None
    why: str  # how it came to hold it, in words
    reason: Said | None = None  # the same as data, for a view to say in its reader's language
    evidence: list[str] = []


def _label(m: ConferenceHeld) -> Said:
    return meeting_label(m, m.host or said("outside the parties"))


def _term(holder: str, since: str, reason: Said, until: str | None = None, evidence: list[str] | None = None) -> Term:
    """A term, its ``why`` in words from the reason as data."""
    return Term(holder=holder, since=since, until=until, why=say(reason), reason=reason, evidence=evidence or [])


def _meetings(ctx: Context, series: Series) -> list[ConferenceHeld]:
    return [e for e in ctx.state.conferences if e.instrument == ctx.treaty.instrument and in_series(e, series)]


def _by_host(ctx: Context, s: Settings) -> list[Term]:
    terms: list[Term] = []
    for m in _meetings(ctx, s.series):
        day = dates.start(m.date)
        if m.inferred or m.host is None or m.host not in (ctx.bound(day) or _signatories(ctx)):
            continue  # held outside the parties' territory: the presidency stays where it was
        if terms and terms[-1].holder == m.host:
            terms[-1].evidence.append(m.id)
            continue
        if terms:
            terms[-1].until = day
        terms.append(_term(m.host, day, said("host of %(meeting)s", meeting=_label(m)), evidence=[m.id]))
    return terms


def _signatories(ctx: Context) -> list[str]:
    return ctx.instrument.signatories if ctx.instrument else []


def _by_order(ctx: Context, s: Settings) -> list[Term]:
    i = ctx.instrument
    first = s.start or (dates.start(i.in_force) if i and i.in_force else None)
    if first is None or not s.order or not s.term_months:
        return []
    terms: list[Term] = []
    turn, count = 0, 0
    since = first
    why = said("in turn (%(order)s), %(months)s months a term", order=listed(s.order, "→"), months=s.term_months)
    # With ``passes_at``: the days after the meetings that close a term, and the meeting closing each.
    closes = {} if s.passes_at is None else {
        (date.fromisoformat(dates.bounds(m.date)[1]) + timedelta(days=1)).isoformat(): m
        for m in _meetings(ctx, s.passes_at) if not m.inferred and dates.start(m.date) <= ctx.at}
    if s.passes_at is not None:
        why = said("in turn (%(order)s), passed on at the close of each meeting of the series",
                   order=listed(s.order, "→"))
    while not terms or terms[-1].since <= ctx.at:  # up to the term after the day judged
        turn = _next_eligible(ctx, s.order, turn, since)
        count += 1
        until = add_months(first, s.term_months * count)
        evidence = []
        if s.passes_at is not None:
            closing = min((day for day in closes if day > since), default=None)
            until = closing or add_months(since, s.term_months)
            evidence = [closes[closing].id] if closing else []
        terms.append(_term(s.order[turn % len(s.order)], since, why, until, evidence))
        # Passed on mid-term, to the next in order, when its holder is suspended or leaves; the order goes on
        # from the one it passed to.
        while (lost := _lost(ctx, terms[-1].holder, terms[-1].since, until)) is not None:
            left = terms[-1].holder
            terms[-1].until = lost
            turn = _next_eligible(ctx, s.order, turn + 1, lost)
            passed = said("passed on from %(left)s, %(lost)s, for the rest of the term", left=left,
                          lost=_why_lost(ctx, left, lost))
            terms.append(_term(s.order[turn % len(s.order)], lost, passed, until))
        if until is None or (i is not None and i.ended and until >= dates.start(i.ended)):
            break  # the calendar, or the instrument, ends
        turn, since = turn + 1, until
    return terms


def _next_eligible(ctx: Context, order: list[str], turn: int, day: str) -> int:
    """The turn of the first party in order from ``turn`` that may hold the presidency on ``day`` (bound, its
    turn not suspended); a party that may not is passed over."""
    for step in range(len(order)):
        if ctx.holds_right(order[(turn + step) % len(order)], "presidency", day):
            return turn + step
    return turn


def _lost(ctx: Context, holder: str, since: str, until: str | None) -> str | None:
    """The first day after ``since`` and before ``until`` on which ``holder`` may no longer hold the presidency."""
    history = ctx.dated.instruments.get(ctx.treaty.instrument)
    if history is None or not ctx.holds_right(holder, "presidency", since):
        return None
    for day in history.days:
        if since < day <= ctx.at and (until is None or day < until) and not ctx.holds_right(holder, "presidency", day):
            return day
    return None


def _why_lost(ctx: Context, holder: str, day: str) -> Said:
    return said("whose turn was suspended") if holder in ctx.bound(day) else said("which left")


def _by_election(ctx: Context, s: Settings) -> list[Term]:
    elected = [(dates.start(p.decision.date), p.proposal, p.decision) for p in ctx.state.proposals.values()
               if p.proposal.instrument == ctx.treaty.instrument and p.proposal.motion == "elect_president"
               and p.proposal.target and p.decision is not None and p.decision.outcome == "accepted"]
    terms: list[Term] = []
    # In the order the elections were decided, not proposed: each cuts short the term running on its day.
    for day, made, decided in sorted(elected, key=lambda e: e[0]):
        if terms and (terms[-1].until is None or terms[-1].until > day):
            terms[-1].until = day
        until = add_months(day, s.term_months) if s.term_months else None
        terms.append(_term(made.target or "", day, said("elected by proposal %(proposal)s", proposal=made.proposal),
                           until, [made.id, decided.id]))
    return terms


def terms(ctx: Context, s: Settings) -> list[Term]:
    """Who held the presidency from when to when, up to the day judged (and, by order, the term after).

    Each run of days is built by the settings in force over it: a change of the order (or of the term, or of
    who holds it) from its effective day leaves the terms before that day as they were, and cuts the one
    running on it.
    """
    epochs = [(day, settings) for day, settings in ctx.epochs if not day or day <= ctx.at] or [("", s)]
    if len(epochs) == 1:
        return _HOLDERS[epochs[0][1].holder](ctx, epochs[0][1])
    out: list[Term] = []
    for n, (day, settings) in enumerate(epochs):
        end = epochs[n + 1][0] if n + 1 < len(epochs) else None
        for t in _HOLDERS[settings.holder](ctx, settings):
            if (t.until is not None and day and t.until <= day) or (end is not None and t.since >= end):
                continue
            until = t.until if end is None or (t.until is not None and t.until < end) else end
            out.append(msgspec.structs.replace(t, since=max(t.since, day), until=until, evidence=list(t.evidence)))
    return out


_HOLDERS = {"host": _by_host, "order": _by_order, "elected": _by_election}


def holder_on(all_terms: list[Term], day: str) -> Term | None:
    return next((t for t in reversed(all_terms) if t.since <= day and (t.until is None or day < t.until)), None)


def _expected(ctx: Context, s: Settings, m: ConferenceHeld, term: Term | None) -> Said:
    """Why the holder presides over this meeting, in words."""
    assert term is not None
    who = said("%(party)s's %(office)s", party=term.holder, office=word(s.office))
    why: Value = term.reason or term.why
    if s.holder != "host":
        if term.until:
            return said("%(who)s (%(party)s holds the presidency from %(since)s to %(until)s, %(why)s)", who=who,
                        party=term.holder, since=on_day(term.since, "from"), until=on_day(term.until, "until"), why=why)
        return said("%(who)s (%(party)s holds the presidency from %(since)s, %(why)s)", who=who, party=term.holder,
                    since=on_day(term.since, "from"), why=why)
    if m.id in term.evidence:
        return said("%(who)s (the host)", who=who)
    if m.host is None or m.host not in (ctx.bound(dates.start(m.date)) or _signatories(ctx)):
        return said("%(who)s (held outside the parties' territory; %(party)s hosted the previous conference)",
                    who=who, party=term.holder)
    return said("%(who)s (%(party)s holds the presidency since %(since)s, as %(why)s)", who=who, party=term.holder,
                since=on_day(term.since, "from"), why=why)


def _no_holder(s: Settings, m: ConferenceHeld) -> Said:
    chaired = said("chaired by %(chair)s", chair=m.chair) if m.chair else said("the record does not name the chair")
    if s.holder != "host":
        return said("%(chaired)s; no party held the presidency then", chaired=chaired)
    if m.chair:
        return said("%(chaired)s; held outside the parties' territory with no earlier conference hosted by a party, "
                    "so the article names no chair", chaired=chaired)
    return said("%(chaired)s, and no earlier conference was hosted by a party", chaired=chaired)


def _chaired(ctx: Context, s: Settings) -> list[tuple[ConferenceHeld, Settings]]:
    """The meetings whose chair is judged, each with the settings in force on its day (``s`` before the rule
    applied: a rule added by a decision judges the meetings before it as it was added)."""
    out = []
    for m in _meetings(ctx, None):
        then = ctx.settings_for(dates.start(m.date)) if ctx.epochs else s
        if in_series(m, then.chairs):
            out.append((m, then))
    return out


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = []
    all_terms = terms(ctx, s)
    by = said("by Article %(article)s", article=ctx.article.article)
    for m, then in _chaired(ctx, s):
        term = holder_on(all_terms, dates.start(m.date))
        steps = {"settings_day": dates.start(m.date), "inferred": m.inferred, "chair": m.chair,
                 "presidency_held_by": term.holder if term else None, "held_since": term.since if term else None,
                 "held_because": term.why if term else None}
        if m.inferred:
            findings.append(ctx.finding("not_applicable", INFERRED_SAID, subject=_label(m), evidence=[m.id],
                                        steps=steps))
        elif term is None:
            findings.append(ctx.finding("not_applicable", _no_holder(then, m), subject=_label(m), evidence=[m.id],
                                        steps=steps))
        elif m.chair is None:
            findings.append(ctx.finding("not_applicable", said(
                "the record does not name the chair; %(by)s it would have been %(expected)s", by=by,
                expected=_expected(ctx, then, m, term)), subject=_label(m),
                                        evidence=[m.id], steps=steps))
        else:
            ok = m.chair == term.holder
            expected = _expected(ctx, then, m, term)
            detail = said("chaired by %(chair)s: %(by)s it was %(expected)s", chair=m.chair, by=by,
                          expected=expected) if ok else \
                said("chaired by %(chair)s, but %(by)s it was %(expected)s", chair=m.chair, by=by, expected=expected)
            findings.append(ctx.finding("met" if ok else "breach", detail, subject=_label(m), evidence=[m.id],
                                        parties=sorted({m.chair, term.holder}), steps=steps))
    return findings or [ctx.finding("not_applicable", said("no conference of the series is recorded yet"),
                                       steps={"meetings": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    all_terms = terms(ctx, s)
    items = []
    if (now := holder_on(all_terms, ctx.at)) is not None:
        until: Value = said(" to %(day)s", day=on_day(now.until, "until")) if now.until else \
            said(" until the next meeting of the series") if s.holder == "host" else ""
        # A presidency passed by hosting is the rule's inference, not a fact any source records: it "would" be held.
        values: dict[str, Value] = {"party": now.holder, "since": on_day(now.since, "from"), "until": until,
                                    "why": now.reason or now.why, "cite": ctx.cited()}
        if s.holder == "host":
            holds = said("%(party)s would hold the presidency from %(since)s%(until)s (%(why)s; %(cite)s)", **values)
        else:
            holds = said("%(party)s holds the presidency from %(since)s%(until)s (%(why)s; %(cite)s)", **values)
        items.append(ctx.due("presidency", holds,
                             host=now.holder, parties=[now.holder],
                             evidence=now.evidence))
    if s.holder == "order":
        nxt = next((t for t in all_terms if t.since > ctx.at), None)
        if nxt is not None:
            items.append(ctx.due("presidency", said("%(party)s takes the presidency on %(day)s (%(why)s; %(cite)s)",
                                                    party=nxt.holder, day=on_day(nxt.since), why=nxt.reason or nxt.why,
                                                    cite=ctx.cited()),
                                 host=nxt.holder, on=nxt.since, parties=[nxt.holder]))
        return items
    if s.holder == "elected":
        return items
    # The next chair follows the next host: ask this treaty's host rotation rule for the series, if it has one.
    for article, spec in ctx.treaty.rules():
        if spec.kind == "host_rotation":
            other = ctx.for_rule(article, spec, host_rotation.Settings)
            rotation = other.settings_on(ctx.at)
            if rotation is None or rotation.series != s.series:
                continue
            for item in host_rotation.due(other, rotation):
                hosts = item.parties
                return [*items, ctx.due("chair", said(
                    "the next conference is presided over by the %(office)s of its host, %(hosts)s "
                    "(%(cite)s; %(rule)s)", office=word(s.office), hosts=listed(hosts, "or_each"),
                    cite=ctx.cited(), rule=spec.id), host=item.host,
                                        parties=hosts)]
    return [*items, ctx.due("chair", said("the next conference is presided over by the host's %(office)s (%(cite)s)",
                                          office=word(s.office), cite=ctx.cited()))]
