"""Signing in with a delegation's token, the delegation's own entries and forms, the secretariat's audit trail.

A form is turned into the same request body the API takes and goes through
the same ``write.decode`` and ``write.attempt``: the same checks, the same
problems, each naming its field.  Every post is refused when it comes from
another site (``base.cross_site``).
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from entente.api import write
from entente.api.hub import resolved
from entente.secretariat.service import Refused
from entente.vocabulary.events import (
    AssistanceRequested,
    InstrumentSigned,
    PositionStated,
    ProposalMade,
    QuestionRaised,
)
from entente.web.base import SESSION, AnyRequest, Page, Query, cross_site, page

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
# The kinds a delegation records from its page, each with the field naming the acting party.
FORMS = {"question_raised": "actor", "position_stated": "party", "assistance_requested": "requester",
         "proposal_made": "proposer"}


def _refuse_cross_site(p: Page) -> Response[str] | None:
    return p.render("forbidden.html", status=403) if cross_site(p.request) else None


@get("/signin", sync_to_thread=True, include_in_schema=False)
def signin_form(request: AnyRequest) -> Response[str]:
    with page(request) as p:
        return p.render("signin.html", failed=False)


@post("/session", sync_to_thread=True, include_in_schema=False, status_code=303)
def signin(request: AnyRequest, data: Form) -> Response[Any]:
    """A token that resolves starts a session: the token kept in an HttpOnly cookie no script can read."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        token = str(data.get("token", "")).strip()
        viewer = resolved(p.secretariat.store, token) if token else None
        if viewer is None:
            return p.render("signin.html", status=401, failed=True)
    target = "/delegation" if viewer.kind == "party" else "/audit" if viewer.kind == "secretariat" else "/"
    response: Redirect = Redirect(target, status_code=303)
    response.set_cookie(SESSION, token, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        max_age=12 * 3600)
    return response


@post("/signout", sync_to_thread=True, include_in_schema=False, status_code=303)
def signout(request: AnyRequest) -> Response[Any]:
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
    response: Redirect = Redirect("/", status_code=303)
    response.delete_cookie(SESSION)
    return response


def _own(p: Page) -> dict[str, list[Any]]:
    """The delegation's own questions, positions, requests and proposals, among the events it may see."""
    party = p.viewer.party
    return {
        "questions": [e for e in p.events if isinstance(e, QuestionRaised) and e.actor == party],
        "positions": [e for e in p.events if isinstance(e, PositionStated) and e.party == party],
        "requests": [e for e in p.events if isinstance(e, AssistanceRequested) and e.requester == party],
        "proposals": [e for e in p.events if isinstance(e, ProposalMade) and e.proposer == party],
    }


def _delegation(p: Page, status: int = 200, **context: Any) -> Response[str]:
    if p.viewer.kind != "party":
        return p.render("signin.html", status=401, failed=False)
    return p.render(
        "delegation.html", status=status, own=_own(p), kinds=FORMS,
        questions=[e for e in p.events if isinstance(e, QuestionRaised)],
        instruments=sorted({e.instrument for e in p.events if isinstance(e, InstrumentSigned)}),
        others=[q for q in p.union.parties if q.role == "member" and q.code != p.viewer.party],
        **{"kind": None, "values": {}, "problems": [], **context})


@get("/delegation", sync_to_thread=True, include_in_schema=False)
def delegation(request: AnyRequest, recorded: Query = None) -> Response[str]:
    with page(request) as p:
        return _delegation(p, recorded=recorded)


def _slug(party: str, text: str) -> str:
    """A new question's, request's or proposal's id: the party's, from its words, never one already taken."""
    words = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")
    return f"{party.lower()}-{words or 'entry'}-{secrets.token_hex(3)}"


def body(kind: str, party: str, form: dict[str, Any]) -> dict[str, Any]:
    """The API request body a delegation's form stands for: its fields as the vocabulary names them."""
    def text(name: str) -> str:
        value = form.get(name, "")
        return str(value[0] if isinstance(value, list) else value).strip()

    data: dict[str, Any] = {"date": text("date"), FORMS[kind]: party}
    shown = text("classification")
    data["classification"] = {"parties": [party]} if shown == "own" else \
        {"instrument": shown.removeprefix("instrument:")} if shown.startswith("instrument:") else "public"
    if text("instrument"):
        data["instrument"] = text("instrument")
    if text("title"):
        data["title"] = {"en": text("title")}
    if kind == "question_raised":
        data.update(subject=text("subject"), question=_slug(party, text("title") or text("subject")))
    elif kind == "position_stated":
        data.update(question=text("question"), stance=text("stance") or "statement")
        data.pop("instrument", None)
        if text("text"):
            data["text"] = {"en": text("text")}
    elif kind == "assistance_requested":
        addressees = form.get("addressees", [])
        data.update(subject=text("subject"), request=_slug(party, text("title") or text("subject")),
                    addressees=addressees if isinstance(addressees, list) else [addressees])
    elif kind == "proposal_made":
        data.update(motion=text("motion") or "other", proposal=_slug(party, text("title")))
    return data


@post("/delegation/{kind:str}", sync_to_thread=True, include_in_schema=False, status_code=303)
def record(request: AnyRequest, kind: FromPath[str], data: Form) -> Response[Any]:
    """A form posted by the delegation: recorded, or shown again with the problems the API would answer."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        if p.viewer.party is None or kind not in FORMS:
            return _delegation(p, status=404)
        try:
            event = write.decode(kind, body(kind, p.viewer.party, data))
        except Refused as exc:
            status, answer = write.refusal(exc.problems, forbidden=exc.forbidden)
        else:
            # With the app's ledger, as the API's writes: a broken record takes no write from a form either.
            status, answered, _ = write.attempt(p.secretariat, event, p.viewer, ledger=request.app.state.hub.ledger)
            if isinstance(answered, write.Written):
                return Redirect(p.url("/delegation", recorded=answered.event.id), status_code=303)
            answer = answered
        problems = answer.get("problems") or [{"field": "body", "message": answer["error"]}]
        return _delegation(p, status=status, kind=kind, values=data, problems=problems)


@get("/audit", sync_to_thread=True, include_in_schema=False)
def audit(request: AnyRequest) -> Response[str]:
    """Refused writes, for the secretariat; to anyone else there is no such page."""
    with page(request) as p:
        if p.viewer.kind != "secretariat":
            return p.render("missing.html", status=404)
        return p.render("audit.html", trail=p.secretariat.store.audit_trail())


ROUTES = [signin_form, signin, signout, delegation, record, audit]
