"""Every setting of every rule kind is in docs/treaty-files.md with its type and default, and nothing else is.

Like a settings reference generated from code, but written by hand: this test
reads the tables of the document's "Settings of each rule kind" section and
fails on a setting missing from them, one they name that no kind has, or a
type or default that is not the code's.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import msgspec

from entente.rules import KINDS

DOC = Path(__file__).parent.parent / "docs" / "treaty-files.md"


def type_words(t: Any) -> str:
    """A setting's type as the document writes it."""
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
    return {int: "whole number", bool: "true or false", str: "text"}[t]


def _plural(words: str) -> str:
    return {"whole number": "whole numbers"}.get(words, words)


def _is_struct(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def default_words(field: msgspec.structs.FieldInfo) -> str:
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


def _settings(struct: type, prefix: str = "") -> dict[str, tuple[str, str]]:
    """Setting name (nested ones dotted) -> (type, default), as the code has them."""
    out = {}
    for f in msgspec.structs.fields(struct):
        name = prefix + f.encode_name
        out[name] = (type_words(f.type), default_words(f))
        inner = [a for a in (f.type, *get_args(f.type)) if _is_struct(a)]
        inner += [b for a in get_args(f.type) for b in get_args(a) if _is_struct(b)]
        for nested in dict.fromkeys(inner):
            out |= _settings(nested, f"{name}.")
    return out


def documented() -> dict[str, dict[str, tuple[str, str]]]:
    """Kind -> setting -> (type, default), as the document's tables have them."""
    text = DOC.read_text(encoding="utf-8").split("## Settings of each rule kind", 1)[1].split("\n## ", 1)[0]
    out: dict[str, dict[str, tuple[str, str]]] = {}
    kind = None
    for line in text.splitlines():
        if heading := re.match(r"^### `(\w+)`", line):
            kind = heading.group(1)
            out[kind] = {}
        elif kind and (row := re.match(r"^\| `([\w.]+)` \| (.+?) \| (.+?) \|", line)):
            out[kind][row.group(1)] = (row.group(2), row.group(3))
    return out


def test_every_setting_of_every_rule_kind_is_documented_with_its_type_and_default():
    docs = documented()
    assert sorted(docs) == sorted(KINDS), "rule kinds documented and in the code differ"
    for kind, module in KINDS.items():
        assert docs[kind] == _settings(module.Settings), f"the settings of {kind} differ from docs/treaty-files.md"
