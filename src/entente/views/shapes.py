"""The shape of each read, as typed structures: what the OpenAPI document says every read answers.

The views in ``reports.py`` build plain data for every interface; these
structures describe it field by field, so a client learns the shape of a read
from the document as it learns the body of a write.  Each read names the version
of the record it was made from (``record_version``).  A test converts every
view's output of the Baltic record, with a version, into its shape, strictly, so
the document cannot drift from what is answered.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from entente.rules import Due, Finding, Office
from entente.views.coding import Coding
from entente.views.schedule import Proposal
from entente.views.traces import Trace
from entente.vocabulary.said import Said
from entente.vocabulary.treaty import DecisionRule, RuleSpec

Classification = Literal["public"] | dict[str, Any]
# The version of the record a read was made from, in each of its rows or once in its object (``versioned``):
# "entente/<union>/<viewer> <size> <root hash>", the viewer's log as signed; null when the log does not continue
# the last checkpoint signed of it, and so is not signed.
RecordVersion = str | None


class Source(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A source as cited: the document, its words (none for a work cited by its pages), where in it, and the
    kind of work it is."""

    document: str
    quote: str
    lang: str
    gloss: str
    pages: str | None
    note: str | None
    kind: str | None


class TimelineRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One entry: its kind and EDTF date with the days it can mean, a sentence saying what happened, its source."""

    id: str
    kind: str
    date: str
    start: str
    end: str
    recorded: str | None
    actor: str | None
    summary: str
    said: Said | None = None  # the summary as data, for a view to say in its reader's language
    titles: dict[str, str] | None  # the entry's own title in each language the record holds it in
    classification: Classification
    source: Source | None
    source_kind: str
    inferred: bool
    cites: list[Source]
    note: str | None
    record_version: RecordVersion


class SearchRow(TimelineRow, kw_only=True, forbid_unknown_fields=True):
    """A timeline row that matches a search, with its relevance (BM25 over what the viewer sees)."""

    score: float


class Participant(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    party: str
    role: str
    person: str | None


class ConferenceRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    number: int | None
    instrument: str | None
    extraordinary: bool
    host: str | None
    place: str | None
    places: dict[str, str] | None  # the place's name in each language the record holds it in
    date: str
    start: str
    end: str
    title: str | None
    participants: list[Participant]
    outcome: str | None
    classification: Classification
    source: Source | None
    source_kind: str
    inferred: bool
    cites: list[Source]
    record_version: RecordVersion


class InstrumentRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    title: str
    form: str
    status: Literal["signed", "in_force", "never_in_force", "terminated"]
    parties: list[str]
    signatories: list[str]
    signed: str
    in_force: str | None
    ended: str | None
    withdrawn: list[str]
    on_notice: dict[str, str]  # party -> the day its notified withdrawal takes effect
    suspended: dict[str, list[str]]  # party -> the rights suspended
    since: dict[str, str]  # party -> the day it has been bound from


class Standing(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who is what on the day: members (bound by an instrument in force), observers, suspended, on notice."""

    members: list[str]
    observers: list[str]  # observers admitted by the day
    roles: dict[str, list[str]]  # each role the union declares (e.g. a permanent participant) -> who holds it
    suspended: list[str]
    on_notice: list[str]
    signatories_not_bound: list[str]


class UnionStateView(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The instruments on a day, their status, who is bound by each, and who held each presidency when."""

    union: str
    at: str
    instruments: list[InstrumentRow]
    conferences_held: int  # under an instrument of the union
    other_conferences: int  # under none, such as those before the first treaty
    last_conference: str | None
    events_counted: int
    presidency: list[Office]
    standing: Standing
    record_version: RecordVersion


class Binding(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    title: str
    since: str | None  # the day it has bound the party from (its own deposit, or the entry into force)
    suspended: list[str]  # the party's rights suspended under it
    on_notice_until: str | None  # the day the party's notified withdrawal takes effect


class Signed(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    title: str
    status: str


class PartyView(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One party on one day: what binds it, what is due from it, its own breaches."""

    party: str
    name: str
    role: str | None  # its role on the day: none before the day it took it up (an observer's admission)
    role_since: str | None = None  # the day it took up its role, where the union gives one
    at: str
    bound_by: list[Binding]
    signed_not_bound: list[Signed]
    due: list[Due]
    breaches: list[Finding]
    presidency: list[Office]
    record_version: RecordVersion


class RuleDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A decision that changed (or added) a rule, beside the article's unchanged text."""

    id: str
    rule: str
    effective: str
    settings: dict[str, Any]
    title: str | None
    added: bool


class SettingChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A setting that differs between the two days asked, and the decisions that changed it."""

    rule: str
    setting: str
    before: Any
    after: Any
    by: list[str]


class Article(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    article: str
    title: str | None
    text: dict[str, str]
    # The text in runs, each with whether a rule's setting cites it; and what no setting cites.
    marked: dict[str, list[tuple[str, bool]]]
    uncited: dict[str, list[str]]
    rules: list[RuleSpec]  # with the settings in force on the day
    decisions: list[RuleDecision]
    changes: list[SettingChange] | None = None


class TreatyView(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An instrument article by article: its text beside the rules that execute it."""

    instrument: str
    title: str
    decision: DecisionRule
    accession: Literal["open", "closed"]
    at: str | None
    since: str | None
    articles: list[Article]
    record_version: RecordVersion


class AuditRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    at: str
    viewer: str
    action: str
    event_id: str | None
    reason: str


class FindingRow(Finding, kw_only=True):
    """A finding, as the compliance read answers it: with the record's version."""

    record_version: RecordVersion


class DueRow(Due, kw_only=True):
    """Something due, as the due read answers it: with the record's version."""

    record_version: RecordVersion


class ProposalRow(Proposal, kw_only=True):
    """A proposed next conference, as the next read answers it: with the record's version."""

    record_version: RecordVersion


class CodingRow(Coding, kw_only=True):
    """An instrument's alliance coding, as the code read answers it: with the record's version."""

    record_version: RecordVersion


class TraceView(Trace, kw_only=True, forbid_unknown_fields=True):
    """A finding's trace, as the trace read answers it: with the record's version."""

    record_version: RecordVersion


__all__ = ["AuditRow", "Coding", "CodingRow", "ConferenceRow", "Due", "DueRow", "Finding", "FindingRow", "PartyView",
           "Proposal", "ProposalRow", "RecordVersion", "SearchRow", "TimelineRow", "TraceView", "TreatyView",
           "UnionStateView"]
