"""Views of a union for people and machines: plain data built from the events a viewer may see.

Each view is a pure function of (union, events, date); the CLI and the HTTP
API only format what these return.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import msgspec

from entente.replay.dated import DatedState, bindings, state_at
from entente.replay.model import InstrumentState, UnionState
from entente.replay.revisions import Version
from entente.replay.state import in_order
from entente.rules import compliance as evaluate
from entente.rules import dated, judge, presidencies, reading_names
from entente.rules import due as due_items
from entente.views.instruments import treaties as treaties  # the instruments' view, with the others
from entente.views.sources import cite, provenance
from entente.vocabulary import dates
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    BodyEstablished,
    ConferenceConvened,
    ConferenceHeld,
    DecisionTaken,
    DutyDone,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    IntentDeclared,
    ObjectionRaised,
    OutsideEvent,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
    english,
    kind_of,
)
from entente.vocabulary.said import Said, Term, Value, day, listed, said, say, word
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union

# What a view is computed from: the events a viewer sees, or them folded already (a service holds that).
Record = DatedState | Sequence[Event]


def _names(union: Union, codes: Sequence[str]) -> str:
    return say(_parties(union, codes))


def _parties(union: Union, codes: Sequence[str]) -> Value:
    """Parties by their names, in each language the union names them in: "Aland, Bland and Cland"."""
    names: list[Value] = [Term(text=english(p.names, code), forms=dict(p.names)) if (p := union.party(code)) else code
                          for code in codes]
    return names[0] if len(names) == 1 else listed(names) if names else "—"


# The title, in each language, of each proposal, question, request and conference, by kind and id
# ("proposal:strike-point-3-1939"): what a sentence names an entry by, never its id where it has a title.
Named = Mapping[str, Mapping[str, str]]


def entry_titles(events: Iterable[Event]) -> dict[str, dict[str, str]]:
    """The ``Named`` titles of what ``events`` raise or hold."""
    out: dict[str, dict[str, str]] = {}
    for e in events:
        key = f"proposal:{e.proposal}" if isinstance(e, ProposalMade) else \
            f"question:{e.question}" if isinstance(e, QuestionRaised) else \
            f"request:{e.request}" if isinstance(e, AssistanceRequested) else \
            f"conference:{e.id}" if isinstance(e, ConferenceHeld) else None
        if key is not None and (title := getattr(e, "title", None)):
            out[key] = dict(title)
    return out


class HeldTitles(Mapping[str, Mapping[str, str]]):
    """The ``Named`` titles read off the dated state as they are asked for, so a page of a long record names what
    it refers to without a pass over every entry."""

    def __init__(self, record: DatedState) -> None:
        self._record = record
        self._conferences: dict[str, ConferenceHeld] | None = None

    def __getitem__(self, key: str) -> Mapping[str, str]:
        kind, _, name = key.partition(":")
        if kind == "conference":
            if self._conferences is None:
                self._conferences = {c.id: c for c in self._record.conferences}
            found: Event | None = self._conferences.get(name)
        else:
            table = {"proposal": self._record.proposals, "question": self._record.questions,
                     "request": self._record.requests}.get(kind, {})
            found = asked.raised if (asked := table.get(name)) is not None else None
        title = getattr(found, "title", None)
        if not title:
            raise KeyError(key)
        return dict(title)

    def __iter__(self) -> Iterator[str]:
        return iter(())  # looked up, never listed

    def __len__(self) -> int:
        return 0


def describe(event: Event, union: Union, titles: dict[str, str], forms: dict[str, dict[str, str]] | None = None,
             named: Named | None = None) -> str:
    """One English sentence saying what happened."""
    return say(described(event, union, titles, forms, named))


def described(event: Event, union: Union, titles: dict[str, str], forms: dict[str, dict[str, str]] | None = None,
              named: Named | None = None) -> Said:
    """What happened, as a sentence with its values (``forms``: each instrument's title in each language the record
    gives it in; ``named``: each proposal's, question's, request's and conference's), for a view to say in its
    reader's language."""
    def name(code: str | None) -> Value:
        return _parties(union, [code]) if code else "—"

    def entry(kind: str, id_: str) -> Term | None:
        """The title of the proposal (question, request, conference) ``id_``, where the record gives one."""
        title = named.get(f"{kind}:{id_}") if named is not None else None
        return Term(text=english(dict(title), id_), forms=dict(title)) if title else None

    def title(instrument: str | None) -> Value:
        return Term(text=titles.get(instrument or "", instrument or "—"), forms=(forms or {}).get(instrument or "", {}))

    def own(text: Mapping[str, str] | None, fallback: str = "") -> Term:
        return Term(text=english(dict(text or {}), fallback), forms=dict(text or {}))

    match event:
        case ConferenceHeld():
            where = english(event.place)
            place = Term(text=where, forms=dict(event.place))
            who: Value = _parties(union, [p.party for p in event.participants])
            if event.title:
                what: Value = own(event.title)
                if event.number and f"no. {event.number}" not in english(event.title):
                    what = said("Conference no. %(number)s: %(title)s", number=event.number, title=own(event.title))
            else:
                what = said("Conference no. %(number)s", number=event.number) if event.number else \
                    said("Conference")
            if where and where not in english(event.title):
                what = said("%(what)s in %(place)s", what=what, place=place)
            if event.participants and not event.title:
                what = said("%(what)s (%(who)s)", what=what, who=who)
            return what if isinstance(what, Said) else said("%(what)s", what=what)
        case ConferenceConvened():
            head: Value = own(event.title) if event.title else said("Conference no. %(number)s", number=event.number) \
                if event.number else said("A conference")
            text = said("%(what)s convened for %(day)s", what=head, day=day(event.planned))
            if event.place:
                text = said("%(words)s in %(place)s", words=text, place=Term(text=english(event.place),
                                                                            forms=dict(event.place)))
            if event.host:
                text = said("%(words)s, hosted by %(host)s", words=text, host=name(event.host))
            return text
        case InstrumentSigned():
            return said("%(title)s signed by %(parties)s", title=own(event.title),
                        parties=_parties(union, event.parties))
        case InstrumentRatified():
            return said("%(party)s ratifies %(title)s", party=name(event.party), title=title(event.instrument))
        case InstrumentAcceded():
            return said("%(party)s accedes to %(title)s", party=name(event.party), title=title(event.instrument))
        case InstrumentEnteredIntoForce():
            return said("%(title)s enters into force", title=title(event.instrument))
        case InstrumentTerminated():
            if event.party:
                if event.mode == "by_decision":
                    return said("%(party)s ended by decision of the parties %(title)s", party=name(event.party),
                                title=title(event.instrument))
                return said("%(party)s %(mode)s %(title)s", party=name(event.party), mode=word(event.mode),
                            title=title(event.instrument))
            if event.mode == "by_decision":
                return said("%(title)s ended by decision of the parties", title=title(event.instrument))
            return said("%(title)s %(mode)s", title=title(event.instrument), mode=word(event.mode))
        case IntentDeclared():
            if event.intent == "accede" and event.instrument:
                return said("%(party)s declares its readiness to accede to %(title)s", party=name(event.party),
                            title=title(event.instrument))
            return said("%(party)s declares its readiness to %(what)s", party=name(event.party),
                        what=own(event.text, event.intent))
        case BodyEstablished():
            return said("%(title)s established", title=own(event.title))
        case QuestionRaised():
            return said("Question raised: %(title)s", title=own(event.title))
        case PositionStated():
            return said("%(party)s states its position (%(stance)s) on %(question)s: %(words)s",
                        party=name(event.party), stance=word(event.stance),
                        question=entry("question", event.question) or event.question, words=own(event.text))
        case AssistanceRequested():
            return said("%(party)s asks %(addressees)s for assistance: %(title)s", party=name(event.requester),
                        addressees=_parties(union, event.addressees), title=own(event.title, event.subject))
        case AssistanceResponded():
            asked = entry("request", event.request)
            if event.response == "given":
                return said("%(party)s gives assistance: %(request)s", party=name(event.party), request=asked) \
                    if asked else said("%(party)s gives assistance (%(request)s)", party=name(event.party),
                                       request=event.request)
            return said("%(party)s refuses assistance: %(request)s", party=name(event.party), request=asked) \
                if asked else said("%(party)s refuses assistance (%(request)s)", party=name(event.party),
                                   request=event.request)
        case ProposalMade():
            return said("%(party)s proposes: %(title)s", party=name(event.proposer),
                        title=own(event.title, event.motion))
        case ProposalDecided():
            if (proposal := entry("proposal", event.proposal)) is not None:
                return said("%(proposal)s: %(outcome)s", proposal=proposal, outcome=word(event.outcome))
            return said("Proposal %(proposal)s %(outcome)s", proposal=event.proposal, outcome=word(event.outcome))
        case ObjectionRaised():
            if (proposal := entry("proposal", event.proposal)) is not None:
                return said("%(party)s objects to the proposal: %(proposal)s", party=name(event.party),
                            proposal=proposal)
            return said("%(party)s objects to proposal %(proposal)s", party=name(event.party), proposal=event.proposal)
        case DutyDone():
            if english(event.text):
                return said("%(words)s", words=own(event.text))
            return said("%(party)s does its duty (%(duty)s) under %(title)s", party=name(event.party),
                        duty=event.duty, title=title(event.instrument))
        case RuleChanged():
            if english(event.title):
                return said("%(words)s", words=own(event.title))
            return said("Rule %(rule)s of %(title)s changed", rule=event.rule, title=title(event.instrument))
        case DecisionTaken():
            if event.conference:
                return said("Agreed at %(conference)s: %(title)s", title=own(event.title),
                            conference=entry("conference", event.conference) or event.conference)
            return said("Agreed: %(title)s", title=own(event.title))
        case OutsideEvent():
            return said("%(words)s", words=own(event.title))
    return said("%(words)s", words=kind_of(event))


