"""The work of the ``calendar``, ``code``, ``next`` and ``bibliography`` commands (declared in ``commands``):
exports of the viewer's record for other tools and researchers.

Every command works on the events the viewer may see (``ctx.events()``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec
from rich.console import RenderableType

from entente.cli.app import Context
from entente.cli.render import as_of, emit, in_english, source_kind, table, told, when
from entente.cli.speech import _
from entente.cli.versions import with_version
from entente.views import reports as views
from entente.views import sources
from entente.views.coding import coding
from entente.views.schedule import next_conference


def calendar(ctx: Context, at: str | None, output: Path | None) -> None:
    if output is not None and not output.parent.is_dir():
        raise click.BadParameter(_("the folder %(folder)s does not exist: create it or name another",
                                   folder=output.parent), param_hint="'--output'")
    from entente.cli.versions import record_version
    from entente.export import calendar as ics_calendar  # icalendar: for this command only, not next or code

    events, s = ctx.events(at), ctx.secretariat
    data = ics_calendar(s.union, s.treaties, events, ctx.day(at, events).day, record_version(ctx))
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream, so RFC 5545's CRLF line ends pass unchanged
    else:
        output.write_bytes(data)
        click.echo(f"{output}: calendar written", err=True)


def next_(ctx: Context, at: str | None, as_json: bool) -> None:
    events, s = ctx.events(at), ctx.secretariat
    day = ctx.day(at, events)
    rows = with_version(ctx, [msgspec.to_builtins(p) for p in next_conference(s.union, s.treaties, events, day.day)],
                        as_json)

    def render(rows: list[dict[str, Any]]) -> list[RenderableType]:
        return [as_of(day), table([[when(r["latest"]) + (" " + _("(not before %(day)s)", day=when(r["earliest"]))
                                                         if r["earliest"] else ""),
                                    _(" or ").join(r["hosts"]) or "—", r["place"] or "—",
                                    f"{r['instrument']}: {told(r)}"] for r in rows],
                                  [_("by"), _("host"), _("place"), in_english(_("why"), rows)], wide=3)
                if rows else _("nothing due")]

    emit(rows, as_json, render)


def code(ctx: Context, as_json: bool) -> None:
    s = ctx.secretariat
    rows = [msgspec.to_builtins(c) for c in coding(s.union, s.treaties, ctx.events())]
    if as_json:  # a data set exported for research names the version of the record it was coded from
        from entente.cli.versions import record_version

        version = record_version(ctx)
        rows = [{**r, "record_version": version} for r in rows]
    flags = ("bilat", "defense", "offense", "neutral", "nonagg", "consul", "addmem")

    def render(rows: list[dict[str, Any]]) -> RenderableType:
        return table([[r["instrument"], " ".join(map(str, r["members"])) + "".join(f" {p}?" for p in
                       r["members_uncoded"]), when(r["begin"]), when(r["end"]),
                       "—" if r["length"] is None else r["length"], " ".join(f for f in flags if r[f]) or "—"]
                      for r in rows], [_("instrument"), _("members (? no COW code)"), _("begin"), _("end"), _("months"),
                                       _("coded 1")], wide=5)

    emit(rows, as_json, render)


def bibliography(ctx: Context, as_json: bool) -> None:
    union = ctx.secretariat.union
    rows = sources.bibliography(union, views.timeline(union, ctx.events()))

    def render(rows: list[dict[str, Any]]) -> RenderableType:
        return table([[f"{r['document']}: {r['reference']} [{source_kind(r['kind'])}]\n"
                       + (", ".join(e["id"] + (f" ({e['pages']})" if e["pages"] else "") for e in r["entries"])
                          or _("no entry rests on it"))] for r in rows],
                     [_("work, and the entries resting on it")], wide=0)

    emit(rows, as_json, render)
