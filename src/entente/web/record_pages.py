"""Pages of the record: the union at a date, the timeline, search, the conferences, the bibliography."""

from __future__ import annotations

from collections import Counter
from typing import Any

from litestar import Response, get
from litestar.params import FromQuery

from entente.views import reports as views
from entente.views import sources
from entente.vocabulary import dates
from entente.web import exports, figures
from entente.web.base import AnyRequest, Page, Query, page


def _days(p: Page) -> list[str]:
    """Every day the record (as this viewer sees it) starts an event on: the stops of the date control."""
    return sorted({dates.start(e.date) for e in p.events})


def _presidency(p: Page, at: str) -> dict[str, object] | None:
    """The presidency rule's finding on the last conference held by ``at``: who presided, by which article."""
    found = [f for f in views.compliance(p.union, p.secretariat.treaties, p.events, at) if f["rule"] == "presidency"]
    return found[-1] if found else None


def _union_context(p: Page, at: str) -> dict[str, Any]:
    days = _days(p)
    step = sum(1 for d in days if d <= at) - 1
    return {"at": at, "days": days, "step": max(step, 0),
            "previous": next((d for d in reversed(days) if d < at), None),
            "next": next((d for d in days if d > at), None),
            "state": views.union_state(p.union, p.events, at), "presidency": _presidency(p, at),
            "held": [c for c in views.conferences(p.union, p.events) if c["start"] <= at][-1:]}


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


@get("/timeline", sync_to_thread=True, include_in_schema=False)
def timeline(request: AnyRequest, kind: Query = None, party: Query = None) -> Response[Any]:
    """Every event, filtered by kind and by the party it names, each with its source quote and gloss."""
    with page(request) as p:
        rows = views.timeline(p.union, p.events)
        kinds = sorted(Counter(r["kind"] for r in rows))
        if kind:
            rows = [r for r in rows if r["kind"] == kind]
        if party:
            involved = {e.id for e in p.events if party in _parties_named(e)}
            rows = [r for r in rows if r["id"] in involved]
        return exports.listing(p, "timeline.html", rows, ics=True, kinds=kinds, kind=kind, party=party,
                               parties=p.union.parties)


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


@get("/search", sync_to_thread=True, include_in_schema=False)
def search(request: AnyRequest, q: FromQuery[str] = "") -> Response[Any]:
    """Entries whose words contain every word asked for, among those the viewer may see."""
    with page(request) as p:
        return exports.listing(p, "search.html", views.search(p.union, p.events, q), q=q)


@get("/conferences", sync_to_thread=True, include_in_schema=False)
def conferences(request: AnyRequest) -> Response[Any]:
    """The conferences: a table, conferences per year against the treaty's minimum, a map of the hosts."""
    with page(request) as p:
        rows = views.conferences(p.union, p.events)
        return exports.listing(p, "conferences.html", rows, ics=True,
                               chart=figures.per_year(rows, figures.minimum_per_year(p.secretariat.treaties)),
                               map=figures.host_map(rows))


@get("/bibliography", sync_to_thread=True, include_in_schema=False)
def bibliography(request: AnyRequest) -> Response[str]:
    """Every work the record cites, as a bibliography lists it, with the entries the viewer sees that rest on it."""
    with page(request) as p:
        return p.render("bibliography.html", works=sources.bibliography(p.union, views.timeline(p.union, p.events)))


ROUTES = [union, timeline, search, conferences, bibliography]
