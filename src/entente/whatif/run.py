"""A scenario run: the union replayed with a scenario's changes, beside the union as the record has it.

Pure: a function of (union, treaties, the events a viewer sees, the scenario, a day).  It starts from the
viewer's own view and nothing else, so a change can name only an entry or a rule that viewer sees (any other
is refused exactly as an id that does not exist), and what changes is computed from that view, so a difference
never tells of an entry the viewer may not see.  Nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from entente.replay.dated import DatedState
from entente.rules import SETTINGS, dated, judge
from entente.rules.base import FINDING_KEY
from entente.secretariat.clearance import Viewer, cleared, instrument_parties
from entente.views import reports
from entente.vocabulary.events import Event, InstrumentSigned
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union
from entente.whatif.scenario import Scenario
from entente.whatif.scope import concerned, kept

# The fields that name a finding, and a thing due, across the two runs: the rest is what may change.
_FINDING_KEY = FINDING_KEY
_DUE_KEY = ("instrument", "rule_id", "article", "what", "series", "parties")
# State lines that only count entries: a scenario that adds or removes any changes them, saying nothing new.
_NOT_STATE = ("union", "at", "events_counted", "presidency", "instruments", "standing")


def known_treaties(treaties: Mapping[str, Treaty], events: Sequence[Event]) -> dict[str, Treaty]:
    """The treaties of the instruments the viewer sees signed, with only the readings resting on those: a scenario
    cannot bring another's rules or readings to light."""
    signed = {e.instrument for e in kept(events, (InstrumentSigned,))}  # type: ignore[attr-defined]
    return {k: t.as_known(signed) for k, t in treaties.items() if k in signed}


def applied(scenario: Scenario, viewer: Viewer, events: Sequence[Event], treaties: Mapping[str, Treaty]
            ) -> tuple[list[Event], dict[str, Treaty]]:
    """The viewer's events and the treaties it sees, with the scenario's changes made, in order.

    ``events`` are those ``viewer`` sees; a change naming an entry or a rule not among them is refused with
    the words an unknown one gets.  The result is what the viewer would see of it: an entry the scenario
    classifies away from the viewer is no longer in it.
    """
    out = list(events)
    index = {e.id: n for n, e in enumerate(out)}
    rules = known_treaties(treaties, events)
    for n, change in enumerate(scenario.changes):
        if change.add is not None:
            if change.add.id in index:
                raise scenario.error(n, f"the record already has an entry {change.add.id!r}: replace it, or give "
                                        "the new entry another id", "id")
            index[change.add.id] = len(out)
            out.append(change.add)
            continue
        if change.settings is not None or change.reading is not None:
            rules = _ruled(scenario, n, rules)
            continue
        target = change.remove or (change.replace.id if change.replace else None) or \
            (change.classify.entry if change.classify else "")
        at = index.get(target)
        if at is None or out[at] is None:
            raise scenario.error(n, f"no entry {target!r} in the record as {viewer} sees it")
        if change.remove is not None:
            out[at] = None  # type: ignore[call-overload]  # dropped below; indices stay put meanwhile
            del index[target]
        elif change.replace is not None:
            out[at] = msgspec.structs.replace(change.replace, recorded=out[at].recorded)
        elif change.classify is not None:
            out[at] = msgspec.structs.replace(out[at], classification=change.classify.classification)
    kept = [e for e in out if e is not None]
    if viewer.kind != "secretariat":
        parties_of = instrument_parties(kept)
        kept = [e for e in kept if cleared(e, viewer, parties_of)]
    return kept, rules


def _ruled(scenario: Scenario, n: int, treaties: dict[str, Treaty]) -> dict[str, Treaty]:
    """The treaties with change ``n`` (a rule's settings, or one of its readings) made."""
    change = scenario.changes[n]
    named = change.settings or change.reading
    assert named is not None
    treaty = treaties.get(named.instrument)
    found = next((r for _, r in treaty.rules() if r.id == named.rule), None) if treaty else None
    if treaty is None or found is None:
        raise scenario.error(n, f"no rule {named.rule!r} of {named.instrument!r} among the treaties you see: "
                                "`entente treaty` lists them", "rule")
    if change.settings is not None:
        settings = {**found.settings, **change.settings.set}
        try:
            msgspec.convert(settings, SETTINGS[found.kind])
            for reading in found.readings:
                msgspec.convert({**settings, **reading.settings}, SETTINGS[found.kind])
        except msgspec.ValidationError as exc:
            raise scenario.error(n, f"not a setting of a {found.kind} rule as given: {exc}", "set") from None
        spec = msgspec.structs.replace(found, settings=settings)
    else:
        assert change.reading is not None
        names = [r.name for r in found.readings]
        if change.reading.name not in names:
            raise scenario.error(n, f"rule {found.id!r} has no reading {change.reading.name!r}; its readings: "
                                    f"{', '.join(names) or 'none'}", "name")
        # Kept as the rule's one reading, so each finding still names the reading it follows.
        spec = msgspec.structs.replace(found, readings=tuple(r for r in found.readings
                                                             if r.name == change.reading.name))
    articles = tuple(_with_rule(a, spec) for a in treaty.articles)
    return {**treaties, treaty.instrument: msgspec.structs.replace(treaty, articles=articles)}


