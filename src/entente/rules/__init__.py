"""Rule kinds and the evaluation of a union's treaties against its record.

Each rule kind is a module with a ``Settings`` struct, ``evaluate(ctx, settings)``
returning findings and, where the kind makes something due, ``due(ctx, settings)``.
Everything here is pure: (union, treaties, the record folded into dated state,
a date) in, findings out.  The record is folded once per call (or not at all,
when the caller holds the dated state); each rule reads days off it.

Where the sources dispute a rule, it is judged under each of its readings; a
kind that reads other rules' settings says which (``consults``), sees them
under the reading judged, and is judged under each of their readings too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import msgspec

from entente.replay.dated import DatedState, fold, state_at
from entente.replay.model import UnionState
from entente.rules import (
    conditional_commitment,
    consent_to_acts,
    consultation,
    duration,
    duties,
    excluded_subjects,
    host_rotation,
    mutual_assistance,
    periodic_meetings,
    presidency,
    proposals,
    suspension,
)
from entente.rules.base import Context, Due, Finding, dated_settings, finding_id, identified, settings_on
from entente.vocabulary import dates
from entente.vocabulary import treaty as treaty_files
from entente.vocabulary.events import Event
from entente.vocabulary.said import Said
from entente.vocabulary.treaty import AS_WRITTEN_WORDS, Article, RuleSpec, Treaty
from entente.vocabulary.union import Union

KINDS: dict[str, ModuleType] = {
    "periodic_meetings": periodic_meetings,
    "host_rotation": host_rotation,
    "consultation": consultation,
    "excluded_subjects": excluded_subjects,
    "mutual_assistance": mutual_assistance,
    "conditional_commitment": conditional_commitment,
    "proposals": proposals,
    "suspension": suspension,
    "duration": duration,
    "presidency": presidency,
    "consent_to_acts": consent_to_acts,
    "duties": duties,
}

SETTINGS: dict[str, type] = {name: kind.Settings for name, kind in KINDS.items()}


def read_treaty(path: Path) -> Treaty:
    """One treaty file, each rule's settings checked against its kind."""
    return treaty_files.read_treaty(path, SETTINGS)


def read_treaties(union_folder: Path) -> dict[str, Treaty]:
    """Every treaty file of a union folder, by instrument."""
    return treaty_files.read_treaties(union_folder, SETTINGS)


def _added_rules(treaty: Treaty, s: UnionState) -> list[tuple[Article, RuleSpec]]:
    """Rules a decision added that the treaty text does not have."""
    known = {r.id for _, r in treaty.rules()}
    articles = {a.article: a for a in treaty.articles}
    added = []
    for change in s.rule_changes:
        if change.instrument == treaty.instrument and change.rule_kind and change.rule not in known:
            article = articles.get(change.article or "", Article(article=change.article or "decision"))
            added.append((article, RuleSpec(id=change.rule, kind=change.rule_kind, settings={},
                                             reading=f"added by the decision {change.id}")))
            known.add(change.rule)
    return added


def dated(record: DatedState | Iterable[Event]) -> DatedState:
    """The record as dated state: a projection's own, or the events folded once here."""
    return record if isinstance(record, DatedState) else fold(record)


class _Rule(NamedTuple):
    kind: ModuleType
    treaty: Treaty
    article: Article
    spec: RuleSpec
    in_text: bool  # the treaty's text has it (else a decision added it)


