"""Proposals: a motion under the instrument is decided by its procedure among the members counted.

The procedure is the proposal's article's (``decision`` on the article), else its motion's (``decisions``
in the treaty file), else the treaty's ``decision``.  The recorded outcome is checked against what the
procedure gives for the recorded votes of the members counted on the day of the proposal (the proposer is
the raiser, for a veto; the party it ``concerns`` is left out under ``excluding: concerned``); present are
those who voted or abstained, those the decision lists as present, and the members among the participants
of the meeting it was put to.  Where the record has the outcome but not the votes, the outcome is taken
as recorded.  A proposal circulated in writing (``procedure: written``) is adopted at the end of its
``objections_by`` day unless a member counted objected by then; a decision recorded for it is checked
against that.  Each finding on a decision carries its outcome as data (``outcome``).
"""

from __future__ import annotations

from typing import Any

import msgspec

from entente.replay.model import ProposalState
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, Status, entry_named, named, titled
from entente.rules.decision import count_steps, deadline, overdue, procedure_told, tally
from entente.rules.outcome import Outcome
from entente.vocabulary import dates
from entente.vocabulary.events import (
    ConferenceHeld,
    Event,
    Motion,
    ObjectionRaised,
    ProposalDecided,
    ProposalMade,
    english,
)
from entente.vocabulary.said import Said, Value, parties, said, word
from entente.vocabulary.said import day as on_day

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
# A meeting too: those at the meeting a proposal is put to make its quorum.
READS: tuple[type[Event], ...] | None = (ProposalMade, ProposalDecided, ObjectionRaised, ConferenceHeld)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``proposals`` rule's ``settings`` may say in a treaty file.

    Fields:
        motions: only proposals of these motions; empty: every motion
        decide_within_days: days within which a proposal is decided; none: no deadline
    """

    motions: list[Motion] = []
    decide_within_days: int | None = None


def _proposals(ctx: Context, s: Settings, owed: bool = False) -> list[ProposalState]:
    """The instrument's proposals (of the motions the rule covers) with their decisions (``owed``: those
    that may await one)."""
    names_ = ctx.owed("proposals") if owed else None
    return [p for p in ctx.items(ctx.state.proposals, names_) if p.proposal.instrument == ctx.treaty.instrument
            and (not s.motions or p.proposal.motion in s.motions)]


def _head(p: ProposalState) -> Said:
    made = p.proposal
    if english(made.title):  # named by its title: its id is the finding's subject, a link's target
        return said("proposal “%(title)s” by %(proposer)s on %(day)s", title=titled(made.title, made.proposal),
                    proposer=made.proposer, day=on_day(made.date))
    return said("proposal %(proposal)s (%(title)s) by %(proposer)s on %(day)s", proposal=made.proposal,
                title=titled(made.title, made.motion), proposer=made.proposer, day=on_day(made.date))


def concerned(made: ProposalMade, ctx: Context) -> str | None:
    """The party a proposal concerns: as it says, else its target where that is a party of the union."""
    if made.concerns:
        return made.concerns
    return made.target if made.target and ctx.union.party(made.target) is not None else None


def _present(ctx: Context, made: ProposalMade, decided: ProposalDecided | None) -> set[str]:
    """Those present: listed on the decision, and the members among the participants of its meeting."""
    there = set(decided.present) if decided else set()
    if made.meeting:
        meeting = next((c for c in ctx.state.conferences if c.id == made.meeting), None)
        if meeting is not None:
            there |= {p.party for p in meeting.participants if _counted(ctx, p.party, p.role)}
    return there


def _counted(ctx: Context, code: str, took_part_as: str) -> bool:
    """Whether a party at a meeting counts as present for a decision: not where it took part as an observer, or
    in a role the union does not count, nor where its own role in the union is one not counted."""
    known = ctx.union.party(code)
    if took_part_as == "observer" or (took_part_as in ctx.union.roles and not ctx.union.role(took_part_as).counted):
        return False
    return known is None or ctx.union.role(known.role).counted


def _count(ctx: Context, p: ProposalState, votes: dict[str, str], steps: dict[str, Any] | None = None
           ) -> tuple[Outcome, Said]:
    """The count of the votes; ``steps`` (where given) takes it as a trace shows it."""
    made = p.proposal
    day = dates.start(made.date)
    members, left_out = ctx.voters(day)
    rule, present = ctx.treaty.procedure(made.motion, made.article), _present(ctx, made, p.decision)
    outcome, why = tally(rule, votes, members, raiser=made.proposer, concerned=concerned(made, ctx), present=present,
                         left_out=left_out)
    if steps is not None:
        steps["count"] = count_steps(rule, votes, outcome, why, raiser=made.proposer, present=present)
    return outcome, why


def _written(ctx: Context, p: ProposalState, finding: Any, steps: dict[str, Any]) -> Finding:
    """A proposal circulated in writing: adopted at the end of its closing day unless a member objected."""
    made, decided = p.proposal, p.decision
    close = made.objections_by or dates.end(made.date)
    objected = {party: o for party, o in p.objections.items() if dates.start(o.date) <= close}
    outcome, _ = _count(ctx, p, {party: "no" for party in objected})
    counted = [c.party for c in outcome.counted]
    steps.update(closes=close, objections={party: o.date for party, o in sorted(p.objections.items())},
                 counted=counted, objected_by_close=[party for party in counted if party in objected])
    outcome = msgspec.structs.replace(outcome, procedure="written procedure", on=close,
                                      adopted=not any(c.vote == "no" for c in outcome.counted))
    objectors = [c.party for c in outcome.counted if c.vote == "no"]
    evidence = [o.id for o in objected.values()]
    if decided is None and ctx.at <= close:
        # "at the end of" takes the genitive in Latvian ("1939. gada 6. decembra beigās").
        return finding("pending", said("circulated in writing; adopted at the end of %(day)s unless a member objects "
                                       "by then (%(parties)s objected)", day=on_day(close, "from"),
                                       parties=parties(objectors)) if objectors else
                       said("circulated in writing; adopted at the end of %(day)s unless a member objects by then",
                            day=on_day(close, "from")), evidence, None)
    why = said("%(parties)s objected by %(day)s", parties=parties(objectors), day=on_day(close, "until")) \
        if objectors else said("no member objected by %(day)s", day=on_day(close, "until"))
    expected = "accepted" if outcome.adopted else "rejected"
    if decided is not None and decided.outcome != expected:
        return finding("breach", said("recorded as %(outcome)s, but by written procedure it is %(expected)s: "
                                      "%(why)s", outcome=word(decided.outcome), expected=word(expected), why=why),
                       evidence, outcome)
    if outcome.adopted:
        return finding("met", said("adopted by written procedure on %(day)s: %(why)s", day=on_day(close), why=why),
                       evidence, outcome)
    return finding("met", said("not adopted by written procedure: closed on %(day)s: %(why)s", day=on_day(close),
                               why=why), evidence, outcome)


def _judge(ctx: Context, p: ProposalState) -> Finding:
    made, decided = p.proposal, p.decision
    s = ctx.settings_for(dates.start(made.date))
    by = deadline(made.date, s.decide_within_days)
    evidence = [made.id] + ([decided.id] if decided else [])
    ended = ctx.instrument.ended if ctx.instrument else None
    # The steps a trace shows, made only for one: a compliance run pays nothing for them.
    steps: dict[str, Any] = {} if not ctx.traced else {
        "settings_day": dates.start(made.date), "inferred": made.inferred or bool(decided and decided.inferred),
        "procedure": made.procedure or "meeting", "deadline": by, "at": ctx.at, "instrument_ended": ended,
        "decided_on": decided.date if decided else None, "recorded_outcome": decided.outcome if decided else None,
        "votes_recorded": bool(decided and decided.votes),
        "not_accepted_by": list(decided.not_accepted_by) if decided else [],
        "unanimity": ctx.treaty.procedure(made.motion, made.article).rule == "unanimity"}

    def finding(status: Status, detail: Value, more: list[str] | None = None, outcome: Outcome | None = None
                ) -> Finding:
        return ctx.finding(status, said("%(head)s: %(detail)s", head=_head(p), detail=detail), subject=made.proposal,
                           about=entry_named(made.title, made.proposal), evidence=evidence + (more or []),
                           outcome=outcome, steps=steps)

    if made.inferred or (decided is not None and decided.inferred):
        return finding("not_applicable", INFERRED_SAID)
    if made.procedure == "written":
        return _written(ctx, p, finding, steps)
    if decided is None:
        if overdue(by, ctx.at, ended):
            return finding("breach", said("no decision by %(day)s", day=on_day(str(by), "until")))
        if ended:
            return finding("not_applicable", said("not decided before %(instrument)s ended on %(day)s",
                                                  instrument=ctx.treaty.instrument, day=on_day(ended)))
        return finding("pending", said("awaiting a decision by %(day)s", day=on_day(by, "until")) if by else
                       said("awaiting a decision"))
    late: Value = said("; decided on %(day)s, after the deadline %(deadline)s", day=on_day(decided.date),
                       deadline=on_day(by)) if by is not None and dates.start(decided.date) > by else ""
    outcome_word = word(decided.outcome)
    if not decided.votes and decided.not_accepted_by:
        # The source says who did not accept it and records no vote: the finding says so in its words.
        # A rejection so recorded is said as the source says it ("not accepted by Aland and Bland"), naming
        # the parties, with no word of the software's before it.
        who = named(ctx.union, decided.not_accepted_by)
        if ctx.treaty.procedure(made.motion, made.article).rule == "unanimity" and decided.outcome == "rejected":
            return finding("breach" if late else "met", said(
                "not accepted by %(parties)s; the source records no vote, and unanimity needs every party's "
                "agreement%(late)s", parties=who, late=late))
        if decided.outcome == "rejected":
            return finding("breach" if late else "met", said(
                "not accepted by %(parties)s; the source records no vote%(late)s", parties=who, late=late))
        refused = said("not accepted by %(parties)s; the source records no vote", parties=who)
        return finding("breach" if late else "met", said("%(outcome)s as recorded: %(refused)s%(late)s",
                                                         outcome=outcome_word, refused=refused, late=late))
    if not decided.votes:
        return finding("breach" if late else "met", said(
            "%(outcome)s as recorded; the votes are not in the record%(late)s", outcome=outcome_word, late=late))
    outcome, why = _count(ctx, p, dict(decided.votes), steps if ctx.traced else None)
    outcome = msgspec.structs.replace(outcome, on=dates.start(decided.date))
    expected = "accepted" if outcome.adopted else "rejected"
    if expected != decided.outcome:
        return finding("breach", said("recorded as %(outcome)s, but by the decision rule it is %(expected)s: "
                                      "%(why)s%(late)s", outcome=outcome_word, expected=word(expected), why=why,
                                      late=late), outcome=outcome)
    return finding("breach" if late else "met", said("%(outcome)s: %(why)s%(late)s", outcome=outcome_word, why=why,
                                                     late=late), outcome=outcome)


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = [_judge(ctx, p) for p in _proposals(ctx, s)]
    return findings or [ctx.finding("not_applicable", said("no proposal has been made under %(instrument)s",
                                                           instrument=ctx.treaty.instrument),
                                    steps={"proposals": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    items = []
    for p in _proposals(ctx, s, owed=True):
        made = p.proposal
        if p.decision is not None or made.inferred or (made.procedure == "written" and
                                                        (made.objections_by or dates.end(made.date)) < ctx.at):
            continue
        rule = ctx.treaty.procedure(made.motion, made.article)
        how = word("written procedure") if made.procedure == "written" else procedure_told(rule)
        by = made.objections_by if made.procedure == "written" else \
            deadline(made.date, ctx.settings_for(dates.start(made.date)).decide_within_days)
        items.append(ctx.due("decision", said("%(head)s awaits a decision (%(cite)s, by %(how)s)", head=_head(p),
                                              cite=ctx.cited(), how=how), by=by,
                             parties=ctx.voters(dates.start(made.date))[0], evidence=[made.id]))
    return items
