"""A viewer's Merkle tree (RFC 9162, section 2) over tiles, as C2SP tlog-tiles lays a log out (pure).

Level 0 holds the leaf hashes; level L holds the hash of every complete
subtree of 256^L leaves, in order, so a full tile of level L is 256 of them
(8 KiB).  A viewer's level 0 is not kept: its leaves are the record's shared
leaf hashes taken in the order of its log.  Levels 1 and up are computed once,
kept as tiles, and every root and proof is made from at most 256 hashes a
level: a log of a million entries is rooted or proved in a few hundred hashes,
not a million.  The proofs are RFC 9162's (PATH and SUBPROOF), checked in the
tests by an independent verifier written from the RFC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

TILE = 256  # hashes in a full tile
HEIGHT = 8  # levels of the tree a tile spans
WIDTH = 32  # bytes of a hash
EMPTY = hashlib.sha256(b"").digest()  # MTH of the empty tree

# The leaf hashes of a viewer's log from index ``start`` up to ``end`` (not included), concatenated.
Leaves = Callable[[int, int], bytes]


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def perfect(hashes: bytes) -> bytes:
    """The root over a power-of-two count of equal-height subtree hashes, concatenated."""
    level = [hashes[i:i + WIDTH] for i in range(0, len(hashes), WIDTH)]
    while len(level) > 1:
        level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0]


def _split(n: int) -> int:
    """The largest power of two below ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """The tree over a log: ``levels[L]`` (L >= 1) holds the hash of each complete block of 256^L leaves."""

    def __init__(self, leaves: Leaves, levels: list[bytearray] | None = None) -> None:
        self._leaves = leaves
        self.levels: list[bytearray] = [bytearray(), *(levels or [])]

    def covered(self) -> int:
        """The leaves the level-1 hashes cover (a multiple of 256)."""
        return len(self.levels[1]) // WIDTH * TILE if len(self.levels) > 1 else 0

    def extend(self, size: int) -> None:
        """Hash every complete block of 256 leaves within the first ``size``, and every level above them."""
        if len(self.levels) < 2:
            self.levels.append(bytearray())
        while self.covered() + TILE <= size:
            start = self.covered()
            self.levels[1] += perfect(self._leaves(start, start + TILE))
            level = 1
            while len(self.levels[level]) // WIDTH % TILE == 0:
                if len(self.levels) <= level + 1:
                    self.levels.append(bytearray())
                below = self.levels[level]
                self.levels[level + 1] += perfect(bytes(below[-TILE * WIDTH:]))
                level += 1

    def _hash(self, level: int, index: int) -> bytes:
        return bytes(self.levels[level][index * WIDTH:(index + 1) * WIDTH])

    def subtree(self, start: int, end: int) -> bytes:
        """MTH of leaves ``start`` to ``end`` (not included): a subtree as RFC 9162's recursion meets it."""
        n = end - start
        if n == 1:
            return self._leaves(start, end)
        if n & (n - 1) == 0:  # a complete block: from the highest level that has it, at most 256 hashes
            k = n.bit_length() - 1
            level = min(k // HEIGHT, len(self.levels) - 1)
            while level and end > len(self.levels[level]) // WIDTH * TILE ** level:
                level -= 1
            if level == 0:
                return perfect(self._leaves(start, end))
            unit = TILE ** level
            first = start // unit
            return perfect(bytes(self.levels[level][first * WIDTH:(first + n // unit) * WIDTH]))
        k = _split(n)
        return node(self.subtree(start, start + k), self.subtree(start + k, end))

    def root(self, size: int) -> bytes:
        if size == 0:
            return EMPTY
        self.extend(size)
        return self.subtree(0, size)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        """RFC 9162's audit path (PATH, section 2.1.3.1) of leaf ``index`` in the tree of ``size`` leaves."""
        self.extend(size)
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start += k
        return path[::-1]

    def consistency(self, prior: int, size: int) -> list[bytes]:
        """RFC 9162's consistency proof (section 2.1.4.1) from ``prior`` leaves to ``size``."""
        self.extend(size)
        return [self.subtree(start, end) for start, end in _subproof(prior, size, 0, True)]


def _subproof(m: int, n: int, start: int, whole: bool) -> list[tuple[int, int]]:
    """The leaf ranges of SUBPROOF(m, D[start:start + n], whole) in RFC 9162, section 2.1.4.1."""
    if m == n:
        return [] if whole else [(start, start + n)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, k, start, whole), (start + k, start + n)]
    return [*_subproof(m - k, n - k, start + k, False), (start, start + k)]


def tiles(levels: list[bytearray]) -> list[tuple[int, int, bytes]]:
    """Every full tile of levels 1 and up: (level, index, its 256 hashes)."""
    full = TILE * WIDTH
    return [(level, i, bytes(hashes[i * full:(i + 1) * full]))
            for level, hashes in enumerate(levels) if level for i in range(len(hashes) // full)]
