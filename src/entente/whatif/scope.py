"""What a scenario concerns: the rule kinds whose findings it can change, and the entries they read.

A what-if run judges only those rules, each on a record folded from only the entries they read, so its cost
follows what the scenario touches, not the size of the record.  It rests on the contract admission rests on
(``rules.concerns``): a rule kind reads only the instruments' acts, the decisions changing rules, the revisions
of entries, and the kinds of entry its module lists in ``READS``; the findings of every other kind are the same
in both runs, so leaving them out changes no difference.  Two narrowings more:

- a decision changing a rule (``rule_changed``) concerns that rule and the rules that read its settings, as a
  scenario changing the rule's settings does; not every rule, as an instrument's acts do;
- where every kind concerned judges each question, request and proposal on its own entries alone (``ITEMWISE``)
  and each entry the scenario touches answers one (a position, a response, an objection), only those items are
  judged, each on its own entries: the other items' entries (most of a large record) are left out of both runs.

``tests/test_what_if.py`` checks every case both ways, on the bundled union and on a generated council.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter

from entente.rules import KINDS
from entente.rules.concerns import EVERY_RULE, READS, items_concerned, kinds_concerned
from entente.vocabulary.events import (
    AssistanceRequested,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    EntryCorrected,
    EntryRetracted,
    Event,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
)
from entente.vocabulary.treaty import RuleSpec, Treaty
from entente.whatif.scenario import Scenario

# Kinds that read other rules' settings through their context, not saying which (``consults`` says it for the
# others): a rule of the kind they read changed concerns them.
_READ_THROUGH_CONTEXT = {"host_rotation": {"presidency"}}
# What the state lines read beyond the instruments' acts: the conferences (counted, and the presidency's).
_STATE_READS: tuple[type, ...] = (ConferenceHeld, ConferenceConvened, *(READS["presidency"] or ()))
# Kinds that judge each question, request or proposal on its own entries alone, and only those in focus.
ITEMWISE = frozenset({"consultation", "mutual_assistance", "proposals"})
# The entries that open an item; a scenario touching one (or an entry naming no item) judges every item.
_OPENING = (QuestionRaised, AssistanceRequested, ProposalMade)
# The fields by which an entry names its item (a proposal's ``target``: the question it is about).
_ITEM_FIELDS = ("question", "request", "proposal", "target")


class Scope:
    """The rule kinds to judge, the kinds of entry to fold for them, and the items to judge (None: every one)."""

    def __init__(self, kinds: set[str], types: tuple[type, ...], items: frozenset[str] | None = None) -> None:
        self.kinds, self.types, self.items = kinds, types, items

    def kept(self, events: Sequence[Event]) -> list[Event]:
        """The entries a run folds: those of the kinds read; under ``items``, of the items' entries only those
        naming an item in it, with any entry a kept revision or reclassification names (folded with it)."""
        if self.items is None:
            return kept(events, self.types)
        items = self.items
        plan: dict[type, Callable[[Event], bool] | None] = {}  # per class: None, keep it; else whether to
        out = []
        revised: set[str] = set()
        for e in events:
            cls = type(e)
            if cls not in plan:
                plan[cls] = _plan(cls, self.types, items)
            keep = plan[cls]
            if keep is None:
                out.append(e)
                if isinstance(e, (EntryCorrected, EntryRetracted, ClassificationAmended)):
                    revised.add(e.target)
            elif keep(e):
                out.append(e)
        ids = {e.id for e in out} if revised else set()
        if revised - ids:  # rare: an entry out of scope that a kept revision names, kept too, in its place
            wanted = ids | revised
            out = [e for e in events if e.id in wanted]
        return out


def _plan(cls: type, types: tuple[type, ...], items: frozenset[str]) -> Callable[[Event], bool] | None:
    """Which entries of a class are kept: None, all; else those the function given says."""
    if issubclass(cls, EVERY_RULE):
        return None
    if not issubclass(cls, types):
        return lambda e: False
    fields = [f for f in _ITEM_FIELDS if f in getattr(cls, "__struct_fields__", ())]
    if not fields:
        return None
    if len(fields) == 1:
        one = attrgetter(fields[0])
        return lambda e: one(e) in items
    several = attrgetter(*fields)
    return lambda e: not items.isdisjoint(several(e))


def touched(scenario: Scenario, events: Sequence[Event]) -> list[Event]:
    """The entries a scenario adds, removes, replaces (both versions) or classifies otherwise."""
    by_id = {e.id: e for e in events}
    out: list[Event | None] = []
    for change in scenario.changes:
        if change.add is not None:
            out.append(change.add)
        elif change.replace is not None:
            out += [change.replace, by_id.get(change.replace.id)]
        elif change.remove is not None:
            out.append(by_id.get(change.remove))
        elif change.classify is not None:
            out.append(by_id.get(change.classify.entry))
    return [e for e in out if e is not None]


def concerned(scenario: Scenario, events: Sequence[Event], treaties: Mapping[str, Treaty]) -> Scope | None:
    """The rule kinds the scenario concerns and the entries to fold for them (and for the state lines);
    None where it may concern every rule, or a rule that reads every kind of entry."""
    entries = touched(scenario, events)
    decisions = [e for e in entries if isinstance(e, RuleChanged)]
    others = [e for e in entries if not isinstance(e, RuleChanged)]
    found = kinds_concerned(others)
    if found is None:
        return None
    # Only the kinds the union's treaties use (a kind that reads every entry concerns a scenario only where used).
    used = {spec.kind for t in treaties.values() for _, spec in t.rules()}
    used |= {e.rule_kind for e in kept(events, (RuleChanged,)) if e.rule_kind}  # type: ignore[attr-defined]
    kinds = found & used
    named = [(c.instrument, c.rule) for change in scenario.changes if (c := change.settings or change.reading)]
    named += [(e.instrument, e.rule) for e in decisions]
    for instrument, rule in named:
        treaty = treaties.get(instrument)
        specs = [spec for _, spec in (treaty.rules() if treaty else []) if spec.id == rule]
        if treaty is None or not specs:
            if decisions:  # a decision adding a rule the treaty does not have: judged with everything
                return None
            continue
        for spec in specs:
            kinds |= _reading(spec, treaty, treaties, used)
    reads = [READS[k] for k in kinds if k in KINDS]
    if any(r is None for r in reads):
        return None
    types = tuple(dict.fromkeys((*EVERY_RULE, *_STATE_READS, *(t for r in reads for t in r or ()))))
    return Scope(kinds, types, _items(others, events) if kinds <= ITEMWISE and not named else None)


def _items(entries: Sequence[Event], events: Sequence[Event]) -> frozenset[str] | None:
    """The items to judge, where each entry touched answers one (none opens one, or names none); else None."""
    if not entries or any(isinstance(e, _OPENING) or not any(isinstance(getattr(e, f, None), str)
                                                             for f in _ITEM_FIELDS) for e in entries):
        return None
    made = {e.proposal: e.target for e in kept(events, (ProposalMade,))}  # type: ignore[attr-defined]
    items = items_concerned(entries, made.get)
    if items is None:
        return None
    # With the proposals made on a question in it: one of them may be the question's joint position.
    return items | {proposal for proposal, target in made.items() if target in items}


def _reading(spec: RuleSpec, treaty: Treaty, treaties: Mapping[str, Treaty], used: set[str]) -> set[str]:
    """A changed rule's kind, and the kinds that read its settings."""
    kinds = {spec.kind, *_READ_THROUGH_CONTEXT.get(spec.kind, ())}
    # A kind that says which rules it reads (``consults``), where one of its rules reads this one.
    kinds |= {kind for kind in used if (reads_it := getattr(KINDS[kind], "consults", None)) is not None
              and any(reads_it(t.instrument, treaty, spec) for t in treaties.values()
                      for _, r in t.rules() if r.kind == kind)}
    return kinds


def kept(events: Sequence[Event], types: tuple[type, ...]) -> list[Event]:
    """The entries of those kinds, in order: each class is asked once (an isinstance against many is slow)."""
    wanted: dict[type, bool] = {}
    out = []
    for e in events:
        cls = type(e)
        keep = wanted.get(cls)
        if keep is None:
            keep = wanted[cls] = issubclass(cls, types)
        if keep:
            out.append(e)
    return out
