"""What a log's leaf commits to: an entry's bytes, with each field that may one day be erased as a salted digest.

A leaf is RFC 9162's leaf hash, SHA-256(0x00 || leaf data), the same in every
viewer's log.  For most entries the leaf data is the entry's stored bytes.  An
entry that names a person (a delegate, a signatory) has those values replaced
in its leaf data by ``{"salted": hex SHA-256(salt || path || 0x00 || value)}``,
with a salt of its own kept beside the record (``ledger_salts``).  The leaf
commits to the value through the digest; when the value is erased, its digest
and so the leaf, every proof and every checkpoint stay as they were, and
without the salt (erased with the value) no one can find the value by
guessing names.  A viewer who may see the entry is given the salt with its
proof and checks the digests itself.  Pure: no I/O.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

# The fields that hold personal data, wherever they appear in an entry.
ERASABLE = frozenset({"person"})
SALT = 16  # bytes
LEAF = 32  # bytes of a leaf hash
_MARKS = tuple(f'"{name}":'.encode() for name in ERASABLE)


def erasable(body: bytes) -> bool:
    """Whether an entry's bytes hold a field that may be erased, so that its leaf needs a salt."""
    return any(mark in body for mark in _MARKS)


def digest(salt: bytes, path: str, value: str) -> str:
    return hashlib.sha256(salt + path.encode() + b"\0" + value.encode()).hexdigest()


def leaf_data(body: bytes, salt: bytes | None) -> bytes:
    """The bytes a leaf hashes: the entry's bytes, or, where it names a person, the entry with each such value
    replaced by its salted digest (the entry's JSON as stored, re-encoded: keys in their stored order)."""
    if salt is None or not erasable(body):
        return body
    replaced = False

    def walk(node: Any, path: str) -> Any:
        nonlocal replaced
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                where = f"{path}/{key}"
                if key in ERASABLE and isinstance(value, str):
                    out[key] = {"salted": digest(salt, where, value)}
                    replaced = True
                else:
                    out[key] = walk(value, where)
            return out
        if isinstance(node, list):
            return [walk(value, f"{path}/{i}") for i, value in enumerate(node)]
        return node

    made = walk(msgspec.json.decode(body), "")
    return msgspec.json.encode(made) if replaced else body


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162's leaf hash: SHA-256 of 0x00 and the leaf data."""
    return hashlib.sha256(b"\x00" + data).digest()
