"""The store contract: an append-only, hash-chained log of events with a position.

Every back end (``sqlite.py``, ``postgres.py``) keeps the same tables, made by
the same versioned migrations (``migrations.py``), and runs the same SQL; a
back end says only how it connects, how it begins a writing transaction and
how it marks a parameter.  Rows are never updated or deleted (triggers refuse
it), and every append happens in one transaction: a batch is recorded whole or
not at all, and the checks a writer makes inside it see the record exactly as
the append will extend it.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple, cast

import msgspec

from entente.record import batches, chain, salted
from entente.record.guards import unguarded
from entente.record.salted import NONE, SALT, NotErasable, Salting
from entente.record.upcast import UPCASTERS, Upcasters, decode_rows
from entente.vocabulary import dates
from entente.vocabulary.events import AnyEvent, Event, kind_of

Clock = Callable[[], str]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ConflictError(Exception):
    """Another writer appended first: the record is no longer as the writer last read it."""


class RecordConflict(ValueError):
    """An event whose id is recorded already with different content: history is not rewritten."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f"event {event_id!r} is already recorded with different content; "
                         "record a correcting event instead of changing it")


class ReadOnly(Exception):
    """A write to a store opened from a file that cannot be written."""


# The longest id, viewer or action an audit row keeps (its reason: ten times this).
AUDIT_TEXT = 200


_encoder = msgspec.json.Encoder()


@cache
def _checked() -> msgspec.json.Decoder[Any]:
    """The decoder of an entry checked against the vocabulary: made when first written, not when imported (a
    command that prints a kept answer writes nothing)."""
    return msgspec.json.Decoder(AnyEvent)

_COLUMNS = "position, kind, version, body"


class StoredRow(NamedTuple):
    """A row of the record as stored: the columns, the entry's bytes, and its link in the chain."""

    position: int
    id: str
    kind: str
    version: int
    valid_start: str
    valid_end: str
    recorded: str
    body: bytes
    hash: str


def content(event: Event) -> bytes:
    """The event's bytes without its record time: what 'the same event' means."""
    return _encoder.encode(msgspec.structs.replace(event, recorded=None))


@dataclass
class Transaction:
    """What a writer sees inside an append's transaction: the position, and the entries after any position."""

    cursor: Any
    position: int
    store: Store

    def read(self, after: int, limit: int | None = None) -> list[tuple[int, Event]]:
        return self.store._rows(self.cursor, after, None, limit)


ROWS_WRITTEN = 4096  # rows an append writes at once: few enough to hold


@dataclass
class Appended:
    """What an append did: the events newly recorded (with their record time) and the position after them.

    ``answer`` is what was kept with the idempotency key: computed now, or, for a key
    used before, the first write's answer (and then nothing was recorded).
    """

    events: list[Event] = field(default_factory=list)
    position: int = 0
    answer: bytes | None = None
    replayed: bool = False

    def read(self, after: int, limit: int | None = None) -> list[tuple[int, Event]]:
        """(position, event) for the events newly recorded after position ``after``, as a store's ``read``
        would give them: the last of them is at ``position``, the others just before it."""
        first = self.position - len(self.events) + 1
        tail = list(zip(range(max(first, after + 1), self.position + 1), self.events[max(0, after + 1 - first):],
                        strict=True))
        return tail if limit is None else tail[:limit]


# Called inside the append's transaction before anything is inserted; raises to refuse.
Check = Callable[[Transaction], None]
# Called inside it after the insert, with the events added: the answer kept with the key.
Answer = Callable[[list[Event]], bytes]


