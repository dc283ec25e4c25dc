"""Signing in with a delegation's token, the delegation's own entries and forms, the secretariat's audit trail.

A form is turned into the same request body the API takes and goes through
the same ``write.decode`` and ``write.attempt``: the same checks, the same
problems, each naming its field.  Every post is refused when it comes from
another site (``base.cross_site``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, eq, methodcaller
from typing import Annotated, Any

import msgspec
import yaml
from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from entente.api import write
from entente.api.hub import held_off
from entente.languages.catalog import N_
from entente.languages.told import refused_in
from entente.ledger.progress import Checking
from entente.secretariat import tokens
from entente.secretariat.admission import Problem, admit, said_problem
from entente.secretariat.clearance import instrument_parties, why_not_written
from entente.secretariat.service import Refused, as_written_by, under_a_delegations_prefix
from entente.vocabulary.events import (
    AssistanceRequested,
    Event,
    InstrumentSigned,
    PositionStated,
    ProposalMade,
    QuestionRaised,
)
from entente.vocabulary.stored import with_twins
from entente.vocabulary.wording import words
from entente.web import i18n, revision_forms, sessions
from entente.web.base import SESSION, AnyRequest, Page, Query, _in, cross_site, page
from entente.web.forms import FIELDS, FORMS, LABELS, Chosen, body, by_field, new_key
from entente.web.labels import label
from entente.web.paging import paged

_WRITER, _ID = attrgetter("writer"), attrgetter("id")
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _refuse_cross_site(p: Page) -> Response[str] | None:
    return p.render("forbidden.html", status=403) if cross_site(p.request) else None


@get("/signin", sync_to_thread=True, include_in_schema=False)
def signin_form(request: AnyRequest) -> Response[str]:
    with page(request) as p:
        return p.render("signin.html", failed=False)


@post("/session", sync_to_thread=True, include_in_schema=False, status_code=303)
def signin(request: AnyRequest, data: Form) -> Response[Any]:
    """A token that resolves starts a session on the server; the cookie (HttpOnly: no script reads it) holds
    only the session's id, never the token."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        token = str(data.get("token", "")).strip()
        try:
            started = sessions.start(p.secretariat.store, token) if token else None
        except tokens.Waiting as exc:  # a token held off after failed sign-ins, as the API holds it off
            raise held_off(exc) from None
        if started is None:
            return p.render("signin.html", status=401, failed=True)
        if (old := request.cookies.get(SESSION)) is not None:
            sessions.end(p.secretariat.store, old)  # a new sign-in never keeps the session id sent before it
    session, viewer = started
    target = "/delegation" if viewer.kind == "party" else "/audit" if viewer.kind == "secretariat" else "/"
    response: Redirect = Redirect(target, status_code=303)
    response.set_cookie(SESSION, session, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        max_age=int(sessions.LIFETIME.total_seconds()))
    return response


@post("/signout", sync_to_thread=True, include_in_schema=False, status_code=303)
def signout(request: AnyRequest) -> Response[Any]:
    """Sign-out ends the session on the server, so the cookie's id no longer works anywhere, then drops the cookie."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        if (session := request.cookies.get(SESSION)) is not None:
            sessions.end(p.secretariat.store, session)
    response: Redirect = Redirect("/", status_code=303)
    response.delete_cookie(SESSION)
    return response


# The delegation's own entries, each kind its own list and its own page parameter, latest recorded first.
OWN = {"questions": (QuestionRaised, "actor"), "positions": (PositionStated, "party"),
       "requests": (AssistanceRequested, "requester"), "proposals": (ProposalMade, "proposer")}
OFFERED = 200  # the newest questions (and own entries) a form's list offers: a list a person can choose from


@dataclass(frozen=True)
class Delegations:
    """What the delegation page lists, worked out once for the record as the viewer sees it."""

    own: dict[str, list[Event]]  # its questions, positions, requests and proposals, latest recorded first
    questions: list[QuestionRaised]  # every question it sees, latest recorded first
    instruments: list[str]  # the instruments signed, for the forms' "who may see it"
    revisable: list[Event]  # the entries it recorded itself, latest recorded first
    revisable_ids: frozenset[str]


def newest_first(events: Iterable[Event]) -> list[Event]:
    """The latest recorded first: the record's order turned round, so a page of a long list costs no sort."""
    return list(events)[::-1]


