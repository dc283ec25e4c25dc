"""The work of the ``why`` command (declared in ``commands``): a finding's trace, for people or as JSON."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from rich.console import RenderableType
from rich.text import Text

from entente.cli.app import Context
from entente.cli.group import NO, Failure
from entente.cli.render import as_of, emit, judged_on, prose, status, table, when
from entente.views.days import Day
from entente.views.traces import trace


def _settings(epoch: dict[str, Any]) -> str:
    values = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in epoch["settings"].items())
    since = f"from {when(epoch['since'])}" if epoch["since"] else "from the beginning"
    by = f"set by the entry {epoch['set_by']}" if epoch["set_by"] else "as the treaty's text has them"
    return f"{values or '(none)'} ({since}, {by})"


def render(t: dict[str, Any], day: Day) -> list[RenderableType]:
    f, a = t["finding"], t["article"]
    out: list[RenderableType] = [Text(f["id"], style="bold"), as_of(day)]
    head = status(f["status"])
    head.append(f": {prose(f['detail'])}")
    out.append(head)
    out.append(Text(f"Article {a['article']} of {a['instrument']}" + (f": {a['title']}" if a["title"] else "")
                    + (f" (text in {a['lang']})" if a["lang"] != t["lang"] else ""), style="bold"))
    out.append(Text(" ".join(a["text"].split()) or "(the treaty file gives no text)", style="italic"))
    rule = t["rule"]
    out.append(f"Rule {rule['id']} ({rule['kind']})" + (f", reading {rule['reading_name']}"
                                                         if rule["reading_name"] else "")
               + (f": {prose(rule['reading'])}" if rule["reading"] else ""))
    out.append(f"Settings in force on {when(t['day_judged'])}: {_settings(t['settings'])}")
    if len(t["history"]) > 1:
        out.append(table([[when(e["since"]) if e["since"] else "—", _settings(e)] for e in t["history"]],
                         ["from", "settings"], wide=1))
    out.append(table([[e["id"], when(e["date"]), prose(e["what"])] for e in t["counted"]]
                     or [["—", "", "no entry counted"]], ["counted", "date", "entry"], wide=2))
    if t["left_out"]:
        out.append(table([[e["id"], when(e["date"]), prose(e["why"] or "")] for e in t["left_out"]],
                         ["left out", "date", "why"], wide=2))
    if t["steps"]:
        out.append(table([[k.replace("_", " "), json.dumps(v, ensure_ascii=False)] for k, v in t["steps"].items()],
                         ["step", "result"]))
    return [*out, judged_on(t["judged_on"])]


def why_command(ctx: Context, finding: str, at: str | None, lang: str, as_json: bool) -> None:
    s = ctx.secretariat
    events = ctx.events()
    day = ctx.day(at, events)
    found = trace(s.union, s.treaties, events, day.day, finding, lang)
    if found is None:
        raise Failure(f"no finding {finding!r} on {day.day} as {ctx.viewer} sees it: `entente compliance --json` "
                      "gives each finding's id", NO)
    emit(msgspec.to_builtins(found), as_json, lambda t: render(t, day))
