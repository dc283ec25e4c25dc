"""The work of the ``why`` command (declared in ``commands``): a finding's trace, for people or as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
from rich.console import RenderableType
from rich.text import Text

from entente.cli.app import Context
from entente.cli.group import NO, Failure
from entente.cli.render import as_of, emit, from_day, judged_on, prose, status, table, told, when
from entente.cli.speech import _
from entente.cli.versions import with_version
from entente.languages.steps import REASON_LABELS, STEP_LABELS, VALUE_LABELS
from entente.views.days import Day
from entente.views.traces import trace

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _step(name: str) -> str:
    """A step's name in the command line's language (a name with no label, such as a party's code, as it is)."""
    return _(STEP_LABELS[name]) if name in STEP_LABELS else name


def _result(value: Any) -> str:
    """A step's result for a reader: days as words, codes and yes or no in the command line's language."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return _(VALUE_LABELS[value]) if value in VALUE_LABELS else when(value) if _DAY.fullmatch(value) else value
    if isinstance(value, dict):
        # A count's why is said from the sentence it holds as data (its "reason").
        return "; ".join(f"{_step(k)}: {told(value, 'why') if k == 'why' and value.get('reason') else _result(v)}"
                         for k, v in value.items() if k != "reason") or "—"
    if isinstance(value, list):
        return ", ".join(_result(v) for v in value) or "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _left_out(why: str) -> str:
    """Why an entry was left out, in the command line's language where it is one of the fixed sentences."""
    return _(REASON_LABELS[why]) if why in REASON_LABELS else prose(why)


def _settings(epoch: dict[str, Any]) -> str:
    values = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in epoch["settings"].items())
    since = from_day(epoch["since"]) if epoch["since"] else _("from the beginning")
    by = _("set by the entry %(entry)s", entry=epoch["set_by"]) if epoch["set_by"] else \
        _("as the treaty's text has them")
    return f"{values or _('(none)')} ({since}, {by})"


def render(t: dict[str, Any], day: Day) -> list[RenderableType]:
    f, a = t["finding"], t["article"]
    out: list[RenderableType] = [Text(f["id"], style="bold"), as_of(day)]
    head = status(f["status"])
    head.append(f": {told(f)}")
    out.append(head)
    ref = a["article"]
    cited = _("Article %(article)s of %(instrument)s", article=ref, instrument=a["instrument"]) if ref[:1].isdigit() \
        else _("%(article)s of %(instrument)s", article=ref, instrument=a["instrument"])
    out.append(Text(cited + (f": {a['title']}" if a["title"] else "")
                    + (" " + _("(text in %(lang)s)", lang=a["lang"]) if a["lang"] != t["lang"] else ""),
                    style="bold"))
    out.append(Text(" ".join(a["text"].split()) or _("(the treaty file gives no text)"), style="italic"))
    rule = t["rule"]
    out.append(_("Rule %(rule)s (%(kind)s)", rule=rule["id"], kind=rule["kind"])
               + (", " + _("reading %(name)s", name=rule["reading_name"]) if rule["reading_name"] else "")
               + (f": {prose(rule['reading'])}" if rule["reading"] else ""))
    out.append(_("Settings in force on %(day)s: %(settings)s", day=when(t["day_judged"]),
                 settings=_settings(t["settings"])))
    if len(t["history"]) > 1:
        out.append(table([[when(e["since"]) if e["since"] else "—", _settings(e)] for e in t["history"]],
                         [_("from"), _("settings")], wide=1))
    out.append(table([[e["id"], when(e["date"]), prose(e["what"])] for e in t["counted"]]
                     or [["—", "", _("no entry counted")]], [_("counted"), _("date"), _("entry")], wide=2))
    if t["left_out"]:
        out.append(table([[e["id"], when(e["date"]), _left_out(e["why"] or "")] for e in t["left_out"]],
                         [_("left out"), _("date"), _("why")], wide=2))
    if t["steps"]:
        out.append(table([[_step(k), _result(v)] for k, v in t["steps"].items()],
                         [_("step"), _("result")]))
    return [*out, judged_on(t["judged_on"])]


def why_command(ctx: Context, finding: str, at: str | None, lang: str, as_json: bool) -> None:
    s = ctx.secretariat
    events = ctx.events()
    day = ctx.day(at, events)
    found = trace(s.union, s.treaties, events, day.day, finding, lang)
    if found is None:
        raise Failure(f"no finding {finding!r} on {day.day} as {ctx.viewer} sees it: `entente compliance --json` "
                      "gives each finding's id", NO)
    emit(with_version(ctx, msgspec.to_builtins(found), as_json), as_json, lambda t: render(t, day))
