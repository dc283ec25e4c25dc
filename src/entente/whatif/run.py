"""A scenario run: the union replayed with a scenario's changes, beside the union as the record has it.

Pure: a function of (union, treaties, the events a viewer sees, the scenario, a day).  It starts from the
viewer's own view and nothing else, so a change can name only an entry or a rule that viewer sees (any other
is refused exactly as an id that does not exist), and what changes is computed from that view, so a difference
never tells of an entry the viewer may not see.  Nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

import msgspec

from entente.replay.dated import DatedState
from entente.replay.revised import revised
from entente.rules import KINDS, SETTINGS, Due, Finding, dated, judge
from entente.rules.base import FINDING_KEY
from entente.secretariat.clearance import Viewer, cleared, instrument_parties
from entente.uncollected import uncollected
from entente.views import reports
from entente.vocabulary import dates
from entente.vocabulary.events import Event, InstrumentAcceded, InstrumentSigned
from entente.vocabulary.said import said
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union
from entente.whatif.scenario import Scenario
from entente.whatif.scope import EVERYTHING, ITEMWISE, Scope, concerned, narrowed

# The fields that name a finding, and a thing due, across the two runs: the rest is what may change.
_FINDING_KEY = attrgetter(*FINDING_KEY)
_DUE_KEY = ("instrument", "rule_id", "article", "what", "series", "parties")
# State lines that only count entries: a scenario that adds or removes any changes them, saying nothing new.
_NOT_STATE = ("union", "at", "events_counted", "presidency", "instruments", "standing")


class Revision(NamedTuple):
    """What a scenario does to the viewer's record: the entries it leaves out (as the viewer had them; a replaced
    or reclassified one among them), those it puts in, and the treaties with its rules' changes made."""

    dropped: list[Event]
    new: list[Event]
    treaties: dict[str, Treaty]

    def record(self, events: Sequence[Event]) -> list[Event]:
        """The viewer's record as the scenario leaves it."""
        gone = {e.id for e in self.dropped}
        return [*(e for e in events if e.id not in gone), *self.new]


def known_treaties(treaties: Mapping[str, Treaty], record: DatedState) -> dict[str, Treaty]:
    """The treaties of the instruments the viewer sees signed (each signed one has a history in the fold), with
    only the readings resting on those: a scenario cannot bring another's rules or readings to light."""
    signed = set(record.instruments)
    return {k: t.as_known(signed) for k, t in treaties.items() if k in signed}


def applied(scenario: Scenario, viewer: Viewer, events: Sequence[Event], known: dict[str, Treaty]) -> Revision:
    """The scenario's changes, made in order, to the viewer's events and the treaties it knows of (``known``).

    ``events`` are those ``viewer`` sees; a change naming an entry or a rule not among them is refused with
    the words an unknown one gets.  The result is what the viewer would see of it: an entry the scenario
    classifies away from the viewer is left out.
    """
    named = {c.add.id if c.add else c.remove or (c.replace.id if c.replace else None)
             or (c.classify.entry if c.classify else None) for c in scenario.changes}
    found = {e.id: e for e in events if e.id in named}
    now: dict[str, Event | None] = dict(found)  # each entry named, as the changes so far leave it (None: out)
    rules = known
    for n, change in enumerate(scenario.changes):
        if change.add is not None:
            if now.get(change.add.id) is not None:
                raise scenario.error(n, said("the record already has an entry %(entry)s: replace it, or give the "
                                             "new entry another id", entry=repr(change.add.id)), "id")
            now[change.add.id] = change.add
            continue
        if change.settings is not None or change.reading is not None:
            rules = _ruled(scenario, n, rules)
            continue
        target = change.remove or (change.replace.id if change.replace else None) or \
            (change.classify.entry if change.classify else "")
        was = now.get(target)
        if was is None:
            raise scenario.error(n, said("no entry %(entry)s in the record as %(viewer)s sees it", entry=repr(target),
                                         viewer=str(viewer)))
        if change.remove is not None:
            now[target] = None
        elif change.replace is not None:
            now[target] = msgspec.structs.replace(change.replace, recorded=was.recorded)
        elif change.classify is not None:
            now[target] = msgspec.structs.replace(was, classification=change.classify.classification)
    dropped = [e for i, e in found.items() if now[i] is not e]
    new = [e for i, e in now.items() if e is not None and e is not found.get(i)]
    if viewer.kind != "secretariat" and (dropped or new):
        gone = {e.id for e in dropped}
        # Who is party to what decides what a delegation sees: worked out again only where a signature or an
        # accession changes.
        joining = any(isinstance(e, (InstrumentSigned, InstrumentAcceded)) for e in (*dropped, *new))
        parties_of = instrument_parties(Revision(dropped, new, rules).record(events) if joining else events)
        hidden = {e.id for e in events if e.id not in gone and not cleared(e, viewer, parties_of)}
        dropped += [e for e in events if e.id in hidden]
        new = [e for e in new if cleared(e, viewer, parties_of)]
    return Revision(dropped, new, rules)


