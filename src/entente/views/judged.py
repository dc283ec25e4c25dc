"""Every rule's findings kept rule by rule, so that after a write only the rules its entries concern are judged
again (``rules.concerns``, as a write's own checks are) and every other rule's findings stand as they were.

The same findings in the same order as ``reports.compliance`` of the whole record: a rule whose kind reads none
of the entries added finds what it found before them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from entente.rules import RuleKey, judged_by_rule
from entente.rules.concerns import kinds_concerned
from entente.views.reports import Record, check_reading, verdict
from entente.vocabulary.events import Event
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union

ByRule = list[tuple[RuleKey, list[dict[str, Any]]]]


def by_rule(union: Union, treaties: Mapping[str, Treaty], record: Record, at: str, reading: str | None = None,
            earlier: ByRule | None = None, added: Sequence[Event] = ()) -> ByRule:
    """Each rule's findings on ``at``; given those ``earlier`` made of the record before ``added`` (ordinary
    entries recorded after it), only the rules the entries concern are judged again."""
    if earlier is None:
        check_reading(treaties, record, reading)
    kept = dict(earlier or ())
    # Two rules named alike could not be told apart: every rule is judged again.
    kinds = kinds_concerned(added) if earlier is not None and len(kept) == len(earlier) else None
    return [(key, [verdict(f) for f in found] if found is not None else kept[key])
            for key, found in judged_by_rule(union, treaties, record, at, reading, kinds=kinds, known=kept)]


def flat(rows: ByRule) -> list[dict[str, Any]]:
    """The findings of every rule, in order, as ``reports.compliance`` gives them."""
    return [f for _, found in rows for f in found]
