"""Scenario files: changes to a union's record or rules, to replay the union with, never to record.

A scenario (YAML) names what it changes, and why the question is worth asking::

    title: A member that never joined
    why: >-
      A counterfactual: ...
    at: 1936-12-31            # the day to compare on (optional; the command's --at wins)
    changes:
      - remove: an-accession
      - add: {kind: outside_event, id: ..., date: ..., title: {en: ...}}
      - replace: {kind: ..., id: an-existing-entry, ...}
      - classify: {entry: an-existing-entry, classification: public}
      - settings: {instrument: pact-2020, rule: meetings, set: {minimum: 4}}
      - reading: {instrument: pact-2020, rule: exceptions, name: narrow}

Each change holds exactly one of these keys.  The file is read strictly: an error names the file, the line and
the field.  Whether a change names an entry or a rule the asking viewer sees is decided when it is run
(``entente.whatif.run``), against that viewer's view only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from entente.vocabulary import checks
from entente.vocabulary.events import AnyEvent, Classification, Event
from entente.vocabulary.said import Said, said
from entente.vocabulary.union import Union
from entente.vocabulary.yamlfile import FileError, Located, convert, field_path

ACTIONS = ("add", "remove", "replace", "classify", "settings", "reading")


class Classify(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An entry given another classification."""

    entry: str
    classification: Classification


class SetRule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A rule of an instrument with some of its settings changed (the rest as the treaty file has them)."""

    instrument: str
    rule: str
    set: dict[str, Any]


class PickReading(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A contested rule judged under one of its readings only."""

    instrument: str
    rule: str
    name: str


class Change(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """One change: exactly one of its fields is given."""

    add: AnyEvent | None = None
    remove: str | None = None
    replace: AnyEvent | None = None
    classify: Classify | None = None
    settings: SetRule | None = None
    reading: PickReading | None = None

    @property
    def action(self) -> str:
        return next(name for name in ACTIONS if getattr(self, name) is not None)


class _Head(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    title: str
    why: str
    changes: list[dict[str, Any]]
    at: str | None = None


class Scenario(msgspec.Struct, frozen=True, kw_only=True):
    """A scenario as read: its changes in order, with the line each is written on."""

    title: str
    why: str
    changes: tuple[Change, ...]
    at: str | None = None
    file: str = ""
    lines: tuple[int | None, ...] = ()  # the line of each change, for errors found when it is run

    def error(self, index: int, problem: str | Said, field: str | None = None) -> FileError:
        """An error in change ``index``, naming the file, its line and the field."""
        line = self.lines[index] if index < len(self.lines) else None
        action = self.changes[index].action
        return FileError(self.file, problem, line, change_label(index, action), field or action)


def change_label(index: int, action: str) -> Said:
    """How an error names a change of a scenario: "change 1 (remove)", its action as the file writes it."""
    return said("change %(number)s (%(action)s)", number=index + 1, action=action)


def read_scenario(path: Path, union: Union, kinds: Mapping[str, type], text: str | None = None) -> Scenario:
    """A scenario file, checked: each change one action, each entry in the vocabulary, each setting of its kind.

    ``kinds`` maps each rule kind to the struct its settings must fit (whether a rule of that kind is named is
    checked when the scenario is run, against the treaties the viewer sees).  Given ``text``, that is read
    instead of the file, and ``path`` only names it in errors.
    """
    located = Located(path, text)
    if not isinstance(located.data, dict):
        raise FileError(path, said("expected a mapping with title, why and changes"), 1)
    head = convert(located, located.data, _Head, (), None)
    if not head.why.strip():
        raise FileError(path, said("say why the question is worth asking, and where it comes from"),
                        located.line_of("why"), field="why")
    changes: list[Change] = []
    for index, item in enumerate(head.changes):
        keys = ("changes", index)
        given = [k for k in ACTIONS if isinstance(item, dict) and k in item]
        if len(given) != 1 or len(item) != 1:
            raise FileError(path, said("a change holds exactly one of %(actions)s", actions=", ".join(ACTIONS)),
                            located.line_of(*keys),
                            field=f"changes[{index}]")
        change = _change(located, item, keys, index)
        entry = change.add or change.replace
        if entry is not None:
            problems = checks.check_event(entry, union, ())
            if problems:
                field, problem = problems[0]
                raise FileError(path, problem, located.line_of(*keys, change.action, *field_path(field)),
                                change_label(index, change.action), field)
        if change.settings is not None:
            # The kind is known only once the rule is found; a setting no kind has is refused then.
            _known_settings(located, change.settings, kinds, keys, index)
        changes.append(change)
    return Scenario(title=head.title, why=head.why, changes=tuple(changes), at=head.at, file=str(path),
                    lines=tuple(located.line_of("changes", i) for i in range(len(changes))))


def _change(located: Located, item: dict[str, Any], keys: tuple[str | int, ...], index: int) -> Change:
    try:
        return msgspec.convert(item, Change)
    except msgspec.ValidationError:
        # Converted again on its own, so the error names the field inside the change, as a record file's does.
        action = next(iter(item))
        type_ = {"add": AnyEvent, "replace": AnyEvent, "remove": str, "classify": Classify, "settings": SetRule,
                 "reading": PickReading}[action]
        convert(located, item[action], type_, (*keys, action), change_label(index, action))
        raise  # not reached: the conversion above refuses what the change's conversion refused


def _known_settings(located: Located, change: SetRule, kinds: Mapping[str, type], keys: tuple[str | int, ...],
                    index: int) -> None:
    """Refuse a setting that no rule kind has (a misspelt one would otherwise change nothing, silently)."""
    known = {name for kind in kinds.values() for name in getattr(kind, "__struct_fields__", ())}
    for name in change.set:
        if name not in known:
            raise FileError(located.path, said("no rule kind has a setting %(name)s", name=repr(name)),
                            located.line_of(*keys, "settings", "set", name), field=f"changes[{index}].settings.set")


def as_events(changes: tuple[Change, ...]) -> list[Event]:
    """The entries a scenario adds or puts in place of others."""
    return [e for c in changes if (e := c.add or c.replace) is not None]
