"""What an entry's hash commits to: its bytes, with each value that may one day be erased as a salted digest.

The record's hash chain and every viewer's log (RFC 9162's leaf hash) hash the
same data: for most entries their stored bytes.  An entry that holds personal
data (``ERASABLE`` in the vocabulary: a delegate's, a signatory's name) has each
such value replaced by ``{"salted": hex SHA-256(salt || path || 0x00 || value)}``,
with a salt of its own kept beside the record (``ledger_salts``).  When a value
is erased (``erased``), the store keeps the digests of the entry's values
(``ledger_digests``) and forgets the salt: the data hashed, and so the chain, the
leaf, every proof and every checkpoint, stay as they were, and without the salt
no one can find the value by guessing names.  Pure: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import msgspec

from entente.vocabulary.events import ERASABLE, AnyEvent, Event

SALT = 16  # bytes
_MARKS = tuple(f'"{name}":'.encode() for name in ERASABLE)


class Salting(NamedTuple):
    """What an entry's hashed data needs beside its bytes: its salt, or, once a value was erased, the digests."""

    salt: bytes | None
    digests: Mapping[str, str]


NONE = Salting(None, {})


def erasable(body: bytes) -> bool:
    """Whether an entry's bytes hold a field that may be erased, so that it needs a salt."""
    return any(mark in body for mark in _MARKS)


def digest(salt: bytes, path: str, value: str) -> str:
    return hashlib.sha256(salt + path.encode() + b"\0" + value.encode()).hexdigest()


def _walk(node: Any, path: str, found: dict[str, Any]) -> None:
    """Every erasable field under ``node``, by its path (``/participants/0/person``), with its value."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}/{key}"
            if key in ERASABLE:
                found[where] = value
            else:
                _walk(value, where, found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{path}/{i}", found)


def _replace(node: Any, path: str, made: Mapping[str, Any]) -> Any:
    if isinstance(node, dict):
        return {key: made[f"{path}/{key}"] if f"{path}/{key}" in made else _replace(value, f"{path}/{key}", made)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_replace(value, f"{path}/{i}", made) for i, value in enumerate(node)]
    return node


def hashed(body: bytes, salting: Salting = NONE) -> bytes:
    """The bytes the chain links and a leaf hashes: the entry's bytes, or, where it holds personal data, the
    entry with each such value replaced by its salted digest (its JSON as stored, re-encoded: keys in their
    stored order).  An entry with neither salt nor digests (one recorded before salts) is hashed as it is."""
    salt, digests = salting
    if (salt is None and not digests) or not erasable(body):
        return body
    tree = msgspec.json.decode(body)
    fields: dict[str, Any] = {}
    _walk(tree, "", fields)
    made: dict[str, Any] = {}
    for where, value in fields.items():
        if where in digests:
            made[where] = {"salted": digests[where]}
        elif salt is not None and isinstance(value, str):
            made[where] = {"salted": digest(salt, where, value)}
    return msgspec.json.encode(_replace(tree, "", made)) if made else body


class NotErasable(ValueError):
    """A field that cannot be erased: not personal data, not in the entry, or not hashed as a digest."""


def erased(body: bytes, field: str, salting: Salting) -> tuple[bytes, dict[str, str]]:
    """The entry's bytes with the value at ``field`` (``participants/0/person``) erased, and the digests to keep
    in place of its salt: the hashed data of the result, with those digests, is the hashed data of ``body``."""
    tree = msgspec.json.decode(body)
    fields: dict[str, Any] = {}
    _walk(tree, "", fields)
    where = "/" + field.strip("/")
    if where not in fields:
        raise NotErasable(f"field {field!r}: not a field that may be erased in this entry "
                          f"(these may: {', '.join(p.lstrip('/') for p in fields) or 'none'})")
    if fields[where] is None and where in salting.digests:
        raise NotErasable(f"field {field!r}: erased already")
    if not isinstance(fields[where], str):
        raise NotErasable(f"field {field!r}: holds no value to erase")
    if salting.salt is None and not all(p in salting.digests for p, v in fields.items() if isinstance(v, str)):
        raise NotErasable(f"field {field!r}: the entry's hash commits to the value itself, not to a salted "
                          "digest of it, so erasing it would break every log that holds the entry")
    digests = dict(salting.digests)
    for path, value in fields.items():
        if path not in digests and isinstance(value, str) and salting.salt is not None:
            digests[path] = digest(salting.salt, path, value)
    return msgspec.json.encode(_replace(tree, "", {where: None})), digests


def value_at(body: bytes, field: str) -> str:
    """The value at ``field`` of an entry's bytes (one ``erased`` accepts)."""
    fields: dict[str, Any] = {}
    _walk(msgspec.json.decode(body), "", fields)
    return str(fields["/" + field.strip("/")])


def holds(data: bytes, value: str) -> bool:
    """Whether JSON bytes hold ``value`` as a string."""
    return msgspec.json.encode(value) in data


def scrubbed(data: bytes, value: str) -> bytes:
    """JSON bytes (an answer kept for a retry) with every erasable field holding ``value`` emptied."""
    tree = msgspec.json.decode(data)
    fields: dict[str, Any] = {}
    _walk(tree, "", fields)
    return msgspec.json.encode(_replace(tree, "", {p: None for p, v in fields.items() if v == value}))


def without(event: Event, field: str) -> Event:
    """``event`` with the value at ``field`` erased, as the store holds it after the erasure."""
    tree = msgspec.json.decode(msgspec.json.encode(event))
    made = _replace(tree, "", {"/" + field.strip("/"): None})
    return msgspec.convert(made, AnyEvent)