def tag_line(event: Event) -> bytes:
    """What an entry adds to its viewer's tag: its id and when it was recorded."""
    return tag_lines([event])


def tag_lines(events: Iterable[Event]) -> bytes:
    """The ``tag_line`` of each of ``events``, one after the other (made in one pass, for a whole view)."""
    return "".join([f"{e.id}@{e.recorded}\n" for e in events]).encode()


def tag_of(digest: Any) -> str:
    """The tag a running digest of ``tag_line``s stands for."""
    return str(digest.hexdigest()[:24])


def view_tag(events: Sequence[Event]) -> str:
    """A tag of exactly the events a viewer sees: it changes when, and only when, that view changes.

    It stands in for the record's position, which would count entries the viewer may not see.
    """
    return tag_of(hashlib.sha256(tag_lines(events)))


def instrument_titles(events: Sequence[Event]) -> dict[str, str]:
    return {e.instrument: english(e.title, e.instrument) for e in events if isinstance(e, InstrumentSigned)}


def _source(union: Union, event: Event) -> dict[str, Any] | None:
    return cite(union, event.source) if event.source else None


def held_titles(record: DatedState) -> dict[str, str]:
    """The title of each instrument signed, read off the dated state."""
    return {k: english(h.states[0].title, k) for k, h in record.instruments.items() if h.states}


