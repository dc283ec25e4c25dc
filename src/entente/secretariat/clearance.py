"""Clearance: the one place that decides which events a viewer may see.

Every view (state, findings, timeline, counts, exports) is computed from the
events this module lets through, never filtered afterwards, so nothing
derived from a record can show it to someone not cleared for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from entente.replay import revisions
from entente.vocabulary.events import (
    Event,
    InstrumentAcceded,
    InstrumentSigned,
    Restricted,
    kind_of,
)


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
        raise ValueError(f"unknown viewer {text!r}: use a party's code, 'public' or 'secretariat'")

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
    """The events ``viewer`` may see: the only filter every view goes through.

    Each entry as it now reads (``revisions.current``): corrected, retracted or
    reclassified by later entries, the latest act counting; the entries handed
    on carry their current classification.
    """
    now = revisions.current(events)
    if viewer.kind == "secretariat":
        return now
    parties_of = instrument_parties(now)
    return [e for e in now if cleared(e, viewer, parties_of)]


# The field naming the party that acts, for each kind a delegation may record; every other kind
# (a signature by several, an entry into force, a decision, an outside event...) is the secretariat's.
_ACTING_FIELD = {
    "conference_convened": "host",
    "conference_held": "host",
    "instrument_ratified": "party",
    "instrument_acceded": "party",
    "instrument_terminated": "party",
    "intent_declared": "party",
    "question_raised": "actor",
    "position_stated": "party",
    "assistance_requested": "requester",
    "assistance_responded": "party",
    "proposal_made": "proposer",
}


def may_write(viewer: Viewer, event: Event) -> str | None:
    """Why ``viewer`` may not record ``event``, or None if it may.

    The secretariat records anything.  A party's delegation records only its
    own acts (its position, ratification, accession, denunciation, request,
    response, proposal, or a conference it hosts) and may not restrict an
    entry away from itself; only the secretariat amends a classification.
    """
    if viewer.kind == "secretariat":
        return None
    if viewer.kind != "party":
        return "only a party's delegation or the secretariat may record"
    kind = kind_of(event)
    field = _ACTING_FIELD.get(kind)
    if field is None:
        return f"only the secretariat may record a {kind.replace('_', ' ')}"
    acting = getattr(event, field, None)
    if acting != viewer.party:
        return f"{viewer.party} may not record an act of {acting or 'no party'} ({field})"
    if event.actor is not None and event.actor != viewer.party:
        return f"{viewer.party} may not record an act of {event.actor} (actor)"
    c = event.classification
    if isinstance(c, Restricted) and c.instrument is None and viewer.party not in c.parties:
        return f"{viewer.party} may not classify an entry so that it cannot see it itself"
    return None


def visible_history(events: Sequence[Event], viewer: Viewer, entry_id: str) -> list[revisions.Version]:
    """The versions of one entry that ``viewer`` may see, each judged by its own classification and by that of
    the act that made it; [] where it may see none, as for an entry that does not exist."""
    parties_of = instrument_parties(revisions.current(events))
    return [v for v in revisions.history(events, entry_id)
            if (v.entry is None or cleared(v.entry, viewer, parties_of))
            and (v.act is None or cleared(v.act, viewer, parties_of))]
