"""Signed checkpoints, as the transparency-log ecosystem writes them: a C2SP tlog-checkpoint in a C2SP signed note.

The note's text is three lines: the log's origin (``entente/<union>/<viewer>``),
its size in decimal, and its root hash in base64; then a blank line and one
signature line, ``— <key name> base64(key ID || Ed25519 signature)``, the key
named ``entente/<union>`` and its ID the first four bytes of SHA-256(name ||
0x0A || 0x01 || public key), as the signed-note specification has it.  Any
tool that reads checkpoints (a witness, a monitor) reads ``note`` as it is,
given the verifier key ``<name>+<key ID in hex>+base64(0x01 || public key)``
(``/api/key``, ``entente public-key``).  The JSON a party keeps carries the
note with the same facts in plain fields.

A checkpoint kept from before this format (its fields ``key`` and
``signature``, over the three lines with the root in hex) is still read and
its signature checked (``Legacy``).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from entente.ledger import keys
from entente.vocabulary.said import SaidError, said

ED25519 = b"\x01"  # the signed-note signature type of Ed25519
DASH = "\u2014"


class Checkpoint(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The log ``log`` of ``viewer`` held ``size`` entries with root hash ``root``, as ``note`` says, signed."""

    log: str
    viewer: str
    size: int
    root: str  # hex SHA-256, as in the note (where it is base64)
    note: str  # the C2SP signed note


class Legacy(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A checkpoint in the format before signed notes: the three lines (root in hex) signed as they are."""

    log: str
    viewer: str
    size: int
    root: str
    key: str
    signature: str


class CheckpointError(SaidError):
    """A kept checkpoint that cannot be read, or whose signature does not hold (``told``: why, as data)."""


def _altered(where: str) -> CheckpointError:
    return CheckpointError(said("%(file)s: the signature does not hold: the checkpoint was altered", file=where))


def log_name(union: str, viewer: str) -> str:
    return f"entente/{union}/{viewer}"


def key_name(union: str) -> str:
    return f"entente/{union}"


def note_key_id(name: str, public: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + keys.public_bytes(public)).digest()[:4]


def verifier_key(union: str, public: Ed25519PublicKey) -> str:
    """The signed-note verifier key: ``name+hex key ID+base64(0x01 || public key)``."""
    name = key_name(union)
    return (f"{name}+{note_key_id(name, public).hex()}+"
            f"{base64.b64encode(ED25519 + keys.public_bytes(public)).decode()}")


def text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign(key: Ed25519PrivateKey, union: str, viewer: str, size: int, root: bytes) -> Checkpoint:
    origin, name = log_name(union, viewer), key_name(union)
    body = text(origin, size, root)
    signature = note_key_id(name, key.public_key()) + key.sign(body.encode())
    note = f"{body}\n{DASH} {name} {base64.b64encode(signature).decode()}\n"
    return Checkpoint(log=origin, viewer=viewer, size=size, root=root.hex(), note=note)


def read(data: bytes | str, where: str) -> Checkpoint | Legacy:
    """A kept checkpoint from its JSON; one clear line naming ``where`` when it is not one."""
    try:
        return msgspec.json.decode(data, type=Checkpoint)
    except msgspec.DecodeError as exc:
        try:
            return msgspec.json.decode(data, type=Legacy)
        except msgspec.DecodeError:
            raise CheckpointError(said("%(file)s: not a checkpoint: %(problem)s", file=where,
                                           problem=str(exc))) from None


def check(checkpoint: Checkpoint | Legacy, public: Ed25519PublicKey, where: str) -> None:
    """Raise unless ``checkpoint`` was signed by ``public``'s key and its fields are what its note says."""
    if isinstance(checkpoint, Legacy):
        _check_legacy(checkpoint, public, where)
        return
    body, sep, signatures = checkpoint.note.rpartition("\n\n")
    body += "\n"
    union = checkpoint.log.removeprefix("entente/").rpartition("/")[0]
    name = key_name(union)
    wanted = note_key_id(name, public)
    if not sep or body != text(checkpoint.log, checkpoint.size, bytes.fromhex(checkpoint.root)):
        raise _altered(where)
    for line in signatures.splitlines():
        dash, _, rest = line.partition(" ")
        signer, _, encoded = rest.partition(" ")
        try:
            signature = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        if dash != DASH or signer != name or signature[:4] != wanted:
            continue  # another key's signature (a witness's): not this check's
        try:
            public.verify(signature[4:], body.encode())
        except InvalidSignature:
            raise _altered(where) from None
        return
    raise CheckpointError(said("%(file)s: not signed by this store's key %(key)s", file=where, key=keys.key_id(public)))


def _check_legacy(checkpoint: Legacy, public: Ed25519PublicKey, where: str) -> None:
    if checkpoint.key != keys.key_id(public):
        raise CheckpointError(said("%(file)s: signed by key %(signer)s, not by this store's key %(key)s", file=where,
                                   signer=checkpoint.key, key=keys.key_id(public)))
    try:
        public.verify(base64.b64decode(checkpoint.signature),
                      f"{checkpoint.log}\n{checkpoint.size}\n{checkpoint.root}\n".encode())
    except (InvalidSignature, ValueError):
        raise _altered(where) from None


def as_dict(checkpoint: Checkpoint | Legacy) -> dict[str, Any]:
    return dict(msgspec.to_builtins(checkpoint))


def version(checkpoint: Checkpoint | Legacy) -> str:
    """The record's version as an export or a citation carries it: the log, its size and its root, as signed."""
    return f"{checkpoint.log} {checkpoint.size} {checkpoint.root}"