def title_forms(events: Sequence[Event]) -> dict[str, dict[str, str]]:
    """Each instrument's title in every language the record gives it in."""
    return {e.instrument: dict(e.title) for e in events if isinstance(e, InstrumentSigned)}


def held_title_forms(record: DatedState) -> dict[str, dict[str, str]]:
    """Each instrument's title in every language, read off the dated state."""
    return {k: dict(h.states[0].title) for k, h in record.instruments.items() if h.states}


def timeline(union: Union, events: Sequence[Event], titles: dict[str, str] | None = None,
             forms: dict[str, dict[str, str]] | None = None, named: Named | None = None) -> list[dict[str, Any]]:
    """Every event in date order, with its source (``titles``, ``forms``: of every instrument in English and in
    each language, ``named``: of what the entries refer to, where ``events`` is a part)."""
    titles = instrument_titles(events) if titles is None else titles
    forms = title_forms(events) if forms is None else forms
    named = entry_titles(events) if named is None else named
    rows = []
    for e in in_order(events):
        start, end = dates.bounds(e.date)
        rows.append({
            "id": e.id, "kind": kind_of(e), "date": e.date, "start": start, "end": end, "recorded": e.recorded,
            "actor": e.actor, **summarised(e, union, titles, forms, named), "titles": getattr(e, "title", None) or None,
            "classification": _classification(e), **provenance(union, e), "note": e.note,
        })
    return rows


def summarised(e: Event, union: Union, titles: dict[str, str], forms: dict[str, dict[str, str]] | None = None,
               named: Named | None = None) -> dict[str, Any]:
    """What happened, in English words and as data for a view to say in its reader's language."""
    told = described(e, union, titles, forms, named)
    return {"summary": say(told), "said": msgspec.to_builtins(told)}


