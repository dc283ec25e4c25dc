"""The first page: the union's story for the public and a class, built from the record (``views.story``).

Nothing on it is written for one union: a second union's folder gets the same page from its own files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Response

from entente.rules import dated
from entente.views import reports
from entente.views.story import sources_of, sources_with, story
from entente.vocabulary.events import ConferenceHeld, Event
from entente.web import figures
from entente.web.base import AnyRequest, Page, page


def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def time_line(instruments: list[dict[str, Any]], first: str, last: str) -> dict[str, Any]:
    """Where each instrument's bar starts and how long it is, in percent of the record's years, with the years
    marked: from its signature to its end (or the record's last day)."""
    start, end = f"{first[:4]}-01-01", f"{int(last[:4]) + 1}-01-01"
    whole = max(_ordinal(end) - _ordinal(start), 1)

    def at(day: str) -> float:
        return round(100 * (_ordinal(min(max(day, start), end)) - _ordinal(start)) / whole, 2)

    bars = [{**i, "left": at(i["start"]), "width": max(at(i["end"] or last) - at(i["start"]), 0.8)}
            for i in instruments]
    span = range(int(first[:4]), int(last[:4]) + 1)
    every = -(-len(span) // 8)  # at most eight years marked, so they fit a phone's width
    years = [{"year": y, "left": at(f"{y}-01-01")} for y in span[::every]]
    return {"bars": bars, "years": years}


def _conferences(p: Page) -> list[dict[str, Any]]:
    """The story's conferences, kept with the viewer's view: after a write that holds none, the same rows."""
    def made(_: object) -> list[dict[str, Any]]:
        return reports.conferences(p.union, dated(p.record).events)

    def carried(rows: list[dict[str, Any]], added: list[Event]) -> list[dict[str, Any]]:
        return made(None) if any(isinstance(e, ConferenceHeld) for e in added) else rows

    return p.kept("story conferences", made, carried)


def _works(p: Page) -> dict[str, Any]:
    """The works the story counts, kept with the viewer's view and carried on over the entries a write adds."""
    return p.kept("story works", lambda _: sources_of(p.union, dated(p.record).events),
                  lambda earlier, added: sources_with(p.union, earlier, added))


def overview(request: AnyRequest) -> Response[str]:
    """The first page a browser gets at ``/`` (the API's root answers JSON to everyone else)."""
    with page(request) as p:
        day = p.day()
        # Told once for the viewer's view and day, from its fold and the findings the other pages share.
        # Its conferences and works are carried on over a write's entries rather than made from the whole record.
        told = p.kept(("story", day), lambda _: story(p.union, p.secretariat.treaties, p.record, day,
                                                      p.compliance(day), _conferences(p), _works(p)))
        chart = figures.per_year(told["conferences"], figures.minimum_per_year(p.secretariat.treaties))
        return p.render("overview.html", story=told, line=time_line(told["instruments"], told["first"], told["last"]),
                        chart=chart, at=day,
                        member_names=", ".join(p.party_name(m["code"]) for m in told["members"]))
