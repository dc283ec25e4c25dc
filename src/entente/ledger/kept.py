"""What the ledger keeps in the store: tiles, salts, the heads it signed, and the state a start resumes from.

- ``ledger_tiles``: full tiles of 256 hashes (C2SP tlog-tiles), binary.  The
  record's leaf hashes once, in record order (viewer ``*``, level 0: the same
  leaf is in every log that holds the entry), and each viewer's levels 1 and
  up.  A viewer's level 0 is its log's record indices over the shared leaves.
  Full tiles never change: the table refuses UPDATE and DELETE.
- ``ledger_salts``: the salt of each entry whose leaf holds salted digests
  (``record/salted.py``), made with the entry; ``ledger_digests``: the digests
  kept in place of an entry's salt once a value of it was erased.  Nothing but
  an erasure (``Store.erase``) removes a salt.
- ``ledger_signed``: the size and root of the last checkpoint signed of each
  log, so that no later one is signed that does not continue it.
- The kept state (a snapshot row): the position checked up to, a digest of
  every entry's id in order, the leaf hashes after the last full tile, each
  log's record indices (compressed) and hashes beyond its last full tiles,
  and what judging the next entry needs (``membership.Growth``).

A start resumes from the kept state only while it was made by the same code of
the record's checks and leaves, and the record still has, at its position, the
chain's hash it had then: nothing of it depends on the union's files.  Each
viewer's log is kept under the viewer's name, made by the code that says which
entries a log holds (``made_by``): a log is a function of the record and of
who its viewer is, so a viewer no longer of the union has its log dropped, a
new one has its log built, and the others are resumed as kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from entente.ledger.leaves import LEAF
from entente.ledger.membership import Growth
from entente.ledger.tree import TILE
from entente.record import Store, relink

NAME = "ledger-tiles"
SHARED = "*"  # the viewer name of the record's own leaf tiles
_PACKAGE = Path(__file__).parent.parent
# The code the kept record depends on: how rows are checked and leaves made, and how they are kept (logs.py
# only carries what these make between the store and memory, so a change to it checks nothing again).
_RECORD_CODE = ["ledger/integrity.py", "ledger/kept.py", "ledger/leaves.py", "record/salted.py"]
# The code the kept logs depend on beside it: which entries each log holds in which order (and which earlier
# entry an act names, as the record is asked), and its tree.
_LOGS_CODE = ["ledger/indices.py", "ledger/lookup.py", "ledger/membership.py", "ledger/stand_ins.py",
              "ledger/tree.py", "secretariat/viewers.py"]
FULL = TILE * LEAF  # bytes of a full tile

TABLES = [
    """CREATE TABLE IF NOT EXISTS ledger_tiles (
        viewer TEXT NOT NULL, level INTEGER NOT NULL, idx BIGINT NOT NULL, hashes BYTEA NOT NULL,
        PRIMARY KEY (viewer, level, idx))""",
    *relink.TABLES,  # made by the record's migrations; here too for a store opened before them
    """CREATE TABLE IF NOT EXISTS ledger_signed (
        viewer TEXT PRIMARY KEY, size BIGINT NOT NULL, root BYTEA NOT NULL)""",
    # The leaves as one row per entry per viewer, in hex, before tiles: derived again from the record.
    "DROP TABLE IF EXISTS ledger_leaves",
]
GUARDED = ("ledger_tiles", "ledger_salts", "ledger_digests")
_SQLITE_GUARDS = [f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                      BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"""
                  for table in GUARDED for verb in ("UPDATE", "DELETE")]
