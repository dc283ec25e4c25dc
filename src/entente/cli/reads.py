"""The ``entente`` command: every view as a readable table or, with --json, as JSON."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text

from entente.cli import completion, progress
from entente.cli.group import EXIT_CODES, EntenteGroup
from entente.cli.render import as_of, emit, in_date_order, judged_on, prose, status, table, when
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat
from entente.views import reports as views
from entente.views.days import Day, day_for
from entente.vocabulary import dates
from entente.vocabulary.asked import read_day, read_moment
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import Event

DEFAULT_DB = "entente.db"


class Context:
    def __init__(self, db: str, union: Path, viewer: Viewer, known_at: str | None = None) -> None:
        self.db, self.union_folder, self.viewer, self.known_at = db, union, viewer, known_at
        self._secretariat: Secretariat | None = None

    @property
    def secretariat(self) -> Secretariat:
        if self._secretariat is None:
            self._secretariat = Secretariat.open(self.db, self.union_folder)
            union = self._secretariat.union
            if self.viewer.party is not None and union.party(self.viewer.party) is None:
                viewers = ", ".join(["secretariat", "public", *sorted(p.code for p in union.parties)])
                raise click.BadParameter(f"unknown viewer {self.viewer.party!r}: the viewers of {union.id} are "
                                         f"{viewers}", param_hint="'--as'")
            self._secretariat.progress = progress.bar if progress.on_terminal() else None
        return self._secretariat

    def events(self) -> Sequence[Event]:
        events = self.secretariat.events_for(self.viewer, self.known_at)
        if self.known_at is not None and not events:
            first = min((e.recorded or "" for e in self.secretariat.events_for(self.viewer)), default=None)
            click.echo(f"Nothing was recorded by {self.known_at[:19].replace('T', ' ')} UTC"
                       + (f"; the record begins at {first[:19].replace('T', ' ')} UTC." if first else "."), err=True)
        return events

    def day(self, at: str | None, events: Sequence[Event]) -> Day:
        """The day asked for (its last day for a month or year), or the default: today or the record's last day."""
        return day_for(at, events, self.secretariat.union, date.today())


