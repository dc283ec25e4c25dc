"""Pages of the record: the union at a date, the timeline, search, the conferences, the bibliography."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.params import FromQuery

from entente.replay.model import in_order
from entente.views import reports as views
from entente.views import searching, sources
from entente.vocabulary import dates
from entente.vocabulary.events import Event, kind_of
from entente.web import exports, figures, paging
from entente.web.base import AnyRequest, Page, Query, page


def _days(p: Page) -> list[str]:
    """Every day the record (as this viewer sees it) starts an event on: the stops of the date control."""
    return p.kept("days", lambda events: sorted({dates.start(e.date) for e in events}))


def _presidency(p: Page, at: str) -> dict[str, object] | None:
    """The presidency rule's finding on the last conference held by ``at``: who presided, by which article."""
    found = [f for f in p.compliance(at) if f["rule"] == "presidency"]
    return found[-1] if found else None


def _union_context(p: Page, at: str) -> dict[str, Any]:
    days = _days(p)
    step = sum(1 for d in days if d <= at) - 1
    return {"at": at, "days": days, "step": max(step, 0),
            "previous": next((d for d in reversed(days) if d < at), None),
            "next": next((d for d in days if d > at), None),
            "state": views.union_state(p.union, p.record, at), "presidency": _presidency(p, at),
            "held": [c for c in _conferences(p) if c["start"] <= at][-1:]}


def _conferences(p: Page) -> list[dict[str, Any]]:
    """The conferences' rows, made once for the record as the viewer sees it."""
    return p.kept("conferences", lambda events: views.conferences(p.union, events))


@get("/union", sync_to_thread=True, include_in_schema=False)
def union(request: AnyRequest, at: Query = None, step: FromQuery[int | None] = None) -> Response[str]:
    """The union on one day; the slider moves through the record's days (``step``), the URL keeps the day."""
    with page(request) as p:
        days = _days(p)
        if step is not None and days:
            at = days[min(max(step, 0), len(days) - 1)]
        day = p.day(at)
        context = _union_context(p, day)
        if request.headers.get("hx-request"):
            # The slider asked for the state alone; the address bar gets the shareable URL of the day.
            return p.render("_state.html", headers={"HX-Push-Url": p.url("/union", at=day)}, **context)
        return p.render("union.html", **context)


# A timeline page's rows: a screen or a few, and the whole of a small union's record on one page.
TIMELINE_PER_PAGE = 100


@dataclass(frozen=True)
class Ordered:
    """The timeline's entries in date order, and what every row of it names, worked out once per record."""

    events: list[Event]
    kinds: list[str]
    titles: dict[str, str]
    forms: dict[str, dict[str, str]]
    named: views.Named


def _ordered(events: Sequence[Event]) -> Ordered:
    return Ordered(in_order(events), sorted({kind_of(e) for e in events}), views.instrument_titles(events),
                   views.title_forms(events), views.entry_titles(events))


def _chosen(events: Sequence[Event], kind: str | None, party: str | None) -> list[Event]:
    """The entries of ``kind`` naming ``party`` (either left out: every one), in the order given."""
    return [e for e in events if (not kind or kind_of(e) == kind) and (not party or party in _parties_named(e))]


@get("/timeline", sync_to_thread=True, include_in_schema=False)
def timeline(request: AnyRequest, kind: Query = None, party: Query = None) -> Response[Any]:
    """Every event, filtered by kind and by the party it names, each with its source quote and gloss, a page at a
    time (its exports: every row the filters choose, on every page)."""
    with page(request) as p:
        ordered = p.kept("timeline", _ordered)
        chosen = p.kept(("timeline", kind, party), lambda _: _chosen(ordered.events, kind, party)) \
            if kind or party else ordered.events

        def rows(events: Sequence[Event]) -> list[dict[str, Any]]:
            return views.timeline(p.union, events, ordered.titles, ordered.forms, ordered.named)

        if exports.format_asked(p, ics=True):
            return exports.listing(p, "timeline.html", rows(chosen), ics=True)
        listed = paging.paged(p, chosen, per_page=TIMELINE_PER_PAGE)
        return exports.listing(p, "timeline.html", rows(listed.rows), ics=True, kinds=ordered.kinds, kind=kind,
                               party=party, parties=p.union.parties, paged=listed,
                               status=listed.status)


def _parties_named(event: object) -> set[str]:
    """The party codes an event names in any field (actor, host, party, parties, requester...)."""
    named: set[str] = set()
    for name in ("actor", "host", "party", "requester", "proposer", "chair"):
        value = getattr(event, name, None)
        if isinstance(value, str):
            named.add(value)
    for name in ("parties", "addressees"):
        named.update(getattr(event, name, ()) or ())
    named.update(p.party for p in getattr(event, "participants", ()) or ())
    return named


SEARCH_PER_PAGE = 100  # entries a page of the search shows, best first


@get("/search", sync_to_thread=True, include_in_schema=False)
def search(request: AnyRequest, q: FromQuery[str] = "") -> Response[Any]:
    """Entries whose words contain every word asked for, among those the viewer may see."""
    with page(request) as p:
        # The words of what the viewer sees indexed once for its view (carried on over a write), each query then
        # ranked from there.
        rows = p.kept(("search", q), lambda _: searching.found(p.kept(
            "searchable", lambda events: searching.searchable(p.union, events), searching.carried), q))
        if exports.format_asked(p) is not None:  # every row the words find, on every page
            return exports.listing(p, "search.html", rows, q=q)
        listed = paging.paged(p, rows, per_page=SEARCH_PER_PAGE)
        return exports.listing(p, "search.html", listed.rows, q=q, paged=listed,
                               status=listed.status)


@get("/conferences", sync_to_thread=True, include_in_schema=False)
def conferences(request: AnyRequest) -> Response[Any]:
    """The conferences: a table, conferences per year against the treaty's minimum, a map of the hosts."""
    with page(request) as p:
        rows = _conferences(p)
        return exports.listing(p, "conferences.html", rows, ics=True,
                               chart=figures.per_year(rows, figures.minimum_per_year(p.secretariat.treaties)),
                               map=figures.host_map(rows))


@get("/bibliography", sync_to_thread=True, include_in_schema=False)
def bibliography(request: AnyRequest) -> Response[str]:
    """Every work the record cites, as a bibliography lists it, with the entries the viewer sees that rest on it."""
    with page(request) as p:
        return p.render("bibliography.html", works=sources.bibliography(p.union, views.timeline(p.union, p.events)))


ROUTES = [union, timeline, search, conferences, bibliography]
