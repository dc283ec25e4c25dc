"""``python -m entente``: the same as the ``entente`` command."""

from entente.cli import run

run()
