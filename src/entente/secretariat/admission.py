"""Whether a new entry may be recorded: checked against the vocabulary, the record and the treaty.

Pure: (union, treaties, the record so far, the new event) in; the problems
that refuse it and the findings it brings out.  An entry that a rule finds in
breach is refused when the rule says ``on_entry: refuse`` and otherwise
recorded together with the finding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import msgspec

from entente.replay import revisions
from entente.replay.dated import DatedState, fold, instrument_on
from entente.replay.extend import extended
from entente.rules import Finding, compliance, concerns
from entente.secretariat import treaty_checks
from entente.secretariat.clearance import act_narrower, first_cleared, instrument_parties
from entente.secretariat.related import Related
from entente.vocabulary import checks, dates
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    DecisionTaken,
    DutyDone,
    EntryCorrected,
    EntryRetracted,
    Event,
    FieldErased,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ObjectionRaised,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RightsRestored,
    RightsSuspended,
    RuleChanged,
    WithdrawalNotified,
    english,
)
from entente.vocabulary.folding import folded
from entente.vocabulary.said import Said, Value, said, say
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Why an entry is refused: the field, and the rule and article where a treaty rule refuses it."""

    field: str
    message: str
    rule: str | None = None
    instrument: str | None = None
    article: str | None = None
    entry: str | None = None  # the entry refused, where several are judged together
    told: Value | None = None  # the message as data (``said``), where it is given so, to say in a reader's language


def said_problem(field: str, told: Value) -> Problem:
    """A problem given as a sentence: its English words, and the sentence to say in a reader's language."""
    return Problem(field=field, message=say(told), told=None if isinstance(told, str) else told)


class Admission(msgspec.Struct, kw_only=True):
    problems: list[Problem] = []
    findings: list[Finding] = []

    @property
    def refused(self) -> bool:
        return bool(self.problems)


# Kinds that name an instrument of their own rather than act under one.
_OWN_INSTRUMENT = (InstrumentSigned, RuleChanged)
# Kinds that can only happen under an instrument signed already, and those whose actor it must bind.
_UNDER_INSTRUMENT = (ConferenceHeld, QuestionRaised, AssistanceRequested, ProposalMade, DutyDone)
# Kinds that answer an earlier entry, and may not be dated before it.
_ANSWERS = (PositionStated, AssistanceResponded, ProposalDecided, ObjectionRaised)
_BOUND_TO_ACT = (PositionStated, AssistanceRequested, ProposalMade, QuestionRaised, WithdrawalNotified, RightsSuspended,
                 RightsRestored, DutyDone)
# Kinds whose ``party`` acts or is acted on (the others' acting party is their actor).
_PARTY_ACTS = (PositionStated, WithdrawalNotified, RightsSuspended, RightsRestored, DutyDone)
_CONFERENCES = (ConferenceHeld, ConferenceConvened)
_JOINS = (InstrumentSigned, InstrumentAcceded)


def _instrument_of(event: Event) -> str | None:
    return getattr(event, "instrument", None)


def _references(event: Event, target: Event | None, related: Related) -> list[Problem]:
    """An entry that answers or acts on something must find it in the record (``target``: what it answers)."""
    match event:
        case PositionStated() if target is None:
            return [said_problem("question", said("no question %(question)s has been raised",
                                                  question=repr(event.question)))]
        case AssistanceResponded():
            if target is None:
                return [said_problem("request", said("no request for assistance %(request)s exists",
                                                     request=repr(event.request)))]
            if event.party not in target.addressees:  # type: ignore[attr-defined]
                return [said_problem("party", said("%(party)s was not asked in %(request)s", party=event.party,
                                                   request=repr(event.request)))]
        case ProposalDecided() | ObjectionRaised() if target is None:
            return [said_problem("proposal", said("no proposal %(proposal)s has been made",
                                                  proposal=repr(event.proposal)))]
        case ProposalDecided() if (earlier := related.decided.get(event.proposal)) is not None:
            return [said_problem("proposal", said("proposal %(proposal)s is decided already, by %(entry)s: correct "
                                                  "that entry instead", proposal=repr(event.proposal),
                                                  entry=earlier.id))]
        case InstrumentAcceded() if event.party in related.parties_of.get(event.instrument, ()):
            return [said_problem("party", said("%(party)s has signed or acceded to %(instrument)s already: a party "
                                               "accedes only to an instrument it is not party to", party=event.party,
                                               instrument=event.instrument))]
        case InstrumentTerminated() | WithdrawalNotified() if getattr(event, "party", None) and \
                event.instrument in related.signed and event.party not in related.parties_of.get(event.instrument, ()):
            return [said_problem("party", said("%(party)s never signed nor acceded to %(instrument)s, so it has "
                                               "nothing to withdraw from", party=str(event.party),
                                               instrument=event.instrument))]
        case InstrumentSigned() if event.renews and event.renews not in related.signed:
            return [said_problem("renews", _not_signed(event.renews))]
        case DecisionTaken() if event.conference and target is None:
            return [said_problem("conference", said("no conference %(conference)s is recorded",
                                                    conference=repr(event.conference)))]
        case InstrumentRatified() | InstrumentAcceded() | InstrumentEnteredIntoForce() | InstrumentTerminated():
            if event.instrument not in related.signed:
                return [said_problem("instrument", _not_signed(event.instrument))]
    if target is not None and isinstance(event, _ANSWERS) and dates.end(event.date) < dates.start(target.date):
        return [said_problem("date", said("%(date)s is before %(entry)s (%(its_date)s), which it answers",
                                          date=event.date, entry=target.id, its_date=target.date))]
    return []


