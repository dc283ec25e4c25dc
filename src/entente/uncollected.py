"""The cyclic garbage collector paused while a great many objects are made that hold no cycle.

Decoding a record, or folding it, makes objects by the hundred thousand, each of which can set off
a collection that walks every object held, the record already held included: that made replay grow
faster than the record.  Events, and what a fold makes of them, hold no cycles, so pausing
collection for the while loses nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def uncollected() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
