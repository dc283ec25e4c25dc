"""The entries of a record file, read a slice at a time, so that reading a long file takes memory for a slice,
not for the file.

A record file's ``events:`` list, written in block style as record files are (each entry a ``- `` at the
list's column), is cut at those lines into slices of a few hundred entries, and each slice is parsed alone
by libyaml; lines are counted from the file's start, so an error names the file's line as before.  A file
that cannot be cut so (a flow-style list, anchors used across entries, a string that runs over an entry's
first line, other keys after the list) is read whole from there on, as it always was: the same entries, or
the same refusal.  A file of a megabyte or more is cut and parsed by a reader process (``ahead``), a slice
ahead of the checks of the entries before it.
"""

from __future__ import annotations

import itertools
import pickle
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
import yaml

from entente import forked
from entente.vocabulary import ahead
from entente.vocabulary.said import said
from entente.vocabulary.yamlfile import BINARY, FileError, Located, NotPlain, not_utf8, parsed, plain_data, unreadable

SLICE = 256  # entries parsed at once: few enough to take little memory, enough that each parse is worth it
AHEAD_FROM = 1 << 20  # bytes of a file read by a reader process of its own: below, forking it costs more
_EVENTS = re.compile(r"events:[ \t]*(#.*)?")
_COMMENT = re.compile(r"[ \t]*(#.*)?")


Make = Callable[[Any], Any]


class _Unsliced(Exception):
    """The file is not written so that it can be cut into slices here."""


class Slice(Located):
    """Some entries of a record file's ``events`` list, parsed alone, found by the whole file's key paths and
    lines."""

    def __init__(self, path: Path, text: str, data: Any, first: int, line: int) -> None:
        self.path, self.node, self.data, self.text = path, None, data, text
        self.first, self.line = first, line  # the index of its first entry; the file's line before its first
        self.made = False  # whether each of its entries was made by ``make`` (not left as read)

    def line_of(self, *keys: str | int) -> int | None:
        if self.node is None:  # its lines, found only when an error names one
            self.node = parsed(self.text)[0]
        if len(keys) < 2 or keys[0] != "events" or not isinstance(keys[1], int):
            return super().line_of()
        found = super().line_of(keys[1] - self.first, *keys[2:])
        return None if found is None else found + self.line


def entries(path: Path, make: Make | None = None, made_as: Any = None) -> Iterator[tuple[int, Any, Located]]:
    """Each entry of the file's ``events`` list in order: its index, its data, and where its lines are found
    (``line_of("events", index, ...)``).  A file that is not a mapping with such a list is a FileError.

    ``make``: what each entry's data is made into, given in its place where it is not None (made by the
    reader process, where there is one, as it reads).  ``made_as``: the type of what it makes (msgspec's), by
    which a reader process sends a slice whose every entry was made: packed by msgspec, not pickled, which
    takes a fraction of the time on either side."""
    done = 0
    try:
        for located in _read(path, make, made_as):
            for index, item in enumerate(located.data, start=located.first):
                yield index, item, located
                done = index + 1
    except OSError as exc:
        raise FileError(path, unreadable(exc)) from None
    except _Unsliced:
        whole = Located(path)
        raw = whole.data.get("events") if isinstance(whole.data, dict) else None
        if not isinstance(raw, list):
            raise FileError(path, said("expected a mapping with an 'events' list"), 1) from None
        for index in range(done, len(raw)):
            yield index, _made(raw[index], make), whole


def _made(item: Any, make: Make | None) -> Any:
    return item if make is None or (made := make(item)) is None else made


def _read(path: Path, make: Make | None, made_as: Any) -> Iterator[Slice]:
    """The file's slices, parsed by a reader process ahead of their use where the file is long enough to be
    worth one (its YAML then read on a core of its own, beside the checks of the entries before)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # said as it always was, by opening it here
    if size < AHEAD_FROM or not forked.possible():
        return _parsed_from(path, make, 0)
    if made_as is None:
        return ahead.made_ahead(lambda skip: _parsed_from(path, make, skip))
    return ahead.made_ahead(lambda skip: _parsed_from(path, make, skip), _packer(), _unpacker(path, made_as))


_PACKED, _PICKLED = b"m", b"p"  # the first byte of a slice sent: how the rest was packed


def _packer() -> Callable[[object], bytes]:
    """A slice as sent: its entries, where each was made, in msgspec's MessagePack; otherwise pickled."""
    encode = msgspec.msgpack.Encoder().encode

    def packed(item: object) -> bytes:
        if isinstance(item, Slice) and item.made:
            return _PACKED + encode((item.first, item.line, item.text, item.data))
        return _PICKLED + pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)

    return packed


def _unpacker(path: Path, made_as: Any) -> Callable[[bytes], object]:
    """A slice sent, taken again: its made entries decoded as ``made_as``."""
    decode = _decoder(made_as).decode

    def unpacked(data: bytes) -> object:
        if data[:1] != _PACKED:
            return pickle.loads(memoryview(data)[1:])
        first, line, text, items = decode(memoryview(data)[1:])
        taken = Slice(path, text, items, first, line)
        taken.made = True
        return taken

    return unpacked


@cache
def _decoder(made_as: Any) -> msgspec.msgpack.Decoder[tuple[int, int, str, list[Any]]]:
    return msgspec.msgpack.Decoder(tuple[int, int, str, list[made_as]])


