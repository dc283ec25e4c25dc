"""A verifier that knows nothing of Entente: hashlib, the public key, and the specifications.

Inclusion and consistency are checked as RFC 9162 says (sections 2.1.3.2 and 2.1.4.2); checkpoints as
C2SP's tlog-checkpoint and signed-note say (a note's text, a blank line, signature lines; an Ed25519 key's
ID the first four bytes of SHA-256(key name, newline, 0x01, public key)), given only the verifier key
``name+keyid+base64(0x01 || public key)``; a salted leaf as the ledger's documentation describes it.
No PyPI library verifies signed notes as a public interface, so this is written from the specifications.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def check_signature(checkpoint: dict[str, Any], verifier_key: str) -> None:
    """Check a checkpoint's signed note against a signed-note verifier key, and that its plain fields are what
    the note says; raises (InvalidSignature, AssertionError) where they are not."""
    name, key_id, encoded = verifier_key.split("+", 2)
    raw = base64.b64decode(encoded)
    assert raw[0] == 1 and len(raw) == 33  # Ed25519
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id
    note = checkpoint["note"]
    assert "\n\n" in note and note.endswith("\n")
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    origin, size, root, *_ = text.split("\n")
    assert (origin, int(size), base64.b64decode(root).hex()) == (
        checkpoint["log"], checkpoint["size"], checkpoint["root"])
    assert str(int(size)) == size  # decimal, no leading zeros
    for line in signatures.splitlines():
        dash, signer, signature = line.split(" ")
        sig = base64.b64decode(signature)
        if dash == "\u2014" and signer == name and sig[:4].hex() == key_id:
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(sig[4:], text.encode())  # raises InvalidSignature
            return
    raise AssertionError("no signature by the verifier key")


def checked_leaf(proof: dict[str, Any]) -> bytes:
    """The leaf hash of a proof's entry: its bytes, or its leaf bytes where each value a salted digest stands
    for is the entry's, with the salt given."""
    entry, leaf = proof["entry_bytes"].encode(), proof.get("leaf_bytes", proof["entry_bytes"]).encode()
    if leaf != entry:
        salt = bytes.fromhex(proof["salt"]) if proof.get("salt") else None
        digests = proof.get("digests") or {}

        def same(a: Any, b: Any, path: str) -> None:
            if isinstance(b, dict) and set(b) == {"salted"} and path in digests:
                assert b["salted"] == digests[path]  # erased (``a`` is null), or kept since an erasure
            elif isinstance(b, dict) and set(b) == {"salted"} and isinstance(a, str) and salt is not None:
                assert b["salted"] == hashlib.sha256(salt + path.encode() + b"\0" + a.encode()).hexdigest()
            elif isinstance(a, dict):
                assert list(a) == list(b)
                for k in a:
                    same(a[k], b[k], f"{path}/{k}")
            elif isinstance(a, list):
                assert len(a) == len(b)
                for i, (x, y) in enumerate(zip(a, b, strict=True)):
                    same(x, y, f"{path}/{i}")
            else:
                assert a == b

        same(json.loads(entry), json.loads(leaf), "")
    return leaf_hash(leaf)


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
