"""Proposals: a motion under the instrument is decided by the treaty's decision rule among the parties bound.

The recorded outcome is checked against what the rule gives for the recorded
votes of the parties bound on the day of the proposal (the proposer is the
raiser, for a veto).  Where the record has the outcome but not the votes, the
outcome is taken as recorded.
"""

from __future__ import annotations

import msgspec

from entente.replay.model import ProposalState
from entente.rules.base import INFERRED, Context, Due, Finding, Status
from entente.rules.decision import deadline, decide, names, overdue
from entente.vocabulary import dates
from entente.vocabulary.events import Event, ProposalDecided, ProposalMade, english

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (ProposalMade, ProposalDecided)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``proposals`` rule's ``settings`` may say in a treaty file.

    Fields:
        motions: only proposals of these motions; empty: every motion
        decide_within_days: days within which a proposal is decided; none: no deadline
    """

    motions: list[str] = []
    decide_within_days: int | None = None


def _proposals(ctx: Context, s: Settings, owed: bool = False) -> list[ProposalState]:
    """The instrument's proposals (of the motions the rule covers) with their decisions (``owed``: those
    that may await one)."""
    names = ctx.owed("proposals") if owed else None
    return [p for p in ctx.items(ctx.state.proposals, names) if p.proposal.instrument == ctx.treaty.instrument
            and (not s.motions or p.proposal.motion in s.motions)]


def _head(p: ProposalState) -> str:
    made = p.proposal
    return f"proposal {made.proposal} ({english(made.title, made.motion)}) by {made.proposer} on {made.date}"


def _judge(ctx: Context, p: ProposalState) -> Finding:
    made, decided = p.proposal, p.decision
    s = ctx.settings_for(dates.start(made.date))
    by = deadline(made.date, s.decide_within_days)
    evidence = [made.id] + ([decided.id] if decided else [])

    def finding(status: Status, detail: str) -> Finding:
        return ctx.finding(status, f"{_head(p)}: {detail}", subject=made.proposal, evidence=evidence)

    ended = ctx.instrument.ended if ctx.instrument else None
    if made.inferred or (decided is not None and decided.inferred):
        return finding("not_applicable", INFERRED)
    if decided is None:
        if overdue(by, ctx.at, ended):
            return finding("breach", f"no decision by {by}")
        if ended:
            return finding("not_applicable", f"not decided before {ctx.treaty.instrument} ended on {ended}")
        return finding("pending", "awaiting a decision" + (f" by {by}" if by else ""))
    late = f"; decided on {decided.date}, after the deadline {by}" \
        if by is not None and dates.start(decided.date) > by else ""
    if not decided.votes and decided.not_accepted_by:
        # The source says who did not accept it and records no vote: the finding says so in its words.
        refused = f"not accepted by {names(decided.not_accepted_by)}; the source records no vote"
        if ctx.treaty.decision.rule == "unanimity" and decided.outcome == "rejected":
            return finding("breach" if late else "met", f"rejected: {refused}, and unanimity needs every party's "
                           "agreement" + late)
        return finding("breach" if late else "met", f"{decided.outcome} as recorded: {refused}" + late)
    if not decided.votes:
        return finding("breach" if late else "met", f"{decided.outcome} as recorded; the votes are not in the record"
                       + late)
    voters = ctx.bound(dates.start(made.date))
    passed, why = decide(ctx.treaty.decision, dict(decided.votes), voters, made.proposer)
    expected = "accepted" if passed else "rejected"
    if expected != decided.outcome:
        return finding("breach", f"recorded as {decided.outcome}, but by the decision rule it is {expected}: {why}"
                       + late)
    return finding("breach" if late else "met", f"{decided.outcome}: {why}" + late)


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = [_judge(ctx, p) for p in _proposals(ctx, s)]
    return findings or [ctx.finding("not_applicable", f"no proposal has been made under {ctx.treaty.instrument}")]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    return [ctx.due("decision", f"{_head(p)} awaits a decision ({ctx.cite()}, by {ctx.treaty.decision.rule})",
                    by=deadline(p.proposal.date, ctx.settings_for(dates.start(p.proposal.date)).decide_within_days),
                    parties=ctx.bound(dates.start(p.proposal.date)),
                    evidence=[p.proposal.id])
            for p in _proposals(ctx, s, owed=True) if p.decision is None and not p.proposal.inferred]
