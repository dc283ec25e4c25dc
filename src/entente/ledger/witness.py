"""A witness: a second party that cosigns a log's checkpoints, each only after checking it continues the last.

A witness (another party of the union, or anyone the union trusts to run
``entente witness``) keeps, for each log it watches, the size and root of the
last checkpoint it cosigned.  Given a new checkpoint, the log's verifier key and
a consistency proof from that size, it checks the log's signature, that the new
tree holds the old one as its beginning (RFC 9162, section 2.1.4.2), and, at
the same size, that the root is the same: two roots of one size are a split
view, the log showing different histories to different readers, and are never
cosigned.  Its cosignature is a C2SP tlog-cosignature line (``cosignature/v1``)
added to the checkpoint's signed note, so any tool of the transparency-log
ecosystem reads it.  Pure: the caller keeps the state and reads the clock.
"""

from __future__ import annotations

import base64
import hashlib
import struct

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from entente.ledger import keys
from entente.ledger.checkpoints import DASH
from entente.ledger.tree import node

COSIGNATURE = b"\x04"  # the signed-note signature type of a cosignature/v1


class WitnessError(ValueError):
    """A checkpoint the witness will not cosign, and why."""


class Seen(msgspec.Struct, array_like=True):
    size: int
    root: str  # hex


class State(msgspec.Struct):
    """What a witness keeps: the last checkpoint it cosigned of each log, by origin."""

    logs: dict[str, Seen] = {}


class Note(msgspec.Struct, frozen=True):
    origin: str
    size: int
    root: bytes
    body: str  # the checkpoint's text, which every signature of the note signs


def cosignature_key_id(name: str, public: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE + keys.public_bytes(public)).digest()[:4]


def witness_verifier_key(name: str, public: Ed25519PublicKey) -> str:
    """The witness's verifier key, as signed notes write one: ``name+key ID+base64(0x04 || public key)``."""
    return (f"{name}+{cosignature_key_id(name, public).hex()}+"
            f"{base64.b64encode(COSIGNATURE + keys.public_bytes(public)).decode()}")


def read_note(note: str, log_key: str) -> Note:
    """The checkpoint in a signed note, once the log's own signature (by ``log_key``, a verifier key) holds."""
    name, _, rest = log_key.partition("+")
    key_id, _, encoded = rest.partition("+")
    try:
        raw = base64.b64decode(encoded, validate=True)
        public = Ed25519PublicKey.from_public_bytes(raw[1:])
    except ValueError:
        raise WitnessError(f"not a verifier key: {log_key!r}") from None
    body, sep, signatures = note.rpartition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3 or not lines[1].isdigit():
        raise WitnessError("not a checkpoint: a signed note of origin, size and root")
    body += "\n"
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH or parts[1] != name:
            continue
        try:
            signature = base64.b64decode(parts[2], validate=True)
        except ValueError:
            continue
        if signature[:4].hex() != key_id:
            continue
        try:
            public.verify(signature[4:], body.encode())
        except InvalidSignature:
            raise WitnessError("the log's signature does not hold: the checkpoint was altered") from None
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError:
            raise WitnessError("not a checkpoint: its root is not base64") from None
        return Note(lines[0], int(lines[1]), root, body)
    raise WitnessError(f"not signed by the log's key {name}")


def consistent(first: int, second: int, first_hash: bytes, second_hash: bytes, path: list[bytes]) -> bool:
    """Whether ``path`` proves the tree of ``first`` leaves the beginning of the tree of ``second`` leaves."""
    if first == second:
        return not path and first_hash == second_hash
    if not path or not 0 < first < second:
        return False
    if first & (first - 1) == 0:  # a power of two: the earlier root is the proof's first node
        path = [first_hash, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_hash and sr == second_hash and sn == 0


def check(note: Note, last: Seen | None, proof: list[bytes]) -> None:
    """Raise unless ``note`` continues ``last``, the checkpoint of its log cosigned before, as ``proof`` shows."""
    if last is None or last.size == 0:
        return
    if note.size < last.size:
        raise WitnessError(f"{note.origin}: {note.size} entries, fewer than the {last.size} cosigned before: "
                           "the log was cut")
    if note.size == last.size and note.root.hex() != last.root:
        raise WitnessError(f"{note.origin}: split view: two checkpoints of {note.size} entries with different "
                           f"roots, {last.root} cosigned before and {note.root.hex()} now")
    if not consistent(last.size, note.size, bytes.fromhex(last.root), note.root, proof):
        raise WitnessError(f"{note.origin}: the log of {note.size} entries does not begin with the {last.size} "
                           "cosigned before: it was rewritten")


def cosign(note: str, log_key: str, proof: list[bytes], state: State, key: Ed25519PrivateKey, name: str,
           now: int) -> tuple[str, State]:
    """The note with the witness's cosignature added, and the witness's state after it; raises to refuse."""
    read = read_note(note, log_key)
    check(read, state.logs.get(read.origin), proof)
    message = f"cosignature/v1\ntime {now}\n".encode() + read.body.encode()
    signature = cosignature_key_id(name, key.public_key()) + struct.pack(">Q", now) + key.sign(message)
    line = f"{DASH} {name} {base64.b64encode(signature).decode()}\n"
    logs = {**state.logs, read.origin: Seen(read.size, read.root.hex())}
    return note + line, State(logs=logs)
