"""The imperative shell: opens a union's store and keeps it loaded with the union's bundled record."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import cast

import msgspec

from entente.record import ConflictError, Store, Transaction, open_store
from entente.record.migrations import WRITERS_SINCE
from entente.record.salted import NotErasable
from entente.record.store import Appended, content
from entente.replay import revisions
from entente.rules import Finding, read_treaties
from entente.secretariat import answers, snapshots
from entente.secretariat.admission import Problem, admit, clash, said_problem
from entente.secretariat.clearance import (
    Viewer,
    amended_past_acts,
    instrument_parties,
    own_ids,
    visible,
    visible_history,
    why_not_written,
)
from entente.secretariat.folder_checks import check_treaties
from entente.secretariat.loading import Loader, checked_record
from entente.secretariat.projections import Projections, Seen
from entente.uncollected import uncollected
from entente.views.days import day_for
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, load_union, read_events
from entente.vocabulary.events import (
    AnyEvent,
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    FieldErased,
)
from entente.vocabulary.said import Value, said
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union

# A snapshot is kept once this many entries came after the last one.
SNAPSHOT_EVERY = 1000
# Told of each entry as a long load checks it, to show progress.
Progress = Callable[[int], None]
# Shows the progress of long work: (what, how many) -> a context giving the ``Progress`` to tell.
ShowProgress = Callable[[str, int], AbstractContextManager[Progress]]
LONG_REPLAY = 50_000  # a replay of this many entries or more shows its progress


_BEFORE_ALL = "0001-01-01"  # a day before any a record is dated in: no dated amendment holds yet


def _ahead(event: Event) -> list[Problem]:
    """A dated amendment whose day is still to come: refused, since each viewer's log takes what it reveals
    when it is recorded.  Record a publication once it has happened."""
    if isinstance(event, ClassificationAmended) and event.since is not None:
        try:
            last = dates.end(event.since)
        except dates.DateError:
            return []  # said by the entry's own checks
        if last > date.today().isoformat():
            told = said("%(since)s is not past yet (it ends on %(last)s): record the amendment on or after that day",
                        since=event.since, last=last)
            return [msgspec.structs.replace(said_problem("since", told), entry=event.id)]
    return []


class WrongUnion(ValueError):
    pass


class Refused(Exception):
    """A write that is not recorded: forbidden to the writer, or against the record or the treaty."""

    def __init__(self, problems: list[Problem], *, forbidden: bool = False) -> None:
        self.problems, self.forbidden = problems, forbidden
        super().__init__("; ".join(p.message for p in problems))


def as_written_by(event: Event, viewer: Viewer) -> Event:
    """An entry as the record keeps it: naming the delegation that writes it (``writer``), or none for the
    secretariat, whatever the writer sent.  A delegation's entry has its id under the delegation's own prefix
    ("lv.…"), so it can never collide with, and so learn of, an entry it may not see, and the delegation as its
    actor unless it names one.  A correction's new version names no writer: it stays its original's."""
    if isinstance(event, EntryCorrected) and event.entry.writer is not None:
        event = msgspec.structs.replace(event, entry=msgspec.structs.replace(event.entry, writer=None))
    if viewer.party is None:
        return event if event.writer is None else msgspec.structs.replace(event, writer=None)
    prefix = f"{viewer.party.lower()}."
    return msgspec.structs.replace(event, id=event.id if event.id.startswith(prefix) else prefix + event.id,
                                   actor=event.actor or viewer.party, writer=viewer.party)


def under_a_delegations_prefix(event: Event, union: Union) -> list[Problem]:
    """An id the secretariat may not give: one under a delegation's prefix ("lv.…"), which names that delegation's
    own entries, so a delegation's next entry could not collide with, and so learn of, one it may not see."""
    prefix = event.id.partition(".")[0]
    if "." in event.id and union.party(prefix.upper()) is not None:
        told = said("%(id)s is under the prefix %(prefix)s., which names the entries %(party)s's delegation records "
                    "itself: choose an id without it", id=event.id, prefix=prefix, party=prefix.upper())
        return [msgspec.structs.replace(said_problem("id", told), entry=event.id)]
    return []


