"""Rule kinds and the evaluation of a union's treaties against its record.

Each rule kind is a module with a ``Settings`` struct, ``evaluate(ctx, settings)``
returning findings and, where the kind makes something due, ``due(ctx, settings)``.
Everything here is pure: (union, treaties, the record folded into dated state,
a date) in, findings out.  The record is folded once per call (or not at all,
when the caller holds the dated state); each rule reads days off it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from entente.replay.dated import DatedState, fold, state_at
from entente.replay.model import UnionState
from entente.rules import (
    conditional_commitment,
    consent_to_acts,
    consultation,
    duration,
    excluded_subjects,
    host_rotation,
    mutual_assistance,
    periodic_meetings,
    presidency,
    proposals,
    suspension,
)
from entente.rules.base import Context, Due, Finding, dated_settings, settings_on
from entente.vocabulary import treaty as treaty_files
from entente.vocabulary.events import Event
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union

KINDS: dict[str, ModuleType] = {
    "periodic_meetings": periodic_meetings,
    "host_rotation": host_rotation,
    "consultation": consultation,
    "excluded_subjects": excluded_subjects,
    "mutual_assistance": mutual_assistance,
    "conditional_commitment": conditional_commitment,
    "proposals": proposals,
    "suspension": suspension,
    "duration": duration,
    "presidency": presidency,
    "consent_to_acts": consent_to_acts,
}

SETTINGS: dict[str, type] = {name: kind.Settings for name, kind in KINDS.items()}


def read_treaty(path: Path) -> Treaty:
    """One treaty file, each rule's settings checked against its kind."""
    return treaty_files.read_treaty(path, SETTINGS)


def read_treaties(union_folder: Path) -> dict[str, Treaty]:
    """Every treaty file of a union folder, by instrument."""
    return treaty_files.read_treaties(union_folder, SETTINGS)


def _added_rules(treaty: Treaty, s: UnionState) -> list[tuple[Article, RuleSpec]]:
    """Rules a decision added that the treaty text does not have."""
    known = {r.id for _, r in treaty.rules()}
    articles = {a.article: a for a in treaty.articles}
    added = []
    for change in s.rule_changes:
        if change.instrument == treaty.instrument and change.rule_kind and change.rule not in known:
            article = articles.get(change.article or "", Article(article=change.article or "decision"))
            added.append((article, RuleSpec(id=change.rule, kind=change.rule_kind, settings={},
                                             reading=f"added by the decision {change.id}")))
            known.add(change.rule)
    return added


def dated(record: DatedState | Iterable[Event]) -> DatedState:
    """The record as dated state: a projection's own, or the events folded once here."""
    return record if isinstance(record, DatedState) else fold(record)


def _read_as(spec: RuleSpec, reading: str | None) -> list[tuple[RuleSpec, str | None]]:
    """The rule under each of its readings (only the one named, where one is; else the first)."""
    if not spec.readings:
        return [(spec, None)]
    chosen = [r for r in spec.readings if reading in (None, r.name)] or [spec.readings[0]]
    return [(spec.read_as(r), r.name) for r in chosen]


def _contexts(union: Union, treaties: Mapping[str, Treaty], record: DatedState, at: str,
              reading: str | None = None, kinds: set[str] | None = None, focus: frozenset[str] | None = None
              ) -> Iterator[tuple[ModuleType, Context, Any]]:
    s = state_at(record, at)
    for treaty in treaties.values():
        if treaty.instrument not in s.instruments:
            continue  # not signed yet, or not visible to this viewer: nothing to say
        in_text = {r.id for _, r in treaty.rules()}
        for article, rule in treaty.rules() + _added_rules(treaty, s):
            if kinds is not None and rule.kind not in kinds:
                continue
            kind = KINDS[rule.kind]
            for spec, name in _read_as(rule, reading):
                epochs = tuple(dated_settings(spec, kind.Settings, s.rule_changes, treaty.instrument,
                                              in_text=spec.id in in_text))
                settings = settings_on(epochs, at)
                if settings is None:
                    continue  # added by a decision that takes effect after ``at``
                yield kind, Context(union=union, treaty=treaty, article=article, spec=spec, dated=record, state=s,
                                    at=at, epochs=epochs, treaties=dict(treaties), reading_name=name,
                                  focus=focus), settings


