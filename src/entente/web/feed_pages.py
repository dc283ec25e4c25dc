"""Calendar feeds of one's own: an address per subscription, for the viewer who made it, revocable on its own.

The public calendar (``/calendar.ics``) is the public's.  A signed-in viewer makes
an address (``/feeds/<id>.<secret>.ics``) that a calendar program polls with no
cookie and no token: the address alone stands for that viewer, until the viewer
revokes it or its token is revoked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath

from entente.export import calendar
from entente.views.days import day_for
from entente.web import sessions
from entente.web.base import AnyRequest, cross_site, page
from entente.web.treaty_pages import due_page


@get("/feeds/{feed:str}", sync_to_thread=True, include_in_schema=False, media_type="text/calendar")
def feed(request: AnyRequest, feed: FromPath[str]) -> Response[Any]:
    """The calendar of what the feed's viewer may see; 404 for an address unknown or revoked, saying no more."""
    with page(request) as p:
        viewer = sessions.feed_viewer(p.secretariat.store, feed.removesuffix(".ics"))
        if viewer is None:
            return Response("no such calendar\n", status_code=404, media_type="text/plain; charset=utf-8")
        events = p.secretariat.events_for(viewer)
        day = day_for(None, events, p.union, date.today()).day
        version = p.request.app.state.hub.version(viewer)  # the feed names the record it was made from
        return Response(calendar(p.union, p.secretariat.treaties, events, day, version), media_type="text/calendar",
                        headers={"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"})


@post("/feeds", sync_to_thread=True, include_in_schema=False, status_code=200)
def make_feed(request: AnyRequest) -> Response[str]:
    """A new address for the signed-in viewer's calendar, shown once on the due page."""
    with page(request) as p:
        if cross_site(request):
            return p.render("forbidden.html", status=403)
        if p.viewer.kind == "public" or p.token is None:
            return p.render("signin.html", status=401, failed=False)
        made = sessions.new_feed(p.secretariat.store, p.viewer, p.token)
        return due_page(p, new_feed=made, status=201)


@post("/feeds/{feed_id:str}/revoke", sync_to_thread=True, include_in_schema=False, status_code=200)
def revoke_feed(request: AnyRequest, feed_id: FromPath[str]) -> Response[str]:
    """Revoke one of the viewer's own addresses: a calendar polling it gets nothing more."""
    with page(request) as p:
        if cross_site(request):
            return p.render("forbidden.html", status=403)
        if p.viewer.kind == "public":
            return p.render("signin.html", status=401, failed=False)
        sessions.revoke_feed(p.secretariat.store, p.viewer, feed_id)
        return due_page(p)


ROUTES = [feed, make_feed, revoke_feed]
