"""Which version of each entry counts: the record with its corrections, retractions and amendments applied.

The record is append-only, so an entry is never changed in place: a later
``entry_corrected`` gives the entry as it should read, an ``entry_retracted``
withdraws it, a ``classification_amended`` changes who may see it.  Applied in
the order they were recorded, the latest act on an entry wins.  What views see
is the current version of each entry, where the original stood; the acts
themselves are left out, and ``history`` gives every version of one entry.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from entente.vocabulary import dates
from entente.vocabulary.events import (
    Classification,
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
)
from entente.vocabulary.stored import with_twins

# The kinds that act on an earlier entry (looked up by type: a record without any is handed on as it is).
_ACTS = frozenset(with_twins(dict.fromkeys((EntryCorrected, EntryRetracted, ClassificationAmended))))


class Version(msgspec.Struct, kw_only=True):
    """One version of an entry: the entry as it then read, and the act that made it (None for the original)."""

    entry: Event | None  # None: the act retracted the entry
    act: Event | None = None

    @property
    def recorded(self) -> str | None:
        """When this version was recorded: by its act, or, for the original, with the entry."""
        made = self.act or self.entry
        return made.recorded if made else None


def current(events: Sequence[Event], at: str | None = None) -> list[Event]:
    """The current version of every entry, in the order the originals were recorded; with ``at``, each
    classified as the amendments in force on that day leave it (``in_force``)."""
    if _ACTS.isdisjoint(map(type, events)):
        return list(events)
    return [e for e in _latest(events, at)[0].values() if e is not None]


def in_force(amendment: ClassificationAmended, at: str | None) -> bool:
    """Whether ``amendment`` classifies its target on day ``at``: one with no ``since`` on every day, a dated one
    from the last day of its ``since`` on (so a year counts once it is certainly past); every one if ``at`` is None."""
    return at is None or amendment.since is None or dates.end(amendment.since) <= at


def dated_days(events: Sequence[Event]) -> list[str]:
    """The days from which dated amendments hold, sorted and once each: a view's classifications change only
    on these days."""
    return sorted({dates.end(e.since) for e in events if isinstance(e, ClassificationAmended) and e.since})


def last_classifications(events: Sequence[Event]) -> dict[str, Classification]:
    """How every entry is classified now, a retracted one as it was when it was withdrawn.

    A read of the record as it stood before a retraction shows the entry again, under the restriction
    it ended with, so asking about the past never shows what its latest classification hides.
    """
    return current_and_classified(events)[1]


def current_and_classified(events: Sequence[Event]) -> tuple[list[Event], dict[str, Classification]]:
    """``current`` and ``last_classifications`` of one walk through the record."""
    latest, withdrawn = _latest(events)
    now = [e for e in latest.values() if e is not None]
    return now, {e.id: e.classification for e in withdrawn.values()} | {e.id: e.classification for e in now}


def _latest(events: Sequence[Event], at: str | None = None) -> tuple[dict[str, Event | None], dict[str, Event]]:
    """The latest version of each entry (None once retracted), and the version each retracted one had last."""
    latest: dict[str, Event | None] = {}
    withdrawn: dict[str, Event] = {}
    for e in events:
        if isinstance(e, EntryCorrected) and e.target in latest:
            # The version counts from when its correction was recorded: a view's tag moves with it.  It stays
            # the entry its writer recorded: the original's writer alone may revise it again.
            before = latest[e.target] or withdrawn.get(e.target)
            latest[e.target] = msgspec.structs.replace(e.entry, recorded=e.recorded,
                                                       writer=before.writer if before else e.entry.writer)
        elif isinstance(e, EntryRetracted) and e.target in latest:
            if (last := latest[e.target]) is not None:
                withdrawn[e.target] = last
            latest[e.target] = None
        elif isinstance(e, ClassificationAmended) and (target := latest.get(e.target)) is not None:
            if in_force(e, at):
                latest[e.target] = msgspec.structs.replace(target, classification=e.to)
            latest[e.id] = e
        elif not isinstance(e, EntryCorrected | EntryRetracted):
            latest[e.id] = e
    return latest, withdrawn


def history(events: Sequence[Event], entry_id: str) -> list[Version]:
    """Every version of one entry, oldest first: the original, then each correction or retraction."""
    versions: list[Version] = []
    for e in events:
        if e.id == entry_id and not versions:
            versions.append(Version(entry=e))
        elif versions and isinstance(e, EntryCorrected) and e.target == entry_id:
            versions.append(Version(entry=e.entry, act=e))
        elif versions and isinstance(e, EntryRetracted) and e.target == entry_id:
            versions.append(Version(entry=None, act=e))
    return versions
