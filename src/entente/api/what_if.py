"""``POST /api/what-if``: a scenario sent as YAML (or JSON), run on the asking viewer's view, nothing recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, post
from litestar.concurrency import sync_to_thread
from litestar.exceptions import ClientException
from litestar.openapi.datastructures import ResponseSpec

from entente.api.reads import At
from entente.rules import SETTINGS
from entente.views.days import day_for
from entente.vocabulary import dates
from entente.vocabulary.yamlfile import FileError
from entente.whatif.run import what_if
from entente.whatif.scenario import read_scenario

if TYPE_CHECKING:
    from entente.api.hub import Hub

AnyRequest = Request[Any, Any, Any]
SENT = Path("scenario")  # what an error calls the document sent


def _run(request: AnyRequest, text: str, at: str | None) -> dict[str, Any]:
    hub: Hub = request.app.state.hub
    secretariat = hub.secretariat
    viewer = hub.viewer(secretariat, request)
    try:
        scenario = read_scenario(SENT, secretariat.union, SETTINGS, text)
        seen = secretariat.seen_on(viewer, at or scenario.at)[0]
        day = day_for(at or scenario.at, seen.folded, secretariat.union, date.today()).day
        return what_if(secretariat.union, secretariat.treaties, viewer, seen.events, scenario, day, seen.folded)
    except (FileError, dates.DateError) as exc:
        raise ClientException(str(exc)) from None


@post("/api/what-if", status_code=200, tags=["views"], summary="Run a what-if scenario",
      responses={400: ResponseSpec(data_container=dict[str, Any], description="the scenario cannot be used: "
                                   "the message names its line and field")})
async def run_what_if(request: AnyRequest, at: At = None) -> Response[dict[str, Any]]:
    """The union replayed with a scenario's changes, sent as the body (YAML or JSON, as a scenario file is
    written): every finding, state line and thing due that changes, the record's beside the scenario's.
    It runs on what the asking viewer sees, and nothing is recorded."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ClientException("the scenario must be UTF-8 text") from None
    return Response(await sync_to_thread(_run, request, text, at))


ROUTES = [run_what_if]
