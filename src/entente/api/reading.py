"""How every read is answered: what the asking viewer sees (``Secretariat.seen``), computed once, tagged, with
304 for a matching If-None-Match; and the parameters every read shares (``at``, ``known_at``, a 404 that reads the
same for what does not exist and what the viewer may not see)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Protocol
from urllib.parse import urlencode

import msgspec
from litestar import MediaType, Request, Response
from litestar.concurrency import sync_to_thread
from litestar.datastructures import ResponseHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from entente.api.kept_reads import Read
from entente.api.refusals import DateRefused
from entente.replay.dated import DatedState, fold
from entente.secretariat.clearance import PUBLIC
from entente.secretariat.projections import Seen
from entente.secretariat.service import Secretariat
from entente.views import reports as views
from entente.views.days import day_for
from entente.views.versioned import versioned
from entente.vocabulary import dates
from entente.vocabulary.events import Event

if TYPE_CHECKING:
    from entente.api.hub import Hub

AnyRequest = Request[Any, Any, Any]


class Held(Protocol):
    """What a read is computed from: the events the viewer sees, and them folded (a ``Seen`` holds both)."""

    @property
    def events(self) -> Sequence[Event]: ...

    @property
    def folded(self) -> DatedState: ...


@dataclass
class Then:
    """The events a viewer saw at a past record time (``known_at``), folded only if a read asks for it."""

    events: Sequence[Event]

    @cached_property
    def folded(self) -> DatedState:
        return fold(self.events)


# A route that may answer while the record is taken up (a read by ``read``, from what the last server kept), and
# waits for the record itself where it cannot: not held back by the app's ``before_request``.
EARLY: dict[str, Any] = {"early": True}

# The same answer whether nothing is there or the viewer may not see it.
NOT_FOUND = {404: ResponseSpec(data_container=dict[str, Any], description="not found, or not for this viewer")}
At = Annotated[str | None, QueryParameter(description=(
    'A day: 1938-03-01, 1938-03, 1938, "March 1938", "1938. gada martā" (a month or year means its last day). '
    "Default: today while the union is in force, else the last day of its record."))]
Since = Annotated[str | None, QueryParameter(description=(
    "An earlier day, written as ``at`` is: what changed in the rules' settings from then to ``at``."))]
EntryId = Annotated[str, PathParameter(description="The entry's id.")]
Code = Annotated[str, PathParameter(description="The party's code, in any case.")]
ReadingName = Annotated[str | None, QueryParameter(
    description="One reading of the contested articles; default: every reading's verdict where they differ.")]


# The header every read names the record's version in, as its JSON does (``views.versioned``): the one place an
# answer that is not JSON (the calendar), an empty list or an entry as recorded carries it.
VERSION_HEADER = "Entente-Record-Version"
VERSIONED = [ResponseHeader(name=VERSION_HEADER, documentation_only=True, description=(
    "The version of the record the answer was read from: the reader's log as signed, "
    "`entente/<union>/<viewer> <size> <root hash>`; absent while the log does not continue what was signed."))]
Shaped = Callable[[Any, "str | None"], Any]


@dataclass(frozen=True)
class Made:
    """A read's answer as kept with the view: its bytes, and the version of the record they were made from."""

    body: bytes
    version: str | None


async def read(request: AnyRequest, compute: Callable[[Secretariat, Held], Any],
               media_type: str | None = None, today_by_default: bool = False,
               shaped: Shaped = versioned) -> Response[Any]:
    """A view of what the asking viewer sees, tagged; a matching If-None-Match gets 304 and nothing computed.

    The tag is of what this viewer sees, never the record's position, which would count hidden entries.
    A view is computed once per distinct request while the viewer's view of the record stays the same.
    A view of "today" (``today_by_default``: no day asked for, while the union is in force) is tagged and
    kept for the day as well, so the next day it is computed again, not served from yesterday.

    ``shaped`` puts the version of the record into what ``compute`` made (by default ``record_version`` in
    each row, or in the object): the viewer's own log as signed when the view was made, which no entry hidden
    from the viewer changes.  A view kept and answered again names the version it was made from: the record
    at that version gives the same view, so a citation of it holds.

    A view the public asked for already, while nothing was recorded since, is answered here on the event
    loop (the usual read: a few microseconds of work); anything that reads the store, resolves a token or
    computes is done on a worker thread, so no request waits behind another's work.
    """
    hub: Hub = request.app.state.hub
    if not hub.started:
        if "known_at" not in request.query_params:
            # While the record is taken up: the read the last server answered, if nothing was recorded since.
            kept = await sync_to_thread(_kept, request)
            if kept is not None:
                return kept
        await hub.until_started()
    if "authorization" not in request.headers and "known_at" not in request.query_params:
        seen = hub.secretariat.held_on(PUBLIC, request.query_params.get("at"))
        if seen is not None:
            answer = _answer(request, seen, None, media_type, today_by_default)
            if answer is not None:
                return answer
    return await sync_to_thread(_computed, request, compute, media_type, today_by_default, shaped)


