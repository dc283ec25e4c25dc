"""Backups: the record as stored, every viewer's checkpoint and the public key, in one JSON file.

A restore puts the entries back byte for byte, so every log, and so every
checkpoint's size and root, comes out as it was; the store's columns are
derived again from the entries, never read from the file.  A store that
already holds a different record is refused, naming the first entry that differs.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import msgspec

from entente.ledger import checkpoints, kept, keys, sealed
from entente.ledger.checkpoints import Checkpoint, CheckpointError, Legacy
from entente.ledger.integrity import Checker, stored_row
from entente.ledger.logs import Ledger
from entente.ledger.sealed import SealError
from entente.record import Store
from entente.record.salted import Salting
from entente.record.store import StoredRow
from entente.secretariat.clearance import Viewer
from entente.vocabulary.union import Union

FORMAT = "entente-backup/1"


class BackupError(ValueError):
    """A backup that cannot be read or restored, named with its file and, where there is one, the entry."""


class Entry(msgspec.Struct):
    position: int
    hash: str
    entry: str  # the entry's stored bytes, which are UTF-8 JSON


class Backup(msgspec.Struct, kw_only=True):
    format: str
    union: str
    public_key: str
    meta: dict[str, str]
    checkpoints: list[dict[str, Any]]  # each as ``checkpoints.read`` reads it: signed notes, or the format before
    entries: list[Entry]
    # The salt of each entry whose leaf holds salted digests, by position, in hex: without it, its leaf, and
    # so every checkpoint of a log that holds it, could not be made again.
    salts: dict[int, str] = {}
    # The digests kept in place of an entry's salt once a value of it was erased, by position and field.
    digests: dict[int, dict[str, str]] = {}


class Restored(msgspec.Struct):
    added: int
    entries: int
    checkpoints: list[Checkpoint | Legacy]


def write(path: Path, store: Store, ledger: Ledger, recipients: list[str] | None = None) -> int:
    """Write ``store``'s record to ``path``, sealed to ``recipients``' public keys where given; the number of
    entries written."""
    rows = store.rows_after(0)
    made = Backup(format=FORMAT, union=ledger.union.id, public_key=keys.public_text(ledger.key.public_key()),
                  meta=store.all_meta(),
                  checkpoints=[checkpoints.as_dict(ledger.checkpoint(v)) for v in ledger.viewers()],
                  entries=[Entry(r.position, r.hash, r.body.decode()) for r in rows], **_salting(store))
    data = msgspec.json.format(msgspec.json.encode(made), indent=1)
    try:
        _write_private(path, sealed.seal(data, recipients) if recipients else data)
    except SealError as exc:
        raise BackupError(str(exc)) from None
    return len(rows)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable and writable by its owner only (0600), as the store's file is: a
    backup holds every restricted entry.  Written beside it under another name first and then moved into
    place, so a file that was there before is replaced whole, never left with its old permissions."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # made 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path, identity: Path | None = None) -> Backup:
    try:
        data = path.read_bytes()
        made = msgspec.json.decode(sealed.unseal(data, path, identity) if sealed.sealed(data) else data,
                                   type=Backup)
    except SealError as exc:
        raise BackupError(str(exc)) from None
    except (OSError, msgspec.DecodeError) as exc:
        raise BackupError(f"{path}: not a backup of an Entente record: {exc}") from None
    if made.format != FORMAT:
        raise BackupError(f"{path}: a backup in format {made.format!r}; this version reads {FORMAT!r}")
    return made


def restore(path: Path, store: Store, db: str, union: Union, identity: Path | None = None) -> Restored:
    """Restore the backup in ``path`` (opened with ``identity`` where it is sealed) into ``store`` (of the store
    at ``db``), checked before and after."""
    made = read(path, identity)
    if made.union != union.id:
        raise BackupError(f"{path}: a backup of {made.union!r}, not of {union.id!r}")
    holder = store.meta("union")
    if holder not in (None, made.union):
        raise BackupError(f"this store holds the record of {holder!r}, not {made.union!r}")
    rows = _rows(path, made)
    present = store.rows_after(0)
    for index, row in enumerate(present):
        if index >= len(rows) or row != rows[index]:
            raise BackupError(f"this store disagrees with {path} at entry {row.id!r} (position {row.position}): "
                              "restore into a new store")
    store.insert_rows(rows[len(present):], made.meta, _salting_of(made))
    with store._writing() as cur:
        kept.prepare(cur, store.postgres)
    ledger = Ledger.open(db, union)
    ledger.catch_up(store, whole=True)
    signer = keys.public_from_text(made.public_key)
    found = []
    for saved in made.checkpoints:
        try:
            checkpoint = checkpoints.read(msgspec.json.encode(saved), str(path))
            checkpoints.check(checkpoint, signer, str(path))
        except CheckpointError as exc:
            raise BackupError(str(exc)) from None
        found.append(checkpoint)
        viewer = Viewer.parse(checkpoint.viewer)
        size = ledger.size(viewer)
        root = ledger.legacy_root(viewer, checkpoint.size) if isinstance(checkpoint, Legacy) else ledger.root(
            viewer, min(size, checkpoint.size))
        if (size, root.hex()) != (checkpoint.size, checkpoint.root):
            raise BackupError(f"{path}: {checkpoint.viewer}'s log came out as {size} entries, root {root.hex()}, "
                              f"not {checkpoint.size}, {checkpoint.root} as in the backup")
    # Kept as the last checkpoints signed of each log: every later start checks the record against them before
    # it writes or signs anything, and no checkpoint is signed that does not continue them.
    with store._writing() as cur:
        for checkpoint in found:
            if not isinstance(checkpoint, Legacy):
                kept.put_signed(cur, store, checkpoint.viewer, checkpoint.size, bytes.fromhex(checkpoint.root))
    return Restored(len(rows) - len(present), len(rows), found)


def _salting(store: Store) -> dict[str, Any]:
    found = store.salting()
    return {"salts": {p: s.salt.hex() for p, s in found.items() if s.salt is not None},
            "digests": {p: dict(s.digests) for p, s in found.items() if s.digests}}


def _salting_of(made: Backup) -> dict[int, Salting]:
    return {p: Salting(bytes.fromhex(made.salts[p]) if p in made.salts else None, made.digests.get(p, {}))
            for p in {*made.salts, *made.digests}}


def _rows(path: Path, made: Backup) -> list[StoredRow]:
    """The backup's entries as rows, checked as a record is: the first break refuses the file."""
    rows = []
    for e in made.entries:
        try:
            rows.append(stored_row(e.position, e.entry.encode(), e.hash))
        except (msgspec.DecodeError, ValueError) as exc:
            raise BackupError(f"{path}: the entry at position {e.position} is not one: {exc}") from None
    _, breaks = Checker().check(rows, _salting_of(made))
    if breaks:
        raise BackupError(f"{path}: {breaks[0]}")
    return rows