_POSTGRES_GUARDS = [  # entente_append_only() is the record's own guard (record/migrations.py)
    *(f"""CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
         FOR EACH ROW EXECUTE FUNCTION entente_append_only()""" for table in GUARDED),
    *(f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
         FOR EACH STATEMENT EXECUTE FUNCTION entente_append_only()""" for table in GUARDED),
]


class Log(msgspec.Struct, array_like=True):
    viewer: str
    size: int
    order: bytes  # the record index of each of its leaves, compressed (``Indices.packed``)
    levels: list[bytes]  # for levels 1 and up, the hashes after the last full tile of the level


class State(msgspec.Struct, array_like=True):
    position: int  # the last row checked; every row up to it is an entry, so the entries number as many
    ids: bytes  # SHA-256 of every entry's id in record order, each followed by a newline
    tail: bytes  # the leaf hashes after the last full shared tile
    logs: list[Log]
    growth: Growth
    made_by: str = ""  # the code the logs and ``growth`` were made with (``logs_code``)


_decoder = msgspec.msgpack.Decoder(State)


def ids_hash(ids: Iterable[str]) -> hashlib._Hash:
    """SHA-256 of every id, each followed by a newline, to be carried on with more (``ids_digest``): the ids
    joined once, hashed at C speed."""
    listed = ids if isinstance(ids, list) else list(ids)
    return hashlib.sha256(("\n".join(listed) + "\n").encode() if listed else b"")


def ids_digest(ids: Iterable[str]) -> bytes:
    """SHA-256 of every id, each followed by a newline."""
    return ids_hash(ids).digest()


def _digest(names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


@cache
def _code() -> str:
    return _digest(_RECORD_CODE)


@cache
def logs_code() -> str:
    """The code the kept logs were made by: a log made by other code is built again from the record."""
    return _digest(_LOGS_CODE)


def _stamp(store: Store, position: int) -> str:
    return f"{NAME} {_code()} chain {store.hash_at(position)}"


def prepare(cur: Any, postgres: bool) -> None:
    for statement in [*TABLES, *(_POSTGRES_GUARDS if postgres else _SQLITE_GUARDS)]:
        cur.execute(statement if postgres else statement.replace("BYTEA", "BLOB"))


def _by_this_code(versions: str) -> bool:
    """Whether a kept state stamped ``versions`` was made by this code of the record's checks and leaves."""
    return versions.startswith(f"{NAME} {_code()} chain ")


def kept_at(store: Store) -> int | None:
    """The position the kept state stands at, if one made by this code is kept (from whatever history); None
    otherwise.  Its body is not read."""
    with store._reading() as cur:
        cur.execute(store._sql("SELECT position, versions FROM snapshots WHERE name = ?"), (NAME,))
        row = cur.fetchone()
    return int(row[0]) if row is not None and _by_this_code(str(row[1])) else None


def load(store: Store) -> tuple[State, bool] | None:
    """The kept state, if there is one made by this code, and whether it was made from this history (the chain's
    hash at its position is as it was then)."""
    return read(store, store.snapshot(NAME))


def read(store: Store, found: tuple[int, str, bytes] | None) -> tuple[State, bool] | None:
    """``load`` of the kept state ``found`` (``store.snapshot(NAME)``), read already."""
    if found is None or not _by_this_code(found[1]):
        return None
    return _decoder.decode(found[2]), found[1] == _stamp(store, found[0])


def keep(store: Store, state: State) -> None:
    store.keep_snapshot(NAME, state.position, _stamp(store, state.position), msgspec.msgpack.encode(state))


def forget(store: Store) -> None:
    """Leave no state to resume from, so the next start checks everything (once a check found a break)."""
    store.keep_snapshot(NAME, 0, "", b"")


def tiles(cur: Any, store: Store, viewer: str, level: int, first: int = 0) -> list[tuple[int, bytes]]:
    """The full tiles kept of one viewer's level from index ``first`` on, in order."""
    cur.execute(store._sql("SELECT idx, hashes FROM ledger_tiles WHERE viewer = ? AND level = ? AND idx >= ? "
                           "ORDER BY idx"), (viewer, level, first))
    return [(int(i), bytes(h)) for i, h in cur.fetchall()]


def counted(store: Store, viewer: str, level: int, count: int) -> int:
    """How many of the first ``count`` full tiles of one viewer's level are kept."""
    with store._reading() as cur:
        cur.execute(store._sql("SELECT COUNT(*) FROM ledger_tiles WHERE viewer = ? AND level = ? AND idx < ?"),
                    (viewer, level, count))
        return int(cur.fetchone()[0])


def tiles_at(store: Store, viewer: str, level: int, indices: Sequence[int]) -> list[tuple[int, bytes]]:
    """The full tiles of ``indices`` kept of one viewer's level (those kept): (index, its hashes), a few hundred
    a query."""
    found: list[tuple[int, bytes]] = []
    for start in range(0, len(indices), 500):
        chunk = indices[start:start + 500]
        if chunk[-1] - chunk[0] + 1 == len(chunk):  # in order, one after the other: a range of the key
            where, values = "idx >= ? AND idx <= ?", [chunk[0], chunk[-1]]
        else:
            where, values = f"idx IN ({', '.join('?' * len(chunk))})", list(chunk)
        with store._reading() as cur:
            cur.execute(store._sql(f"SELECT idx, hashes FROM ledger_tiles WHERE viewer = ? AND level = ? AND {where}"),
                        [viewer, level, *values])
            found += [(int(i), bytes(h)) for i, h in cur.fetchall()]
    return found


def put_tiles(cur: Any, store: Store, rows: list[tuple[str, int, int, bytes]]) -> None:
    cur.executemany(store._sql("INSERT INTO ledger_tiles VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"), rows)


def salts(cur: Any, store: Store, after: int) -> dict[int, bytes]:
    cur.execute(store._sql("SELECT position, salt FROM ledger_salts WHERE position > ?"), (after,))
    return {int(p): bytes(s) for p, s in cur.fetchall()}


def put_salts(cur: Any, store: Store, made: dict[int, bytes]) -> None:
    cur.executemany(store._sql("INSERT INTO ledger_salts VALUES (?, ?) ON CONFLICT DO NOTHING"), list(made.items()))


def signed(cur: Any) -> dict[str, tuple[int, bytes]]:
    cur.execute("SELECT viewer, size, root FROM ledger_signed")
    return {v: (int(s), bytes(r)) for v, s, r in cur.fetchall()}


def put_signed(cur: Any, store: Store, viewer: str, size: int, root: bytes) -> None:
    cur.execute(store._sql("INSERT INTO ledger_signed VALUES (?, ?, ?) ON CONFLICT (viewer) DO UPDATE SET "
                           "size = excluded.size, root = excluded.root WHERE ledger_signed.size < excluded.size"),
                (viewer, size, root))