def _instrument_checks(event: Event, related: Related, dated: DatedState) -> list[Problem]:
    """An act under an instrument must come after its signature and from a party bound by it."""
    instrument = _instrument_of(event)
    if instrument is None or isinstance(event, _OWN_INSTRUMENT):
        return []
    signed = related.signed.get(instrument)
    if signed is None:
        if isinstance(event, _UNDER_INSTRUMENT):
            return [said_problem("instrument", _not_signed(instrument))]
        return []
    if dates.start(event.date) < dates.start(signed.date):
        return [said_problem("date", said("%(date)s is before %(instrument)s was signed (%(signed)s)",
                                          date=event.date, instrument=instrument, signed=signed.date))]
    acting = getattr(event, "party", None) or getattr(event, "requester", None) or getattr(event, "proposer", None)
    if acting and isinstance(event, _BOUND_TO_ACT):
        on = instrument_on(dated, instrument, dates.start(event.date))
        if on is None or acting not in on.parties:
            return [said_problem("party" if isinstance(event, _PARTY_ACTS) else "actor",
                                 said("%(party)s is not bound by %(instrument)s on %(day)s", party=acting,
                                      instrument=instrument, day=dates.start(event.date)))]
    return []


def _observers(event: Event, union: Union) -> list[Problem]:
    """A party whose role is never bound (an observer, or a role the union declares so) takes part in meetings but
    neither signs nor accedes."""
    if isinstance(event, InstrumentSigned):
        named, field = list(event.parties), "parties"
    elif isinstance(event, InstrumentAcceded):
        named, field = [event.party], "party"
    else:
        return []
    for code in named:
        known = union.party(code)
        if known is not None and not union.role(known.role).bound:
            role = english(union.role(known.role).names, known.role)
            # "a_role" is the English noun with its article; a language without articles says "role".
            return [said_problem(field, said("%(code)s is %(a_role)s of the union, and %(a_role)s is never bound by "
                                             "an instrument", code=code, a_role=_a(role), role=role))]
    return []


def _not_signed(instrument: str) -> Value:
    return said("no instrument %(instrument)s has been signed", instrument=repr(instrument))


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _parties_with(related: Related, event: Event) -> dict[str, set[str]]:
    """Who is party to each instrument, counting ``event`` where it signs or accedes to one."""
    if not isinstance(event, _JOINS):
        return related.parties_of
    parties_of = {k: set(v) for k, v in related.parties_of.items()}
    for instrument, parties in instrument_parties([event]).items():
        parties_of.setdefault(instrument, set()).update(parties)
    return parties_of


def _found(problems: list[tuple[str, Value]]) -> list[Problem]:
    return [said_problem(f, m) for f, m in problems]


def _codes(union: Union) -> list[str]:
    return [p.code for p in union.parties]


def _wider(event: Event, earlier: Event, related: Related, union: Union) -> str | None:
    """A viewer who could see ``event`` but not ``earlier``, if any: then ``event`` would give ``earlier`` away."""
    if event.classification == earlier.classification:
        return None  # classified alike: whoever sees the one sees the other
    return first_cleared(event.classification, [earlier.classification], _parties_with(related, event),
                         _codes(union))


