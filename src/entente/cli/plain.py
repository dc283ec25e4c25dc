"""A table of many rows as plain lines: Rich measures and wraps every cell of its tables, which took seconds for
the thousands of rows a long record's findings make; these lines are made in one pass, the same columns, the
wide one wrapped at spaces, in a fraction of that (and without colour)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text

GAP = "  "  # between columns, as the Rich tables have it


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else "" if cell is None else str(cell)


class PlainTable:
    """Rows under their headers, each column as wide as its widest cell, the ``wide`` one taking what is left of
    the width it is drawn at (wrapped there); a rule under the headers."""

    def __init__(self, rows: Sequence[Sequence[Any]], headers: Sequence[str], wide: int | None, header: bool) -> None:
        self.rows = [[_plain(c) for c in row] for row in rows]
        self.headers, self.wide, self.header = list(headers), wide, header

    def lines(self, width: int) -> Iterator[str]:
        widths = [max([len(h) if self.header else 0, *(len(line) for row in self.rows for line in row[i].split("\n"))])
                  for i, h in enumerate(self.headers)]
        if self.wide is not None:
            fixed = sum(w for i, w in enumerate(widths) if i != self.wide) + len(GAP) * (len(widths) - 1)
            widths[self.wide] = max(10, min(widths[self.wide], width - fixed))
        last = len(widths) - 1

        def drawn(cells: Sequence[str]) -> Iterator[str]:
            parts = [[line for paragraph in c.split("\n")
                      for line in textwrap.wrap(paragraph, widths[i], break_on_hyphens=False) or [""]]
                     if i == self.wide else c.split("\n") for i, c in enumerate(cells)]
            for k in range(max(map(len, parts))):
                yield GAP.join((p[k] if k < len(p) else "").ljust(0 if i == last else widths[i])
                               for i, p in enumerate(parts)).rstrip()

        if self.header:
            yield from drawn(self.headers)
            yield GAP.join("─" * w for w in widths)
        for row in self.rows:
            yield from drawn(row)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for line in self.lines(options.max_width):
            yield Segment(line)
            yield Segment.line()
