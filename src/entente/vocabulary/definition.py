"""A union described by files: who its parties are, what documents it cites, and its record.

A union folder holds ``union.yaml`` (name, documents, parties) and
``record.yaml`` (``events:``, a list of events in the vocabulary of
:mod:`entente.vocabulary.events`).  Reading refuses the whole file at the first entry
that fails, naming the file, the line, the entry and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from entente.vocabulary import checks
from entente.vocabulary.bundled import DEFAULT_UNION
from entente.vocabulary.entries import entries
from entente.vocabulary.events import KINDS, AnyEvent, Event
from entente.vocabulary.formats import FORMAT
from entente.vocabulary.said import Said, Value, said
from entente.vocabulary.union import ROLES, Union
from entente.vocabulary.viewer_words import VIEWER_WORDS
from entente.vocabulary.yamlfile import FileError, Located, convert, field_path


def load_union(folder: Path = DEFAULT_UNION) -> Union:
    if not (folder / "union.yaml").is_file():
        raise FileError(folder, said("not a union folder: it has no union.yaml (see docs/unions.md)"))
    located = Located(folder / "union.yaml")
    if not isinstance(located.data, dict):
        raise FileError(located.path, said("expected a mapping with id, name and parties"), 1)
    union = convert(located, {**located.data, "folder": str(folder)}, Union, (), None)
    for index, party in enumerate(union.parties):
        if (word := party.code.lower()) in VIEWER_WORDS:
            raise FileError(located.path, f"{party.code} reads as the viewer {word!r} (the {VIEWER_WORDS[word]}), "
                            f"so its delegation would be taken for the {VIEWER_WORDS[word]}: code the party otherwise",
                            located.line_of("parties", index, "code"), field=f"parties[{index}].code")
        if problem := _role_problem(union, party.role, party.since):
            field = "since" if party.role in union.roles or party.role in ROLES else "role"
            raise FileError(located.path, problem, located.line_of("parties", index, field), party.code,
                            f"parties[{index}].{field}")
    for name in union.roles:
        if name in ROLES:
            raise FileError(located.path, said("%(name)s is a role every union has already; declare only others",
                                                 name=repr(name)),
                            located.line_of("roles", name), None, f"roles.{name}")
    if union.format is not None and not 1 <= union.format <= FORMAT:
        raise FileError(located.path, said("format %(format)s is not one this version of Entente reads: it reads "
                                           "formats 1 to %(last)s", format=union.format, last=FORMAT),
                        located.line_of("format"), None, "format")
    for key, document in union.documents.items():
        if document.file is not None and (problem := _shipped(folder, document.file, document.sha256)):
            raise FileError(located.path, problem, located.line_of("documents", key, "file"), key,
                            f"documents.{key}.file")
    return union


def _role_problem(union: Union, role: str, since: str | None) -> Said | None:
    """Why a party's role or its day cannot be read, if it cannot."""
    if role not in union.roles and role not in ROLES:
        return said("%(role)s is not one of the values it takes: %(roles)s (a union declares a role of its own "
                    "under roles)", role=repr(role), roles=", ".join([*ROLES, *union.roles]))
    if since is not None and not _a_day(since):
        return said("since is a day (YYYY-MM-DD), the day it took up its role, not %(since)s", since=repr(since))
    if since is not None and role == "member":
        return said("a member is a member from the day an instrument binds it: since is for the other roles")
    return None


def _a_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _shipped(folder: Path, file: str, sha256: str | None) -> Said | None:
    """Why a document's file cannot be quoted from, if it cannot: it is not in the folder, or not as received."""
    path = (folder / file).resolve()
    if not path.is_relative_to(folder.resolve()):
        return said("%(file)s is outside the union folder; a union ships its documents in its own folder",
                    file=repr(file))
    if not path.is_file():
        return said("there is no file %(file)s in the union folder", file=repr(file))
    if sha256 is not None and (found := hashlib.sha256(path.read_bytes()).hexdigest()) != sha256.lower():
        return said("%(file)s is not the file as received: its SHA-256 is %(found)s, not %(sha256)s", file=repr(file),
                    found=found, sha256=sha256)
    return None


# Further checks of an entry, given the entries before it in the file: (field, problem) pairs.
EntryCheck = Callable[[Event, list[Event]], list[tuple[str, Value]]]


def read_events(path: Path, union: Union, check: EntryCheck | None = None, *, own: bool = True) -> list[Event]:
    """Every event of a record file, validated; the first bad entry refuses the whole file.  The file is read
    an entry at a time (``entries``): what is held is the events, not the file's text or its YAML.

    ``own=False`` leaves each entry's own checks (its fields, its id) to ``check``, which makes them itself, as a
    loader's does; an id used earlier in the file is refused all the same."""
    events: list[Event] = []
    seen: set[str] = set()
    # Each entry made an event as it is read, if it can be (by the reader process, where there is one).
    for index, item, located in entries(path, _as_kind, AnyEvent):
        keys: tuple[str | int, ...] = ("events", index)
        if isinstance(item, Event):
            event = item
        else:  # converted again, to say what is wrong with it
            entry = item.get("id") if isinstance(item, dict) else None
            event = convert(located, item, _kind_named(item), keys, entry or f"#{index + 1}")
        problems = (checks.check_event(event, union, seen) if own or check is None else []) or \
            (check(event, events) if check else [])
        if not problems and event.id in seen:
            problems = [("id", checks.reused(event.id))]
        if problems:
            field, problem = problems[0]
            raise FileError(path, problem, located.line_of(*keys, *field_path(field)), event.id, field)
        seen.add(event.id)
        events.append(event)
    return events


def _as_kind(item: object) -> Event | None:
    """The entry as the kind it names, where it is one in every field, else None (then converted to the union of
    kinds, to say what is wrong as the union file's reader always has).  The same conversion the union makes
    once it has found the kind by its tag, without finding it among them all for every entry."""
    tag = item.get("kind") if isinstance(item, dict) else None
    kind = KINDS.get(tag) if isinstance(tag, str) else None
    if kind is None:
        return None
    try:
        return msgspec.convert(item, kind)
    except msgspec.ValidationError:
        return None


def _kind_named(item: object) -> Any:
    """The kind an entry names, so that what is wrong with it is said of that kind's fields alone; the union
    of kinds where it names none known (then the kinds there are are listed)."""
    tag = item.get("kind") if isinstance(item, dict) else None
    return KINDS.get(tag, AnyEvent) if isinstance(tag, str) else AnyEvent


def bundled_record(union: Union) -> list[Event]:
    return read_events(Path(union.folder) / "record.yaml", union)
