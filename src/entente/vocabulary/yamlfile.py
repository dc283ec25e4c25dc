"""YAML files read with their line numbers, so errors can say where they are.

Dates stay strings: an EDTF date such as 1934-09-12 must not become a Python
date object, so the loader drops YAML's implicit timestamp type.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from entente.vocabulary.messages import explain_said
from entente.vocabulary.said import Day, Listed, Said, Term, Value, listed, said, say

_DROPPED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")


def _dates_stay_strings(loader: Any) -> Any:
    loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # Booleans as YAML 1.2 has them: true and false only, so a key such as `on` or `no` stays a string.
    loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return loader


_Loader = _dates_stay_strings(type("_Loader", (yaml.SafeLoader,), {}))
# The same loading by libyaml, where PyYAML has it: many times faster on a long file.  A file it refuses is
# read again by the loader above, so the refusal reads as it always has.
_FastLoader = _dates_stay_strings(type("_FastLoader", (yaml.CSafeLoader,), {})) if yaml.__with_libyaml__ else None


def loads(text: str) -> Any:
    """A short YAML text (a form's field) read as files are: dates stay strings, so a day that does not exist is
    refused by the checks in their own words rather than by YAML's date type."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader, less the timestamp type


def _parsed(text: str, loader_type: Any) -> tuple[Any, Any]:
    """The document's node tree and the data made from it, from one parse."""
    loader = loader_type(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def parsed(text: str) -> tuple[Any, Any]:
    """A text's node tree and data, by libyaml where PyYAML has it; its YAMLError raised as it is.  Strings,
    lists and mappings are made straight from the nodes, without the constructor's bookkeeping for each one,
    which takes most of the time of reading a long file; every other value is made by the constructor."""
    loader = (_FastLoader or _Loader)(text)
    try:
        node = loader.get_single_node()
        try:
            return node, None if node is None else _built(node, loader)
        except (TypeError, RecursionError) as exc:  # a list as a key, an alias within itself: as the constructor
            raise yaml.constructor.ConstructorError(problem=str(exc)) from None
    finally:
        loader.dispose()


class NotPlain(ValueError):
    """A text that uses what ``plain_data`` leaves to the constructor: anchors, aliases, tags, merge keys."""


def plain_data(text: str) -> Any:
    """A text's data made straight from libyaml's events, with no node tree: most of the time of reading a
    long file went on making the tree and resolving each of its strings.  Strings, numbers, nulls, booleans,
    lists and mappings as the loader makes them; a text that uses more (an anchor, an alias, a tag, a merge
    key) is NotPlain, and a YAML error is raised as it is."""
    loader = (_FastLoader or _Loader)(text)
    try:
        if not isinstance(loader.get_event(), yaml.StreamStartEvent):
            raise NotPlain("no stream")
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return None
        loader.get_event()  # the document's start
        data = _from_events(loader, loader.get_event(), loader.yaml_implicit_resolvers)
        loader.get_event()  # the document's end
        if not isinstance(loader.get_event(), yaml.StreamEndEvent):
            raise NotPlain("more than one document")
        return data
    finally:
        loader.dispose()


def _from_events(loader: Any, event: Any, resolvers: dict[str | None, Any]) -> Any:
    if getattr(event, "anchor", None) is not None or isinstance(event, yaml.AliasEvent):
        raise NotPlain("an anchor or alias")
    if isinstance(event, yaml.ScalarEvent):
        value, (plain, _quoted) = event.value, event.implicit
        if not plain:
            if event.tag is not None and event.tag != "!" and event.tag != _STR:
                raise NotPlain("a tag")
            return value
        if event.tag is not None and event.tag != "!":
            raise NotPlain("a tag")
        if not resolvers.get(value[0] if value else ""):  # no implicit type starts so: a string
            return value
        tag = loader.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _STR:
            return value
        if tag == _MERGE:
            raise NotPlain("a merge key")
        return loader.construct_object(yaml.ScalarNode(tag, value))
    if event.tag is not None and event.tag != "!" and event.tag not in (_SEQ, _MAP):
        raise NotPlain("a tag")
    if isinstance(event, yaml.SequenceStartEvent):
        items = []
        while not isinstance(event := loader.get_event(), yaml.SequenceEndEvent):
            items.append(_from_events(loader, event, resolvers))
        return items
    mapping = {}
    while not isinstance(event := loader.get_event(), yaml.MappingEndEvent):
        key = _from_events(loader, event, resolvers)
        mapping[key] = _from_events(loader, loader.get_event(), resolvers)
    return mapping


_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "merge"))


def _built(node: Any, loader: Any) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _SEQ:
        return [_built(n, loader) for n in node.value]
    if tag == _MAP and not any(k.tag == _MERGE for k, _ in node.value):
        return {_built(k, loader): _built(v, loader) for k, v in node.value}
    return loader.construct_object(node, deep=True)


_SENTENCES = (Said, Listed, Day, Term)


