"""The viewer's log over HTTP: its signed checkpoint, inclusion and consistency proofs, and the public key.

Each answer is about the caller's own log; an entry it may not see has no
proof and is not found, exactly as one that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from entente.api.reads import At
from entente.api.refusals import DateRefused
from entente.ledger import checkpoints
from entente.ledger.checkpoints import CheckpointError
from entente.vocabulary.dates import DateError

if TYPE_CHECKING:
    from entente.api.hub import Hub
    from entente.secretariat.clearance import Viewer

AnyRequest = Request[Any, Any, Any]
EntryId = Annotated[str, PathParameter(description="The entry's id.")]
NOT_FOUND = {404: ResponseSpec(data_container=dict[str, Any], description="not in the caller's log, or not shown to "
                                                                          "it now")}


def _answer(request: AnyRequest, ask: Any) -> Response[Any]:
    hub: Hub = request.app.state.hub
    with hub.session():
        viewer = hub.viewer(request)
        try:
            found = ask(hub, viewer)
        except CheckpointError:  # a log that does not continue what was signed of it is not signed again
            return Response({"error": hub.ledger.broken_for(viewer) or "the log does not continue the last "
                             "checkpoint signed of it: not signed"}, status_code=503)
    if found is None:
        raise NotFoundException()
    return Response(found)


@get("/api/checkpoint", sync_to_thread=True, tags=["ledger"])
def checkpoint(request: AnyRequest) -> Response[dict[str, Any]]:
    """A signed checkpoint of the caller's log: its size and root hash (RFC 9162), to keep and check later."""
    return _answer(request, lambda hub, viewer: checkpoints.as_dict(hub.ledger.checkpoint(viewer)))


@get("/api/proof/{entry:str}", sync_to_thread=True, tags=["ledger"], responses=NOT_FOUND)
def proof(request: AnyRequest, entry: EntryId, at: At = None) -> Response[dict[str, Any]]:
    """The proof that an entry is in the caller's log, with the entry's bytes and the checkpoint it proves against;
    an entry the caller could not know on day ``at`` (as every read takes it) is not found, as one that does not
    exist."""
    def ask(hub: Hub, viewer: Viewer) -> dict[str, Any] | None:
        try:
            day = hub.secretariat.seen_on(viewer, at)[1]
        except DateError as exc:
            raise DateRefused(exc) from None
        return hub.ledger.proof(viewer, entry, day)

    return _answer(request, ask)


@get("/api/consistency", sync_to_thread=True, tags=["ledger"], responses=NOT_FOUND)
def consistency(request: AnyRequest, size: Annotated[int, QueryParameter(
        name="from", description="The size of a checkpoint kept earlier.")]) -> Response[dict[str, Any]]:
    """The proof that the caller's log of ``from`` entries is where its log now begins (404 unless 0 < from <= size)."""
    return _answer(request, lambda hub, viewer: hub.ledger.consistency(viewer, size))


@get("/api/key", sync_to_thread=True, tags=["ledger"])
def public_key(request: AnyRequest) -> Response[dict[str, str]]:
    """The public key (Ed25519, base64 of its 32 bytes) that checks every checkpoint."""
    return Response(request.app.state.hub.ledger.public_key())


ROUTES = [checkpoint, proof, consistency, public_key]
