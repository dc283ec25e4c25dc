"""Why a finding comes out as it does: its trace, as data.

A trace holds what a reader needs to check a verdict by hand: the article and its text, the rule and the reading
it takes, the settings in force on the day judged with the entry that set them, the entries the finding counted
and those of the kinds the rule reads that it left out (with why), and what the rule worked out on the way
(``Finding.steps``).  It is made from the viewer's own view, like every view, so it names no entry that viewer
may not see.  Pure: (union, treaties, the record a viewer sees, a day, a finding's identifier) in, a trace out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import msgspec

from entente.replay.dated import DatedState, state_at
from entente.rules import Finding, dated, judge
from entente.rules.base import INFERRED
from entente.rules.concerns import READS
from entente.views.reports import JUDGED_ON, HeldTitles, Record, describe
from entente.views.trace_steps import described
from entente.vocabulary import dates
from entente.vocabulary.events import (
    AssistanceResponded,
    ConferenceHeld,
    DutyDone,
    Event,
    InstrumentSigned,
    ObjectionRaised,
    PositionStated,
    ProposalDecided,
    RuleChanged,
    Text,
    english,
    kind_of,
)
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union


class TracedArticle(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    instrument: str
    article: str
    title: str
    text: str
    lang: str  # the language ``text`` is in: the one asked for where the file has it, else English


class TracedRule(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    kind: str
    reading: str | None = None  # the reading in words
    reading_name: str | None = None  # the named reading the finding follows, where the rule is contested


class SettingsEpoch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    since: str | None  # the first day these settings hold (None: from the treaty's beginning)
    settings: dict[str, Any]
    set_by: str | None  # the entry (a decision) that set them; None: the treaty file's own


class TracedEntry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    kind: str
    date: str
    what: str  # the entry in one sentence
    why: str | None = None  # for an entry left out: why it was not counted


class Trace(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why one finding comes out as it does, on the viewer's own view."""

    finding: Finding
    at: str  # the day the union was judged on
    lang: str
    article: TracedArticle
    rule: TracedRule
    day_judged: str  # the day the settings below were in force on: the period's last day, or ``at``
    settings: SettingsEpoch  # those in force on ``day_judged``, with the entry that set them
    history: list[SettingsEpoch]  # every change of the rule's settings up to ``at``
    counted: list[TracedEntry]  # the finding's evidence, in order
    left_out: list[TracedEntry]  # entries of the kinds the rule reads, on the finding's days, not counted
    # What the rule worked out on the way, named: for each kind, as ``views.trace_steps`` says.
    steps: Annotated[dict[str, Any], msgspec.Meta(description=described())]
    verdict: str
    judged_on: str = JUDGED_ON


def _in(text: Text, lang: str) -> tuple[str, str]:
    if text.get(lang):
        return text[lang], lang
    return english(text), "en"


def _spec(treaty: Treaty, rule_id: str, changes: list[RuleChanged]) -> tuple[Article, RuleSpec] | None:
    """The rule, and its article: in the treaty text, or added by a decision."""
    for article, spec in treaty.rules():
        if spec.id == rule_id:
            return article, spec
    added = next((c for c in changes if c.instrument == treaty.instrument and c.rule == rule_id and c.rule_kind), None)
    if added is None or added.rule_kind is None:
        return None
    article = next((a for a in treaty.articles if a.article == added.article), Article(article=added.article or ""))
    return article, RuleSpec(id=rule_id, kind=added.rule_kind, reading=f"added by the decision {added.id}")


def _history(spec: RuleSpec, treaty: Treaty, changes: list[RuleChanged], in_text: bool) -> list[SettingsEpoch]:
    """The rule's settings as dated values, each with the entry that set it (as ``rules.base.dated_settings``
    orders them: by effective day)."""
    merged = dict(spec.settings)
    out = [SettingsEpoch(since=None, settings=dict(merged), set_by=None)] if in_text else []
    mine = sorted((c for c in changes if c.instrument == treaty.instrument and c.rule == spec.id),
                  key=lambda c: c.effective or dates.start(c.date))
    for change in mine:
        merged.update(change.settings)
        out.append(SettingsEpoch(since=change.effective or dates.start(change.date), settings=dict(merged),
                                 set_by=change.id))
    return out


def _day_judged(finding: Finding, at: str) -> tuple[str, tuple[str, str] | None]:
    """The day whose settings judged the finding, and the days it covers (None where it names no period).

    An item judged by the settings of its own day (a proposal, a request, a meeting's place, a duty's day) says
    which day in its steps (``settings_day``)."""
    try:
        first, last = dates.bounds(finding.period) if finding.period else ("", "")
    except dates.DateError:
        first = last = ""
    own = finding.steps.get("settings_day")
    if not first:
        return min(own, at) if isinstance(own, str) else at, None
    return min(own or last, at), (first, last)


