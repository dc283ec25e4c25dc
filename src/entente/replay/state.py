"""The union at one date: read off the record folded once (``dated.fold``), for callers that ask about one day.

A caller that asks about many days, or keeps the record as it grows, folds
once and reads each day with ``dated.state_at``.
"""

from __future__ import annotations

from collections.abc import Iterable

from entente.replay.dated import fold, state_at
from entente.replay.model import (
    InstrumentState,
    ProposalState,
    QuestionState,
    RequestState,
    Status,
    UnionState,
    in_order,
    latest_day,
    order_key,
)
from entente.vocabulary.events import Event


def state(events: Iterable[Event], at: str) -> UnionState:
    """The union as it stood at the end of day ``at`` (YYYY-MM-DD)."""
    return state_at(fold(events), at)


__all__ = ["InstrumentState", "ProposalState", "QuestionState", "RequestState", "Status", "UnionState",
           "in_order", "latest_day", "order_key", "state"]
