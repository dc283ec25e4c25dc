"""The ``entente`` group: its options (``--db``, ``--union``, ``--as``, ``--known-at``) and the context each
command is given.

What every command line needs is imported here, and no more: the store, the rules and
Rich are imported when a command first opens the record (``Context.secretariat``), so
that ``entente -h``, ``entente --version`` and ``entente COMMAND -h`` answer at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from entente.cli import completion, speech
from entente.cli.group import EXIT_CODES, EntenteGroup, date_refused
from entente.cli.speech import _
from entente.languages import known
from entente.vocabulary.bundled import DEFAULT_UNION

if TYPE_CHECKING:
    from entente.record import Store
    from entente.replay.dated import DatedState
    from entente.secretariat.service import Secretariat
    from entente.secretariat.viewers import Viewer
    from entente.views.days import Day
    from entente.vocabulary.events import Event

DEFAULT_DB = "entente.db"


class Context:
    def __init__(self, db: str, union: Path, viewer: Viewer, known_at: str | None = None) -> None:
        self.db, self.union_folder, self.viewer, self.known_at = db, union, viewer, known_at
        self._secretariat: Secretariat | None = None
        self._store: Store | None = None
        # Whether the store is opened with a pool of connections (a server's); a command that forks itself opens
        # it unpooled, on connections of its own, before it first asks for it (``open_store``).
        self.pooled = True

    @property
    def store(self) -> Store:
        """The record's store, opened alone: a command that finds its answer kept there reads nothing else."""
        if self._store is None:
            if self._secretariat is not None:
                return self._secretariat.store
            from entente.record import open_store

            self._store = open_store(self.db, pooled=self.pooled)
        return self._store

    def close(self) -> None:
        if self._secretariat is not None:
            self._secretariat.close()
        elif self._store is not None:
            self._store.close()

    @property
    def secretariat(self) -> Secretariat:
        if self._secretariat is None:
            # Imported here, not above: the store, the rules and Rich (for the progress bar) are loaded by a
            # command that reads the record, never by -h or --version.
            from entente.cli import progress
            from entente.secretariat.service import Secretariat

            self._secretariat = Secretariat.open(self.db, self.union_folder, store=self._store, pooled=self.pooled)
            union = self._secretariat.union
            if self.viewer.party is not None and union.party(self.viewer.party) is None:
                viewers = ", ".join(["secretariat", "public", *sorted(p.code for p in union.parties)])
                raise click.BadParameter(_("unknown viewer %(viewer)s: the viewers of %(union)s are %(viewers)s",
                                           viewer=repr(self.viewer.party), union=union.id, viewers=viewers),
                                         param_hint="'--as'")
            self._secretariat.progress = progress.bar if progress.on_terminal() else None
        return self._secretariat

    def events(self, at: str | None = None) -> Sequence[Event]:
        """What the viewer could know on day ``at`` (by default, the day its views judge)."""
        events = self.secretariat.events_for(self.viewer, self.known_at, at)
        if self.known_at is not None and not events:
            first = min((e.recorded or "" for e in self.secretariat.events_for(self.viewer)), default=None)
            click.echo(f"Nothing was recorded by {self.known_at[:19].replace('T', ' ')} UTC"
                       + (f"; the record begins at {first[:19].replace('T', ' ')} UTC." if first else "."), err=True)
        return events

    def judged(self, at: str | None = None) -> DatedState | Sequence[Event]:
        """What the rules judge for the viewer on day ``at``: the fold of its view that day the service holds
        (folded once, for the day and the rules alike), or, with ``--known-at``, the events as they stood then."""
        if self.known_at is not None:
            return self.events(at)
        folded: DatedState = self.secretariat.seen_on(self.viewer, at)[0].folded
        return folded

    def day(self, at: str | None, events: DatedState | Sequence[Event]) -> Day:
        """The day asked for (its last day for a month or year), or the default: today or the record's last day."""
        from entente.views.days import day_for  # it replays the record with the rules: see ``secretariat``

        return day_for(at, events, self.secretariat.union, date.today())


def _viewer(_ctx: click.Context, _param: click.Parameter, value: str) -> Viewer:
    # The option callbacks import what reads a value when one is read: ``-h`` and ``--version`` read none.
    from entente.secretariat.viewers import Viewer

    try:
        return Viewer.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _union_folder(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    missing = [name for name in ("union.yaml", "record.yaml") if not (value / name).is_file()]
    if missing:
        raise click.BadParameter(_("%(folder)s has no %(files)s: a union folder holds union.yaml, record.yaml and "
                                   "treaties/ (see docs/unions.md)", folder=value, files=" or ".join(missing)))
    return value


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from entente.vocabulary import dates
    from entente.vocabulary.asked import read_moment

    try:
        return read_moment(value, datetime.now(UTC))
    except dates.DateError as exc:
        raise click.BadParameter(date_refused(exc)) from None


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A day as people write it, checked here so a mistake is told before any work; read again for the view."""
    if value is None:
        return None
    from entente.vocabulary import dates
    from entente.vocabulary.asked import read_day

    try:
        read_day(value, date.today())
    except dates.DateError as exc:
        raise click.BadParameter(date_refused(exc)) from None
    return value


def _lang(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """The language asked for, else the locale's; one with no catalog is a mistake named with those there are."""
    if value is None:
        value = known.from_locale(os.environ)
    elif value not in known.languages():
        raise click.BadParameter(_("no catalog for %(lang)s: the languages are %(langs)s", lang=repr(value),
                                   langs=", ".join(known.languages())))
    speech.use(value)  # read first (eager), so a mistake in the other options is told in it
    return value


AT_HELP = ('The day: 1938-03-01, 1938-03, 1938, "March 1938", "1938. gada martā" (a month or year: its last day). '
           "Default: today while the union is in force, else the record's last day.")
at_option = click.option("--at", "at", callback=_day, help=AT_HELP)


@click.group("entente", cls=EntenteGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="entente", message="entente %(version)s")
@click.option("--db", default=lambda: os.environ.get("ENTENTE_DB", DEFAULT_DB), show_default="entente.db",
              help="The record store: a SQLite file or a postgresql:// URL (env ENTENTE_DB).")
@click.option("--union", "union_folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_UNION, show_default="the bundled union", callback=_union_folder,
              help="Folder describing the union.")
@click.option("--as", "viewer", default="secretariat", callback=_viewer, show_default=True,
              shell_complete=completion.viewers,
              help="See as this viewer: a party's code, 'public' or 'secretariat'.")
@click.option("--known-at", "known_at", callback=_moment,
              help='See the record as it stood at this record time: a day, a UTC date-time, "1 hour ago".')
@click.option("--lang", "lang", callback=_lang, is_eager=True,
              help="The language of the reports: en or lv. Default: the locale's (LANGUAGE, LC_ALL, LANG), else en.")
@click.pass_context
def main(ctx: click.Context, db: str, union_folder: Path, viewer: Viewer, known_at: str | None, lang: str) -> None:
    """Entente: the record of a union of states, and what its treaty makes of it.

    The options above (--as, --db, --union, --known-at, --lang) may also follow the command.
    """
    speech.use(lang)
    ctx.call_on_close(lambda: speech.use(known.DEFAULT))  # the next command line in this process chooses anew
    ctx.obj = Context(db, union_folder, viewer, known_at)
    ctx.call_on_close(ctx.obj.close)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
pass_context = click.make_pass_decorator(Context)
