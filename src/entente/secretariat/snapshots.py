"""Snapshots: the record as the service holds it, kept in the store so a restart replays only the tail.

A snapshot is trusted only by the code it was made with, and for the history
it was made from: its stamp names both (a digest of the modules that decide
what a stored entry reads as and who sees it, and the chain's hash at its
position), and one that does not match is discarded, never read.  The union's
files are not in it: they change no stored entry, so editing them (a comment,
a title, a rule) keeps the snapshot.

The entries are kept with their repeated strings stored once (``stored_once``): read back, each entry's
repeated fields point at one string for each value, as ``sharing`` makes them, without a string decoded and
let go for every field of every entry, which was most of what a restart took to read the snapshot.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from entente.record import Store
from entente.secretariat import stored_once
from entente.uncollected import uncollected
from entente.vocabulary.events import Event

NAME = "record"
_PACKAGE = Path(__file__).parent.parent
# The code a snapshot's content depends on: how entries decode and upcast, who may see them, and how they are
# kept (the fields stored once are those ``sharing`` names).
_CODE = ["vocabulary/events.py", "vocabulary/stored.py", "record/upcast.py", "secretariat/clearance.py",
         "secretariat/snapshots.py", "secretariat/stored_once.py", "secretariat/sharing.py"]


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


def load(store: Store, union_folder: str) -> tuple[int, list[Event]] | None:
    """(position, record up to it) from the store's snapshot, if there is one of this version and history (one
    kept by earlier code is discarded: the record is then read from the store, and kept again)."""
    found = store.snapshot(NAME)
    if found is None or found[1] != _stamp(store, union_folder, found[0]):
        return None
    position, _, body = found
    with uncollected():
        return position, stored_once.decoded(body)


def keep(store: Store, union_folder: str, position: int, record: list[Event]) -> None:
    """The record kept as a snapshot, encoded a chunk at a time as it is written, twice (once to know its size),
    never whole: encoding is cheap beside holding hundreds of megabytes."""
    size = sum(len(piece) for piece in stored_once.encoded(record))
    store.keep_snapshot_pieces(NAME, position, _stamp(store, union_folder, position), size,
                               lambda: stored_once.encoded(record))