def revised(recorded: Sequence[Event], entries: Sequence[Event], file: str,
            earlier_ids: Collection[str] = ()) -> list[Event]:
    """What a record file adds to a store made from an earlier edition of it: its new entries, a correction for
    each entry that now reads differently, and a retraction of each entry an earlier edition held (``earlier_ids``)
    that this one no longer does; each act states its reason, and the earlier version stays in the history.

    An entry no edition of the file held is left as it is: it was recorded otherwise.  The secretariat's
    classification amendments are not differences the file would undo: a correction of an entry the secretariat
    has reclassified keeps the classification it was given.
    """
    now = {e.id: e for e in revisions.current([e for e in recorded if not isinstance(e, ClassificationAmended)])}
    amended = revisions.last_classifications(recorded)
    out: list[Event] = []
    for entry in entries:
        earlier = now.get(entry.id)
        if earlier is None:
            out.append(entry)
        elif content(earlier) != content(entry):
            digest = hashlib.sha256(content(entry)).hexdigest()[:10]
            if (given := amended[entry.id]) != earlier.classification:
                entry = msgspec.structs.replace(entry, classification=given)
            out.append(EntryCorrected(
                id=f"{entry.id}.correction-{digest}", date=entry.date, target=entry.id, entry=cast(AnyEvent, entry),
                classification=entry.classification, source=entry.source,
                reason=f"revised in the union's record file ({file}): {_changed(earlier, entry)}"))
    kept = {e.id for e in entries}
    for gone in (now[i] for i in earlier_ids if i in now and i not in kept):
        digest = hashlib.sha256(content(gone)).hexdigest()[:10]
        out.append(EntryRetracted(id=f"{gone.id}.retraction-{digest}", date=gone.date, target=gone.id,
                                  classification=gone.classification, source=gone.source,
                                  reason=f"taken out of the union's record file ({file})"))
    return out


def bundled_before(recorded: Sequence[Event], file: str, current: Collection[str]) -> set[str]:
    """The ids the record file put in a store made before each edition's ids were kept with it.

    Such a store's first append is the file's first edition: a store is opened, and its record file loaded,
    before anything else can be written to it.  A later edition was appended with its corrections, each giving
    the file as its reason, in one append (one record time): that append's new entries came from the file too.
    An entry recorded any other way is in neither, so it is never taken for one of the file's.  A first append
    that holds none of the ids the file (``current``) holds now was not an edition of it: a store written to
    before the file was first loaded keeps what was written.
    """
    if not recorded:
        return set()
    revising = f"revised in the union's record file ({file})"
    first = recorded[0].recorded
    editions = {e.recorded for e in recorded
                if isinstance(e, EntryCorrected) and e.reason.startswith(revising)}
    if any(e.recorded == first and e.id in current for e in recorded):
        editions.add(first)
    return {e.id for e in recorded if e.recorded in editions and not isinstance(e, EntryCorrected | EntryRetracted)}


def erase(txn: Transaction, event: FieldErased) -> None:
    """The erasure ``event`` records, made inside its append's transaction: the value goes, its digest stays,
    and the record's snapshot and the kept answers, which may hold the value, are dropped (the next ones are made
    without it)."""
    try:
        txn.store.erase(txn.cursor, event.target, event.field)
    except NotErasable as exc:
        raise Refused([Problem(field="field", message=str(exc))]) from None
    txn.cursor.execute(txn.store._sql("DELETE FROM snapshots WHERE name = ? OR name LIKE ?"),
                       (snapshots.NAME, answers.PREFIX + "%"))


def _changed(earlier: Event, entry: Event) -> str:
    """The fields that read differently, named, so a correction says what it corrects."""
    before, after = msgspec.to_builtins(earlier), msgspec.to_builtins(entry)
    fields = sorted(k for k in before.keys() | after.keys() if k != "recorded" and before.get(k) != after.get(k))
    return f"{', '.join(fields) or 'its encoding'} changed"


def _pairs(problems: list[Problem]) -> list[tuple[str, Value]]:
    """Problems as (field, message) for a record file's error, naming the rule and article where one refuses; the
    message as data where the problem gives it so, to be said in the reader's language."""
    return [(p.field, said("%(problem)s (%(rule)s, article %(article)s of %(instrument)s)",
                           problem=p.told or p.message, rule=p.rule, article=p.article or "",
                           instrument=p.instrument or "") if p.rule else p.told or p.message)
            for p in problems]


