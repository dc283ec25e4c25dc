"""The Litestar application: one union per app, a store connection per request, errors as small JSON objects."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from .. import tokens
from ..access import PUBLIC, Viewer
from ..admission import Problem
from ..definition import DEFAULT_UNION
from ..events import KINDS, english
from ..record import open_store
from ..service import Secretariat
from . import reads, write, writes


class Hub:
    """The app's secretariat: the union and its treaties read once, the store opened for each request.

    A SQLite connection belongs to the thread that opened it, and requests run
    on a thread pool; opening one per request costs well under a millisecond
    (reading the union's files costs several), so each request opens its own.
    A PostgreSQL connection costs more to open (and opening one re-runs the
    store's guards), so there the app keeps one and lets one request use it at a time.
    """

    def __init__(self, db: str, union_folder: Path) -> None:
        opened = Secretariat.open(db, union_folder)  # claims the store and loads the bundled record, once
        self.db, self.union, self.treaties = db, opened.union, opened.treaties
        self._shared = opened if opened.store.postgres else None
        self._lock = threading.Lock()
        if self._shared is None:
            opened.close()

    @contextmanager
    def session(self) -> Iterator[Secretariat]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        secretariat = Secretariat(self.union, open_store(self.db), self.treaties)
        try:
            yield secretariat
        finally:
            secretariat.close()

    @staticmethod
    def viewer(secretariat: Secretariat, authorization: str | None) -> Viewer:
        """No Authorization header: the public.  Any token that does not resolve: 401, saying no more."""
        if authorization is None:
            return PUBLIC
        scheme, _, token = authorization.strip().partition(" ")
        found = tokens.resolve(secretariat.store, token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise NotAuthorizedException()
        return found

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()


def _error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Every error is ``{"error": ...}``; a 404 is the same bytes whatever was not found, or not shown."""
    if isinstance(exc, NotAuthorizedException):
        return Response({"error": "invalid token"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if exc.status_code == 404:
        return Response({"error": "not found"}, status_code=404)
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra \
            and all(isinstance(e, dict) and e.get("source") == "body" for e in exc.extra):
        # A body that does not fit its kind is refused like any other write, naming the field.
        status, answer = write.refusal([Problem(field=write.field(str(e.get("key") or ""), str(e["message"])),
                                                message=str(e["message"])) for e in exc.extra])
        return Response(answer, status_code=status)
    return Response({"error": exc.detail}, status_code=exc.status_code)


@get("/", sync_to_thread=False)
def root(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Where everything is."""
    hub: Hub = request.app.state.hub
    return {
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
            "record": {kind: f"/api/events/{kind}" for kind in KINDS},
            "openapi": "/schema/openapi.json",
        },
    }


def create_app(db: str, union_folder: Path = DEFAULT_UNION) -> Litestar:
    hub = Hub(db, union_folder)
    return Litestar(
        route_handlers=[root, *reads.ROUTES, *writes.routes()],
        state=State({"hub": hub}),
        exception_handlers={HTTPException: _error},
        on_shutdown=[lambda _app: hub.close()],
        openapi_config=OpenAPIConfig(
            title=f"Entente: {english(hub.union.name, hub.union.id)}", version="1",
            description="The record of a union of states, what its treaty makes of it, and writes to it. "
                        "Without a token you are the public; a bearer token stands for a party or the secretariat.",
            components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}),
            security=[{}, {"bearer": []}],
        ),
    )