def _before_union(event: Event, related: Related) -> list[Problem]:
    """Nothing of the union happens before its first instrument was signed (a new instrument may be older)."""
    first = related.first_signed
    if isinstance(event, InstrumentSigned) or first is None or dates.end(event.date) >= first:
        return []
    return [said_problem("date", said("%(date)s is before the union's first instrument was signed, on %(first)s; no "
                                      "entry of the union is dated before that day", date=event.date, first=first))]


def numbered(event: Event) -> tuple[str | None, str | None, int] | None:
    """The series and number of a conference held or convened: (instrument, series, number)."""
    if isinstance(event, _CONFERENCES) and event.number:
        return event.instrument, event.series, event.number
    return None


def _conference(event: Event) -> str:
    """The conference an entry is about: a notice names the conference it convenes."""
    return event.conference if isinstance(event, ConferenceConvened) else event.id


def clash(event: Event, events: Sequence[Event]) -> Event | None:
    """Another conference recorded already with the number a new one gives itself, in the same series."""
    key = numbered(event)
    if key is None:
        return None
    return next((e for e in events if numbered(e) == key and _conference(e) != _conference(event)), None)


def _amendment(event: ClassificationAmended, related: Related, union: Union) -> list[Problem]:
    """A reclassification shows no one more than the narrower of its target's old and new classification
    shows, and leaves no entry more visible than what it follows from."""
    target = related.by_id.get(event.target)
    if target is None:
        return [said_problem("target", said("no entry %(entry)s is recorded", entry=repr(event.target)))]
    after = msgspec.structs.replace(target, classification=event.to)
    if viewer := first_cleared(event.classification, [target.classification, after.classification],
                               _parties_with(related, event), _codes(union)):
        return [said_problem("classification", said("%(viewer)s could see this amendment but not %(entry)s before "
                                                    "or after it; classify it at least as narrowly as both",
                                                    viewer=viewer, entry=target.id))]
    rest = Related([after if e.id == target.id else e for e in related.everything])
    problems = _classification(after, rest.answered(after), rest, union)
    for follower in rest.everything:
        if rest.answered(follower) is after and (wider := _wider(follower, after, rest, union)):
            problems.append(said_problem("to", said("%(viewer)s could see %(entry)s but no longer %(earlier)s, which "
                                                    "it follows from and would give away", viewer=wider,
                                                    entry=follower.id, earlier=target.id)))
    return problems


def _names_secret(event: Event, related: Related, treaties: Mapping[str, Treaty], union: Union
                  ) -> list[Problem]:
    """An entry that someone not party to a secret instrument could see may not speak of it (its id, title
    or the words its treaty file lists as sensitive).  Only an instrument the writer sees is looked at, so
    a refusal never tells a writer of one it does not know."""
    # An instrument made known from a day on was secret before it: a view of an earlier day would show the entry.
    secret = [(e, related.kept_before.get(e.id, e.classification)) for e in related.signatures
              if e.instrument in treaties]
    secret = [(e, c) for e, c in secret if c != "public"]
    if not secret:
        return []
    parties_of = _parties_with(related, event)
    texts: list[tuple[str, str]] | None = None
    for e, hidden in secret:
        treaty = treaties[e.instrument]
        outside = first_cleared(event.classification, [hidden], parties_of, _codes(union))
        if outside is None:
            continue
        if texts is None:
            # Folded (``folding``): a double or no-break space, a soft hyphen or a Cyrillic letter does not
            # hide a word.
            texts = [(field, folded(text)) for field, text in checks.strings(msgspec.to_builtins(event))
                     if not field.startswith("classification")]
        terms = [folded(t) for t in (treaty.instrument, *treaty.title.values(), *treaty.sensitive)]
        for field, text in texts:
            # Whole words only: "pact-1934" is not in "other-pact-1934".
            if term := next((t for t in terms if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text)), None):
                return [said_problem(field, said('speaks of %(instrument)s ("%(term)s"), which %(viewer)s may not see '
                                                 'but could see this entry; classify it as narrowly or reword it',
                                                 instrument=treaty.instrument, term=term, viewer=outside))]
    return []


def _classification(event: Event, earlier: Event | None, related: Related, union: Union) -> list[Problem]:
    """An entry no more visible than ``earlier``, what it follows from: a position than its question, a
    conference than the one numbered before it (a gap in the numbers would reveal it)."""
    if earlier is None:
        if isinstance(event, ConferenceHeld) and event.number and event.number > 1:
            return [said_problem("number", said("conference %(number)s of this series is not recorded",
                                                number=event.number - 1))]
        return []
    viewer = _wider(event, earlier, related, union)
    if viewer is None:
        return []
    return [said_problem("classification", said("%(viewer)s could see this entry but not %(entry)s, which it follows "
                                                "from and would give away; classify it at least as narrowly",
                                                viewer=viewer, entry=earlier.id))]