@dataclass(frozen=True)
class _Day:
    """What every rule is judged against on one day: the union, its treaties, the record, the state that day."""

    union: Union
    treaties: dict[str, Treaty]
    record: DatedState
    state: UnionState
    at: str
    focus: frozenset[str] | None = None  # the questions, requests and proposals to judge; None: all
    days: tuple[str, str] | None = None  # the first and last day whose periods and meetings to judge; None: all
    traced: bool = False  # findings keep the steps their rule took (for a trace)

    def rules(self, kinds: set[str] | None = None) -> Iterator[_Rule]:
        """Every rule (of ``kinds``, where given) of every instrument the record holds and the viewer sees, and
        whether the text has it."""
        for treaty in self.treaties.values():
            if treaty.instrument not in self.state.instruments:
                continue  # not signed yet, or not visible to this viewer: nothing to say
            in_text = {r.id for _, r in treaty.rules()}
            for article, rule in treaty.rules() + _added_rules(treaty, self.state):
                if kinds is None or rule.kind in kinds:
                    yield _Rule(KINDS[rule.kind], treaty, article, rule, rule.id in in_text)

    def under(self, rule: _Rule, reading: str | None) -> tuple[Context, Any] | None:
        """The rule's context and settings under a reading (None: every contested rule its first)."""
        spec, treaty = rule.spec.under(reading), rule.treaty
        epochs = tuple(dated_settings(spec, rule.kind.Settings, self.state.rule_changes, treaty.instrument,
                                      in_text=rule.in_text))
        settings = settings_on(epochs, self.at)
        if settings is None:
            return None  # added by a decision that takes effect after ``at``
        return Context(union=self.union, treaty=treaty, article=rule.article, spec=spec, dated=self.record,
                       state=self.state, at=self.at, epochs=epochs, treaties=self.treaties,
                       reading_name=reading, focus=self.focus, days=self.days, traced=self.traced), settings

    def bearing(self, rule: _Rule) -> list[str]:
        """The readings a rule is judged under, whatever items it judges: its own, then those of the rules its
        kind reads the settings of (``consults``) in the instruments the record holds."""
        names = [r.name for r in rule.spec.readings]
        if (consults := getattr(rule.kind, "consults", None)) is not None:
            names += [r.name for t in self.treaties.values() if t.instrument in self.state.instruments
                      for _, spec in t.rules() if spec.readings and consults(rule.treaty.instrument, t, spec)
                      for r in spec.readings]
        return list(dict.fromkeys(names))

    def first(self, rule: _Rule, reading: str | None) -> tuple[Context, Any] | None:
        """The rule under ``reading``, or under the first reading that bears on it (what is due follows it)."""
        return self.under(rule, reading if reading is not None else next(iter(self.bearing(rule)), None))


def _day(union: Union, treaties: Mapping[str, Treaty], record: DatedState, at: str,
         focus: frozenset[str] | None = None, days: tuple[str, str] | None = None, traced: bool = False) -> _Day:
    state = state_at(record, at)
    # A reading that rests on an instrument the viewer does not know of is not the viewer's to be given.
    known = {k: t.as_known(state.instruments) for k, t in treaties.items()}
    return _Day(union=union, treaties=known, record=record, state=state, at=at, focus=focus, days=days,
                traced=traced)


def reading_names(treaties: Mapping[str, Treaty], instruments: Collection[str] | None = None) -> list[str]:
    """Every name a reading of a contested rule has (of those ``instruments`` only, where given), in the order
    of the treaty files."""
    return list(dict.fromkeys(r.name for t in treaties.values() if instruments is None or t.instrument in instruments
                              for _, spec in t.rules() for r in spec.readings
                              if instruments is None or all(i in instruments for i in r.rests_on)))


def _named(findings: list[Finding], name: str | None) -> list[Finding]:
    return [msgspec.structs.replace(f, reading_name=name) for f in findings]


def _where_readings_differ(by_reading: dict[str, list[Finding]]) -> list[Finding]:
    """A rule's findings under each reading: one for each period or subject every reading gives the same verdict
    on in the same words, naming them all; else every reading's, each naming its own (readings that agree on the
    verdict but not on why, such as how an instrument ended, are shown side by side)."""
    every = ", ".join(by_reading)
    groups: dict[tuple[str | None, str | None], list[Finding]] = {}
    for name, findings in by_reading.items():
        for f in _named(findings, name):
            groups.setdefault((f.period, f.subject), []).append(f)
    out: list[Finding] = []
    for same in groups.values():
        agree = len(same) == len(by_reading) and len({(f.status, f.detail) for f in same}) == 1
        out += [msgspec.structs.replace(same[0], reading_name=every)] if agree else same
    return out


def _judge_rule(day: _Day, rule: _Rule, reading: str | None) -> tuple[list[Finding], tuple[Context, Any] | None]:
    """A rule's findings under every reading that bears on it, its own and those of the rules it consults (or
    under ``reading`` only), and its context under the first of them, which what is due follows."""
    bearing = day.bearing(rule)
    start = reading if reading is not None else next(iter(bearing), None)
    first = day.under(rule, start)
    if first is None:
        return [], None
    findings = rule.kind.evaluate(*first)
    # A contested rule read by a kind that does not say so (``consults``) bears on it too (read now: what is due
    # may read others).
    bearing += [n for n in first[0].consulted if n not in bearing]
    if not bearing:  # undisputed: the findings name the one reading its file gives (``as-written`` unless named)
        words = rule.spec.reading or AS_WRITTEN_WORDS
        return [msgspec.structs.replace(f, reading=f.reading or words) for f in _named(findings, rule.spec.reading_name)
                ], first
    if reading is not None:  # the rule, and those it consults, took the reading asked for or their first
        return _named(findings, reading if reading in bearing else bearing[0]), first
    by_reading = {start: findings} if start is not None else {}
    for name in bearing:  # grows while a reading leads the rule to consult another contested rule
        if name not in by_reading:
            ctx, settings = day.under(rule, name) or first
            by_reading[name] = rule.kind.evaluate(ctx, settings)
            bearing += [n for n in ctx.consulted if n not in bearing]
    return _where_readings_differ(by_reading), first


