"""A long list of entries decoded, or encoded, a chunk at a time, each chunk handed on before the next is made.

A service that holds the record for long makes each entry's repeated strings point at one shared
object (``secretariat.sharing``) and lets the decoded copies go.  Decoded all at once, those copies
lie between the entries kept, and the memory they leave is the process's for good: the allocator
can reuse it only for objects of the same size, and return it to the system only where nothing
kept lies in it.  Decoded a chunk at a time, with each chunk's copies let go before the next is
decoded, the next chunk is made in the memory the last one left: the whole costs what is kept,
plus one chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import msgspec

T = TypeVar("T")

CHUNK = 4096  # entries decoded at a time
_items: msgspec.msgpack.Decoder[list[msgspec.Raw]] = msgspec.msgpack.Decoder(list[msgspec.Raw])


def decoded(body: bytes, decoder: msgspec.msgpack.Decoder[list[T]], each: Callable[[list[T]], object]
            ) -> list[T]:
    """The MessagePack array ``body`` decoded by ``decoder``, ``each`` called on every chunk as it is made."""
    items = _items.decode(body)  # each item's bytes, not copied: views of ``body``
    out: list[T] = []
    for start in range(0, len(items), CHUNK):
        part = items[start:start + CHUNK]
        # A MessagePack array of 32-bit length (0xdd), then its items as they were encoded.
        made = decoder.decode(b"\xdd" + len(part).to_bytes(4, "big") + b"".join(part))
        each(made)
        out += made
    return out


def array_header(length: int) -> bytes:
    """The head of a MessagePack array of ``length`` items, in the shortest form, as msgspec writes it."""
    if length < 16:
        return bytes([0x90 | length])
    if length < 1 << 16:
        return b"\xdc" + length.to_bytes(2, "big")
    return b"\xdd" + length.to_bytes(4, "big")


def encoded_items(items: Sequence[object], encoder: msgspec.msgpack.Encoder) -> Iterator[bytes]:
    """The items of a MessagePack array, ``CHUNK`` at a time, without the array's head: after
    ``array_header(len(items))``, the same bytes as ``encoder.encode(list(items))``."""
    for start in range(0, len(items), CHUNK):
        part = items[start:start + CHUNK]
        yield encoder.encode(part)[len(array_header(len(part))):]
