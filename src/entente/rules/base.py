"""What every rule kind shares: the context it reads, the findings and due items it returns.

A rule is pure: it sees the union, the treaty, the record the viewer may see
folded once into dated state (``replay.dated``), the state on the day judged,
and its own settings as dated values, never the store or the clock.  It looks
days up in the dated state; it never replays the record.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

import msgspec

from entente.replay.dated import DatedState, bound, instrument_on
from entente.replay.model import InstrumentState, UnionState
from entente.rules.outcome import Outcome
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceHeld, Event, RuleChanged, english
from entente.vocabulary.said import Day, Said, Term, Value, listed, said, say
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union

T = TypeVar("T")

Status = Literal["met", "breach", "pending", "not_applicable"]

# What a rule says of an entry the record infers (``inferred: true``) instead of judging it.
INFERRED_SAID = said("inferred by the record, not stated by a source: reported, not judged")
INFERRED = INFERRED_SAID.text


def _effective(change: RuleChanged) -> str:
    return change.effective or dates.start(change.date)


def dated_settings(spec: RuleSpec, settings_type: type, changes: Sequence[RuleChanged], instrument: str,
                   in_text: bool = True) -> list[tuple[str, Any]]:
    """A rule's settings as dated values: (first day, settings in force from it), in order of day.

    The treaty's own settings hold from the beginning (``in_text``; a rule added by a decision has none
    until its effective day); each decision changing the rule applies from its effective day only.
    """
    merged: dict[str, Any] = dict(spec.settings)
    epochs: list[tuple[str, Any]] = [("", msgspec.convert(merged, settings_type))] if in_text else []
    mine = sorted((c for c in changes if c.instrument == instrument and c.rule == spec.id), key=_effective)
    for change in mine:
        merged.update(change.settings)
        epochs.append((_effective(change), msgspec.convert(merged, settings_type)))
    return epochs


def settings_on(epochs: Sequence[tuple[str, Any]], day: str) -> Any | None:
    """The settings in force on ``day``, or None before the rule applied at all."""
    i = bisect_right(epochs, day, key=_first)
    return epochs[i - 1][1] if i else None


def _first(epoch: tuple[str, Any]) -> str:
    return epoch[0]


def spans(epochs: Sequence[tuple[str, Any]], first: date, last: date) -> list[tuple[date, date, Any]]:
    """The runs of days in [first, last] over which the settings stay the same, each with its settings."""
    out = []
    for n, (day, settings) in enumerate(epochs):
        begin = max(first, date.fromisoformat(day)) if day else first
        end = min(last, date.fromisoformat(epochs[n + 1][0]) - timedelta(days=1)) if n + 1 < len(epochs) else last
        if begin <= end:
            out.append((begin, end, settings))
    return out


class Finding(msgspec.Struct, kw_only=True, omit_defaults=True):
    rule: str  # the rule kind
    rule_id: str
    instrument: str
    article: str
    status: Status
    detail: str  # the verdict in English words
    said: Said | None = None  # the same verdict as data, for a view to say in its reader's language
    period: str | None = None
    subject: str | None = None
    about: Said | None = None  # the subject as data, where the rule gave it so
    reading: str | None = None  # the interpretation used, in words
    # Where the rule, or a rule it consults, has several readings: the one this finding follows, or, where
    # every reading gives the same verdict, all of them ("calendar, rolling").
    reading_name: str | None = None
    evidence: list[str] = []
    outcome: Outcome | None = None  # a decision's outcome, as data, where the finding judges one
    # The parties the finding is about (the one that owed a duty, chaired, hosted or did not answer); empty: the
    # instrument's parties as a whole.  ``party`` lists a party's breaches by it.
    parties: list[str] = []
    # What the rule worked out on its way to the verdict, named, as data a trace shows (``views.traces``); kept only
    # where the judgement was asked to keep them (``Context.traced``), so a compliance run carries none.
    steps: dict[str, Any] = {}
    id: str = ""  # the finding's stable identifier (``finding_id``), given once the reading it follows is known


# What makes a finding the same finding in two runs, or two versions of the record: the rest is its verdict.
FINDING_KEY = ("instrument", "rule_id", "article", "period", "subject", "reading_name")


def finding_id(finding: Finding | Mapping[str, Any]) -> str:
    """A finding's identifier: its instrument and rule, and a digest of what makes it the same finding.

    It depends on no verdict, no entry and no position in the record, so the same finding keeps it across runs,
    record versions and scenarios, and it tells nothing a viewer of the finding does not already read in it.
    """
    # Read off the finding itself (every field of the key is a string or None), not off a copy of it as data.
    get = finding.get if isinstance(finding, Mapping) else lambda k: getattr(finding, k)
    key = "\x1f".join(str(get(k) or "") for k in FINDING_KEY)
    return f"{get('instrument')}.{get('rule_id')}.{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def identified(findings: Iterable[Finding]) -> list[Finding]:
    """The findings, each given its identifier."""
    return [msgspec.structs.replace(f, id=finding_id(f)) for f in findings]


class Due(msgspec.Struct, kw_only=True, omit_defaults=True):
    rule: str
    rule_id: str
    instrument: str
    article: str
    what: str
    detail: str
    said: Said | None = None  # the detail as data, for a view to say in its reader's language
    by: str | None = None  # the last day it may be done on
    earliest: str | None = None  # the first day it may be done on (e.g. after a notice period)
    series: str | list[str] | None = None  # the meeting series it belongs to, for rules that count meetings
    on: str | None = None  # a fixed day, e.g. of an expiry
    host: str | None = None
    place: str | None = None
    parties: list[str] = []
    evidence: list[str] = []


Series = str | list[str] | None  # a meeting series, several, or None for every meeting of the instrument


def titled(title: Mapping[str, str] | None, fallback: str) -> Term:
    """An entry's title as the record gives it: in English, else ``fallback``, and in its other languages."""
    return Term(text=english(dict(title or {}), fallback), forms=dict(title or {}))