def _why_left_out(event: Event, settings: Mapping[str, Any], finding: Finding) -> str:
    """Why an entry of a kind the rule reads, on the finding's days, is not among those it counted."""
    if event.inferred:
        return INFERRED
    if isinstance(event, DutyDone):
        if event.duty != settings.get("duty"):
            return "it does another duty"
        if event.party not in finding.parties:
            return "it is another party's"
        return "a later entry for the same period"
    if isinstance(event, ConferenceHeld):
        series = settings.get("series")
        if series is not None and event.series not in ([series] if isinstance(series, str) else series):
            return f"of the series {event.series or 'none'}, not of {series}"
        if event.extraordinary and not settings.get("count_extraordinary", True):
            return "an extraordinary meeting, which the settings do not count"
    return "not among the entries this finding rests on"


def _why_not_about(event: Event, steps: Mapping[str, Any]) -> str:
    """Why an entry on the finding's question, request or proposal is not among those it counted."""
    party = getattr(event, "party", None)
    if event.inferred:
        return INFERRED
    if isinstance(event, PositionStated):
        return "its party was not bound on the day the question was raised" if party not in steps.get("bound", ()) \
            else "a later position of the same party replaced it"
    if isinstance(event, AssistanceResponded):
        return "its party was not an addressee bound on the day of the request" \
            if party not in steps.get("owing", ()) else "a later answer of the same party replaced it"
    if isinstance(event, ObjectionRaised):
        return "raised after the closing day" if dates.start(event.date) > steps.get("closes", "9999") \
            else "its party was not a member counted"
    if isinstance(event, ProposalDecided):
        return "a later decision replaced it"
    return "not among the entries this finding rests on"


# The kinds judging one question, request or proposal (their finding's subject) on the entries answering it.
_ITEM_KINDS = ("consultation", "mutual_assistance", "proposals")


_ANSWERS = (PositionStated, AssistanceResponded, ObjectionRaised, ProposalDecided)


def _on(e: Event) -> str | None:
    """The question, request or proposal an answer, objection or decision is on (None for other entries)."""
    if not isinstance(e, _ANSWERS):
        return None
    if isinstance(e, PositionStated):
        return e.question
    if isinstance(e, AssistanceResponded):
        return e.request
    if isinstance(e, ObjectionRaised | ProposalDecided):
        return e.proposal
    return None


def _item_left_out(events: Sequence[Event], by_id: Mapping[str, Event], finding: Finding
                   ) -> list[tuple[Event, str]]:
    """For a finding on one question, request, proposal, party or instrument: the entries on it that it did not
    count, with why (as its steps show)."""
    steps, subject, evidence = finding.steps, finding.subject, set(finding.evidence)
    out: list[tuple[Event, str]] = []
    if finding.rule in _ITEM_KINDS:
        out += [(e, _why_not_about(e, steps)) for e in events if _on(e) == subject and e.id not in evidence]
    # A party's forbidden acts on days the obligation did not hold; acts that did not end an instrument early.
    out += [(by_id[a["id"]], "the condition had been met by its day" if a["condition_met_on"] else
             "the settings of its day did not oblige the party" if not a["obliged"] else
             "outside the days the obligation held") for a in steps.get("forbidden_acts", ())
            if a["id"] not in evidence and a["id"] in by_id]
    out += [(by_id[a["id"]], _why_not_early(a, steps)) for a in steps.get("ending_acts", ())
            if a["id"] not in evidence and a["id"] in by_id]
    return out


def _why_not_early(act: Mapping[str, Any], steps: Mapping[str, Any]) -> str:
    """Why a denunciation, annulment or notice is not counted as ending an instrument before its term."""
    if steps.get("in_force_from") is None or act["on"] < dates.start(steps["in_force_from"]):
        return "before the instrument entered into force"
    if act["term_ends"] is None or act["takes_effect"] >= act["term_ends"]:
        return "it did not take effect before the end of the term it fell in"
    if steps.get("ended_otherwise_on"):
        return "under this reading the instrument ended otherwise (reported, not judged)"
    return "not among the entries this finding rests on"


# The kinds that judge item by item (questions, requests, proposals) and can judge one item alone (``focus``).
_FOCUSED = _ITEM_KINDS


