"""Which rules an entry concerns: the rules whose findings its arrival can change.

A write is judged by the rules it concerns only, and by the items it is about
(the question, request or proposal it raises or answers), so its cost does not
grow with the record.  Every rule reads the instruments' acts, the decisions
that change rules and the revisions of entries; beyond those, each kind reads
only the kinds of entry its module lists in ``READS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from entente.rules import KINDS
from entente.vocabulary.events import (
    ClassificationAmended,
    ConferenceHeld,
    DecisionTaken,
    EntryCorrected,
    EntryRetracted,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ProposalDecided,
    RightsRestored,
    RightsSuspended,
    RuleChanged,
    WithdrawalNotified,
)

# Entries that every rule reads: who is bound, the rules' settings, what an entry now says or who sees it.
EVERY_RULE: tuple[type, ...] = (InstrumentSigned, InstrumentRatified, InstrumentAcceded, InstrumentEnteredIntoForce,
                                InstrumentTerminated, WithdrawalNotified, RightsSuspended, RightsRestored, RuleChanged,
                                DecisionTaken, EntryCorrected, EntryRetracted, ClassificationAmended)

# The kinds of entry each rule kind reads beyond those, as the kind's module says (its ``READS``).
READS: Mapping[str, tuple[type, ...] | None] = {name: kind.READS for name, kind in KINDS.items()}

# The fields by which an entry names the question, request or proposal it is about.
_NAMES = ("question", "request", "proposal", "target")


def kinds_concerned(entries: Iterable[Event]) -> set[str] | None:
    """The rule kinds the entries concern; None: every rule."""
    entries = list(entries)
    if any(isinstance(e, EVERY_RULE) for e in entries):
        return None
    return {kind for kind, reads in READS.items() if reads is None or any(isinstance(e, reads) for e in entries)}


def items_concerned(entries: Iterable[Event], target_of: Callable[[str], str | None],
                    put_to: Callable[[str], Iterable[str]] = lambda meeting: ()) -> frozenset[str] | None:
    """The names of the questions, requests and proposals the entries are about; None: they may concern any.

    ``target_of`` gives, for a proposal, what it is about (a question), so a decision on a proposal
    concerns that question too; ``put_to`` gives the proposals put to a meeting, whose quorum its
    participants make.
    """
    names: set[str] = set()
    for e in entries:
        if isinstance(e, EVERY_RULE):
            return None
        for field in _NAMES:
            if isinstance(value := getattr(e, field, None), str):
                names.add(value)
        if isinstance(e, ProposalDecided) and (target := target_of(e.proposal)):
            names.add(target)
        if isinstance(e, ConferenceHeld):
            names.update(put_to(e.id))
    return frozenset(names)
