"""Reads answered from the answer the store kept the last time they were asked (``secretariat.answers``): on a
record unchanged since, ``due`` and ``compliance`` print what was kept, without decoding or folding the record.

Only the store is imported to find a kept answer, not the views, the rules or Rich: ``--json`` prints a kept
answer as it was kept, so the command costs little more than starting the program."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec

from entente.cli.app import Context
from entente.secretariat.answers import Question

if TYPE_CHECKING:
    from entente.views.days import Day


class Answer(msgspec.Struct, array_like=True):
    """A read's answer as kept: the day it is for, why that day, and its rows as ``--json`` prints them (as
    bytes, written out as they are: at a million entries the findings are tens of megabytes)."""

    day: str
    why: str
    rows: bytes
    said: str = ""  # the month or year asked for whose last day ``day`` is, worded in the reader's language

    def data(self) -> Any:
        return json.loads(self.rows)


class _Head(msgspec.Struct, array_like=True):
    """What a kept answer holds before its rows: it is kept as the length of this head (four bytes), the head,
    then the rows as they are, so that ``--json`` writes the rows out a slice at a time as the store reads them."""

    day: str
    why: str
    said: str


_encoder = msgspec.msgpack.Encoder()
_head = msgspec.msgpack.Decoder(_Head)
Computed = tuple["Day", list[dict[str, Any]]]  # the day (with why that day), the rows


def encoded(answer: Answer) -> bytes:
    """An answer as it is kept."""
    head = _encoder.encode(_Head(answer.day, answer.why, answer.said))
    return len(head).to_bytes(4, "big") + head + answer.rows


def _parted(slices: Iterator[bytes]) -> tuple[_Head, bytes, Iterator[bytes]] | None:
    """A kept answer read a slice at a time: its head, the first of its rows' bytes and the slices after them;
    None if it does not read as one (kept by other code that the stamp did not tell apart: made again)."""
    first = b""
    for piece in slices:
        first += piece
        if len(first) >= 4 and len(first) >= 4 + int.from_bytes(first[:4], "big"):
            break
    size = int.from_bytes(first[:4], "big")
    if len(first) < 4 or len(first) < 4 + size:
        return None
    try:
        head = _head.decode(first[4:4 + size])
    except msgspec.DecodeError:
        return None
    return head, first[4 + size:], slices


def decoded(body: bytes) -> Answer | None:
    """An answer as it was kept, or None if ``body`` does not read as one."""
    parted = _parted(iter((body,)))
    return _whole(parted) if parted is not None else None


def _whole(parted: tuple[_Head, bytes, Iterator[bytes]]) -> Answer:
    head, start, rest = parted
    return Answer(head.day, head.why, b"".join((start, *rest)), head.said)


def answer(ctx: Context, read: str, asked: str, compute: Callable[[], Computed]) -> Answer:
    """The answer to ``read`` asked as ``asked`` by the context's viewer: the one kept for this very question on
    this very record, or ``compute``'s, then kept.  With ``--known-at`` (the record as it once stood) nothing is
    kept or read: such questions are asked once."""
    if ctx.known_at is not None:
        return _made(compute())
    question = _question(ctx, read, asked)
    slices = question.kept()
    parted = _parted(slices) if slices is not None else None
    if parted is not None:
        return _whole(parted)
    made = _made(compute())
    question.keep(encoded(made))
    return made


def found(ctx: Context, read: str, asked: str) -> Answer | None:
    """The answer kept for this very question on this very record, if there is one."""
    if ctx.known_at is not None:
        return None
    slices = _question(ctx, read, asked).kept()
    parted = _parted(slices) if slices is not None else None
    return _whole(parted) if parted is not None else None


def compliance_asked(at: str | None, reading: str | None) -> str:
    """How ``compliance`` is asked, as a kept answer is stamped with it."""
    return f"at {at} reading {reading}"


def due_asked(at: str | None) -> str:
    """How ``due`` is asked, as a kept answer is stamped with it."""
    return f"at {at}"


def printed_kept(ctx: Context, read: str, asked: str) -> bool:
    """Print the JSON of the answer kept for this very question on this very record, if there is one, a slice
    at a time as the store reads it."""
    if ctx.known_at is not None:
        return False
    slices = _question(ctx, read, asked).kept()
    parted = _parted(slices) if slices is not None else None
    if parted is None:
        return False
    _head_read, start, rest = parted
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(start)
    for piece in rest:
        out.write(piece)
    out.write(b"\n")
    out.flush()
    return True


def _question(ctx: Context, read: str, asked: str) -> Question:
    return Question(ctx.store, ctx.union_folder, read, str(ctx.viewer), asked, date.today())


def _made(computed: Computed) -> Answer:
    day, rows = computed
    return Answer(day.day, day.why, json.dumps(rows, ensure_ascii=False, indent=2).encode(), day.said)
