"""A verifier that knows nothing of Entente: hashlib, the public key, and the checkpoint note's three lines.

Inclusion is checked as RFC 9162 (section 2.1.3.2) says; consistency as the
proofs lay it out (pymerkle's layout: each hash the root of a subtree, marked
as belonging to the earlier tree or not), its shape derived here from the two sizes.
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


def _shape(prior: int, width: int, bit: int) -> tuple[list[int], list[int]]:
    if prior == width:
        return [bit], [1]
    if prior == 0 and width == 1:
        return [bit], [0]
    k = 1 << ((width - 1).bit_length() - 1)  # the largest power of two below width
    if prior < k:
        rule, subset = _shape(prior, k, 0)
        return [*rule, bit], [*subset, 0]
    rule, subset = _shape(prior - k, width - k, 1)
    return [*rule, bit], [*subset, 1]


def consistency_roots(prior: int, size: int, proof: dict[str, Any]) -> tuple[bytes, bytes]:
    """The earlier and the later root a consistency proof leads to."""
    rule, subset = _shape(prior, size, 0)
    path = [bytes.fromhex(h) for h in proof["path"]]
    assert (proof["rule"], proof["subset"], len(path)) == (rule, subset, len(rule))
    assert (proof["metadata"]["prior_size"], proof["metadata"]["size"]) == (prior, size)
    earlier_part = [digest for digest, mark in zip(path, subset, strict=True) if mark]
    earlier = earlier_part[0]
    for digest in earlier_part[1:]:
        earlier = node(digest, earlier)
    later = path[0]
    for bit, digest in zip(rule, path[1:], strict=False):
        later = node(later, digest) if bit == 0 else node(digest, later)
    return earlier, later


def tree_hash(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 (section 2.1.1) over leaf hashes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node(tree_hash(leaves[:k]), tree_hash(leaves[k:]))
