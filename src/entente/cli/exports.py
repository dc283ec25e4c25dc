"""The ``calendar``, ``code`` and ``next`` commands: exports of the viewer's record for other tools and researchers.

Registered on :data:`entente.cli.app.main` when ``entente.cli`` is imported; every
command works on the events the viewer may see (``ctx.events()``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from entente.cli.app import Context, _day, _emit, json_option, main, pass_context, table
from entente.export import calendar as ics_calendar
from entente.export.coding import coding
from entente.replay.state import latest_day
from entente.views.schedule import next_conference


@main.command()
@click.option("--at", "at", callback=_day, help="What is due as of this day (default: the record's last day).")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the .ics to this file instead of standard output.")
@pass_context
def calendar(ctx: Context, at: str | None, output: Path | None) -> None:
    """The conferences, the next conference due and the deadlines, as an iCalendar (.ics) file."""
    if output is not None and not output.parent.is_dir():
        raise click.BadParameter(f"the folder {output.parent} does not exist: create it or name another",
                                 param_hint="'--output'")
    events, s = ctx.events(), ctx.secretariat
    data = ics_calendar(s.union, s.treaties, events, at or latest_day(events))
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream, so RFC 5545's CRLF line ends pass unchanged
    else:
        output.write_bytes(data)
        click.echo(f"{output}: calendar written", err=True)


@main.command("next")
@click.option("--at", "at", callback=_day, help="As of this day (default: the record's last day).")
@json_option
@pass_context
def next_(ctx: Context, at: str | None, as_json: bool) -> None:
    """The proposed next conference of each periodic series: host, latest and earliest day, place."""
    events, s = ctx.events(), ctx.secretariat
    rows = [msgspec.to_builtins(p) for p in next_conference(s.union, s.treaties, events, at or latest_day(events))]

    def render(rows: list[dict[str, Any]]) -> str:
        return table([[r["instrument"], r["latest"], r["earliest"] or "—", " or ".join(r["hosts"]) or "—",
                       r["place"] or "—", r["detail"]] for r in rows],
                     ["instrument", "latest", "earliest", "host", "place", "why"]) if rows else "nothing due"

    _emit(rows, as_json, render)


@main.command("code")
@json_option
@pass_context
def code(ctx: Context, as_json: bool) -> None:
    """Alliance coding (ATOP core variables) of each instrument with rules, derived from the treaty files and record."""
    s = ctx.secretariat
    rows = [msgspec.to_builtins(c) for c in coding(s.union, s.treaties, ctx.events())]
    flags = ("bilat", "defense", "offense", "neutral", "nonagg", "consul", "addmem")

    def render(rows: list[dict[str, Any]]) -> str:
        return table([[r["instrument"], " ".join(map(str, r["members"])) + "".join(f" {p}?" for p in
                       r["members_uncoded"]), r["begin"], r["end"] or "—", *(r[f] for f in flags),
                       "—" if r["length"] is None else r["length"]] for r in rows],
                     ["instrument", "members (? no COW code)", "begin", "end", *flags, "length"])

    _emit(rows, as_json, render)
