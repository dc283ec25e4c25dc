"""A union as its ``union.yaml`` describes it: its parties and the documents its record cites."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec

from entente.vocabulary.events import PartyCode, Text

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


class Role(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A role a party may hold in the union, and what a party holding it may do, as a union declares it.

    Fields:
        names: the role's name, in the languages it has (e.g. {en: Permanent Participant})
        attends: present at the union's meetings
        speaks: may speak at them
        counted: counted in a decision (its vote, its presence for a quorum)
        bound: may be bound by an instrument (sign it, accede to it)
    """

    names: Text
    attends: bool = True
    speaks: bool = True
    counted: bool = False
    bound: bool = False


# The roles every union has: a member (bound by the union's instruments, counted), an observer (present, may
# speak, never counted, never bound) and an outside power (not at the union's meetings; bound by, and counted
# under, an instrument it signs beside the union's).  A union declares any other in ``roles``.
ROLES: dict[str, Role] = {
    "member": Role(names={"en": "member"}, counted=True, bound=True),
    "observer": Role(names={"en": "observer"}),
    "outside": Role(names={"en": "outside power"}, attends=False, speaks=False, counted=True, bound=True),
}


class Party(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A party of the union.

    Fields:
        code: its code
        names: its name, in the languages it has
        role: ``member``, ``observer``, ``outside``, or a role the union declares in ``roles``
        since: the day it took up its role (an observer's or a participant's admission); none: from the union's
          beginning.  A member's membership follows the instruments that bind it instead.
        cow: its Correlates of War state code
    """

    code: PartyCode
    names: Text
    # ``observer``: present at meetings, may speak, never counted in a decision, never bound.
    role: str = "member"
    since: str | None = None
    cow: int | None = None

    def holds_role(self, day: str) -> bool:
        """Whether it holds its role at the end of ``day`` (from its ``since``, where given)."""
        return self.since is None or self.since <= day


class Union(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    name: Text
    parties: tuple[Party, ...]
    documents: dict[str, Document] = {}
    # The version of the files' format the folder is written for (``vocabulary.formats``); none: the current.
    format: int | None = None
    # The roles the union has beyond member, observer and outside, by name, with what each may do.
    roles: dict[str, Role] = {}
    # True where the union's history is recorded through the secretariat (``entente load``, the API, the web
    # forms) rather than in the folder's record.yaml: its treaty files' instruments need not be signed there.
    recorded_elsewhere: bool = False
    folder: str = ""

    def role(self, name: str) -> Role:
        """What a party of the role ``name`` may do: as the union declares it, or as every union has it."""
        return self.roles.get(name) or ROLES[name]

    def with_role(self, name: str, day: str) -> list[str]:
        """The parties holding the role ``name`` on ``day``, in the order the union lists them."""
        return [p.code for p in self.parties if p.role == name and p.holds_role(day)]

    def party(self, code: str) -> Party | None:
        return next((p for p in self.parties if p.code == code), None)

    def document_text(self, document: str) -> str | None:
        doc = self.documents.get(document)
        if doc is None or doc.file is None:
            return None
        return (Path(self.folder) / doc.file).read_text(encoding="utf-8")
