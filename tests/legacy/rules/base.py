"""What every rule kind shares: the context it reads, the findings and due items it returns.

A rule is pure: it sees the union, the treaty, the events the viewer may see
(already cut at the date asked about) and the replayed state, never the store
or the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from entente.vocabulary.events import Event, RuleChanged
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union
from tests.legacy.state import InstrumentState, UnionState

Status = Literal["met", "breach", "pending", "not_applicable"]


def effective_settings(spec: RuleSpec, settings_type: type, s: UnionState, instrument: str) -> Any:
    """A rule's settings as changed by every decision in force by the state's date."""
    merged: dict[str, Any] = dict(spec.settings)
    for change in s.rule_changes:
        if change.instrument == instrument and change.rule == spec.id and (change.effective or "") <= s.at:
            merged.update(change.settings)
    return msgspec.convert(merged, settings_type)


class Finding(msgspec.Struct, kw_only=True, omit_defaults=True):
    rule: str  # the rule kind
    rule_id: str
    instrument: str
    article: str
    status: Status
    detail: str
    period: str | None = None
    subject: str | None = None
    reading: str | None = None
    evidence: list[str] = []


class Due(msgspec.Struct, kw_only=True, omit_defaults=True):
    rule: str
    rule_id: str
    instrument: str
    article: str
    what: str
    detail: str
    by: str | None = None  # the last day it may be done on
    earliest: str | None = None  # the first day it may be done on (e.g. after a notice period)
    series: str | None = None  # the meeting series it belongs to, for rules that count meetings
    on: str | None = None  # a fixed day, e.g. of an expiry
    host: str | None = None
    place: str | None = None
    parties: list[str] = []
    evidence: list[str] = []


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at."""

    union: Union
    treaty: Treaty
    article: Article
    spec: RuleSpec
    state: UnionState
    at: str
    events: Sequence[Event] = field(default_factory=tuple)  # visible, in valid-time order, up to ``at``
    treaties: dict[str, Treaty] = field(default_factory=dict)

    @property
    def instrument(self) -> InstrumentState | None:
        return self.state.instruments.get(self.treaty.instrument)

    def finding(self, status: Status, detail: str, **kw: Any) -> Finding:
        if not kw.get("period") and not kw.get("subject"):
            kw["subject"] = self.treaty.instrument  # every finding is about a period or a subject
        return Finding(rule=self.spec.kind, rule_id=self.spec.id, instrument=self.treaty.instrument,
                       article=self.article.article, status=status, detail=detail,
                       reading=kw.pop("reading", self.spec.reading), **kw)

    def due(self, what: str, detail: str, **kw: Any) -> Due:
        return Due(rule=self.spec.kind, rule_id=self.spec.id, instrument=self.treaty.instrument,
                   article=self.article.article, what=what, detail=detail, **kw)

    def changes(self) -> list[RuleChanged]:
        """Decisions that changed this rule's settings, in order."""
        return [c for c in self.state.rule_changes
                if c.instrument == self.treaty.instrument and c.rule == self.spec.id]

    def cite(self) -> str:
        ref = self.article.article
        return f"{'Article ' if ref[:1].isdigit() else ''}{ref} of {self.treaty.instrument}"