def _traced(union: Union, treaties: Mapping[str, Treaty], folded: DatedState, at: str, reading: str | None,
            kind: str, finding_id: str) -> Finding | None:
    """The finding with the steps its rule took; None where the viewer has no such finding.

    Found first as a compliance run finds it (no steps kept), then judged again keeping its steps: of a kind that
    judges item by item, only its own item, so a trace costs about what a compliance run of its kind does."""
    findings, _ = judge(union, treaties, folded, at, reading, due_wanted=False, kinds={kind})
    plain = next((f for f in findings if f.id == finding_id), None)
    if plain is None and reading is None:
        # Not among the findings under every reading: one judged under a reading alone (as ``compliance
        # --reading`` gives them), of those that bear on the rule (its findings name them).
        rule_id = finding_id.rpartition(".")[0]
        bearing = dict.fromkeys(n.strip() for f in findings if f.id.rpartition(".")[0] == rule_id
                                for n in (f.reading_name or "").split(",") if n.strip())
        for read in bearing:
            again, _ = judge(union, treaties, folded, at, read, due_wanted=False, kinds={kind})
            if (plain := next((f for f in again if f.id == finding_id), None)) is not None:
                reading = read
                break
    if plain is None:
        return None
    focus = frozenset({plain.subject}) if kind in _FOCUSED and plain.subject else None
    for narrowed in (focus, None) if focus else (None,):
        again, _ = judge(union, treaties, folded, at, reading, due_wanted=False, kinds={kind}, focus=narrowed,
                         traced=True)
        if (found := next((f for f in again if f.id == finding_id), None)) is not None:
            return found
    return None


def trace(union: Union, treaties: Mapping[str, Treaty], record: Record | DatedState, at: str, finding_id: str,
          lang: str = "en", reading: str | None = None) -> Trace | None:
    """The trace of the finding ``finding_id`` on ``at``, as the viewer whose record this is sees it; None where
    that viewer has no such finding (an unknown one and one it may not see read the same).  ``reading``: of a
    finding judged under that reading only (as ``compliance`` judges with a reading asked for)."""
    instrument, _, rest = finding_id.partition(".")
    rule_id = rest.rpartition(".")[0]
    treaty = treaties.get(instrument)
    folded = dated(record)
    state = state_at(folded, at)
    if treaty is None or instrument not in state.instruments:
        return None
    found = _spec(treaty, rule_id, state.rule_changes)
    if found is None:
        return None
    article, spec = found
    finding = _traced(union, treaties, folded, at, reading, spec.kind, finding_id)
    if finding is None:
        return None
    names = [n.strip() for n in (finding.reading_name or "").split(",") if n.strip()]
    read = spec.under(names[0] if names else None)
    history = _history(read, treaty, state.rule_changes, in_text=any(r.id == spec.id for _, r in treaty.rules()))
    day, days = _day_judged(finding, at)
    in_force = next((e for e in reversed(history) if e.since is None or e.since <= day), history[0])
    # The entries a trace may name: its evidence, and the acts its steps list (a record can be large: no index of
    # every entry is built for one trace).
    wanted = {*finding.evidence, *(a["id"] for key in ("forbidden_acts", "ending_acts")
                                   for a in finding.steps.get(key, ()))}
    by_id = {e.id: e for e in state.events if e.id in wanted}
    titles = {e.instrument: english(e.title) for e in state.events if isinstance(e, InstrumentSigned)}

    named = HeldTitles(folded)

    def entry(e: Event, why: str | None = None) -> TracedEntry:
        return TracedEntry(id=e.id, kind=kind_of(e), date=e.date, what=describe(e, union, titles, named=named),
                           why=why)

    counted = [entry(by_id[i]) for i in finding.evidence if i in by_id]
    reads = READS.get(spec.kind)
    left_out = []
    if days is not None and reads:
        left_out = [entry(e, _why_left_out(e, in_force.settings, finding)) for e in state.events
                    if isinstance(e, reads) and e.id not in finding.evidence
                    and days[0] <= dates.start(e.date) <= days[1]
                    and getattr(e, "instrument", instrument) in (None, instrument)]
    elif days is None:
        left_out = [entry(e, why) for e, why in _item_left_out(state.events, by_id, finding)]
    text, text_lang = _in(article.text, lang)
    return Trace(finding=finding, at=at, lang=lang,
                 article=TracedArticle(instrument=instrument, article=article.article,
                                       title=_in(article.title, lang)[0], text=text, lang=text_lang),
                 rule=TracedRule(id=spec.id, kind=spec.kind, reading=finding.reading or read.reading,
                                 reading_name=finding.reading_name),
                 day_judged=day, settings=in_force, history=history, counted=counted, left_out=left_out,
                 steps=dict(finding.steps), verdict=finding.status)


__all__ = ["Trace", "trace"]
