"""What a scenario concerns: the rule kinds whose findings it can change, and the kinds of entry they read.

A what-if run judges only those rules, each on a record folded from only the entries they read, so its cost
follows what the scenario touches, not the size of the record.  It rests on the contract admission rests on
(``rules.concerns``): a rule kind reads only the instruments' acts, the decisions changing rules, the revisions
of entries, and the kinds of entry its module lists in ``READS``; the findings of every other kind are the same
in both runs, so leaving them out changes no difference.  ``tests/test_what_if.py`` checks every case both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from entente.rules import KINDS
from entente.rules.concerns import EVERY_RULE, READS, kinds_concerned
from entente.vocabulary.events import ConferenceConvened, ConferenceHeld, Event, RuleChanged
from entente.vocabulary.treaty import Treaty
from entente.whatif.scenario import Scenario

# Kinds that read other rules' settings through their context, not saying which (``consults`` says it for the
# others): a rule of the kind they read changed concerns them.
_READ_THROUGH_CONTEXT = {"host_rotation": {"presidency"}}
# What the state lines read beyond the instruments' acts: the conferences (counted, and the presidency's).
_STATE_READS: tuple[type, ...] = (ConferenceHeld, ConferenceConvened, *(READS["presidency"] or ()))


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


def concerned(scenario: Scenario, events: Sequence[Event], treaties: Mapping[str, Treaty]
              ) -> tuple[set[str], tuple[type, ...]] | None:
    """The rule kinds the scenario concerns and the kinds of entry to fold for them (and for the state lines);
    None where it may concern every rule, or a rule that reads every kind of entry."""
    found = kinds_concerned(touched(scenario, events))
    if found is None:
        return None
    # Only the kinds the union's treaties use (a kind that reads every entry concerns a scenario only where used).
    used = {spec.kind for t in treaties.values() for _, spec in t.rules()}
    used |= {e.rule_kind for e in kept(events, (RuleChanged,)) if e.rule_kind}  # type: ignore[attr-defined]
    kinds = found & used
    for change in scenario.changes:
        named = change.settings or change.reading
        if named is None:
            continue
        treaty = treaties.get(named.instrument)
        specs = [spec for _, spec in (treaty.rules() if treaty else []) if spec.id == named.rule]
        for spec in specs:
            kinds |= {spec.kind, *_READ_THROUGH_CONTEXT.get(spec.kind, ())}
            # A kind that says which rules it reads (``consults``), where one of its rules reads this one.
            kinds |= {kind for kind in used if (reads_it := getattr(KINDS[kind], "consults", None)) is not None
                      and any(reads_it(t.instrument, treaty, spec) for t in treaties.values()
                              for _, r in t.rules() if r.kind == kind)}
    reads = [READS[k] for k in kinds if k in KINDS]
    if any(r is None for r in reads):
        return None
    return kinds, tuple(dict.fromkeys((*EVERY_RULE, *_STATE_READS, *(t for r in reads for t in r or ()))))


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
