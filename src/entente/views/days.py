"""The day a view is computed for, and why that day: the same answer on the command line and in the API.

A day asked for (``--at``, ``?at=``) is read as people write it (``vocabulary.asked``);
none asked for means today while the union is in force, and the last day its record
speaks of once it has ended, when "today" would only repeat that last day's state.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import NamedTuple

from entente.replay.dated import DatedState, state_at
from entente.replay.state import latest_day
from entente.rules import dated
from entente.vocabulary.asked import read_day
from entente.vocabulary.events import Event
from entente.vocabulary.union import Union
from entente.vocabulary.wording import words


class Day(NamedTuple):
    """The day used, and why that one, in English ("" when that very day was asked for)."""

    day: str
    why: str = ""
    said: str = ""  # the month or year asked for whose last day ``day`` is, in EDTF, so each language can word it


def in_force(events: DatedState | Sequence[Event], at: str, members: Collection[str]) -> bool:
    """Whether the union stands on ``at``: one of the instruments every member signed or joined is in force.

    Those are what make the union; an instrument between some members only (a bilateral
    treaty the record never says ended) does not keep it alive.  A union whose record has
    no such instrument stands while any of its instruments is in force.
    """
    instruments = state_at(dated(events), at).instruments.values()
    whole = [i for i in instruments if set(members) <= set(i.signatories) | set(i.parties)] or list(instruments)
    return any(i.status == "in_force" for i in whole)


def day_for(at: str | None, events: DatedState | Sequence[Event], union: Union, today: date) -> Day:
    """The day asked for, else today while the union stands, else the last day of its record."""
    if at is not None:
        asked = read_day(at, today)
        return Day(asked.day, "" if asked.exact else f"the last day of {words(asked.said)}",
                   "" if asked.exact else asked.said)
    last = events.last_day if isinstance(events, DatedState) else latest_day(events)
    members = [p.code for p in union.parties if p.role == "member"]
    if in_force(events, max(last, today.isoformat()), members):
        return Day(today.isoformat(), "today; the union is in force")
    return Day(last, "the last day of the record; the union has ended")
