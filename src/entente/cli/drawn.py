"""The answers of ``due`` and ``compliance`` drawn for people, from their rows as ``--json`` gives them: a kept
answer is drawn with Rich and the catalog alone, not the views or the rules that made it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from rich.console import RenderableType

from entente.cli import kept
from entente.cli.render import article, as_of, emit, in_date_order, in_english, judged_on, status, table, told, when
from entente.cli.speech import _


def findings(rows: list[dict[str, Any]]) -> list[RenderableType]:
    cells, group = [], None
    for f in rows:
        label = article(f["instrument"], f["article"])
        detail = told(f)
        # The subject (an entry's title, or the period) goes first unless the sentence already names it.
        about = told(f, "subject") if f.get("subject") else when(f.get("period") or "")
        if about not in detail and f.get("subject", "") not in f["detail"]:
            detail = f"{about}: {detail}"
        detail += f" ({_('reading')}: {f['reading_name']})" if f.get("reading_name") else ""
        cells.append(["" if label == group else label, status(f["status"]), detail])
        group = label
    return [table(cells, [_("instrument"), _("finding"), in_english(_("detail"), rows)], wide=2),
            judged_on(rows[0]["judged_on"])] if rows else [_("no findings")]


def due(rows: list[dict[str, Any]]) -> RenderableType:
    return table([[when(r.get("by") or r.get("on")),
                   article(r["instrument"], r["article"]),
                   told(r)] for r in in_date_order(rows)],
                 [_("by"), _("instrument"), in_english(_("what is due"), rows)], wide=2) if rows else _("nothing due")


def show_kept(found: kept.Answer, as_json: bool,
              render: Callable[[Any], RenderableType | list[RenderableType]]) -> None:
    """An answer: its JSON as kept, or drawn for people under the day it is for."""
    if as_json:
        click.echo(found.rows)
        return
    emit(found.data(), False, lambda rows: [as_of(found), *_listed(render(rows))])


def _listed(made: RenderableType | list[RenderableType]) -> list[RenderableType]:
    return made if isinstance(made, list) else [made]
