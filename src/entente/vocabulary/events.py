"""The event vocabulary: every kind of thing that can happen in a union.

Each kind is one typed `msgspec.Struct`, tagged by its `kind` name, with a
schema version.  The storage encoding (JSON), the API schema and the docs are
all derived from these definitions, so a field is added in exactly one place:
each class's docstring says what the kind records, its ``Fields:`` block what
each field holds (the reference pages are made from them, and a test fails on a
field without one), and its ``Example:`` block, where the bundled record has no
entry of the kind, an entry as a record file writes it.
"""

from __future__ import annotations

import typing
from typing import Annotated, ClassVar, Literal

import msgspec

PartyCode = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9-]{1,15}$", description="a party code: ISO 3166 alpha-2 for a state")
]
# What a proposal may move; a rule's or a treaty's settings naming motions name these.
Motion = Literal["convene_conference", "strike_point", "change_rule", "consent", "elect_president", "other"]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=200, description="a stable identifier")]
# Multilingual text keyed by ISO 639-1 language code (lv, lt, et, en, fr, de, ru).
Text = dict[str, str]

# The fields that hold personal data (a delegate's or a signatory's name), wherever they appear in an entry:
# each may be erased on request (``field_erased``), so a log's leaf commits to a salted digest of it, never to
# the value itself.
ERASABLE = frozenset({"person"})


