"""Clearance: the one place that decides which events a viewer may see.

Every view (state, findings, timeline, counts, exports) is computed from the
events this module lets through, never filtered afterwards, so nothing
derived from a record can show it to someone not cleared for it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import compress
from operator import attrgetter

import msgspec

from entente.replay import revisions
from entente.secretariat.viewers import PUBLIC, Viewer
from entente.secretariat.viewers import SECRETARIAT as SECRETARIAT  # re-exported, as PUBLIC and Viewer are
from entente.vocabulary.events import (
    Classification,
    ClassificationAmended,
    EntryCorrected,
    EntryRetracted,
    Event,
    InstrumentAcceded,
    InstrumentSigned,
    Restricted,
    kind_of,
)
from entente.vocabulary.said import Value, said, say
from entente.vocabulary.stored import of_kinds, with_twins

_JOINING = frozenset(with_twins(dict.fromkeys((InstrumentSigned, InstrumentAcceded))))
AMENDING = frozenset(with_twins({ClassificationAmended: None}))  # the kinds that amend a classification
_classification = attrgetter("classification")


def instrument_parties(events: Iterable[Event]) -> dict[str, set[str]]:
    """Who is party to each instrument (signatories and accessions), for clearance."""
    parties: dict[str, set[str]] = {}
    for event in of_kinds(events, _JOINING):
        if isinstance(event, InstrumentSigned):
            parties.setdefault(event.instrument, set()).update(event.parties)
        elif isinstance(event, InstrumentAcceded):
            parties.setdefault(event.instrument, set()).add(event.party)
    return parties


def cleared(event: Event, viewer: Viewer, parties_of: dict[str, set[str]]) -> bool:
    c = event.classification
    if not isinstance(c, Restricted) or viewer.kind == "secretariat":
        return True
    if viewer.party is None:
        return False
    if viewer.party in c.parties:
        return True
    return c.instrument is not None and viewer.party in parties_of.get(c.instrument, ())


def cleared_parties(c: Classification, parties_of: Mapping[str, set[str]]) -> frozenset[str] | None:
    """The parties' delegations cleared for an entry classified ``c`` (as ``cleared`` decides, one party at a
    time); None for a public entry, which everyone may see."""
    if not isinstance(c, Restricted):
        return None
    return frozenset(c.parties).union(parties_of.get(c.instrument, ()) if c.instrument is not None else ())


def covers(wide: Classification, narrow: Classification, parties_of: Mapping[str, set[str]]) -> bool:
    """Whether every viewer who may see an entry classified ``narrow`` may see one classified ``wide``, now and
    after any accession: ``wide`` is public, or names every party ``narrow`` names (or an instrument they are
    party to), and ``narrow``'s instrument too if it has one, whose later parties would see it."""
    if not isinstance(wide, Restricted) or wide == narrow:
        return True
    if not isinstance(narrow, Restricted):
        return False
    if narrow.instrument is not None and narrow.instrument != wide.instrument:
        return False
    through = parties_of.get(wide.instrument, set()) if wide.instrument is not None else set()
    return all(p in wide.parties or p in through for p in narrow.parties)


def act_narrower(act: Classification, target: Classification, parties_of: Mapping[str, set[str]]) -> Value | None:
    """Why a correction or retraction classified ``act`` may not act on an entry classified ``target`` (as it
    now is), or None: it must be seen by everyone who may see its target, now and after any accession, or it
    would change what a viewer is shown (the entry's text, its place in a timeline, a search, a tag) by a write
    that viewer may not see, and the entry served would no longer be the one its log proves."""
    if covers(act, target, parties_of):
        return None
    return said("a correction or retraction must be seen by everyone who may see the entry it is about; "
                "classify it at least as widely")