def _ruled(scenario: Scenario, n: int, treaties: dict[str, Treaty]) -> dict[str, Treaty]:
    """The treaties with change ``n`` (a rule's settings, or one of its readings) made."""
    change = scenario.changes[n]
    named = change.settings or change.reading
    assert named is not None
    treaty = treaties.get(named.instrument)
    found = next((r for _, r in treaty.rules() if r.id == named.rule), None) if treaty else None
    if treaty is None or found is None:
        raise scenario.error(n, said("no rule %(rule)s of %(instrument)s among the treaties you see: `entente "
                                     "treaty` lists them", rule=repr(named.rule), instrument=repr(named.instrument)),
                             "rule")
    if change.settings is not None:
        settings = {**found.settings, **change.settings.set}
        try:
            msgspec.convert(settings, SETTINGS[found.kind])
            for reading in found.readings:
                msgspec.convert({**settings, **reading.settings}, SETTINGS[found.kind])
        except msgspec.ValidationError as exc:
            raise scenario.error(n, said("not a setting of a %(kind)s rule as given: %(problem)s", kind=found.kind,
                                         problem=str(exc)), "set") from None
        spec = msgspec.structs.replace(found, settings=settings)
    else:
        assert change.reading is not None
        names = [r.name for r in found.readings]
        if change.reading.name not in names:
            raise scenario.error(n, said("rule %(rule)s has no reading %(name)s; its readings: %(names)s",
                                         rule=repr(found.id), name=repr(change.reading.name),
                                         names=", ".join(names) or said("none")), "name")
        # Kept as the rule's one reading, so each finding still names the reading it follows.
        spec = msgspec.structs.replace(found, readings=tuple(r for r in found.readings
                                                             if r.name == change.reading.name))
    articles = tuple(_with_rule(a, spec) for a in treaty.articles)
    return {**treaties, treaty.instrument: msgspec.structs.replace(treaty, articles=articles)}


def _with_rule(article: Article, spec: RuleSpec) -> Article:
    if not any(r.id == spec.id for r in article.rules):
        return article
    return msgspec.structs.replace(article, rules=tuple(spec if r.id == spec.id else r for r in article.rules))


class Answers(NamedTuple):
    """What is compared: the findings and things due (as the rules give them), and the state lines."""

    findings: list[Finding]
    due: list[Due]
    state: dict[str, Any]


def answers(union: Union, treaties: Mapping[str, Treaty], record: DatedState, at: str,
            scope: Scope = EVERYTHING) -> Answers:
    """Every finding, state line and thing due on ``at`` (of the rule kinds and items in ``scope`` only)."""
    state = state_lines(reports.union_state(union, record, at, dict(treaties)))
    if scope.items is None:
        return Answers(*judge(union, treaties, record, at, kinds=scope.kinds), state)
    itemwise = ITEMWISE if scope.kinds is None else scope.kinds & ITEMWISE
    found, due = judge(union, treaties, record, at, kinds=(set(KINDS) if scope.kinds is None else scope.kinds)
                       - ITEMWISE)
    found += judge(union, treaties, narrowed(record, scope.items), at, kinds=set(itemwise), due_wanted=False)[0]
    # What is due, of every item: two things due are told apart by what they ask of whom, not by their item.
    due += judge(union, treaties, record, at, kinds=set(itemwise), findings_wanted=False)[1]
    order = _rule_order(treaties, record, at)
    return Answers(sorted(found, key=order), sorted(due, key=order), state)


def _rule_order(treaties: Mapping[str, Treaty], record: DatedState, at: str
                ) -> Callable[[Finding | Due], tuple[int, int]]:
    """The place of a finding's (thing due's) rule in the order judging every rule gives them: the treaties' rules
    in the treaties' order, each followed by those its decisions add."""
    place: dict[tuple[str, str, str], tuple[int, int]] = {}
    for t, treaty in enumerate(treaties.values()):
        rules = [(treaty.instrument, spec.id, article.article) for article, spec in treaty.rules()]
        rules += [(treaty.instrument, c.rule, c.article or "decision") for c in record.rule_changes
                  if c.instrument == treaty.instrument and c.rule_kind and dates.start(c.date) <= at]
        for n, rule in enumerate(rules):
            place.setdefault(rule, (t, n))
    last = (len(treaties), 0)
    return lambda row: place.get((row.instrument, row.rule_id, row.article), last)


def state_lines(state: dict[str, Any]) -> dict[str, Any]:
    """The union's state on a day as lines: each a name (``pact-2020 status``) and its value."""
    lines: dict[str, Any] = {}
    for i in state["instruments"]:
        for name in ("status", "parties", "signatories", "in_force", "ended", "withdrawn", "on_notice",
                     "suspended"):
            lines[f"{i['id']} {name}"] = i[name]
    for name, value in state["standing"].items():
        lines[f"standing {name}"] = value
    for office in state["presidency"]:
        if office.get("current"):
            lines[f"{office['instrument']} presidency"] = office["holder"]
    lines.update({k: v for k, v in state.items() if k not in _NOT_STATE})
    return lines


