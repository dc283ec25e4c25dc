"""Where each entry comes from, for every interface: its source and the works it cites, each with the kind of
work it is, and the bibliography of a union with the entries that rest on each work.

Pure functions of the union and the rows a viewer sees: the bibliography lists a
work's entries from the viewer's timeline, so it names no entry the viewer may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from entente.vocabulary.events import Event, OutsideEvent, Source, english
from entente.vocabulary.union import Union

# The kind of source an entry is marked with: the kind of its document, or "allegation" for an entry that
# records what one party alleged (reported speech, never the fact it claims), or "none".
SOURCE_KINDS = ("seed", "treaty-text", "primary-document", "general-history", "compilation", "allegation", "none")


def cite(union: Union, source: Source) -> dict[str, Any]:
    """A source as every interface shows it: the document, its words, where in it, and what kind of work it is."""
    doc = union.documents.get(source.document)
    return {"document": source.document, "quote": source.quote, "lang": source.lang, "gloss": source.gloss,
            "pages": source.pages, "note": source.note, "kind": doc.kind if doc else None}


def source_kind(union: Union, event: Event) -> str:
    """The kind of source an entry rests on, as a reader weighs it (one of ``SOURCE_KINDS``)."""
    if isinstance(event, OutsideEvent) and event.category == "allegation":
        return "allegation"
    doc = union.documents.get(event.source.document) if event.source else None
    return doc.kind if doc else "none"


def provenance(union: Union, event: Event) -> dict[str, Any]:
    """The fields every row of an entry carries about its origin: its source, the kind of that source, whether
    the record infers it, and the further works it cites."""
    return {"source": cite(union, event.source) if event.source else None,
            "source_kind": source_kind(union, event), "inferred": event.inferred,
            "cites": [cite(union, c) for c in event.cites]}


def reference(union: Union, key: str) -> str:
    """A document as a bibliography writes it: author, title, where published, year, pages."""
    doc = union.documents[key]
    title = english(doc.title) or next(iter(doc.title.values()), key)
    parts = [doc.author, f"«{title}»", doc.published, doc.year, doc.pages]
    return ", ".join(p for p in parts if p)


def cited_works(union: Union) -> dict[str, str]:
    """Each work the union cites by its pages, without shipping it, as a bibliography writes it: what an entry's
    page names where it has no words to quote.  A shipped document is quoted instead, and its title, which may
    name what a viewer may not see, is left to the bibliography."""
    return {key: reference(union, key) for key, doc in union.documents.items() if doc.file is None}


def bibliography(union: Union, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every document of the union, as a bibliography lists it, with the entries (of ``rows``, a viewer's
    timeline) that rest on it: as their source or among the works they cite, each with the pages cited."""
    resting: dict[str, list[dict[str, Any]]] = {key: [] for key in union.documents}
    for row in rows:
        for role, source in [("source", row["source"])] + [("cites", c) for c in row.get("cites", [])]:
            if not source or source["document"] not in resting:
                continue
            listed = resting[source["document"]]
            # An entry citing a work in two places is listed once, with both places.
            same = next((e for e in listed if e["id"] == row["id"] and e["as"] == role), None)
            if same is None:
                listed.append({"id": row["id"], "date": row["date"], "summary": row["summary"],
                               "said": row.get("said"), "as": role,
                               "pages": source.get("pages")})
            elif source.get("pages"):
                same["pages"] = "; ".join(p for p in (same["pages"], source["pages"]) if p)
    return [{"document": key, "kind": doc.kind, "reference": reference(union, key),
             "title": english(doc.title) or next(iter(doc.title.values()), key), "author": doc.author,
             "year": doc.year, "published": doc.published, "pages": doc.pages, "file": doc.file, "note": doc.note,
             "entries": resting[key]}
            for key, doc in union.documents.items()]
