"""Consultation: every party bound when a question of common importance is raised states a position on it.

The parties bound on the day a question is raised under the instrument owe a
position (within ``respond_within_days`` if set).  Where a joint position is
required, the positions are also put to the treaty's decision rule: "support"
counts as yes, "oppose" as no, "abstain" and a bare "statement" as abstentions
(not yes).  Once every party bound has answered, the consultation is over:
with a joint position, or closed as "no joint position reached".  A proposal
on the question (its ``target``) that is accepted is the joint position.
"""

from __future__ import annotations

from typing import Any

import msgspec

from entente.replay.model import QuestionState
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, Status, entry_named, titled
from entente.rules.decision import count_steps, deadline, overdue, tally
from entente.vocabulary import dates
from entente.vocabulary.events import Event, PositionStated, ProposalDecided, ProposalMade, QuestionRaised, english
from entente.vocabulary.said import Said, Value, listed, parties, said
from entente.vocabulary.said import day as on_day

# A bare statement takes no side: it counts as an abstention.
_VOTE = {"support": "yes", "oppose": "no", "abstain": "abstain", "statement": "abstain"}


# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.  A decided proposal can be the joint position.
READS: tuple[type[Event], ...] | None = (QuestionRaised, PositionStated, ProposalMade, ProposalDecided)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``consultation`` rule's ``settings`` may say in a treaty file.

    Fields:
        respond_within_days: days after a question is raised within which each bound party states a position; none:
          no deadline
        joint_position_required: whether positions are put to the decision rule; once every party has answered the
          question is closed, with a joint position or as "no joint position reached"; an accepted proposal on the
          question (its ``target``) is the joint position
    """

    respond_within_days: int | None = None
    joint_position_required: bool = False


def _questions(ctx: Context, owed: bool = False) -> list[QuestionState]:
    """The instrument's questions with every party's latest position (``owed``: those a position may be owed on)."""
    names = ctx.owed("questions") if owed else None
    return [q for q in ctx.items(ctx.state.questions, names) if q.question.instrument == ctx.treaty.instrument]


def _head(q: QuestionState) -> Said:
    if english(q.question.title):  # named by its title: its id is the finding's subject, a link's target
        return said("question “%(title)s”", title=titled(q.question.title, q.question.question))
    return said("question %(question)s (%(title)s)", question=q.question.question,
                title=titled(q.question.title, q.question.subject))


def _judge(ctx: Context, q: QuestionState, joints: Joints) -> Finding:
    raised = q.question
    s = ctx.settings_for(dates.start(raised.date))
    bound = ctx.bound(dates.start(raised.date))
    bound_set = set(bound)
    stated = {p: pos for p, pos in q.positions.items() if p in bound_set}
    evidence = [raised.id] + [pos.id for pos in stated.values()]
    head, ended = _head(q), ctx.instrument.ended if ctx.instrument else None
    # The steps a trace shows, made only for one: a compliance run pays nothing for them.
    steps: dict[str, Any] = {} if not ctx.traced else {
        "settings_day": dates.start(raised.date), "inferred": raised.inferred, "bound": bound,
        "deadline": deadline(raised.date, s.respond_within_days), "at": ctx.at, "instrument_ended": ended,
        "positions": {p: {"date": pos.date, "stance": pos.stance} for p, pos in stated.items()},
        "joint_position_required": s.joint_position_required}

    def finding(status: Status, detail: Value, concerned: list[str] | None = None) -> Finding:
        return ctx.finding(status, said("%(head)s: %(detail)s", head=head, detail=detail), subject=raised.question,
                           about=entry_named(raised.title, raised.question), evidence=evidence,
                           parties=concerned or [], steps=steps)

    if raised.inferred:
        return finding("not_applicable", INFERRED_SAID)
    if not bound:
        return finding("not_applicable", said("raised on %(day)s, when %(instrument)s bound no party",
                                              day=on_day(raised.date), instrument=ctx.treaty.instrument))
    by = deadline(raised.date, s.respond_within_days)
    outstanding = [p for p in bound if p not in stated]
    late = [p for p, pos in stated.items() if dates.start(pos.date) > by] if by is not None else []
    missing = outstanding if overdue(by, ctx.at, ended) else []
    if late or missing:
        parts: list[Value] = [said("%(parties)s stated a position only after the deadline %(day)s",
                                   parties=parties(late), day=on_day(str(by)))] if late else []
        parts += [said("the position of %(parties)s was due by %(day)s and is not in the record",
                       parties=parties(missing), day=on_day(str(by), "until"))] if missing else []
        return finding("breach", listed(parts, ";"), [p for p in bound if p in late or p in missing])
    joint = joints.get(raised.question)
    if joint is not None:  # the decided proposal is the joint position: recorded once, with its evidence
        made, decided = joint
        evidence += [made.id, decided.id]
        steps["joint_by_proposal"] = {"proposal": made.proposal, "accepted_on": decided.date}
        return finding("met", said("a joint position was reached by proposal %(proposal)s, accepted on %(day)s",
                                   proposal=made.proposal, day=on_day(decided.date)))
    if outstanding:
        if ended:
            return finding("not_applicable", said("the record holds no positions of %(parties)s; %(instrument)s "
                                                  "ended on %(day)s", parties=parties(outstanding),
                                                  instrument=ctx.treaty.instrument, day=on_day(ended)))
        return finding("pending", said("positions of %(parties)s still to be stated by %(day)s",
                                       parties=parties(outstanding), day=on_day(by, "until")) if by else
                       said("positions of %(parties)s still to be stated", parties=parties(outstanding)), outstanding)
    every = said("every party bound (%(parties)s) has stated a position", parties=parties(bound))
    if not s.joint_position_required:
        return finding("met", every)
    votes = {p: _VOTE[pos.stance] for p, pos in stated.items()}
    outcome, why = tally(ctx.treaty.decision, votes, bound, raiser=raised.actor)
    passed = outcome.adopted
    if ctx.traced:
        steps["count"] = count_steps(ctx.treaty.decision, votes, outcome, why, raiser=raised.actor)
    if passed:
        return finding("met", said("%(every)s; a joint position was reached (%(why)s)", every=every, why=why))
    # Every party has answered: the consultation is over, without a joint position.
    return finding("met", said("%(every)s; closed: no joint position reached (%(why)s)", every=every, why=why))


Joints = dict[str, tuple[ProposalMade, ProposalDecided]]


def _joint_by_proposal(ctx: Context) -> Joints:
    """For each question of the instrument, the first accepted proposal on it (its ``target``), if any."""
    joints: Joints = {}
    # Under a focus, the proposals on the questions in it, each question's in the order they were made (as when
    # every proposal is looked at), so that the first accepted is the same.
    named = None if ctx.focus is None else [p for q in ctx.focus for p in ctx.dated.targets.get(q, ())]
    for p in ctx.state.proposals.values() if named is None else ctx.items(ctx.state.proposals, named):
        made, decided = p.proposal, p.decision
        if made.instrument == ctx.treaty.instrument and made.target and decided is not None \
                and decided.outcome == "accepted":
            joints.setdefault(made.target, (made, decided))
    return joints


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    joints = _joint_by_proposal(ctx)
    findings = [_judge(ctx, q, joints) for q in _questions(ctx)]
    return findings or [ctx.finding("not_applicable", said("no question has been raised under %(instrument)s",
                                                           instrument=ctx.treaty.instrument),
                                        subject=said("questions"), steps={"questions": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    items = []
    for q in _questions(ctx, owed=True):
        if q.question.inferred:
            continue  # reported, not judged: nothing is owed on it
        bound = ctx.bound(dates.start(q.question.date))
        owing = [p for p in bound if p not in q.positions]
        if owing:
            by = deadline(q.question.date, ctx.settings_for(dates.start(q.question.date)).respond_within_days)
            items.append(ctx.due("position", said("positions on %(question)s owed by %(parties)s (%(cite)s)",
                                                  question=_head(q), parties=parties(owing), cite=ctx.cited()),
                                 by=by, parties=owing, evidence=[q.question.id]))
    return items
