"""Output for people: Rich tables that fit the terminal and wrap long cells, dates in words, colour only on a terminal.

Rich leaves colour out when standard output is not a terminal and when NO_COLOR is
set; its width is the terminal's (or COLUMNS, or 80 when piped).  ``--json`` output
does not come through here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from entente.cli import speech
from entente.cli.plain import PlainTable
from entente.cli.speech import _
from entente.languages.catalog import N_
from entente.languages.known import DEFAULT
from entente.languages.told import in_language
from entente.languages.told import told as told_in
from entente.vocabulary.events import english
from entente.vocabulary.wording import dates_in, day_words, words


class Dated(Protocol):
    """What a view is for, as ``views.days.Day`` or a kept answer gives it: the day, why that day, and the
    month or year asked for whose last day it is."""

    @property
    def day(self) -> str: ...

    @property
    def why(self) -> str: ...

    @property
    def said(self) -> str: ...

# Each status in words, marked for the catalog (the web pages' labels say them in the same words).
STATUS_WORDS = {"in_force": N_("in force"), "never_in_force": N_("never in force"),
                "not_applicable": N_("not applicable"), "met": N_("met"), "breach": N_("breach"),
                "pending": N_("pending"), "terminated": N_("terminated"), "signed": N_("signed")}
STATUS_STYLES = {"breach": "bold red", "met": "green", "pending": "yellow", "in_force": "green",
                 "terminated": "dim", "never_in_force": "dim"}


LARGE = 300  # rows of a table above which it is drawn as plain lines


def console() -> Console:
    # Made for each output, so it writes to the standard output of the moment (which tests replace).
    plain = bool(os.environ.get("NO_COLOR"))  # no-color.org: no colour, and Rich's bold and dim go with it
    return Console(highlight=False, emoji=False, markup=False, color_system=None if plain else "auto")


def show(*renderables: RenderableType | str) -> None:
    out = console()
    for r in renderables:
        out.print(r)


def emit(data: Any, as_json: bool, render: Callable[[Any], RenderableType | Sequence[RenderableType]]) -> None:
    """JSON for machines (unchanged by any of this), or what ``render`` makes of the data for people."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    made = render(data)
    show(*(made if isinstance(made, list | tuple) else [made]))


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str], *, wide: int | None = None,
          header: bool = True) -> Table | PlainTable:
    """A table as wide as its content, at most the terminal's; cells wrap, the ``wide`` column taking the rest.
    Over ``LARGE`` rows, drawn as plain lines (``plain``), which takes a fraction of Rich's time."""
    if len(rows) > LARGE:
        return PlainTable(rows, headers, wide, header)
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, show_header=header)
    for i, name in enumerate(headers):
        t.add_column(name, overflow="fold", ratio=1 if i == wide else None)
    for row in rows:
        t.add_row(*[cell if isinstance(cell, Text) else Text("" if cell is None else str(cell)) for cell in row])
    return t


def status(value: str) -> Text:
    return Text(_(STATUS_WORDS[value]) if value in STATUS_WORDS else value, style=STATUS_STYLES.get(value, ""))


def when(edtf: str | None) -> str:
    """A date for a reader: words in the command line's language, never the EDTF code; a dash where there is none."""
    return words(edtf, speech.lang()) if edtf else "—"


def since(edtf: str) -> str:
    """"since 13 November 1934", "kopš 1934. gada 13. novembra": the day in the case its preposition governs."""
    return _("since %(day)s", day=words(f"{edtf}/..", speech.lang()).split(" ", 1)[1])


# The kind of source each entry is marked with, in words (``views.sources.SOURCE_KINDS``).
SOURCE_WORDS = {"seed": N_("from the seed"), "treaty-text": N_("from a treaty text"),
                "primary-document": N_("from a primary document"), "general-history": N_("from general history"),
                "compilation": N_("from the union's notes on other works"),
                "allegation": N_("from an allegation, not a fact"), "none": N_("from no source")}


def source_kind(kind: str) -> str:
    """The kind of a work or an entry's source, in words: "from general history"."""
    return _(SOURCE_WORDS[kind]) if kind in SOURCE_WORDS else kind


