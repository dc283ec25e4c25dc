"""What a scenario concerns: the rule kinds whose findings it can change, and the items those may change.

A what-if run judges only those, on the record's own dated state and on that state revised by the scenario
(``replay.revised``), so its cost follows what the scenario touches, not the size of the record.  It rests on
the contract admission rests on (``rules.concerns``): a rule kind reads only the instruments' acts, the
decisions changing rules, the revisions of entries, and the kinds of entry its module lists in ``READS``; the
findings of every other kind are the same in both runs, so leaving them out changes no difference.  Narrower:

- a decision changing a rule (``rule_changed``) concerns that rule and the rules that read its settings, as a
  scenario changing the rule's settings does; not every rule, as an instrument's acts do;
- the kinds that judge each question, request and proposal on its own (``ITEMWISE``) judge only the items the
  scenario can change: those its entries answer or are about (a position, a response, an objection, a decision,
  the meeting a proposal was put to), and, where it changes an instrument's acts, those raised on or after the
  first day on which any instrument binds otherwise.  Such a kind reads, of an item, its own entries, the
  proposals on it, and the instruments' states on the day it was raised (who was bound, whose votes counted);
  of the instrument, only how it stands on the day judged, which an act changing it makes every item's concern.

``tests/test_what_if.py`` checks every case both ways, on the bundled union, the test unions and a generated
council.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import msgspec

from entente.replay.dated import DatedState
from entente.replay.revised import first_difference
from entente.rules import KINDS
from entente.rules.concerns import READS, items_concerned, kinds_concerned
from entente.vocabulary.events import (
    AssistanceRequested,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ProposalMade,
    QuestionRaised,
    RightsRestored,
    RightsSuspended,
    RuleChanged,
    WithdrawalNotified,
)
from entente.vocabulary.treaty import RuleSpec, Treaty
from entente.whatif.scenario import Scenario

# Kinds that read other rules' settings through their context, not saying which (``consults`` says it for the
# others): a rule of the kind they read changed concerns them.
_READ_THROUGH_CONTEXT = {"host_rotation": {"presidency"}}
# Kinds that judge each question, request or proposal on its own entries alone (see above).
ITEMWISE = frozenset({"consultation", "mutual_assistance", "proposals"})
# What those read: an entry of another kind changes none of their findings.
_ITEMWISE_READS: tuple[type, ...] = tuple(t for kind in ITEMWISE for t in READS[kind] or ())
# The entries that open an item; a scenario touching one judges every item (one side may have none at all).
_OPENING = (QuestionRaised, AssistanceRequested, ProposalMade)
# An instrument's acts: who it binds, from when to when.
_ACTS = (InstrumentSigned, InstrumentRatified, InstrumentAcceded, InstrumentEnteredIntoForce, InstrumentTerminated,
         WithdrawalNotified, RightsSuspended, RightsRestored)


class Scope(NamedTuple):
    """The rule kinds to judge (None: every one), and the items their itemwise kinds judge (None: every one)."""

    kinds: set[str] | None
    items: frozenset[str] | None


EVERYTHING = Scope(None, None)


def concerned(scenario: Scenario, touched: Sequence[Event], before: DatedState, after: DatedState,
              treaties: Mapping[str, Treaty], at: str) -> Scope:
    """What ``scenario`` concerns: ``touched``, the entries it leaves out and puts in; ``before`` and ``after``,
    the record folded without and with it; ``treaties``, those the viewer knows of; ``at``, the day judged."""
    decisions = [e for e in touched if isinstance(e, RuleChanged)]
    acts = [e for e in touched if isinstance(e, _ACTS)]
    others = [e for e in touched if not isinstance(e, (RuleChanged, *_ACTS))]
    found = kinds_concerned(others)
    if found is None:  # a correction, a retraction, a reclassification or a decision taken: read by every rule
        return EVERYTHING
    # Only the kinds the union's treaties use (a kind that reads every entry concerns a scenario only where used).
    used = {spec.kind for t in treaties.values() for _, spec in t.rules()}
    used |= {e.rule_kind for e in before.rule_changes if e.rule_kind}
    kinds = set(used) if acts else found & used
    named = [(c.instrument, c.rule) for change in scenario.changes if (c := change.settings or change.reading)]
    named += [(e.instrument, e.rule) for e in decisions]
    ruled: set[str] = set()
    for instrument, rule in named:
        treaty = treaties.get(instrument)
        specs = [spec for _, spec in (treaty.rules() if treaty else []) if spec.id == rule]
        if treaty is None or not specs:
            if decisions:  # a decision adding a rule the treaty does not have: judged with everything
                return EVERYTHING
            continue
        for spec in specs:
            ruled |= _reading(spec, treaty, treaties, used)
    kinds |= ruled
    if not kinds & ITEMWISE or ruled & ITEMWISE:  # none judged item by item, or a rule judging items changed
        return Scope(kinds, None)
    items = _answered(others, before, after)
    if acts and items is not None:
        since = _since(before, after, at)
        items = None if since is None else items | since
    return Scope(kinds, items)


def _answered(entries: Sequence[Event], before: DatedState, after: DatedState) -> frozenset[str] | None:
    """The items the entries answer or are about, with the proposals on them (one may be a question's joint
    position); None where one opens an item."""
    read = [e for e in entries if isinstance(e, _ITEMWISE_READS)]
    if any(isinstance(e, _OPENING) for e in read):
        return None
    items = items_concerned(read, lambda p: before.target_of(p) or after.target_of(p),
                            lambda meeting: [*before.put_to(meeting), *after.put_to(meeting)])
    return None if items is None else _with_proposals(items, before, after)


def _with_proposals(items: frozenset[str], before: DatedState, after: DatedState) -> frozenset[str]:
    return items.union(*(d.targets.get(name, ()) for d in (before, after) for name in items))


def _since(before: DatedState, after: DatedState, at: str) -> frozenset[str] | None:
    """The items raised on or after the first day on which an instrument binds otherwise in the two runs; None
    where an instrument stands otherwise on the day judged (its status, its end), which every item reads."""
    first: str | None = None
    for name in dict.fromkeys([*before.instruments, *after.instruments]):
        was, now = before.instruments.get(name), after.instruments.get(name)
        if was is None or now is None:
            return None
        on = was.on(at), now.on(at)
        if (on[0] is None) != (on[1] is None) or (on[0] and on[1] and (on[0].status, on[0].ended) !=
                                                   (on[1].status, on[1].ended)):
            return None
        day = first_difference(was, now)
        if day is not None and (first is None or day < first):
            first = day
    if first is None:
        return frozenset()
    raised = {name for d in (before, after) for table in (d.questions, d.requests, d.proposals)
              for name, asked in table.items() if asked.day >= first}
    return _with_proposals(frozenset(raised), before, after)


def narrowed(d: DatedState, items: frozenset[str]) -> DatedState:
    """The dated state with only ``items`` among its questions, requests and proposals (the other tables whole):
    what an itemwise kind judges, in the order the whole state holds them."""
    return msgspec.structs.replace(d, **{table: {k: v for k, v in getattr(d, table).items() if k in items}
                                         for table in ("questions", "requests", "proposals")})


def _reading(spec: RuleSpec, treaty: Treaty, treaties: Mapping[str, Treaty], used: set[str]) -> set[str]:
    """A changed rule's kind, and the kinds that read its settings."""
    kinds = {spec.kind, *_READ_THROUGH_CONTEXT.get(spec.kind, ())}
    # A kind that says which rules it reads (``consults``), where one of its rules reads this one.
    kinds |= {kind for kind in used if (reads_it := getattr(KINDS[kind], "consults", None)) is not None
              and any(reads_it(t.instrument, treaty, spec) for t in treaties.values()
                      for _, r in t.rules() if r.kind == kind)}
    return kinds
