"""The event vocabulary: every kind of thing that can happen in a union.

Each kind is one typed `msgspec.Struct`, tagged by its `kind` name, with a
schema version.  The storage encoding (JSON), the API schema and the docs are
all derived from these definitions, so a field is added in exactly one place.

Common to every event:
- ``id``: a stable identifier, unique in the record;
- ``date``: valid time, an EDTF string (when it happened);
- ``recorded``: record time (when it was entered), set by the store;
- ``actor``: the party (or body) that acted;
- ``classification``: who may see it;
- ``source``: the document it comes from, quoted in its original language.
"""

from __future__ import annotations

import typing
from typing import Annotated, ClassVar, Literal

import msgspec

PartyCode = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9-]{1,15}$", description="a party code: ISO 3166 alpha-2 for a state")
]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=200, description="a stable identifier")]
# Multilingual text keyed by ISO 639-1 language code (lv, lt, et, en, fr, de, ru).
Text = dict[str, str]


class Source(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """Where a record comes from: a document, the words it uses, and a gloss."""

    document: str
    quote: str
    lang: str = "lv"
    gloss: str = ""
    note: str | None = None


class Restricted(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A classification narrower than public: the parties of an instrument, or named parties."""

    instrument: str | None = None
    parties: tuple[PartyCode, ...] = ()


Classification = Literal["public"] | Restricted


class Participant(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    party: PartyCode
    role: Literal["member", "observer", "host"] = "member"
    person: str | None = None
    office: str | None = None


class Event(
    msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True, omit_defaults=True, tag_field="kind"
):
    """Fields every event has.  Subclasses add what their kind needs."""

    version: ClassVar[int] = 1

    id: Slug
    date: str
    date_lv: str | None = None
    actor: PartyCode | None = None
    classification: Classification = "public"
    source: Source | None = None
    recorded: str | None = None
    note: str | None = None
    # The record infers this entry (no source states it): the rules report it and judge nothing on it.
    inferred: bool = False


# --- meetings -----------------------------------------------------------------


class ConferenceHeld(Event, tag="conference_held", kw_only=True, frozen=True):
    """A conference of the parties: numbered when it is one of an instrument's periodic series."""

    number: int | None = None
    instrument: str | None = None
    # Which periodic series it belongs to (e.g. foreign ministers); rules count meetings per series.
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
    party: PartyCode
    person: str | None = None
    office: str | None = None


class Binding(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """What the final clauses say makes a party bound, and how it leaves.

    ``by``: ``signature`` (bound on signing) or ``ratification`` (on depositing an instrument of
    ratification, acceptance, approval or accession).  With ``deposits`` the instrument enters into force
    ``days_after`` days after that many deposits; a party depositing later is bound ``days_after`` days after
    its own deposit.  ``notice_months``: a withdrawal takes effect that many months after its notice (none:
    twelve, as the Vienna Convention on the Law of Treaties, Art. 56, has it for a treaty that says nothing).
    """

    by: Literal["signature", "ratification"] = "ratification"
    deposits: Annotated[int, msgspec.Meta(ge=1)] | None = None
    days_after: Annotated[int, msgspec.Meta(ge=0)] = 0
    notice_months: Annotated[int, msgspec.Meta(ge=0)] | None = None


class InstrumentSigned(Event, tag="instrument_signed", kw_only=True, frozen=True):
    instrument: Slug
    title: Text
    form: Literal["treaty", "declaration", "protocol", "commitment", "agreement"] = "treaty"
    place: Text = {}
    parties: tuple[PartyCode, ...]
    signatories: tuple[Signatory, ...] = ()
    # A commitment in force on signature (no ratification step) says so here.
    in_force_on_signature: bool = False
    # The earlier instrument whose obligations this one renews (a new term of the same alliance).
    renews: Slug | None = None
    # What binds each party, as the final clauses say; none: the signatories are bound on entry into force.
    binding: Binding | None = None
    # The instrument this one amends: it binds only the parties it binds (those who accept it).
    amends: Slug | None = None


class InstrumentRatified(Event, tag="instrument_ratified", kw_only=True, frozen=True):
    instrument: Slug
    party: PartyCode


class InstrumentAcceded(Event, tag="instrument_acceded", kw_only=True, frozen=True):
    instrument: Slug
    party: PartyCode


class InstrumentEnteredIntoForce(Event, tag="instrument_entered_into_force", kw_only=True, frozen=True):
    instrument: Slug


class InstrumentTerminated(Event, tag="instrument_terminated", kw_only=True, frozen=True):
    """A party denounces or annuls an instrument, or the instrument lapses as a whole.

    With ``party`` set, that party stops being bound; an instrument left with
    fewer than two parties ends.  Without ``party``, the whole instrument ends.
    """

    instrument: Slug
    party: PartyCode | None = None
    mode: Literal["denounced", "annulled", "lapsed", "expired"] = "denounced"


class WithdrawalNotified(Event, tag="withdrawal_notified", kw_only=True, frozen=True):
    """A party gives written notice of withdrawal: it is on notice from ``date`` and stops being bound when the
    notice period of the instrument's final clauses (``binding.notice_months``) has run."""

    instrument: Slug
    party: PartyCode


class RightsSuspended(Event, tag="rights_suspended", kw_only=True, frozen=True):
    """A member's rights under an instrument suspended from ``date`` (to ``until``, if set, else until
    restored): its obligations stay, its ``rights`` do not (its vote, its turn in the presidency, its seat)."""

    instrument: Slug
    party: PartyCode
    rights: tuple[Literal["vote", "presidency", "seat"], ...] = ("vote", "presidency", "seat")
    until: str | None = None
    proposal: Slug | None = None  # the decision it rests on


class RightsRestored(Event, tag="rights_restored", kw_only=True, frozen=True):
    """A member's suspended rights under an instrument restored from ``date``."""

    instrument: Slug
    party: PartyCode
    proposal: Slug | None = None


class IntentDeclared(Event, tag="intent_declared", kw_only=True, frozen=True):
    """A party declares it is ready to do something, e.g. accede to an instrument."""

    party: PartyCode
    intent: Literal["accede", "other"] = "other"
    instrument: str | None = None
    text: Text = {}


class BodyEstablished(Event, tag="body_established", kw_only=True, frozen=True):
    """A common body or organ: a bureau, a secretariat, a joint publication."""

    body: Slug
    title: Text
    instrument: str | None = None
    parties: tuple[PartyCode, ...] = ()


# --- consultation ------------------------------------------------------------------


class QuestionRaised(Event, tag="question_raised", kw_only=True, frozen=True):
    question: Slug
    instrument: str | None = None
    subject: str
    title: Text


class PositionStated(Event, tag="position_stated", kw_only=True, frozen=True):
    question: Slug
    party: PartyCode
    stance: Literal["support", "oppose", "abstain", "statement"] = "statement"
    text: Text = {}


# --- assistance --------------------------------------------------------------------


class AssistanceRequested(Event, tag="assistance_requested", kw_only=True, frozen=True):
    request: Slug
    instrument: str | None = None
    requester: PartyCode
    addressees: tuple[PartyCode, ...]
    subject: str
    title: Text = {}


class AssistanceResponded(Event, tag="assistance_responded", kw_only=True, frozen=True):
    request: Slug
    party: PartyCode
    response: Literal["given", "refused"]
    text: Text = {}


# --- proposals and decisions ---------------------------------------------------------


class ProposalMade(Event, tag="proposal_made", kw_only=True, frozen=True):
    proposal: Slug
    instrument: str | None = None
    proposer: PartyCode
    # ``consent``: to the act recorded as ``target``; ``elect_president``: of the party ``target``.
    motion: Literal["convene_conference", "strike_point", "change_rule", "consent", "elect_president",
                    "other"] = "other"
    target: str | None = None  # what the motion is about: a question, an entry, a party
    title: Text = {}
    # The article it is decided under (whose ``decision``, if it has one, is the procedure).
    article: str | None = None
    # The party the decision concerns (left out of the count by ``excluding: concerned``); None: the
    # ``target``, where that is a party.
    concerns: PartyCode | None = None
    # The conference it is put to: the members among its participants are present.
    meeting: Slug | None = None
    # ``written``: circulated in writing, adopted at the end of ``objections_by`` unless a member objects by
    # then (each objection an ``objection_raised`` entry).
    procedure: Literal["meeting", "written"] = "meeting"
    objections_by: str | None = None


class ProposalDecided(Event, tag="proposal_decided", kw_only=True, frozen=True):
    proposal: Slug
    outcome: Literal["accepted", "rejected"]
    votes: dict[str, Literal["yes", "no", "abstain"]] = {}
    # Members present who cast no vote (for a quorum).
    present: tuple[PartyCode, ...] = ()


class ObjectionRaised(Event, tag="objection_raised", kw_only=True, frozen=True):
    """A party objects to a proposal circulated in writing: it is not adopted by silence."""

    proposal: Slug
    party: PartyCode
    text: Text = {}


class RuleChanged(Event, tag="rule_changed", kw_only=True, frozen=True):
    """A decision of the parties that changes a rule's settings from ``effective`` on."""

    instrument: str
    rule: str
    settings: dict[str, object]
    # A decision may add a rule the treaty text does not have: then it names the kind and the article.
    rule_kind: str | None = None
    article: str | None = None
    effective: str | None = None
    parties: tuple[PartyCode, ...] = ()
    title: Text = {}


class DecisionTaken(Event, tag="decision_taken", kw_only=True, frozen=True):
    """Something the parties agreed (at ``conference``, if one) that changes no rule of an instrument:
    a working arrangement, recorded and shown, not judged."""

    title: Text
    instrument: str | None = None
    conference: Slug | None = None
    parties: tuple[PartyCode, ...] = ()


# --- the record about itself ----------------------------------------------------------


class ClassificationAmended(Event, tag="classification_amended", kw_only=True, frozen=True):
    """The secretariat changes who may see an earlier entry (``target``); this entry is classified as the new one."""

    target: Slug
    to: Classification


class EntryCorrected(Event, tag="entry_corrected", kw_only=True, frozen=True):
    """An earlier entry (``target``) as it should read (``entry``, under the same id), for ``reason``.

    The earlier entry is not changed: it stays in the record's history, and every
    view shows the latest correction in its place.  ``source`` says what the
    correction rests on; ``date`` is the corrected entry's own date.
    """

    target: Slug
    reason: str
    entry: AnyEvent


class EntryRetracted(Event, tag="entry_retracted", kw_only=True, frozen=True):
    """An earlier entry (``target``) withdrawn for ``reason``: views leave it out, its history keeps it."""

    target: Slug
    reason: str


# --- the world outside ---------------------------------------------------------------


class OutsideEvent(Event, tag="outside_event", kw_only=True, frozen=True):
    """Something done by others that the union's rules or history refer to."""

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
    | RuleChanged
    | DecisionTaken
    | ClassificationAmended
    | EntryCorrected
    | EntryRetracted
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