def amended_past_acts(amendment: ClassificationAmended, record: Sequence[Event],
                      parties_of: Mapping[str, set[str]]) -> Value | None:
    """Why ``amendment`` may not reclassify its target, or None: it may not make the entry visible to anyone a
    correction or retraction of it is hidden from, who would be shown the entry as corrected while its log
    proves the original (correct it again, as widely, instead: that reveals it as it now reads)."""
    for act in record:
        if isinstance(act, EntryCorrected | EntryRetracted) and act.target == amendment.target \
                and act_narrower(act.classification, amendment.to, parties_of) is not None:
            return said("%(target)s was corrected or retracted by an entry fewer may see (%(act)s); to show it more "
                        "widely, correct it again under the wider classification", target=amendment.target, act=act.id)
    return None


def first_cleared(shown: Classification, hidden: Sequence[Classification], parties_of: Mapping[str, set[str]],
                  parties: Sequence[str]) -> str | None:
    """The first of the public and the delegations of ``parties``, in that order, cleared for an entry classified
    ``shown`` and not for one of those classified ``hidden``, if any: as asking ``cleared`` of each viewer would
    find, from who may see each classification rather than viewer by viewer."""
    sees = cleared_parties(shown, parties_of)
    barred = [b for c in hidden if (b := cleared_parties(c, parties_of)) is not None]
    if not barred:
        return None  # everyone may see what is hidden from no one
    if sees is None:
        return str(PUBLIC)  # the public sees this, and not what some classification restricts
    outside = {p for p in sees if any(p not in b for b in barred)}
    return next((p for p in parties if p in outside), None) if outside else None


def visible(events: Sequence[Event], viewer: Viewer, known_at: str | None = None,
            at: str | None = None) -> list[Event]:
    """The events ``viewer`` may see: the only filter every view goes through.

    An entry as it now reads (``revisions.current``): corrected, retracted or
    reclassified by later entries, the latest act by record time counting; the
    entries handed on carry their current classification.  With ``known_at``,
    the record as it stood at that record time, each entry shown only if the
    viewer is cleared for it both as it was classified then and as it is
    classified now: a later restriction is never undone by asking about the
    past, and the entry carries it.  An entry retracted after that time is
    shown as it then read, under the classification it was withdrawn with.

    With ``at`` (a day), what the viewer could know on that day: an entry
    reclassified by an amendment dated after it (``since``) is shown only to a
    viewer cleared for it both as it was classified that day and as it is
    classified now, and carries the restriction of that day if it had one;
    an amendment dated after it is not there yet.  A dated amendment is shown,
    from its day, to everyone who sees its target.
    """
    if known_at is None:
        return _cleared(events, viewer, at)
    now, last = revisions.current_and_classified(events)
    parties_of = instrument_parties(now)
    then = _cleared([e for e in events if (e.recorded or "") <= known_at], viewer, at)
    shown = (_under(e, last[e.id]) for e in then)
    return [e for e in shown if cleared(e, viewer, parties_of)]


def _cleared(events: Sequence[Event], viewer: Viewer, at: str | None = None) -> list[Event]:
    now = revisions.current(events)
    dated = at is not None and bool(revisions.dated_days(events))
    if viewer.kind == "secretariat" and not dated:
        return now
    parties_of = instrument_parties(now)
    if not dated and not any(isinstance(e, ClassificationAmended) and e.since is not None
                             for e in of_kinds(now, AMENDING)):
        return _undated(now, viewer, parties_of)
    on_day = {e.id: e for e in revisions.current(events, at)} if dated else {}
    shown: list[Event] = []
    ids: set[str] = set()
    for e in now:
        if isinstance(e, ClassificationAmended) and e.since is not None:
            # Not there before its day; from it, seen by whoever sees what it reclassifies (listed before it).
            if revisions.in_force(e, at) and cleared(e, viewer, parties_of):
                shown.append(e)
                ids.add(e.id)
            elif revisions.in_force(e, at) and e.target in ids:
                shown.append(_reclassified(e, e.to))  # as it is shown: no wider than what it made known
                ids.add(e.id)
            continue
        then = on_day.get(e.id, e)
        if cleared(e, viewer, parties_of) and (then is e or cleared(then, viewer, parties_of)):
            shown.append(then if isinstance(then.classification, Restricted) else e)
            ids.add(e.id)
    return shown


