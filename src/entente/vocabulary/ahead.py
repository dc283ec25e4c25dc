"""Items made by a reader process ahead of their use, so that reading a long file takes a core of its own
while this process works on what was read before.

The reader is this process forked: it holds the code already and nothing it makes needs importing again.
It sends each item as it is made, packed (pickled, unless the caller packs it otherwise), through a pipe,
which holds about a megabyte: the reader runs that far ahead and no further, so neither process holds the
whole file.  Should the reader stop on anything (a refusal, a file it cannot cut, an item it cannot send or
this process cannot take again), this process makes the items from there itself, so what it yields, or
raises, is exactly what it would have made alone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Iterator
from typing import BinaryIO, TypeVar, cast

T = TypeVar("T")
Pack = Callable[[object], bytes]  # an item as the bytes sent; raises on one it cannot send
Unpack = Callable[[bytes], object]  # the item again from those bytes

PIPE = 1 << 20  # bytes the pipe holds: how far the reader may run ahead
_HEADER = 8
_DONE = 0  # a length of none: every item was sent
_STOPPED = (1 << 64) - 1  # the reader stopped before the end: the rest is made here


def _pickled(item: object) -> bytes:
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def made_ahead(made: Callable[[int], Iterator[T]], pack: Pack = _pickled,
               unpack: Unpack = pickle.loads) -> Iterator[T]:
    """The items of ``made(0)``, made by a reader process; ``made(n)``: the items after the first ``n``, made
    here should the reader stop before its end.  ``pack`` and ``unpack``: how each is sent and taken again."""
    import fcntl  # where a process can be forked

    read, write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a larger pipe where the system has one
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE)
    try:
        reader = os.fork()
    except OSError:  # no process to be had (memory, a limit): read here
        os.close(read)
        os.close(write)
        yield from made(0)
        return
    if reader == 0:
        os.close(read)
        _send(made, write, pack)
    os.close(write)
    done, ended = 0, False
    with os.fdopen(read, "rb") as pipe:
        try:
            for item in _received(pipe, unpack):
                if item is _END:
                    ended = True
                    break
                yield cast(T, item)
                done += 1
        finally:
            pipe.close()  # a reader still writing is stopped by the closed pipe
            with contextlib.suppress(ChildProcessError):  # waited for already, where children are not kept
                os.waitpid(reader, 0)
    if not ended:
        yield from made(done)


def _send(made: Callable[[int], Iterator[T]], write: int, pack: Pack) -> None:
    """The reader's whole life: each item sent as it is made, then the end or a stop; it never returns."""
    gc.freeze()  # what it holds from before the fork is never walked by its collections
    gc.enable()
    status = 0
    try:
        with os.fdopen(write, "wb") as out:
            try:
                for item in made(0):
                    data = pack(item)
                    out.write(len(data).to_bytes(_HEADER, "little"))
                    out.write(data)
                end = _DONE
            except Exception:  # made again here by the other process, which says or raises what it is
                end = _STOPPED
            out.write(end.to_bytes(_HEADER, "little"))
    except BaseException:  # the other process has gone, or an interrupt: nothing more to send
        status = 1
    finally:
        os._exit(status)


_END = object()  # what ``_received`` yields once the reader sent every item


def _received(pipe: BinaryIO, unpack: Unpack) -> Iterator[object]:
    """Each item sent, then ``_END`` if the reader sent them all; nothing more if it stopped or died before."""
    while len(header := pipe.read(_HEADER)) == _HEADER:
        size = int.from_bytes(header, "little")
        if size == _DONE:
            yield _END
            return
        if size == _STOPPED or len(data := pipe.read(size)) != size:
            return
        try:
            item = unpack(data)
        except Exception:  # sent as it cannot be taken again: made here from there
            return
        yield item
