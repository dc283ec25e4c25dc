"""Saved scenarios: kept by the digest of their text, in a folder of their own, never in the record.

A class opens the same scenario at the same address (``/what-if/<digest>``): the address names the text, so it
can never come to mean another scenario.  Only the scenario is kept; its result is made again, on the view of
whoever opens it, so a saved address shows no one what the viewer who saved it could see.  The union's own
scenarios are found by their digest too, with nothing saved.

Saving has limits, counted in the folder itself (``whatif.quota``), so every server process sharing it keeps
the same counts and the record's store is never written: a scenario of at most 64 KiB; so many new scenarios
an hour for each viewer; so many bytes of new scenarios a day over all.  Saving a text kept already costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from entente.whatif.quota import Tally, TooLarge

DIGEST = re.compile(r"^[0-9a-f]{20}$")
LARGEST = 64 * 1024  # bytes: a scenario is a page of changes, not a record
PER_VIEWER = 20  # new scenarios a viewer may save in an hour: a lesson's worth
OVERALL = 8 * 1024 * 1024  # bytes of new scenarios kept in a day over all: the folder grows by at most this


def normalised(text: str) -> str:
    """The text as kept: line ends made one, so a copy from another system keeps its address."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def digest(text: str) -> str:
    """The address of a scenario's text: the first 80 bits of its SHA-256, in hex."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:20]


class Shelf:
    """A folder of saved scenarios, and the union's own (``bundled``), each found by its digest."""

    def __init__(self, folder: Path, bundled: Path | None = None, per_viewer: int = PER_VIEWER,
                 overall: int = OVERALL) -> None:
        self.folder = folder
        self.bundled = bundled
        self.per_viewer, self.overall = per_viewer, overall

    @classmethod
    def beside(cls, db: str, bundled: Path | None = None) -> Shelf:
        """The shelf of a store: ``ENTENTE_WHAT_IF`` where set; else beside a SQLite file
        (``record.sqlite.what-if/``); else, for a server store, in the user's data folder."""
        if named := os.environ.get("ENTENTE_WHAT_IF"):
            return cls(Path(named), bundled)
        if "://" not in db and db != ":memory:":
            return cls(Path(f"{db}.what-if"), bundled)
        data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        return cls(data / "entente" / "what-if" / hashlib.sha256(db.encode()).hexdigest()[:12], bundled)

    def own(self) -> list[tuple[str, str]]:
        """The union's own scenarios: (digest, file name), in order of name."""
        if self.bundled is None or not self.bundled.is_dir():
            return []
        return [(digest(p.read_text("utf-8")), p.name) for p in sorted(self.bundled.glob("*.yaml"))]

    def save(self, text: str, by: str = "", now: float | None = None) -> str:
        """Keeps the scenario's text (once: the same text is the same file) and gives its digest.

        ``by`` names who saves it (a viewer; the public by its address), counted against its limit; ``now``:
        seconds since the epoch.  Raises ``TooLarge``, or ``Waiting`` with the seconds until saving is
        allowed again; nothing is kept then."""
        text = normalised(text)
        size = len(text.encode("utf-8"))
        if size > LARGEST:
            raise TooLarge(f"a scenario of more than {LARGEST // 1024} KiB is not kept ({size:,} bytes sent)")
        name = digest(text)
        path = self.folder / f"{name}.yaml"
        if path.exists():
            return name
        self.folder.mkdir(parents=True, exist_ok=True)
        with Tally(self.folder, now if now is not None else time.time()) as tally:
            if path.exists():  # saved by another meanwhile
                return name
            tally.allow(by, size, self.per_viewer, self.overall)
            # Written whole, then renamed: a reader never finds half a scenario.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, delete=False,
                                             suffix=".part") as part:
                part.write(text)
            Path(part.name).replace(path)
            tally.add(by, size)
        return name

    def get(self, name: str) -> str | None:
        """The text kept at ``name``, or None (a name that is not a digest is never looked for)."""
        if not DIGEST.match(name):
            return None
        path = self.folder / f"{name}.yaml"
        if path.is_file():
            return path.read_text("utf-8")
        if self.bundled is not None:
            for p in sorted(self.bundled.glob("*.yaml")):
                text = p.read_text("utf-8")
                if digest(text) == name:
                    return text
        return None
