"""The ``entente`` group: global options anywhere on the line, and each mistake as one line with an exit code.

Exit codes (also in ``entente --help`` and the README):

== ==========================================================================================
0  done
1  the answer is no: a write refused, a broken chain, no such instrument, party or token
2  a mistake in the command line: an unknown option or viewer, a missing argument, a date not understood,
   a folder that does not exist or is not a union's
3  a file cannot be used: a record file that is not UTF-8, not YAML, or has an entry that does not fit
4  the record store cannot be used: not found, not a record, locked, read-only, another union's,
   PostgreSQL not answering or its client not installed
== ==========================================================================================
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import click

from entente.cli import speech
from entente.cli.speech import _, ngettext
from entente.languages import known

DONE, NO, USAGE, FILE, STORE = 0, 1, 2, 3, 4

EXIT_CODES = """\b
Exit codes:
  0  done
  1  the answer is no: a write refused, a broken chain, nothing of that name
  2  a mistake in the command line (option, argument, viewer, date, folder)
  3  a file cannot be used (a record file: not UTF-8, not YAML, an entry that does not fit)
  4  the record store cannot be used (missing, not a record, locked, read-only, not answering)"""

# Options of the group that may also be written after the subcommand; each takes a value.
GLOBAL_OPTIONS = ("--as", "--db", "--union", "--known-at", "--lang")


class Failure(click.ClickException):
    """A mistake or a refusal told in one line on standard error, with its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class; ours is per error


def _value_options(command: click.Command) -> set[str]:
    """Every option name, in this command and those under it, that takes a value (so its value is skipped)."""
    names = {name for p in command.params if isinstance(p, click.Option) and not p.is_flag and not p.count
             for name in p.opts}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            names |= _value_options(sub)
    return names


def _tokens(args: list[str], start: int, takes_value: set[str], own: frozenset[str] = frozenset()
            ) -> Iterator[tuple[int, int]]:
    """(index, length) of each global option (with its value) from ``start`` on, skipping other options' values;
    a global option's name the command has an option of its own for (``own``) is the command's."""
    end = args.index("--", start) if "--" in args[start:] else len(args)
    i = start
    while i < end:
        token = args[i]
        name = token.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and name not in own:
            length = 1 if "=" in token else 2
            yield i, min(length, end - i)
            i += length
        elif token in takes_value:
            i += 2
        else:
            i += 1


class EntenteGroup(click.Group):
    """The top group: hoists global options written after the subcommand, and maps errors to exit codes."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """As click's, but every mistake is one line on standard error (click's usage block left out)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # `entente` alone: its help, which is no mistake
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
            sys.exit(DONE)
        except (click.ClickException, click.Abort) as exc:
            # The command's context is closed by now, and with it its language: the line is said in the language
            # the command line asked for.
            speech.use(asked_language(sys.argv[1:] if args is None else args))
            try:
                click.echo(mistake(exc), err=True)
            finally:
                speech.use(known.DEFAULT)
            sys.exit(exc.exit_code if isinstance(exc, click.ClickException) else NO)
        sys.exit(result if isinstance(result, int) else DONE)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = {name for p in self.params if isinstance(p, click.Option) and not p.is_flag for name in p.opts}
        i = 0
        while i < len(args) and args[i].startswith("-") and args[i] != "--":
            i += 2 if args[i] in own else 1
        if i < len(args) and args[i] in self.commands:
            command = self.commands[args[i]]
            taken_here = frozenset(n for p in command.params if isinstance(p, click.Option) for n in p.opts)
            found = list(_tokens(args, i + 1, _value_options(command), taken_here))
            moved = [t for at, length in found for t in args[at:at + length]]
            taken = {at + k for at, length in found for k in range(length)}
            rest = [t for k, t in enumerate(args) if k not in taken]
            args = rest[:i] + moved + rest[i:]
            i += len(moved)
            if "--json" in args[:i]:  # `entente --json conferences`: the subcommand's own --json, at its end
                end = args.index("--") if "--" in args else len(args)
                args = [t for t in args[:i] if t != "--json"] + args[i:end] + ["--json"] + args[end:]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own, told by ``main`` (``COMMAND -h`` ends with an Exit, too)
        except Exception as exc:
            failure = told(exc, getattr(ctx.obj, "db", ""))
            if failure is None:
                raise
            raise failure from None


