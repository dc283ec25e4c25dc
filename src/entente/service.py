"""The imperative shell: opens a union's store and keeps it loaded with the union's bundled record."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .access import Viewer, visible
from .definition import DEFAULT_UNION, Union, bundled_record, load_union, read_events
from .events import Event
from .record import Store, open_store


class WrongUnion(ValueError):
    pass


@dataclass
class Secretariat:
    """A union's definition and its record store, used together."""

    union: Union
    store: Store

    @classmethod
    def open(cls, db: str, union_folder: Path = DEFAULT_UNION) -> Secretariat:
        union = load_union(union_folder)
        store = open_store(db)
        secretariat = cls(union, store)
        secretariat._claim()
        secretariat.load_bundled()
        return secretariat

    def _claim(self) -> None:
        cur = self.store.db.cursor()
        cur.execute(self.store._sql("SELECT value FROM meta WHERE key = ?"), ("union",))
        row = cur.fetchone()
        if row is None:
            cur.execute(self.store._sql("INSERT INTO meta VALUES (?, ?)"), ("union", self.union.id))
        self.store.db.commit()
        if row is not None and row[0] != self.union.id:
            raise WrongUnion(f"this store holds the record of {row[0]!r}, not {self.union.id!r}")

    def load_bundled(self) -> list[Event]:
        """Load the union's own record file once; later runs see it is unchanged and skip the work."""
        path = Path(self.union.folder) / "record.yaml"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = f"loaded:{path.name}:{digest}"
        cur = self.store.db.cursor()
        cur.execute(self.store._sql("SELECT 1 FROM meta WHERE key = ?"), (key,))
        done = cur.fetchone() is not None
        self.store.db.commit()
        if done:
            return []
        added = self.store.append(bundled_record(self.union))
        cur = self.store.db.cursor()
        cur.execute(self.store._sql("INSERT INTO meta VALUES (?, ?)"), (key, "1"))
        self.store.db.commit()
        return added

    def load_file(self, path: Path) -> list[Event]:
        return self.store.append(read_events(path, self.union))

    def events_for(self, viewer: Viewer) -> Sequence[Event]:
        return visible(self.store.events(), viewer)

    def close(self) -> None:
        self.store.close()
