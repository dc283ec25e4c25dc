"""How far a check of the record has come, how long it will take still, and what a write is told meanwhile.

A server's start checks the record on a thread beside its first answers (``Ledger.start``), and hashes the
kept entries' leaves again on another; a write, or a checkpoint, that comes meanwhile waits a second at most
and is then told how long to wait, from the rows each check has done and the time they took.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from entente.vocabulary.said import said

# Rows a second a check is taken to do until it has timed its own first batch: a server's first start beside
# its reads checked 30,000 rows a second or more (python -m bench.checking, on a busy two-core machine), and
# hashed kept leaves faster still, so a first estimate errs long rather than short.
CHECKED_A_SECOND = 20_000
HASHED_A_SECOND = 50_000


class Checking(Exception):
    """The record is being checked (a start's check, or the kept entries hashed again): a write, or a checkpoint
    signed, waits for it; ``seconds``: how long it is expected to take still, at least one."""

    why = "the record is being checked against what was signed before anything is written to it or signed from it"

    def __init__(self, seconds: float) -> None:
        self.seconds = max(1, math.ceil(seconds))
        # As data too, said in the reader's language where it is shown.
        self.told = said("the record is being checked against what was signed before anything is written to it "
                         "or signed from it: retry in %(seconds)s s", seconds=self.seconds)
        self.waiting = said("the record is being checked against what was signed before anything is written to "
                            "it or signed from it: about %(seconds)s s; waiting for it", seconds=self.seconds)
        super().__init__(f"{self.why}: retry in {self.seconds} s")


@dataclass(frozen=True)
class Progress:
    """One check: when it began, the rows it has done and how many it has to do."""

    began: float = 0.0
    done: int = 0
    total: int = 0

    def left(self, rate: float, after: float = 0.0) -> float:
        """Seconds to go, at the rate measured so far (``rate`` rows a second until a row is done); ``after``:
        the share of the rows' time the check takes once every row is done (keeping what it made)."""
        now = time.monotonic()
        if self.done and now > self.began:
            rate = self.done / (now - self.began)
        return (max(0, self.total - self.done) + self.total * after) / rate
