"""Read endpoints: each one a view of what the viewer sees (``Secretariat.seen``), nothing else, tagged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Response, get
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import QueryParameter

from entente import export
from entente.api.reading import (
    EARLY,
    NOT_FOUND,
    VERSIONED,
    AnyRequest,
    At,
    Code,
    EntryId,
    Held,
    ReadingName,
    Since,
    as_recorded,
    asked_day,
    read,
    record_time,
    version_headers,
)
from entente.api.refusals import refused
from entente.secretariat.projections import Seen
from entente.secretariat.service import Secretariat
from entente.views import coding, schedule, searching, shapes
from entente.views import reports as views
from entente.views.versioned import versioned
from entente.vocabulary.events import AnyEvent, Event

if TYPE_CHECKING:
    from entente.api.hub import Hub

Offset = Annotated[int, QueryParameter(ge=0, description="Rows to skip, for the next page.")]
Limit = Annotated[int, QueryParameter(ge=1, le=10_000, description=(
    "Rows at most (a page); fewer than this means the last page."))]


@get("/api/timeline", opt=EARLY, response_headers=VERSIONED)
async def timeline(request: AnyRequest, offset: Offset = 0, limit: Limit = 1000,
                   at: At = None) -> Response[list[shapes.TimelineRow]]:
    """The events in date order, with their sources: a page of them, from ``offset``, at most ``limit``; as
    the viewer could know them on day ``at`` (an entry made public that day is there from it on)."""
    def page(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        folded = held.folded  # the events in date order already: only the page is made into rows
        return views.timeline(s.union, folded.events[offset:offset + limit], views.held_titles(folded),
                              views.held_title_forms(folded), views.HeldTitles(folded))

    return await read(request, page)


@get("/api/conferences", opt=EARLY, response_headers=VERSIONED)
async def conferences(request: AnyRequest) -> Response[list[shapes.ConferenceRow]]:
    """The conferences of the parties."""
    return await read(request, lambda s, held: views.conferences(s.union, held.events))


@get("/api/state", opt=EARLY, response_headers=VERSIONED)
async def union_state(request: AnyRequest, at: At = None) -> Response[shapes.UnionStateView]:
    """The instruments on day ``at``, their status, who is bound, who holds each presidency."""
    return await read(request, lambda s, held: views.union_state(s.union, held.folded, asked_day(at, s, held.folded),
                                                           s.treaties), today_by_default=at is None)


@get("/api/compliance", opt=EARLY, response_headers=VERSIONED)
async def compliance(request: AnyRequest, at: At = None, reading: ReadingName = None
                     ) -> Response[list[shapes.FindingRow]]:
    """Findings of every rule of every instrument as of ``at``.

    Where an article has several readings, every reading's verdict is given where they differ, or only
    that of ``reading``.
    """
    def judged(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        try:
            return views.compliance(s.union, s.treaties, held.folded, asked_day(at, s, held.folded), reading)
        except views.UnknownReading as exc:
            raise ClientException(refused(exc, request)) from None

    return await read(request, judged, today_by_default=at is None)


@get("/api/due", opt=EARLY, response_headers=VERSIONED)
async def due(request: AnyRequest, at: At = None) -> Response[list[shapes.DueRow]]:
    """What is due next from ``at``."""
    return await read(request, lambda s, held: views.due(s.union, s.treaties, held.folded,
                                                         asked_day(at, s, held.folded)), today_by_default=at is None)


@get("/api/events/{event_id:str}", opt=EARLY, responses=NOT_FOUND, response_headers=VERSIONED)
async def event(request: AnyRequest, event_id: EntryId, at: At = None) -> Response[AnyEvent]:
    """One event, as the viewer could know it on day ``at``; one the viewer may not see is answered exactly as
    one that does not exist.  The entry is answered as recorded: the version of the record it was read from is
    in the ``Entente-Record-Version`` header."""
    def find(_s: Secretariat, held: Held) -> Event:
        found = next((e for e in held.events if e.id == event_id), None)
        if found is None:
            raise NotFoundException()
        return found

    return await read(request, find, shaped=as_recorded)


@get("/api/events/{event_id:str}/history", sync_to_thread=True, responses=NOT_FOUND, response_headers=VERSIONED)
def event_history(request: AnyRequest, event_id: EntryId) -> Response[list[dict[str, Any]]]:
    """Every version of one entry the viewer may see: the original, then each correction or retraction."""
    hub: Hub = request.app.state.hub
    with hub.session() as secretariat:
        viewer = hub.viewer(request)
        known_at = record_time(request.query_params.get("known_at"))
        versions = secretariat.history_for(viewer, event_id, known_at)
        if not versions:
            raise NotFoundException()
        events = secretariat.events_for(viewer, known_at)
        version = hub.version(viewer)
        return Response(versioned(views.history(secretariat.union, versions, views.entry_titles(events)), version),
                        headers=version_headers(f'"{views.view_tag(events)}"', version))


@get("/api/audit", sync_to_thread=True, responses=NOT_FOUND)
def audit(request: AnyRequest) -> Response[list[shapes.AuditRow]]:
    """Refused writes, for the secretariat; to anyone else this page does not exist."""
    hub: Hub = request.app.state.hub
    if hub.viewer(request).kind != "secretariat":
        raise NotFoundException()
    return Response(msgspec.convert(hub.secretariat.store.audit_trail(), list[shapes.AuditRow]))


@get("/api/parties/{code:str}", opt=EARLY, responses=NOT_FOUND, response_headers=VERSIONED)
async def party(request: AnyRequest, code: Code, at: At = None) -> Response[shapes.PartyView]:
    """One party on day ``at``: what binds it, what is due from it, its own breaches."""
    def view(s: Secretariat, held: Held) -> dict[str, Any]:
        found = views.party(s.union, s.treaties, held.folded, code.upper(), asked_day(at, s, held.folded))
        if found is None:
            raise NotFoundException()
        return found

    return await read(request, view, today_by_default=at is None)


@get("/api/treaties", opt=EARLY, response_headers=VERSIONED)
async def treaties(request: AnyRequest, at: At = None, since: Since = None) -> Response[list[shapes.TreatyView]]:
    """Each instrument the viewer knows of on day ``at``, article by article: its text with the passages the
    rules' settings cite marked and those no setting cites, the rules with the settings in force that day and
    the decisions that set them; with ``since``, what changed in the settings from that day to ``at``."""
    def shown(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        day = asked_day(at, s, held.folded)
        earlier = None if since is None else asked_day(since, s, held.folded)
        if earlier is not None and earlier > day:
            raise ClientException(f"since ({earlier}) is after the day asked ({day}): it names the earlier day")
        return views.treaties(s.treaties, held.events, day, earlier)

    return await read(request, shown, today_by_default=at is None)


@get("/api/search", opt=EARLY, response_headers=VERSIONED)
async def search(request: AnyRequest, q: Annotated[str, QueryParameter(description="Words to look for.")] = ""
           ) -> Response[list[shapes.SearchRow]]:
    """Entries whose words contain every word of ``q``."""
    def found(s: Secretariat, held: Held) -> list[dict[str, Any]]:
        # The words of what the viewer sees indexed once for its view (carried on over a write), each query then
        # ranked from there.
        index = held.view(("searchable",), lambda: searching.searchable(s.union, held.events), searching.carried) \
            if isinstance(held, Seen) else searching.searchable(s.union, held.events)
        return searching.found(index, q)

    return await read(request, found)


@get("/api/next", opt=EARLY, response_headers=VERSIONED)
async def next_conference(request: AnyRequest, at: At = None) -> Response[list[shapes.ProposalRow]]:
    """The proposed next conference of each periodic series: host, latest and earliest day, place."""
    return await read(request, lambda s, held: [msgspec.to_builtins(p) for p in schedule.next_conference(
        s.union, s.treaties, held.events, asked_day(at, s, held.folded))], today_by_default=at is None)


@get("/api/code", opt=EARLY, response_headers=VERSIONED)
async def alliance_coding(request: AnyRequest) -> Response[list[shapes.CodingRow]]:
    """Alliance coding in the core variables of the ATOP data set, derived from the treaties and the record."""
    return await read(request, lambda s, held: [msgspec.to_builtins(c)
                                          for c in coding.coding(s.union, s.treaties, held.events)])


@get("/calendar.ics", opt=EARLY, media_type="text/calendar", response_headers=VERSIONED)
async def calendar(request: AnyRequest, at: At = None) -> Response[bytes]:
    """Conferences, the next conference due and deadlines as iCalendar (RFC 5545), for a calendar program; the
    calendar names the version of the record it was made from (``X-ENTENTE-RECORD-VERSION``, and its
    description)."""
    def made(s: Secretariat, held: Held) -> tuple[Secretariat, Sequence[Event], str]:
        return s, held.events, asked_day(at, s, held.folded)

    def calendar_of(made: tuple[Secretariat, Sequence[Event], str], version: str | None) -> bytes:
        s, events, day = made
        return export.calendar(s.union, s.treaties, events, day, version)

    return await read(request, made, media_type="text/calendar", today_by_default=at is None, shaped=calendar_of)


ROUTES = [timeline, conferences, union_state, compliance, due, party, treaties, search, next_conference,
          alliance_coding, event, event_history, audit, calendar]