def admit(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], event: Event,
          dated: DatedState | None = None, related: Related | None = None) -> Admission:
    """Whether ``event`` may follow ``events``; ``dated`` (them folded) and ``related`` (them indexed for an
    entry's own checks), where the caller holds them, spare folding and scanning the record here."""
    related = related if related is not None else Related(events)
    if isinstance(event, FieldErased):  # the service erases as it records one (``Secretariat.record``)
        return Admission(problems=[said_problem("kind", said("an erasure is recorded by the secretariat alone, one at "
                                                             "a time (entente erase), which erases the value with "
                                                             "it"))])
    if isinstance(event, EntryCorrected | EntryRetracted):
        checked = [said_problem(f, m) for f, m in checks.check_event(event, union, related.ids)]
        return Admission(problems=checked) if checked else _revision(union, treaties, events, related, event)
    problems = entry_problems(union, treaties, related, event, dated)
    if problems:
        return Admission(problems=problems)
    return judge_added(union, treaties, events, [event], dated)


def entry_problems(union: Union, treaties: Mapping[str, Treaty], related: Related, event: Event,
                   dated: DatedState | None = None) -> list[Problem]:
    """What refuses an entry before any rule is asked: its fields, what it refers to, who acts, who may see it.

    ``related`` is the record before it, indexed by what these checks look for (what it answers or
    follows, the instruments' signatures, accessions and other acts, every id); ``dated``, where the
    caller holds it, the record folded, so who is bound on a day is read off it rather than off the
    instruments' acts folded here.
    """
    problems = [said_problem(f, m) for f, m in checks.check_event(event, union, related.ids)]
    if problems:
        return problems
    folded = dated if dated is not None else related.dated
    earlier = related.answered(event)
    problems = (_references(event, earlier, related) or _observers(event, union)
                or _found(treaty_checks.rule_change(event, treaties, union, related))
                or _instrument_checks(event, related, folded) or _found(treaty_checks.duty(event, treaties, related))
                or _before_union(event, related) or _classification(event, earlier, related, union))
    key = numbered(event)
    if not problems and key is not None and (other := clash(event, related.numbered(*key))) is not None:
        number = getattr(event, "number", None)
        problems = [said_problem("number", said("conference no. %(number)s of this series is recorded already, as "
                                                "%(entry)s", number=str(number), entry=other.id))]
    if not problems and isinstance(event, ClassificationAmended):
        problems = _amendment(event, related, union)
    if not problems:
        problems = _names_secret(event, related, treaties, union)
    if not problems and isinstance(event, ConferenceConvened):
        problems = _convening(event, related, union)
    if not problems and isinstance(event, PositionStated) and isinstance(earlier, QuestionRaised) \
            and earlier.instrument:
        problems = _position_bound(event, folded, earlier.instrument)
    return problems


def judge_added(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], added: Sequence[Event],
                dated: DatedState | None = None) -> Admission:
    """What the rules say with the entries added, that they did not say without them: the breaches a
    refusing rule finds are problems, every new breach a finding.

    Only the rules the entries concern are asked, and a rule that judges item by item only of the items
    they are about (``rules.concerns``), so a write costs what it touches, not the record's length.
    ``dated`` is ``events`` folded, where the caller holds it.
    """
    # A conference convened is judged as the conference it is to be, so one called out of turn is caught
    # when it is called.
    judged = [_as_held(e) if isinstance(e, ConferenceConvened) else e for e in added]
    kinds = concerns.kinds_concerned(judged)
    if kinds is not None and not kinds:
        return Admission()
    before_state = dated if dated is not None else fold(events)
    after_state = extended(before_state, judged)
    focus = concerns.items_concerned(judged, after_state.target_of, after_state.put_to)
    # The periods and meetings the entries fall in, where none of them changes every rule: no other changes.
    days = None if kinds is None else (min(dates.start(e.date) for e in judged), max(dates.end(e.date) for e in judged))
    # Judged as of the later of their own days and the record's last, so an entry dated before others
    # is judged with them: a pair of entries that breaks a rule is caught whichever comes second.
    at = max(max(dates.end(e.date) for e in judged), before_state.last_day)
    before = {(f.rule_id, f.instrument, f.period, f.subject, f.status)
              for f in compliance(union, treaties, before_state, at, kinds=kinds, focus=focus, days=days)}
    after = [f for f in compliance(union, treaties, after_state, at, kinds=kinds, focus=focus, days=days)
             if (f.rule_id, f.instrument, f.period, f.subject, f.status) not in before]
    specs = {(t.instrument, r.id): r for t in treaties.values() for _, r in t.rules()}
    # A breach the entries bring about is refused where the rule says so, whether one of them or an
    # entry already recorded is the one in breach with them.
    refused = [f for f in after if f.status == "breach"
               and (spec := specs.get((f.instrument, f.rule_id))) is not None and spec.on_entry == "refuse"]
    return Admission(
        problems=[Problem(field=_field_for(_blamed(f, added)), message=f.detail, rule=f.rule,
                          instrument=f.instrument, article=f.article, entry=_blamed(f, added).id, told=f.said)
                  for f in refused],
        findings=[f for f in after if f.status == "breach"],
    )


