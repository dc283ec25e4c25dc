"""Shell completion of values, not only command names: viewers and party codes, instrument ids.

Read from the union folder on the command line so far (``--union``), else the bundled union.
Enable it with ``eval "$(_ENTENTE_COMPLETE=bash_source entente)"`` (zsh_source, fish_source
for those shells); see the README.

The union's files are read, and the modules that read them imported, only when a value is
completed: the options that complete with these are declared on every command line.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from entente.vocabulary.bundled import DEFAULT_UNION


def _folder(ctx: click.Context) -> Path:
    given = ctx.find_root().params.get("union_folder")
    return Path(str(given)) if given else DEFAULT_UNION


def parties(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from entente.vocabulary.definition import load_union
    from entente.vocabulary.events import english
    from entente.vocabulary.yamlfile import FileError

    try:
        union = load_union(_folder(ctx))
    except (FileError, OSError):
        return []
    return [CompletionItem(p.code, help=english(p.names, p.code)) for p in union.parties
            if p.code.lower().startswith(incomplete.lower())]


def viewers(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    fixed = [CompletionItem(v) for v in ("secretariat", "public") if v.startswith(incomplete.lower())]
    return fixed + parties(ctx, param, incomplete)


def instruments(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from entente.rules import read_treaties
    from entente.vocabulary.events import english
    from entente.vocabulary.yamlfile import FileError

    try:
        treaties = read_treaties(_folder(ctx))
    except (FileError, OSError):
        return []
    return [CompletionItem(t.instrument, help=english(t.title, t.instrument)) for t in treaties.values()
            if t.instrument.startswith(incomplete)]
