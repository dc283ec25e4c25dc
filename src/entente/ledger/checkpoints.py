"""Signed checkpoints: a viewer's log size and root hash, signed by the secretariat's key.

The signed text is three lines, as transparency logs write a checkpoint note:
the log's name (``entente/<union>/<viewer>``), its size, and its root hash in hex.
A party keeps the JSON; the public key alone checks it.
"""

from __future__ import annotations

import base64
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from entente.ledger import keys


class Checkpoint(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A signed statement: the log ``log`` of ``viewer`` held ``size`` entries with root hash ``root``."""

    log: str
    viewer: str
    size: int
    root: str  # hex SHA-256
    key: str  # the signing key's id (keys.key_id)
    signature: str  # base64 Ed25519 signature of ``note``

    def note(self) -> bytes:
        return note(self.log, self.size, self.root)


class CheckpointError(ValueError):
    """A kept checkpoint that cannot be read, or whose signature does not hold."""


def note(log: str, size: int, root: str) -> bytes:
    return f"{log}\n{size}\n{root}\n".encode()


def log_name(union: str, viewer: str) -> str:
    return f"entente/{union}/{viewer}"


def sign(key: Ed25519PrivateKey, union: str, viewer: str, size: int, root: bytes) -> Checkpoint:
    name = log_name(union, viewer)
    signature = key.sign(note(name, size, root.hex()))
    return Checkpoint(log=name, viewer=viewer, size=size, root=root.hex(), key=keys.key_id(key.public_key()),
                      signature=base64.b64encode(signature).decode())


def read(data: bytes | str, where: str) -> Checkpoint:
    """A kept checkpoint from its JSON; one clear line naming ``where`` when it is not one."""
    try:
        return msgspec.json.decode(data, type=Checkpoint)
    except msgspec.DecodeError as exc:
        raise CheckpointError(f"{where}: not a checkpoint: {exc}") from None


def check(checkpoint: Checkpoint, public: Ed25519PublicKey, where: str) -> None:
    """Raise unless ``checkpoint`` was signed by ``public``'s key."""
    if checkpoint.key != keys.key_id(public):
        raise CheckpointError(f"{where}: signed by key {checkpoint.key}, not by this store's key "
                              f"{keys.key_id(public)}")
    try:
        public.verify(base64.b64decode(checkpoint.signature), checkpoint.note())
    except (InvalidSignature, ValueError):
        raise CheckpointError(f"{where}: the signature does not hold: the checkpoint was altered") from None


def as_dict(checkpoint: Checkpoint) -> dict[str, Any]:
    return dict(msgspec.to_builtins(checkpoint))
