"""Clearance: the one place that decides which events a viewer may see.

Every view (state, findings, timeline, counts, exports) is computed from the
events this module lets through, never filtered afterwards, so nothing
derived from a record can show it to someone not cleared for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .events import Event, InstrumentAcceded, InstrumentSigned, Restricted


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the secretariat (sees all), the public, or one party's delegation."""

    kind: str  # "secretariat" | "public" | "party"
    party: str | None = None

    @classmethod
    def parse(cls, text: str) -> Viewer:
        lowered = text.strip().lower()
        if lowered in ("secretariat", "operator", "all"):
            return SECRETARIAT
        if lowered == "public":
            return PUBLIC
        code = text.strip().upper()
        if re.fullmatch(r"[A-Z][A-Z0-9-]{1,15}", code):
            return cls("party", code)
        raise ValueError(f"unknown viewer {text!r}: use a party code such as LV, 'public' or 'secretariat'")

    def __str__(self) -> str:
        return self.party if self.party else self.kind


SECRETARIAT = Viewer("secretariat")
PUBLIC = Viewer("public")


def instrument_parties(events: Iterable[Event]) -> dict[str, set[str]]:
    """Who is party to each instrument (signatories and accessions), for clearance."""
    parties: dict[str, set[str]] = {}
    for event in events:
        if isinstance(event, InstrumentSigned):
            parties.setdefault(event.instrument, set()).update(event.parties)
        elif isinstance(event, InstrumentAcceded):
            parties.setdefault(event.instrument, set()).add(event.party)
    return parties


def cleared(event: Event, viewer: Viewer, parties_of: dict[str, set[str]]) -> bool:
    c = event.classification
    if not isinstance(c, Restricted) or viewer.kind == "secretariat":
        return True
    if viewer.party is None:
        return False
    if viewer.party in c.parties:
        return True
    return c.instrument is not None and viewer.party in parties_of.get(c.instrument, ())


def visible(events: Sequence[Event], viewer: Viewer) -> list[Event]:
    """The events ``viewer`` may see: the only filter every view goes through."""
    if viewer.kind == "secretariat":
        return list(events)
    parties_of = instrument_parties(events)
    return [e for e in events if cleared(e, viewer, parties_of)]
