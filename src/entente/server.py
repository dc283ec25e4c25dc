"""The application `entente serve` runs: the JSON API and the web pages on one hub, errors as small JSON objects."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.concurrency import sync_to_thread
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.router import Router

from entente import web
from entente.api import findings, ledger, reads, what_if, write, writes
from entente.api.hub import Hub, Stopping
from entente.api.reading import EARLY
from entente.api.refusals import DateRefused, asked_language, refused
from entente.languages.catalog import N_, translations
from entente.ledger.elsewhere import Elsewhere
from entente.ledger.logs import Ledger
from entente.ledger.progress import Checking
from entente.secretariat.admission import said_problem
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import KINDS, english
from entente.vocabulary.messages import explain_said
from entente.vocabulary.yamlfile import field_path
from entente.workers import CHECK_VARIABLE, DB_VARIABLE, START_VARIABLE, UNION_VARIABLE, WORKERS_VARIABLE

log = logging.getLogger("entente.api")
# The largest body a write may send: an entry with long notes and quotes is a few kilobytes.
MAX_BODY = 256 * 1024


def _said(request: Request[Any, Any, Any], message: str) -> str:
    """An error of the server's own in the language the request asks for (as it is, where the catalog has none)."""
    return translations(asked_language(request)).gettext(message)


def _error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Every error is ``{"error": ...}``; a 404 is the same bytes whatever was not found, or not shown."""
    if isinstance(exc, NotAuthorizedException):
        return Response({"error": _said(request, N_("invalid token"))}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})
    if exc.status_code == 404:
        return Response({"error": _said(request, N_("not found"))}, status_code=404)
    if isinstance(exc, DateRefused):  # a day or a record time not read: why, in the language asked for
        return Response({"error": refused(exc.error, request)}, status_code=exc.status_code)
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra \
            and all(isinstance(e, dict) and e.get("source") == "body" for e in exc.extra):
        # A body that does not fit its kind is refused like any other write, naming the field, in the project's
        # words (as `entente record` says it) and in the language asked for.
        kind = write.BODIES.get(request.url.path.rsplit("/", 1)[-1])
        problems = []
        for e in exc.extra:
            message, named = str(e["message"]), write.field(str(e.get("key") or ""), str(e["message"]))
            keys = field_path(named) if named != "body" else []
            problems.append(said_problem(named, explain_said(message, kind, keys) if kind else message))
        lang = asked_language(request)
        status, answer = write.refusal(problems, catalog=translations(lang), lang=lang)
        return Response(answer, status_code=status)
    return Response({"error": _said(request, exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def _checking(request: Request[Any, Any, Any], exc: Checking) -> Response[dict[str, Any]]:
    """A checkpoint asked for while the start's check runs: 503, saying in how many seconds to ask again."""
    answer = {**write.checking(exc), "error": refused(exc, request)}
    return Response(answer, status_code=503, headers=write.retry_after(answer))


def _stopping(request: Request[Any, Any, Any], exc: Stopping) -> Response[dict[str, Any]]:
    """A request that waited for the record while the server was told to stop: 503, and the connection closed."""
    return Response({"error": refused(exc, request)}, status_code=503, headers={"Connection": "close"})


def _too_deep(request: Request[Any, Any, Any], _exc: RecursionError) -> Response[dict[str, Any]]:
    # Raised while the body is read, before the token is looked at: say what is wrong and nothing else.
    return Response({"error": _said(request, N_("the body nests too deeply to be an entry"))}, status_code=400)