class FileError(ValueError):
    """A problem in a data file, located by file, line, entry and field; ``told`` is the same line as data
    (``said.Said``), so where it is shown it is said in the reader's language."""

    def __init__(self, file: str | Path, problem: Value, line: int | None = None,
                 entry: Value | None = None, field: str | None = None) -> None:
        self.file, self.problem, self.line, self.field = str(file), say(problem), line, field
        # An entry named by a sentence is named in English here; an id, whatever the file holds there, as it is.
        self.entry = say(entry) if isinstance(entry, _SENTENCES) else entry
        self.told = said("%(where)s: %(problem)s", where=place(self.file, line, entry, field), problem=problem)
        super().__init__(say(self.told))


def place(file: str, line: int | None = None, entry: Value | None = None, field: str | None = None) -> Value:
    """Where a problem is: "union.yaml, line 4, entry 'conference-1', field 'date'", as data; an entry named by a
    sentence ("change 1 (remove)") is said in the reader's language, quoted as an id is."""
    parts: list[Value] = [file]
    parts += [said("line %(line)s", line=line)] if line else []
    if entry:
        parts.append(said("entry %(entry)s", entry=listed(["'", entry, "'"], "") if isinstance(entry, _SENTENCES)
                          else repr(entry)))
    parts += [said("field %(field)s", field=repr(field))] if field else []
    return listed(parts, ",") if len(parts) > 1 else file


BINARY = said("is a binary file, not a YAML text file")


def unreadable(exc: OSError) -> Said:
    return said("cannot be read: %(problem)s", problem=str(exc.strerror or exc))


def not_utf8(byte: int) -> Said:
    hexed = f"0x{byte:02x}"
    return said("is not UTF-8 text (byte %(byte)s): save it as UTF-8", byte=hexed)


def _text(path: Path) -> str:
    """The file's text, or a FileError saying why it is not a readable UTF-8 text file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileError(path, unreadable(exc)) from None
    if b"\0" in raw:
        raise FileError(path, BINARY, raw[:raw.index(b"\0")].count(b"\n") + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileError(path, not_utf8(raw[exc.start]), raw[:exc.start].count(b"\n") + 1) from None


class Located:
    """A parsed YAML document plus the line of every mapping key and sequence item."""

    def __init__(self, path: Path, text: str | None = None) -> None:
        """The file at ``path``; or, given ``text``, that text, named ``path`` in errors (a document sent)."""
        self.path = path
        text = _text(path) if text is None else text
        try:
            try:
                if _FastLoader is None:
                    raise yaml.YAMLError("no libyaml")
                self.node, self.data = _parsed(text, _FastLoader)
            except yaml.YAMLError:
                self.node, self.data = _parsed(text, _Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise FileError(path, said("not valid YAML: %(problem)s", problem=str(getattr(exc, "problem", exc))),
                            line=mark.line + 1 if mark else None) from None

    def line_of(self, *keys: str | int) -> int | None:
        """The line of the value at a key path, as deep as the path can be followed."""
        node = self.node
        line = node.start_mark.line + 1 if node else None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                match = node.value[key]
            else:
                match = None
            if match is None:
                break
            node, line = match, match.start_mark.line + 1
        return line


def field_path(msgspec_path: str) -> list[str | int]:
    """'$.source.quote' or '$.participants[1].role' as a list of keys."""
    keys: list[str | int] = []
    for part in msgspec_path.removeprefix("$").replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            if not part[1:-1].isdigit():  # "[...]": a value under some key of a mapping, which msgspec leaves unnamed
                break
            keys.append(int(part[1:-1]))
        else:
            keys.append(part)
    return keys


def convert(located: Located, data: object, type_: Any, keys: tuple[str | int, ...], entry: Value | None,
            prefix: tuple[str, ...] = ()) -> Any:
    """``data`` as ``type_``, or a FileError naming the line, the entry and the field at fault.

    ``keys`` lead from the document to ``data``; ``prefix`` names ``data`` itself in the field path.
    """
    try:
        return msgspec.convert(data, type_)
    except msgspec.ValidationError as exc:
        path, problem = explained_said(exc, type_)
        full = [*prefix, *path]
        raise FileError(located.path, problem, located.line_of(*keys, *full), entry, dotted(full)) from None


def explained(exc: msgspec.ValidationError, type_: Any) -> tuple[list[str | int], str]:
    """Where in the data converting to ``type_`` failed (a key path), and why, in the project's words."""
    path, problem = explained_said(exc, type_)
    return path, say(problem)


def explained_said(exc: msgspec.ValidationError, type_: Any) -> tuple[list[str | int], Value]:
    """``explained``, its why as data (``said.Said``)."""
    message = str(exc)
    match = re.search(r" - at `([^`]*)`$", message)
    path: list[str | int] = field_path(match.group(1)) if match else []
    named = re.search(r"(?:missing required|unknown) field `([^`]+)`", message)
    if named:
        path = [*path, named.group(1)]
    return path, explain_said(message[: match.start()] if match else message, type_, path)


def dotted(path: list[str | int]) -> str | None:
    """A key path as a field is named: ``settings.order[1]``."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".") or None
