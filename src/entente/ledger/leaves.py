"""A log's leaf: RFC 9162's leaf hash of the data an entry's hash commits to (``record/salted.py``).

The leaf is the same in every viewer's log.  Its data is the entry's stored
bytes, with each value that may one day be erased as a salted digest; a viewer
who may see the entry is given the salt (or, once a value was erased, the
digests) with its proof and checks the leaf itself.  Pure: no I/O.
"""

from __future__ import annotations

import hashlib

from entente.record.salted import NONE, SALT, Salting, erasable, hashed

LEAF = 32  # bytes of a leaf hash

__all__ = ["LEAF", "NONE", "SALT", "Salting", "erasable", "hashed", "leaf_data", "leaf_hash"]


def leaf_data(body: bytes, salting: Salting = NONE) -> bytes:
    """The bytes a leaf hashes: what the record's chain links for the entry."""
    return hashed(body, salting)


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162's leaf hash: SHA-256 of 0x00 and the leaf data."""
    return hashlib.sha256(b"\x00" + data).digest()
