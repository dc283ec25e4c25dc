"""The imperative shell: opens a union's store and keeps it loaded with the union's bundled record."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import msgspec

from entente.record import ConflictError, Store, open_store
from entente.record.store import content
from entente.replay import revisions
from entente.rules import Finding, read_treaties
from entente.secretariat.admission import Problem, admit, clash
from entente.secretariat.clearance import Viewer, instrument_parties, may_write, visible, visible_history
from entente.views.reports import view_tag
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union, read_events
from entente.vocabulary.events import AnyEvent, ClassificationAmended, EntryCorrected, Event
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


class WrongUnion(ValueError):
    pass


class Refused(Exception):
    """A write that is not recorded: forbidden to the writer, or against the record or the treaty."""

    def __init__(self, problems: list[Problem], *, forbidden: bool = False) -> None:
        self.problems, self.forbidden = problems, forbidden
        super().__init__("; ".join(p.message for p in problems))


def as_written_by(event: Event, viewer: Viewer) -> Event:
    """A delegation's entry: its id under the delegation's own prefix ("lv.…"), so it can never collide
    with, and so learn of, an entry it may not see; and the delegation as its actor unless it names one."""
    if viewer.party is None:
        return event
    prefix = f"{viewer.party.lower()}."
    return msgspec.structs.replace(event, id=event.id if event.id.startswith(prefix) else prefix + event.id,
                                   actor=event.actor or viewer.party)


def revised(recorded: Sequence[Event], entries: Sequence[Event], file: str) -> list[Event]:
    """What a record file adds to a store made from an earlier edition of it: its new entries, and a correction
    for each entry that now reads differently (the earlier version stays in the history).

    An entry the file no longer holds is left as it is: the store cannot tell it from one recorded otherwise.
    The secretariat's classification amendments are not differences the file would undo.
    """
    now = {e.id: e for e in revisions.current([e for e in recorded if not isinstance(e, ClassificationAmended)])}
    out: list[Event] = []
    for entry in entries:
        earlier = now.get(entry.id)
        if earlier is None:
            out.append(entry)
        elif content(earlier) != content(entry):
            digest = hashlib.sha256(content(entry)).hexdigest()[:10]
            out.append(EntryCorrected(
                id=f"{entry.id}.correction-{digest}", date=entry.date, target=entry.id, entry=cast(AnyEvent, entry),
                classification=entry.classification, source=entry.source,
                reason=f"revised in the union's record file ({file})"))
    return out


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


@dataclass
class Secretariat:
    """A union's definition and its record store, used together."""

    union: Union
    store: Store
    treaties: dict[str, Treaty]

    @classmethod
    def open(cls, db: str, union_folder: Path = DEFAULT_UNION) -> Secretariat:
        union = load_union(union_folder)
        treaties = read_treaties(union_folder)
        store = open_store(db)
        secretariat = cls(union, store, treaties)
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
        if self.store.meta(key) is not None:
            return []
        # Idempotent, should two processes race here: the same file gives the same entries and corrections.
        added = self.store.append(revised(self.store.events(), bundled_record(self.union), path.name))
        self.store.set_meta(key, "1")
        return added

    def load_file(self, path: Path) -> list[Event]:
        """Record a file of events as the secretariat, each checked as a write is, after those before it."""
        recorded = revisions.current(self.store.events())
        kept = {e.id: content(e) for e in recorded}

        def admitted(event: Event, earlier: list[Event]) -> list[tuple[str, str]]:
            if kept.get(event.id) == content(event):
                return []  # recorded already, as it is: loading a file again records nothing more
            problems = admit(self.union, self.treaties, [*recorded, *earlier], event).problems
            return [(p.field, p.message + (f" ({p.rule}, article {p.article} of {p.instrument})" if p.rule else ""))
                    for p in problems]

        return self.store.append(read_events(path, self.union, admitted))

    def record(self, event: Event, viewer: Viewer, *, key: str | None = None,
               if_match: str | None = None) -> Recorded:
        """Check a new entry against who writes it, the record and the treaty, then append it.

        Refusals are written to the audit trail and nothing is recorded.  With
        ``key``, a retry of the same write records nothing and gets the same answer;
        keys are the writer's own, so another viewer's key never answers with an
        entry it may not see.  With ``if_match``, the write goes through only if
        the writer's view of the record still has that tag (see ``views.view_tag``).
        """
        event = as_written_by(event, viewer)
        key = None if key is None else f"{viewer}:{key}"
        if key is not None and (earlier := self.store.answer_for(key)) is not None:
            kept = msgspec.json.decode(earlier, type=Recorded)
            if _same_entry(kept.event, event):
                return msgspec.structs.replace(kept, replayed=True)
            raise Refused([Problem(field="Idempotency-Key", message="this key was used for another entry; "
                                   "a retry must send the same entry, a new entry a new key")])
        # Checked against what the writer may see, so a refusal cannot reveal a record it is not cleared for.
        seen = self.events_for(viewer)
        reason = may_write(viewer, event, instrument_parties(seen))
        if reason is not None:
            self.store.audit(str(viewer), "refused", event.id, reason)
            raise Refused([Problem(field="actor", message=reason)], forbidden=True)
        admission = admit(self.union, self.treaties, seen, event)
        if admission.refused:
            self.store.audit(str(viewer), "refused", event.id, "; ".join(p.message for p in admission.problems))
            raise Refused(admission.problems)
        if (other := clash(event, self.store.events())) is not None:
            # A clash with an entry the writer cannot see: told to the secretariat, never to the writer.
            self.store.audit(str(viewer), "clash", event.id, f"numbered as {other.id}, which {viewer} cannot see")

        def unchanged(current: list[Event]) -> None:
            if view_tag(visible(current, viewer)) != if_match:
                raise ConflictError("the record has changed since you read it: read it again and retry")

        answers: list[Recorded] = []

        def answer(added: list[Event], current: list[Event]) -> bytes:
            # Computed inside the transaction, from the record as it is with this entry: kept for the
            # retry under ``key`` and returned now, so the record is not read again.
            answers.append(Recorded(event=cast(AnyEvent, added[0] if added else event),
                                    tag=view_tag(visible(current, viewer)), findings=admission.findings))
            return msgspec.json.encode(answers[-1])

        self.store.append([event], precondition=unchanged if if_match is not None else None, key=key,
                          answer=answer)
        return answers[-1]

    def events_for(self, viewer: Viewer, known_at: str | None = None) -> Sequence[Event]:
        """What ``viewer`` may see of the record; with ``known_at``, of the record as it stood then,
        never more than the viewer may see of it now."""
        return visible(self.store.events(), viewer, known_at)

    def history_for(self, viewer: Viewer, entry_id: str, known_at: str | None = None) -> list[revisions.Version]:
        """Every version of one entry that ``viewer`` may see, oldest first (see ``events_for`` for ``known_at``)."""
        return visible_history(self.store.events(), viewer, entry_id, known_at)

    def close(self) -> None:
        self.store.close()
