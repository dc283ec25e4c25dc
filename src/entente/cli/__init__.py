"""The ``entente`` command: every view of the record, its writes, the server and the exports.

``app`` holds the group and its shared options; ``exports`` and ``service`` add
their commands to it when imported here.  Mistakes are told in one line with an
exit code (``group``); the installed command and ``python -m entente`` run ``run``.
"""

from __future__ import annotations

from entente.cli import exports, ledger, overview, service, what_if
from entente.cli.app import main

__all__ = ["exports", "ledger", "main", "overview", "run", "service", "what_if"]


def run() -> None:
    main(prog_name="entente")
