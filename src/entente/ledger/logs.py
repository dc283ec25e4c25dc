"""The ledger: the record's rows checked as they are read, and one Merkle log per viewer over them.

A process keeps one ``Ledger`` and catches it up from the store before it
answers; only the rows after the last one read are fetched, and at a start
only those after the position an earlier process checked and kept
(``kept.py``; ``entente verify`` checks from the first).  Each viewer's
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

from entente.ledger import checkpoints, kept, keys
from entente.ledger.checkpoints import Checkpoint, CheckpointError
from entente.ledger.indices import Indices
from entente.ledger.integrity import Break, Checker, decoder, kept_answers
from entente.ledger.membership import REVEALING, Membership
from entente.ledger.tree import ALGORITHM, LeafTree, audit_path, leaf_hash, serialized
from entente.record import Store
from entente.record.store import StoredRow
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.vocabulary.events import EntryCorrected, Event
from entente.vocabulary.union import Union

# The checked state is kept by a start that read anything, at close, and once this many entries came after
# the last kept: keeping costs the record's length, so not at every write; a process that ends without
# closing leaves the next start at most this many more to check.
KEEP_EVERY = 10_000
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
    """One viewer's log: which entries it holds (as record indices) and the tree over their leaf hashes, made
    when first asked for."""

    viewer: Viewer
    membership: Membership
    tree: LeafTree = field(default_factory=LeafTree)  # holds the first leaves of the log, extended when asked
    kept: int = 0  # leaves compared with (and written to) the store's ledger_leaves

    @property
    def order(self) -> Indices:
        return self.membership.order

    @property
    def size(self) -> int:
        return len(self.membership.order)


class Ledger:
    """The rows of one store as checked so far, their breaks, and each viewer's log.

    A new ledger's first ``catch_up`` resumes from the state an earlier process
    kept (``kept.py``) and checks only the rows after it; ``whole=True`` checks
    every row and every log from the first.  The entries before the kept
    position are read again only when something needs them whole: a proof,
    what a viewer is shown, or a new entry that reveals earlier ones.
    """

    def __init__(self, union: Union, key: Ed25519PrivateKey) -> None:
        self.union, self.key = union, key
        self._lock = threading.RLock()
        self._table_ready = False
        self._reset()

    def _reset(self) -> None:
        """Nothing read yet."""
        self.last: StoredRow | None = None  # the last row read
        self.checked = 0  # rows read and checked by this ledger
        # Every entry (a row whose bytes are an entry), in record order: its id, position and leaf hash.
        self.ids: list[str] = []
        self._numbered = 0  # the entries before it are at positions 1, 2, ... (as a kept state says)
        self._positions: list[int] = []  # the positions of the entries after those
        self._leaves = bytearray()  # LEAF bytes each
        # The entries' rows and events from index ``_base`` on: those before it were checked by an earlier process.
        self._base = 0
        self._rows: list[StoredRow] = []
        self._events: list[Event] = []
        self._context: list[bytes] = []  # the bytes of the entries that can reveal earlier ones
        self.breaks: list[Break] = []
        self._checker = Checker()
        self._logs: dict[Viewer, ViewerLog] = {}
        self._store: Store | None = None
        self._kept_at = 0  # the entries the state kept in the store covers
        for viewer in (SECRETARIAT, PUBLIC, *(Viewer("party", p.code) for p in self.union.parties)):
            self._log(viewer)

    @classmethod
    def open(cls, db: str, union: Union) -> Ledger:
        return cls(union, keys.load_or_create(keys.key_path(db)))

    def catch_up(self, store: Store, *, whole: bool = False) -> None:
        """Read and check the rows recorded since the last call, then extend and keep every log.

        The first call resumes from the state kept in the store, unless ``whole``: then every row and every
        log is checked from the first."""
        with self._lock:
            self._store = store
            first = self.last is None and not self._base
            if first and not whole:
                self._resume(store)
            # Read before the rows, so every answer read names an entry already recorded.
            answers = self._answers(store) if first else []
            after = self.last.position if self.last is not None else self._base
            fresh = store.rows_after(after - 1 if after else 0)
            if after:
                head = fresh[0] if fresh else None
                same = (head == self.last if self.last is not None
                        else head is not None and (head.position, head.hash) == (after, self._checker.previous_hash))
                if not same:
                    gone = "it is gone or changed since it was read: the record was cut or rewritten"
                    self._add_breaks([Break(after, self.last.id if self.last else self.ids[-1], gone)])
                    return
                self.last, fresh = head, fresh[1:]
            if not fresh and not first:
                return
            events, breaks = self._checker.check(fresh)
            self.checked += len(fresh)
            self.last = fresh[-1] if fresh else self.last
            added = [(row, event) for row, event in zip(fresh, events, strict=True) if event is not None]
            for row, event in added:
                self._rows.append(row)
                self._events.append(event)
                self.ids.append(event.id)
                self._positions.append(row.position)
                self._leaves += leaf_hash(row.body)
                if isinstance(event, REVEALING):
                    self._context.append(row.body)
            self._add_breaks(breaks)
            if answers:
                self._add_breaks(kept_answers(answers, set(self.ids)))
            if any(isinstance(event, REVEALING) for _, event in added) and not self._read_history():
                return  # what it reveals may be anywhere before it; the record was checked whole instead
            for log in self._logs.values():
                self._extend(log)
            self._keep(store, write=not self.breaks)  # a broken record's logs are compared, never kept
            if self.breaks and first and not self._numbered:
                kept.forget(store)  # found checking from the first: every start after this checks it all too
            elif not self.breaks and (first or len(self.ids) - self._kept_at >= KEEP_EVERY):
                self.keep(store)

    def _resume(self, store: Store) -> None:
        """Start from the state an earlier process kept, when it still stands for this record."""
        state = kept.load(store, self.union.folder) if self.union.folder else None
        if state is None or {log.viewer for log in state.logs} != {str(viewer) for viewer in self._logs}:
            return
        position = state.position
        self._base = self._kept_at = position
        self.ids = state.ids
        self._numbered = position  # nothing was broken: every row up to it is an entry
        self._leaves = bytearray(state.leaves)
        self._context = state.context
        context = [decoder.decode(body) for body in state.context]
        self._checker.resume(position, store.hash_at(position), set(state.ids))
        orders = {log.viewer: kept.order(log) for log in state.logs}
        for viewer, log in self._logs.items():
            log.membership = Membership.resumed(viewer, orders[str(viewer)], context, position)
            log.kept = log.size

    def keep(self, store: Store) -> None:
        """Keep the state checked so far in the store, so the next start checks only what comes after it."""
        with self._lock:
            if self.breaks or self.last is None or not self.union.folder or self._kept_at == len(self.ids):
                return
            assert len(self.ids) == self.last.position  # nothing broken: every row is an entry
            kept.keep(store, self.union.folder, kept.State(
                position=self.last.position, ids=self.ids, leaves=bytes(self._leaves), context=self._context,
                logs=[kept.packed(str(viewer), log.order) for viewer, log in self._logs.items()]))
            self._kept_at = len(self.ids)

    def _read_history(self) -> bool:
        """Read the entries before the kept position, each compared with the leaf hash kept for it.  One that
        is not as it was checked sends the ledger back to check everything from the first: False then."""
        if not self._base:
            return True
        assert self._store is not None
        rows = self._store.rows_after(0)[:self._base]
        events: list[Event] = []
        for index, row in enumerate(rows):
            if row.position != self.position(index) or leaf_hash(row.body) != self.leaf(index):
                break
            events.append(decoder.decode(row.body))
        if len(events) == self._base:
            self._rows[:0], self._events[:0], self._base = rows, events, 0
            return True
        store = self._store
        self._reset()
        self.catch_up(store, whole=True)
        return False

    def _whole(self) -> tuple[list[StoredRow], list[Event]]:
        """Every entry's row and event, the entries before the kept position read first."""
        self._read_history()
        return self._rows, self._events

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
        log.membership.catch_up(self._events, self._base)
        return log

    def _tree(self, log: ViewerLog) -> LeafTree:
        """The viewer's tree over every leaf of its log."""
        tree = log.tree
        for index in log.order.since(len(tree.digests)):
            tree.append_hash(self.leaf(index))
        return tree

    def position(self, index: int) -> int:
        """The record position of entry ``index`` (from 0)."""
        return index + 1 if index < self._numbered else self._positions[index - self._numbered]

    def leaf(self, index: int) -> bytes:
        """The leaf hash of entry ``index`` (from 0)."""
        return bytes(self._leaves[index * kept.LEAF:(index + 1) * kept.LEAF])

    def log_positions(self, viewer: Viewer) -> list[int]:
        """The record position of each entry of ``viewer``'s log, in its order."""
        with self._lock:
            return [self.position(index) for index in self._log(viewer).order]

    def _shown_as(self, indices: list[int]) -> list[tuple[int, str, str]]:
        """(position, id, leaf hash in hex) of each entry named by its index: a log's leaves as the store keeps them."""
        numbered, later, ids, leaves, width = self._numbered, self._positions, self.ids, self._leaves, kept.LEAF
        return [(i + 1 if i < numbered else later[i - numbered], ids[i], leaves[i * width:(i + 1) * width].hex())
                for i in indices]

    def _keep(self, store: Store, *, write: bool) -> None:
        """Write each log's new leaves to the store, and compare them with the leaves it holds already."""
        with store._writing() as cur:  # one transaction: on SQLite each statement alone would be one
            if not self._table_ready:
                for statement in [_TABLE, *(_POSTGRES_GUARDS if store.postgres else _SQLITE_GUARDS)]:
                    cur.execute(statement)
            for log in self._logs.values():
                name, start = str(log.viewer), log.kept
                new = self._shown_as(log.order.since(start))
                if write:
                    cur.executemany(store._sql("INSERT INTO ledger_leaves VALUES (?, ?, ?, ?, ?) "
                                               "ON CONFLICT DO NOTHING"),
                                    [(name, start + k, *leaf) for k, leaf in enumerate(new)])
                cur.execute(store._sql("SELECT idx, position, entry, digest FROM ledger_leaves "
                                       "WHERE viewer = ? AND idx >= ? ORDER BY idx"), (name, start))
                # A log differing where a row is broken already says nothing new.
                broken_rows = {b.position for b in self.breaks if b.log is None}
                self._add_breaks(b for b in self._compare(log, start, new, cur.fetchall())
                                 if b.position not in broken_rows)
                log.kept = start + len(new)
        self._table_ready = True  # once the transaction that made it is committed

    @staticmethod
    def _compare(log: ViewerLog, start: int, new: list[tuple[int, str, str]],
                 stored: list[tuple[Any, Any, Any, Any]]) -> list[Break]:
        """Where the leaves the store kept for ``log`` from ``start`` on differ from ``new``, the log's leaves
        from there as the record gives them now: the first only."""
        for idx, position, entry, digest in stored:
            index = int(idx)
            if index - start >= len(new):
                return [Break(int(position), entry, f"entry no. {index + 1} of {log.viewer}'s log is no longer in "
                                                    "the record: it was cut", str(log.viewer))]
            now, _, leaf = new[index - start]
            if now != int(position) or leaf != digest:
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
            return checkpoints.sign(self.key, self.union.id, str(viewer), log.size, self._tree(log).root())

    def shown(self, viewer: Viewer) -> dict[str, tuple[int, StoredRow]]:
        """The entries ``viewer`` may see now, by id: their index in its log and their row."""
        with self._lock:
            entries, events = self._whole()
            now = {event.id for event in visible(events, viewer)}
            rows = {row.position: (row, event) for row, event in zip(entries, events, strict=True)}
            found: dict[str, tuple[int, StoredRow]] = {}
            for index, p in enumerate(self.log_positions(viewer)):
                if p in rows:
                    # A corrected entry is shown as its latest correction, which holds it as it now reads.
                    row, event = rows[p]
                    shown_as = event.target if isinstance(event, EntryCorrected) else event.id
                    if shown_as in now:
                        found[shown_as] = (index, row)
            return found

    def proof(self, viewer: Viewer, entry: str) -> dict[str, Any] | None:
        """The inclusion proof of ``entry`` in ``viewer``'s log now; None when the viewer may not see it."""
        with self._lock:
            found = self.shown(viewer).get(entry)
            if found is None:
                return None
            index, row = found
            log = self._log(viewer)
            tree = self._tree(log)
            proof = tree.inclusion(index, log.size)
            return {"entry": entry, "index": index, "entry_bytes": row.body.decode(),
                    "leaf_hash": tree.digests[index].hex(), "audit_path": audit_path(proof),
                    "proof": serialized(proof), "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def consistency(self, viewer: Viewer, prior: int) -> dict[str, Any] | None:
        """The proof that ``viewer``'s log of ``prior`` entries is a prefix of its log now; None if it cannot be."""
        with self._lock:
            log = self._log(viewer)
            if not 0 < prior <= log.size:
                return None
            tree = self._tree(log)
            return {"prior_size": prior, "consistency_path": tree.consistency_path(prior, log.size),
                    "proof": serialized(tree.consistency(prior, log.size)),
                    "checkpoint": checkpoints.as_dict(self.checkpoint(viewer))}

    def viewer_breaks(self, viewer: Viewer) -> list[Break]:
        """The breaks that concern entries of ``viewer``'s log (all of them for the secretariat)."""
        with self._lock:
            if viewer.kind == "secretariat":
                return list(self.breaks)
            mine = set(self.log_positions(viewer))
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
            tree = self._tree(log)
            root = tree.root(kept.size)
            if root.hex() != kept.root:
                return f"{viewer}'s first {kept.size} entries are not those of the checkpoint{first}"
            proof = tree.consistency(kept.size, log.size)
            try:  # the check a party makes with the proof the server would send it
                verify_consistency(bytes.fromhex(kept.root), tree.root(), proof, prior_size=kept.size,
                                   later_size=log.size, algorithm=ALGORITHM)
            except InvalidProof as exc:
                return f"{viewer}'s log is not consistent with the checkpoint: {exc}"
            return None

    def _describe(self, viewer: Viewer, broken: Break) -> str:
        """A break as a viewer may hear of it: by its entry's id where the viewer may see it, else by number."""
        if viewer.kind == "secretariat" or broken.entry in self.shown(viewer):
            return f"entry {broken.entry!r}"
        return "an entry no longer shown to you"
