"""A union as its ``union.yaml`` describes it: its parties and the documents its record cites."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec

from entente.vocabulary.events import PartyCode, Text

# The words that name a viewer other than a party (``clearance.Viewer.parse``), with the kind each names:
# a party coded so would be read back as that viewer, so no union may code a party so.
VIEWER_WORDS = {"secretariat": "secretariat", "operator": "secretariat", "all": "secretariat", "public": "public"}


# What kind of work a document is, as a reader weighs it: the account the record is transcribed from, the
# text of a treaty (or its publication), another primary document (a note, an ultimatum, minutes), a work
# of history, or the union's own notes gathering facts from other works.
DocumentKind = Literal["seed", "treaty-text", "primary-document", "general-history", "compilation"]


class Document(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A document the record cites, as a bibliography lists it.

    Fields:
        title: its title, in the languages it has
        file: the file the union ships it in, kept as received (none for a work cited by its pages)
        sha256: the SHA-256 of the file as received, in hexadecimal, so that a changed copy is caught
        lang: the language of its text
        kind: what kind of work it is (see ``DocumentKind``)
        author: who wrote or edited it
        year: when it was published
        published: where: the journal and issue, the series and volume, or the publisher and place
        pages: the pages of the whole work cited (an entry cites its own pages)
        note: what the union says about the document, kept apart from the document itself
    """

    title: Text
    file: str | None = None
    sha256: str | None = None
    lang: str = "en"
    kind: DocumentKind = "seed"
    author: str | None = None
    year: str | None = None
    published: str | None = None
    pages: str | None = None
    note: str | None = None


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
    # The version of the files' format the folder is written for (``vocabulary.formats``); none: the current.
    format: int | None = None
    # True where the union's history is recorded through the secretariat (``entente load``, the API, the web
    # forms) rather than in the folder's record.yaml: its treaty files' instruments need not be signed there.
    recorded_elsewhere: bool = False
    folder: str = ""

    def party(self, code: str) -> Party | None:
        return next((p for p in self.parties if p.code == code), None)

    def document_text(self, document: str) -> str | None:
        doc = self.documents.get(document)
        if doc is None or doc.file is None:
            return None
        return (Path(self.folder) / doc.file).read_text(encoding="utf-8")