def _of(events: Sequence[Event], types: list[type], kind: type[Any]) -> list[Any]:
    """The events of ``kind`` (``types``: each event's type, in order), picked out without a Python loop."""
    return list(compress(events, map(frozenset(with_twins({kind: None})).__contains__, types)))


def _recorded_by(events: Sequence[Event], party: str, since: str | None) -> list[Event]:
    """The entries ``party``'s delegation recorded itself (``clearance.written_by``), picked out of the record
    without a Python loop over the rest: those naming it as their writer, and, recorded before the store named
    writers, those under its prefix."""
    named = compress(events, map(eq, repeat(party), map(_WRITER, events)))
    if since is None:
        return revision_forms.own_entries(list(named), party, since)
    prefixed = compress(events, map(methodcaller("startswith", f"{party.lower()}."), map(_ID, events)))
    return revision_forms.own_entries(list({e.id: e for e in (*prefixed, *named)}.values()), party, since)


def delegations(events: Sequence[Event], party: str, since: str | None) -> Delegations:
    """The delegation page's lists for ``party`` among ``events``, each picked out of the record without a Python
    loop over the rest, so a page after a write costs a fraction of a second at a million entries."""
    types = list(map(type, events))
    own = {}
    for key, (kind, field) in OWN.items():
        found = _of(events, types, kind)
        own[key] = newest_first(compress(found, map(eq, repeat(party), map(attrgetter(field), found))))
    return Delegations(own=own, questions=newest_first(_of(events, types, QuestionRaised)),  # type: ignore[arg-type]
                       instruments=sorted({e.instrument for e in _of(events, types, InstrumentSigned)}),
                       revisable=(revisable := newest_first(_recorded_by(events, party, since))),
                       revisable_ids=frozenset(e.id for e in revisable))


def carried(earlier: Delegations, added: list[Event], party: str, since: str | None) -> Delegations:
    """The delegation page's lists with the entries ``added`` after those ``earlier`` was made from."""
    more = delegations(added, party, since)
    return Delegations(own={key: more.own[key] + rows for key, rows in earlier.own.items()},
                       questions=more.questions + earlier.questions,
                       instruments=sorted({*earlier.instruments, *more.instruments}),
                       revisable=more.revisable + earlier.revisable,
                       revisable_ids=earlier.revisable_ids | more.revisable_ids)


def _lists(p: Page) -> Delegations:
    """The delegation page's lists for the signed-in delegation, kept while the record stays as it is, and
    carried on over the entries written since rather than made again from the whole record."""
    party, since = p.viewer.party or "", p.secretariat.writers_since
    return p.kept(("delegation", party, since), lambda events: delegations(events, party, since),
                  lambda earlier, added: carried(earlier, added, party, since))


def _delegation(p: Page, status: int = 200, chosen: Chosen | None = None, problems: list[dict[str, Any]] | None = None,
                **context: Any) -> Response[str]:
    if p.viewer.kind != "party":
        return p.render("signin.html", status=401, failed=False)
    chosen = chosen or Chosen()
    shown = FIELDS.get(chosen.form or "", ()) or revision_forms.REVISIONS.get(chosen.form or "", ())
    beside = by_field(problems or [], set(shown))
    lists = _lists(p)
    own = {key: paged(p, rows, f"{key}_page", anchor=f"our-{key}", drop=("recorded",))
           for key, rows in lists.own.items()}
    if status == 200 and any(listed.refused for listed in own.values()):
        status = 400
    revisable = lists.revisable[:OFFERED]
    return p.render(
        "delegation.html", status=status, own=own, kinds=FORMS, fields=FIELDS,
        labels={**LABELS, **revision_forms.LABELS}, documents=list(p.union.documents),
        revisable=_with_chosen(revisable, lists.revisable, chosen, "target"),
        revisable_ids=lists.revisable_ids,
        questions=_with_chosen(lists.questions[:OFFERED], lists.questions, chosen, "question"),
        offered=OFFERED, instruments=lists.instruments,
        others=[q for q in p.union.parties if q.role == "member" and q.code != p.viewer.party],
        chosen=chosen, problems=problems or [], beside=beside, new_key=new_key,
        first_invalid=next((name for name in shown if name in beside), None),
        **{"recorded": None, "preview": None, **context})


