"""Work done by a forked copy of this process, on a core of its own, while this process goes on with its own.

The copy holds everything this process held when it was forked (what it decoded, what it checked), so it begins
at once, with nothing read or imported again.  It ends with the work (``os._exit``: nothing of this process's is
flushed or closed twice).  Where no copy can be forked (no ``fork``, other threads running, which may hold a lock
the copy would find held for ever, no memory for it), or the copy did not finish the work, this process does the
work itself when it waits for it: what is done in the end is the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Callable


def possible() -> bool:
    """Whether a copy of this process can be forked here: not beside other threads (a server's, a pool's), one of
    which may hold a lock the fork would copy held, which the copy would then wait on for ever."""
    return hasattr(os, "fork") and threading.active_count() == 1


def begun(work: Callable[[bool], None]) -> Callable[[], None]:
    """``work`` begun in a forked copy of this process (``work(True)``); what waits for it, and does it here
    (``work(False)``) if the copy could not be forked or did not finish it."""
    def here() -> None:
        work(False)

    if not possible():
        return here
    try:
        child = os.fork()
    except OSError:
        return here
    if child == 0:
        status = 1
        try:
            gc.freeze()  # what it holds from before the fork is never walked by its collections
            work(True)
            status = 0
        finally:
            os._exit(status)

    def wait() -> None:
        status = 1
        with contextlib.suppress(ChildProcessError):  # waited for already, where children are not kept
            _, status = os.waitpid(child, 0)
        if status != 0:
            here()

    return wait
