"""The schema library's complaints said in the project's words: what was expected, what was found.

``msgspec`` says "Expected `int`, got `str`" or "Invalid enum value 'year'";
a person writing a union file wants "expected a whole number, found text" and
the values a field takes.  ``explain`` walks the type down the field's path to
name them.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from entente.vocabulary.said import Value, listed, said, say

_NAMES = {"int": said("a whole number"), "float": said("a number"), "str": said("text"),
          "bool": said("true or false"), "array": said("a list"), "object": said("a mapping"), "null": said("nothing")}


def _words(schema_types: str) -> Value:
    names: list[Value] = [_NAMES.get(t.strip(), t.strip()) for t in schema_types.split("|")]
    return names[0] if len(names) == 1 else listed(names, "or")


def _bare(t: Any) -> Any:
    while get_origin(t) is Annotated:
        t = get_args(t)[0]
    return t


def _structs(t: Any) -> list[type[msgspec.Struct]]:
    t = _bare(t)
    candidates = get_args(t) if get_origin(t) in (Union, types.UnionType) else (t,)
    return [c for c in map(_bare, candidates) if isinstance(c, type) and issubclass(c, msgspec.Struct)]


def type_at(t: Any, path: list[str | int]) -> Any:
    """The type expected at a field path under ``t`` (with its constraints), or None where it cannot be followed."""
    for key in path:
        bare = _bare(t)
        origin, args = get_origin(bare), get_args(bare)
        if isinstance(key, int) and origin in (list, tuple):
            t = args[0]
        elif isinstance(key, str) and origin is dict:
            t = args[1]
        elif isinstance(key, str) and _structs(bare):
            t = next((f.type for s in _structs(bare) for f in msgspec.structs.fields(s) if f.encode_name == key), None)
        else:
            return None
        if t is None:
            return None
    return t


def _description(t: Any) -> str | None:
    for candidate in (t, *get_args(_bare(t))):
        for meta in get_args(candidate)[1:] if get_origin(candidate) is Annotated else ():
            if isinstance(meta, msgspec.Meta) and meta.description:
                return meta.description
    return None


def _values(root: Any, path: list[str | int]) -> list[str]:
    """The values a field takes: a Literal's, or, for an event's ``kind``, every kind's tag."""
    t = _bare(type_at(root, path))
    if get_origin(t) is dict:  # a mapping's values (a vote by party): msgspec names the mapping, not the key
        t = _bare(get_args(t)[1])
    if get_origin(t) is Literal:
        return [str(a) for a in get_args(t)]
    if path == ["kind"]:
        return [str(s.__struct_config__.tag) for s in _structs(root)]
    return []


def explain(message: str, root: Any, path: list[str | int]) -> str:
    """A msgspec validation message (without its "- at" part) in the project's words."""
    return say(explain_said(message, root, path))


def explain_said(message: str, root: Any, path: list[str | int]) -> Value:
    """``explain``'s sentence as data, to be said in a reader's language."""
    if m := re.fullmatch(r"Expected `([^`]+)`, got `([^`]+)`", message):
        return said("expected %(wanted)s, found %(found)s", wanted=_words(m.group(1)), found=_words(m.group(2)))
    if m := re.fullmatch(r"Invalid (?:enum )?value (.+)", message):
        values = _values(root, path)
        if values:
            return said("%(value)s is not one of the values it takes: %(values)s", value=m.group(1),
                        values=", ".join(values))
        return said("%(value)s is not one of the values it takes", value=m.group(1))
    if re.fullmatch(r"Object missing required field `[^`]+`", message):
        return said("required, and missing")
    if m := re.fullmatch(r"Object contains unknown field `([^`]+)`", message):
        known = [f.encode_name for s in _structs(type_at(root, path[:-1])) for f in msgspec.structs.fields(s)]
        if known:
            return said("%(name)s is not a field here; the fields are: %(fields)s", name=repr(m.group(1)),
                        fields=", ".join(known))
        return said("%(name)s is not a field here", name=repr(m.group(1)))
    if m := re.fullmatch(r"Expected `str` matching regex '(.+)'", message):
        form: Value = _description(type_at(root, path)) or said("text matching %(pattern)s", pattern=m.group(1))
        return said("not in the expected form: %(form)s", form=form)
    return message[:1].lower() + message[1:]