def _with_chosen(offered: list[Any], every: list[Any], chosen: Chosen, name: str) -> list[Any]:
    """The entries a form's list offers, and the one chosen in the form sent back if it is older than those."""
    picked = chosen.text(name)
    if not picked or any(e.id == picked or getattr(e, name, None) == picked for e in offered):
        return offered
    return offered + [e for e in every if e.id == picked or getattr(e, name, None) == picked][:1]


@get("/delegation", sync_to_thread=True, include_in_schema=False)
def delegation(request: AnyRequest, recorded: Query = None, correct: Query = None,
               withdraw: Query = None) -> Response[Any]:
    """The delegation's entries and forms; ``correct`` or ``withdraw`` (an entry of its own) fills in that form."""
    with page(request) as p:
        if p.viewer.kind == "secretariat":  # the secretariat's forms are on its own page
            return Redirect("/secretariat", status_code=303)
        chosen = revision_forms.prefilled(_lists(p).revisable if p.viewer.party else [], p.viewer.party or "",
                                          p.secretariat.writers_since, correct, withdraw)
        return _delegation(p, recorded=recorded, chosen=chosen)


def _checked(p: Page, event: Event) -> list[Problem]:
    """The problems a write of ``event`` would meet now, the same checks as a write, recording nothing."""
    secretariat, viewer = p.secretariat, p.viewer
    event = as_written_by(event, viewer)
    secretariat.seen(viewer)  # caught up with the store
    related = secretariat.projections.related(viewer)
    seen = secretariat.projections.seen(viewer)
    reason = why_not_written(viewer, event, instrument_parties(related.acts), secretariat.own_ids(viewer, seen))
    if reason is not None:
        return [said_problem("actor", reason)]
    if viewer.kind == "secretariat" and (prefixed := under_a_delegations_prefix(event, p.union)):
        return prefixed
    return list(admit(p.union, secretariat.treaties, seen.events, event, seen.folded, related).problems)


# A page showing a writer's form: as chosen, with a preview, or with the problems a write met.
FormPage = Callable[..., Response[str]]


def as_yaml(event: Event) -> dict[str, str]:
    """The preview of an entry shown as a record file writes it."""
    return {"entry": yaml.safe_dump(msgspec.to_builtins(event), allow_unicode=True, sort_keys=False)}


def refusal(p: Page, exc: Refused) -> tuple[int, dict[str, Any]]:
    """A refused write's status and answer, its problems said in the page's language."""
    return write.refusal(exc.problems, forbidden=exc.forbidden, catalog=i18n.translations(p.lang), lang=p.lang)


def shown_again(render: FormPage, p: Page, status: int, answer: dict[str, Any], chosen: Chosen) -> Response[str]:
    """The form again, as chosen, with the problems of the refused write beside it."""
    problems = answer.get("problems") or [{"field": "body", "message": answer["error"]}]
    return render(p, status=status, chosen=chosen, problems=problems)