def asked_language(args: Sequence[str]) -> str:
    """The language a command line asks for (``--lang``, else the locale's), read off its words as they are."""
    for i, token in enumerate(args):
        if token == "--":
            break
        value = token.split("=", 1)[1] if token.startswith("--lang=") else \
            args[i + 1] if token == "--lang" and i + 1 < len(args) else None
        if value is not None:
            return value if value in known.languages() else known.DEFAULT
    return known.from_locale(os.environ)


def mistake(exc: click.ClickException | click.Abort) -> str:
    """The one line a mistake is told in, in the command line's language: what is wrong, and for a mistake in the
    command line, where its help is."""
    if isinstance(exc, click.Abort):
        return _("Aborted.")
    if not isinstance(exc, click.UsageError):
        return _("Error: %(problem)s", problem=exc.format_message())
    where = exc.ctx.command_path if exc.ctx is not None else "entente"
    return _("Error: %(problem)s; see '%(command)s --help'", problem=_usage(exc).rstrip("."), command=where)


def _usage(exc: click.UsageError) -> str:
    """A mistake in the command line in the catalog's words (click's own are English), as click words it."""
    if isinstance(exc, click.NoSuchOption | click.exceptions.NoSuchCommand):
        name = repr(exc.option_name if isinstance(exc, click.NoSuchOption) else exc.command_name)
        said = _("No such option %(name)s.", name=name) if isinstance(exc, click.NoSuchOption) else \
            _("No such command %(name)s.", name=name)
        if exc.possibilities:
            said += " " + ngettext("Did you mean %(names)s?", "(Did you mean one of: %(names)s?)",
                                   len(exc.possibilities), names=", ".join(repr(p) for p in sorted(exc.possibilities)))
        return said
    hint = _hint(exc) if isinstance(exc, click.BadParameter) else None
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        if hint is None:
            return _("Missing parameter.")
        if kind == "argument":
            return _("Missing argument %(name)s.", name=hint)
        return _("Missing option %(name)s.", name=hint) if kind == "option" else \
            _("Missing parameter %(name)s.", name=hint)
    if isinstance(exc, click.BadParameter):
        return _("Invalid value for %(name)s: %(problem)s", name=hint, problem=exc.message) if hint else \
            _("Invalid value: %(problem)s", problem=exc.message)
    return exc.format_message()


def _hint(exc: click.BadParameter) -> str | None:
    """The parameter a mistake is in, as click names it ("'--at'", "'ENTRY_ID'")."""
    hint = exc.param_hint if exc.param_hint is not None else \
        exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx is not None else None
    return hint if hint is None or isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def date_refused(exc: ValueError) -> str:
    """Why a date was not read, in the command line's language where the error gives it as data."""
    return speech.refused(exc)


def told(exc: Exception, db: str) -> Failure | None:
    """The one line and exit code for an error a user can cause (a file, the store, a date); None for a bug."""
    # Imported here, not above: these come from the store, the files and the service, which a command loads
    # when it runs and ``entente -h`` never does; by the time one of their errors is raised, they are loaded.
    from entente.record import RecordConflict, StoreError
    from entente.record.errors import unavailable
    from entente.secretariat.service import WrongUnion
    from entente.vocabulary import dates
    from entente.vocabulary.yamlfile import FileError

    if isinstance(exc, FileError):
        return Failure(speech.refused(exc), FILE)
    if isinstance(exc, StoreError):
        return Failure(speech.refused(exc), STORE)
    if isinstance(exc, WrongUnion):
        return Failure(_("%(problem)s: give another --db, or the --union whose record it holds", problem=exc), STORE)
    if isinstance(exc, RecordConflict):
        return Failure(str(exc), NO)
    if isinstance(exc, dates.DateError):
        return Failure(date_refused(exc), USAGE)
    found = unavailable(exc, db)
    if found is not None:
        return Failure(speech.refused(found), STORE)
    if isinstance(exc, OSError) and exc.filename:
        return Failure(_("%(file)s: %(problem)s: check the path and who may read and write it", file=exc.filename,
                         problem=(exc.strerror or str(exc)).lower()), FILE)
    return None
