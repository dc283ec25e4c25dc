"""The search of what a viewer sees: the words of its entries' timeline rows indexed once for its view of the
record (``searchable``), carried on over the entries a write adds (``carried``), then each query ranking the
entries its words occur in (``found``) and making the rows of those alone.  Scores and order are those of
``search.matched`` over every row the viewer sees, in date order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from entente.replay.model import order_key
from entente.replay.state import in_order
from entente.views.reports import Named, entry_titles, instrument_titles, timeline, title_forms
from entente.views.search import Index, extended, indexed, matched, text_of
from entente.vocabulary.events import Event
from entente.vocabulary.union import Union


class _Asked(dict[str, Any]):
    """A table of titles that notes each key a row asks of it: the titles a later entry could change a row by."""

    def __init__(self, items: Mapping[str, Any], asked: set[str]) -> None:
        super().__init__(items)
        self.asked = asked

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)


@dataclass(frozen=True)
class Searchable:
    """A viewer's entries (in date order, then those added since in the order recorded), what their rows name,
    the index of their rows' words, and the titles those rows asked for (``asked``)."""

    union: Union
    events: list[Event]
    titles: dict[str, str]
    forms: dict[str, dict[str, str]]
    named: Named
    index: Index
    asked: set[str]
    added: bool = False  # whether entries were added after those in date order

    def row(self, place: int) -> dict[str, Any]:
        """The timeline's row of the entry at ``place``, as the whole timeline gives it."""
        return timeline(self.union, [self.events[place]], self.titles, self.forms, self.named)[0]


def _titled(union: Union, events: list[Event], titles: Mapping[str, str], forms: Mapping[str, dict[str, str]],
            named: Named, index: Index | None = None, asked: set[str] | None = None) -> Searchable:
    """``events`` with the titles their rows name; their rows indexed (after those of ``index``, if given), the
    titles they ask for noted in ``asked``."""
    asked = set() if asked is None else asked
    titles, forms, named = _Asked(titles, asked), _Asked(forms, asked), _Asked(named, asked)

    def text(event: Event) -> str:
        return text_of(timeline(union, [event], titles, forms, named)[0])

    texts = map(text, events if index is None else events[len(index.lengths):])
    return Searchable(union, events, titles, forms, named, indexed(texts) if index is None else extended(index, texts),
                      asked, index is not None)


def searchable(union: Union, events: Sequence[Event]) -> Searchable:
    """``events`` ready to be searched: each row made once to be indexed, and let go."""
    ordered = in_order(events)
    return _titled(union, ordered, instrument_titles(ordered), title_forms(ordered), entry_titles(ordered))


def carried(searched: Searchable, added: list[Event]) -> Searchable:
    """``searched`` with ``added`` (entries recorded after its own, all seen by its viewer): their rows indexed
    after its own, unless they give a title that a row indexed already asked for, or give one anew, which
    would change that row: then every row is indexed again."""
    titles, forms, named = instrument_titles(added), title_forms(added), entry_titles(added)
    given = titles.keys() | forms.keys() | named.keys()
    if any(key in searched.asked or key in searched.titles or key in searched.named for key in given):
        return searchable(searched.union, [*searched.events, *added])
    return _titled(searched.union, [*searched.events, *added], searched.titles | titles, searched.forms | forms,
                   {**searched.named, **named}, searched.index, set(searched.asked))


def found(searched: Searchable, query: str) -> list[dict[str, Any]]:
    """Timeline rows holding every word of the query, best first, with their score (see ``views.search``)."""
    rows: dict[int, dict[str, Any]] = {}

    def row(place: int) -> dict[str, Any]:
        if place not in rows:
            rows[place] = searched.row(place)
        return rows[place]

    events = searched.events
    order = (lambda place: order_key(events[place])) if searched.added else None
    return [{**row(place), "score": round(score, 4)}
            for score, place in matched(searched.index, query, lambda place: text_of(row(place)), order)]


def search(union: Union, events: Sequence[Event], query: str) -> list[dict[str, Any]]:
    """``found`` among ``events``, indexed for this one query."""
    return found(searchable(union, events), query)