def answered(request: AnyRequest, p: Page, event: Event, chosen: Chosen, render: FormPage, home: str,
             preview: Callable[[], dict[str, Any]]) -> Response[Any]:
    """A writer's form answered: previewed (what will be recorded and for whom, or the problems a write would
    meet), recorded (back to ``home``, saying so), or shown again as chosen with the API's problems.

    The form's key goes with the write as the API's Idempotency-Key, and the write takes the app's ledger as the
    API's writes do: a broken record takes no write from a form either.
    """
    if chosen.text("preview"):
        if found := _checked(p, event):
            catalog = i18n.translations(p.lang)
            return render(p, status=422, chosen=chosen, problems=[write.problem(x, catalog, p.lang) for x in found])
        return render(p, chosen=chosen, preview=preview())
    status, answer, _ = write.attempt(p.secretariat, event, p.viewer, key=chosen.text("key") or None,
                                      ledger=request.app.state.hub.ledger, catalog=i18n.translations(p.lang),
                                      lang=p.lang)
    if isinstance(answer, write.Written):
        return Redirect(p.url(home, recorded=answer.event.id), status_code=303)
    if "retry_after" in answer:  # the record is being checked: told, as the API tells it, when to send it again
        told = refused_in(Checking(answer["retry_after"]), p.lang)
        return render(p, status=status, chosen=chosen, problems=[{"field": "body", "message": told}],
                      headers=write.retry_after(answer))
    return shown_again(render, p, status, answer, chosen)


def _preview(p: Page, event: Event, chosen: Chosen) -> dict[str, Any]:
    """What a form will record, each field as the page writes it, and who will be able to see it."""
    gettext = i18n.translations(p.lang).gettext
    shown: dict[str, str] = {}
    for name in FIELDS[chosen.form or ""]:
        value = getattr(event, name, None)
        if name == "date":
            shown[name] = words(event.date, p.lang)
        elif name == "question":
            shown[name] = next((_in(e.title, p.lang) for e in p.events
                                if isinstance(e, QuestionRaised) and e.question == value), str(value))
        elif name in ("stance", "motion"):
            shown[name] = gettext(label(str(value)))
        elif name == "addressees":
            shown[name] = ", ".join(p.party_name(code) for code in value or ()) or "—"
        elif name in ("text", "title"):
            shown[name] = _in(value, p.lang) or "—"
        elif name != "classification":
            shown[name] = str(value or "—")
    choice, party = chosen.text("classification"), p.viewer.party or ""
    if choice.startswith("instrument:"):
        members = instrument_parties(p.events).get(choice.removeprefix("instrument:"), set())
        who = ", ".join(sorted(p.party_name(code) for code in members | {party}))
    else:
        who = p.party_name(party) if choice == "own" else gettext(N_("everyone"))
    return {"shown": shown, "audience": gettext(N_("%(who)s, and the secretariat")) % {"who": who}
            if choice != "public" else who}


@post("/delegation/{kind:str}", sync_to_thread=True, include_in_schema=False, status_code=303)
def record(request: AnyRequest, kind: FromPath[str], data: Form) -> Response[Any]:
    """A form posted by the delegation: previewed, recorded, or shown again as chosen with the API's problems.

    The form's key goes with the write as the API's Idempotency-Key: a second post of the same form
    (a double click) records nothing new and is answered as the first.
    """
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        revision = kind in revision_forms.REVISIONS
        if p.viewer.party is None or not (kind in FORMS or revision):
            return _delegation(p, status=404)
        chosen = Chosen.of(kind, data)
        try:
            asked = revision_forms.body(kind, chosen, p.events) if revision else body(kind, p.viewer.party, chosen)
            event = write.decode(kind, asked)
        except Refused as exc:
            return shown_again(_delegation, p, *refusal(p, exc), chosen)
        return answered(request, p, event, chosen, _delegation, "/delegation",
                        lambda: as_yaml(event) if revision else _preview(p, event, chosen))


@get("/audit", sync_to_thread=True, include_in_schema=False)
def audit(request: AnyRequest) -> Response[str]:
    """Refused writes, for the secretariat; to anyone else there is no such page."""
    with page(request) as p:
        if p.viewer.kind != "secretariat":
            return p.render("missing.html", status=404)
        return p.render("audit.html", trail=p.secretariat.store.audit_trail())


ROUTES = [signin_form, signin, signout, delegation, record, audit]
