"""A page of its own for each entry and each rule's findings: a permanent address, its history, its sources and
notes, its JSON (``?format=json``, for the page's own viewer) and a citation carrying the record's version.

An entry the viewer may not see answers exactly as one that does not exist (404), as the API does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec
from litestar import Response, get
from litestar.params import FromPath

from entente.languages.catalog import N_
from entente.ledger.checkpoints import CheckpointError
from entente.ledger.progress import Checking
from entente.secretariat.clearance import written_by
from entente.secretariat.verdicts import NAMED, carried_history, finding_versions, verdict_history
from entente.views import citation
from entente.views import reports as views
from entente.views.sources import cited_works
from entente.vocabulary.events import Event, english
from entente.web import paging
from entente.web.base import AnyRequest, Page, Query, page

# Fields every entry has, shown in their own places on its page rather than in the list of its fields.
_OWN_PLACES = {"id", "kind", "date", "date_lv", "classification", "source", "recorded", "writer", "note", "inferred",
               "cites"}


def version(p: Page) -> citation.Version | None:
    """The record as this viewer reads it now: the last checkpoint signed of its log (signed now if it grew)."""
    try:
        signed = p.request.app.state.hub.ledger.checkpoint(p.viewer)
    except (CheckpointError, Checking):  # a log that does not continue what was signed, or is being checked:
        return None  # cited without a version
    return citation.Version(size=signed.size, root=signed.root)


def cited(p: Page, key: str, title: str, path: str, when: str | None = None) -> dict[str, Any]:
    """What every citable page shows: its permanent address, its JSON's and the citation in every form."""
    url = str(p.request.base_url).rstrip("/") + path
    held = version(p)
    accessed = date.today().isoformat()  # the day the reader read it: the web's clock, not the record's
    what = citation.Cited(key=key, title=title, union=english(p.union.name, p.union.id), url=url, date=when)
    return {"permalink": url, "path": path, "version": held, "citations": citation.citations(what, held, accessed)}


def as_json(p: Page, data: dict[str, Any], name: str) -> Response[Any]:
    body = json.dumps({"page": p.request.url.path, "viewer": str(p.viewer), **data}, ensure_ascii=False, indent=1,
                      default=str)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'inline; filename="{name}.json"',
                             "Cache-Control": "private, no-cache", "Vary": "Cookie"})


def _fields(p: Page, event: Event) -> list[tuple[str, Any]]:
    """The entry's own fields, in the vocabulary's order, for the list on its page."""
    data = msgspec.to_builtins(event)
    return [(name, data[name]) for name in event.__struct_fields__ if name in data and name not in _OWN_PLACES]


@get("/entries/{entry_id:str}", sync_to_thread=True, include_in_schema=False)
def entry(request: AnyRequest, entry_id: FromPath[str]) -> Response[Any]:
    """One entry: what it says, where it comes from, every version of it, its JSON, and how to cite it."""
    with page(request) as p:
        versions = p.secretariat.history_for(p.viewer, entry_id, p.known_at)
        current = next((e for e in p.events if e.id == entry_id), None)
        if current is None and not versions:
            return p.render("missing.html", status=404)
        titles, named = views.instrument_titles(p.events), views.entry_titles(p.events)
        history = views.history(p.union, versions, named)
        row = views.timeline(p.union, [current], titles, views.title_forms(p.events), named)[0] \
            if current is not None else None
        # The heading: what the entry says happened (its last version's, once withdrawn), in the page's language.
        heading = row or next((h for h in reversed(history) if h["summary"]), {"summary": entry_id})
        summary = heading["summary"]
        when = current.date if current is not None else None
        cite = cited(p, entry_id, summary, f"/entries/{entry_id}", when)
        if p.request.query_params.get("format") == "json":
            return as_json(p, {"entry": msgspec.to_builtins(current) if current else None, "history": history,
                               "version": msgspec.to_builtins(cite["version"]), "cite": cite["citations"]},
                           entry_id)
        known = {e.id for e in p.events}
        own = current is not None and p.viewer.party is not None and written_by(
            current, p.secretariat.writers_since) == p.viewer.party
        return p.render("entry.html", entry=current, row=row, summary=summary, heading=heading, history=history,
                        fields=_fields(p, current) if current else [], known=known, own=own,
                        works=cited_works(p.union), **cite)


@get("/findings/{instrument:str}/{rule:str}", sync_to_thread=True, include_in_schema=False)
def finding(request: AnyRequest, instrument: FromPath[str], rule: FromPath[str], at: Query = None,
            reading: Query = None) -> Response[Any]:
    """One rule's findings on a day: the article it executes, its settings and reading, each verdict, the
    entries each rests on, and how the verdicts on that day changed as the record grew (its history)."""
    with page(request) as p:
        return _findings(p, instrument, rule, at, reading, None)