def _revision(union: Union, treaties: Mapping[str, Treaty], events: Sequence[Event], related: Related,
              event: EntryCorrected | EntryRetracted) -> Admission:
    """A correction or retraction of an entry the writer sees; a corrected entry is admitted as a new one would be,
    against the record without the version it replaces."""
    target = next((e for e in events if e.id == event.target), None)
    if target is None:
        return Admission(problems=[said_problem("target", said("no entry %(entry)s in the record",
                                                               entry=repr(event.target)))])
    shown = event.entry if isinstance(event, EntryCorrected) else target
    now = revisions.last_classifications(events).get(event.target, target.classification)
    if (why := act_narrower(event.classification, now, related.parties_of)) is not None:
        return Admission(problems=[said_problem("classification", why)])
    if (viewer := _wider(event, shown, related, union)) is not None:
        return Admission(problems=[said_problem("classification", said(
            "%(viewer)s could see this entry but not the entry it is about; classify it at least as narrowly",
            viewer=viewer))])
    if problems := _names_secret(event, related, treaties, union):
        return Admission(problems=problems)
    if isinstance(event, EntryRetracted):
        return Admission()
    rest = [e for e in events if e.id != event.target]
    without = Related(rest)
    inner = admit(union, treaties, rest, event.entry, related=without)
    # An entry dated before the union's first instrument (recorded before that check) stays correctable.
    allowed = _before_union(event.entry, without) if _before_union(target, without) else []
    return Admission(problems=[msgspec.structs.replace(p, field=f"entry.{p.field}") for p in inner.problems
                               if p not in allowed], findings=inner.findings)


def _blamed(finding: Finding, added: Sequence[Event]) -> Event:
    """The added entry a finding is about: the first named in its evidence, or else the last added."""
    named = set(finding.evidence)
    judged = {(e.conference if isinstance(e, ConferenceConvened) else e.id): e for e in added}
    return next((e for key, e in judged.items() if key in named), added[-1])


def _convening(event: ConferenceConvened, related: Related, union: Union) -> list[Problem]:
    try:
        planned = dates.start(event.planned)
    except dates.DateError as exc:
        return [said_problem("planned", exc.told if isinstance(exc.told, Said) else str(exc))]
    if planned < dates.start(event.date):
        return [said_problem("planned", said("%(planned)s is before the day it is convened on, %(date)s",
                                             planned=event.planned, date=event.date))]
    if event.conference in related.by_id:
        return [said_problem("conference", said("%(conference)s is taken by an entry already recorded",
                                                conference=repr(event.conference)))]
    held = _as_held(event)
    return _classification(held, related.answered(held), related, union)


def _as_held(event: ConferenceConvened) -> ConferenceHeld:
    return ConferenceHeld(id=event.conference, date=event.planned, number=event.number, instrument=event.instrument,
                          series=event.series, extraordinary=event.extraordinary, host=event.host, place=event.place,
                          title=event.title, classification=event.classification)


def _position_bound(event: Event, dated: DatedState, instrument: str) -> list[Problem]:
    assert isinstance(event, PositionStated)
    s = instrument_on(dated, instrument, dates.start(event.date))
    if s is not None and event.party not in s.parties:
        return [said_problem("party", said("%(party)s is not bound by %(instrument)s on %(day)s, so it has no "
                                           "position to state on %(question)s", party=event.party,
                                           instrument=instrument, day=dates.start(event.date),
                                           question=repr(event.question)))]
    return []


def _field_for(event: Event) -> str:
    if isinstance(event, ConferenceHeld | ConferenceConvened):
        return "host"
    return "subject" if hasattr(event, "subject") else "id"
