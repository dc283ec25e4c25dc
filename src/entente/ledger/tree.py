"""A viewer's Merkle tree (RFC 9162, section 2): pymerkle's tree and proofs over leaf hashes kept here.

The log keeps each entry's leaf hash, not its bytes, so an entry later
restricted from a viewer stays in that viewer's log as its hash alone.
"""

from __future__ import annotations

from typing import Any

from pymerkle import BaseMerkleTree, ConsistencyProof, InclusionProof
from pymerkle.hasher import MerkleHasher

ALGORITHM = "sha256"
_hasher = MerkleHasher(ALGORITHM)


def leaf_hash(body: bytes) -> bytes:
    """RFC 9162's leaf hash of an entry's bytes: SHA-256 of 0x00 and the bytes (the same in every viewer's log)."""
    return bytes(_hasher.hash_buff(body))


class LeafTree(BaseMerkleTree):
    """pymerkle's tree with its leaves kept as a list of hashes (the data appended is an entry's stored bytes)."""

    def __init__(self) -> None:
        self.digests: list[bytes] = []
        super().__init__(ALGORITHM)

    def _encode_entry(self, data: bytes) -> bytes:
        return data

    def _store_leaf(self, data: bytes, digest: bytes) -> int:
        self.digests.append(digest)
        return len(self.digests)

    def _get_leaf(self, index: int) -> bytes:
        return self.digests[index - 1]

    def _get_leaves(self, offset: int, width: int) -> list[bytes]:
        return self.digests[offset:offset + width]

    def _get_size(self) -> int:
        return len(self.digests)

    def append_hash(self, digest: bytes) -> None:
        self._store_leaf(b"", digest)

    def root(self, size: int | None = None) -> bytes:
        return bytes(self.get_root(size))

    def inclusion(self, index: int, size: int) -> InclusionProof:
        """The proof that leaf ``index`` (from 0) is in the tree of ``size`` leaves."""
        return self.prove_inclusion(index + 1, size)

    def consistency(self, prior: int, size: int) -> ConsistencyProof:
        return self.prove_consistency(prior, size)

    def consistency_path(self, prior: int, size: int) -> list[str]:
        """RFC 9162's consistency proof (section 2.1.4.1) from ``prior`` leaves to ``size``, in hex: the roots
        of the subtrees it names, each computed by pymerkle."""
        return [bytes(self._get_root(start, end)).hex() for start, end in _subproof(prior, size, 0, True)]


def _subproof(m: int, n: int, start: int, whole: bool) -> list[tuple[int, int]]:
    """The leaf ranges of SUBPROOF(m, D[start:start + n], whole) in RFC 9162, section 2.1.4.1."""
    if m == n:
        return [] if whole else [(start, start + n)]
    k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two below n
    if m <= k:
        return [*_subproof(m, k, start, whole), (start + k, start + n)]
    return [*_subproof(m - k, n - k, start + k, False), (start, start + k)]


def audit_path(proof: InclusionProof) -> list[str]:
    """The RFC 9162 audit path (sibling hashes from the leaf up) of a pymerkle inclusion proof, in hex;
    pymerkle puts the leaf's own hash first."""
    return [digest.hex() for digest in proof.path[1:]]


def serialized(proof: Any) -> dict[str, Any]:
    return dict(proof.serialize())
