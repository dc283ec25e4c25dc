"""The events page: every event kind with each of its fields, from the vocabulary's definitions."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec
import yaml

from entente.reference.words import cell, example, field_notes, slug, summary
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import KINDS, Event, PartyCode, Slug, english

TEXT = "text in several languages"
_PLURALS = {"party code": "party codes", "id": "ids", "whole number": "whole numbers"}


def _structs_in(t: Any) -> list[type[msgspec.Struct]]:
    """The structs a field's type is made of, an entry of another kind aside."""
    if isinstance(t, type) and issubclass(t, msgspec.Struct):
        return [] if issubclass(t, Event) else [t]
    return [s for a in get_args(t) for s in _structs_in(a)]


def parts() -> list[type[msgspec.Struct]]:
    """The parts an entry's fields are made of, each described once below the kinds: found through the
    fields' types, in the order the kinds first use them."""
    found: dict[type[msgspec.Struct], None] = {}
    todo = [f.type for cls in KINDS.values() for f in msgspec.structs.fields(cls)][::-1]
    while todo:
        for struct in _structs_in(todo.pop()):
            if struct not in found:
                found[struct] = None
                todo += [f.type for f in msgspec.structs.fields(struct)][::-1]
    return list(found)


def _link(part: type) -> str:
    return f"[{part.__name__.lower()}](#{slug(part.__name__)})"


def _is_event(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Event)


def type_words(t: Any) -> str:
    """A field's type as the page writes it: its values, in words, and a link to a part it is made of."""
    origin, args = get_origin(t), get_args(t)
    if origin is Annotated:
        return "party code" if t == PartyCode else "id" if t == Slug else type_words(args[0])
    if origin in (Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        if all(_is_event(a) for a in real):
            return "an entry of any kind, with its `kind`"
        return " or ".join(type_words(a) for a in real)
    if origin is Literal:
        if len(args) == 1:
            return f"`{args[0]}`"
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        inner = type_words(args[0])
        plural = inner.replace("](", "s](", 1) if inner.startswith("[") else _PLURALS.get(inner, inner)
        return f"list of {plural}"
    if origin is dict:
        if args == (str, str):
            return f"[{TEXT}](#{slug(TEXT)})"
        return f"mapping of {type_words(args[0])} to {type_words(args[1])}"
    if isinstance(t, type) and issubclass(t, msgspec.Struct):
        return _link(t)
    return {int: "whole number", bool: "true or false", str: "text", object: "any value"}[t]


def required_words(field: msgspec.structs.FieldInfo) -> str:
    """Whether a field must be given, and what it is when it is not (where that is something)."""
    if field.required:
        return "yes"
    value = field.default if field.default is not msgspec.NODEFAULT else field.default_factory()
    if value is None or (isinstance(value, str | list | tuple | dict) and not value):
        return "no"
    shown = str(value).lower() if isinstance(value, bool) else f"`{value}`"
    return f"no (default {shown})"


def fields_table(cls: type, own_only: bool = False) -> list[str]:
    """The table of a struct's fields (its own only, for an event kind: not those every event has)."""
    notes = field_notes(cls)
    common = {f.name for f in msgspec.structs.fields(Event)} if own_only else set()
    rows = ["| field | type | required | what it holds |", "| --- | --- | --- | --- |"]
    for f in msgspec.structs.fields(cls):
        if f.name not in common:
            rows.append(f"| `{f.encode_name}` | {type_words(f.type)} | {required_words(f)} | "
                        f"{cell(notes.get(f.encode_name, ''))} |")
    return rows


def record_examples(record: Path) -> dict[str, str]:
    """Kind -> the shortest entry of that kind in a record file, as the file writes it."""
    text = record.read_text(encoding="utf-8")
    lines = text.splitlines()
    root = yaml.compose(text)
    found: dict[str, str] = {}
    assert isinstance(root, yaml.MappingNode)
    entries = next(v for k, v in root.value if k.value == "events")
    for node in entries.value:
        kind = next(v.value for k, v in node.value if k.value == "kind")
        end = node.end_mark.line + (1 if node.end_mark.column else 0)
        block = lines[node.start_mark.line:end]
        while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
            block.pop()
        dash = lines[node.start_mark.line].index("-")  # the list item's own column, where its dash stands
        entry = "\n".join(line[dash:] for line in block)
        if kind not in found or len(entry) < len(found[kind]):
            found[kind] = entry
    return found


def _example_yaml(cls: type) -> str | None:
    """A kind's own example as a record file writes an entry: a list item of ``events:``."""
    flow = example(cls)
    if flow is None:
        return None
    return yaml.dump([yaml.safe_load(flow)], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=None).strip()


class _Dumper(yaml.SafeDumper):
    """Writes an entry as the record files do: dates and other text that YAML would read otherwise in double
    quotes, a mapping of plain values on one line."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    plain = yaml.safe_load(value) == value and not value[:1].isdigit() if value else False
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _text)


def page(record: Path = DEFAULT_UNION / "record.yaml") -> str:
    """The events page."""
    examples = record_examples(record)
    union = yaml.safe_load((record.parent / "union.yaml").read_text(encoding="utf-8"))
    out = [
        "# Events",
        "",
        "Every entry of a union's record is an event of one of the kinds below. A record file lists them under "
        "`events:` ([Describing a union](../unions.md)); `entente record KIND --data JSON` and "
        "`POST /api/events/KIND` ([HTTP API](api.md)) record one at a time. An entry has its `kind`, the "
        "[fields every event has](#fields-every-event-has), and those of its kind; a field that is not required "
        "may be left out. The API and `entente record` name an entry given without an `id`.",
        "",
        "| kind | what it records |",
        "| --- | --- |",
    ]
    for kind, cls in KINDS.items():
        out.append(f"| [`{kind}`](#{kind}) | {cell(summary(cls).split(chr(10))[0])} |")
    out += ["", "## Fields every event has", "",
            "| field | type | required | what it holds |", "| --- | --- | --- | --- |",
            "| `kind` | one of the kinds above | yes | which kind of event the entry is (in the API, the address "
            "names it) |", *fields_table(Event)[2:]]
    for kind, cls in KINDS.items():
        out += ["", f"## `{kind}`", "", summary(cls), "", *fields_table(cls, own_only=True), ""]
        if kind in examples:
            out += [f"An entry of the {english(union['name'], union['id'])}'s record:", "", "```yaml", examples[kind],
                    "```"]
        elif (own := _example_yaml(cls)) is not None:
            out += ["An example:", "", "```yaml", own, "```"]
    out += ["", "## Parts of an entry", "", "Fields that hold more than one value are made of these."]
    for part in parts():
        out += ["", f"### {part.__name__}", "", summary(part), "", *fields_table(part)]
    out += ["", f"### {TEXT[0].upper()}{TEXT[1:]}", "",
            "A mapping of language codes (ISO 639-1: `lv`, `lt`, `et`, `en`, `fr`, `de`, `ru`) to the text in that "
            "language, such as `{en: Tallinn, lv: Tallina}`. Views show the English where there is one.", ""]
    return "\n".join(out)