def judge(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str,
          reading: str | None = None, *, findings_wanted: bool = True, due_wanted: bool = True,
          kinds: set[str] | None = None, focus: frozenset[str] | None = None, days: tuple[str, str] | None = None,
          traced: bool = False) -> tuple[list[Finding], list[Due]]:
    """The findings of every rule and what every rule makes due on ``at``, from the record folded once.

    ``record`` is the dated state a projection holds, or the events (folded here).  A rule is judged under each
    reading of its own and of the rules whose settings it consults (one finding per reading where their verdicts
    differ), or only under ``reading``; what is due follows each rule's first reading, or ``reading``.
    ``kinds`` and ``focus`` narrow the judgement to the rules, and the questions, requests and proposals, a new
    entry concerns (``concerns``): a rule that judges item by item then judges only those.  ``days`` narrows it
    to the days new entries fall on: a rule that judges period by period (or meeting by meeting) then judges
    only the periods (meetings) touching them.  ``traced`` keeps on each finding the steps its rule took (a
    trace asks for them; a compliance run does not, so it pays nothing for them).
    """
    day = _day(union, treaties, dated(record), at, focus, days, traced)
    findings: list[Finding] = []
    items: list[Due] = []
    for rule in day.rules(kinds):
        if findings_wanted:
            found, first = _judge_rule(day, rule, reading)
            findings += found
        else:
            first = day.first(rule, reading)
        if due_wanted and first is not None and hasattr(rule.kind, "due"):
            items += rule.kind.due(*first)
    return identified(findings), items


class Office(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One party's term in an instrument's presidency, as a presidency rule reads the record."""

    instrument: str
    rule_id: str
    article: str
    holder: str
    since: str
    until: str | None = None  # the day it passed on (None: held on the day asked about, with no end set)
    current: bool = False  # held on the day asked about
    why: str
    reason: Said | None = None  # ``why`` as data, for a view to say in its reader's language
    evidence: list[str] = []


def presidencies(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str
                 ) -> list[Office]:
    """Who held each presidency from when to when, up to ``at``."""
    offices = []
    day = _day(union, treaties, dated(record), at)
    for rule in day.rules():
        if rule.kind is presidency and (judged := day.under(rule, None)):
            ctx, settings = judged
            # No presidency after its instrument has ended: the office ends with it.
            ended = dates.start(ctx.instrument.ended) if ctx.instrument and ctx.instrument.ended else None
            offices += [Office(instrument=ctx.treaty.instrument, rule_id=ctx.spec.id, article=ctx.article.article,
                               holder=t.holder, since=t.since, until=t.until, why=t.why, reason=t.reason,
                               evidence=t.evidence,
                               current=t.since <= at and (t.until is None or at < t.until)
                               and (ended is None or at < ended))
                        for t in presidency.terms(ctx, settings) if t.since <= at]
    return offices


def compliance(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str,
               reading: str | None = None, *, kinds: set[str] | None = None, focus: frozenset[str] | None = None,
               days: tuple[str, str] | None = None) -> list[Finding]:
    return judge(union, treaties, record, at, reading, due_wanted=False, kinds=kinds, focus=focus, days=days)[0]


RuleKey = tuple[str, str]  # a rule as its findings name it: its instrument and its id


def judged_by_rule(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str,
                   reading: str | None = None, *, kinds: set[str] | None = None,
                   known: Collection[RuleKey] = ()) -> list[tuple[RuleKey, list[Finding] | None]]:
    """Each rule's findings (``compliance``), rule by rule in the order it gives them; with ``kinds``, only the
    rules of those kinds, and those not in ``known``, are judged: the others' findings are None."""
    day = _day(union, treaties, dated(record), at)
    return [((rule.treaty.instrument, rule.spec.id),
             identified(_judge_rule(day, rule, reading)[0])
             if kinds is None or rule.spec.kind in kinds or (rule.treaty.instrument, rule.spec.id) not in known
             else None)
            for rule in day.rules()]


def due(union: Union, treaties: Mapping[str, Treaty], record: DatedState | Iterable[Event], at: str) -> list[Due]:
    return judge(union, treaties, record, at, findings_wanted=False)[1]


__all__ = ["KINDS", "Context", "Due", "Finding", "Office", "RuleKey", "compliance", "dated", "due", "finding_id",
           "judge", "judged_by_rule", "presidencies", "reading_names"]
