"""Read endpoints: each one a view of what the viewer sees (``Secretariat.seen``), nothing else, tagged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import msgspec
from litestar import MediaType, Request, Response, get
from litestar.concurrency import sync_to_thread
from litestar.exceptions import ClientException, NotFoundException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from entente import export
from entente.replay.dated import DatedState, fold
from entente.secretariat.clearance import PUBLIC
from entente.secretariat.projections import Seen
from entente.secretariat.service import Secretariat
from entente.views import coding, schedule, shapes
from entente.views import reports as views
from entente.views.days import day_for
from entente.vocabulary import dates
from entente.vocabulary.events import AnyEvent, Event

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


# The same answer whether nothing is there or the viewer may not see it.
_NOT_FOUND = {404: ResponseSpec(data_container=dict[str, Any], description="not found, or not for this viewer")}
At = Annotated[str | None, QueryParameter(description=(
    'A day: 1938-03-01, 1938-03, 1938, "March 1938", "1938. gada martā" (a month or year means its last day). '
    "Default: today while the union is in force, else the last day of its record."))]
Since = Annotated[str | None, QueryParameter(description=(
    "An earlier day, written as ``at`` is: what changed in the rules' settings from then to ``at``."))]
EntryId = Annotated[str, PathParameter(description="The entry's id.")]
Code = Annotated[str, PathParameter(description="The party's code, in any case.")]
ReadingName = Annotated[str | None, QueryParameter(
    description="One reading of the contested articles; default: every reading's verdict where they differ.")]


async def read(request: AnyRequest, compute: Callable[[Secretariat, Held], Any],
               media_type: str | None = None, today_by_default: bool = False) -> Response[Any]:
    """A view of what the asking viewer sees, tagged; a matching If-None-Match gets 304 and nothing computed.

    The tag is of what this viewer sees, never the record's position, which would count hidden entries.
    A view is computed once per distinct request while the viewer's view of the record stays the same.
    A view of "today" (``today_by_default``: no day asked for, while the union is in force) is tagged and
    kept for the day as well, so the next day it is computed again, not served from yesterday.

    A view the public asked for already, while nothing was recorded since, is answered here on the event
    loop (the usual read: a few microseconds of work); anything that reads the store, resolves a token or
    computes is done on a worker thread, so no request waits behind another's work.
    """
    if "authorization" not in request.headers and "known_at" not in request.query_params:
        hub: Hub = request.app.state.hub
        seen = hub.secretariat.held_on(PUBLIC, request.query_params.get("at"))
        if seen is not None:
            answer = _answer(request, seen, None, media_type, today_by_default)
            if answer is not None:
                return answer
    return await sync_to_thread(_computed, request, compute, media_type, today_by_default)


def _computed(request: AnyRequest, compute: Callable[[Secretariat, Held], Any],
              media_type: str | None, today_by_default: bool) -> Response[Any]:
    """The view, caught up from the store and computed if it is not kept already."""
    hub: Hub = request.app.state.hub
    secretariat = hub.secretariat
    viewer = hub.viewer(hub.secretariat, request)
    known_at = _known_at(request.query_params.get("known_at"))
    at = request.query_params.get("at")
    try:
        if known_at is not None:
            events = secretariat.events_for(viewer, known_at, at)
            return Response(compute(secretariat, Then(events)), headers={"ETag": f'"{views.view_tag(events)}"'},
                            media_type=media_type or MediaType.JSON)
        # What the viewer could know on the day asked (by default, the day the view judges).
        seen = secretariat.seen_on(viewer, at)[0]
    except dates.DateError as exc:
        raise ClientException(str(exc)) from None
    answer = _answer(request, seen, lambda: compute(secretariat, seen), media_type, today_by_default)
    assert answer is not None  # given ``compute``, there is always one
    return answer


def _answer(request: AnyRequest, seen: Seen, compute: Callable[[], Any] | None, media_type: str | None,
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
    if etag in _tags(request.headers.get("if-none-match")):
        return Response(b"", status_code=304, headers={"ETag": etag}, media_type=media_type or MediaType.JSON)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())), today if of_today else None)
    # Kept encoded: a view asked again is answered with the bytes made the first time.
    if compute is None:
        body = seen.kept(key)
        if body is None:
            return None
    else:
        body = seen.view(key, lambda: _encoded(compute()))
    return Response(body, headers={"ETag": etag}, media_type=media_type or MediaType.JSON)


def _encoded(data: Any) -> bytes:
    return data if isinstance(data, bytes) else msgspec.json.encode(data)


def _tags(header: str | None) -> set[str]:
    """The entity tags an If-None-Match header names, weak ones as strong (a read compares them weakly)."""
    if not header:
        return set()
    return {t.strip().removeprefix("W/") for t in header.split(",")}


def _known_at(value: str | None) -> str | None:
    """The record as it stood at a record time (``?known_at=``), for every read."""
    try:
        return None if value is None else dates.check_moment(value)
    except dates.DateError as exc:
        raise ClientException(str(exc)) from None


def _day(at: str | None, s: Secretariat, events: DatedState | Sequence[Event]) -> str:
    """The day asked for, as people write it (a month or year: its last day), or, as on the command line,
    today while the union is in force and the last day of its record once it has ended."""
    try:
        return day_for(at, events, s.union, date.today()).day
    except dates.DateError as exc:
        raise ClientException(str(exc)) from None


Offset = Annotated[int, QueryParameter(ge=0, description="Rows to skip, for the next page.")]
Limit = Annotated[int, QueryParameter(ge=1, le=10_000, description=(
    "Rows at most (a page); fewer than this means the last page."))]


@get("/api/timeline")
async def timeline(request: AnyRequest, offset: Offset = 0, limit: Limit = 1000,
                   at: At = None) -> Response[list[shapes.TimelineRow]]:
    """The events in date order, with their sources: a page of them, from ``offset``, at most ``limit``; as
    the viewer could know them on day ``at`` (an entry made public that day is there from it on)."""
    def page(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        folded = held.folded  # the events in date order already: only the page is made into rows
        return views.timeline(s.union, folded.events[offset:offset + limit], views.held_titles(folded))

    return await read(request, page)


@get("/api/conferences")
async def conferences(request: AnyRequest) -> Response[list[shapes.ConferenceRow]]:
    """The conferences of the parties."""
    return await read(request, lambda s, held: views.conferences(s.union, held.events))


@get("/api/state")
async def union_state(request: AnyRequest, at: At = None) -> Response[shapes.UnionStateView]:
    """The instruments on day ``at``, their status, who is bound, who holds each presidency."""
    return await read(request, lambda s, held: views.union_state(s.union, held.folded, _day(at, s, held.folded),
                                                           s.treaties), today_by_default=at is None)


@get("/api/compliance")
async def compliance(request: AnyRequest, at: At = None, reading: ReadingName = None) -> Response[list[shapes.Finding]]:
    """Findings of every rule of every instrument as of ``at``.

    Where an article has several readings, every reading's verdict is given where they differ, or only
    that of ``reading``.
    """
    def judged(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        try:
            return views.compliance(s.union, s.treaties, held.folded, _day(at, s, held.folded), reading)
        except views.UnknownReading as exc:
            raise ClientException(str(exc)) from None

    return await read(request, judged, today_by_default=at is None)


@get("/api/due")
async def due(request: AnyRequest, at: At = None) -> Response[list[shapes.Due]]:
    """What is due next from ``at``."""
    return await read(request, lambda s, held: views.due(s.union, s.treaties, held.folded, _day(at, s, held.folded)),
                today_by_default=at is None)


@get("/api/events/{event_id:str}", responses=_NOT_FOUND)
async def event(request: AnyRequest, event_id: EntryId, at: At = None) -> Response[AnyEvent]:
    """One event, as the viewer could know it on day ``at``; one the viewer may not see is answered exactly as
    one that does not exist."""
    def find(_s: Secretariat, held: Held) -> Event:
        found = next((e for e in held.events if e.id == event_id), None)
        if found is None:
            raise NotFoundException()
        return found

    return await read(request, find)


@get("/api/events/{event_id:str}/history", sync_to_thread=True, responses=_NOT_FOUND)
def event_history(request: AnyRequest, event_id: EntryId) -> Response[list[dict[str, Any]]]:
    """Every version of one entry the viewer may see: the original, then each correction or retraction."""
    hub: Hub = request.app.state.hub
    with hub.session() as secretariat:
        viewer = hub.viewer(secretariat, request)
        known_at = _known_at(request.query_params.get("known_at"))
        versions = secretariat.history_for(viewer, event_id, known_at)
        if not versions:
            raise NotFoundException()
        events = secretariat.events_for(viewer, known_at)
        return Response(views.history(secretariat.union, versions), headers={"ETag": f'"{views.view_tag(events)}"'})


@get("/api/audit", sync_to_thread=True, responses=_NOT_FOUND)
def audit(request: AnyRequest) -> Response[list[shapes.AuditRow]]:
    """Refused writes, for the secretariat; to anyone else this page does not exist."""
    hub: Hub = request.app.state.hub
    if hub.viewer(hub.secretariat, request).kind != "secretariat":
        raise NotFoundException()
    return Response(msgspec.convert(hub.secretariat.store.audit_trail(), list[shapes.AuditRow]))


@get("/api/parties/{code:str}", responses=_NOT_FOUND)
async def party(request: AnyRequest, code: Code, at: At = None) -> Response[shapes.PartyView]:
    """One party on day ``at``: what binds it, what is due from it, its own breaches."""
    def view(s: Secretariat, held: Held) -> dict[str, Any]:
        found = views.party(s.union, s.treaties, held.folded, code.upper(), _day(at, s, held.folded))
        if found is None:
            raise NotFoundException()
        return found

    return await read(request, view, today_by_default=at is None)


@get("/api/treaties")
async def treaties(request: AnyRequest, at: At = None, since: Since = None) -> Response[list[shapes.TreatyView]]:
    """Each instrument the viewer knows of on day ``at``, article by article: its text with the passages the
    rules' settings cite marked and those no setting cites, the rules with the settings in force that day and
    the decisions that set them; with ``since``, what changed in the settings from that day to ``at``."""
    def shown(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        day = _day(at, s, held.folded)
        earlier = None if since is None else _day(since, s, held.folded)
        if earlier is not None and earlier > day:
            raise ClientException(f"since ({earlier}) is after the day asked ({day}): it names the earlier day")
        return views.treaties(s.treaties, held.events, day, earlier)

    return await read(request, shown, today_by_default=at is None)


@get("/api/search")
async def search(request: AnyRequest, q: Annotated[str, QueryParameter(description="Words to look for.")] = ""
           ) -> Response[list[shapes.SearchRow]]:
    """Entries whose words contain every word of ``q``."""
    return await read(request, lambda s, held: views.search(s.union, held.events, q))


@get("/api/next")
async def next_conference(request: AnyRequest, at: At = None) -> Response[list[shapes.Proposal]]:
    """The proposed next conference of each periodic series: host, latest and earliest day, place."""
    return await read(request, lambda s, held: [msgspec.to_builtins(p) for p in schedule.next_conference(
        s.union, s.treaties, held.events, _day(at, s, held.folded))], today_by_default=at is None)


@get("/api/code")
async def alliance_coding(request: AnyRequest) -> Response[list[shapes.Coding]]:
    """Alliance coding in the core variables of the ATOP data set, derived from the treaties and the record."""
    return await read(request, lambda s, held: [msgspec.to_builtins(c)
                                          for c in coding.coding(s.union, s.treaties, held.events)])


@get("/calendar.ics", media_type="text/calendar")
async def calendar(request: AnyRequest, at: At = None) -> Response[bytes]:
    """Conferences, the next conference due and deadlines as iCalendar (RFC 5545), for a calendar program."""
    return await read(request, lambda s, held: export.calendar(s.union, s.treaties, held.events,
                                                               _day(at, s, held.folded)),
                      media_type="text/calendar", today_by_default=at is None)


ROUTES = [timeline, conferences, union_state, compliance, due, party, treaties, search, next_conference,
          alliance_coding, event, event_history, audit, calendar]