def _undated(now: list[Event], viewer: Viewer, parties_of: dict[str, set[str]]) -> list[Event]:
    """The entries of ``now`` the viewer is cleared for, where no amendment is dated: what the loop of ``_cleared``
    lets through then.  ``cleared`` reads an entry's classification alone, so it is asked once for each
    classification held (a record holds few: every public entry's is one string), not once for each entry."""
    held = list(map(id, map(_classification, now)))
    verdicts = {key: cleared(e, viewer, parties_of) for key, e in dict(zip(held, now, strict=True)).items()}
    return list(compress(now, map(verdicts.__getitem__, held)))


def _reclassified(event: Event, to: Classification) -> Event:
    """The entry as its latest amendment classifies it."""
    return msgspec.structs.replace(event, classification=to)


def _under(event: Event, now: Classification) -> Event:
    """An entry of the past handed on with the restriction of now if there is one, so no one takes a
    since-restricted entry for public."""
    return event if now == "public" else _reclassified(event, now)


# The field naming the party that acts, for each kind a delegation may record; every other kind
# (a signature by several, an entry into force, a decision, an outside event...) is the secretariat's.
_ACTING_FIELD = {
    "conference_convened": "host",
    "conference_held": "host",
    "instrument_ratified": "party",
    "instrument_acceded": "party",
    "instrument_terminated": "party",
    "intent_declared": "party",
    "question_raised": "actor",
    "position_stated": "party",
    "assistance_requested": "requester",
    "assistance_responded": "party",
    "proposal_made": "proposer",
}


# Kinds that belong to an instrument when they name one: only its parties (or the secretariat) record them.
_OF_INSTRUMENT = ("conference_held", "conference_convened", "question_raised", "proposal_made", "assistance_requested")


def written_by(entry: Event, since: str | None) -> str | None:
    """The delegation that recorded ``entry`` (its party's code), or None for the secretariat and the union's
    record file.  The record names it (``writer``) from ``since`` on, the moment the store began to; an entry
    recorded before then is a delegation's if its id carries that delegation's prefix ("lv.…"), as the
    secretariat then gave every delegation's entry."""
    if entry.writer is not None or since is None or (entry.recorded or "") >= since:
        return entry.writer
    prefix, dot, _ = entry.id.partition(".")
    return prefix.upper() if dot and prefix.isalpha() and prefix.islower() else None


def own_ids(events: Sequence[Event], party: str, since: str | None) -> frozenset[str]:
    """The ids of the entries among ``events`` (current versions) that delegation ``party`` recorded itself."""
    return frozenset(e.id for e in events if written_by(e, since) == party
                     and not isinstance(e, EntryCorrected | EntryRetracted))


def may_write(viewer: Viewer, event: Event, parties_of: Mapping[str, set[str]],
              own: Collection[str] = frozenset()) -> str | None:
    """Why ``viewer`` may not record ``event`` (``why_not_written`` in English), or None if it may."""
    why = why_not_written(viewer, event, parties_of, own)
    return None if why is None else say(why)


def why_not_written(viewer: Viewer, event: Event, parties_of: Mapping[str, set[str]],
                    own: Collection[str] = frozenset()) -> Value | None:
    """Why ``viewer`` may not record ``event``, as a sentence to say in a reader's language, or None if it may.

    The secretariat records anything.  A party's delegation corrects or withdraws
    only the entries it recorded itself, and records only its
    own acts (its position, ratification, accession, denunciation, request,
    response, proposal, or a conference it hosts); the conferences, questions,
    proposals and requests of an instrument only if it is party to it; and may
    neither restrict an entry away from itself nor classify one to an
    instrument it is not party to.  Only the secretariat amends a
    classification.  ``parties_of`` is what the writer may see of who is party
    to what, so a refusal reads the same whether a hidden instrument exists or not;
    ``own``, the ids of the entries it sees that it recorded itself (``own_ids``).
    """
    if viewer.kind == "secretariat":
        return None
    if viewer.kind != "party" or viewer.party is None:
        return said("only a party's delegation or the secretariat may record")
    if isinstance(event, EntryCorrected | EntryRetracted):
        return _may_revise(viewer, event, parties_of, own)
    kind = kind_of(event)
    field = _ACTING_FIELD.get(kind)
    if field is None:
        what = kind.replace("_", " ")
        # "a_kind" is the English kind with its article; a language without articles says "kind".
        return said("only the secretariat may record %(a_kind)s",
                    a_kind=f"{'an' if what[0] in 'aeiou' else 'a'} {what}", kind=what)
    acting = getattr(event, field, None)
    if acting != viewer.party:
        return said("%(party)s may not record an act of %(acting)s (%(field)s)", party=viewer.party,
                    acting=acting or said("no party"), field=field)
    if event.actor is not None and event.actor != viewer.party:
        return said("%(party)s may not record an act of %(acting)s (%(field)s)", party=viewer.party,
                    acting=event.actor, field="actor")
    instrument = getattr(event, "instrument", None)
    if kind in _OF_INSTRUMENT and instrument and viewer.party not in parties_of.get(instrument, ()):
        return said("%(party)s is not a party to %(instrument)s, so it may not record its %(kind)s",
                    party=viewer.party, instrument=instrument, kind=kind.replace("_", " "))
    return _may_classify(viewer.party, event.classification, parties_of)


