"""A union as its ``union.yaml`` describes it: its parties and the documents its record cites."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec

from entente.vocabulary.events import PartyCode, Text

# The words that name a viewer other than a party (``clearance.Viewer.parse``), with the kind each names:
# a party coded so would be read back as that viewer, so no union may code a party so.
VIEWER_WORDS = {"secretariat": "secretariat", "operator": "secretariat", "all": "secretariat", "public": "public"}


class Document(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    title: Text
    file: str | None = None
    lang: str = "en"


class Party(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: PartyCode
    names: Text
    # ``observer``: present at meetings, may speak, never counted in a decision, never bound.
    role: Literal["member", "observer", "outside"] = "member"
    cow: int | None = None


class Union(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    name: Text
    parties: tuple[Party, ...]
    documents: dict[str, Document] = {}
    folder: str = ""

    def party(self, code: str) -> Party | None:
        return next((p for p in self.parties if p.code == code), None)

    def document_text(self, document: str) -> str | None:
        doc = self.documents.get(document)
        if doc is None or doc.file is None:
            return None
        return (Path(self.folder) / doc.file).read_text(encoding="utf-8")
