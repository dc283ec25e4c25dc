"""Answers kept in the store: a read (what is due, the findings) as it was last given, so the same question on
an unchanged record is answered without decoding and folding the record again.

An answer is kept under its question (the read and the viewer) and stamped with all it depends on: the code
that computes it (every module of the package), the union's files, the record's position and the chain's
hash there, what was asked (the day, the reading) and today's date, since the default day is today while the
union stands.  One whose stamp does not match is computed again, never read; only the last answer of each
read and viewer is kept.  Like a snapshot, a kept answer is a cache, never part of the record: dropping them
all loses nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

from entente.record import Store
from entente.secretariat import snapshots

PREFIX = "answer "  # the snapshots table's names of kept answers
_PACKAGE = Path(__file__).parent.parent


@cache
def code_version() -> str:
    """A digest of every module of the package: an answer made by other code is not given."""
    code = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        code.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return code.hexdigest()[:16]


class Question:
    """One read asked of one store by one viewer, and the stamp a kept answer to it must bear."""

    def __init__(self, store: Store, union_folder: str | Path, read: str, viewer: str, asked: str,
                 today: date) -> None:
        self.store, self.name = store, f"{PREFIX}{read} {viewer}"
        # Taken before any answer is computed: an answer holds at least the record up to this position.
        self.position = store.position()
        self.stamp = (f"answers {code_version()} {snapshots.versions(str(union_folder))} "
                      f"chain {store.hash_at(self.position)} asked {asked} today {today.isoformat()}")

    def kept(self) -> Iterator[bytes] | None:
        """The answer kept for this very question on this very record, a slice at a time, if there is one."""
        return self.store.kept_slices(self.name, self.position, self.stamp)

    def keep(self, answer: bytes) -> None:
        """Keep ``answer`` for the next time the question is asked (not on a store opened read-only).  Not kept
        when the record grew while it was made (the union's own record loaded, another's write): it may hold
        more than the position it would be stamped with says, and the next asking keeps one."""
        if self.store.position() != self.position:
            return
        self.store.keep_snapshot(self.name, self.position, self.stamp, answer)
