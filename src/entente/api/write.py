"""One write, as the HTTP API and ``entente record`` both make it: a body in, a status and an answer out.

No web framework here, so the command line shares the exact checks and
error text without loading one.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, cast

import msgspec

from entente.languages.known import DEFAULT
from entente.ledger.checkpoints import Checkpoint
from entente.ledger.logs import Ledger
from entente.ledger.progress import Checking
from entente.record import ConflictError, RecordConflict
from entente.rules import Finding
from entente.secretariat.admission import Problem, said_problem
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Refused, Secretariat
from entente.vocabulary.events import KINDS, AnyEvent, Event, Slug
from entente.vocabulary.messages import explain_said
from entente.vocabulary.said import Catalog, say
from entente.vocabulary.yamlfile import field_path


class Written(msgspec.Struct, kw_only=True):
    """The answer to a recorded write (201): the event as recorded, the writer's view tag, the findings it brought,
    and the writer's log's new checkpoint."""

    event: AnyEvent
    tag: str
    findings: list[Finding] = []
    checkpoint: Checkpoint | None = None


def _body(cls: type[Event]) -> type[Event]:
    # The same kind with ``id`` optional: the server names an entry the writer did not name.
    return cast(type[Event], msgspec.defstruct(f"{cls.__name__}Body", [("id", Slug | None, None)], bases=(cls,),
                                               kw_only=True, module=__name__))


# Request bodies, one per kind, derived from the one vocabulary in events.py.
BODIES: dict[str, type[Event]] = {kind: _body(cls) for kind, cls in KINDS.items()}


def new_id(kind: str) -> str:
    return f"{kind.replace('_', '-')}-{uuid.uuid4().hex[:12]}"


def to_event(kind: str, body: Event) -> Event:
    """The event a request body stands for, named by the server when the body has no id."""
    fields = {name: getattr(body, name) for name in body.__struct_fields__}
    fields["id"] = fields["id"] or new_id(kind)
    return KINDS[kind](**fields)


def decode(kind: str, data: Any) -> Event:
    """A body read from a file or an argument; a bad one is refused naming the field, like any other problem."""
    try:
        return to_event(kind, msgspec.convert(data, BODIES[kind]))
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `$")
        named = field(path.rstrip("`").lstrip("."), message)
        keys = field_path(named) if named != "body" else []
        raise Refused([said_problem(named, explain_said(message, BODIES[kind], keys))]) from None


def field(path: str, message: str) -> str:
    """The field a validation message is about, as ``source.quote`` or ``participants[0].party``."""
    path = "" if path in ("data", "$") else path  # the body itself, as Litestar and msgspec name it
    named = re.search(r"(?:missing required|unknown) field `([^`]+)`", message)
    if named:
        return f"{path}.{named[1]}" if path else named[1]
    return path or "body"


def problem(p: Problem, catalog: Catalog | None = None, lang: str = DEFAULT) -> dict[str, Any]:
    """A problem as the answer gives it: its message said from ``catalog`` in ``lang`` where it is given as data
    (and ``lang`` named), else in its own (English) words."""
    if p.told is None or catalog is None or lang == DEFAULT:
        return {"field": p.field, "message": p.message, "rule": p.rule, "instrument": p.instrument,
                "article": p.article}
    # Said in the language asked for, which the answer names (a problem without it is in English).
    return {"field": p.field, "message": say(p.told, catalog, lang), "lang": lang, "rule": p.rule,
            "instrument": p.instrument, "article": p.article}


def refusal(problems: list[Problem], *, forbidden: bool = False, catalog: Catalog | None = None,
            lang: str = DEFAULT) -> tuple[int, dict[str, Any]]:
    said = [problem(p, catalog, lang) for p in problems]
    return (403, {"error": "forbidden", "problems": said}) if forbidden else \
        (422, {"error": "refused", "problems": said})


def attempt(secretariat: Secretariat, event: Event, viewer: Viewer, *, key: str | None = None,
            if_match: str | None = None, ledger: Ledger | None = None, catalog: Catalog | None = None,
            lang: str = DEFAULT) -> tuple[int, Written | dict[str, Any], bool]:
    """(HTTP status, answer, whether it replays an earlier write with the same key).

    With ``ledger``, a record that failed its integrity check takes no write (503, with the reason),
    and the answer carries the writer's new checkpoint.  A refusal's problems are said from ``catalog`` in
    ``lang`` where they are given as data.
    """
    try:
        return _attempt(secretariat, event, viewer, key, if_match, ledger, catalog, lang)
    finally:
        # Past everything the write committed (its entry, an audit line, the checkpoint kept as signed), so
        # no one's next read has a commit to catch up with: it takes as long after a write it may not see
        # as after none.
        secretariat.caught_up()


def _attempt(secretariat: Secretariat, event: Event, viewer: Viewer, key: str | None, if_match: str | None,
             ledger: Ledger | None, catalog: Catalog | None,
             lang: str) -> tuple[int, Written | dict[str, Any], bool]:
    if ledger is not None:
        try:
            ledger.ready(ledger.write_wait)  # the start's check, and the kept entries hashed again
            ledger.catch_up(secretariat.store)
            broken = ledger.broken_for(viewer)
        except Checking as exc:
            return 503, checking(exc), False
        if broken is not None:
            return 503, {"error": broken}, False
    try:
        done = secretariat.record(event, viewer, key=key, if_match=if_match)
    except Refused as exc:
        return (*refusal(exc.problems, forbidden=exc.forbidden, catalog=catalog, lang=lang), False)
    except ConflictError as exc:
        return 409, {"error": str(exc)}, False
    except RecordConflict as exc:
        return 409, {"error": str(exc)}, False
    checkpoint = None
    if ledger is not None:
        ledger.catch_up(secretariat.store)
        checkpoint = ledger.checkpoint(viewer)
    return 201, Written(event=done.event, tag=done.tag, findings=done.findings, checkpoint=checkpoint), done.replayed


def checking(exc: Checking) -> dict[str, Any]:
    """The answer to a write that came while the record is being checked: what is going on, and in how many
    seconds to try again (as ``Retry-After`` says too)."""
    return {"error": str(exc), "retry_after": exc.seconds}


def retry_after(answer: Any) -> dict[str, str]:
    """The ``Retry-After`` header an answer asks for, if any."""
    return {"Retry-After": str(answer["retry_after"])} if isinstance(answer, dict) and "retry_after" in answer else {}

