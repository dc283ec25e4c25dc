"""The work of the ``overview`` command, which ``make run`` runs: the union on one screen, and the commands to
ask further.  ``commands`` declares it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from rich.console import RenderableType
from rich.text import Text

from entente.cli import speech
from entente.cli.app import Context
from entente.cli.render import article, as_of, in_english, judged_on, named, show, since, status, table, told, when
from entente.cli.speech import _, ngettext
from entente.replay.state import in_order
from entente.rules import reading_names
from entente.views import reports as views
from entente.views.search import fold
from entente.vocabulary import dates
from entente.vocabulary.events import Event, InstrumentSigned
from entente.vocabulary.union import Union
from entente.vocabulary.wording import words


def _next(union: Union, events: Sequence[Event], held: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The commands named at the end, each with an example drawn from this union's own record."""
    ordered = in_order(events)
    month = dates.start(ordered[len(ordered) // 2].date)[:7] if ordered else "2000-01"
    member = next((p.code for p in union.parties if p.role == "member"), None)
    place = next((fold(c["place"]).split()[0] for c in reversed(held) if c["place"]), None)
    return [
        ("entente timeline", _("every event, with its source's words")),
        (f'entente state --at "{words(month, speech.lang())}"', _("the instruments on a day (a month: its last)")),
        *([(f"entente party {member} --at {month}", _("one party: bound by, due, breaches"))] if member else []),
        ("entente compliance", _("every rule's findings")),
        (f"entente due --at {month}", _("what is due next, soonest first")),
        ("entente --as public conferences", _("what the public may see")),
        *([(f"entente search {place}", _("entries with these words, accents or not"))] if place else []),
    ]


def _instruments(s: dict[str, Any]) -> RenderableType:
    def life(i: dict[str, Any]) -> str:
        if not i["in_force"]:
            return "—"
        first = dates.start(i["in_force"])[:4]
        return f"{first}–{dates.end(i['ended'])[:4]}" if i["ended"] else since(first)

    return table([[i["id"], when(i["signed"]), life(i), status(i["status"])] for i in s["instruments"]],
                 [_("instrument"), _("signed"), _("in force"), _("status")])


def _conferences(held: list[dict[str, Any]]) -> list[RenderableType]:
    """One line per instrument the conferences met under, its own count and its last; those under no
    instrument (the regional conferences before the treaties) counted apart."""
    lines: list[RenderableType] = []
    groups = views.conferences_by_instrument(held)
    for instrument, rows in sorted(groups, key=lambda group: group[0] is None):
        last = rows[-1]
        if instrument is None:
            span = f"{dates.start(rows[0]['date'])[:4]}–{dates.end(last['date'])[:4]}"
            lines.append(ngettext("Besides, conferences under no instrument: %(num)s entry, %(span)s.",
                                  "Besides, conferences under no instrument: %(num)s entries, %(span)s.",
                                  len(rows), span=span) if len(groups) > 1 else
                         ngettext("Conferences under no instrument: %(num)s entry, %(span)s.",
                                  "Conferences under no instrument: %(num)s entries, %(span)s.", len(rows), span=span))
        else:
            values = {"instrument": instrument, "day": when(last["date"])}
            lines.append(ngettext("Conferences under %(instrument)s: %(num)s held; the last %(day)s in %(place)s.",
                                  "Conferences under %(instrument)s: %(num)s held; the last %(day)s in %(place)s.",
                                  len(rows), place=named(last["places"], last["place"]), **values)
                         if last["place"] else
                         ngettext("Conferences under %(instrument)s: %(num)s held; the last %(day)s.",
                                  "Conferences under %(instrument)s: %(num)s held; the last %(day)s.",
                                  len(rows), **values))
    return lines


def _name(ctx: Context) -> str:
    party = ctx.viewer.party and ctx.secretariat.union.party(ctx.viewer.party)
    if party:
        return named(party.names, party.code)
    return _("the public") if ctx.viewer.kind == "public" else _("the secretariat")


def overview(ctx: Context, at: str | None) -> None:
    union, events = ctx.secretariat.union, ctx.events(at)
    day = ctx.day(at, events)
    ordered = in_order(events)
    members = [named(p.names, p.code) for p in union.parties if p.role == "member"]
    out: list[RenderableType] = [
        Text(_("%(union)s: the record as %(viewer)s sees it", union=named(union.name, union.id), viewer=_name(ctx)),
             style="bold"),
        ngettext("%(num)s event, %(first)s to %(last)s; members: %(members)s.",
                 "%(num)s events, %(first)s to %(last)s; members: %(members)s.", len(events),
                 first=dates.start(ordered[0].date)[:4], last=dates.end(ordered[-1].date)[:4],
                 members=", ".join(members))
        if ordered else _("No events recorded."),
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
    verdicts = ", ".join([ngettext("%(num)s met", "%(num)s met", counts["met"]),
                          ngettext("%(num)s breach", "%(num)s breaches", len(breaches)),
                          ngettext("%(num)s pending", "%(num)s pending", counts["pending"]),
                          ngettext("%(num)s not applicable", "%(num)s not applicable", counts["not_applicable"])])
    out.append(Text(_("What the treaties make of it (each contested article under its first reading): %(verdicts)s.",
                      verdicts=verdicts) if readings else
                    _("What the treaties make of it: %(verdicts)s.", verdicts=verdicts), style="bold"))
    out.append(table([[article(f["instrument"], f["article"]),
                       told(f) + (" (" + _("reading") + f": {f['reading_name']})" if f.get("reading_name")
                                  else "")] for f in breaches[:3]],
                     [_("breach"), in_english(_("what"), breaches[:3])], wide=1))
    out.append(judged_on(views.JUDGED_ON))
    if len(breaches) > 3:
        out.append(ngettext("and %(num)s more: entente compliance", "and %(num)s more: entente compliance",
                            len(breaches) - 3))
    if readings:
        out.append(_("Every reading's verdicts: entente compliance (one reading: --reading NAME)."))
    out.append(Text(_("Ask further:"), style="bold"))
    out.append(table([[command, what] for command, what in _next(union, events, held)], ["", ""], wide=1,
                     header=False))
    show(*out)
    click.echo(_("Every command takes --json, --as VIEWER, --lang and -h."))
