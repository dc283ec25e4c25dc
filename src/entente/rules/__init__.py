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

from entente.replay.dated import DatedState, fold, state_at
from entente.replay.model import UnionState
from entente.rules import (
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


def _contexts(union: Union, treaties: Mapping[str, Treaty], record: DatedState, at: str
              ) -> Iterator[tuple[ModuleType, Context, Any]]:
    s = state_at(record, at)
    for treaty in treaties.values():
        if treaty.instrument not in s.instruments:
            continue  # not signed yet, or not visible to this viewer: nothing to say
        in_text = {r.id for _, r in treaty.rules()}
        for article, spec in treaty.rules() + _added_rules(treaty, s):
            kind = KINDS[spec.kind]
            epochs = tuple(dated_settings(spec, kind.Settings, s.rule_changes, treaty.instrument,
                                          in_text=spec.id in in_text))
            settings = settings_on(epochs, at)
            if settings is None:
                continue  # added by a decision that takes effect after ``at``
            yield kind, Context(union=union, treaty=treaty, article=article, spec=spec, dated=record, state=s,
                                at=at, epochs=epochs, treaties=dict(treaties)), settings


def judge(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str
          ) -> tuple[list[Finding], list[Due]]:
    """The findings of every rule and what every rule makes due on ``at``, from the record folded once.

    ``record`` is the dated state a projection holds, or the events (folded here).
    """
    findings: list[Finding] = []
    items: list[Due] = []
    for kind, ctx, settings in _contexts(union, treaties, dated(record), at):
        findings += kind.evaluate(ctx, settings)
        if hasattr(kind, "due"):
            items += kind.due(ctx, settings)
    return findings, items


def compliance(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str
               ) -> list[Finding]:
    return judge(union, treaties, record, at)[0]


def due(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str) -> list[Due]:
    return judge(union, treaties, record, at)[1]


__all__ = ["KINDS", "Context", "Due", "Finding", "compliance", "dated", "due", "judge"]
