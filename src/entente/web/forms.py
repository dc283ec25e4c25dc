"""A delegation's forms: what was chosen, the API request body it stands for, its problems by field, its preview.

A form is turned into the same request body the API takes; a refused form is
shown again with every field as it was chosen (``Chosen``), each problem beside
the field it concerns (``by_field``).  Each form carries an idempotency key, so a
second click on the same form records nothing new and gets the first answer; the
ids the server derives from a form's words derive from that key too, so the
retry is the same entry.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from entente.languages.catalog import N_
from entente.secretariat.admission import said_problem
from entente.secretariat.service import Refused
from entente.vocabulary import dates, yamlfile
from entente.vocabulary.asked import read_day
from entente.vocabulary.said import said

# The kinds a delegation records from its page, each with the field naming the acting party.
FORMS = {"question_raised": "actor", "position_stated": "party", "assistance_requested": "requester",
         "proposal_made": "proposer"}
# Fields of the request body a form does not show as such, and the field of the form that gives them.
SHOWN_AS = {"source": "document", "question": "question", "request": "title", "proposal": "title", "actor": "body",
            "party": "body", "requester": "body", "proposer": "body"}


def new_key() -> str:
    """A fresh idempotency key, one per form shown."""
    return secrets.token_urlsafe(18)


@dataclass
class Chosen:
    """What a person chose in one form, every field as sent (several values for a group of checkboxes)."""

    form: str | None = None
    values: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, form: str, data: dict[str, Any]) -> Chosen:
        return cls(form, {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in data.items()})

    def get(self, form: str, name: str, default: str = "") -> str:
        """The value of a field of ``form`` as chosen; empty when that form was not the one sent."""
        found = self.values.get(name, []) if form == self.form else []
        return found[0] if found else default

    def has(self, form: str, name: str, value: str) -> bool:
        """Whether ``value`` was among the choices for a select, radio or checkbox of ``form``."""
        return form == self.form and value in self.values.get(name, [])

    def text(self, name: str) -> str:
        return self.get(self.form or "", name).strip()


def _slug(party: str, text: str, key: str) -> str:
    """A new question's, request's or proposal's id: the party's, from its words and the form's key."""
    words = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")
    tail = hashlib.sha256(key.encode()).hexdigest()[:6] if key else secrets.token_hex(3)
    return f"{party.lower()}-{words or 'entry'}-{tail}"


def classification(shown: str, party: str) -> Any:
    """The classification a "who may see it" choice stands for."""
    if shown == "own":
        return {"parties": [party]}
    if shown.startswith("instrument:"):
        return {"instrument": shown.removeprefix("instrument:")}
    return "public"


def edtf(written: str) -> str:
    """A date as people write it ("8 December 1939", "1939. gada decembrī", "first half of 1935") as EDTF,
    as the command line and the API's ``?at=`` read it; what does not read is left for the API to refuse."""
    try:
        return read_day(written, date.today()).said
    except dates.DateError:
        return written


def written_entry(text: str, name: str = "entry") -> dict[str, Any]:
    """An entry's fields as a record file writes them (YAML, one per line), its date read as people write it."""
    try:
        written = yamlfile.loads(text) or {}
    except yaml.YAMLError as exc:
        raise Refused([said_problem(name, said("not YAML: %(problem)s", problem=str(exc)))]) from None
    if not isinstance(written, dict):
        raise Refused([said_problem(name, said("write the entry's fields, one per line"))])
    if isinstance(written.get("date"), str):
        written["date"] = edtf(written["date"])
    return written


def body(kind: str, party: str, chosen: Chosen) -> dict[str, Any]:
    """The API request body a delegation's form stands for: its fields as the vocabulary names them."""
    text, key = chosen.text, chosen.text("key")
    data: dict[str, Any] = {"date": edtf(text("date")), FORMS[kind]: party,
                            "classification": classification(text("classification"), party)}
    if text("instrument"):
        data["instrument"] = text("instrument")
    if text("title"):
        data["title"] = {"en": text("title")}
    if kind == "question_raised":
        data.update(subject=text("subject"), question=_slug(party, text("title") or text("subject"), key))
    elif kind == "position_stated":
        data.update(question=text("question"), stance=text("stance") or "statement")
        data.pop("instrument", None)
        if text("text"):
            data["text"] = {"en": text("text")}
    elif kind == "assistance_requested":
        data.update(subject=text("subject"), request=_slug(party, text("title") or text("subject"), key),
                    addressees=chosen.values.get("addressees", []))
    elif kind == "proposal_made":
        data.update(motion=text("motion") or "other", proposal=_slug(party, text("title"), key))
    return data


def by_field(problems: list[dict[str, Any]], shown: set[str]) -> dict[str, str]:
    """Each problem's message under the form's field it concerns (``text.en`` under ``text``); the rest under "".
    The language the messages under a field are said in is under the field's name and "@lang" ("date@lang"):
    the page's where each was said in it, else English."""
    found: dict[str, str] = {}
    for problem in problems:
        name = re.split(r"[.\[]", str(problem.get("field") or "body"), maxsplit=1)[0]
        name = SHOWN_AS.get(name, name)
        name = name if name in shown else ""
        message, lang = str(problem.get("message", "")), str(problem.get("lang") or "en")
        found[name] = f"{found[name]}; {message}" if name in found else message
        found[f"{name}@lang"] = lang if found.get(f"{name}@lang", lang) == lang else "en"
    return found


# What each form shows, in order: the fields a problem can sit beside, and the rows of its preview.
FIELDS = {
    "position_stated": ("date", "question", "stance", "text", "classification"),
    "question_raised": ("date", "title", "subject", "instrument", "classification"),
    "assistance_requested": ("date", "title", "subject", "addressees", "instrument", "classification"),
    "proposal_made": ("date", "title", "motion", "instrument", "classification"),
}
LABELS = {"date": N_("Date"), "question": N_("On the question"), "stance": N_("Stance"),
          "text": N_("Text (English)"), "title": N_("Title (English)"), "subject": N_("Subject"),
          "addressees": N_("Asked of"), "instrument": N_("Under the instrument"), "motion": N_("Motion"),
          "classification": N_("Who may see it")}
