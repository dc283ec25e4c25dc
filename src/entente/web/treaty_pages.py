"""Pages of the treaty at work: the instruments beside their rules and verdicts, compliance, what is due, a party."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, get
from litestar.params import FromPath

from entente.languages.catalog import N_
from entente.views import reports as views
from entente.vocabulary.events import english, kind_of
from entente.web import entry_pages, exports, paging, sessions
from entente.web.base import AnyRequest, Page, Query, page

VERDICTS = ("breach", "met", "pending", "not_applicable")


@get("/instruments", sync_to_thread=True, include_in_schema=False)
def instruments(request: AnyRequest, at: Query = None) -> Response[str]:
    """Every instrument the viewer knows of, with its status on the day."""
    with page(request) as p:
        day = p.day(at)
        return p.render("instruments.html", at=day, state=views.union_state(p.union, p.events, day),
                        texts={t["instrument"] for t in views.treaties(p.secretariat.treaties, p.events)})


@get("/instruments/{instrument:str}", sync_to_thread=True, include_in_schema=False)
def instrument(request: AnyRequest, instrument: FromPath[str], at: Query = None,
               since: Query = None) -> Response[Any]:
    """One instrument: its life in the record (each act an entry with a page of its own), and article by article
    on the day its text with the passages its rules' settings cite marked, beside the rules with the settings in
    force, the decisions that set them and their verdicts; with ``since``, what changed in the settings from that
    earlier day; its JSON and a citation."""
    with page(request) as p:
        day = p.day(at)
        earlier = p.day(since) if since else None
        if earlier is not None and earlier > day:
            p.problem, earlier = f"{since} is after the day shown ({day}): the changes are from an earlier day", None
        found = next((t for t in views.treaties(p.secretariat.treaties, p.events, day, earlier)
                      if t["instrument"] == instrument), None)
        acts = views.timeline(p.union, [e for e in p.events if getattr(e, "instrument", None) == instrument
                                        and kind_of(e).startswith(("instrument_", "intent_"))],
                              views.instrument_titles(p.events), views.title_forms(p.events))
        signed = next((r for r in acts if r["kind"] == "instrument_signed"), None)
        if signed is None:  # unknown and not shown read the same
            return p.render("missing.html", status=404)
        found = found or {"instrument": instrument, "title": english(signed["titles"], instrument), "articles": []}
        findings = [f for f in p.compliance(day) if f["instrument"] == instrument]
        title = p.title(instrument, found["title"])
        cite = entry_pages.cited(p, instrument, found["title"], f"/instruments/{instrument}", signed["date"])
        if p.request.query_params.get("format") == "json":
            return entry_pages.as_json(p, {"at": day, "instrument": found, "acts": acts, "findings": findings,
                                           "version": msgspec.to_builtins(cite["version"]),
                                           "cite": cite["citations"]}, instrument)
        verdicts = {rule["id"]: [f for f in findings if f["rule_id"] == rule["id"]]
                    for article in found["articles"] for rule in article["rules"]}
        # A rule's first findings; its findings page shows every one, a page at a time.
        return p.render("instrument.html", treaty=found, at=day, since=earlier or "", acts=acts, heading=title,
                        verdicts={r: f[:VERDICTS_SHOWN] for r, f in verdicts.items()},
                        counted={r: len(f) for r, f in verdicts.items()}, **cite)


VERDICTS_SHOWN = paging.PER_PAGE  # findings of each rule the instrument's page shows


COMPLIANCE_PER_PAGE = 100  # findings a page of the compliance page shows


@get("/compliance", sync_to_thread=True, include_in_schema=False)
def compliance(request: AnyRequest, at: Query = None, verdict: Query = None, party: Query = None,
               instrument: Query = None, reading: Query = None) -> Response[Any]:
    """Every rule's findings on the day, filtered by verdict, party and instrument, with the reading each takes."""
    with page(request) as p:
        day = p.day(at)
        try:
            findings = p.compliance(day, reading)
        except views.UnknownReading as exc:
            p.refused(exc, N_("Every reading is shown instead."))
            findings = p.compliance(day)
        instruments = sorted({f["instrument"] for f in findings})
        readings = {(t.instrument, r.id): r.reading for t in p.secretariat.treaties.values()
                    for a in t.articles for r in a.rules}
        if verdict:
            findings = [f for f in findings if f["status"] == verdict]
        if instrument:
            findings = [f for f in findings if f["instrument"] == instrument]
        if party:
            # A finding is about a party when it names it, as the party view counts breaches.
            findings = [f for f in findings if party in f["detail"].replace(",", " ").replace("'", " ").split()]
        context: dict[str, Any] = {}
        if exports.format_asked(p) is None:  # the page shows a page of them; its exports, every one
            listed = paging.paged(p, findings, per_page=COMPLIANCE_PER_PAGE)
            findings, context = list(listed.rows), {"paged": listed, "status": listed.status}
        return exports.listing(p, "compliance.html", findings, rows_name="findings", at=day, verdicts=VERDICTS,
                               verdict=verdict, party=party, instrument=instrument, instruments=instruments,
                               readings=readings, parties=[q for q in p.union.parties if q.role == "member"],
                               **context)


@get("/due", sync_to_thread=True, include_in_schema=False)
def due(request: AnyRequest, at: Query = None) -> Response[Any]:
    """What is due next from the day, with the calendar to subscribe to."""
    with page(request) as p:
        return due_page(p, at)


def due_page(p: Page, at: str | None = None, new_feed: str | None = None, status: int = 200) -> Response[Any]:
    """The due page; a signed-in viewer also sees its own calendar addresses (``new_feed``: one just made)."""
    day = p.day(at)
    host = p.request.headers.get("host", "localhost")
    items = views.due(p.union, p.secretariat.treaties, p.record, day)
    if new_feed is None and status == 200:
        return exports.listing(p, "due.html", items, rows_name="items", at=day, **_due_context(p, host))
    return p.render("due.html", status=status, at=day, items=items, new_feed_http=f"/feeds/{new_feed}.ics",
                    new_feed=new_feed and f"webcal://{host}/feeds/{new_feed}.ics", **_due_context(p, host))


def _due_context(p: Page, host: str) -> dict[str, Any]:
    own = sessions.feeds(p.secretariat.store, p.viewer) if p.viewer.kind != "public" else []
    return dict(calendar=f"webcal://{host}/calendar.ics", calendar_http="/calendar.ics", feeds=own)


@get("/parties", sync_to_thread=True, include_in_schema=False)
def parties(request: AnyRequest, at: Query = None) -> Response[str]:
    with page(request) as p:
        return p.render("parties.html", at=p.day(at), parties=p.union.parties)


@get("/parties/{code:str}", sync_to_thread=True, include_in_schema=False)
def party(request: AnyRequest, code: FromPath[str], at: Query = None) -> Response[str]:
    """One party on one day: what binds it, what is due from it, its own breaches."""
    with page(request) as p:
        day = p.day(at)
        found = views.party(p.union, p.secretariat.treaties, p.events, code.upper(), day)
        if found is None:
            return p.render("missing.html", status=404)
        return p.render("party.html", at=day, party=found)


ROUTES = [instruments, instrument, compliance, due, parties, party]
