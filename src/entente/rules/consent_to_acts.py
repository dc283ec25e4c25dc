"""Consent to acts: some acts of a member (a kind of entry, or a category of outside event) need the parties' consent.

Each act is judged on its own.  Consent is a proposal with motion ``consent``
whose ``target`` is the act's entry, accepted by the treaty's decision rule
(where the votes are recorded, they are counted among the parties bound on
the day of the proposal).  Consent given to one act does not cover the next.
With ``consent: before`` (the default) consent decided after the act came too
late; with ``any_time``, consent given afterwards also covers it.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from entente.replay.model import ProposalState
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, entry_named, titled
from entente.rules.decision import count_steps, tally
from entente.vocabulary import dates
from entente.vocabulary.events import Event, PartyCode, kind_of
from entente.vocabulary.said import Said, Value, listed, parties, said, word
from entente.vocabulary.said import day as on_day


class ActPattern(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An act that needs consent: the kind of entry that records it, and its category.

    Fields:
        kind: the kind of entry that records the act
        category: an outside event's category, or a signed instrument's form; none: any
        words: the act in words, for findings
    """

    kind: str = "outside_event"
    category: str | None = None
    words: str | None = None

    def matches(self, e: Event) -> bool:
        return kind_of(e) == self.kind and (self.category is None or self.category in (
            getattr(e, "category", None), getattr(e, "form", None)))


# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``); None: any.
READS: tuple[type[Event], ...] | None = None  # an act that needs consent may be an entry of any kind


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``consent_to_acts`` rule's ``settings`` may say in a treaty file.

    Fields:
        acts: the acts that need consent
        members: whose acts need consent; empty: every party bound on the day of the act
        outsiders_only: only acts to which a state not bound by the instrument is a party
        consent: consent (a proposal with motion ``consent`` whose ``target`` is the act, accepted by the decision
          rule) must come by the act's day, or may come after it
    """

    acts: list[ActPattern]
    members: list[PartyCode] = []
    outsiders_only: bool = True
    consent: Literal["before", "any_time"] = "before"


def _actors(e: Event) -> list[str]:
    parties = list(getattr(e, "parties", ()) or ())
    return parties or ([e.actor] if e.actor else [])


def _acts(ctx: Context) -> list[tuple[Event, Settings, ActPattern, list[str]]]:
    """Each act that needs consent by the settings in force on its day, those settings, the pattern it matches,
    and the members who did it (none before the rule applied)."""
    out = []
    for e in ctx.events:
        s = ctx.settings_on(dates.start(e.date))
        pattern = None if s is None else next((p for p in s.acts if p.matches(e)), None)
        if s is None or pattern is None:
            continue
        bound = ctx.bound(dates.start(e.date))
        members = [p for p in _actors(e) if p in bound and (not s.members or p in s.members)]
        if members and (not s.outsiders_only or any(p not in bound for p in _actors(e))):
            out.append((e, s, pattern, members))
    return out


def _asked(ctx: Context, act: Event) -> list[ProposalState]:
    return [p for p in ctx.state.proposals.values() if p.proposal.instrument == ctx.treaty.instrument
            and p.proposal.motion == "consent" and p.proposal.target == act.id]


def _words(pattern: ActPattern) -> Value:
    """The act in the treaty's words, said in the catalog's where it has them."""
    return word(pattern.words or pattern.category or pattern.kind)


def _judge(ctx: Context, s: Settings, act: Event, pattern: ActPattern, members: list[str]) -> Finding:
    head = said("%(act)s of %(parties)s on %(day)s (%(title)s)", act=_words(pattern), parties=parties(members),
                day=on_day(act.date), title=titled(getattr(act, "title", None), act.id))
    asked = _asked(ctx, act)
    evidence = [act.id] + [e.id for p in asked for e in (p.proposal, p.decision) if e is not None]
    asked_steps: list[dict[str, Any]] = []
    steps = {"settings_day": dates.start(act.date), "inferred": act.inferred, "act_on": act.date,
             "act_ends": dates.end(act.date), "members": members, "consent": s.consent, "asked": asked_steps}

    def finding(status: str, detail: Value) -> Finding:
        return ctx.finding(status, said("%(head)s: %(detail)s", head=head, detail=detail),  # type: ignore[arg-type]
                           subject=act.id, about=entry_named(getattr(act, "title", None), act.id), evidence=evidence,
                           parties=members, steps=steps)

    if act.inferred:
        return finding("not_applicable", INFERRED_SAID)
    refusals: list[Value] = []
    for p in asked:
        decided = p.decision
        asked_step: dict[str, Any] = {"proposal": p.proposal.proposal, "decided_on": decided.date if decided else None,
                                      "recorded_outcome": decided.outcome if decided else None,
                                      "votes_recorded": bool(decided and decided.votes)}
        asked_steps.append(asked_step)
        if decided is None:
            continue
        why: Value = word(decided.outcome)
        if decided.votes:
            voters = ctx.voters(dates.start(p.proposal.date))[0]
            procedure = ctx.treaty.procedure(p.proposal.motion, p.proposal.article)
            outcome, why = tally(procedure, dict(decided.votes), voters, raiser=p.proposal.proposer)
            passed = outcome.adopted
            if ctx.traced:
                asked_step["count"] = count_steps(procedure, dict(decided.votes), outcome, why,
                                                  raiser=p.proposal.proposer)
        else:
            passed = decided.outcome == "accepted"
        by, on = p.proposal.proposal, on_day(decided.date)
        if not passed:
            refusals.append(said("consent refused by proposal %(proposal)s on %(day)s (%(why)s)", proposal=by,
                                 day=on, why=why))
        elif s.consent == "any_time" or dates.start(decided.date) <= dates.end(act.date):
            return finding("met", said("consent given by proposal %(proposal)s on %(day)s (%(why)s)", proposal=by,
                                       day=on, why=why))
        else:
            refusals.append(said("consent given by proposal %(proposal)s only on %(day)s, after the act",
                                 proposal=by, day=on))
    if refusals:
        return finding("breach", listed(refusals, ";"))
    if any(p.decision is None for p in asked):
        return finding("pending", said("consent asked for and not decided yet"))
    return finding("breach", said("no consent of the parties is recorded"))


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = [_judge(ctx, then, act, pattern, members) for act, then, pattern, members in _acts(ctx)]
    acts: Said = said("no %(acts)s of a member is recorded", acts=listed([_words(p) for p in s.acts], "or_each"))
    return findings or [ctx.finding("not_applicable", acts, subject="acts", steps={"acts": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    # The act by its title (its id only where it has none): the id is the evidence's.
    return [ctx.due("decision", said("consent to %(act)s awaits a decision (%(cite)s, by %(how)s)",
                                     act=titled(getattr(act, "title", None), act.id), cite=ctx.cited(),
                                     how=word(ctx.treaty.decision.rule)),
                    parties=ctx.bound(dates.start(p.proposal.date)), evidence=[act.id, p.proposal.id])
            for act, _, _, _ in _acts(ctx) if not act.inferred for p in _asked(ctx, act) if p.decision is None]