def _parsed_from(path: Path, make: Make | None, skip: int) -> Iterator[Slice]:
    """The file's slices after the first ``skip``, which are cut but not parsed."""
    with path.open("rb") as file:
        for number, cut in enumerate(_cuts(path, file)):
            if number >= skip:
                parsed = _parsed(path, *cut)
                if make is not None:
                    made = [make(item) for item in parsed.data]
                    parsed.made = None not in made
                    parsed.data = [item if done is None else done for item, done in zip(parsed.data, made, strict=True)]
                yield parsed


def _lines(path: Path, file: BinaryIO) -> Iterator[tuple[int, str]]:
    """The file's lines (1-based numbers), each checked as ``Located`` checks a whole text."""
    for number, raw in enumerate(file, start=1):
        if b"\0" in raw:
            raise FileError(path, BINARY, number)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileError(path, not_utf8(raw[exc.start]), number) from None
        yield number, line.removeprefix("\ufeff") if number == 1 else line


def _cuts(path: Path, file: BinaryIO) -> Iterator[tuple[str, int, int, int]]:
    """The file's ``events`` list cut into slices of ``SLICE`` entries: each its text, the index of its first
    entry, the file's line before it, and its number of entries.  Cut a block of the file at a time, its lines
    found by regular expressions; a block holding a NUL byte or what is not UTF-8 is cut again from the start
    a line at a time, which says where."""
    done = 0
    try:
        for cut in _cuts_in_blocks(path, file):
            yield cut
            done += 1
    except _ByLines:
        file.seek(0)
        for number, cut in enumerate(_cuts_by_lines(path, file)):
            if number >= done:
                yield cut


class _ByLines(Exception):
    """A block of the file that only a reading a line at a time says what is wrong with."""


BLOCK = 1 << 20  # bytes of the file cut at once


def _head(path: Path, file: BinaryIO) -> tuple[Iterator[tuple[int, str]], int, str, str]:
    """The lines up to the list's first entry: the lines after it, its line's number, the line, and the list's
    column."""
    lines = _lines(path, file)
    for _, line in lines:  # the head: comments, then `events:`
        if _EVENTS.fullmatch(line.rstrip("\r\n")):
            break
        if not _COMMENT.fullmatch(line.rstrip("\r\n")):
            raise _Unsliced
    else:
        raise _Unsliced
    for number, line in lines:
        if _COMMENT.fullmatch(line.rstrip("\r\n")):
            continue
        found = re.match(r"( *)-(?:[ \t]|\r?$)", line)
        if found is None:
            raise _Unsliced
        return lines, number, line, found.group(1)
    raise _Unsliced


def _cuts_in_blocks(path: Path, file: BinaryIO) -> Iterator[tuple[str, int, int, int]]:
    _, number, text, column = _head(path, file)
    item = re.compile("^" + re.escape(column) + r"-(?:[ \t]|\r?$)", re.M)
    other = re.compile("^(?!" + re.escape(column) + r"-(?:[ \t]|\r?$))[^ \t#\r\n]", re.M)  # another key, say
    before, first, rest = number - 1, 0, b""
    while True:
        block = file.read(BLOCK)
        end = len(block) if not block else block.rfind(b"\n") + 1
        if block and not end:  # no line ends in it: read on
            rest += block
            continue
        raw, rest = rest + block[:end], block[end:]
        if b"\0" in raw:
            raise _ByLines
        try:
            text += raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _ByLines from None
        starts = [m.start() for m in item.finditer(text)]
        if not block:  # the end of the file: the last slice holds the entries left
            starts.append(len(text))
        taken = 0
        while len(starts) - 1 - taken >= (SLICE if block else 1):
            count = min(SLICE, len(starts) - 1 - taken)
            piece = text[starts[taken]:starts[taken + count]]
            if other.search(piece):
                raise _Unsliced  # another key after the list, or a document's end: read whole
            yield piece, first, before, count
            before += piece.count("\n")
            first += count
            taken += count
        text = text[starts[taken]:] if taken < len(starts) else ""
        if not block:
            return


def _cuts_by_lines(path: Path, file: BinaryIO) -> Iterator[tuple[str, int, int, int]]:
    lines, at, head, column = _head(path, file)
    item = re.compile(re.escape(column) + r"-(?:[ \t]|\r?$)")
    held: list[str] = []
    start, first, entries = at - 1, 0, 0
    for number, line in itertools.chain([(at, head)], lines):
        if item.match(line):
            if entries == SLICE:
                yield "".join(held), first, start, entries
                held, start, first, entries = [], number - 1, first + entries, 0
            entries += 1
        elif line[:1] not in (" ", "\t", "#", "\r", "\n", ""):
            raise _Unsliced  # another key after the list, or a document's end: read whole
        held.append(line)
    yield "".join(held), first, start, entries


def _parsed(path: Path, text: str, first: int, line: int, entries: int) -> Slice:
    try:
        data = plain_data(text)
    except (yaml.YAMLError, NotPlain, TypeError, RecursionError):  # TypeError: a list or a mapping as a key
        raise _Unsliced from None
    if not isinstance(data, list) or len(data) != entries:
        raise _Unsliced
    return Slice(path, text, data, first, line)