def _may_classify(party: str, c: Classification, parties_of: Mapping[str, set[str]]) -> Value | None:
    """Why a delegation may not give an entry classification ``c``, or None if it may."""
    if isinstance(c, Restricted):
        if c.instrument is not None and party not in parties_of.get(c.instrument, ()):
            return said("%(party)s may not classify an entry to %(instrument)s, to which it is not party",
                        party=party, instrument=c.instrument)
        if c.instrument is None and party not in c.parties:
            return said("%(party)s may not classify an entry so that it cannot see it itself", party=party)
    return None


def _may_revise(viewer: Viewer, event: EntryCorrected | EntryRetracted, parties_of: Mapping[str, set[str]],
                own: Collection[str]) -> Value | None:
    """Why a delegation may not correct or withdraw ``event.target``, or None if it may: only an entry it recorded
    itself (``own``: of the entries it sees, so the answer tells nothing of entries it may not see), corrected into
    an entry it could record now, in a classification it may give."""
    party = viewer.party or ""
    if event.target not in own:
        return said("%(party)s may correct or withdraw only the entries it recorded itself", party=party)
    if isinstance(event, EntryCorrected) and (why := why_not_written(viewer, event.entry, parties_of)) is not None:
        return why
    return _may_classify(party, event.classification, parties_of)


def visible_history(events: Sequence[Event], viewer: Viewer, entry_id: str,
                    known_at: str | None = None, at: str | None = None) -> list[revisions.Version]:
    """The versions of one entry that ``viewer`` may see, oldest first; [] where it may see none, as for an entry
    that does not exist.

    Only a viewer who may see the entry now (or, if it was retracted, the retraction) sees its history, and of
    it each version it is cleared for by that version's own classification, by the act that made it, and by
    the entry's classification now (a retracted one's as it was withdrawn), which each version carries unless
    it is public, as ``visible`` hands on the past.  With ``known_at``, only the versions recorded by then; with
    ``at``, only of an entry the viewer could see on that day.
    """
    versions = revisions.history(events, entry_id)
    current, classified = revisions.current_and_classified(events)
    parties_of = instrument_parties(current)
    last = versions[-1] if versions else None
    if last is None or not (any(e.id == entry_id for e in visible(events, viewer, at=at)) or (
            last.entry is None and last.act is not None and cleared(last.act, viewer, parties_of))):
        return []
    now = classified.get(entry_id, "public")
    return [_carrying(v, now) for v in versions
            if (v.entry is None or (cleared(v.entry, viewer, parties_of)
                                    and cleared(_reclassified(v.entry, now), viewer, parties_of)))
            and (v.act is None or cleared(v.act, viewer, parties_of))
            and (known_at is None or (v.recorded or "") <= known_at)]


def _carrying(version: revisions.Version, now: Classification) -> revisions.Version:
    """A version handed on under the restriction of now (``_under``)."""
    if version.entry is None or now == "public":
        return version
    return msgspec.structs.replace(version, entry=_reclassified(version.entry, now))
