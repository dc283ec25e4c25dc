"""The limits on saving scenarios, counted in the scenario folder: per viewer an hour, over all a day.

Each new scenario kept adds a line to ``saved.tally`` in the folder (when, who, how many bytes), under a lock
on the folder's ``saved.lock``, so several server processes sharing the folder count alike.  Lines older than a
day are dropped as the file is written again.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

HOUR, DAY = 3600.0, 86400.0


class TooLarge(ValueError):
    """A scenario larger than any kept."""


class Waiting(ValueError):
    """Saving refused for now: ``seconds`` until it is allowed again."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class Tally:
    """The saves of the last day, read and written under the folder's lock (a context manager)."""

    def __init__(self, folder: Path, now: float) -> None:
        self.folder, self.now = folder, now
        self.rows: list[tuple[float, str, int]] = []
        self._lock: int | None = None

    def __enter__(self) -> Tally:
        self._lock = os.open(self.folder / "saved.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        path = self.folder / "saved.tally"
        for line in path.read_text("utf-8").splitlines() if path.exists() else []:
            try:
                when, who, size = line.split("\t")
                row = (float(when), who, int(size))
            except ValueError:  # a line not written here (the file edited by hand): not counted
                continue
            if self.now - row[0] < DAY:
                self.rows.append(row)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._lock is not None
        os.close(self._lock)  # the lock goes with it

    def allow(self, by: str, size: int, per_viewer: int, overall: int) -> None:
        """Raise ``Waiting`` unless ``by`` may keep ``size`` more bytes now."""
        by = "".join(by.split())  # kept one to a line
        mine = sorted(when for when, who, _ in self.rows if who == by and self.now - when < HOUR)
        if len(mine) >= per_viewer:
            wait = mine[len(mine) - per_viewer] + HOUR - self.now
            raise Waiting(f"{per_viewer} scenarios saved in the last hour, the most one viewer may save; "
                          f"wait {wait:.0f} s and save again, or share one already saved", wait)
        kept = sum(n for *_, n in self.rows)
        if kept + size > overall:
            # The wait until enough of the day's bytes have left the day's count.
            freed, wait = 0, DAY
            for when, _, n in sorted(self.rows):
                freed += n
                if kept - freed + size <= overall:
                    wait = when + DAY - self.now
                    break
            raise Waiting(f"the scenarios saved in the last day come to {kept // 1024:,} KiB, the most kept in a "
                          f"day; wait {wait:.0f} s and save again", wait)

    def add(self, by: str, size: int) -> None:
        """Count a save by ``by`` now, written whole before the lock is let go."""
        self.rows.append((self.now, "".join(by.split()), size))
        text = "".join(f"{when!r}\t{who}\t{n}\n" for when, who, n in self.rows)
        part = self.folder / "saved.tally.part"
        part.write_text(text, "utf-8")
        part.replace(self.folder / "saved.tally")