class Store(ABC):
    """A record store.  Subclasses connect; everything a caller relies on is defined here, once."""

    backend: str  # "sqlite" | "postgresql"
    read_only: bool = False

    def __init__(self, *, clock: Clock = utc_now, upcasters: Upcasters = UPCASTERS) -> None:
        self.clock = clock
        self.upcasters = upcasters

    # --- what a back end provides ----------------------------------------------

    mark = "?"
    # SQL for a batch's bodies joined with commas, in position order, as bytes (see ``batches``).
    joined: str | None = "CAST(group_concat(body, ',') AS BLOB)"

    @abstractmethod
    def _writing(self) -> AbstractContextManager[Any]:
        """A cursor in a transaction that holds the record's write lock until it commits or rolls back."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Any]:
        """A cursor for reads; consecutive reads need not see one snapshot."""

    def _reading_large(self) -> AbstractContextManager[Any]:
        """A cursor for a read whose one value or row is large (a snapshot, every id of the record): as
        ``_reading``, unless a back end keeps what such a read leaves behind (see ``postgres``)."""
        return self._reading()

    @abstractmethod
    def close(self) -> None: ...

    @property
    def postgres(self) -> bool:
        return self.backend == "postgresql"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.mark)

    # --- reads -----------------------------------------------------------------

    def _rows(self, cur: Any, after: int, known_at: str | None, limit: int | None = None
              ) -> list[tuple[int, Event]]:
        return batches.read(cur, self._sql, self.joined, self.upcasters, after, known_at, limit, self._fetched)

    def _fetched(self, cur: Any, query: str, params: Sequence[Any]) -> list[Any]:
        """Every row of a query that reads the record's rows (a back end may fetch them in a form of its own)."""
        cur.execute(query, params)
        return cur.fetchall()

    def read(self, after: int = 0, limit: int | None = None, *, known_at: str | None = None
             ) -> list[tuple[int, Event]]:
        """(position, event) for the entries after position ``after`` (at most ``limit`` of them); with
        ``known_at``, only those recorded by then (the record as it stood at that record time)."""
        with self._reading() as cur:
            return self._rows(cur, after, known_at, limit)

    def events(self, *, known_at: str | None = None) -> list[Event]:
        """Every recorded event, in the order it was recorded."""
        return [e for _, e in self.read(0, known_at=known_at)]

    def stamp(self) -> int | None:
        """A number that changes whenever anything is committed to the store, by this process or another,
        found without reading the record; None where the back end has no such number (read the tail)."""
        return None

    def position(self) -> int:
        with self._reading() as cur:
            cur.execute("SELECT COALESCE(MAX(position), 0) FROM events")
            return int(cur.fetchone()[0])

    def ids_upto(self, position: int) -> tuple[int, list[str]]:
        """The last position up to ``position`` and the id of every entry up to it, in order.

        The database joins the ids into one string, split here: the ids are made one after another, with
        no row's tuple or number made and let go between them, which would leave the memory of a process
        that keeps them (the ledger) strewn with gaps it can seldom reuse."""
        joined = ("string_agg(id, E'\\n' ORDER BY position) FROM events WHERE position <= ?" if self.postgres
                  else "group_concat(id, char(10)) FROM (SELECT id FROM events WHERE position <= ? ORDER BY position)")
        with self._reading_large() as cur:
            cur.execute(self._sql("SELECT COALESCE(MAX(position), 0) FROM events WHERE position <= ?"), (position,))
            last = int(cur.fetchone()[0])
            cur.execute(self._sql(f"SELECT {joined}"), (position,))
            ids = cur.fetchone()[0]
        return last, ids.split("\n") if ids else []

    def get(self, event_id: str) -> Event | None:
        with self._reading() as cur:
            cur.execute(self._sql(f"SELECT {_COLUMNS} FROM events WHERE id = ?"), (event_id,))
            rows = decode_rows(cur.fetchall(), self.upcasters)
        return rows[0][1] if rows else None

    def rows_after(self, position: int, limit: int | None = None) -> list[StoredRow]:
        """The stored rows after ``position`` (at most ``limit`` of them), in order, exactly as they are in the
        table."""
        at_most = "" if limit is None else f" LIMIT {int(limit)}"
        with self._reading() as cur:
            query = self._sql("SELECT position, id, kind, version, valid_start, valid_end, recorded, body, hash "
                              f"FROM events WHERE position > ? ORDER BY position{at_most}")
            rows = self._fetched(cur, query, (position,))
            return [StoredRow(int(p), i, k, int(v), s, e, r, bytes(b), h) for p, i, k, v, s, e, r, b, h in rows]

    def insert_rows(self, rows: Sequence[StoredRow], meta: dict[str, str],
                    salting: dict[int, Salting] | None = None) -> None:
        """Put rows back as they were stored (a restore), with the store's settings and the salts and digests
        their hashes need, in one transaction; the caller has checked they continue the record."""
        with self._writing() as cur:
            cur.executemany(self._sql("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            [tuple(row) for row in rows])
            cur.executemany(self._sql("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
                            list(meta.items()))
            self._put_salting(cur, salting or {})

    def all_meta(self) -> dict[str, str]:
        with self._reading() as cur:
            cur.execute("SELECT key, value FROM meta ORDER BY key")
            return {k: v for k, v in cur.fetchall()}

    def verify(self) -> int | None:
        """The position of the first event whose hash does not follow from the chain; None if intact."""
        with self._reading() as cur:
            salting = self._salting(cur, 0)
            cur.execute("SELECT position, body, hash FROM events ORDER BY position")
            return chain.first_break((int(p), salted.hashed(bytes(b), salting.get(int(p), NONE)), h)
                                     for p, b, h in cur.fetchall())

    def salting(self, after: int = 0, upto: int | None = None) -> dict[int, Salting]:
        """The salt, or the digests kept in its place, of each entry after ``after`` (up to ``upto``) that has
        either: what its hashed data needs beside its bytes (``salted.py``)."""
        with self._reading() as cur:
            return self._salting(cur, after, upto)

    def _salting(self, cur: Any, after: int, upto: int | None = None) -> dict[int, Salting]:
        end = "" if upto is None else " AND position <= ?"
        bounds = (after,) if upto is None else (after, upto)
        cur.execute(self._sql(f"SELECT position, salt FROM ledger_salts WHERE position > ?{end}"), bounds)
        found = {int(p): Salting(bytes(s), {}) for p, s in cur.fetchall()}
        cur.execute(self._sql(f"SELECT position, path, digest FROM ledger_digests WHERE position > ?{end}"), bounds)
        digests: dict[int, dict[str, str]] = {}
        for p, path, digest in cur.fetchall():
            digests.setdefault(int(p), {})[path] = digest
        for p, kept in digests.items():
            found[p] = Salting(found[p].salt if p in found else None, kept)
        return found

    def put_salting(self, made: dict[int, Salting]) -> None:
        """Keep salts and digests as a backup holds them (a restore), beside rows put back."""
        with self._writing() as cur:
            self._put_salting(cur, made)

    def _put_salting(self, cur: Any, made: dict[int, Salting]) -> None:
        cur.executemany(self._sql("INSERT INTO ledger_salts VALUES (?, ?) ON CONFLICT DO NOTHING"),
                        [(p, s.salt) for p, s in made.items() if s.salt is not None])
        cur.executemany(self._sql("INSERT INTO ledger_digests VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
                        [(p, path, d) for p, s in made.items() for path, d in s.digests.items()])

    def erase(self, cur: Any, entry_id: str, field: str) -> None:
        """Erase the personal data at ``field`` of entry ``entry_id``, inside the caller's transaction (an
        append's check): its value goes from the entry's bytes and from the answers kept for retries, the
        entry's salt goes, and the digests of its values are kept in its place, so the data the chain and
        the logs hashed stay as they were.  Raises ``NotErasable`` when it cannot be done so."""
        cur.execute(self._sql("SELECT position, body FROM events WHERE id = ?"), (entry_id,))
        row = cur.fetchone()
        if row is None:
            raise NotErasable(f"no entry {entry_id!r}")
        position, body = int(row[0]), bytes(row[1])
        before = self._salting(cur, position - 1, position).get(position, NONE)
        made, digests = salted.erased(body, field, before)
        if salted.hashed(made, Salting(None, digests)) != salted.hashed(body, before):
            raise NotErasable(f"field {field!r}: erasing it would change the entry's hash")
        value = salted.value_at(body, field)
        cur.execute(self._sql("SELECT key, answer FROM idempotency"))
        answers = [(key, salted.scrubbed(bytes(a), value)) for key, a in cur.fetchall()
                   if salted.holds(bytes(a), value)]
        with unguarded(cur, ["events", "ledger_salts", "idempotency"], postgres=self.postgres):
            cur.execute(self._sql("UPDATE events SET body = ? WHERE position = ?"), (made, position))
            cur.execute(self._sql("DELETE FROM ledger_salts WHERE position = ?"), (position,))
            cur.executemany(self._sql("UPDATE idempotency SET answer = ? WHERE key = ?"),
                            [(answer, key) for key, answer in answers])
        cur.executemany(self._sql("INSERT INTO ledger_digests VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
                        [(position, path, d) for path, d in digests.items()])

    def compact(self) -> None:
        """Leave no earlier version of a changed row in the store's files (after an erasure): PostgreSQL's
        tables written anew, SQLite's write-ahead log folded into the file (whose freed space is zeroed)."""
        if self.read_only:
            return
        with self._reading() as cur:  # outside a transaction: VACUUM and a checkpoint may not run in one
            if self.postgres:
                cur.execute("VACUUM FULL events, ledger_salts, idempotency, snapshots")
            else:
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cur.fetchall()

    def holds_kind(self, kind: str) -> bool:
        """Whether an entry of ``kind`` is recorded, found without decoding any."""
        with self._reading() as cur:
            cur.execute(self._sql("SELECT 1 FROM events WHERE kind = ? LIMIT 1"), (kind,))
            return cur.fetchone() is not None

    def hash_at(self, position: int) -> str:
        """The chain's hash after the entry at ``position`` (the genesis hash at 0)."""
        with self._reading() as cur:
            cur.execute(self._sql("SELECT hash FROM events WHERE position = ?"), (position,))
            row = cur.fetchone()
        return row[0] if row else chain.GENESIS

    def head(self) -> str:
        with self._reading() as cur:
            cur.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1")
            row = cur.fetchone()
        return row[0] if row else chain.GENESIS

    # --- the append ------------------------------------------------------------

    def append(self, events: Sequence[Event], *, expected: int | None = None, key: str | None = None,
               check: Check | None = None, answer: Answer | None = None,
               progress: Callable[[int], None] | None = None, handed_over: bool = False) -> Appended:
        """Record events in one transaction.

        An event whose id is already recorded with the same content is skipped,
        which makes loading a file twice harmless.  With ``expected``, the
        append succeeds only if the record is still at that position.  ``check``
        runs inside the transaction, under the write lock, before anything is
        inserted; it refuses by raising.  With ``key``, a key used before records
        nothing and answers with what was kept the first time; otherwise
        ``answer(added)`` is kept with the key, in the same transaction.  ``handed_over``: ``events`` is a
        list the caller lets go of, each entry dropped from it once written, so that its copy as stored takes
        its place in memory rather than being held beside it.  The rows are written a batch at a time as
        they are made, each batch let go once written: what an append of a million entries holds does not grow
        by their bytes and hashes.
        """
        if self.read_only:
            raise ReadOnly("this store was opened from a file that cannot be written")
        with self._writing() as cur:
            if key is not None and (earlier := self._answer(cur, key)) is not None:
                return Appended(position=self._head(cur)[0], answer=earlier, replayed=True)
            position, previous = self._head(cur)
            if expected is not None and expected != position:
                raise ConflictError(f"the record is at position {position}, not {expected}: reload and retry")
            if check is not None:
                check(Transaction(cur, position, self))
            now = self.clock()  # one record time for the batch: it is entered in one transaction
            known = self._known(cur, events)
            rows: list[StoredRow] = []
            salts: list[tuple[int, bytes]] = []
            added: list[Event] = []
            batch: dict[str, Event] = {}  # the entries of this append so far, by id, as stored
            spans: dict[str, tuple[str, str]] = {}  # each date's first and last day, found once and shared
            for index, event in enumerate(events):
                if event.id in known or event.id in batch:
                    same = known[event.id] if event.id in known else content(batch[event.id])
                    if same != content(event):
                        raise RecordConflict(event.id)
                    continue
                body = _encoder.encode(msgspec.structs.replace(event, recorded=now))
                try:  # a struct built in code skips the vocabulary's constraints: what is stored must read back
                    # What it reads back as is what is handed back: the entry as stored, sharing nothing
                    # with the caller's.
                    recorded = _checked().decode(body)
                except msgspec.ValidationError as exc:
                    raise ValueError(f"event {event.id!r} does not fit the vocabulary: {exc}") from None
                position += 1
                salt = os.urandom(SALT) if salted.erasable(body) else None
                if salt is not None:  # the chain links the personal data as salted digests, as the leaves do
                    salts.append((position, salt))
                previous = chain.link(previous, salted.hashed(body, Salting(salt, {})))
                if (span := spans.get(event.date)) is None:
                    span = spans[event.date] = dates.bounds(event.date)
                start, end = span
                rows.append(StoredRow(position, event.id, kind_of(event), type(event).version, start, end, now,
                                      body, previous))
                batch[event.id] = recorded  # the same content: what it reads back as
                added.append(recorded)
                if handed_over:
                    cast(list[Event | None], events)[index] = None
                if progress is not None:
                    progress(1)
                if len(rows) >= ROWS_WRITTEN:
                    self._insert(cur, rows, salts)
                    rows, salts = [], []
            if rows:
                self._insert(cur, rows, salts)
            answered = answer(added) if answer is not None else None
            if key is not None:
                cur.execute(self._sql("INSERT INTO idempotency VALUES (?, ?)"), (key, answered or b""))
        return Appended(events=added, position=position, answer=answered)

    def _insert(self, cur: Any, rows: list[StoredRow], salts: list[tuple[int, bytes]]) -> None:
        cur.executemany(self._sql("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"), rows)
        cur.executemany(self._sql("INSERT INTO ledger_salts VALUES (?, ?)"), salts)

    def _head(self, cur: Any) -> tuple[int, str]:
        cur.execute("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
        row = cur.fetchone()
        return (int(row[0]), row[1]) if row else (0, chain.GENESIS)

    def _known(self, cur: Any, events: Sequence[Event]) -> dict[str, bytes]:
        """The stored content of those of ``events`` already recorded, by id, looked up in chunks."""
        ids = [e.id for e in events]
        found: dict[str, bytes] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cur.execute(self._sql(f"SELECT {_COLUMNS} FROM events WHERE id IN ({', '.join('?' * len(chunk))})"),
                        chunk)
            found.update((e.id, content(e)) for _, e in decode_rows(cur.fetchall(), self.upcasters))
        return found

    # --- idempotency, audit, meta, snapshots -----------------------------------

    def _answer(self, cur: Any, key: str) -> bytes | None:
        cur.execute(self._sql("SELECT answer FROM idempotency WHERE key = ?"), (key,))
        row = cur.fetchone()
        return bytes(row[0]) if row else None

    def answer_for(self, key: str) -> bytes | None:
        """The answer kept with an idempotency key, if a write with that key was recorded."""
        with self._reading() as cur:
            return self._answer(cur, key)

    def audit(self, viewer: str, action: str, event_id: str | None, reason: str) -> None:
        """Note a refusal; its texts are cut to a bounded length, whatever a caller sent."""
        if self.read_only:
            return
        with self._writing() as cur:
            cur.execute(self._sql("INSERT INTO audit VALUES (?, ?, ?, ?, ?)"),
                        (self.clock(), viewer[:AUDIT_TEXT], action[:AUDIT_TEXT],
                         None if event_id is None else event_id[:AUDIT_TEXT], reason[:AUDIT_TEXT * 10]))

    def audit_trail(self) -> list[dict[str, Any]]:
        names = ("at", "viewer", "action", "event_id", "reason")
        with self._reading() as cur:
            cur.execute("SELECT at, viewer, action, event_id, reason FROM audit ORDER BY at")
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def meta(self, key: str) -> str | None:
        with self._reading() as cur:
            cur.execute(self._sql("SELECT value FROM meta WHERE key = ?"), (key,))
            row = cur.fetchone()
        return row[0] if row else None

    def metas(self, prefix: str) -> dict[str, str]:
        """Every value whose key begins with ``prefix``, by key."""
        with self._reading() as cur:
            cur.execute(self._sql("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?"), (len(prefix), prefix))
            return dict(cur.fetchall())

    def set_meta(self, key: str, value: str) -> None:
        """Set a value once: a key already set keeps its first value."""
        if self.read_only:
            return
        with self._writing() as cur:
            cur.execute(self._sql("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO NOTHING"), (key, value))

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], int]:
        """One statement (``?`` for parameters) in its own transaction: (rows it returned, rows it changed)."""
        with self._writing() as cur:
            cur.execute(self._sql(statement), params)
            return (cur.fetchall() if cur.description else []), cur.rowcount

    def columns(self, table: str) -> set[str]:
        """The names of a table's columns (a table an earlier version made may lack some)."""
        with self._reading() as cur:
            cur.execute(f"SELECT * FROM {table} WHERE 1 = 0")
            names = {d[0] for d in cur.description}
            cur.fetchall()
        return names

    def snapshot(self, name: str) -> tuple[int, str, bytes] | None:
        """(position, versions, body) of the snapshot kept under ``name``, if any."""
        with self._reading_large() as cur:
            cur.execute(self._sql("SELECT position, versions, body FROM snapshots WHERE name = ?"), (name,))
            row = cur.fetchone()
        return (int(row[0]), row[1], bytes(row[2])) if row else None

    def kept_slices(self, name: str, position: int, versions: str) -> Iterator[bytes] | None:
        """The body of the snapshot kept under ``name`` for ``position`` and ``versions``, a slice at a time, or
        None if none is kept for them (a body kept for another position or versions is not read)."""
        with self._reading_large() as cur:
            cur.execute(self._sql("SELECT body FROM snapshots WHERE name = ? AND position = ? AND versions = ?"),
                        (name, position, versions))
            row = cur.fetchone()
        return iter((bytes(row[0]),)) if row else None

    def keep_snapshot(self, name: str, position: int, versions: str, body: bytes) -> None:
        """Replace the snapshot under ``name``: a cache of what the record folds into, never part of the record."""
        if self.read_only:
            return
        with self._writing() as cur:
            cur.execute(self._sql(_KEEP_SNAPSHOT), (name, position, versions, body))

    def keep_snapshot_pieces(self, name: str, position: int, versions: str, size: int,
                             pieces: Callable[[], Iterable[bytes]]) -> None:
        """``keep_snapshot`` of a body given as its size in bytes and the pieces it is made of, in order, each made
        as it is written where the back end can write a value a piece at a time (see ``sqlite``)."""
        body = b"".join(pieces())
        if len(body) != size:
            raise ValueError(f"a snapshot of {len(body)} bytes said to be of {size}")
        self.keep_snapshot(name, position, versions, body)


_KEEP_SNAPSHOT = ("INSERT INTO snapshots VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                  "position = excluded.position, versions = excluded.versions, body = excluded.body")
