"""Write endpoints: ``POST /api/events/{kind}``, one route per kind, so the OpenAPI document shows each body.

(No ``from __future__ import annotations`` here: each generated handler's body
type is a local variable, which Litestar must see as a type, not a string.)
"""

import re
from typing import Annotated, Any

from litestar import Request, Response, post
from litestar.exceptions import ClientException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, JSONBody

from entente.api import write
from entente.api.refusals import asked_language, refused
from entente.languages.catalog import N_, translations
from entente.ledger.progress import Checking
from entente.vocabulary.events import KINDS, Event

_KEY = HeaderParameter(name="Idempotency-Key", required=False,
                       description="A retry with the same key (same viewer) records nothing and gets the first answer.")
_IF_MATCH = HeaderParameter(name="If-Match", required=False,
                            description="The ETag of the writer's last read; 409 if the writer's view of the "
                                        "record has changed since.")


def _expected(if_match: str | None) -> str | None:
    """The tag in If-Match, taken bare or as an entity tag (``"ab12"``, ``W/"ab12"``)."""
    if if_match is None:
        return None
    # A read of "today" carries its day after the tag (``ab12…-2026-11-26``): the record's tag is the same.
    found = re.fullmatch(r'\s*(?:W/)?"?([0-9a-f]{24})(?:-\d{4}-\d{2}-\d{2})?"?\s*', if_match)
    if found is None:
        raise ClientException(N_("If-Match must be the ETag of a read of this record"))
    return found[1]


def _route(kind: str, body: type[Event]) -> HTTPRouteHandler:
    def record(
        request: Request[Any, Any, Any],
        data: JSONBody[body],  # type: ignore[valid-type]
        idempotency_key: Annotated[str | None, _KEY] = None,
        if_match: Annotated[str | None, _IF_MATCH] = None,
    ) -> Response[write.Written | dict[str, Any]]:
        expected = _expected(if_match)
        hub = request.app.state.hub
        viewer = hub.viewer(request)
        lang = asked_language(request)  # a refusal's problems are said in it
        status, answer, replayed = write.attempt(hub.secretariat, write.to_event(kind, data), viewer,
                                                 key=idempotency_key, if_match=expected, ledger=hub.ledger,
                                                 catalog=translations(lang), lang=lang)
        headers = {"ETag": f'"{answer.tag}"'} if isinstance(answer, write.Written) else write.retry_after(answer)
        if "Retry-After" in headers and isinstance(answer, dict):  # the record is being checked: said as asked
            answer = {**answer, "error": refused(Checking(answer["retry_after"]), request)}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(answer, status_code=status, headers=headers)

    cls = KINDS[kind]
    return post(
        f"/api/events/{kind}", name=f"record-{kind}", operation_id=f"record_{kind}", sync_to_thread=True,
        status_code=201, tags=["record"], summary=f"Record a {kind} event",
        description=(cls.__doc__ or "").strip() + "\n\nWithout an id the server names the entry.",
        responses={
            403: ResponseSpec(data_container=dict[str, Any], description="the viewer may not record this act"),
            409: ResponseSpec(data_container=dict[str, Any], description="If-Match is stale, or the id is taken"),
            503: ResponseSpec(data_container=dict[str, Any], description="the record is being checked (a start's "
                              "check): Retry-After and retry_after say in how many seconds to try again; or the "
                              "record failed its check, and writes are refused until it is restored"),
            422: ResponseSpec(data_container=dict[str, Any], description="refused: the problems, each naming "
                              "its field, and where a treaty rule refuses it, the rule and article"),
        },
    )(record)


def routes() -> list[HTTPRouteHandler]:
    return [_route(kind, body) for kind, body in write.BODIES.items()]
