"""What the ledger had checked, kept in the store so that a start checks only the entries recorded after it.

The kept state names the position the ledger had checked up to (every row up
to it an entry, nothing broken), every entry's id and leaf hash, and the order
of each viewer's log.  A start resumes from it only while it was made by the
same code and union files and the record still has, at that position, the
chain's hash it had then: a chain rewritten up to it (a changed entry and every
hash after it recomputed), or a record restored from another history, sends the
start back to check everything.  An entry changed before it with its hash left
as it was is not looked at again by a start: the whole check (``entente
verify``) reads every entry and every log from the first.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

import msgspec

from entente.ledger.indices import Indices
from entente.record import Store
from entente.secretariat import snapshots

NAME = "ledger"
_PACKAGE = Path(__file__).parent.parent
# The code the kept logs depend on: how rows are checked, who sees what, and how logs grow.
_CODE = ["ledger/integrity.py", "ledger/kept.py", "ledger/logs.py", "ledger/membership.py", "ledger/tree.py",
         "secretariat/clearance.py"]
LEAF = 32  # bytes of a leaf hash (SHA-256)


class Log(msgspec.Struct, array_like=True):
    viewer: str
    size: int
    order: bytes  # the record index of each of its leaves, as unsigned 32-bit integers, compressed


class State(msgspec.Struct, array_like=True):
    position: int  # the last row checked; every row up to it is an entry, so the entries number as many
    ids: list[str]  # each entry's id, in record order
    leaves: bytes  # each entry's leaf hash, LEAF bytes each, in record order
    context: list[bytes]  # the bytes of the entries that can reveal earlier ones, in record order
    logs: list[Log]


_decoder = msgspec.msgpack.Decoder(State)


@cache
def _code() -> str:
    digest = hashlib.sha256()
    for name in _CODE:
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


def _stamp(store: Store, union_folder: str, position: int) -> str:
    return (f"ledger {_code()} {sys.byteorder} {snapshots.versions(union_folder)} "
            f"chain {store.hash_at(position)}")


def order(log: Log) -> Indices:
    return Indices(log.order, log.size)


def packed(viewer: str, indices: Indices) -> Log:
    return Log(viewer, len(indices), indices.packed())


def load(store: Store, union_folder: str) -> State | None:
    """The kept state, if there is one made by this code for these union files and this history."""
    found = store.snapshot(NAME)
    if found is None or found[1] != _stamp(store, union_folder, found[0]):
        return None
    state = _decoder.decode(found[2])
    return state if len(state.ids) == state.position == len(state.leaves) // LEAF else None


def keep(store: Store, union_folder: str, state: State) -> None:
    store.keep_snapshot(NAME, state.position, _stamp(store, union_folder, state.position),
                        msgspec.msgpack.encode(state))


def forget(store: Store) -> None:
    """Leave no state to resume from, so the next start checks everything (once a check found a break)."""
    store.keep_snapshot(NAME, 0, "", b"")