def history(union: Union, versions: Sequence[Version], named: Named | None = None) -> list[dict[str, Any]]:
    """The versions of one entry, oldest first: each as it then read, and the correction or retraction that made it
    (``named``: the titles of what it refers to, as the viewer sees them; else as the versions give them)."""
    entries = [v.entry for v in versions if v.entry is not None]
    named = entry_titles(entries) if named is None else named
    titles, forms = instrument_titles(entries), title_forms(entries)
    rows = []
    for n, v in enumerate(versions, start=1):
        entry, act = v.entry, v.act
        told = described(entry, union, titles, forms, named) if entry is not None else None
        rows.append({
            "version": n, "recorded": v.recorded,
            "change": "original" if act is None else "retracted" if entry is None else "corrected",
            # What the version says happened, in English and as data for a view to say in its reader's language.
            "summary": say(told) if told is not None else None,
            "said": msgspec.to_builtins(told) if told is not None else None,
            "entry": msgspec.to_builtins(entry) if entry is not None else None,
            "act": None if act is None else {"id": act.id, "reason": getattr(act, "reason", None),
                                             "source": _source(union, act)},
        })
    return rows


def _classification(e: Event) -> Any:
    c = e.classification
    if c == "public":
        return "public"
    return {k: v for k, v in (("instrument", c.instrument), ("parties", list(c.parties))) if v}


def conferences(union: Union, events: Sequence[Event]) -> list[dict[str, Any]]:
    rows = []
    for e in in_order(events):
        if not isinstance(e, ConferenceHeld):
            continue
        start, end = dates.bounds(e.date)
        rows.append({
            "id": e.id, "number": e.number, "instrument": e.instrument, "extraordinary": e.extraordinary,
            "host": e.host, "place": english(e.place) or None, "places": e.place or None, "date": e.date,
            "start": start, "end": end,
            "title": english(e.title) or None,
            "participants": [{"party": p.party, "role": p.role, "person": p.person} for p in e.participants],
            "outcome": english(e.outcome) or None, "classification": _classification(e), **provenance(union, e),
        })
    return rows


def conferences_by_instrument(rows: Sequence[dict[str, Any]]) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """The conference rows of ``conferences`` grouped by the instrument they meet under, in the order of each
    group's first; the conferences under no instrument (such as those before any treaty) as one group, ``None``."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["instrument"], []).append(row)
    return list(groups.items())


def union_state(union: Union, events: Record, at: str, treaty_files: dict[str, Treaty] | None = None
                ) -> dict[str, Any]:
    """The instruments on a day, who is bound by each, and (given the treaties) who held each presidency when."""
    record = dated(events)
    s = state_at(record, at)
    return {
        "union": union.id,
        "at": at,
        "instruments": [
            {
                "id": i.id, "title": english(i.title, i.id), "form": i.form, "status": i.status,
                "parties": sorted(i.parties), "signatories": sorted(i.signatories), "signed": i.signed,
                "in_force": i.in_force, "ended": i.ended, "withdrawn": sorted(i.withdrawn),
                "on_notice": dict(sorted(i.on_notice.items())), "suspended": dict(sorted(i.suspended.items())),
                "since": {p: since for p in sorted(i.parties) if (since := bound_since(record, i.id, p, at))},
            }
            for i in s.instruments.values()
        ],
        # The union's conferences are those its instruments call; meetings before any (the 1919-1920 regional
        # conferences of the reference union) are counted apart, not as the treaty's.
        "conferences_held": sum(1 for c in s.conferences if c.instrument),
        "other_conferences": sum(1 for c in s.conferences if not c.instrument),
        "last_conference": s.conferences[-1].id if s.conferences else None,
        "events_counted": len(s.events),
        "presidency": [msgspec.to_builtins(o) for o in presidencies(union, treaty_files or {}, record, at)],
        "standing": standing(union, s),
    }


def bound_since(record: DatedState, instrument: str, party: str, at: str) -> str | None:
    """The day from which ``instrument`` has bound ``party`` without a break, as of ``at``."""
    spans = bindings(record, instrument).get(party, [])
    return next((since for since, until in reversed(spans) if since <= at and (until is None or at < until)), None)


def _since(record: DatedState, i: InstrumentState, party: str, at: str) -> str | None:
    """The day ``party`` is bound from: the entry into force as the record writes it, or its own later day."""
    since = bound_since(record, i.id, party, at)
    return i.in_force if since is None or (i.in_force and since == dates.start(i.in_force)) else since


def standing(union: Union, s: UnionState) -> dict[str, Any]:
    """Who is a member (bound by an instrument in force), an observer, suspended, on notice, on the day."""
    members = sorted({p for i in s.instruments.values() if i.status == "in_force" for p in i.parties})
    return {
        "members": members,
        "observers": sorted(union.with_role("observer", s.at)),
        # Every other role the union declares (a permanent participant, an associate), with who holds it that day.
        "roles": {name: sorted(union.with_role(name, s.at)) for name in union.roles},
        "suspended": sorted({p for i in s.instruments.values() for p in i.suspended if p in i.parties}),
        "on_notice": sorted({p for i in s.instruments.values() for p in i.on_notice}),
        "signatories_not_bound": sorted({p for i in s.instruments.values() for p in i.signatories
                                         if p not in i.parties and p not in i.withdrawn} - set(members)),
    }


# What every verdict rests on, in the same words for every viewer: the secretariat's record is whole, a
# party's or the public's may not be, and saying so differently to each would tell that something is hidden.
JUDGED_ON = "judged on the entries of the record the asking viewer may see; entries it may not see are not counted"


def verdict(finding: Any) -> dict[str, Any]:
    return {**msgspec.to_builtins(finding), "judged_on": JUDGED_ON}


def compliance(union: Union, treaties: dict[str, Treaty], events: Record, at: str,
               reading: str | None = None) -> list[dict[str, Any]]:
    """Every rule's findings; under one reading of each contested article, or every reading where they differ.

    The readings known are those of the instruments the viewer knows of, so a secret one's are not named.
    """
    check_reading(treaties, events, reading)
    return [verdict(f) for f in evaluate(union, treaties, events, at, reading)]


def check_reading(treaties: Mapping[str, Treaty], events: Record, reading: str | None) -> None:
    """Refuse a reading no rule of the instruments the viewer knows of has (``UnknownReading``)."""
    entries = events.events if isinstance(events, DatedState) else events
    signed = {e.instrument for e in entries if isinstance(e, InstrumentSigned)}
    if reading is not None and reading not in (known := reading_names(treaties, signed)):
        raise UnknownReading(said("no rule has a reading named '%(reading)s'; the readings are: %(names)s",
                                  reading=reading, names=", ".join(known) or "—"))


class UnknownReading(ValueError):
    """A reading asked for that no rule of the union's treaties has; ``told``, why, to be said in any language."""

    def __init__(self, told: Said) -> None:
        super().__init__(say(told))
        self.told = told


