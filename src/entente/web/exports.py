"""A list page's rows as CSV, JSON or iCalendar: exactly the rows the page shows, for the viewer who sees it.

``?format=csv`` (or ``json``, ``ics``) on a list page's own address answers its rows
in that form instead of the page: the same filters, the same day (``at``), the same
record time (``known_at``), the same reading, the same signed-in viewer, so an export
can never hold a row the page did not show, nor miss one it did (a list shown a page
at a time: every row of every page).  The JSON says which page, query and viewer it
was made for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
from litestar import Response

from entente.export.ics import name_version
from entente.ledger import checkpoints
from entente.views.versioned import versioned
from entente.vocabulary import dates
from entente.web.base import Page

FORMATS = ("csv", "json", "ics")
_MEDIA = {"csv": "text/csv",  # Litestar adds the charset
          "json": "application/json", "ics": "text/calendar"}


def format_asked(p: Page, ics: bool = False) -> str | None:
    """The format the page's query asks its rows in, if it is one the page offers (``ics``: where rows have dates)."""
    found = p.request.query_params.get("format") or ""
    return found if found in (FORMATS if ics else FORMATS[:2]) else None


def listing(p: Page, template: str, rows: Sequence[dict[str, Any]], *, rows_name: str = "rows",
            ics: bool = False, status: int = 200, **context: Any) -> Response[Any]:
    """The page, or its rows in the format its query asks for (``ics`` only where the rows have dates); a page
    shown a page at a time is given one page of rows, its exports every row."""
    formats = FORMATS if ics else FORMATS[:2]
    asked = format_asked(p, ics)
    if asked is None:
        return p.render(template, status=status, **{rows_name: rows, "exports": formats, **context})
    name = p.request.url.path.strip("/").replace("/", "-") or "rows"
    # The version of the record the rows come from, as the viewer's log was signed: a reader who cites the export
    # can prove later what it held.
    signed = p.request.app.state.hub.ledger.checkpoint(p.viewer)
    body: str | bytes
    version = checkpoints.version(signed)
    if asked == "csv":
        body = as_csv(versioned(list(rows), version))
    elif asked == "ics":
        body = as_ics(p, rows, version)
    else:  # each row as the CSV and every read have it; the whole checkpoint, with its signature, once
        query = {k: v for k, v in p.request.query_params.items() if k != "format"}
        body = json.dumps({"page": p.request.url.path, "query": query, "viewer": str(p.viewer),
                           "record_version": checkpoints.as_dict(signed), "rows": versioned(list(rows), version)},
                          ensure_ascii=False, indent=1, default=str)
    return Response(body, media_type=_MEDIA[asked],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{asked}"',
                             "Cache-Control": "private, no-cache", "Vary": "Cookie"})


def as_csv(rows: Sequence[dict[str, Any]]) -> str:
    """One line per row, a column per field (in the order they first appear); lists and objects as JSON."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_cell(row.get(c)) for c in columns)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def as_ics(p: Page, rows: Sequence[dict[str, Any]], record_version: str) -> bytes:
    """Each dated row as an all-day event over the days its date can mean; the calendar names the record's
    version it was made from."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Entente//{p.union.id}//EN")
    cal.add("version", "2.0")
    name_version(cal, record_version, f"The rows of {p.request.url.path}")
    stamp = datetime.now(UTC)
    for row in rows:
        when = row.get("date")
        if not when:
            continue
        try:
            first, last = dates.bounds(str(when))
        except dates.DateError:
            continue
        event = icalendar.Event()
        event.add("uid", f"{row.get('id')}@{p.union.id}")
        event.add("dtstamp", stamp)
        event.add("summary", str(row.get("summary") or row.get("title") or row.get("place") or row.get("id")))
        event.add("dtstart", date.fromisoformat(first))
        event.add("dtend", date.fromisoformat(last) + timedelta(days=1))
        cal.add_component(event)
    return bytes(cal.to_ical())
