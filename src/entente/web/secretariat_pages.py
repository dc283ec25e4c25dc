"""The secretariat's forms: conferences with their participants, instrument acts, and any other entry as a record
file writes it (decisions, rule changes, reclassifications, corrections).

Each form becomes the API's request body and goes through ``write.decode`` and
``write.attempt``, as a delegation's does: the same checks and rules (a correction
is never narrower than what it corrects), the same problems beside their fields, a
preview that records nothing, an idempotency key per form.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath

from entente.api import write
from entente.secretariat.admission import said_problem
from entente.secretariat.service import Refused
from entente.vocabulary.events import KINDS, InstrumentSigned, english
from entente.vocabulary.said import said
from entente.web.base import AnyRequest, Page, Query, page
from entente.web.forms import Chosen, by_field, classification, edtf, new_key, written_entry
from entente.web.session_pages import Form, _refuse_cross_site, answered, as_yaml, refusal, shown_again

ACTS = ("instrument_ratified", "instrument_acceded", "instrument_entered_into_force", "withdrawal_notified",
        "instrument_terminated")
MODES = ("denounced", "annulled", "lapsed", "expired")  # how an instrument ends, for a termination
# A signature names its title, parties and signatories: written out as a record file writes it.
WRITTEN = ("instrument_signed", "decision_taken", "rule_changed", "classification_amended", "entry_corrected",
           "entry_retracted", "proposal_decided", "outside_event")
FIELDS = {"instrument_act": ("kind", "date", "instrument", "party", "mode", "classification"),
          "conference_held": ("date", "number", "instrument", "host", "place", "participants", "classification"),
          "entry": ("kind", "entry")}
ROLES = ("member", "observer", "host")


def _body(form: str, chosen: Chosen, declared: Collection[str] = ()) -> tuple[str, dict[str, Any]]:
    """(The kind, the API request body) a secretariat form stands for."""
    text = chosen.text
    if form == "entry":
        return text("kind"), written_entry(text("entry"))
    data: dict[str, Any] = {"date": edtf(text("date")), "classification": classification(text("classification"), "")}
    if text("instrument"):
        data["instrument"] = text("instrument")
    if form == "instrument_act":
        if text("party"):
            data["party"] = text("party")
        if text("kind") == "instrument_terminated" and text("mode"):
            data["mode"] = text("mode")
        return text("kind"), data
    participants = [{"party": code, "role": role} for code in chosen.values.get("participants", [])
                    if (role := chosen.get(form, f"role-{code}", "member")) in ROLES or role in declared]
    data.update(host=text("host"), place={"en": text("place")} if text("place") else None,
                participants=participants)
    if text("number"):
        data["number"] = int(text("number")) if text("number").isdigit() else text("number")
    return "conference_held", {k: v for k, v in data.items() if v is not None}


def _secretariat(p: Page, status: int = 200, chosen: Chosen | None = None,
                 problems: list[dict[str, Any]] | None = None, **context: Any) -> Response[str]:
    chosen = chosen or Chosen()
    shown = FIELDS.get(chosen.form or "", ())
    beside = by_field(problems or [], set(shown))
    return p.render(
        "secretariat.html", status=status, acts=ACTS, modes=MODES, written=WRITTEN, roles=ROLES,
        # The roles the union declares (a permanent participant), each a way a party may take part in a meeting.
        declared_roles=[(name, english(role.names, name)) for name, role in p.union.roles.items()],
        instruments=sorted({e.instrument for e in p.events if isinstance(e, InstrumentSigned)}),
        parties=p.union.parties, chosen=chosen, problems=problems or [], beside=beside, new_key=new_key,
        first_invalid=next((name for name in shown if name in beside), None),
        **{"recorded": None, "preview": None, **context})


@get("/secretariat", sync_to_thread=True, include_in_schema=False)
def secretariat(request: AnyRequest, recorded: Query = None) -> Response[str]:
    with page(request) as p:
        if p.viewer.kind != "secretariat":
            return p.render("missing.html", status=404)
        return _secretariat(p, recorded=recorded)


@post("/secretariat/{form:str}", sync_to_thread=True, include_in_schema=False, status_code=303)
def record(request: AnyRequest, form: FromPath[str], data: Form) -> Response[Any]:
    """A secretariat form: previewed, recorded, or shown again as chosen with the API's problems."""
    with page(request) as p:
        if (refused := _refuse_cross_site(p)) is not None:
            return refused
        if p.viewer.kind != "secretariat" or form not in FIELDS:
            return p.render("missing.html", status=404)
        chosen = Chosen.of(form, data)
        try:
            kind, body = _body(form, chosen, p.union.roles)
            if kind not in KINDS:
                raise Refused([said_problem("kind", said("no such kind of entry: %(kind)s", kind=repr(kind)))])
            event = write.decode(kind, body)
        except Refused as exc:
            return shown_again(_secretariat, p, *refusal(p, exc), chosen)
        return answered(request, p, event, chosen, _secretariat, "/secretariat", lambda: as_yaml(event))


ROUTES = [secretariat, record]