def _viewer(_ctx: click.Context, _param: click.Parameter, value: str) -> Viewer:
    try:
        return Viewer.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _union_folder(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    missing = [name for name in ("union.yaml", "record.yaml") if not (value / name).is_file()]
    if missing:
        raise click.BadParameter(f"{value} has no {' or '.join(missing)}: a union folder holds union.yaml, "
                                 "record.yaml and treaties/ (see docs/unions.md)")
    return value


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    try:
        return None if value is None else read_moment(value, datetime.now(UTC))
    except dates.DateError as exc:
        raise click.BadParameter(str(exc)) from None


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A day as people write it, checked here so a mistake is told before any work; read again for the view."""
    if value is None:
        return None
    try:
        read_day(value, date.today())
    except dates.DateError as exc:
        raise click.BadParameter(str(exc)) from None
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
@click.pass_context
def main(ctx: click.Context, db: str, union_folder: Path, viewer: Viewer, known_at: str | None) -> None:
    """Entente: the record of a union of states, and what its treaty makes of it.

    The options above (--as, --db, --union, --known-at) may also follow the command.
    """
    ctx.obj = Context(db, union_folder, viewer, known_at)
    ctx.call_on_close(lambda: ctx.obj._secretariat and ctx.obj._secretariat.close())


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
pass_context = click.make_pass_decorator(Context)


def render_timeline(rows: list[dict[str, Any]]) -> RenderableType:
    cells = []
    for r in rows:
        what = Text(prose(r["summary"]))
        if r["classification"] != "public":
            what.append("  [restricted]", style="magenta")
        if r["source"]:
            what.append(f"\n“{' '.join(r['source']['quote'].split())}”", style="italic")
            if r["source"]["gloss"]:
                what.append(f"\n= {' '.join(r['source']['gloss'].split())}", style="dim")
        if r["note"]:  # the reading the record takes where the source leaves it open
            what.append(f"\nnote: {' '.join(r['note'].split())}", style="dim")
        cells.append([when(r["date"]), what])
    return table(cells, ["date", "what happened, and the words of the source"], wide=1)


_CSV_COLUMNS = ["id", "kind", "date", "start", "end", "recorded", "actor", "summary", "classification", "document",
                "quote", "lang", "gloss", "note"]


def classification_words(c: Any) -> str:
    """A classification as words for a spreadsheet cell: "public", "parties of <instrument>", "<party>, <party>"."""
    if c == "public":
        return "public"
    parts = ([f"parties of {c['instrument']}"] if c.get("instrument") else []) + list(c.get("parties", []))
    return ", ".join(parts)


def timeline_csv(rows: list[dict[str, Any]]) -> str:
    """A row an event, one plain column per field (no JSON in any cell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({**r, **(r["source"] or {}), "classification": classification_words(r["classification"])})
    return out.getvalue()


@main.command()
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, a row an event, for a spreadsheet.")
@click.option("--bom", is_flag=True, help="Begin the CSV with a UTF-8 byte-order mark, so that spreadsheet "
              "programs read its Latvian and Lithuanian letters.")
@pass_context
def timeline(ctx: Context, as_json: bool, as_csv: bool, bom: bool) -> None:
    """Every event in date order, with its source."""
    rows = views.timeline(ctx.secretariat.union, ctx.events())
    if as_csv:
        data = ("\ufeff" if bom else "") + timeline_csv(rows)
        click.echo(data.encode("utf-8"), nl=False)  # bytes, so the CRLF row ends pass unchanged
        return
    emit(rows, as_json, render_timeline)


@main.command()
@json_option
@pass_context
def conferences(ctx: Context, as_json: bool) -> None:
    """The conferences of the parties, numbered where they belong to a periodic series."""
    def render(rows: list[dict[str, Any]]) -> RenderableType:
        return table([[r["number"] or "", when(r["date"]), r["host"] or "", r["place"] or "",
                       ", ".join(p["party"] + ("*" if p["role"] == "observer" else "") for p in r["participants"])]
                      for r in rows], ["no", "when", "host", "place", "participants (* observer)"])

    emit(views.conferences(ctx.secretariat.union, ctx.events()), as_json, render)


def render_state(s: dict[str, Any], day: Day) -> list[RenderableType]:
    presiding = [Text(f"presidency of {o['instrument']}: {o['holder']} since {o['since']}"
                      + (f", until {o['until']}" if o.get("until") else "") + f" ({o['why']})")
                 for o in s.get("presidency", []) if o.get("current")]
    return [Text(f"{s['union']}: {s['conferences_held']} conferences held so far", style="bold"), as_of(day),
            table([[i["id"], status(i["status"]), " ".join(i["parties"]) or "—", i["title"]]
                   for i in s["instruments"]], ["instrument", "status", "bound", "title"], wide=3), *presiding]


@main.command()
@at_option
@json_option
@pass_context
def state(ctx: Context, at: str | None, as_json: bool) -> None:
    """Which instruments exist at a date, their status, and who is bound by each."""
    events = ctx.events()
    day = ctx.day(at, events)
    s = ctx.secretariat
    emit(views.union_state(s.union, events, day.day, s.treaties), as_json, lambda rows: render_state(rows, day))


def render_findings(rows: list[dict[str, Any]]) -> list[RenderableType]:
    cells, group = [], None
    for f in rows:
        label = f"{f['instrument']}, art. {f['article']}"
        about = f.get("subject") or f.get("period") or ""
        detail = f["detail"] if about in f["detail"] else f"{about}: {f['detail']}"
        detail += f" (reading: {f['reading_name']})" if f.get("reading_name") else ""
        cells.append(["" if label == group else label, status(f["status"]), prose(detail)])
        group = label
    return [table(cells, ["instrument", "finding", "detail"], wide=2), judged_on(rows[0]["judged_on"])] if rows \
        else ["no findings"]


@main.command()
@at_option
@click.option("--reading", help="One reading of the contested articles (default: every reading, where they differ).")
@json_option
@pass_context
def compliance(ctx: Context, at: str | None, reading: str | None, as_json: bool) -> None:
    """Findings of every rule of every instrument: met, breach, pending or not applicable."""
    events, s = ctx.events(), ctx.secretariat
    day = ctx.day(at, events)
    try:
        rows = views.compliance(s.union, s.treaties, events, day.day, reading)
    except views.UnknownReading as exc:
        raise click.BadParameter(str(exc), param_hint="--reading") from None
    emit(rows, as_json, lambda rows: [as_of(day), *render_findings(rows)])


def render_due(rows: list[dict[str, Any]]) -> RenderableType:
    return table([[when(r.get("by") or r.get("on")), f"{r['instrument']}, art. {r['article']}", prose(r["detail"])]
                  for r in in_date_order(rows)], ["by", "instrument", "what is due"], wide=2) if rows else "nothing due"


@main.command()
@at_option
@json_option
@pass_context
def due(ctx: Context, at: str | None, as_json: bool) -> None:
    """What is due next, soonest first: conferences, hosts, responses, conditions in force."""
    events, s = ctx.events(), ctx.secretariat
    day = ctx.day(at, events)
    emit(in_date_order(views.due(s.union, s.treaties, events, day.day)), as_json,
         lambda rows: [as_of(day), render_due(rows)])


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load(ctx: Context, files: tuple[Path, ...]) -> None:
    """Record the events of record files (YAML); a file with any bad entry records nothing."""
    for path in files:
        with progress.bar(f"checking {path.name}", progress.entries_in(path)) as tick:
            added = ctx.secretariat.load_file(path, tick)
        at = f" at {added[0].recorded}" if added else ""
        click.echo(f"{path}: {len(added)} new events recorded{at}")


def render_treaties(rows: list[dict[str, Any]]) -> list[RenderableType]:
    def indented(text: str, by: int, style: str = "") -> Padding:
        return Padding(Text(" ".join(text.split()), style=style), (0, 0, 0, by))

    out: list[RenderableType] = []
    for t in rows:
        out.append(Text(f"{t['title']} ({t['instrument']}); decisions by {t['decision']['rule']}", style="bold"))
        for a in t["articles"]:
            ref = a["article"].replace("-", " ").capitalize()
            ref = f"Article {ref}" if ref[:1].isdigit() else ref
            out.append(indented(f"{ref}: {a['title']}" if a["title"] else ref, 2, "bold"))
            out += [indented(f"[{lang}] {text}", 4) for lang, text in a["text"].items()]
            for r in a["rules"]:
                settings = ", ".join(f"{k}={v}" for k, v in r["settings"].items())
                out.append(indented(f"→ rule {r['id']} ({r['kind']}): {settings or 'defaults'}", 4, "cyan"))
                if r.get("reading"):
                    out.append(indented(f"reading: {r['reading']}", 6, "dim"))
                for n in r.get("readings", ()):  # the sources dispute it: every reading, and who reads it so
                    changed = "".join(f", {k}={v}" for k, v in n.get("settings", {}).items())
                    out.append(indented(f"reading {n['name']}{changed}: {n.get('reading') or 'as the settings'}", 6))
                    if n.get("source"):
                        out.append(indented(f"source: {n['source']}", 8, "dim"))
        out.append(Text(""))
    return out or ["no instruments"]


@main.command()
@click.argument("instrument", required=False, shell_complete=completion.instruments)
@json_option
@pass_context
def treaty(ctx: Context, instrument: str | None, as_json: bool) -> None:
    """The treaties article by article, each beside the rules that execute it (or only INSTRUMENT)."""
    rows = views.treaties(ctx.secretariat.treaties, ctx.events())
    if instrument is not None:
        rows = [r for r in rows if r["instrument"] == instrument]
        if not rows:
            raise click.ClickException(f"no instrument {instrument!r}: `entente treaty` lists them")
    emit(rows, as_json, render_treaties)


def render_party(p: dict[str, Any], day: Day) -> list[RenderableType]:
    out: list[RenderableType] = [Text(f"{p['name']} ({p['party']})", style="bold"), as_of(day)]
    out.append(table([[i["id"], i["title"], when(i["since"])] for i in p["bound_by"]],
                     ["bound by", "title", "in force since"], wide=1) if p["bound_by"] else "Bound by nothing.")
    if p["signed_not_bound"]:
        out.append(table([[i["id"], i["title"], status(i["status"])] for i in p["signed_not_bound"]],
                         ["signed, not bound by", "title", "status"], wide=1))
    out.append(table([[when(d.get("by") or d.get("on")), prose(d["detail"])] for d in in_date_order(p["due"])],
                     ["due by", "what"], wide=1) if p["due"] else "Nothing due.")
    out.append(table([[f"{f['instrument']}, art. {f['article']}", prose(f["detail"])] for f in p["breaches"]],
                     ["breach under", "what"], wide=1) if p["breaches"] else "No breaches under what binds it.")
    return [*out, judged_on(views.JUDGED_ON)]


@main.command("party")
@click.argument("code", shell_complete=completion.parties)
@at_option
@json_option
@pass_context
def party_view(ctx: Context, code: str, at: str | None, as_json: bool) -> None:
    """One party on one day: what binds it, what is due from it, and the breaches under what binds it."""
    events, s = ctx.events(), ctx.secretariat
    day = ctx.day(at, events)
    data = views.party(s.union, s.treaties, events, code.upper(), day.day)
    if data is None:
        codes = ", ".join(sorted(p.code for p in s.union.parties))
        raise click.ClickException(f"{code!r} is not a party of {s.union.id}; its parties are {codes}")
    emit(data, as_json, lambda p: render_party(p, day))


@main.command()
@click.argument("query")
@json_option
@pass_context
def search(ctx: Context, query: str, as_json: bool) -> None:
    """Entries with every word of QUERY, best first; case and accents do not matter (vilnas finds Viļņas)."""
    emit(views.search(ctx.secretariat.union, ctx.events(), query), as_json,
         lambda rows: render_timeline(rows) if rows else "nothing found")


@main.command()
@click.argument("entry_id")
@json_option
@pass_context
def history(ctx: Context, entry_id: str, as_json: bool) -> None:
    """Every version of one entry: as first recorded, then each correction or retraction, with its reason."""
    versions = ctx.secretariat.history_for(ctx.viewer, entry_id, ctx.known_at)
    if not versions:
        raise click.ClickException(f"no entry {entry_id!r}")

    def render(rows: list[dict[str, Any]]) -> str:
        out = []
        for r in rows:
            out.append(f"version {r['version']} ({r['change']}, recorded {r['recorded']})")
            if r["act"]:
                out.append(f"  why: {r['act']['reason']}" + (f"  [{r['act']['source']['document']}]"
                                                              if r["act"]["source"] else ""))
            out.append(f"  {r['summary']}" if r["summary"] else "  (withdrawn)")
            if r["entry"] and r["entry"].get("note"):
                out.append(f"  note: {' '.join(r['entry']['note'].split())}")
        return "\n".join(out)

    emit(views.history(ctx.secretariat.union, versions), as_json, render)


@main.command()
@json_option
@pass_context
def audit(ctx: Context, as_json: bool) -> None:
    """Refused writes, for the secretariat."""
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException("the audit trail is the secretariat's: run it without --as")
    emit(ctx.secretariat.store.audit_trail(), as_json, lambda rows: table(
        [[r["at"], r["viewer"], r["event_id"] or "", r["reason"]] for r in rows],
        ["at", "viewer", "entry", "why refused"], wide=3) if rows else "no refusals")