def due(union: Union, treaties: dict[str, Treaty], events: Record, at: str) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(d) for d in due_items(union, treaties, events, at)]


def party(union: Union, treaty_files: dict[str, Treaty], events: Record, code: str, at: str
          ) -> dict[str, Any] | None:
    """One party on one day: what binds it, what is due from it, its own breaches.

    Computed from the events the asking viewer may see, like every view; None for a party the union
    does not know.
    """
    known = union.party(code)
    if known is None:
        return None
    record = dated(events)
    s = state_at(record, at)
    binding = [i for i in s.instruments.values() if code in i.parties]
    bound_ids = {i.id for i in binding}
    findings, items = judge(union, treaty_files, record, at)
    return {
        "party": code, "name": english(known.names, code), "at": at,
        # Its role on the day: before the day it took it up (an observer's admission) it held none in the union.
        "role": known.role if known.holds_role(at) else None, "role_since": known.since,
        "bound_by": [{"id": i.id, "title": english(i.title, i.id),
                      "since": _since(record, i, code, at),
                      "suspended": i.suspended.get(code, []), "on_notice_until": i.on_notice.get(code)}
                     for i in binding],
        "signed_not_bound": [{"id": i.id, "title": english(i.title, i.id), "status": i.status}
                             for i in s.instruments.values() if code in i.signatories and i.id not in bound_ids],
        # Due from it: items naming it, and those of an instrument binding it that name no one in particular.
        "due": [msgspec.to_builtins(d) for d in items if code in d.parties or d.host == code
                or (not d.parties and not d.host and d.instrument in bound_ids)],
        "presidency": [msgspec.to_builtins(o) for o in presidencies(union, treaty_files, record, at)
                       if o.holder == code],
        # A breach that names its parties is theirs alone; one that names none is of everyone it binds.
        "breaches": [verdict(f) for f in findings if f.status == "breach" and (
            code in f.parties if f.parties else (f.instrument in bound_ids or code in f.detail.split()))],
    }