def _same_entry(recorded: Event, sent: Event) -> bool:
    """Whether a retry sends the entry recorded under its key (the id aside, which the service may assign)."""
    def bare(e: Event) -> Event:
        return msgspec.structs.replace(e, id="x", recorded=None)

    return bare(recorded) == bare(sent)


class Recorded(msgspec.Struct, kw_only=True):
    """The answer to a write: the event as recorded, the writer's view tag after it, and the findings it brought."""

    event: AnyEvent
    tag: str
    findings: list[Finding] = []
    replayed: bool = False  # True when this answers a retry of an earlier write


class Secretariat:
    """A union's definition, its record store, and what each viewer sees of the record, kept up to date."""

    def __init__(self, union: Union, store: Store, treaties: dict[str, Treaty], *,
                 snapshot_every: int = SNAPSHOT_EVERY) -> None:
        self.union, self.store, self.treaties = union, store, treaties
        self._projections: Projections | None = None
        self.snapshot_every = snapshot_every
        self.progress: ShowProgress | None = None
        self._snapshot_at = 0
        self._read_at: int | None = None  # the store's stamp when the projections were last caught up
        self._bundled = False  # whether this opening recorded the union's bundled record
        self._writers_since: str | None = None

    @property
    def projections(self) -> Projections:
        """What each viewer sees, begun from the kept snapshot when first asked for: a command or a server's
        supervisor that never reads the record does not decode it."""
        if self._projections is None:
            projections = Projections()
            kept = snapshots.load(self.store, self.union.folder)  # its repeated strings held once as read
            if kept is not None:
                self._snapshot_at = kept[0]
                projections.start(*kept)
            self._projections = projections
        return self._projections

    def begin(self) -> None:
        """Read the kept snapshot now, not at the first read, to hold it for long: a server does it before it
        answers."""
        assert self.projections is not None

    @classmethod
    def open(cls, db: str, union_folder: Path = DEFAULT_UNION, *, snapshot_every: int = SNAPSHOT_EVERY,
             store: Store | None = None, pooled: bool = True) -> Secretariat:
        """The union of ``union_folder`` and its record in the store at ``db`` (or ``store``, opened there
        already; ``pooled``: as ``open_store`` opens it)."""
        union = load_union(union_folder)
        treaties = read_treaties(union_folder)
        check_treaties(union, treaties)
        secretariat = cls(union, store if store is not None else open_store(db, pooled=pooled), treaties,
                          snapshot_every=snapshot_every)
        secretariat._claim()
        secretariat.load_bundled()
        return secretariat

    def _claim(self) -> None:
        """A store holds one union's record: the first union to open it claims it."""
        self.store.set_meta("union", self.union.id)
        holder = self.store.meta("union")
        if holder != self.union.id:
            raise WrongUnion(f"this store holds the record of {holder!r}, not {self.union.id!r}")

    def load_bundled(self) -> list[Event]:
        """Load the union's own record file once; later runs see it is unchanged and skip the work."""
        path = Path(self.union.folder) / "record.yaml"
        key = f"loaded:{path.name}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
        if self.store.meta(key) is not None or self.store.read_only:
            return []
        # Idempotent, should two processes race here: the same file gives the same entries and corrections.
        record = checked_record(self.union, self.treaties, path)
        # The ids each edition held, kept with it: an entry a later edition leaves out is retracted, not kept.
        kept = self.store.metas(f"bundled:{path.name}:")
        if record or kept or self.store.holds_kind("entry_corrected"):
            recorded = self.store.events()
            earlier = ({i for value in kept.values() for i in json.loads(value)} if kept
                       else bundled_before(recorded, path.name, {e.id for e in record}))
            added = self.store.append(revised(recorded, record, path.name, earlier)).events
        else:  # no entry to add, and no earlier edition to take one out of (its ids kept, or its corrections)
            added = []  # found without reading the record: on a store of entries recorded otherwise, all of them
        self.store.set_meta(f"bundled:{path.name}:{key.rsplit(':', 1)[1]}", json.dumps(sorted(e.id for e in record)))
        self.store.set_meta(key, "1")
        self._bundled = bool(added)
        return added

    def load_file(self, path: Path, progress: Progress | None = None,
                  recorded: Callable[[Appended], None] | None = None) -> Appended:
        """Record a file of events as the secretariat, each checked as a write is, after those before it: what
        was appended (the entries as stored; not their rows, let go of as they were written).  ``recorded``:
        called with it as soon as it is recorded, before the service takes it up.

        The file is read and checked inside the append's transaction, against the record as it is there,
        so no other writer can slip an entry in between the checks and the append.  A refusal names the
        file, the line and the entry, and nothing of the file is recorded.
        """
        def check(txn: Transaction) -> None:
            self.projections.catch_up(txn.read)
            loader = Loader(self.union, self.treaties, self.projections.record, progress)
            events[:] = read_events(path, self.union,
                                    lambda event, _earlier: _pairs(_ahead(event) or loader.check(event)), own=False)
            refused = loader.judge(events)
            if refused:  # read again, to stop at the entry blamed with its line
                first = refused[0]
                read_events(path, self.union, lambda event, _earlier: _pairs([first]) if event.id == first.entry
                            else [])
                raise Refused(refused)  # not reached while the blamed entry is one of the file's

        events: list[Event] = []  # filled by the check, inside the transaction
        with uncollected():  # entries by the thousand, each making objects that hold no cycle
            # The file's entries as read, each let go once written: what follows uses them as stored.  Nor are
            # the rows held once written: a file of a million entries held them by the gigabyte.
            appended = self.store.append(events, check=check, handed_over=True)
            if recorded is not None:
                recorded(appended)
            self.projections.catch_up(appended.read)  # held already, as stored: not read and decoded again
        self._snapshot_if_due()
        return appended

    def load_events(self, events: Sequence[Event], progress: Progress | None = None) -> list[Event]:
        """Record entries as the secretariat, each checked as a write is, after those before it; a refusal
        names the entry, and nothing of the batch is recorded."""
        def check(txn: Transaction) -> None:
            self.projections.catch_up(txn.read)
            loader = Loader(self.union, self.treaties, self.projections.record, progress)
            for event in events:
                if problems := _ahead(event) or loader.check(event):
                    raise Refused([msgspec.structs.replace(p, entry=event.id) for p in problems])
            if refused := loader.judge(events):
                raise Refused(refused)

        with uncollected():  # entries by the thousand, each making objects that hold no cycle
            appended = self.store.append(events, check=check)
            self.projections.catch_up(appended.read)  # held already, as stored: not read and decoded again
        self._snapshot_if_due()
        return appended.events

    def record(self, event: Event, viewer: Viewer, *, key: str | None = None,
               if_match: str | None = None) -> Recorded:
        """Check a new entry against who writes it, the record and the treaty, then append it.

        The checks run inside the append's transaction, against the record as the append
        extends it, so two writers can never both pass a check that the pair of them breaks.
        Refusals are written to the audit trail and nothing is recorded.  With
        ``key``, a retry of the same write records nothing and gets the same answer (looked up
        in the same transaction, so concurrent retries all get the one answer); keys are the
        writer's own, so another viewer's key never answers with an entry it may not see.  With
        ``if_match``, the write goes through only if the writer's view still has that tag.
        """
        event = as_written_by(event, viewer)
        key = None if key is None else f"{viewer}:{key}"
        findings: list[Finding] = []
        hidden: list[Event] = []
        if isinstance(event, FieldErased) and viewer.kind == "secretariat":
            event = self._erasure(event)

        def check(txn: Transaction) -> None:
            seen = self.projections.seen(viewer, txn.read)
            related = self.projections.related(viewer)
            # Checked against what the writer may see, so a refusal cannot reveal a record it is not cleared for.
            own = self.own_ids(viewer, seen)
            reason = why_not_written(viewer, event, instrument_parties(related.acts), own)
            if reason is not None:
                raise Refused([said_problem("actor", reason)], forbidden=True)
            if viewer.kind == "secretariat" and (prefixed := under_a_delegations_prefix(event, self.union)):
                raise Refused(prefixed)
            # The tag of the writer's view now, or of its view on the day its reads judge by default.
            if if_match is not None and if_match not in (seen.tag, self._on_default_day(viewer)[0].tag):
                raise ConflictError("the record has changed since you read it: read it again and retry")
            if isinstance(event, FieldErased):
                erase(txn, event)
                return
            if isinstance(event, ClassificationAmended) and (why := amended_past_acts(
                    event, self.projections.record, related.parties_of)) is not None:
                raise Refused([said_problem("to", why)])
            if ahead := _ahead(event):
                raise Refused(ahead)
            admission = admit(self.union, self.treaties, seen.events, event, seen.folded, related)
            if admission.refused:
                raise Refused(admission.problems)
            findings[:] = admission.findings
            hidden[:] = [other] if (other := clash(event, self.projections.numbered_as(event))) is not None else []

        def answer(added: list[Event]) -> bytes:
            # Kept for a retry under ``key``, and returned now, so nothing is read again.
            done = Recorded(event=cast(AnyEvent, added[0] if added else event),
                            tag=self.projections.tag_after(viewer, added), findings=findings)
            return msgspec.json.encode(done)

        try:
            appended = self.store.append([event], key=key, check=check, answer=answer)
        except Refused as exc:
            self.store.audit(str(viewer), "refused", event.id, "; ".join(p.message for p in exc.problems))
            self.caught_up()
            raise
        if isinstance(event, FieldErased) and not appended.replayed:
            self.store.compact()
        if hidden:  # a clash with an entry the writer cannot see: told to the secretariat, never to the writer
            self.store.audit(str(viewer), "clash", event.id, f"numbered as {hidden[0].id}, which {viewer} cannot see")
        self.caught_up()
        assert appended.answer is not None
        done = msgspec.json.decode(appended.answer, type=Recorded)
        if not appended.replayed:
            return done
        if not _same_entry(done.event, event):
            raise Refused([said_problem("Idempotency-Key", said("this key was used for another entry; a retry must "
                                                                "send the same entry, a new entry a new key"))])
        return msgspec.structs.replace(done, replayed=True)

    def _erasure(self, event: FieldErased) -> FieldErased:
        """An erasure as it is recorded: classified as its target, so exactly those who saw the value learn
        that it went, and why."""
        target = self.store.get(event.target)
        if target is None or isinstance(target, FieldErased):
            raise Refused([said_problem("target", said("no entry %(entry)s holds personal data",
                                                       entry=repr(event.target)))])
        return msgspec.structs.replace(event, classification=target.classification)

    @property
    def writers_since(self) -> str | None:
        """The moment from which the store names each entry's writer (see ``clearance.written_by``)."""
        if self._writers_since is None:
            self._writers_since = self.store.meta(WRITERS_SINCE) or ""
        return self._writers_since or None

    def own_ids(self, viewer: Viewer, seen: Seen) -> frozenset[str]:
        """The ids of the entries ``viewer``, a delegation, recorded itself, of those it sees (kept with the view)."""
        if viewer.party is None:
            return frozenset()
        party, since = viewer.party, self.writers_since
        return cast(frozenset[str], seen.view(("own entries", party), lambda: own_ids(seen.events, party, since)))

    def seen(self, viewer: Viewer) -> Seen:
        """What ``viewer`` sees of the record now: caught up from the store, only the new entries decoded."""
        behind = self.store.position() - self.projections.position if self.progress is not None else 0
        if self.progress is not None and behind >= LONG_REPLAY:
            with self.progress("replaying the record", behind) as tick:
                self.projections.catch_up(self.store.read, tick)
        stamp = self.store.stamp()
        if stamp is None or stamp != self._read_at:
            self.projections.catch_up(self.store.read)
            # Taken before the tail was read, so the tail holds every entry committed before it.
            self._read_at = stamp
        return self.projections.seen(viewer)

    def caught_up(self) -> None:
        """Catch up with what a write has just committed (its entry, a line of the audit trail), before its
        answer goes: so the next read of anyone finds its view held and current, and costs the same after a
        write its viewer may not see as after none, whose time would otherwise tell it one was made."""
        stamp = self.store.stamp()
        if stamp is not None:
            self.projections.catch_up(self.store.read)
            self._read_at = stamp

    def held(self, viewer: Viewer) -> Seen | None:
        """What ``viewer`` sees now, if it is held already and nothing was committed since the store was
        read (asked of the store without reading the record); None when finding out means reading it."""
        stamp = self.store.stamp()
        return None if stamp is None or stamp != self._read_at else self.projections.held(viewer)

    def seen_on(self, viewer: Viewer, at: str | None = None) -> tuple[Seen, str]:
        """What ``viewer`` could know on the day asked, and that day: ``at`` as people write it (a month or a
        year: its last day), or by default today while the union stands, else the last day of the record as
        the viewer could know it then.

        The default day is found from the view before any dated amendment holds, then from the view on the
        day found, until the two agree: so a day is never given by an entry the viewer may not see on it."""
        self.seen(viewer)  # caught up with the store
        if at is not None:
            day = day_for(at, (), self.union, date.today()).day
            return self.projections.seen(viewer, at=day), day
        return self._on_default_day(viewer)

    def _on_default_day(self, viewer: Viewer) -> tuple[Seen, str]:
        """``seen_on`` the default day, from the projections as they are (caught up already)."""
        today = date.today()
        seen = self.projections.seen(viewer, at=_BEFORE_ALL)
        for _ in range(len(self.projections.days) + 1):
            day = self._default_day(seen, today)
            on_day = self.projections.seen(viewer, at=day)
            if on_day is seen:
                break
            seen = on_day
        return seen, day

    def held_on(self, viewer: Viewer, at: str | None = None) -> Seen | None:
        """``seen_on`` without reading the store or computing anything: None when that would be needed."""
        stamp = self.store.stamp()
        if stamp is None or stamp != self._read_at or at is not None:
            return None
        return self.held_now(viewer)

    def held_now(self, viewer: Viewer, at: str | None = None) -> Seen | None:
        """What ``seen_on`` gives on the record as held (not caught up from the store), if nothing needs
        computing for it: None otherwise."""
        if at is not None:
            return self.projections.held(viewer, day_for(at, (), self.union, date.today()).day)
        seen = self.projections.held(viewer, _BEFORE_ALL)
        while seen is not None:
            day = seen.kept(("default day", date.today().isoformat()))
            if day is None:
                return None
            on_day = self.projections.held(viewer, day)
            if on_day is seen:
                return seen
            seen = on_day
        return None

    def _default_day(self, seen: Seen, today: date) -> str:
        key = ("default day", today.isoformat())
        return cast(str, seen.view(key, lambda: day_for(None, seen.folded, self.union, today).day))

    def events_for(self, viewer: Viewer, known_at: str | None = None, at: str | None = None) -> Sequence[Event]:
        """What ``viewer`` may see of the record on day ``at`` (see ``seen_on``); with ``known_at``, of the
        record as it stood then, never more than the viewer may see of it now."""
        if known_at is None:
            return self.seen_on(viewer, at)[0].events
        events = self.store.events()
        today = date.today()
        if at is not None:
            return visible(events, viewer, known_at, at=day_for(at, (), self.union, today).day)
        days = revisions.dated_days(events)
        day = _BEFORE_ALL
        shown = visible(events, viewer, known_at, at=day)
        for _ in range(len(days) + 1):
            asked = day_for(None, shown, self.union, today).day
            if bisect_right(days, asked) == bisect_right(days, day):
                break
            day, shown = asked, visible(events, viewer, known_at, at=asked)
        return shown

    def history_for(self, viewer: Viewer, entry_id: str, known_at: str | None = None,
                    at: str | None = None) -> list[revisions.Version]:
        """Every version of one entry that ``viewer`` may see, oldest first (see ``events_for`` for ``known_at``),
        of an entry it could see on day ``at`` (by default the day ``seen_on`` finds)."""
        day = self.seen_on(viewer, at)[1]
        return visible_history(self.store.events(), viewer, entry_id, known_at, at=day)

    def _snapshot_if_due(self) -> None:
        """Keep a snapshot once enough entries came after the last one that a restart would replay them."""
        if self._projections is None and not self._bundled:  # nothing read or loaded: the snapshot kept stands
            return
        projections = self.projections
        if not self.store.read_only and self.store.position() - self._snapshot_at >= self.snapshot_every:
            projections.catch_up(self.store.read)
            snapshots.keep(self.store, self.union.folder, projections.position, projections.record)
            self._snapshot_at = projections.position

    def close(self) -> None:
        self._snapshot_if_due()
        self.store.close()
