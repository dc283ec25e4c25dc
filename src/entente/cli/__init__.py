"""The ``entente`` command: every view of the record, its writes, the server and the exports.

``app`` holds the group and its shared options; ``commands`` declares every command on it
when imported here, and each command imports the module that does its work when it runs.
Mistakes are told in one line with an exit code (``group``); the installed command and
``python -m entente`` run ``run``.
"""

from __future__ import annotations

from entente.cli import commands
from entente.cli.app import main

__all__ = ["commands", "main", "run"]


def run() -> None:
    main(prog_name="entente")
