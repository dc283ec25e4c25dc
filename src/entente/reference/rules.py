"""The rule kinds page: every kind, what it checks, and every setting with its type and default, from the code."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

import msgspec

from entente.reference.words import cell, field_notes, summary
from entente.rules import KINDS
from entente.vocabulary.events import PartyCode


def type_words(t: Any) -> str:
    """A setting's type as the page writes it."""
    origin, args = get_origin(t), get_args(t)
    if origin in (Union, types.UnionType):
        real = [type_words(a) for a in args if a is not type(None)]
        words = ", ".join(real[:-1]) + (" or " if len(real) > 1 else "") + real[-1]
        return f"{words} or none" if type(None) in args else words
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        inner = args[0]
        return "list of mappings (below)" if _is_struct(inner) else f"list of {_plural(type_words(inner))}"
    if origin is dict:
        return f"mapping of {type_words(args[0])} to {type_words(args[1])}"
    if _is_struct(t):
        return "mapping (below)"
    if t == PartyCode:
        return "party code"
    return {int: "whole number", bool: "true or false", str: "text"}[t]


def _plural(words: str) -> str:
    return {"whole number": "whole numbers", "party code": "party codes"}.get(words, words)


def _is_struct(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def default_words(field: msgspec.structs.FieldInfo) -> str:
    """A setting's default as the page writes it: ``required`` where it has none."""
    if field.required:
        return "required"
    value = field.default if field.default is not msgspec.NODEFAULT else field.default_factory()
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple | dict) and not value:
        return "empty"
    return f"`{value}`"


def settings(struct: type, prefix: str = "") -> dict[str, tuple[str, str, str]]:
    """Setting name (those inside another dotted) -> (type, default, what it says), as the code has them."""
    out = {}
    notes = field_notes(struct)
    for f in msgspec.structs.fields(struct):
        name = prefix + f.encode_name
        out[name] = (type_words(f.type), default_words(f), notes.get(f.encode_name, ""))
        inner = [a for a in (f.type, *get_args(f.type)) if _is_struct(a)]
        inner += [b for a in get_args(f.type) for b in get_args(a) if _is_struct(b)]
        for nested in dict.fromkeys(inner):
            out |= settings(nested, f"{name}.")
    return out


def checks(kind: str) -> str:
    """What a kind checks, in a line: its description's first sentence, after the kind's name."""
    first = summary(KINDS[kind]).split("\n")[0]
    return first.split(": ", 1)[1] if ": " in first else first


def page() -> str:
    """The rule kinds page."""
    out = [
        "# Rule kinds",
        "",
        "A rule in a treaty file names its `kind` and gives that kind's `settings` ([Treaty files](../treaty-files.md)"
        " says how a rule is written beside its article). Below is every kind, what it checks, and every setting "
        "with its type and default; a setting with no default must be given. A dotted name is a setting inside "
        "another (`during.category`). Party codes and days (YYYY-MM-DD) are text. A setting of the wrong type is "
        "refused when the treaty file is read, naming the file, the line, the article and the setting.",
        "",
        "| kind | what it checks |",
        "| --- | --- |",
        *(f"| [`{kind}`](#{kind}) | {cell(checks(kind))} |" for kind in KINDS),
    ]
    for kind, module in KINDS.items():
        out += ["", f"## `{kind}`", "", summary(module), "",
                "| setting | type | default | what it says |", "| --- | --- | --- | --- |"]
        out += [f"| `{name}` | {kind_of} | {default} | {cell(note)} |"
                for name, (kind_of, default, note) in settings(module.Settings).items()]
    return "\n".join(out) + "\n"