def origin(row: dict[str, Any]) -> str:
    """Where an entry comes from, in one line: the kind of its source and of each work it cites, and whether
    the record infers it: "from the seed; also general history (p. 5); inferred by the record"."""
    parts = [source_kind(row["source_kind"])]
    # The works of one kind together: "also from general history (shirer-1960; enciclopedia-italiana-memel)".
    by_kind: dict[str, list[str]] = {}
    for c in row.get("cites", []):
        by_kind.setdefault(c["kind"] or "none", []).append(f"{c['document']}, {c['pages']}" if c["pages"]
                                                           else c["document"])
    for kind, works in by_kind.items():
        parts.append(_("also %(kind)s (%(document)s)", kind=source_kind(kind), document="; ".join(works)))
    if row.get("inferred"):
        parts.append(_("inferred by the record, not stated by a source"))
    return "; ".join(parts)


def named(text: dict[str, str] | None, fallback: str = "") -> str:
    """A name or title the record holds in several languages: in the command line's, else in English."""
    return (text or {}).get(speech.lang()) or english(text or {}, fallback)


def from_day(edtf: str) -> str:
    """"from 13 November 1934", "no 1934. gada 13. novembra": the day in the case its preposition governs."""
    return words(f"{edtf}/..", speech.lang())


def until(edtf: str) -> str:
    """"until 1 July 1940", "līdz 1940. gada 1. jūlijam": the day in the case its preposition governs."""
    return _("until %(day)s", day=words(f"../{edtf}", speech.lang()).split(" ", 1)[1])


def article(instrument: str, name: str) -> str:
    """An instrument's article: "treaty-2001, art. 2" ("2. pants"); one without a number by its name alone."""
    if name[:1].isdigit():
        return _("%(instrument)s, art. %(article)s", instrument=instrument, article=name)
    return _("%(instrument)s, %(article)s", instrument=instrument, article=name)


def in_english(heading: str, rows: Sequence[Mapping[str, Any]] | None = None) -> str:
    """A column of the rules' words: its heading says it is in English where any of ``rows`` is said only in
    English (all of them where no rows are given)."""
    lang = speech.lang()
    if lang == DEFAULT or (rows is not None and all(in_language(r, lang) for r in rows)):
        return heading
    return _("%(heading)s (in English)", heading=heading)


def prose(text: str) -> str:
    """Running text for a reader: the EDTF dates in it written as words (the record's words are as written)."""
    return dates_in(text)


def told(row: Mapping[str, Any], field: str = "detail") -> str:
    """A rule's sentence (a finding's or a due item's detail or subject) in the command line's language where
    the rule gave it as data, else in its English words, the dates in words."""
    return told_in(row, speech.catalog(), speech.lang(), field)


# Why a view is for the day it is for, as ``views.days`` says it, marked for the catalog.
_WHY = {"today; the union is in force": N_("today; the union is in force"),
        "the last day of the record; the union has ended": N_("the last day of the record; the union has ended")}


def as_of(day: Dated) -> Text:
    """The line that says which day a view is for, and why that day when it was not asked for as such."""
    why = (_("the last day of %(span)s", span=words(day.said, speech.lang())) if day.said
           else _(_WHY[day.why]) if day.why in _WHY else day.why)
    return Text(_("as of %(day)s", day=day_words(day.day, speech.lang())) + (f" ({why})" if why else ""),
                style="dim")


def judged_on(text: str) -> Text:
    """The note saying what a verdict was judged on (the viewer's entries only), as a sentence."""
    from entente.views.reports import JUDGED_ON  # imported by what made the verdict, not by drawing a kept one

    return Text(_("Judged on the entries of the record the asking viewer may see; entries it may not see are not "
                  "counted.") if text == JUDGED_ON else f"{text[:1].upper()}{text[1:]}.", style="dim")


def in_date_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items due, soonest first; those without a day last."""
    return sorted(rows, key=lambda r: (r.get("by") or r.get("on") or "9999-99-99", r.get("earliest") or ""))
