"""Progress of long work (loading, replaying) as a Rich bar with the rate and the time left, on a terminal only.

Piped or redirected output gets no bar, so what a script reads is the same
whatever the size of the record.  The bar is redrawn as it advances, at most ten times a second, not by a thread
of its own: a process with a thread besides its own is not forked, and ``entente load`` forks a reader of its
file and a copy that keeps the logs (``vocabulary/ahead.py``, ``forked.py``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

_console = Console(stderr=True)
_REDRAWN_EVERY = 0.1  # seconds


def on_terminal() -> bool:
    return _console.is_terminal


@contextmanager
def bar(what: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar for ``total`` steps of ``what``; the callable it gives advances it."""
    if not on_terminal():
        yield lambda _n: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[progress.data.speed]{task.fields[rate]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=_console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task(what, total=total, rate="")
        drawn, done = 0.0, 0

        def advance(n: int) -> None:
            # Counted here, and given to the bar only as it is redrawn: its own step costs more than an entry's.
            nonlocal drawn, done
            done += n
            if (now := time.monotonic()) - drawn >= _REDRAWN_EVERY:
                progress.update(task, completed=done)
                speed = progress.tasks[task].speed
                progress.update(task, rate=f"{speed:,.0f} entries/s" if speed else "", refresh=True)
                drawn = now

        yield advance


def entries_in(path: Path) -> int:
    """How many entries a record file lists, counted from its text (for the bar; the file is read properly)."""
    entry = re.compile(rb"\s*-\s+kind\s*:")
    with path.open("rb") as file:  # a line at a time: a long file is not held; bytes: a bad file is told later
        return sum(1 for line in file if entry.match(line))