class Source(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """Where a record comes from: a document, the words it uses, and a gloss.

    Fields:
        document: the document quoted or cited: one of the keys of ``documents`` in ``union.yaml``
        quote: the words of the document, in its own language, copied character for character; none for a work
          the union does not ship and cites by its pages
        lang: the language of the quote (ISO 639-1)
        gloss: the quote in English
        pages: where in the document: its pages, or its article or document number
        note: anything more about the source, such as what the entry takes from it
    """

    document: str
    quote: str = ""
    lang: str = "lv"
    gloss: str = ""
    pages: str | None = None
    note: str | None = None


class Restricted(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A classification narrower than public: the parties of an instrument, or named parties.

    Fields:
        instrument: the instrument (its id) whose parties, those that signed or acceded to it, may see the entry
        parties: the parties (codes) that may see the entry
    """

    instrument: str | None = None
    parties: tuple[PartyCode, ...] = ()


Classification = Literal["public"] | Restricted


class Participant(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A party at a conference, and who came for it.

    Fields:
        party: the party's code
        role: how it took part: ``member``, ``observer``, ``host``, or a role its union declares (such as a
          permanent participant)
        person: who represented it, by name
        office: that person's office, in words
    """

    party: PartyCode
    role: str = "member"
    person: str | None = None
    office: str | None = None


class Event(
    msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True, omit_defaults=True, tag_field="kind"
):
    """Fields every event has.  Subclasses add what their kind needs.

    Fields:
        id: an identifier unique in the record, which other entries use to name this one
        date: when it happened (valid time), in EDTF: a day (``1934-09-12``), a range
          (``1919-09-14/1919-09-15``), a month or year, ``1935-40`` for the first half of 1935, ``1923-11-01?``
          for an uncertain day
        date_lv: the date as the source writes it in Latvian, verbatim; it must mean ``date``
        actor: the party (or body) that acted
        classification: who may see the entry; omitted, the public
        source: the document the entry comes from, quoted in its original language
        recorded: when the entry was recorded (record time): set by the store, never by a writer
        writer: the delegation (its party's code) that recorded the entry, which alone may correct or withdraw it;
          omitted for the secretariat and the union's record file: set by the secretariat as it records, never
          by a writer
        note: which reading the record takes where the source leaves it open, or that a fact comes from general
          history
        inferred: true for an entry no source states and the record infers: the rules report it and judge
          nothing on it
        cites: further works the entry rests on, each cited as a source is: such as the published history that
          gives the day its source leaves out
    """

    version: ClassVar[int] = 1

    id: Slug
    date: str
    date_lv: str | None = None
    actor: PartyCode | None = None
    classification: Classification = "public"
    source: Source | None = None
    recorded: str | None = None
    writer: PartyCode | None = None
    note: str | None = None
    inferred: bool = False
    cites: tuple[Source, ...] = ()


# --- meetings -----------------------------------------------------------------


class ConferenceHeld(Event, tag="conference_held", kw_only=True, frozen=True):
    """A conference of the parties: numbered when it is one of an instrument's periodic series.

    Fields:
        number: its number in the instrument's series of conferences
        instrument: the instrument (its id) under which it meets
        series: the periodic series it belongs to (such as the foreign ministers'); rules count meetings per series
        extraordinary: true for an extraordinary meeting, outside the periodic ones
        host: the party that hosts it
        chair: the party that chairs it
        place: where it met
        participants: the parties that took part, with their roles and representatives
        title: its name
        outcome: what it decided or said, in a sentence
    """

    number: int | None = None
    instrument: str | None = None
    series: str | None = None
    extraordinary: bool = False
    host: PartyCode | None = None
    chair: PartyCode | None = None
    place: Text = {}
    participants: tuple[Participant, ...] = ()
    title: Text = {}
    outcome: Text = {}


class ConferenceConvened(Event, tag="conference_convened", kw_only=True, frozen=True):
    """Notice of a coming conference: ``date`` is when it was convened, ``planned`` when it is to meet.

    The conference, once held, is recorded as ``conference_held`` with the id given here as ``conference``.

    Fields:
        conference: the id its ``conference_held`` entry will have
        planned: when it is to meet, in EDTF
        number: its number in the instrument's series of conferences
        instrument: the instrument (its id) under which it meets
        series: the periodic series it belongs to
        extraordinary: true for an extraordinary meeting, outside the periodic ones
        host: the party that is to host it
        place: where it is to meet
        title: its name

    Example:
        {kind: conference_convened, id: assembly-2021-convened, date: "2021-01-15", conference: assembly-2021,
         planned: "2021-03-10/2021-03-11", instrument: agreement-2020, host: TAR, place: {en: Tartu}}
    """

    conference: Slug
    planned: str
    number: int | None = None
    instrument: str | None = None
    series: str | None = None
    extraordinary: bool = False
    host: PartyCode | None = None
    place: Text = {}
    title: Text = {}


# --- instruments and their life -------------------------------------------------


class Signatory(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """Who signed an instrument for a party.

    Fields:
        party: the party's code
        person: who signed, by name
        office: that person's office, in words
    """

    party: PartyCode
    person: str | None = None
    office: str | None = None


class Binding(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """What the final clauses say makes a party bound, and how it leaves.

    Fields:
        by: ``signature``: bound on signing; ``ratification``: on depositing an instrument of ratification,
          acceptance, approval or accession
        deposits: the instrument enters into force ``days_after`` days after this many deposits; none: on its
          recorded entry into force
        days_after: a party depositing after the entry into force is bound this many days after its own deposit
        notice_months: a withdrawal takes effect this many months after its notice; none: twelve, as the Vienna
          Convention on the Law of Treaties, Art. 56, has it for a treaty that says nothing
    """

    by: Literal["signature", "ratification"] = "ratification"
    deposits: Annotated[int, msgspec.Meta(ge=1)] | None = None
    days_after: Annotated[int, msgspec.Meta(ge=0)] = 0
    notice_months: Annotated[int, msgspec.Meta(ge=0)] | None = None


class InstrumentSigned(Event, tag="instrument_signed", kw_only=True, frozen=True):
    """The parties sign an instrument: a treaty, a declaration, a protocol, a commitment or an agreement.

    Fields:
        instrument: the instrument's id, which its treaty file and every entry about it use
        title: its name
        form: what kind of instrument it is
        place: where it was signed
        parties: the parties that signed it
        signatories: who signed for each party
        in_force_on_signature: true for an instrument in force from its signature, with no ratification
        renews: the earlier instrument (its id) whose obligations this one renews: a new term of the same
          alliance
        binding: what makes each party bound, as the final clauses say; none: the signatories are bound on
          entry into force
        amends: the instrument (its id) this one amends: it binds only the parties that accept it
    """

    instrument: Slug
    title: Text
    form: Literal["treaty", "declaration", "protocol", "commitment", "agreement"] = "treaty"
    place: Text = {}
    parties: tuple[PartyCode, ...]
    signatories: tuple[Signatory, ...] = ()
    in_force_on_signature: bool = False
    renews: Slug | None = None
    binding: Binding | None = None
    amends: Slug | None = None


class InstrumentRatified(Event, tag="instrument_ratified", kw_only=True, frozen=True):
    """A party ratifies an instrument it signed.

    Fields:
        instrument: the instrument (its id)
        party: the party that ratifies it

    Example:
        {kind: instrument_ratified, id: agreement-ratified-tar, date: "2020-02-03", instrument: agreement-2020,
         party: TAR}
    """

    instrument: Slug
    party: PartyCode


class InstrumentAcceded(Event, tag="instrument_acceded", kw_only=True, frozen=True):
    """A party that did not sign an instrument accedes to it, and is bound by it from then on.

    Fields:
        instrument: the instrument (its id)
        party: the party that accedes

    Example:
        {kind: instrument_acceded, id: agreement-acceded-kau, date: "2022-06-01", instrument: agreement-2020,
         party: KAU}
    """

    instrument: Slug
    party: PartyCode


class InstrumentEnteredIntoForce(Event, tag="instrument_entered_into_force", kw_only=True, frozen=True):
    """An instrument enters into force: its rules bind its parties from this day.

    Fields:
        instrument: the instrument (its id)
    """

    instrument: Slug


class InstrumentTerminated(Event, tag="instrument_terminated", kw_only=True, frozen=True):
    """A party denounces or annuls an instrument, or the instrument lapses as a whole.

    With ``party`` set, that party stops being bound; an instrument left with
    fewer than two parties ends.  Without ``party``, the whole instrument ends.

    Fields:
        instrument: the instrument (its id)
        party: the party that stops being bound; omitted, the whole instrument ends
        mode: how it ends; ``by_decision``: the parties decided to end it (``proposal``)
        proposal: with ``mode: by_decision``, the proposal (its id) whose acceptance ended it

    Example:
        {kind: instrument_terminated, id: agreement-ended, date: "2030-01-01", instrument: agreement-2020,
         mode: by_decision, proposal: wind-up}
    """

    instrument: Slug
    party: PartyCode | None = None
    mode: Literal["denounced", "annulled", "lapsed", "expired", "by_decision"] = "denounced"
    proposal: Slug | None = None


class WithdrawalNotified(Event, tag="withdrawal_notified", kw_only=True, frozen=True):
    """A party gives written notice of withdrawal: it is on notice from ``date`` and stops being bound when the
    notice period of the instrument's final clauses (``binding.notice_months``) has run.

    Fields:
        instrument: the instrument (its id) it withdraws from
        party: the party that gives notice

    Example:
        {kind: withdrawal_notified, id: vil-gives-notice, date: "2024-03-01", instrument: convention-2020,
         party: VIL}
    """

    instrument: Slug
    party: PartyCode


class RightsSuspended(Event, tag="rights_suspended", kw_only=True, frozen=True):
    """A member's rights under an instrument suspended from ``date`` (to ``until``, if set, else until
    restored): its obligations stay, its ``rights`` do not (its vote, its turn in the presidency, its seat).

    Fields:
        instrument: the instrument (its id) under which the rights are suspended
        party: the member whose rights are suspended
        rights: which rights: its vote, its turn in the presidency, its seat
        until: the last day of the suspension, if it ends on a set day; none: until restored
        proposal: the decision (the proposal's id) it rests on

    Example:
        {kind: rights_suspended, id: vil-suspended, date: "2022-03-03", instrument: convention-2020, party: VIL,
         rights: [vote, presidency]}
    """

    instrument: Slug
    party: PartyCode
    rights: tuple[Literal["vote", "presidency", "seat"], ...] = ("vote", "presidency", "seat")
    until: str | None = None
    proposal: Slug | None = None


class RightsRestored(Event, tag="rights_restored", kw_only=True, frozen=True):
    """A member's suspended rights under an instrument restored from ``date``.

    Fields:
        instrument: the instrument (its id) under which the rights were suspended
        party: the member whose rights are restored
        proposal: the decision (the proposal's id) it rests on

    Example:
        {kind: rights_restored, id: vil-restored, date: "2023-03-03", instrument: convention-2020, party: VIL}
    """

    instrument: Slug
    party: PartyCode
    proposal: Slug | None = None


class IntentDeclared(Event, tag="intent_declared", kw_only=True, frozen=True):
    """A party declares it is ready to do something, e.g. accede to an instrument.

    Fields:
        party: the party that declares it
        intent: what it is ready to do
        instrument: the instrument (its id) the intent is about
        text: the declaration, in words
    """

    party: PartyCode
    intent: Literal["accede", "other"] = "other"
    instrument: str | None = None
    text: Text = {}


class BodyEstablished(Event, tag="body_established", kw_only=True, frozen=True):
    """A common body or organ: a bureau, a secretariat, a joint publication.

    Fields:
        body: the body's id
        title: its name
        instrument: the instrument (its id) that establishes it
        parties: the parties that establish it
    """

    body: Slug
    title: Text
    instrument: str | None = None
    parties: tuple[PartyCode, ...] = ()


# --- consultation ------------------------------------------------------------------


class QuestionRaised(Event, tag="question_raised", kw_only=True, frozen=True):
    """A question of common importance is raised for the parties to consult on.

    Fields:
        question: the question's id, which the positions on it name
        instrument: the instrument (its id) under which it is raised
        subject: what it is about, as one word the treaty files use (an excluded subject is named so)
        title: the question, in words
    """

    question: Slug
    instrument: str | None = None
    subject: str
    title: Text


class PositionStated(Event, tag="position_stated", kw_only=True, frozen=True):
    """A party states its position on a question raised.

    Fields:
        question: the question (its id)
        party: the party whose position it is
        stance: the position: for, against, abstaining, or a statement that is none of these
        text: the position, in words
    """

    question: Slug
    party: PartyCode
    stance: Literal["support", "oppose", "abstain", "statement"] = "statement"
    text: Text = {}


# --- assistance --------------------------------------------------------------------


class AssistanceRequested(Event, tag="assistance_requested", kw_only=True, frozen=True):
    """A party asks others for the assistance an instrument promises.

    Fields:
        request: the request's id, which the responses name
        instrument: the instrument (its id) under which assistance is asked for
        requester: the party that asks
        addressees: the parties asked
        subject: what it is about, as one word the treaty files use (an excluded subject is named so)
        title: the request, in words
    """

    request: Slug
    instrument: str | None = None
    requester: PartyCode
    addressees: tuple[PartyCode, ...]
    subject: str
    title: Text = {}


class AssistanceResponded(Event, tag="assistance_responded", kw_only=True, frozen=True):
    """A party asked for assistance answers the request.

    Fields:
        request: the request (its id)
        party: the party that answers
        response: whether it gives the assistance or refuses it
        text: the answer, in words
    """

    request: Slug
    party: PartyCode
    response: Literal["given", "refused"]
    text: Text = {}


# --- proposals and decisions ---------------------------------------------------------


class ProposalMade(Event, tag="proposal_made", kw_only=True, frozen=True):
    """A party proposes a motion, for the parties to decide by the treaty's decision rule.

    Fields:
        proposal: the proposal's id, which its decision names
        instrument: the instrument (its id) under which it is made
        proposer: the party that makes it
        motion: what is proposed: ``consent`` to the act recorded as ``target``, ``elect_president`` the party
          ``target``
        target: what the motion is about: a question, an entry or a party
        title: the proposal, in words
        article: the article it is decided under (whose decision procedure, if it has one, applies)
        concerns: the party the decision concerns, left out of the count by a procedure that excludes the party
          concerned; none: the ``target``, where that is a party
        meeting: the conference (its id) it is put to: the members among its participants are present
        procedure: ``meeting``: decided at a meeting; ``written``: circulated in writing and adopted at the end
          of ``objections_by`` unless a member objects by then (each objection an ``objection_raised`` entry)
        objections_by: with the written procedure, the last day for objections
    """

    proposal: Slug
    instrument: str | None = None
    proposer: PartyCode
    motion: Motion = "other"
    target: str | None = None
    title: Text = {}
    article: str | None = None
    concerns: PartyCode | None = None
    meeting: Slug | None = None
    procedure: Literal["meeting", "written"] = "meeting"
    objections_by: str | None = None


class ProposalDecided(Event, tag="proposal_decided", kw_only=True, frozen=True):
    """The parties decide a proposal.

    Fields:
        proposal: the proposal (its id)
        outcome: whether it was accepted or rejected
        votes: each party's vote, by its code, where the record has them; the rules check the outcome against
          the decision rule
        present: the members present who cast no vote, counted for a quorum
        not_accepted_by: where the source records no vote but says who did not accept the proposal: those
          parties (codes); the rules say "not accepted by" them and count no vote
    """

    proposal: Slug
    outcome: Literal["accepted", "rejected"]
    votes: dict[str, Literal["yes", "no", "abstain"]] = {}
    present: tuple[PartyCode, ...] = ()
    not_accepted_by: tuple[PartyCode, ...] = ()


class ObjectionRaised(Event, tag="objection_raised", kw_only=True, frozen=True):
    """A party objects to a proposal circulated in writing: it is not adopted by silence.

    Fields:
        proposal: the proposal (its id) objected to
        party: the party that objects
        text: the objection, in words

    Example:
        {kind: objection_raised, id: tar-objects, date: "2021-09-10", proposal: budget-2022, party: TAR}
    """

    proposal: Slug
    party: PartyCode
    text: Text = {}


class DutyDone(Event, tag="duty_done", kw_only=True, frozen=True):
    """A party does what a duty of an instrument asks of it in a period: pays its contribution, submits its
    report, ratifies (the ``duties`` rule kind judges each party's duty by its day).

    Fields:
        instrument: the instrument (its id) whose duty it is
        party: the party that does it
        duty: the duty's name, as the ``duties`` rule names it (its ``duty`` setting)
        period: a day (or year, or month) in the period it is done for, where that is not the period its date falls
          in: a contribution paid in arrears, or ahead
        text: what was done, in words

    Example:
        {kind: duty_done, id: tar-pays-2021, date: "2021-03-15", instrument: agreement-2020, party: TAR,
         duty: contribution}
    """

    instrument: Slug
    party: PartyCode
    duty: Slug
    period: str | None = None
    text: Text = {}


class RuleChanged(Event, tag="rule_changed", kw_only=True, frozen=True):
    """A decision of the parties that changes a rule's settings from ``effective`` on.

    Fields:
        instrument: the instrument (its id) whose rule changes
        rule: the rule's id in the treaty file, or the id of the rule the decision adds
        settings: the settings that change, with their new values (those of the rule's kind)
        rule_kind: for a rule the treaty text does not have, which the decision adds: its kind
        article: for a rule the decision adds: the article it stands beside
        effective: the day the change applies from; omitted, the entry's own date
        parties: the parties that decided it
        title: the decision, in words

    Example:
        {kind: rule_changed, id: assembly-twice-yearly, date: "2023-05-10", instrument: agreement-2020,
         rule: assembly-yearly, settings: {minimum: 2}, effective: "2024-01-01",
         title: {en: "The General Assembly meets twice a year"}}
    """

    instrument: str
    rule: str
    settings: dict[str, object]
    rule_kind: str | None = None
    article: str | None = None
    effective: str | None = None
    parties: tuple[PartyCode, ...] = ()
    title: Text = {}


class DecisionTaken(Event, tag="decision_taken", kw_only=True, frozen=True):
    """Something the parties agreed (at ``conference``, if one) that changes no rule of an instrument:
    a working arrangement, recorded and shown, not judged.

    Fields:
        title: what was agreed, in words
        instrument: the instrument (its id) under which it was agreed
        conference: the conference (its id) at which it was agreed
        parties: the parties that agreed it
    """

    title: Text
    instrument: str | None = None
    conference: Slug | None = None
    parties: tuple[PartyCode, ...] = ()


# --- the record about itself ----------------------------------------------------------


class ClassificationAmended(Event, tag="classification_amended", kw_only=True, frozen=True):
    """The secretariat changes who may see an earlier entry (``target``); this entry is classified as the new one.

    Without ``since``, the new classification holds on every day, as if the entry had always been so
    classified.  With it, the entry is classified as before until that day and as ``to`` from it on: a view
    at an earlier day shows it to no one the earlier classification hides it from.  A dated amendment is seen,
    from its day, by everyone who then sees its target, so the source of a publication shows beside what it
    made public.

    Fields:
        target: the entry (its id) whose classification changes
        to: the entry's new classification
        since: the day from which ``to`` holds (EDTF; a month or a year counts from its last day); omitted, every day
        how: what made the entry known that day: ``published``, ``declassified`` or ``leaked``

    Example:
        {kind: classification_amended, id: side-letter-published, date: "2024-01-01",
         target: side-letter-signed, to: public, since: "2024-01-01", how: published,
         classification: {instrument: side-letter},
         source: {document: minutes, lang: en, quote: "The side letter is published with these minutes."}}
    """

    target: Slug
    to: Classification
    since: str | None = None
    how: Literal["published", "declassified", "leaked"] | None = None


class EntryCorrected(Event, tag="entry_corrected", kw_only=True, frozen=True):
    """An earlier entry (``target``) as it should read (``entry``, under the same id), for ``reason``.

    The earlier entry is not changed: it stays in the record's history, and every
    view shows the latest correction in its place.  ``source`` says what the
    correction rests on; ``date`` is the corrected entry's own date.

    Fields:
        target: the entry (its id) corrected
        reason: why it is corrected
        entry: the whole entry as it should read, with its ``kind`` and under the same id

    Example:
        {kind: entry_corrected, id: assembly-2021-corrected, date: "2021-03-10", target: assembly-2021,
         reason: "The minutes name Tartu, not Riga, as the place.",
         source: {document: minutes, lang: en, quote: "The Assembly met in Tartu on 10 March 2021."},
         entry: {kind: conference_held, id: assembly-2021, date: "2021-03-10", instrument: agreement-2020,
                 host: TAR, place: {en: Tartu}}}
    """

    target: Slug
    reason: str
    entry: AnyEvent


class EntryRetracted(Event, tag="entry_retracted", kw_only=True, frozen=True):
    """An earlier entry (``target``) withdrawn for ``reason``: views leave it out, its history keeps it.

    Fields:
        target: the entry (its id) withdrawn
        reason: why it is withdrawn

    Example:
        {kind: entry_retracted, id: assembly-2021-retracted, date: "2021-03-10", target: assembly-2021,
         reason: "The assembly of March 2021 was called off.",
         source: {document: minutes, lang: en, quote: "The Assembly planned for March 2021 did not take place."}}
    """

    target: Slug
    reason: str


class FieldErased(Event, tag="field_erased", kw_only=True, frozen=True):
    """Personal data in an earlier entry (``target``, at ``field``) erased for every viewer, as ``requested_by`` asked.

    The value is gone from the store; the entry keeps the rest, and its leaf keeps
    the value's salted digest, so every log, checkpoint and proof stays valid and
    no one can find the value again by guessing.  This entry never holds the value.
    The secretariat records it (``entente erase``), classified as its target is.

    Fields:
        target: the entry (its id) that held the value
        field: where the value was in it: field names and list positions joined by ``/``
          (``participants/0/person``)
        requested_by: who asked for the erasure (the person named, or who speaks for them)
        reason: why it is erased, such as the law the request rests on

    Example:
        {kind: field_erased, id: assembly-2021-delegate-erased, date: "2024-05-02", target: assembly-2021,
         field: participants/0/person, requested_by: "the delegate, by letter of 2 May 2024",
         reason: "Erasure of personal data on request."}
    """

    target: Slug
    field: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]+(/([a-z_]+|[0-9]+))*$", max_length=200)]
    requested_by: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


# --- the world outside ---------------------------------------------------------------


class OutsideEvent(Event, tag="outside_event", kw_only=True, frozen=True):
    """Something done by others that the union's rules or history refer to.

    Fields:
        category: what kind of event it is, as one word the treaty files use (such as ``non_aggression_pact``)
        parties: the states that took part in it
        title: what happened, in words
    """

    category: str
    parties: tuple[PartyCode, ...] = ()
    title: Text


# Every kind of event, once: a new kind is added here, and everything that lists kinds derives from this.
AnyEvent = (
    ConferenceConvened
    | ConferenceHeld
    | InstrumentSigned
    | InstrumentRatified
    | InstrumentAcceded
    | InstrumentEnteredIntoForce
    | InstrumentTerminated
    | WithdrawalNotified
    | RightsSuspended
    | RightsRestored
    | IntentDeclared
    | BodyEstablished
    | QuestionRaised
    | PositionStated
    | AssistanceRequested
    | AssistanceResponded
    | ProposalMade
    | ProposalDecided
    | ObjectionRaised
    | DutyDone
    | RuleChanged
    | DecisionTaken
    | ClassificationAmended
    | EntryCorrected
    | EntryRetracted
    | FieldErased
    | OutsideEvent
)

EVENT_TYPES: tuple[type[Event], ...] = typing.get_args(AnyEvent)

KINDS: dict[str, type[Event]] = {t.__struct_config__.tag: t for t in EVENT_TYPES}  # type: ignore[misc]


def kind_of(event: Event) -> str:
    return type(event).__struct_config__.tag  # type: ignore[return-value]


def english(text: Text, fallback: str = "") -> str:
    """The English form of a multilingual text, else any form there is."""
    if not text:
        return fallback
    return text.get("en") or next(iter(text.values()))
