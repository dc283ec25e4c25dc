"""What-if and why pages: a scenario run from a form or a saved address, and the trace behind a finding.

A scenario runs on the asking viewer's own view and writes nothing to the record; saving one keeps its text on
the shelf (``whatif.shelf``) under its digest, and its address runs it again for whoever opens it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from litestar import Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from entente.api.refusals import refused_in
from entente.api.what_if import retry_after, run, saver
from entente.languages.known import DEFAULT
from entente.languages.told import refused_lang
from entente.rules import SETTINGS
from entente.views.traces import trace
from entente.vocabulary import dates
from entente.vocabulary.yamlfile import FileError
from entente.web.base import AnyRequest, Page, Query, page
from entente.web.session_pages import Form, _refuse_cross_site
from entente.whatif.quota import TooLarge, Waiting
from entente.whatif.scenario import read_scenario
from entente.whatif.shelf import Shelf

SENT = Path("scenario")  # what an error calls the scenario typed into the form


def _shelf(p: Page) -> Shelf:
    shelf: Shelf = p.request.app.state.hub.shelf
    return shelf


def _page(p: Page, text: str = "", at: str | None = None, address: str | None = None, status: int = 200
          ) -> Response[str]:
    """The form, with ``text`` run on the viewer's view where it is given (a problem said above it)."""
    result, problem, problem_lang = None, None, DEFAULT
    if text.strip():
        try:
            # As the API runs it: on what the viewer could know on the day asked, so the page shows what it answers.
            result = run(p.secretariat, p.viewer, text, at)
        except (FileError, dates.DateError) as exc:
            problem, status = refused_in(exc, p.lang), 422 if status == 200 else status
            problem_lang = refused_lang(exc, p.lang)
    return p.render("what_if.html", status=status, text=text, at=at or "", result=result, problem=problem,
                    problem_lang=problem_lang, address=address, own=_shelf(p).own())


@get("/what-if", sync_to_thread=True, include_in_schema=False)
def what_if_form(request: AnyRequest) -> Response[str]:
    """The what-if form, and the union's own scenarios to open."""
    with page(request) as p:
        return _page(p)


@post("/what-if/runs", sync_to_thread=True, include_in_schema=False, status_code=200)
def what_if_run(request: AnyRequest, data: Form) -> Response[Any]:
    """A scenario from the form: run on the viewer's view, or saved and opened at its address."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        text, at = str(data.get("scenario") or ""), str(data.get("at") or "") or None
        if data.get("action") == "save" and text.strip():
            status, headers = 422, {}
            try:
                read_scenario(SENT, p.union, SETTINGS, text)  # a scenario that cannot run is not kept
                name = _shelf(p).save(text, saver(request, p.viewer))
            except (FileError, ValueError) as exc:
                if isinstance(exc, TooLarge):
                    status = 413
                elif isinstance(exc, Waiting):
                    status, headers = 429, retry_after(exc)
                return p.render("what_if.html", status=status, headers=headers, text=text, at=at or "", result=None,
                                problem=refused_in(exc, p.lang), problem_lang=refused_lang(exc, p.lang),
                                address=None, own=_shelf(p).own())
            return Redirect(p.url(f"/what-if/{name}", at=at), status_code=303)
        return _page(p, text, at)


@get("/what-if/{name:str}", sync_to_thread=True, include_in_schema=False)
def what_if_saved(request: AnyRequest, name: FromPath[str], at: Query = None) -> Response[str]:
    """A saved scenario, run again on the view of whoever opens it."""
    with page(request) as p:
        text = _shelf(p).get(name)
        if text is None:
            return p.render("missing.html", status=404)
        return _page(p, text, at, address=p.url(f"/what-if/{name}", at=at))


@get("/findings/{finding:str}/why", sync_to_thread=True, include_in_schema=False)
def why(request: AnyRequest, finding: FromPath[str], at: Query = None) -> Response[str]:
    """Why a finding comes out as it does, in the page's language, on the viewer's view."""
    with page(request) as p:
        day = p.day(at)
        found = trace(p.union, p.secretariat.treaties, p.events, day, finding, p.lang)
        if found is None:  # unknown and not shown read the same
            return p.render("missing.html", status=404)
        return p.render("why.html", at=day, trace=msgspec.to_builtins(found))


ROUTES = [what_if_form, what_if_run, what_if_saved, why]
