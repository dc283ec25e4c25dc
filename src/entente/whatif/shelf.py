"""Saved scenarios: kept by the digest of their text, in a folder of their own, never in the record.

A class opens the same scenario at the same address (``/what-if/<digest>``): the address names the text, so it
can never come to mean another scenario.  Only the scenario is kept; its result is made again, on the view of
whoever opens it, so a saved address shows no one what the viewer who saved it could see.  The union's own
scenarios are found by their digest too, with nothing saved.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

DIGEST = re.compile(r"^[0-9a-f]{20}$")
LARGEST = 64 * 1024  # bytes: a scenario is a page of changes, not a record


def normalised(text: str) -> str:
    """The text as kept: line ends made one, so a copy from another system keeps its address."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def digest(text: str) -> str:
    """The address of a scenario's text: the first 80 bits of its SHA-256, in hex."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:20]


class Shelf:
    """A folder of saved scenarios, and the union's own (``bundled``), each found by its digest."""

    def __init__(self, folder: Path, bundled: Path | None = None) -> None:
        self.folder = folder
        self.bundled = bundled

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

    def save(self, text: str) -> str:
        """Keeps the scenario's text (once: the same text is the same file) and gives its digest."""
        text = normalised(text)
        if len(text.encode("utf-8")) > LARGEST:
            raise ValueError(f"a scenario of more than {LARGEST // 1024} KiB is not kept")
        name = digest(text)
        path = self.folder / f"{name}.yaml"
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: a reader never finds half a scenario.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, delete=False,
                                             suffix=".part") as part:
                part.write(text)
            Path(part.name).replace(path)
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
