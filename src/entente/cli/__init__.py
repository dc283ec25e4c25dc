"""The ``entente`` command: every view of the record, its writes, the server and the exports.

``app`` holds the group and its shared options; ``exports`` and ``service`` add
their commands to it when imported here.
"""

from __future__ import annotations

import sys

import click

from entente.cli import exports, service
from entente.cli.app import main
from entente.record import RecordConflict, StoreError
from entente.secretariat.service import WrongUnion
from entente.vocabulary import dates
from entente.vocabulary.yamlfile import FileError

__all__ = ["exports", "main", "run", "service"]


def run() -> None:
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (FileError, RecordConflict, StoreError, WrongUnion, dates.DateError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