def _changed(before: Sequence[Finding | Due], after: Sequence[Finding | Due],
             key: Callable[[Any], tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Each row added, removed or changed, matched by ``key`` (rows of one key paired in order), as data."""
    was: dict[tuple[Any, ...], list[Any]] = {}
    now: dict[tuple[Any, ...], list[Any]] = {}
    for rows, keyed in ((before, was), (after, now)):
        for row in rows:
            keyed.setdefault(key(row), []).append(row)
    out = []
    for k in dict.fromkeys([*was, *now]):
        old, new = was.get(k, []), now.get(k, [])
        for n in range(max(len(old), len(new))):
            a, b = old[n] if n < len(old) else None, new[n] if n < len(new) else None
            if a is not None and a == b:
                continue
            a_row, b_row = _data(a), _data(b)
            if a_row is None or b_row is None or _verdict(a_row) != _verdict(b_row):
                out.append({"change": "added" if a is None else "removed" if b is None else "changed",
                            "before": a_row, "after": b_row})
    return out


def _data(row: Finding | Due | None) -> dict[str, Any] | None:
    return None if row is None else msgspec.to_builtins(row)


def _verdict(row: dict[str, Any]) -> dict[str, Any]:
    """What a finding says, without the steps the rule took to it: a finding changes when what it says does."""
    return {k: v for k, v in row.items() if k != "steps"} if "steps" in row else row


def _due_key(row: Due) -> tuple[str, ...]:
    return tuple(str(getattr(row, k)) for k in _DUE_KEY)


def differences(before: Answers, after: Answers) -> dict[str, list[dict[str, Any]]]:
    """What changes between two sets of ``answers``, and nothing else: findings, state lines, things due."""
    was, now = before.state, after.state
    return {
        "findings": _changed(before.findings, after.findings, _FINDING_KEY),
        "state": [{"line": name, "before": was.get(name), "after": now.get(name)}
                  for name in dict.fromkeys([*was, *now]) if was.get(name) != now.get(name)],
        "due": _changed(before.due, after.due, _due_key),
    }


def what_if(union: Union, treaties: Mapping[str, Treaty], viewer: Viewer, events: Sequence[Event],
            scenario: Scenario, at: str, folded: DatedState | None = None, narrow: bool = True) -> dict[str, Any]:
    """The scenario run on what ``viewer`` sees (``events``; ``folded``: them folded, where held already):
    the scenario itself, the day, and what changes from the record's answers to the scenario's.

    ``narrow``: judge only the rules and items the scenario concerns (``whatif.scope``), on the record's dated
    state revised by the scenario's entries (``replay.revised``); the differences are the same as folding the
    changed record again and judging everything, at a cost that follows the scenario, not the record.
    """
    # Findings and their data by the thousand, none holding a cycle: collecting meanwhile would only walk them.
    with uncollected():
        held = dated(folded if folded is not None else events)
        now_treaties = known_treaties(treaties, held)
        revision = applied(scenario, viewer, events, now_treaties)
        changed = held
        if revision.dropped or revision.new:  # a scenario that changes only rules replays the same entries
            changed = revised(held, revision.dropped, revision.new) if narrow else \
                dated(revision.record(events))
        scope = concerned(scenario, [*revision.dropped, *revision.new], held, changed, now_treaties, at) \
            if narrow else EVERYTHING
        found = differences(answers(union, now_treaties, held, at, scope),
                            answers(union, revision.treaties, changed, at, scope))
    given = scenario_settings(scenario)
    for key in ("findings", "due"):
        found[key] = [_with_settings(row, given) for row in found[key]]
    return {"title": scenario.title, "why": scenario.why, "at": at, "viewer": str(viewer),
            "changes": [c.action for c in scenario.changes], "judged_on": reports.JUDGED_ON, **found}


def scenario_settings(scenario: Scenario) -> dict[tuple[str, str], dict[str, Any]]:
    """The settings the scenario gives each rule it changes, over those of the treaty file, by (instrument, rule)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for change in scenario.changes:
        if change.settings is not None:
            key = (change.settings.instrument, change.settings.rule)
            out[key] = {**out.get(key, {}), **change.settings.set}
    return out


def _with_settings(row: dict[str, Any], given: Mapping[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    """The row, its scenario side marked with the settings the scenario gave its rule: the reading's words stay
    the treaty file's (never made from settings), so a reader sees they speak of the file's settings."""
    after = row["after"]
    if after is None or (changed := given.get((after["instrument"], after["rule_id"]))) is None:
        return row
    return {**row, "after": {**after, "scenario_settings": changed}}
