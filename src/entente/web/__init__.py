"""Web pages for people, served by ``entente serve`` beside the API: Jinja2 templates rendered on the server.

Every script, style and outline map ships in ``static/``: the pages work with
no network beyond the machine.  ``routes()`` is what the app mounts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, get
from litestar.datastructures import CacheControlHeader
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect
from litestar.router import Router
from litestar.static_files import create_static_files_router

from entente.api.reading import EARLY
from entente.web import (
    entry_pages,
    feed_pages,
    record_pages,
    secretariat_pages,
    session_pages,
    treaty_pages,
    what_if_pages,
)
from entente.web.story_pages import overview

STATIC = Path(__file__).parent / "static"
SWAGGER = "/static/vendor/swagger-ui"


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """A browser (asking for HTML before JSON) gets the page; an API client gets JSON, as before."""
    return request.accept.best_match(["application/json", "text/html"], default="application/json") == "text/html"


def routes() -> list[HTTPRouteHandler | Router]:
    return [*record_pages.ROUTES, *treaty_pages.ROUTES, *session_pages.ROUTES, *feed_pages.ROUTES,
            *secretariat_pages.ROUTES, *entry_pages.ROUTES, *what_if_pages.ROUTES,
            # Kept a day by browsers and shared caches, then checked again (Last-Modified, ETag); answered while
            # the record is taken up, as they need none of it.
            create_static_files_router("/static", directories=[STATIC], include_in_schema=False, opt=EARLY,
                                       cache_control=CacheControlHeader(public=True, max_age=86400)),
            favicon]


@get("/favicon.ico", include_in_schema=False, opt=EARLY, cache_control=CacheControlHeader(public=True, max_age=86400))
async def favicon() -> Redirect:
    """Browsers ask for /favicon.ico whatever a page names: the site's icon is an SVG in static/."""
    return Redirect("/static/favicon.svg", status_code=301)


__all__ = ["SWAGGER", "overview", "routes", "wants_html"]
