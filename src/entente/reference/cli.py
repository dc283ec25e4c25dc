"""The command line page: every command of ``entente``, its arguments and options, from the click group itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from entente.cli import main
from entente.reference.words import cell, slug


def commands(group: click.Group = main, path: tuple[str, ...] = ("entente",),
             parent: click.Context | None = None) -> Iterator[tuple[str, click.Command, click.Context]]:
    """(the command line that names it, command, its context) of every command under ``group``, groups too."""
    ctx = click.Context(group, info_name=path[-1], parent=parent)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        here = (*path, name)
        sub = click.Context(command, info_name=name, parent=ctx)
        yield " ".join(here), command, sub
        if isinstance(command, click.Group):
            yield from commands(command, here, ctx)


def _help(text: str | None) -> str:
    """A command's help as Markdown: click's no-rewrap marker dropped, a block it keeps as written kept so."""
    paragraphs = []
    for block in (text or "").strip().split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip() != "\b"]
        if block.lstrip().startswith("\b"):
            paragraphs.append("```\n" + "\n".join(lines) + "\n```")
        else:
            paragraphs.append(" ".join(" ".join(lines).split()))
    return "\n\n".join(p for p in paragraphs if p.strip("`\n"))


def _type_words(param: click.Parameter) -> str:
    """What a parameter's value is, in words."""
    kind = param.type
    if isinstance(param, click.Option) and param.is_flag:
        return "flag"
    if isinstance(kind, click.Choice):
        return "one of " + ", ".join(f"`{c}`" for c in kind.choices)
    if isinstance(kind, click.IntRange):
        return f"whole number from {kind.min} to {kind.max}"
    if isinstance(kind, click.Path):
        return "folder" if not kind.file_okay else "file" if not kind.dir_okay else "path"
    return {"integer": "whole number", "boolean": "true or false", "filename": "file"}.get(kind.name, kind.name)


def _default(param: click.Parameter) -> str:
    shown: Any = getattr(param, "show_default", None)
    if isinstance(shown, str):
        return shown
    if shown and param.default is not None and not callable(param.default):
        return f"`{param.default}`"
    return ""


def _params(command: click.Command, ctx: click.Context) -> list[str]:
    shown = [p for p in command.params if not getattr(p, "hidden", False)]
    if not shown:
        return []
    rows = ["| argument or option | value | default | what it says |", "| --- | --- | --- | --- |"]
    for p in shown:
        if isinstance(p, click.Argument):
            name = f"`{p.human_readable_name}`" + ("" if p.required else " (may be left out)")
        else:
            name = ", ".join(f"`{o}`" for o in (*p.opts, *p.secondary_opts))
        rows.append(f"| {name} | {cell(_type_words(p))} | {cell(_default(p))} | "
                    f"{cell(getattr(p, 'help', None) or '')} |")
    return ["", *rows]


def page() -> str:
    """The command line page."""
    top = click.Context(main, info_name="entente")
    found = list(commands())
    out = [
        "# Command line",
        "",
        "Every command of `entente`, with its arguments and options, as `entente COMMAND --help` gives them; "
        "[The command line](../guide.md) shows them at work. The options of `entente` itself may come before or "
        "after the command (`entente --as public timeline`, `entente timeline --as public`); `-h` is `--help` "
        "everywhere.",
        "",
        "| command | what it does |",
        "| --- | --- |",
        *(f"| [`{line}`](#{slug(line)}) | {cell(_help(c.help).split(chr(10))[0])} |" for line, c, _ in found),
        "",
        "## `entente`",
        "",
        "```",
        main.get_usage(top).removeprefix("Usage: "),
        "```",
        "",
        _help(main.help), "", _help(main.epilog),
        *_params(main, top),
    ]
    for line, command, ctx in found:
        out += ["", f"## `{line}`", "", "```", command.get_usage(ctx).removeprefix("Usage: "), "```", "",
                _help(command.help), *([_help(command.epilog)] if command.epilog else []), *_params(command, ctx)]
    return "\n".join(out) + "\n"