def entry_named(title: Mapping[str, str] | None, id_: str) -> Said | None:
    """What a finding is about, where it is an entry with a title (a proposal, a question, a request, an act): its
    title in each language the record gives it in, for a view to name it by; None where it has none."""
    return said("%(words)s", words=titled(title, id_)) if english(dict(title or {})) else None


def named(union: Union, codes: Iterable[str]) -> Value:
    """Parties by their names, in each language the union names them in ("Aland and Bland"), as a source
    names them; a party the union does not name by its code."""
    items: list[Value] = [Term(text=english(dict(p.names), code), forms=dict(p.names))
                          if (p := union.party(code)) is not None else code for code in sorted(codes)]
    return said("no party") if not items else items[0] if len(items) == 1 else listed(items)


def meeting_label(m: ConferenceHeld, nowhere: Value) -> Said:
    """A meeting by its number (else its id), its place (else ``nowhere``) and its days."""
    place: Value = Term(text=english(m.place), forms=dict(m.place)) if english(m.place) else nowhere
    if m.number:
        return said("conference %(number)s (%(place)s, %(day)s)", number=m.number, place=place, day=Day(edtf=m.date))
    return said("%(id)s (%(place)s, %(day)s)", id=m.id, place=place, day=Day(edtf=m.date))


def in_series(meeting: ConferenceHeld, series: Series) -> bool:
    return series is None or meeting.series == series or (isinstance(series, list) and meeting.series in series)


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at: the dated state, the state on the day judged, its own dated settings."""

    union: Union
    treaty: Treaty
    article: Article
    spec: RuleSpec
    dated: DatedState
    state: UnionState  # the union at the end of ``at``
    at: str
    epochs: tuple[tuple[str, Any], ...] = ()  # this rule's settings as dated values (``dated_settings``)
    treaties: dict[str, Treaty] = field(default_factory=dict)
    # The reading judged under: every rule with a reading of this name takes it, every other contested rule its
    # first (None: each its first).  It holds for the rules this one consults as for this one.
    reading_name: str | None = None
    # The names of the readings of the contested rules this one consulted (an ordered set, shared with the
    # contexts made from this one), so that it is judged under each of them too.
    consulted: dict[str, None] = field(default_factory=dict)
    # The names of the questions, requests and proposals to judge (those a new entry concerns); None: all.
    focus: frozenset[str] | None = None
    # The first and last day new entries fall on: a rule judging period by period, or meeting by meeting, judges
    # only the periods and meetings that touch them (the others read as before the entries); None: all.
    days: tuple[str, str] | None = None
    # Whether a trace is being made: only then do findings keep the steps the rule took (``Finding.steps``), so
    # a compliance run carries none.
    traced: bool = False

    def touches(self, first: str, last: str) -> bool:
        """Whether the days ``first`` to ``last`` are to be judged (they meet ``days``, where it is given)."""
        return self.days is None or (first <= self.days[1] and self.days[0] <= last)

    def owed(self, table: str) -> Iterable[str] | None:
        """The names of the questions (``table``: "questions", "requests", "proposals") on which something
        may still be owed at ``at``: at the record's end, those the fold left unsettled; else any (None)."""
        if self.at < self.dated.last_day:
            return None
        return self.dated.unsettled.get(table, {}).keys()

    def items(self, table: Mapping[str, T], names: Iterable[str] | None = None) -> Iterable[T]:
        """The questions (requests, proposals) of a state's table to judge: those named, those in focus, or all."""
        if names is None and self.focus is not None:
            names = sorted(self.focus)
        if names is None:
            return table.values()
        return [item for name in names if (item := table.get(name)) is not None]

    @property
    def events(self) -> Sequence[Event]:
        """The events up to ``at``, in valid-time order."""
        return self.state.events

    @property
    def instrument(self) -> InstrumentState | None:
        return self.state.instruments.get(self.treaty.instrument)

    def bound(self, day: str, instrument: str | None = None) -> list[str]:
        """The parties the instrument (by default the rule's own) bound at the end of ``day``."""
        return bound(self.dated, instrument or self.treaty.instrument, day)

    def voters(self, day: str, instrument: str | None = None) -> tuple[list[str], dict[str, str]]:
        """The members whose votes count on ``day`` under the instrument (by default the rule's own), and the
        parties bound then whose votes do not, with why."""
        on = instrument_on(self.dated, instrument or self.treaty.instrument, day)
        if on is None:
            return [], {}
        out = {p: "its vote is suspended" for p in on.parties if "vote" in on.suspended.get(p, ())}
        return [p for p in on.parties if p not in out], out

    def holds_right(self, party: str, right: str, day: str) -> bool:
        """Whether ``party`` is bound by the rule's instrument at the end of ``day`` with ``right`` (vote,
        presidency, seat) not suspended."""
        on = instrument_on(self.dated, self.treaty.instrument, day)
        return on is not None and party in on.parties and right not in on.suspended.get(party, ())

    def settings_on(self, day: str) -> Any | None:
        """This rule's settings in force on ``day`` (None before it applied)."""
        return settings_on(self.epochs, day)

    def settings_for(self, day: str) -> Any:
        """The settings to judge an item raised on ``day`` under: those then in force, or, for an item raised
        before the rule applied (one added by a decision), the rule as it was added, whatever changed since."""
        return settings_on(self.epochs, day) or self.epochs[0][1]

    def _as_read(self, spec: RuleSpec) -> RuleSpec:
        """Another rule under the reading judged under; its readings are noted as ones this rule depends on."""
        self.consulted.update(dict.fromkeys(r.name for r in spec.readings))
        return spec.under(self.reading_name)

    def settings_of(self, treaty: Treaty, spec: RuleSpec, settings_type: type, day: str) -> Any | None:
        """Another rule's settings in force on ``day``, under the reading judged under."""
        return settings_on(dated_settings(self._as_read(spec), settings_type, self.state.rule_changes,
                                          treaty.instrument), day)

    def for_rule(self, article: Article, spec: RuleSpec, settings_type: type) -> Context:
        """The context of another rule of the same treaty, with that rule's dated settings under the reading
        judged under."""
        spec = self._as_read(spec)
        epochs = dated_settings(spec, settings_type, self.state.rule_changes, self.treaty.instrument)
        return replace(self, article=article, spec=spec, epochs=tuple(epochs))

    def finding(self, status: Status, detail: str | Said, **kw: Any) -> Finding:
        """A finding of this rule; the judge names the reading it follows (``reading_name``) where there are several.
        A detail given as data (``Said``) is kept beside its English words."""
        if isinstance(detail, Said):
            kw["said"], detail = detail, say(detail)
        if isinstance(kw.get("subject"), Said):
            kw["about"] = kw["subject"]
            kw["subject"] = say(kw["about"])
        if not kw.get("period") and not kw.get("subject"):
            kw["subject"] = self.treaty.instrument  # every finding is about a period or a subject
        if not self.traced:
            kw.pop("steps", None)
        return Finding(rule=self.spec.kind, rule_id=self.spec.id, instrument=self.treaty.instrument,
                       article=self.article.article, status=status, detail=detail,
                       reading=kw.pop("reading", self.spec.reading), **kw)

    def due(self, what: str, detail: str | Said, **kw: Any) -> Due:
        if isinstance(detail, Said):
            kw["said"], detail = detail, say(detail)
        return Due(rule=self.spec.kind, rule_id=self.spec.id, instrument=self.treaty.instrument,
                   article=self.article.article, what=what, detail=detail, **kw)

    def cite(self) -> str:
        ref = self.article.article
        return f"{'Article ' if ref[:1].isdigit() else ''}{ref} of {self.treaty.instrument}"

    def cited(self) -> Said:
        """The article as ``cite`` says it, as data: "Article 2 of treaty-2001", "term of treaty-2001"."""
        ref, instrument = self.article.article, self.treaty.instrument
        if ref[:1].isdigit():
            return said("Article %(article)s of %(instrument)s", article=ref, instrument=instrument)
        return said("%(article)s of %(instrument)s", article=ref, instrument=instrument)
