"""Rule kinds and the evaluation of a union's treaties against its record.

Each rule kind is a module with a ``Settings`` struct, ``evaluate(ctx, settings)``
returning findings and, where the kind makes something due, ``due(ctx, settings)``.
Everything here is pure: (union, treaties, events, date) in, findings out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from entente.vocabulary import treaty as treaty_files
from entente.vocabulary.events import Event
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union
from tests.legacy.rules import (
    conditional_commitment,
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
from tests.legacy.rules.base import Context, Due, Finding, effective_settings
from tests.legacy.state import UnionState, state

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


def _contexts(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str):
    s = state(events, at)
    for treaty in treaties.values():
        if treaty.instrument not in s.instruments:
            continue  # not signed yet, or not visible to this viewer: nothing to say
        for article, spec in treaty.rules() + _added_rules(treaty, s):
            kind = KINDS[spec.kind]
            ctx = Context(union=union, treaty=treaty, article=article, spec=spec, state=s, at=at,
                          events=s.events, treaties=dict(treaties))
            yield kind, ctx, effective_settings(spec, kind.Settings, s, treaty.instrument)


def judge(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str
          ) -> tuple[list[Finding], list[Due]]:
    """The findings of every rule and what every rule makes due, from one replay."""
    findings: list[Finding] = []
    items: list[Due] = []
    for kind, ctx, settings in _contexts(union, treaties, events, at):
        findings += kind.evaluate(ctx, settings)
        if hasattr(kind, "due"):
            items += kind.due(ctx, settings)
    return findings, items


def compliance(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str) -> list[Finding]:
    return judge(union, treaties, events, at)[0]


def due(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], at: str) -> list[Due]:
    return judge(union, treaties, events, at)[1]


__all__ = ["KINDS", "Context", "Due", "Finding", "compliance", "due", "effective_settings", "judge"]