def _with_rule(article: Article, spec: RuleSpec) -> Article:
    if not any(r.id == spec.id for r in article.rules):
        return article
    return msgspec.structs.replace(article, rules=tuple(spec if r.id == spec.id else r for r in article.rules))


def answers(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Sequence[Event], at: str,
            kinds: set[str] | None = None, focus: frozenset[str] | None = None) -> dict[str, Any]:
    """What is compared: every finding, every state line and every thing due on ``at`` (of the rules of
    ``kinds`` only, and of the questions, requests and proposals in ``focus`` only, where given), as plain data."""
    folded = dated(record)
    findings, items = judge(union, treaties, folded, at, kinds=kinds, focus=focus)
    return {"findings": [msgspec.to_builtins(f) for f in findings],
            "state": state_lines(reports.union_state(union, folded, at, dict(treaties))),
            "due": [msgspec.to_builtins(d) for d in items]}


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


def _keyed(rows: list[dict[str, Any]], key: tuple[str, ...]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(tuple(str(row.get(k)) for k in key), []).append(row)
    return out


def _verdict(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a finding says, without the steps the rule took to it: a finding changes when what it says does."""
    return None if row is None else {k: v for k, v in row.items() if k != "steps"}


def _changed(before: list[dict[str, Any]], after: list[dict[str, Any]], key: tuple[str, ...]
             ) -> list[dict[str, Any]]:
    """Each row added, removed or changed, matched by ``key`` (rows of one key paired in order)."""
    was, now = _keyed(before, key), _keyed(after, key)
    out = []
    for k in dict.fromkeys([*was, *now]):
        old, new = was.get(k, []), now.get(k, [])
        for n in range(max(len(old), len(new))):
            a, b = old[n] if n < len(old) else None, new[n] if n < len(new) else None
            if _verdict(a) != _verdict(b):
                out.append({"change": "added" if a is None else "removed" if b is None else "changed",
                            "before": a, "after": b})
    return out


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What changes between two sets of ``answers``, and nothing else: findings, state lines, things due."""
    was, now = before["state"], after["state"]
    return {
        "findings": _changed(before["findings"], after["findings"], _FINDING_KEY),
        "state": [{"line": name, "before": was.get(name), "after": now.get(name)}
                  for name in dict.fromkeys([*was, *now]) if was.get(name) != now.get(name)],
        "due": _changed(before["due"], after["due"], _DUE_KEY),
    }


def what_if(union: Union, treaties: Mapping[str, Treaty], viewer: Viewer, events: Sequence[Event],
            scenario: Scenario, at: str, folded: DatedState | None = None, narrow: bool = True) -> dict[str, Any]:
    """The scenario run on what ``viewer`` sees (``events``; ``folded``: them folded, where held already):
    the scenario itself, the day, and what changes from the record's answers to the scenario's.

    ``narrow``: judge only the rules the scenario concerns, each run on a record folded from the entries they
    read (``whatif.scope``); the differences are the same as judging everything, at a cost that follows the
    scenario, not the record.
    """
    now_treaties = known_treaties(treaties, events)
    changed, then_treaties = applied(scenario, viewer, events, treaties)
    scope = concerned(scenario, events, now_treaties) if narrow else None
    if scope is not None:
        before = answers(union, now_treaties, scope.kept(events), at, scope.kinds, scope.items)
        after = answers(union, then_treaties, scope.kept(changed), at, scope.kinds, scope.items)
    else:
        held = folded if folded is not None else dated(events)
        before = answers(union, now_treaties, held, at)
        # A scenario that changes only rules replays the same entries: the record's fold serves both runs.
        same = all(c.settings is not None or c.reading is not None for c in scenario.changes)
        after = answers(union, then_treaties, held if same else changed, at)
    found = differences(before, after)
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
