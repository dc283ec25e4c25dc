"""The views of the record for people, as tables that fit the terminal, or as JSON: the work of the
``timeline``, ``conferences``, ``state``, ``compliance``, ``due``, ``treaty``, ``party``, ``search``,
``history`` and ``audit`` commands, which ``commands`` declares.  As JSON, each view names the version of the
record it was read from (``record_version``), as the exports do.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import click
from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text

from entente.cli import drawn, kept
from entente.cli.app import Context
from entente.cli.render import (
    article,
    as_of,
    emit,
    from_day,
    in_date_order,
    in_english,
    judged_on,
    origin,
    since,
    status,
    table,
    told,
    until,
    when,
)
from entente.cli.speech import _, ngettext, refused
from entente.cli.versions import with_version
from entente.languages.catalog import N_
from entente.views import reports as views
from entente.views import searching
from entente.views.days import Day

# How a version of an entry came to be, in words (the codes ``views.history`` gives).
CHANGES = {"original": N_("original"), "corrected": N_("corrected"), "retracted": N_("retracted")}


def render_timeline(rows: list[dict[str, Any]]) -> RenderableType:
    cells = []
    for r in rows:
        what = Text(told(r, "summary"))
        if r["classification"] != "public":
            what.append(f"  [{_('restricted')}]", style="magenta")
        what.append(f"\n[{origin(r)}]", style="cyan")
        if r["source"] and r["source"]["quote"]:
            what.append(f"\n“{' '.join(r['source']['quote'].split())}”", style="italic")
            if r["source"]["gloss"]:
                what.append(f"\n= {' '.join(r['source']['gloss'].split())}", style="dim")
        if r["note"]:  # the reading the record takes where the source leaves it open
            what.append("\n" + _("note") + f": {' '.join(r['note'].split())}", style="dim")
        cells.append([when(r["date"]), what])
    return table(cells, [_("date"), _("what happened, and the words of the source")], wide=1)


_CSV_COLUMNS = ["id", "kind", "date", "start", "end", "recorded", "actor", "summary", "classification", "source_kind",
                "inferred", "document", "pages", "quote", "lang", "gloss", "cites", "note", "record_version"]


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
        source = {k: v for k, v in (r["source"] or {}).items() if k in ("document", "pages", "quote", "lang", "gloss")}
        writer.writerow({**r, **source, "classification": classification_words(r["classification"]),
                         "inferred": "yes" if r["inferred"] else "no",
                         "cites": "; ".join(c["document"] + (f", {c['pages']}" if c["pages"] else "")
                                            for c in r["cites"])})
    return out.getvalue()


def timeline(ctx: Context, as_json: bool, as_csv: bool, bom: bool, at: str | None = None) -> None:
    rows = views.timeline(ctx.secretariat.union, ctx.events(at))
    if as_csv:
        data = ("\ufeff" if bom else "") + timeline_csv(rows)
        click.echo(data.encode("utf-8"), nl=False)  # bytes, so the CRLF row ends pass unchanged
        return
    emit(rows, as_json, render_timeline)


def conferences(ctx: Context, as_json: bool) -> None:
    def render(rows: list[dict[str, Any]]) -> RenderableType:
        def party(p: dict[str, Any]) -> str:  # marked where it took part other than as a member
            return p["party"] + ("*" if p["role"] not in ("member", "host") else "")

        return table([[r["number"] or "", when(r["date"]), r["host"] or "", r["place"] or "",
                       ", ".join(party(p) for p in r["participants"])]
                      for r in rows],
                     [_("no."), _("when"), _("host"), _("place"), _("participants (* not as a member)")])

    emit(with_version(ctx, views.conferences(ctx.secretariat.union, ctx.events()), as_json), as_json, render)


def render_state(s: dict[str, Any], day: Day) -> list[RenderableType]:
    # The presidency is what the instrument's rule gives, not what a source says: who would hold it.
    presiding = [Text(_("presidency of %(article)s: %(holder)s would hold it %(since)s",
                        article=article(o["instrument"], o["article"]), holder=o["holder"], since=since(o["since"]))
                      + (f", {until(o['until'])}" if o.get("until") else "") + f" ({told(o, 'why')})")
                 for o in s.get("presidency", []) if o.get("current")]
    held = s["conferences_held"]
    line = s["union"] + ": " + ngettext("%(num)s conference held so far", "%(num)s conferences held so far", held)
    if others := s.get("other_conferences"):
        line += " " + ngettext("(besides %(num)s under no instrument of the union)",
                               "(besides %(num)s under no instrument of the union)", others)
    return [Text(line, style="bold"), as_of(day),
            table([[i["id"], status(i["status"]), " ".join(i["parties"]) or "—", i["title"]]
                   for i in s["instruments"]], [_("instrument"), _("status"), _("bound"), _("title")], wide=3),
            *presiding]


def state(ctx: Context, at: str | None, as_json: bool) -> None:
    events = ctx.events(at)
    day = ctx.day(at, events)
    s = ctx.secretariat
    emit(with_version(ctx, views.union_state(s.union, events, day.day, s.treaties), as_json), as_json,
         lambda rows: render_state(rows, day))


def compliance(ctx: Context, at: str | None, reading: str | None, as_json: bool) -> None:
    def compute() -> kept.Computed:
        events, s = ctx.judged(at), ctx.secretariat
        day = ctx.day(at, events)
        try:
            # Kept as --json prints it, with the record's version: the same record has the same version.
            return day, with_version(ctx, views.compliance(s.union, s.treaties, events, day.day, reading), True)
        except views.UnknownReading as exc:
            raise click.BadParameter(refused(exc), param_hint="--reading") from None

    found = kept.answer(ctx, "compliance", kept.compliance_asked(at, reading), compute)
    drawn.show_kept(found, as_json, drawn.findings)


def due(ctx: Context, at: str | None, as_json: bool) -> None:
    def compute() -> kept.Computed:
        events, s = ctx.judged(at), ctx.secretariat
        day = ctx.day(at, events)
        return day, with_version(ctx, in_date_order(views.due(s.union, s.treaties, events, day.day)), True)

    drawn.show_kept(kept.answer(ctx, "due", kept.due_asked(at), compute), as_json, drawn.due)


def render_treaties(rows: list[dict[str, Any]], day: Day | None = None) -> list[RenderableType]:
    """Each article's text with the passages its settings cite between ⟦ ⟧ (and underlined on a terminal),
    what no setting cites, the rules with the settings in force, and the decisions that set them."""
    def indented(text: str | Text, by: int, style: str = "") -> Padding:
        return Padding(text if isinstance(text, Text) else Text(" ".join(text.split()), style=style), (0, 0, 0, by))

    def marked(lang: str, runs: list[list[Any]]) -> Text:
        out = Text(f"[{lang}] ")
        for run, cited in runs:
            out.append(f"⟦{run}⟧" if cited else run, style="underline" if cited else "")
        return out

    out: list[RenderableType] = [as_of(day)] if day is not None and rows else []
    for t in rows:
        out.append(Text(_("%(title)s (%(instrument)s); decisions by %(rule)s", title=t["title"],
                          instrument=t["instrument"], rule=_(t["decision"]["rule"])), style="bold"))
        for a in t["articles"]:
            ref = a["article"].replace("-", " ").capitalize()
            ref = _("Article %(n)s", n=ref) if ref[:1].isdigit() else ref
            out.append(indented(f"{ref}: {a['title']}" if a["title"] else ref, 2, "bold"))
            out += [indented(marked(lang, runs), 4) for lang, runs in a["marked"].items()]
            for lang, left in a["uncited"].items():
                if left and any(r["cites"] for r in a["rules"]):
                    out.append(indented(_("left to prose [%(lang)s]: ", lang=lang) + " · ".join(left), 4, "dim"))
            for r in a["rules"]:
                settings = ", ".join(f"{k}={v}" for k, v in r["settings"].items())
                out.append(indented("→ " + _("rule %(rule)s (%(kind)s): %(settings)s", rule=r["id"], kind=r["kind"],
                                              settings=settings or _("defaults")), 4, "cyan"))
                for setting, texts in r.get("cites", {}).items():
                    out.append(indented(_("%(setting)s cites: ", setting=setting) + " · ".join(
                        f"[{lang}] ⟦{p}⟧" for lang, p in texts.items()), 6, "dim"))
                if r.get("reading"):
                    out.append(indented(_("reading") + f": {r['reading']}", 6, "dim"))
                for n in r.get("readings", ()):  # the sources dispute it: every reading, and who reads it so
                    changed = "".join(f", {k}={v}" for k, v in n.get("settings", {}).items())
                    out.append(indented(_("reading %(name)s", name=n["name"]) + f"{changed}: "
                                        + (n.get("reading") or _("as the settings")), 6))
                    if n.get("source"):
                        out.append(indented(_("source") + f": {n['source']}", 8, "dim"))
            for d in a["decisions"]:
                settings = ", ".join(f"{k}={v}" for k, v in d["settings"].items())
                said = _("decision %(id)s adds rule %(rule)s %(from)s: %(settings)s") if d["added"] else \
                    _("decision %(id)s changes rule %(rule)s %(from)s: %(settings)s")
                out.append(indented(said % {"id": d["id"], "rule": d["rule"], "from": from_day(d["effective"]),
                                            "settings": settings} + (f" ({d['title']})" if d["title"] else ""),
                                    4, "yellow"))
            for c in a.get("changes") or ():
                out.append(indented(_("changed %(since)s: ", since=since(t["since"])) + f"{c['rule']}.{c['setting']} "
                                    f"{c['before']} → {c['after']}"
                                    + (" " + _("by %(entries)s", entries=", ".join(c["by"])) if c["by"] else ""),
                                    4, "yellow"))
            if a.get("changes") == []:
                out.append(indented(_("no setting changed %(since)s", since=since(t["since"])), 4, "dim"))
        out.append(Text(""))
    return out or [_("no instruments")]


def treaty(ctx: Context, instrument: str | None, at: str | None, since: str | None, as_json: bool) -> None:
    events = ctx.events(at)
    day = ctx.day(at, events)
    earlier = None if since is None else ctx.day(since, events).day
    if earlier is not None and earlier > day.day:
        raise click.BadParameter(_("%(since)s is after the day asked (%(day)s): --since names the earlier day",
                                   since=since, day=day.day),
                                 param_hint="'--since'")
    rows = views.treaties(ctx.secretariat.treaties, events, day.day, earlier)
    if instrument is not None:
        rows = [r for r in rows if r["instrument"] == instrument]
        if not rows:
            raise click.ClickException(_("no instrument %(instrument)s: `entente treaty` lists them",
                                         instrument=repr(instrument)))
    emit(with_version(ctx, rows, as_json), as_json, lambda rows: render_treaties(rows, day))


def render_party(p: dict[str, Any], day: Day) -> list[RenderableType]:
    out: list[RenderableType] = [Text(f"{p['name']} ({p['party']})", style="bold"), as_of(day)]
    if (since := p.get("role_since")) is not None:  # a role taken up on a day: an observer's admission
        # The role in the catalog's words where it has them (an "observer" is its own), else as the union writes it.
        role = _((p["role"] or "").replace("_", " "))
        out.append(_("%(role)s %(day)s.", role=role[:1].upper() + role[1:], day=from_day(since)) if p["role"]
                   else _("Admitted %(day)s: not yet on this day.", day=from_day(since)))
    out.append(table([[i["id"], i["title"], when(i["since"])] for i in p["bound_by"]],
                     [_("bound by"), _("title"), _("in force since")], wide=1) if p["bound_by"]
               else _("Bound by nothing."))
    if p["signed_not_bound"]:
        out.append(table([[i["id"], i["title"], status(i["status"])] for i in p["signed_not_bound"]],
                         [_("signed, not bound by"), _("title"), _("status")], wide=1))
    out.append(table([[when(d.get("by") or d.get("on")), told(d)] for d in in_date_order(p["due"])],
                     [_("due by"), in_english(_("what"), p["due"])], wide=1) if p["due"] else _("Nothing due."))
    out.append(table([[article(f["instrument"], f["article"]),
                       told(f)] for f in p["breaches"]],
                     [_("breach under"), in_english(_("what"), p["breaches"])], wide=1) if p["breaches"]
               else _("No breaches of its own."))
    return [*out, judged_on(views.JUDGED_ON)]


def party(ctx: Context, code: str, at: str | None, as_json: bool) -> None:
    events, s = ctx.events(at), ctx.secretariat
    day = ctx.day(at, events)
    data = views.party(s.union, s.treaties, events, code.upper(), day.day)
    if data is None:
        codes = ", ".join(sorted(p.code for p in s.union.parties))
        raise click.ClickException(_("%(code)s is not a party of %(union)s; its parties are %(codes)s",
                                     code=repr(code), union=s.union.id, codes=codes))
    emit(with_version(ctx, data, as_json), as_json, lambda p: render_party(p, day))


def search(ctx: Context, query: str, as_json: bool) -> None:
    emit(with_version(ctx, searching.search(ctx.secretariat.union, ctx.events(), query), as_json), as_json,
         lambda rows: render_timeline(rows) if rows else _("nothing found"))


def history(ctx: Context, entry_id: str, as_json: bool) -> None:
    versions = ctx.secretariat.history_for(ctx.viewer, entry_id, ctx.known_at)
    if not versions:
        raise click.ClickException(_("no entry %(entry)s", entry=repr(entry_id)))

    def render(rows: list[dict[str, Any]]) -> str:
        out = []
        for r in rows:
            out.append(_("version %(version)s (%(change)s, recorded %(recorded)s)", version=r["version"],
                         change=_(CHANGES.get(r["change"], r["change"])), recorded=r["recorded"]))
            if r["act"]:
                out.append(f"  {_('why')}: {r['act']['reason']}" + (f"  [{r['act']['source']['document']}]"
                                                                     if r["act"]["source"] else ""))
            out.append(f"  {told(r, 'summary')}" if r["summary"] else f"  ({_('withdrawn')})")
            if r["entry"] and r["entry"].get("note"):
                out.append("  " + _("note") + f": {' '.join(r['entry']['note'].split())}")
        return "\n".join(out)

    emit(with_version(ctx, views.history(ctx.secretariat.union, versions, views.entry_titles(ctx.events())), as_json),
         as_json, render)


def audit(ctx: Context, as_json: bool) -> None:
    if ctx.viewer.kind != "secretariat":
        raise click.ClickException(_("the audit trail is the secretariat's: run it without --as"))
    emit(ctx.secretariat.store.audit_trail(), as_json, lambda rows: table(
        [[r["at"], r["viewer"], r["event_id"] or "", r["reason"]] for r in rows],
        [_("at"), _("viewer"), _("entry"), _("why refused")], wide=3) if rows else _("no refusals"))
