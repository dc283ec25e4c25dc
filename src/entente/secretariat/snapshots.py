"""Snapshots: the record as the service holds it, kept in the store so a restart replays only the tail.

A snapshot is trusted only by the code it was made with, and for the history
it was made from: its stamp names both (a digest of the modules that decide
what a stored entry reads as and who sees it, and the chain's hash at its
position), and one that does not match is discarded, never read.  The union's
files are not in it: they change no stored entry, so editing them (a comment,
a title, a rule) keeps the snapshot.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from functools import cache
from pathlib import Path

import msgspec

from entente.record import Store, chunks
from entente.uncollected import uncollected
from entente.vocabulary.events import Event

NAME = "record"
_PACKAGE = Path(__file__).parent.parent
# The code a snapshot's content depends on: how entries decode and upcast, and who may see them.
_CODE = ["vocabulary/events.py", "vocabulary/stored.py", "record/upcast.py", "secretariat/clearance.py",
         "secretariat/snapshots.py"]

_encoder = msgspec.msgpack.Encoder()


@cache
def _decoder() -> msgspec.msgpack.Decoder[list[Event]]:
    """Made when a snapshot is first read, not when imported: a kept answer's stamp needs ``versions`` only."""
    from entente.vocabulary.stored import AnyStored

    return msgspec.msgpack.Decoder(list[AnyStored])


@cache
def _code() -> str:
    code = hashlib.sha256()
    for name in _CODE:
        code.update((_PACKAGE / name).read_bytes())
    return f"code {code.hexdigest()[:16]}"


@cache
def versions(union_folder: str) -> str:
    """The code's version and the union files' version, as digests."""
    files = hashlib.sha256()
    for path in sorted(Path(union_folder).rglob("*.yaml")):
        files.update(path.relative_to(union_folder).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{_code()} union {files.hexdigest()[:16]}"


def _stamp(store: Store, union_folder: str, position: int) -> str:
    # The code and the history alone: the entries as stored read the same whatever the union's files say
    # (their bundled record is in the history once loaded), so a comment, a title or a rule changed there
    # keeps the snapshot.  The chain's hash at the position: a snapshot of another history (a store
    # restored from elsewhere) does not match the record it would stand for.
    return f"{_code()} chain {store.hash_at(position)}"


def load(store: Store, union_folder: str, each: Callable[[list[Event]], object] | None = None
         ) -> tuple[int, list[Event]] | None:
    """(position, record up to it) from the store's snapshot, if there is one of this version and history;
    with ``each``, decoded a chunk at a time, ``each`` called on every chunk (``chunks.decoded``)."""
    found = store.snapshot(NAME)
    if found is None or found[1] != _stamp(store, union_folder, found[0]):
        return None
    position, _, body = found
    with uncollected():
        return position, (_decoder().decode(body) if each is None else chunks.decoded(body, _decoder(), each))


def keep(store: Store, union_folder: str, position: int, record: list[Event]) -> None:
    """The record kept as a snapshot: the MessagePack array of its entries, encoded a chunk at a time as it is
    written, twice (once to know its size), never whole: encoding is cheap beside holding hundreds of
    megabytes.  The bytes are those of the list encoded at once."""
    size = len(chunks.array_header(len(record))) + sum(len(piece) for piece in chunks.encoded_items(record, _encoder))
    store.keep_snapshot_pieces(NAME, position, _stamp(store, union_folder, position), size,
                               lambda: itertools.chain([chunks.array_header(len(record))],
                                                       chunks.encoded_items(record, _encoder)))
