"""What each viewer sees, held by the service and kept up to date from the store's position.

The service keeps the whole record once (in the order it was recorded) and,
for each viewer that has asked (the public, each party, the secretariat), a
`Seen`: the events that viewer may see, their tag (the ETag of every read),
what they fold into and the views already computed from them.  Catching up
decodes only the entries recorded after the position held, so a read costs a
query for the tail, not a replay.

Visibility is decided by ``clearance`` as always, before anything is folded.
A new entry that is an ordinary one is judged alone (``cleared``, against who
is party to what); an entry that changes what a viewer may see of earlier
ones (an amended classification, a signature or an accession, which make
entries classified for an instrument's parties visible, a correction or a retraction) rebuilds the views it
touches with ``visible`` over the whole record.  A `Seen` is never changed once
handed out: a newer one replaces it, so a reader computes from one consistent
view while writers go on.

A view on a day before some dated amendment holds (``since``) is another
`Seen`, kept beside the viewer's view of now and caught up the same way: one
for each span between the days dated amendments hold from, made when a read
asks for a day in it.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from entente import replay
from entente.record.salted import without
from entente.replay import revisions
from entente.replay.chunked import Chunked
from entente.secretariat.admission import numbered
from entente.secretariat.clearance import AMENDING, Viewer, cleared, instrument_parties, visible
from entente.secretariat.related import Related
from entente.secretariat.sharing import share
from entente.views.reports import tag_line, tag_lines, tag_of
from entente.vocabulary.events import (
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    FieldErased,
    InstrumentAcceded,
    InstrumentSigned,
)
from entente.vocabulary.stored import of_kinds

# The seam to replay: what a viewer's visible events fold into (the dated state the rules read),
# computed once per view of the record; and that fold carried on with entries added after it.
Fold = Callable[[Sequence[Event]], Any]
Extend = Callable[[Any, Sequence[Event]], Any]

# Entries after a position, at most so many: a store's (or a transaction's) ``read``.
Reader = Callable[[int, int], list[tuple[int, Event]]]
CHUNK = 50_000  # entries decoded at a time when catching up: bounds the memory a long replay takes at once
_CACHED_VIEWS = 64  # computed views kept per viewer: each distinct read (path and query) is one


@dataclass
class Seen:
    """One viewer's view of the record as of one position: never changed once made."""

    viewer: Viewer
    events: Sequence[Event]  # visible, in the order recorded (chunked once a write has extended it)
    digest: Any  # sha256 over each visible entry's id and record time: its hex is the tag
    fold: Fold
    extend: Extend | None = None
    # The fold of an earlier view of this viewer, and the entries added since: this view's fold is that
    # one carried on, rather than the whole record folded again.
    _base: tuple[Any, list[Event]] | None = None
    _folded: Any = None
    _views: dict[Any, Any] = field(default_factory=dict)
    # The views earlier views of this viewer kept that can be carried on (``view``'s ``carry``), each with the
    # entries added since it was made: such a view is carried on over those entries rather than worked out from
    # the whole record, however many writes ago it was last asked for.
    _carried: dict[Any, tuple[Any, list[Event]]] = field(default_factory=dict)
    _carriable: dict[Any, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def tag(self) -> str:
        return tag_of(self.digest.copy())

    @property
    def is_folded(self) -> bool:
        """Whether the fold is made (asked without waiting for it)."""
        return self._folded is not None

    @property
    def folding(self) -> bool:
        """Whether the fold is being made now (asked without waiting for it)."""
        return self._folded is None and self._lock.locked()

    @property
    def folded(self) -> Any:
        """The fold of the visible events (by default: replay's dated state), computed once."""
        with self._lock:
            if self._folded is None:
                if self._base is not None and self.extend is not None:
                    self._folded = self.extend(*self._base)
                else:
                    self._folded = self.fold(self.events)
                    if len(self.events) >= CHUNK:
                        # Held while the view is: out of the cyclic collector's sight, as the record is, so a
                        # full collection does not walk a large fold and hold up every request meanwhile.
                        gc.freeze()
                self._base = None
            return self._folded

    def followed_by(self, added: list[Event], digest: Any) -> Seen:
        """This view with ``added`` (ordinary entries, all visible to the viewer) after it."""
        if self._folded is not None:
            base: tuple[Any, list[Event]] | None = (self._folded, added)
        elif self._base is not None and len(self._base[1]) < CHUNK:  # not folded yet either: from the same fold
            base = (self._base[0], self._base[1] + added)
        else:
            base = None
        with self._lock:
            # Those not asked for since carried further, the most recently made last, as many as a view keeps.
            carried = {key: (value, since + added) for key, (value, since) in self._carried.items()
                       if key not in self._carriable and len(since) + len(added) < CHUNK}
            carried |= {key: (value, added) for key, value in self._carriable.items()}
            carried = dict(list(carried.items())[-_CACHED_VIEWS:])
        return Seen(self.viewer, Chunked.of(self.events).appended(added), digest, self.fold, self.extend, base,
                    _carried=carried)

    def view(self, key: Any, compute: Callable[[], Any],
             carry: Callable[[Any, list[Event]], Any] | None = None) -> Any:
        """A view of these events, computed once for each key while the record stays as it is (of more than
        ``_CACHED_VIEWS`` keys, the one asked for least lately is let go).  With ``carry``
        (the view, and entries after it, to the view with them): after a write, the view the earlier view kept
        carried on over the entries added, rather than computed from the whole record."""
        with self._lock:
            if key in self._views:
                # Asked again: the last to be let go, so a view every read builds on (the search's index, say)
                # outlives the many views made once.
                self._views[key] = value = self._views.pop(key)
                return value
            earlier = self._carried.get(key) if carry is not None else None
        value = compute() if earlier is None or carry is None else carry(*earlier)
        with self._lock:
            if len(self._views) >= _CACHED_VIEWS:
                self._views.pop(next(iter(self._views)))
            self._views[key] = value
            if carry is not None:
                self._carriable[key] = value
        return value

    def kept(self, key: Any) -> Any | None:
        """The view computed for ``key`` already, or None: looked up without computing anything."""
        with self._lock:
            return self._views.get(key)

    def with_added(self, added: Sequence[Event], parties_of: dict[str, set[str]]) -> str:
        """The tag this view would have with ``added`` appended, each an ordinary entry."""
        digest = self.digest.copy()
        for event in added:
            if cleared(event, self.viewer, parties_of):
                digest.update(tag_line(event))
        return tag_of(digest)


def _rebuilds(event: Event) -> Callable[[Viewer], bool] | None:
    """Which viewers an entry changes the view of beyond itself, or None when it changes none."""
    if isinstance(event, ClassificationAmended | EntryCorrected | EntryRetracted | FieldErased):
        return lambda _viewer: True  # an earlier entry now reads, or is classified, otherwise
    if isinstance(event, InstrumentSigned | InstrumentAcceded):
        return lambda viewer: viewer.kind == "party"
    return None


_BEFORE_ALL = "0001-01-01"  # a day before any a record is dated in: no dated amendment holds yet


def _followed(old: Seen, added: list[Event]) -> Seen:
    digest = old.digest.copy()
    digest.update(tag_lines(added))
    return old.followed_by(added, digest)


class Projections:
    """The record and each viewer's view of it, caught up on demand from a reader of the store."""

    def __init__(self, fold: Fold = replay.fold, extend: Extend | None = replay.extended) -> None:
        self.fold, self.extend = fold, extend
        self.position = 0
        self.record: list[Event] = []
        self.parties_of: dict[str, set[str]] = {}
        self.amended: set[str] = set()
        self._seen: dict[Viewer, Seen] = {}
        # Views on a day before a dated amendment holds, by viewer and the first day of their span ("" before all).
        self._on_day: dict[tuple[Viewer, str], Seen] = {}
        self.days: list[str] = []  # the days dated amendments hold from, sorted
        # For each viewer that writes: what it sees, indexed for a new entry's own checks (kept up to date
        # in place: they are made inside an append's transaction, when no other entry can come in).
        self._related: dict[Viewer, Related] = {}
        # The whole record's conferences by (instrument, series, number), made when a numbered one is first
        # written (to find one recorded with its number that its writer cannot see), then kept up to date.
        self._numbered: dict[tuple[str | None, str | None, int], list[Event]] | None = None
        self._lock = threading.RLock()

    def start(self, position: int, record: list[Event]) -> None:
        """Begin from a snapshot: the record up to ``position``, its repeated strings held once as it was read
        (``stored_once``)."""
        with self._lock:
            self.position, self.record = position, list(record)
            self.parties_of = instrument_parties(self.record)
            self.amended = {e.target for e in of_kinds(self.record, AMENDING) if isinstance(e, ClassificationAmended)}
            self.days = revisions.dated_days(list(of_kinds(self.record, AMENDING)))
            self._seen.clear()
            self._on_day.clear()
            self._related.clear()
            self._numbered = None
        if len(record) >= CHUNK:
            gc.freeze()  # held for the service's life, as after a long catch-up: later collections skip it

    def catch_up(self, read: Reader, tick: Callable[[int], None] | None = None) -> int:
        """Fold in the entries recorded after the position held, a chunk at a time; how many there were."""
        # The store is read outside the lock, so no reader waits for a connection while holding it (a
        # writer holds its connection while it waits for the lock); what another caught up meanwhile is skipped.
        count = 0
        while True:
            tail = read(self.position, CHUNK)
            with self._lock:
                new = [(p, e) for p, e in tail if p > self.position]
                if new and new[0][0] == self.position + 1:
                    self._extend([e for _, e in new], new[-1][0])
                    count += len(new)
            if tick is not None:
                tick(len(tail))
            if len(tail) < CHUNK:
                if count >= CHUNK:
                    # What is held now is held for the service's life: moved out of the collector's sight,
                    # later collections do not walk the whole record again.
                    gc.freeze()
                return count

    def seen(self, viewer: Viewer, read: Reader | None = None, at: str | None = None) -> Seen:
        """What ``viewer`` sees now (after catching up through ``read``, when given); with ``at``, what it
        could know on that day (``visible``)."""
        if read is not None:
            self.catch_up(read)
        with self._lock:
            span = self.span(at)
            if span is not None:
                found = self._on_day.get((viewer, span))
                if found is None:
                    found = self._on_day[(viewer, span)] = self._build(viewer, span or _BEFORE_ALL)
                return found
            found = self._seen.get(viewer)
            if found is None:
                found = self._seen[viewer] = self._build(viewer)
            return found

    def span(self, at: str | None) -> str | None:
        """The first day of the span of days ``at`` falls in, between the days dated amendments hold from
        ("" before the first); None where every amendment holds, as now."""
        if at is None:
            return None
        with self._lock:
            k = bisect_right(self.days, at)
            return None if k == len(self.days) else (self.days[k - 1] if k else "")

    def held(self, viewer: Viewer, at: str | None = None) -> Seen | None:
        """What ``viewer`` sees as of the position held (on day ``at``), if it was asked for before (None: not
        made yet)."""
        with self._lock:
            span = self.span(at)
            return self._seen.get(viewer) if span is None else self._on_day.get((viewer, span))

    def making(self) -> bool:
        """Whether a view is being made now, or the record caught up: asked without waiting for either."""
        if not self._lock.acquire(blocking=False):
            return True
        try:
            views = [*self._seen.values(), *self._on_day.values()]
        finally:
            self._lock.release()
        return any(seen.folding for seen in views)

    def related(self, viewer: Viewer) -> Related:
        """What ``viewer`` sees now, indexed for the checks of an entry it writes."""
        with self._lock:
            found = self._related.get(viewer)
            if found is None:
                found = self._related[viewer] = Related(self.seen(viewer).events)
            return found

    def numbered_as(self, event: Event) -> list[Event]:
        """The conferences of the whole record numbered as ``event`` is in its series (none if it is not numbered)."""
        key = numbered(event)
        if key is None:
            return []
        with self._lock:
            if self._numbered is None:
                self._numbered = {}
                self._index(self.record)
            return list(self._numbered.get(key, ()))

    def _index(self, events: Sequence[Event]) -> None:
        if self._numbered is not None:
            for e in events:
                if (key := numbered(e)) is not None:
                    self._numbered.setdefault(key, []).append(e)

    def _build(self, viewer: Viewer, at: str | None = None) -> Seen:
        events = visible(self.record, viewer, at=at)
        return Seen(viewer, events, hashlib.sha256(tag_lines(events)), self.fold, self.extend)

    def _extend(self, tail: list[Event], position: int) -> None:
        for erasure in (e for e in tail if isinstance(e, FieldErased)):
            # The record held here has the value the store erased: it goes here too, for every viewer.
            self.record = [without(e, erasure.field) if e.id == erasure.target else e for e in self.record]
            self._numbered = None
        share(tail)
        self.record += tail
        self.position = position
        self._index(tail)
        tests = [t for e in tail if (t := _rebuilds(e)) is not None]
        new_parties = instrument_parties(tail)
        for instrument, parties in new_parties.items():
            self.parties_of.setdefault(instrument, set()).update(parties)
        amending = list(of_kinds(tail, AMENDING))
        self.amended.update(e.target for e in amending if isinstance(e, ClassificationAmended))
        if days := revisions.dated_days(amending):
            self.days = sorted({*self.days, *days})
            self._on_day.clear()  # the spans moved: each is made again when a read asks for it
        # An entry recorded after an amendment that names it would take the amended classification.
        touched = any(e.id in self.amended for e in tail)
        for viewer, old in list(self._seen.items()):
            if touched or any(test(viewer) for test in tests):
                self._seen[viewer] = self._build(viewer)
                self._related.pop(viewer, None)
                continue
            added = [e for e in tail if cleared(e, viewer, self.parties_of)]
            if not added:
                continue  # nothing new for this viewer: its view, and the views computed from it, stand
            if (related := self._related.get(viewer)) is not None:
                for event in added:
                    related.add(event)
            self._seen[viewer] = _followed(old, added)
        for (viewer, span), old in list(self._on_day.items()):
            if touched or any(test(viewer) for test in tests):
                self._on_day[(viewer, span)] = self._build(viewer, span or _BEFORE_ALL)
            elif added := [e for e in tail if cleared(e, viewer, self.parties_of)]:
                self._on_day[(viewer, span)] = _followed(old, added)

    def tag_after(self, viewer: Viewer, added: Sequence[Event]) -> str:
        """The tag ``viewer`` will see once ``added`` is recorded after the position held."""
        with self._lock:
            seen = self.seen(viewer)
            if not any(_rebuilds(e) or e.id in self.amended for e in added):
                parties_of = {k: set(v) for k, v in self.parties_of.items()}
                for instrument, parties in instrument_parties(added).items():
                    parties_of.setdefault(instrument, set()).update(parties)
                return seen.with_added(added, parties_of)
            return tag_of(hashlib.sha256(tag_lines(visible([*self.record, *added], viewer))))
