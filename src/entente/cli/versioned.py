"""The exports of the command line that carry the record's version: the timeline as JSON or CSV, the bibliography
and the alliance coding as JSON, and the calendar.  Each row (the calendar, once) names the viewer's log, its size
and its root, as signed, so a reader who cites a row can prove later which record it came from."""

from __future__ import annotations

import click

from entente.cli.app import Context
from entente.cli.reads import timeline_csv
from entente.cli.render import emit
from entente.cli.versions import record_version
from entente.views import reports as views
from entente.views import sources


def timeline(ctx: Context, as_csv: bool, bom: bool, at: str | None) -> None:
    version = record_version(ctx)
    rows = [{**r, "record_version": version} for r in views.timeline(ctx.secretariat.union, ctx.events(at))]
    if as_csv:
        data = ("\ufeff" if bom else "") + timeline_csv(rows)
        click.echo(data.encode("utf-8"), nl=False)  # bytes, so the CRLF row ends pass unchanged
        return
    emit(rows, True, lambda _: "")


def bibliography(ctx: Context) -> None:
    union, version = ctx.secretariat.union, record_version(ctx)
    rows = sources.bibliography(union, views.timeline(union, ctx.events()))
    emit([{**r, "record_version": version} for r in rows], True, lambda _: "")
