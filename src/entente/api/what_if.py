"""``POST /api/what-if``: a scenario sent as YAML (or JSON), run on the asking viewer's view, nothing recorded."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from litestar import Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.exceptions import ClientException, HTTPException, NotFoundException, TooManyRequestsException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter

from entente.api.reading import NOT_FOUND, VERSION_HEADER, VERSIONED, At
from entente.api.refusals import refused
from entente.languages.catalog import N_
from entente.rules import SETTINGS
from entente.views.days import day_for
from entente.views.versioned import versioned
from entente.vocabulary import dates
from entente.vocabulary.yamlfile import FileError
from entente.whatif.quota import TooLarge, Waiting
from entente.whatif.run import what_if
from entente.whatif.scenario import read_scenario

if TYPE_CHECKING:
    from entente.api.hub import Hub
    from entente.secretariat.clearance import Viewer
    from entente.secretariat.service import Secretariat

AnyRequest = Request[Any, Any, Any]
SENT = Path("scenario")  # what an error calls the document sent
Saved = Annotated[str, PathParameter(description="A saved scenario's address: the digest its saving answered.")]


def saver(request: AnyRequest, viewer: Viewer) -> str:
    """Whom a save counts against: a signed-in viewer, or the public by the address it comes from."""
    if viewer.kind != "public":
        return str(viewer)
    return f"public@{request.client.host if request.client else '?'}"


def retry_after(exc: Waiting) -> dict[str, str]:
    return {"Retry-After": str(math.ceil(exc.seconds))}


def run(secretariat: Secretariat, viewer: Viewer, text: str, at: str | None) -> dict[str, Any]:
    """A scenario's text run on what ``viewer`` could know on the day asked (``at``, else the scenario's own day),
    as the API answers it and the what-if page shows it; a FileError or a DateError where it cannot be."""
    scenario = read_scenario(SENT, secretariat.union, SETTINGS, text)
    seen = secretariat.seen_on(viewer, at or scenario.at)[0]
    day = day_for(at or scenario.at, seen.folded, secretariat.union, date.today()).day
    return what_if(secretariat.union, secretariat.treaties, viewer, seen.events, scenario, day, seen.folded)


def _run(request: AnyRequest, text: str, at: str | None) -> dict[str, Any]:
    hub: Hub = request.app.state.hub
    viewer = hub.viewer(request)
    try:
        return versioned(run(hub.secretariat, viewer, text, at), hub.version(viewer))
    except (FileError, dates.DateError) as exc:
        raise ClientException(refused(exc, request)) from None


def _answered(result: dict[str, Any]) -> Response[dict[str, Any]]:
    """A scenario's run, naming the version of the record it ran on in its header too, as every read does."""
    version = result["record_version"]
    return Response(result, headers={VERSION_HEADER: version} if version is not None else {})


@post("/api/what-if", status_code=200, tags=["views"], summary="Run a what-if scenario", response_headers=VERSIONED,
      responses={400: ResponseSpec(data_container=dict[str, Any], description="the scenario cannot be used: "
                                   "the message names its line and field")})
async def run_what_if(request: AnyRequest, at: At = None) -> Response[dict[str, Any]]:
    """The union replayed with a scenario's changes, sent as the body (YAML or JSON, as a scenario file is
    written): every finding, state line and thing due that changes, the record's beside the scenario's, and the
    version of the record it ran on (``record_version``).  It runs on what the asking viewer sees, and nothing
    is recorded."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ClientException(N_("the scenario must be UTF-8 text")) from None
    return _answered(await sync_to_thread(_run, request, text, at))


async def _text(request: AnyRequest) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ClientException(N_("the scenario must be UTF-8 text")) from None


@post("/api/what-if/saved", status_code=201, tags=["views"], summary="Save a what-if scenario to share",
      responses={400: ResponseSpec(data_container=dict[str, Any], description="the scenario cannot be used"),
                 413: ResponseSpec(data_container=dict[str, Any], description="a scenario of more than 64 KiB"),
                 429: ResponseSpec(data_container=dict[str, Any], description="too many saved for now, by this "
                                   "viewer in the last hour or by all in the last day; Retry-After says how long")})
async def save_what_if(request: AnyRequest) -> dict[str, str]:
    """Keeps a scenario (sent as ``POST /api/what-if`` takes it) under the digest of its text, outside the record,
    and answers its address: the web page (``/what-if/{id}``) and the API's (``/api/what-if/{id}``).  Opened,
    it runs again on the view of whoever opens it.  The same text always has the same address.  A viewer saves
    at most 20 new scenarios an hour (the public: each address), and all together at most 8 MiB a day."""
    text = await _text(request)
    hub: Hub = request.app.state.hub

    def saved() -> str:
        by = saver(request, hub.viewer(request))
        try:
            read_scenario(SENT, hub.union, SETTINGS, text)  # a scenario that cannot be read is not kept
            return hub.shelf.save(text, by)
        except TooLarge as exc:
            raise HTTPException(str(exc), status_code=413) from None
        except Waiting as exc:
            raise TooManyRequestsException(str(exc), headers=retry_after(exc)) from None
        except (FileError, ValueError) as exc:
            raise ClientException(refused(exc, request)) from None

    name = await sync_to_thread(saved)
    return {"id": name, "page": f"/what-if/{name}", "api": f"/api/what-if/{name}"}


@get("/api/what-if/{name:str}", tags=["views"], summary="Run a saved what-if scenario", responses=NOT_FOUND,
     response_headers=VERSIONED)
async def run_saved_what_if(request: AnyRequest, name: Saved, at: At = None) -> Response[dict[str, Any]]:
    """A saved scenario (or one of the union's own, by its digest) run on the asking viewer's view, answered as
    ``POST /api/what-if`` answers; nothing is recorded."""
    hub: Hub = request.app.state.hub
    text = await sync_to_thread(hub.shelf.get, name)
    if text is None:
        raise NotFoundException()
    return _answered(await sync_to_thread(_run, request, text, at))


ROUTES = [run_what_if, save_what_if, run_saved_what_if]
