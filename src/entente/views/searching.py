"""The search of what a viewer sees: the words of its entries' timeline rows indexed once for its view of the
record (``searchable``), then each query ranking the entries its words occur in (``found``) and making the rows
of those alone.  Scores and order are those of ``search.matched`` over every row the viewer sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from entente.replay.state import in_order
from entente.views.reports import Named, entry_titles, instrument_titles, timeline, title_forms
from entente.views.search import Index, indexed, matched, text_of
from entente.vocabulary.events import Event
from entente.vocabulary.union import Union


@dataclass(frozen=True)
class Searchable:
    """A viewer's entries in date order, what their rows name, and the index of their rows' words."""

    union: Union
    events: list[Event]
    titles: dict[str, str]
    forms: dict[str, dict[str, str]]
    named: Named
    index: Index

    def row(self, place: int) -> dict[str, Any]:
        """The timeline's row of the entry at ``place``, as the whole timeline gives it."""
        return timeline(self.union, [self.events[place]], self.titles, self.forms, self.named)[0]


def searchable(union: Union, events: Sequence[Event]) -> Searchable:
    """``events`` ready to be searched: each row made once to be indexed, and let go."""
    ordered = in_order(events)
    titles, forms, named = instrument_titles(ordered), title_forms(ordered), entry_titles(ordered)

    def text(event: Event) -> str:
        return text_of(timeline(union, [event], titles, forms, named)[0])

    return Searchable(union, ordered, titles, forms, named, indexed(map(text, ordered)))


def found(searched: Searchable, query: str) -> list[dict[str, Any]]:
    """Timeline rows holding every word of the query, best first, with their score (see ``views.search``)."""
    rows: dict[int, dict[str, Any]] = {}

    def row(place: int) -> dict[str, Any]:
        if place not in rows:
            rows[place] = searched.row(place)
        return rows[place]

    return [{**row(place), "score": round(score, 4)}
            for score, place in matched(searched.index, query, lambda place: text_of(row(place)))]


def search(union: Union, events: Sequence[Event], query: str) -> list[dict[str, Any]]:
    """``found`` among ``events``, indexed for this one query."""
    return found(searchable(union, events), query)
