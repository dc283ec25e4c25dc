"""The union's story, as a first page tells it: what it was, its members, its instruments on a time line, its
conferences, what its treaties demanded and where that was not met, and the works its record rests on.

Built from the record a viewer sees and the union's files alone, so every union folder gets the same story;
a pure function of (union, treaties, events, day), as every view is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from entente.replay.dated import bindings, state_at
from entente.rules import dated
from entente.views import reports, sources
from entente.vocabulary import dates
from entente.vocabulary.events import Event, english
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


def _span(events: Sequence[Event]) -> tuple[str, str] | None:
    """The first and last day the record speaks of."""
    days = [d for e in events for d in dates.bounds(e.date)]
    return (min(days), max(days)) if days else None


def _said(day: str, events: Sequence[Event]) -> str:
    """``day`` (the record's first or last) as precisely as the record knows it: the day itself where an entry is
    dated that day, else its year, so a record that begins with a year does not seem to begin on its first day."""
    return day if any(e.date == day for e in events) else day[:4]


def story(union: Union, treaties: Mapping[str, Treaty], seen: reports.Record, at: str,
          findings: Sequence[dict[str, Any]] | None = None, conferences: list[dict[str, Any]] | None = None,
          works: dict[str, Any] | None = None) -> dict[str, Any]:
    """The story of the union as of ``at`` (normally the record's last day), from the events a viewer sees (or
    their fold); ``findings``, ``conferences`` and ``works`` (``sources_of``): those of the same events where the
    caller has them already."""
    record = dated(seen)
    events = record.events
    state = state_at(record, at)
    span = _span(events) or (at, at)
    instruments: list[dict[str, Any]] = [
                   {"id": i.id, "title": english(i.title, i.id), "titles": i.title, "form": i.form,
                    "status": i.status, "signed": i.signed, "in_force": i.in_force, "ended": i.ended,
                    "parties": sorted(set(i.parties) | set(i.withdrawn) | set(i.signatories)),
                    "start": dates.start(i.signed), "end": dates.end(i.ended) if i.ended else None}
                   for i in state.instruments.values()]
    if findings is None:
        findings = reports.compliance(union, dict(treaties), record, at)
    return {
        "first": span[0], "last": span[1], "at": at, "entries": len(events),
        "first_said": _said(span[0], events), "last_said": _said(span[1], events),
        "members": _members(union, record, {i["id"]: i["in_force"] for i in instruments}),
        "others": [{"code": p.code, "role": p.role, "names": p.names} for p in union.parties if p.role != "member"],
        "instruments": sorted(instruments, key=lambda i: (i["start"], i["id"])),
        "conferences": reports.conferences(union, events) if conferences is None else conferences,
        "demands": _demands(treaties, findings, {i["id"] for i in instruments}),
        "sources": sources_of(union, events) if works is None else works,
    }


def _members(union: Union, record: Any, instruments: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """Each member state with the instruments that bound it, from when to when.  ``instruments`` gives each
    instrument's entry into force as the record dates it: a party bound from then is bound "from 1935", as the
    record says, not from the first day that date can mean."""
    out = []
    for party in union.parties:
        if party.role != "member":
            continue
        bound = sorted(((since, i, until) for i, in_force in instruments.items()
                        for since, until in bindings(record, i).get(party.code, [])))
        out.append({"code": party.code, "names": party.names,
                    "bound": [{"instrument": i, "since": _as_recorded(since, instruments[i]), "until": until}
                              for since, i, until in bound]})
    return out


def _as_recorded(day: str, in_force: str | None) -> str:
    """The day a binding began, as the record dates it where that is the instrument's entry into force."""
    try:
        return in_force if in_force and dates.start(in_force) == day else day
    except dates.DateError:
        return day


def _demands(treaties: Mapping[str, Treaty], findings: Sequence[dict[str, Any]], known: set[str]
             ) -> list[dict[str, Any]]:
    """Each article with rules of each instrument the viewer knows of: its text, and each rule executing it with
    its verdicts counted and its breaches (where the treaty was not met) listed."""
    out = []
    for treaty in treaties.values():
        if treaty.instrument not in known:
            continue
        for article in treaty.articles:
            if not article.rules:
                continue
            rules = []
            for rule in article.rules:
                own = [f for f in findings if f["instrument"] == treaty.instrument and f["rule_id"] == rule.id]
                rules.append({"rule": rule.id, "kind": rule.kind, "verdicts": dict(Counter(f["status"] for f in own)),
                              "breaches": [f for f in own if f["status"] == "breach"]})
            out.append({"instrument": treaty.instrument, "article": article.article, "title": article.title,
                        "text": article.text, "rules": rules,
                        "breaches": sum(len(r["breaches"]) for r in rules)})
    return out


def sources_of(union: Union, events: Sequence[Event]) -> dict[str, Any]:
    """The works the record rests on: how many entries rest on each kind of source, and each work.  Only where
    each entry comes from is counted, so no entry's summary is written (the story lists none)."""
    rows = [{"id": e.id, "date": e.date, "summary": "", **sources.provenance(union, e)} for e in events]
    return {"kinds": dict(Counter(r["source_kind"] for r in rows)),
            "works": [{"document": w["document"], "reference": w["reference"], "kind": w["kind"],
                       "entries": len(w["entries"])} for w in sources.bibliography(union, rows)]}


def sources_with(union: Union, earlier: Mapping[str, Any], added: Sequence[Event]) -> dict[str, Any]:
    """``sources_of`` the events ``earlier`` was made of and ``added`` after them: each entry counts alone (its
    kind of source once, each work once for each way it rests on it), so the counts add up."""
    more = sources_of(union, added)
    counts = {w["document"]: w["entries"] for w in more["works"]}
    return {"kinds": dict(Counter(earlier["kinds"]) + Counter(more["kinds"])),
            "works": [{**w, "entries": w["entries"] + counts.get(w["document"], 0)} for w in earlier["works"]]}
