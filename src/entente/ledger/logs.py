"""The ledger: the record's rows checked as they are read, and one Merkle log per viewer over them.

A process keeps one ``Ledger`` and catches it up from the store before it
answers; only the rows after the last one read are fetched.  Each viewer's
leaves are also kept in the store (``ledger_leaves``, append-only), so a
later rewrite of an entry, even with the chain's hashes recomputed after it,
no longer matches the log its viewers were shown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymerkle import InvalidProof, verify_consistency

from entente.ledger import checkpoints, keys
from entente.ledger.checkpoints import Checkpoint, CheckpointError
from entente.ledger.integrity import Break, Checker, kept_answers
from entente.ledger.membership import Membership
from entente.ledger.tree import ALGORITHM, LeafTree, audit_path, leaf_hash, serialized
from entente.record import Store
from entente.record.store import StoredRow
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary.events import Event
from entente.vocabulary.union import Union

_TABLE = """CREATE TABLE IF NOT EXISTS ledger_leaves (
    viewer TEXT NOT NULL, idx BIGINT NOT NULL, position BIGINT NOT NULL, entry TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (viewer, idx))"""
_SQLITE_GUARDS = [f"""CREATE TRIGGER IF NOT EXISTS ledger_leaves_no_{verb.lower()} BEFORE {verb} ON ledger_leaves
                      BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END""" for verb in ("UPDATE", "DELETE")]
_POSTGRES_GUARDS = [  # entente_append_only() is the record's own guard (record/store.py)
    """CREATE OR REPLACE TRIGGER ledger_leaves_append_only BEFORE UPDATE OR DELETE ON ledger_leaves
       FOR EACH ROW EXECUTE FUNCTION entente_append_only()""",
    """CREATE OR REPLACE TRIGGER ledger_leaves_no_truncate BEFORE TRUNCATE ON ledger_leaves
       FOR EACH STATEMENT EXECUTE FUNCTION entente_append_only()""",
]


@dataclass
class ViewerLog:
    """One viewer's log: which entries it holds and the tree over their leaf hashes."""

    viewer: Viewer
    membership: Membership
    tree: LeafTree = field(default_factory=LeafTree)
    positions: list[int] = field(default_factory=list)  # the record position of each leaf
    entries: list[str] = field(default_factory=list)  # the id of each leaf's entry
    kept: int = 0  # leaves compared with (and written to) the store's ledger_leaves

    @property
    def size(self) -> int:
        return len(self.positions)


