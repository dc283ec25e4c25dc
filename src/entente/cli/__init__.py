"""The ``entente`` command: every view of the record, its writes, the server and the exports.

``app`` holds the group and its shared options; ``commands`` declares every command on it
when first asked for (``main``), and each command imports the module that does its work when it runs.
Mistakes are told in one line with an exit code (``group``); the installed command and
``python -m entente`` run ``run``, which answers ``entente --version`` before importing click or
any command.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Any

__all__ = ["commands", "main", "run"]


def __getattr__(name: str) -> Any:
    # The group and its commands, declared when first asked for: ``entente --version`` needs neither.
    if name in ("main", "commands"):
        commands = import_module("entente.cli.commands")  # not ``from entente.cli import``: that asks here again
        return commands.main if name == "main" else commands
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def version() -> str:
    """The installed version, read from the distribution's metadata file where it lies on the path (as
    ``importlib.metadata`` finds it, without importing that and the e-mail parser it brings, which took
    most of ``entente --version``'s time); through ``importlib.metadata`` where it is not found so."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("entente-") and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(folder or ".", name, "METADATA"), encoding="utf-8") as metadata:
                        for line in metadata:
                            if line.startswith("Version:"):
                                return line.partition(":")[2].strip()
                            if not line.strip():
                                break  # the headers end at the first blank line
                except OSError:
                    pass
    from importlib.metadata import version as installed

    return installed("entente")


def run() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"entente {version()}")
        raise SystemExit(0)  # as click ends every command line
    import_module("entente.cli.commands").main(prog_name="entente")  # declares every command on the group
