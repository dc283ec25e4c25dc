"""The party codes a value names, found by its type: every field typed as a party code, at any depth.

A rule's settings name parties (an order of turns, the members counted, the parties a suspension
concerns); a union's file may only name parties its ``union.yaml`` lists.  The settings' types say which
fields hold party codes, so a new setting typed so is checked with no list kept here.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

from entente.vocabulary.events import PartyCode

Path = list[str | int]


def _bare(t: Any) -> Any:
    while get_origin(t) is Annotated:
        t = get_args(t)[0]
    return t


def party_codes(t: Any, value: Any, path: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Each party code in ``value`` (of type ``t``), with the key path that leads to it."""
    path = path or []
    if t == PartyCode:
        if isinstance(value, str):
            yield path, value
        return
    bare = _bare(t)
    origin, args = get_origin(bare), get_args(bare)
    if origin in (Union, types.UnionType):
        for arg in args:
            yield from party_codes(arg, value, path)
    elif origin in (list, tuple) and isinstance(value, list | tuple) and args:
        for index, item in enumerate(value):
            yield from party_codes(args[0], item, [*path, index])
    elif origin is dict and isinstance(value, dict) and len(args) == 2:
        for key, item in value.items():
            if args[0] == PartyCode and isinstance(key, str):
                yield [*path, key], key
            yield from party_codes(args[1], item, [*path, key])
    elif isinstance(bare, type) and issubclass(bare, msgspec.Struct) and isinstance(value, bare):
        for field in msgspec.structs.fields(bare):
            yield from party_codes(field.type, getattr(value, field.name), [*path, field.encode_name])