class Ledger:
    """The rows of one store as read so far, their breaks, and each viewer's log."""

    def __init__(self, union: Union, key: Ed25519PrivateKey) -> None:
        self.union, self.key = union, key
        self.rows: list[StoredRow] = []
        self.entries: list[tuple[StoredRow, Event]] = []  # rows whose bytes are an entry, in order
        self.events: list[Event] = []  # the same entries' events, and their leaf hashes
        self.leaves: list[bytes] = []
        self.breaks: list[Break] = []
        self._checker = Checker()
        self._logs: dict[Viewer, ViewerLog] = {}
        self._lock = threading.RLock()
        self._table_ready = False
        for viewer in (SECRETARIAT, PUBLIC, *(Viewer("party", p.code) for p in union.parties)):
            self._log(viewer)

    @classmethod
    def open(cls, db: str, union: Union) -> Ledger:
        return cls(union, keys.load_or_create(keys.key_path(db)))

    def catch_up(self, store: Store) -> None:
        """Read and check the rows recorded since the last call, then extend and keep every log."""
        with self._lock:
            last = self.rows[-1] if self.rows else None
            # Read before the rows, so every answer read names an entry already recorded.
            answers = self._answers(store) if last is None else []
            fresh = store.rows_after(last.position - 1 if last else 0)
            if last is not None:
                if not fresh or fresh[0] != last:
                    self._add_breaks([Break(last.position, last.id, "it is gone or changed since it was read: "
                                                                    "the record was cut or rewritten")])
                    return
                fresh = fresh[1:]
            if not fresh and self.rows:
                return
            events, breaks = self._checker.check(fresh)
            self.rows += fresh
            for row, event in zip(fresh, events, strict=True):
                if event is not None:
                    self.entries.append((row, event))
                    self.events.append(event)
                    self.leaves.append(leaf_hash(row.body))
            self._add_breaks(breaks)
            self._add_breaks(kept_answers(answers, {event.id for _, event in self.entries}))
            for log in self._logs.values():
                self._extend(log)
            self._keep(store, write=not self.breaks)  # a broken record's logs are compared, never kept

    @staticmethod
    def _answers(store: Store) -> list[tuple[str, bytes]]:
        with store._reading() as cur:
            cur.execute("SELECT key, answer FROM idempotency")
            return [(key, bytes(answer)) for key, answer in cur.fetchall()]

    def _add_breaks(self, breaks: Iterable[Break]) -> None:
        self.breaks += [b for b in breaks if b not in self.breaks]

    def _log(self, viewer: Viewer) -> ViewerLog:
        if viewer not in self._logs:
            self._logs[viewer] = self._extend(ViewerLog(viewer, Membership(viewer)))
        return self._logs[viewer]

    def _extend(self, log: ViewerLog) -> ViewerLog:
        for index in log.membership.catch_up(self.events):
            log.tree.append_hash(self.leaves[index])
            log.positions.append(self.entries[index][0].position)
            log.entries.append(self.events[index].id)
        return log

    def _keep(self, store: Store, *, write: bool) -> None:
        """Write each log's new leaves to the store, and compare them with the leaves it holds already."""
        with store._writing() as cur:  # one transaction: on SQLite each statement alone would be one
            if not self._table_ready:
                for statement in [_TABLE, *(_POSTGRES_GUARDS if store.postgres else _SQLITE_GUARDS)]:
                    cur.execute(statement)
            for log in self._logs.values():
                name = str(log.viewer)
                cur.executemany(store._sql("INSERT INTO ledger_leaves VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
                                [(name, index, log.positions[index], log.entries[index], log.tree.digests[index].hex())
                                 for index in range(log.kept, log.size if write else log.kept)])
                cur.execute(store._sql("SELECT idx, position, entry, digest FROM ledger_leaves "
                                       "WHERE viewer = ? AND idx >= ? ORDER BY idx"), (name, log.kept))
                # A log differing where a row is broken already says nothing new.
                broken_rows = {b.position for b in self.breaks if b.log is None}
                self._add_breaks(b for b in self._compare(log, cur.fetchall()) if b.position not in broken_rows)
                log.kept = log.size

    @staticmethod
    def _compare(log: ViewerLog, stored: list[tuple[Any, Any, Any, Any]]) -> list[Break]:
        """Where the leaves the store kept for ``log`` differ from the log the record gives now: the first only."""
        for idx, position, entry, digest in stored:
            index = int(idx)
            if index >= log.size:
                return [Break(int(position), entry, f"entry no. {index + 1} of {log.viewer}'s log is no longer in "
                                                    "the record: it was cut", str(log.viewer))]
            if log.positions[index] != int(position) or log.tree.digests[index].hex() != digest:
                return [Break(int(position), entry, f"entry no. {index + 1} of {log.viewer}'s log differs from what "
                                                    "it was shown: it was rewritten or reordered", str(log.viewer))]
        return []

    def public_key(self) -> dict[str, str]:
        public = self.key.public_key()
        return {"key": keys.key_id(public), "public_key": keys.public_text(public)}

    def viewers(self) -> list[Viewer]:
        with self._lock:
            return list(self._logs)

    # What a viewer asks of its log.

    def size(self, viewer: Viewer) -> int:
        with self._lock:
            return self._log(viewer).size

    def checkpoint(self, viewer: Viewer) -> Checkpoint:
        with self._lock:
            log = self._log(viewer)
            return checkpoints.sign(self.key, self.union.id, str(viewer), log.size, log.tree.root())

    def shown(self, viewer: Viewer) -> dict[str, tuple[int, StoredRow]]:
        """The entries ``viewer`` may see now, by id: their index in its log and their row."""
        with self._lock:
            log = self._log(viewer)
            now = {event.id for event in visible(self.events, viewer)}
            rows = {row.position: (row, event) for row, event in self.entries}
            return {rows[p][1].id: (index, rows[p][0]) for index, p in enumerate(log.positions)
                    if p in rows and rows[p][1].id in now}

    def proof(self, viewer: Viewer, entry: str) -> dict[str, Any] | None:
        """The inclusion proof of ``entry`` in ``viewer``'s log now; None when the viewer may not see it."""
        with self._lock:
            found = self.shown(viewer).get(entry)
            if found is None:
                return None
            index, row = found
            log = self._log(viewer)
            proof = log.tree.inclusion(index, log.size)
            return {"entry": entry, "index": index, "entry_bytes": row.body.decode(),
                    "leaf_hash": log.tree.digests[index].hex(), "audit_path": audit_path(proof),
                    "proof": serialized(proof), "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def consistency(self, viewer: Viewer, prior: int) -> dict[str, Any] | None:
        """The proof that ``viewer``'s log of ``prior`` entries is a prefix of its log now; None if it cannot be."""
        with self._lock:
            log = self._log(viewer)
            if not 0 < prior <= log.size:
                return None
            return {"prior_size": prior, "consistency_path": log.tree.consistency_path(prior, log.size),
                    "proof": serialized(log.tree.consistency(prior, log.size)),
                    "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def viewer_breaks(self, viewer: Viewer) -> list[Break]:
        """The breaks that concern entries of ``viewer``'s log (all of them for the secretariat)."""
        with self._lock:
            if viewer.kind == "secretariat":
                return list(self.breaks)
            mine = set(self._log(viewer).positions)
            return [b for b in self.breaks if b.log == str(viewer) or (b.log is None and b.position in mine)]

    def broken_for(self, viewer: Viewer) -> str | None:
        """Why writes are refused, as ``viewer`` may hear it: the details are the secretariat's."""
        with self._lock:
            if not self.breaks:
                return None
            if viewer.kind == "secretariat":
                more = f" (and {len(self.breaks) - 1} more)" if len(self.breaks) > 1 else ""
                return f"the record is broken: {self.breaks[0]}{more}"
            return "the record failed its integrity check; writes are refused until the secretariat restores it"

    def problems(self, viewer: Viewer, kept: Checkpoint | None = None, where: str = "") -> list[str]:
        """Everything wrong with ``viewer``'s entries and log, told as the viewer may hear it; with ``kept``,
        first whether the log continues that checkpoint.  Empty when all is well."""
        with self._lock:
            found = [str(b) if viewer.kind == "secretariat" else b.reason for b in self.viewer_breaks(viewer)]
            differs = None if kept is None else self.against(viewer, kept, where)
            return ([differs] if differs else []) + found

    def against(self, viewer: Viewer, kept: Checkpoint, where: str) -> str | None:
        """Why ``viewer``'s log now is not a continuation of the kept checkpoint; None when it is."""
        with self._lock:
            if kept.viewer != str(viewer):
                raise CheckpointError(f"{where}: a checkpoint of {kept.viewer}'s log, not of {viewer}'s")
            checkpoints.check(kept, self.key.public_key(), where)
            log = self._log(viewer)
            mine = self.viewer_breaks(viewer)
            named = [b for b in mine if b.log == str(viewer)] or mine
            first = f": the first that differs is {self._describe(viewer, named[0])}" if named else ""
            if kept.size > log.size:
                return (f"{viewer}'s log holds {log.size} entries, fewer than the {kept.size} of the checkpoint: "
                        f"entries were cut{first}")
            if kept.size == 0:
                return None
            root = log.tree.root(kept.size)
            if root.hex() != kept.root:
                return f"{viewer}'s first {kept.size} entries are not those of the checkpoint{first}"
            proof = log.tree.consistency(kept.size, log.size)
            try:  # the check a party makes with the proof the server would send it
                verify_consistency(bytes.fromhex(kept.root), log.tree.root(), proof, prior_size=kept.size,
                                   later_size=log.size, algorithm=ALGORITHM)
            except InvalidProof as exc:
                return f"{viewer}'s log is not consistent with the checkpoint: {exc}"
            return None

    def _describe(self, viewer: Viewer, broken: Break) -> str:
        """A break as a viewer may hear of it: by its entry's id where the viewer may see it, else by number."""
        if viewer.kind == "secretariat" or broken.entry in self.shown(viewer):
            return f"entry {broken.entry!r}"
        return "an entry no longer shown to you"
