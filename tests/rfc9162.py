"""A verifier that knows nothing of Entente: hashlib, the public key, and the checkpoint note's three lines.

Inclusion and consistency are checked as RFC 9162 says (sections 2.1.3.2 and 2.1.4.2).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def check_signature(checkpoint: dict[str, Any], public_key: str) -> None:
    note = f"{checkpoint['log']}\n{checkpoint['size']}\n{checkpoint['root']}\n".encode()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    key.verify(base64.b64decode(checkpoint["signature"]), note)  # raises InvalidSignature


def inclusion_root(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """The root an RFC 9162 audit path leads to; AssertionError where the path cannot be one."""
    assert index < size
    fn, sn, r = index, size - 1, leaf
    for p in path:
        assert sn != 0
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    assert sn == 0
    return r


def consistent(first: int, second: int, first_hash: bytes, second_hash: bytes, path: list[bytes]) -> bool:
    """Whether ``path`` proves the tree of ``first`` leaves a prefix of the tree of ``second`` (section 2.1.4.2)."""
    if first == second:
        return not path and first_hash == second_hash
    if not path or not 0 < first < second:
        return False
    if first & (first - 1) == 0:  # an exact power of two: the earlier root is the path's first node
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


def tree_hash(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 (section 2.1.1) over leaf hashes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node(tree_hash(leaves[:k]), tree_hash(leaves[k:]))