def reading_names(treaties: Mapping[str, Treaty]) -> list[str]:
    """Every name a reading of a contested article has, in the order of the treaty files."""
    return list(dict.fromkeys(r.name for t in treaties.values() for _, spec in t.rules() for r in spec.readings))


def _where_readings_differ(findings: list[Finding]) -> list[Finding]:
    """One finding for each period or subject every reading gives the same verdict on; else every reading's."""
    by_rule: dict[tuple[str, str], dict[tuple[str | None, str | None], list[Finding]]] = {}
    for f in findings:
        if f.reading_name is not None:
            by_rule.setdefault((f.instrument, f.rule_id), {}).setdefault((f.period, f.subject), []).append(f)
    out: list[Finding] = []
    for f in findings:
        rule = (f.instrument, f.rule_id)
        if f.reading_name is None:
            out.append(f)
        elif rule in by_rule:
            names = list(dict.fromkeys(g.reading_name for g in findings if (g.instrument, g.rule_id) == rule))
            for same in by_rule.pop(rule).values():
                agree = len(same) == len(names) and len({g.status for g in same}) == 1
                out += [msgspec.structs.replace(same[0], reading_name=", ".join(n for n in names if n))] if agree \
                    else same
    return out


def judge(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str,
          reading: str | None = None, *, findings_wanted: bool = True, due_wanted: bool = True,
          kinds: set[str] | None = None, focus: frozenset[str] | None = None) -> tuple[list[Finding], list[Due]]:
    """The findings of every rule and what every rule makes due on ``at``, from the record folded once.

    ``record`` is the dated state a projection holds, or the events (folded here).  A rule with several
    readings is judged under each (one finding per reading where their verdicts differ), or only under
    ``reading``; what is due follows the first reading, or ``reading``.  ``kinds`` and ``focus`` narrow
    the judgement to the rules, and the questions, requests and proposals, a new entry concerns
    (``concerns``): a rule that judges item by item then judges only those.
    """
    findings: list[Finding] = []
    items: list[Due] = []
    seen: set[tuple[str, str]] = set()
    for kind, ctx, settings in _contexts(union, treaties, dated(record), at, reading, kinds, focus):
        if findings_wanted:
            findings += kind.evaluate(ctx, settings)
        rule = (ctx.treaty.instrument, ctx.spec.id)
        if due_wanted and hasattr(kind, "due") and rule not in seen:
            items += kind.due(ctx, settings)
        seen.add(rule)
    return (findings if reading else _where_readings_differ(findings)), items

class Office(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One party's term in an instrument's presidency, as a presidency rule reads the record."""

    instrument: str
    rule_id: str
    article: str
    holder: str
    since: str
    until: str | None = None  # the day it passed on (None: held on the day asked about, with no end set)
    current: bool = False  # held on the day asked about
    why: str
    evidence: list[str] = []


def presidencies(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str
                 ) -> list[Office]:
    """Who held each presidency from when to when, up to ``at``."""
    offices = []
    for kind, ctx, settings in _contexts(union, treaties, dated(record), at):
        if kind is presidency:
            offices += [Office(instrument=ctx.treaty.instrument, rule_id=ctx.spec.id, article=ctx.article.article,
                               holder=t.holder, since=t.since, until=t.until, why=t.why, evidence=t.evidence,
                               current=t.since <= at and (t.until is None or at < t.until))
                        for t in presidency.terms(ctx, settings) if t.since <= at]
    return offices


def compliance(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str,
               reading: str | None = None, *, kinds: set[str] | None = None, focus: frozenset[str] | None = None
               ) -> list[Finding]:
    return judge(union, treaties, record, at, reading, due_wanted=False, kinds=kinds, focus=focus)[0]


def due(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str) -> list[Due]:
    return judge(union, treaties, record, at, findings_wanted=False)[1]


__all__ = ["KINDS", "Context", "Due", "Finding", "Office", "compliance", "dated", "due", "judge", "presidencies",
           "reading_names"]
