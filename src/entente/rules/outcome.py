"""A decision's outcome as data: adopted or not, on which day, by what procedure, who was counted and who not.

A rule that judges a decision puts its ``Outcome`` on the finding (``Finding.outcome``), so the JSON of
``compliance``, ``party``, the API and the exports carry it beside the sentence that says it.
"""

from __future__ import annotations

import msgspec


class Counted(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A member counted in a decision: its vote ("" where it cast none) and its weight."""

    party: str
    vote: str = ""
    weight: float = 1.0


class NotCounted(msgspec.Struct, kw_only=True):
    """A party left out of a decision's count, and why."""

    party: str
    why: str


class Outcome(msgspec.Struct, kw_only=True, omit_defaults=True):
    adopted: bool
    procedure: str  # the procedure applied, in words ("consensus", "qualified majority of 0.65 of the weights")
    on: str | None = None  # the day it was adopted or refused (a written procedure's closing day, a decision's day)
    counted: list[Counted] = []
    not_counted: list[NotCounted] = []
    yes: float = 0.0  # the yes votes (their weights, where weighted)
    out_of: float = 0.0  # what the share is of: the members counted, or the votes cast (their weights)
