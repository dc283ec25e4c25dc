"""Replay: the record folded once into dated state (``fold``), and the union read off it on any day (``state_at``)."""

from entente.replay.dated import DatedState, bindings, bound, fold, state_at
from entente.replay.extend import extended

__all__ = ["DatedState", "bindings", "bound", "extended", "fold", "state_at"]