@get("/findings/{finding_id:str}", sync_to_thread=True, include_in_schema=False)
def one_finding(request: AnyRequest, finding_id: FromPath[str], at: Query = None,
                reading: Query = None) -> Response[Any]:
    """One finding, by the identifier it keeps across record versions: its verdict, and each version of it."""
    with page(request) as p:
        named = next(((i, finding_id[len(i) + 1:].rpartition(".")[0]) for i in p.secretariat.treaties
                      if finding_id.startswith(f"{i}.")), None)
        if named is None:
            return p.render("missing.html", status=404)
        return _findings(p, *named, at, reading, finding_id)


FINDINGS_PER_PAGE = 100  # findings a page of a rule's findings shows


def _findings(p: Page, instrument: str, rule: str, at: str | None, reading: str | None,
              finding_id: str | None) -> Response[Any]:
    """A rule's findings page, a hundred findings a page, or, with ``finding_id``, one finding's: unknown and not
    shown read the same."""
    treaty = p.secretariat.treaties.get(instrument)
    signed = p.kept("signed", lambda events: {t["instrument"] for t in views.treaties(p.secretariat.treaties, events)})
    found = next(((a, r) for a, r in treaty.rules() if r.id == rule), None) if treaty else None
    if treaty is None or found is None or instrument not in signed:
        return p.render("missing.html", status=404)
    article, spec = found
    day = p.day(at)
    try:
        findings = [f for f in p.compliance(day, reading) if f["instrument"] == instrument and f["rule_id"] == rule]
        # Judged again at each record time the rule's entries were recorded: once for the viewer's view and day,
        # and after a write only at the write's own.
        history = p.kept(("verdict history", instrument, rule, day, reading), lambda _: verdict_history(
            p.secretariat, p.viewer, instrument, rule, spec.kind, day, reading, p.known_at),
            lambda earlier, added: carried_history(p.secretariat, p.viewer, instrument, rule, spec.kind, day,
                                                   reading, earlier, added))
    except views.UnknownReading as exc:
        p.refused(exc, N_("No finding is shown."))
        findings, history = [], []
    title = f"{english(treaty.title, instrument)}, article {article.article}: {rule}"
    path = p.url(f"/findings/{instrument}/{rule}", at=day, reading=reading)
    if finding_id is not None:
        findings = [f for f in findings if f["id"] == finding_id]
        history = finding_versions(history, finding_id)
        if not findings and not history:
            return p.render("missing.html", status=404)
        path = p.url(f"/findings/{finding_id}", at=day, reading=reading)
    key = finding_id or f"{instrument}-{rule}"
    cite = cited(p, f"{key}-{day}", f"{title}, as of {day}", path)
    if p.request.query_params.get("format") == "json":  # every finding and every version of them
        return as_json(p, {"at": day, "instrument": instrument, "article": article.article,
                           "rule": msgspec.to_builtins(spec), "findings": findings, "history": history,
                           "version": msgspec.to_builtins(cite["version"]), "cite": cite["citations"]}, key)
    listed = paging.paged(p, findings, per_page=FINDINGS_PER_PAGE, anchor="findings")
    named = {x for f in listed.rows for x in f.get("evidence", ())}
    return p.render("finding.html", status=listed.status, at=day, treaty=treaty, article=article,
                    rule=spec, findings=listed.rows, paged=listed, rows=_rows(p, named),
                    history=p.kept(("verdict changes", instrument, rule, day, reading, finding_id),
                                   lambda _: changes(history)), finding_id=finding_id, **cite)


def _rows(p: Page, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The timeline's rows of the entries ``ids`` names, by id: those a page of findings rests on."""
    by_id = p.kept("by id", lambda events: {e.id: e for e in events})
    ordered = p.kept("titles of entries", lambda events: (views.instrument_titles(events),
                                                          views.title_forms(events), views.entry_titles(events)))
    return p.kept(("rows of entries", frozenset(ids)), lambda _: {
        r["id"]: r for r in views.timeline(p.union, [by_id[i] for i in sorted(ids) if i in by_id], *ordered)})


def changes(history: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each version with, for its table row, the findings it changed (new, or another verdict or detail than the
    version before gave), the first ``NAMED`` of them and how many more: a rule's first version names them all."""
    out: list[dict[str, Any]] = []
    before: dict[str, dict[str, Any]] = {}
    for version in history:
        # By id, which names one finding of a rule: a rule has thousands, each compared with its own alone.
        changed = [f for f in version["findings"] if before.get(f["id"]) != f]
        before = {f["id"]: f for f in version["findings"]}
        out.append({**version, "changed": changed[:NAMED], "more_changed": max(0, len(changed) - NAMED)})
    return out


ROUTES = [entry, finding, one_finding]
