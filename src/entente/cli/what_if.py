"""The work of the ``what-if`` command (declared in ``commands``): a scenario file replayed on the viewer's
view, and what it changes.  Nothing is written to the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from entente.cli.app import Context
from entente.cli.render import article, as_of, emit, judged_on, status, table, told, when
from entente.cli.speech import _
from entente.cli.versions import with_version
from entente.rules import SETTINGS
from entente.views.days import Day
from entente.whatif.run import what_if
from entente.whatif.scenario import read_scenario


def _finding(f: dict[str, Any] | None) -> Text:
    if f is None:
        return Text("—", style="dim")
    out = status(f["status"])
    out.append(f": {told(f)}" + (" (" + _("reading") + f": {f['reading_name']})" if f.get("reading_name") else ""))
    if given := f.get("scenario_settings"):
        out.append(" " + _("(the scenario's settings: %(settings)s; the reading's words are the treaty file's)",
                           settings=_value(given)), style="dim")
    return out


def _due(d: dict[str, Any] | None) -> str:
    return "—" if d is None else _("by %(day)s", day=when(d.get("by") or d.get("on"))) + f": {told(d)}"


def _value(v: Any) -> str:
    if v is None or v == [] or v == {}:
        return "—"
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_value(x)}" for k, x in v.items())
    return when(v) if isinstance(v, str) and v[:4].isdigit() else str(v)


def _where(row: dict[str, Any]) -> str:
    either = row["before"] or row["after"]
    return article(either["instrument"], either["article"])


def render(r: dict[str, Any], day: Day) -> list[RenderableType]:
    out: list[RenderableType] = [Text(r["title"], style="bold"), Text(" ".join(r["why"].split()), style="italic"),
                                 as_of(day)]
    if not (r["findings"] or r["state"] or r["due"]):
        return [*out, _("Nothing changes: every finding, state line and thing due is as the record has it.")]
    if r["findings"]:
        out.append(table([[_where(f), _finding(f["before"]), _finding(f["after"])] for f in r["findings"]],
                         [_("finding"), _("the record"), _("the scenario")], wide=2))
    if r["state"]:
        out.append(table([[s["line"], _value(s["before"]), _value(s["after"])] for s in r["state"]],
                         [_("state"), _("the record"), _("the scenario")], wide=2))
    if r["due"]:
        out.append(table([[_where(d), _due(d["before"]), _due(d["after"])] for d in r["due"]],
                         [_("due"), _("the record"), _("the scenario")], wide=2))
    return [*out, judged_on(r["judged_on"])]


def what_if_command(ctx: Context, scenario: Path, at: str | None, as_json: bool) -> None:
    s = ctx.secretariat
    read = read_scenario(scenario, s.union, SETTINGS)
    events = ctx.events(at)
    day = ctx.day(at or read.at, events)
    result = what_if(s.union, s.treaties, ctx.viewer, events, read, day.day)
    emit(with_version(ctx, result, as_json), as_json, lambda r: render(r, day))