def _computed(request: AnyRequest, compute: Callable[[Secretariat, Held], Any],
              media_type: str | None, today_by_default: bool, shaped: Shaped) -> Response[Any]:
    """The view, caught up from the store and computed if it is not kept already."""
    hub: Hub = request.app.state.hub
    known_at = record_time(request.query_params.get("known_at"))
    secretariat = hub.secretariat
    viewer = hub.viewer(request)
    at = request.query_params.get("at")
    try:
        if known_at is not None:
            events = secretariat.events_for(viewer, known_at, at)
            version = hub.version(viewer)  # the record read from: as it is now, seen as it stood then
            return Response(shaped(compute(secretariat, Then(events)), version),
                            headers=version_headers(f'"{views.view_tag(events)}"', version),
                            media_type=media_type or MediaType.JSON)
        # What the viewer could know on the day asked (by default, the day the view judges).
        seen = secretariat.seen_on(viewer, at)[0]
    except dates.DateError as exc:
        raise DateRefused(exc) from None

    def made() -> Made:
        version = hub.version(viewer)
        return Made(_encoded(shaped(compute(secretariat, seen), version)), version)

    answer = _answer(request, seen, made, media_type, today_by_default)
    assert answer is not None  # given ``made``, there is always one
    if answer.status_code != 304 and isinstance(answer.content, bytes):  # a 304 tells nothing to keep
        hub.reads.note(viewer, at, seen, Read(str(viewer), request.url.path, _query(request), answer.headers["ETag"],
                                              str(answer.media_type), answer.content,
                                              answer.headers.get(VERSION_HEADER)))
    return answer


def version_headers(etag: str, version: str | None) -> dict[str, str]:
    """A read's headers: its tag, and the version of the record it was made from (when the log was signed)."""
    return {"ETag": etag} if version is None else {"ETag": etag, VERSION_HEADER: version}


def as_recorded(data: Any, _version: str | None) -> Any:
    """An entry answered as recorded, nothing added to it: its version goes in the header alone."""
    return data


def _kept(request: AnyRequest) -> Response[Any] | None:
    """The answer kept for this read by the last server, if it stands for the record as it is (``kept_reads``)."""
    hub: Hub = request.app.state.hub
    kept = hub.reads.answer(hub.store, hub.viewer(request), request.url.path, _query(request))
    return None if kept is None else _tagged(request, kept)


def _query(request: AnyRequest) -> str:
    """The query, its parameters in one order however they were sent."""
    return urlencode(sorted(request.query_params.multi_items()))


def _tagged(request: AnyRequest, kept: Read) -> Response[Any]:
    """A kept read's body tagged, with the version of the record it was made from, or 304 for a matching
    If-None-Match."""
    if kept.etag in _tags(request.headers.get("if-none-match")):
        return Response(b"", status_code=304, headers={"ETag": kept.etag}, media_type=kept.media_type)
    return Response(kept.body, headers=version_headers(kept.etag, kept.version), media_type=kept.media_type)


def _answer(request: AnyRequest, seen: Seen, compute: Callable[[], Made] | None, media_type: str | None,
            today_by_default: bool) -> Response[Any] | None:
    """The tagged answer from ``seen``; without ``compute``, None when that would need computing."""
    today = date.today().isoformat()
    of_today = False
    if today_by_default:
        # Whether the union stands today: decided once a day for each view of the record.
        decided = seen.kept(("in force", today))
        if decided is None:
            if compute is None:
                return None
            hub: Hub = request.app.state.hub
            decided = seen.view(("in force", today), lambda: day_for(None, seen.folded, hub.union,
                                                                      date.fromisoformat(today)).day == today)
        of_today = decided
    etag = f'"{seen.tag}-{today}"' if of_today else f'"{seen.tag}"'
    # A read made while the start checks the record names no version (nothing is signed of a log not yet checked):
    # tagged and kept apart, so that once the check is done it is made again, naming its version.
    unchecked = request.app.state.hub.checking()
    if unchecked:
        etag = etag[:-1] + '-unchecked"'
    if etag in _tags(request.headers.get("if-none-match")):  # what the asker holds, its version with it, stands
        return Response(b"", status_code=304, headers={"ETag": etag}, media_type=media_type or MediaType.JSON)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())), today if of_today else None,
           unchecked)
    # Kept encoded: a view asked again is answered with the bytes made the first time.
    made: Made | None = seen.kept(key) if compute is None else seen.view(key, compute)
    if made is None:
        return None
    return Response(made.body, headers=version_headers(etag, made.version), media_type=media_type or MediaType.JSON)


def _encoded(data: Any) -> bytes:
    return data if isinstance(data, bytes) else msgspec.json.encode(data)


def _tags(header: str | None) -> set[str]:
    """The entity tags an If-None-Match header names, weak ones as strong (a read compares them weakly)."""
    if not header:
        return set()
    return {t.strip().removeprefix("W/") for t in header.split(",")}


def record_time(value: str | None) -> str | None:
    """The record as it stood at a record time (``?known_at=``), for every read."""
    try:
        return None if value is None else dates.check_moment(value)
    except dates.DateError as exc:
        raise DateRefused(exc) from None


def asked_day(at: str | None, s: Secretariat, events: DatedState | Sequence[Event]) -> str:
    """The day asked for, as people write it (a month or year: its last day), or, as on the command line,
    today while the union is in force and the last day of its record once it has ended."""
    try:
        return day_for(at, events, s.union, date.today()).day
    except dates.DateError as exc:
        raise DateRefused(exc) from None
