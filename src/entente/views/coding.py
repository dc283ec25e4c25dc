"""Alliance coding for researchers: the core variables of the ATOP data set, derived from treaty files and the record.

Nothing here is typed in: every value comes from a rule in a treaty file, a
field of ``union.yaml`` or an entry of the record, and ``derivation`` names
which.  Only alliances in ATOP's sense are coded: instruments carrying at least
one of its obligations (defence, offence, neutrality, non-aggression,
consultation).  An instrument that renews another (``renews`` on its signature)
is that alliance renewed, not an alliance of its own.  An instrument the events
passed in do not show signed (the viewer may not see it) is not coded.
See docs/alliance-coding.md for where this differs from ATOP's own coding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

from entente.replay.state import InstrumentState, in_order, latest_day, state
from entente.vocabulary import dates
from entente.vocabulary.events import Event, InstrumentSigned, InstrumentTerminated, english
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union

# Obligations ATOP codes that no rule kind can express: always 0, and the derivation says why.
_NO_KIND = {
    "offense": "no rule kind encodes a promise to join in attacking others (mutual_assistance knows only "
               "the triggers request and attack), so 0",
    "neutral": "no rule kind encodes a promise of neutrality, so 0",
    "nonagg": "no rule kind encodes the members' promise not to attack one another, so 0",
}


class Coding(msgspec.Struct, kw_only=True):
    instrument: str
    title: str
    members: list[int]  # Correlates of War state codes
    members_uncoded: list[str]  # party codes without a COW code in union.yaml
    begin: str  # signature day (the record's EDTF date where it gives no single day)
    end: str | None
    bilat: int
    defense: int
    offense: int
    neutral: int
    nonagg: int
    consul: int
    length: int | None  # months
    addmem: int
    renewed: list[str]  # the instruments that renewed it, as "instrument (day signed)"
    derivation: dict[str, str]


def _day(edtf: str) -> str:
    """A single day as YYYY-MM-DD; an imprecise date stays as the record writes it, rather than invent a day."""
    first, last = dates.bounds(edtf)
    return first if first == last else edtf


def _rules(treaty: Treaty, kind: str) -> list[tuple[Article, RuleSpec]]:
    return [(a, r) for a, r in treaty.rules() if r.kind == kind]


def _cite(treaty: Treaty, article: Article, rule: RuleSpec) -> str:
    return f"rule {rule.id} ({rule.kind}, article {article.article} of {treaty.instrument})"


def _members(union: Union, i: InstrumentState, signed_id: str) -> tuple[list[int], list[str], str]:
    coded, uncoded = [], []
    for code in i.signatories:  # signatories and every party that acceded
        party = union.party(code)
        if party is not None and party.cow is not None:
            coded.append(party.cow)
        else:
            uncoded.append(code)
    why = f"the signatories in record entry {signed_id} and any accessions, with their cow codes from union.yaml"
    return sorted(coded), sorted(uncoded), why


def _end(i: InstrumentState, events: Sequence[Event]) -> tuple[str | None, str]:
    """The earlier of the day the instrument ended and the day its first party withdrew."""
    exits = [e for e in in_order(events) if isinstance(e, InstrumentTerminated) and e.instrument == i.id]
    first = exits[0] if exits else None
    if first is None:
        return None, "the record holds no termination or withdrawal"
    whom = f"{first.party} {first.mode} it" if first.party else f"it {first.mode}"
    return _day(first.date), f"record entry {first.id} ({whom})"


def _flag(treaty: Treaty, kind: str, test: Callable[[dict[str, Any]], bool], what: str) -> tuple[int, str]:
    for article, rule in _rules(treaty, kind):
        if test(rule.settings):
            return 1, _cite(treaty, article, rule) + (f": {what}" if what else "")
    return 0, f"no {kind} rule" + (f" with {what}" if what else "")


def _nonagg(treaty: Treaty) -> tuple[int, str]:
    # ATOP's nonagg is the members' promise not to attack one another.  A conditional_commitment with category
    # non-aggression is about pacts with outsiders, so it is named but not counted.
    outside = [r.id for _, r in _rules(treaty, "conditional_commitment")
               if isinstance(f := r.settings.get("forbidden"), dict) and f.get("category") == "non-aggression"]
    note = f"; rule {', '.join(outside)} concerns non-aggression pacts with other states, not ATOP's nonagg" \
        if outside else ""
    return 0, _NO_KIND["nonagg"] + note


def code_instrument(union: Union, treaty: Treaty, i: InstrumentState, events: Sequence[Event],
                    signed_id: str) -> Coding:
    renewals = [e for e in in_order(events) if isinstance(e, InstrumentSigned) and e.renews == treaty.instrument]
    members, uncoded, members_why = _members(union, i, signed_id)
    end, end_why = _end(i, events)
    defense, defense_why = _flag(treaty, "mutual_assistance", lambda s: s.get("form") == "military"
                                 and s.get("trigger") == "attack", "form military, trigger attack")
    consul, consul_why = _flag(treaty, "consultation", lambda s: True, "")
    nonagg, nonagg_why = _nonagg(treaty)
    term = next(((a, r) for a, r in _rules(treaty, "duration") if isinstance(r.settings.get("months"), int)), None)
    count = len(members) + len(uncoded)
    return Coding(
        instrument=treaty.instrument, title=english(treaty.title, treaty.instrument),
        members=members, members_uncoded=uncoded, begin=_day(i.signed), end=end,
        bilat=int(count == 2), defense=defense, offense=0, neutral=0, nonagg=nonagg, consul=consul,
        length=term[1].settings["months"] if term else None,
        addmem=int(treaty.accession == "open"),
        renewed=[f"{e.instrument} ({_day(e.date)})" for e in renewals],
        derivation={
            "members": members_why + (f"; without a cow code: {', '.join(uncoded)}" if uncoded else ""),
            "begin": f"record entry {signed_id} (signature)",
            "end": end_why,
            "bilat": f"{count} members",
            "defense": defense_why,
            "offense": _NO_KIND["offense"],
            "neutral": _NO_KIND["neutral"],
            "nonagg": nonagg_why,
            "consul": consul_why,
            "length": f"{_cite(treaty, *term)}: months {term[1].settings['months']}, as stated in the treaty"
            if term else "no duration rule with months",
            "addmem": f"treaty file treaties/{Path(treaty.file).name if treaty.file else treaty.instrument}: "
                      f"accession {treaty.accession}",
            "renewed": "; ".join(f"record entry {e.id} (renews {treaty.instrument})" for e in renewals)
            or "no instrument in the record renews it",
        },
    )


def is_alliance(c: Coding) -> bool:
    """Whether a coding carries one of the obligations that make an alliance in ATOP's sense."""
    return any((c.defense, c.offense, c.neutral, c.nonagg, c.consul))


def coding(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event]) -> list[Coding]:
    """One coding per alliance whose signature is among ``events``; a renewal is coded with what it renews."""
    s = state(events, latest_day(events))  # the whole record, so every exit counts
    signatures = [e for e in s.events if isinstance(e, InstrumentSigned)]
    signed = {e.instrument: e.id for e in signatures}
    renewals = {e.instrument for e in signatures if e.renews in signed}
    coded = [t for t in treaties.values()
             if t.rules() and t.instrument in s.instruments and t.instrument not in renewals]
    coded.sort(key=lambda t: (dates.start(s.instruments[t.instrument].signed), t.instrument))
    codings = [code_instrument(union, t, s.instruments[t.instrument], s.events, signed[t.instrument]) for t in coded]
    return [c for c in codings if is_alliance(c)]