def _crash(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A fault of the server: logged with its cause and the request that met it; the caller learns no more."""
    log.error("500 on %s %s", request.method, request.url.path, exc_info=exc)
    return Response({"error": _said(request, N_("internal error: the server could not answer this request"))},
                    status_code=500)


async def _held_first(request: Request[Any, Any, Any]) -> None:
    """While the record is taken up, a request that needs it waits for it here, holding no worker thread, unless
    it can be answered without it (the links, a read kept by the last server)."""
    hub: Hub = request.app.state.hub
    if not hub.started and not request.route_handler.opt.get("early"):
        await hub.until_started()


@get("/", opt=EARLY)
async def root(request: Request[Any, Any, Any]) -> Response[Any]:
    """Where everything is: the overview page for a browser, links as JSON for an API client."""
    if web.wants_html(request):
        await request.app.state.hub.until_started()
        return await sync_to_thread(web.overview, request)
    hub: Hub = request.app.state.hub
    return Response({
        "union": hub.union.id,
        "name": english(hub.union.name, hub.union.id),
        "links": {
            "timeline": "/api/timeline",
            "conferences": "/api/conferences",
            "state": "/api/state?at=YYYY-MM-DD",
            "compliance": "/api/compliance?at=YYYY-MM-DD",
            "due": "/api/due?at=YYYY-MM-DD",
            "next": "/api/next?at=YYYY-MM-DD",
            "search": "/api/search?q=words",
            "treaties": "/api/treaties",
            "party": "/api/parties/{code}?at=YYYY-MM-DD",
            "code": "/api/code",
            "calendar": "/calendar.ics",
            "event": "/api/events/{id}",
            "audit": "/api/audit",
            "checkpoint": "/api/checkpoint",
            "proof": "/api/proof/{id}",
            "consistency": "/api/consistency?from=SIZE",
            "key": "/api/key",
            "record": {kind: f"/api/events/{kind}" for kind in KINDS},
            "openapi": "/schema/openapi.json",
        },
    })


def create_app(db: str, union_folder: Path = DEFAULT_UNION, secretariat: Secretariat | None = None,
               checked: Ledger | None = None, away: Elsewhere | None = None) -> Litestar:
    """The app on the store ``db``; with the secretariat and ledger the starting command opened, where it did,
    and the check of the record it began in a process of its own (``away``), if it did."""
    hub = Hub(db, union_folder, secretariat, checked, away)
    return Litestar(
        route_handlers=[root, *reads.ROUTES, *findings.ROUTES, *ledger.ROUTES, *what_if.ROUTES, *writes.routes(),
                        *web.routes()],
        state=State({"hub": hub}),
        before_request=_held_first,
        exception_handlers={HTTPException: _error, Checking: _checking, Stopping: _stopping,
                            RecursionError: _too_deep, Exception: _crash},
        request_max_body_size=MAX_BODY,
        # Pages, static files and JSON sent compressed to a client that takes it: brotli where it says so (every
        # current browser over HTTPS), else gzip (a timeline page: 43 kB, 9 kB gzipped, less with brotli).
        compression_config=CompressionConfig(backend="brotli", brotli_gzip_fallback=True, minimum_size=1024),
        on_startup=[lambda _app: hub.on_signals()],
        on_shutdown=[lambda _app: hub.close()],
        openapi_config=OpenAPIConfig(
            title=f"Entente: {english(hub.union.name, hub.union.id)}", version="1",
            description="The record of a union of states, what its treaty makes of it, and writes to it. "
                        "Without a token you are the public; a bearer token stands for a party or the secretariat.",
            components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}),
            use_handler_docstrings=True,  # each operation described by its handler's docstring
            # The schema and its page are the union's and the code's, not the record's: answered while it is taken up.
            openapi_router=Router("/schema", route_handlers=[], include_in_schema=False, opt=EARLY),
            security=[{}, {"bearer": []}],
            # The documentation page's scripts are served from the package, not fetched from elsewhere.
            render_plugins=[SwaggerRenderPlugin(js_url=f"{web.SWAGGER}/swagger-ui-bundle.js",
                                                css_url=f"{web.SWAGGER}/swagger-ui.css",
                                                standalone_preset_js_url=f"{web.SWAGGER}/swagger-ui-standalone-preset.js",
                                                favicon="")],
        ),
    )


def from_environment() -> Litestar:
    """The app of one of several server processes on one store (``entente serve --workers``).

    The command that starts them has checked the record and kept every viewer's ledger log already, or has
    begun a process of its own that does (its file in ``CHECK_VARIABLE``), so each process only resumes from
    what was kept, reading, once that is done: they start side by side and answer reads meanwhile.  They begin
    to answer together, once every one is listening, so the first answer means all of them answer; each takes
    up the record as a single server does (``Hub``), a read of it waiting until it is held.
    """
    import fcntl  # here, not above: a single server runs where there is no fcntl (Windows)

    away = Elsewhere(checking) if (checking := os.environ.get(CHECK_VARIABLE)) else None
    app = create_app(os.environ[DB_VARIABLE], Path(os.environ[UNION_VARIABLE]), away=away)
    path = os.environ[START_VARIABLE]
    with open(path, "r+b") as started:
        fcntl.flock(started, fcntl.LOCK_EX)  # the count told by one process at a time
        count = int(started.read() or b"0") + 1  # a process started again after a fault counts again
        started.seek(0)
        started.write(str(count).encode())
        started.truncate()
    while int(Path(path).read_bytes() or b"0") < int(os.environ[WORKERS_VARIABLE]):
        time.sleep(0.05)
    return app
