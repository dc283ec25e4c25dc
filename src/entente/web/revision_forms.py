"""A delegation's corrections and withdrawals of the entries it recorded itself: which entries, the forms' fields,
and the API request body each form stands for.

The write goes through the API's path and rules as every form's does (a delegation revises only its own entries;
a correction is never narrower than what it corrects): the act takes the classification its target has now, so
it shows no one more and no one less than the entry it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import yaml

from entente.languages.catalog import N_
from entente.secretariat.clearance import written_by
from entente.vocabulary.events import EntryCorrected, EntryRetracted, Event, kind_of
from entente.web.forms import Chosen, written_entry

# Each form's fields, in order: the fields a problem can sit beside.
REVISIONS = {"entry_corrected": ("target", "entry", "reason", "document", "quote"),
             "entry_retracted": ("target", "reason", "document", "quote")}
LABELS = {"target": N_("Entry"), "entry": N_("The entry as it should read (YAML)"), "reason": N_("Why"),
          "document": N_("Source document"), "quote": N_("Its words (quoted)")}


def own_entries(events: Sequence[Event], party: str, since: str | None) -> list[Event]:
    """The entries a delegation recorded itself, as they now read (``since``: see ``clearance.written_by``)."""
    return [e for e in events if written_by(e, since) == party and not isinstance(e, EntryCorrected | EntryRetracted)]


def as_written(event: Event) -> str:
    """An entry as a record file writes it, to be corrected in place: every field but the store's own."""
    fields = {k: v for k, v in msgspec.to_builtins(event).items() if k not in ("id", "recorded", "writer")}
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


def prefilled(events: Sequence[Event], party: str, since: str | None, correct: str | None,
              withdraw: str | None) -> Chosen | None:
    """The correction form holding one of the delegation's entries as it reads now, or the withdrawal form
    naming it (``/delegation?correct=ID``, ``?withdraw=ID``, the links on the entry's own page)."""
    own = {e.id: e for e in own_entries(events, party, since)}
    if correct in own:
        return Chosen("entry_corrected", {"target": [correct], "entry": [as_written(own[correct])]})
    if withdraw in own:
        return Chosen("entry_retracted", {"target": [withdraw]})
    return None


def body(kind: str, chosen: Chosen, events: Sequence[Event]) -> dict[str, Any]:
    """The API request body of a correction or a withdrawal form."""
    text = chosen.text
    target = next((e for e in events if e.id == text("target")), None)
    data: dict[str, Any] = {"target": text("target"), "reason": text("reason")}
    if target is not None:
        data.update(date=target.date, classification=msgspec.to_builtins(target.classification))
    if text("document"):
        data["source"] = {"document": text("document"), "quote": text("quote")}
    if kind == "entry_corrected":
        entry = written_entry(text("entry"))
        entry.setdefault("kind", kind_of(target) if target is not None else None)
        entry["id"] = text("target")
        data["entry"] = entry
        if isinstance(entry.get("date"), str):
            data["date"] = entry["date"]
    return data
