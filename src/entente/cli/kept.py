"""Reads answered from the answer the store kept the last time they were asked (``secretariat.answers``): on a
record unchanged since, ``due`` and ``compliance`` print what was kept, without decoding or folding the record."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import msgspec

from entente.cli.app import Context
from entente.secretariat.answers import Question
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


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Answer)
Computed = tuple[Day, list[dict[str, Any]]]  # the day (with why that day), the rows


def answer(ctx: Context, read: str, asked: str, compute: Callable[[], Computed]) -> Answer:
    """The answer to ``read`` asked as ``asked`` by the context's viewer: the one kept for this very question on
    this very record, or ``compute``'s, then kept.  With ``--known-at`` (the record as it once stood) nothing is
    kept or read: such questions are asked once."""
    if ctx.known_at is not None:
        return _made(compute())
    question = Question(ctx.store, ctx.union_folder, read, str(ctx.viewer), asked, date.today())
    body = question.kept()
    if body is not None:
        try:
            return _decoder.decode(body)
        except msgspec.DecodeError:  # kept by other code that the stamp did not tell apart: made again
            pass
    made = _made(compute())
    question.keep(_encoder.encode(made))
    return made


def _made(computed: Computed) -> Answer:
    day, rows = computed
    return Answer(day.day, day.why, json.dumps(rows, ensure_ascii=False, indent=2).encode(), day.said)
