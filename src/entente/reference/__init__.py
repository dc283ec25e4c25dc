"""The reference pages, made from the definitions they describe: every event kind and its fields, every rule kind
and its settings, every operation of the HTTP API, every command of the command line, and what each rule kind's
trace steps hold.

``python -m entente.reference`` (run by ``make docs``) writes them into ``docs/reference/``; a test fails when
a page there is not what the code makes of it, so a change to a definition carries its page along.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from entente.reference import api, cli, events, rules, steps

NOTICE = ("<!-- Made from the code by `python -m entente.reference` (`make docs`): change the definitions it "
          "describes, not this page. -->\n\n")

PAGES: dict[str, Callable[[], str]] = {"events.md": events.page, "rules.md": rules.page, "api.md": api.page,
                                       "cli.md": cli.page, "steps.md": steps.page}


def pages() -> dict[str, str]:
    """File name -> the page's Markdown."""
    return {name: NOTICE + make().rstrip("\n") + "\n" for name, make in PAGES.items()}


def write(folder: Path) -> list[str]:
    """Write every page into ``folder``; the names of those that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in pages().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed
