"""The work of the ``overview`` command, which ``make run`` runs: the union on one screen, and the commands to
ask further.  ``commands`` declares it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from rich.console import RenderableType
from rich.text import Text

from entente.cli.app import Context
from entente.cli.render import as_of, count, judged_on, prose, show, status, table, when
from entente.replay.state import in_order
from entente.rules import reading_names
from entente.views import reports as views
from entente.views.search import fold
from entente.vocabulary import dates
from entente.vocabulary.events import Event, InstrumentSigned, english
from entente.vocabulary.union import Union
from entente.vocabulary.wording import words


def _next(union: Union, events: Sequence[Event], held: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The commands named at the end, each with an example drawn from this union's own record."""
    ordered = in_order(events)
    month = dates.start(ordered[len(ordered) // 2].date)[:7] if ordered else "2000-01"
    member = next((p.code for p in union.parties if p.role == "member"), None)
    place = next((fold(c["place"]).split()[0] for c in reversed(held) if c["place"]), None)
    return [
        ("entente timeline", "every event, with its source's words"),
        (f'entente state --at "{words(month)}"', "the instruments on a day (a month: its last)"),
        *([(f"entente party {member} --at {month}", "one party: bound by, due, breaches")] if member else []),
        ("entente compliance", "every rule's findings"),
        (f"entente due --at {month}", "what is due next, soonest first"),
        ("entente --as public conferences", "what the public may see"),
        *([(f"entente search {place}", "entries with these words, accents or not")] if place else []),
    ]


def _instruments(s: dict[str, Any]) -> RenderableType:
    def life(i: dict[str, Any]) -> str:
        if not i["in_force"]:
            return "—"
        since = dates.start(i["in_force"])[:4]
        return f"{since}–{dates.end(i['ended'])[:4]}" if i["ended"] else f"since {since}"

    return table([[i["id"], when(i["signed"]), life(i), status(i["status"])] for i in s["instruments"]],
                 ["instrument", "signed", "in force", "status"])


def _conferences(held: list[dict[str, Any]]) -> list[RenderableType]:
    """One line per instrument the conferences met under, its own count and its last; those under no
    instrument (the regional conferences before the treaties) counted apart."""
    lines: list[RenderableType] = []
    groups = views.conferences_by_instrument(held)
    for instrument, rows in sorted(groups, key=lambda group: group[0] is None):
        last = rows[-1]
        if instrument is None:
            span = f"{dates.start(rows[0]['date'])[:4]}–{dates.end(last['date'])[:4]}"
            lines.append(f"{'Besides, c' if len(groups) > 1 else 'C'}onferences under no instrument: "
                         f"{count(len(rows), 'entry', 'entries')}, {span}.")
        else:
            where = f" in {last['place']}" if last["place"] else ""
            lines.append(f"Conferences under {instrument}: {len(rows)} held; the last {when(last['date'])}{where}.")
    return lines


def _name(ctx: Context) -> str:
    party = ctx.viewer.party and ctx.secretariat.union.party(ctx.viewer.party)
    return english(party.names, party.code) if party else f"the {ctx.viewer}"


def overview(ctx: Context, at: str | None) -> None:
    union, events = ctx.secretariat.union, ctx.events(at)
    day = ctx.day(at, events)
    ordered = in_order(events)
    members = [english(p.names, p.code) for p in union.parties if p.role == "member"]
    out: list[RenderableType] = [
        Text(f"{english(union.name, union.id)}: the record as {_name(ctx)} sees it", style="bold"),
        f"{len(events)} events, {dates.start(ordered[0].date)[:4]} to {dates.end(ordered[-1].date)[:4]}; "
        f"members: {', '.join(members)}."
        if ordered else "No events recorded.",
        as_of(day), _instruments(views.union_state(union, events, day.day))]
    held = views.conferences(union, events)
    out += _conferences(held)
    # Counted under one reading of each contested article (its first), so a period is never counted once per
    # reading; ``compliance`` shows every reading.
    signed = {e.instrument for e in events if isinstance(e, InstrumentSigned)}
    readings = reading_names(ctx.secretariat.treaties, signed)
    findings = views.compliance(union, ctx.secretariat.treaties, events, day.day, readings[0] if readings else None)
    breaches = [f for f in findings if f["status"] == "breach"]
    counts = {s: sum(f["status"] == s for f in findings) for s in ("met", "pending", "not_applicable")}
    under = " (each contested article under its first reading)" if readings else ""
    out.append(Text(f"What the treaties make of it{under}: {counts['met']} met, "
                    f"{count(len(breaches), 'breach', 'breaches')}, {counts['pending']} pending, "
                    f"{counts['not_applicable']} not applicable.", style="bold"))
    out.append(table([[f"{f['instrument']} art. {f['article']}", prose(f["detail"]) + (
        f" (reading: {f['reading_name']})" if f.get("reading_name") else "")] for f in breaches[:3]],
                     ["breach", "what"], wide=1))
    out.append(judged_on(views.JUDGED_ON))
    if len(breaches) > 3:
        out.append(f"and {len(breaches) - 3} more: entente compliance")
    if readings:
        out.append("Every reading's verdicts: entente compliance (one reading: --reading NAME).")
    out.append(Text("Ask further:", style="bold"))
    out.append(table([[command, what] for command, what in _next(union, events, held)], ["", ""], wide=1,
                     header=False))
    show(*out)
    click.echo("Every command takes --json, --as VIEWER and -h.")
