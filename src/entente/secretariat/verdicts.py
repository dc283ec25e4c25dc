"""How one rule's verdicts changed over record time: each version of them, with the entries whose recording changed
them, as an entry's history gives its versions.

The day judged stays the same; what moves is the record as it stood (``known_at``): a conference recorded late, a
correction, a withdrawal or a decision changes what the rule finds about that same day.  Each version is judged on
what the asking viewer could see of the record then, through the one visibility filter, so a version counts no
entry the viewer may not see, and an entry it may not see changes nothing it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from entente import rules
from entente.rules.concerns import kinds_concerned
from entente.secretariat.clearance import Viewer, cleared, instrument_parties, visible
from entente.secretariat.service import Secretariat
from entente.views.reports import entry_titles, instrument_titles, summarised, title_forms
from entente.vocabulary.events import ClassificationAmended, EntryCorrected, EntryRetracted, Event, kind_of

# What an act did to the entry it names, in the words an entry's history uses.
_CHANGES = {"entry_corrected": "corrected", "entry_retracted": "retracted", "classification_amended": "reclassified"}

# The entries named beside a version at most: the first version of a record loaded from its file counts them all.
NAMED = 12


def verdict_history(s: Secretariat, viewer: Viewer, instrument: str, rule: str, kind: str, day: str,
                    reading: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
    """The versions of rule ``rule`` (of kind ``kind``) of ``instrument``'s verdicts on ``day``, oldest first: each
    with the record time it holds from (``recorded``), its findings, and the entries recorded then that changed it
    (what each now says, or the correction, withdrawal or reclassification and its reason); with ``known_at``,
    only the versions recorded by then."""
    versions = _Versions(s, viewer, instrument, rule, kind, day, reading)
    before: dict[str, Event] = {}
    # The moments at which an entry the rule reads was recorded: only there can its verdicts change.
    for moment in sorted({e.recorded for e in versions.record if e.recorded and
                          (known_at is None or e.recorded <= known_at) and _concerns(e, kind)}):
        shown = visible(versions.record, viewer, moment, at=day)
        now = {e.id: e for e in shown}
        changed = [e for e in shown if before.get(e.id) != e] + [e for i, e in before.items() if i not in now]
        before = now
        versions.judge(moment, shown, now, [e for e in changed if _concerns(e, kind)])
    return versions.made


def carried_history(s: Secretariat, viewer: Viewer, instrument: str, rule: str, kind: str, day: str,
                    reading: str | None, earlier: list[dict[str, Any]], added: Sequence[Event]) -> list[dict[str, Any]]:
    """``verdict_history`` of the record as it is, from the versions ``earlier`` made of it before ``added``
    (ordinary entries recorded after it, none of which changes an entry before it): only the moments ``added``
    were recorded at are judged, as what was recorded before them stands."""
    versions = _Versions(s, viewer, instrument, rule, kind, day, reading, earlier)
    for moment in sorted({e.recorded for e in added if e.recorded and _concerns(e, kind)}):
        shown = visible(versions.record, viewer, moment, at=day)
        versions.judge(moment, shown, {e.id: e for e in shown},
                       [e for e in shown if e.recorded == moment and _concerns(e, kind)])
    return versions.made


class _Versions:
    """A rule's versions of its verdicts as they are made, moment by moment."""

    def __init__(self, s: Secretariat, viewer: Viewer, instrument: str, rule: str, kind: str, day: str,
                 reading: str | None, earlier: Sequence[dict[str, Any]] = ()) -> None:
        self.s, self.viewer, self.instrument, self.rule, self.kind, self.day = s, viewer, instrument, rule, kind, day
        self.reading = reading
        # The record the service holds (erasures applied, as the store's are), not decoded from the store again:
        # caught up with it first, as a page read as the record stood (``known_at``) does not catch it up.
        s.seen(viewer)
        self.record = list(s.projections.record)
        self.acts = {(e.recorded, e.target): e for e in self.record
                     if isinstance(e, EntryCorrected | EntryRetracted | ClassificationAmended)}
        self.parties_of = instrument_parties(visible(self.record, viewer))
        self.made = list(earlier)

    def judge(self, moment: str, shown: list[Event], now: dict[str, Event], concerning: list[Event]) -> None:
        """A version at ``moment`` (what the viewer saw then: ``shown``, by id ``now``), if an entry recorded then
        that the rule reads (``concerning``) changed its verdicts."""
        if not concerning:
            return
        found = [msgspec.to_builtins(f) for f in rules.compliance(self.s.union, self.s.treaties, shown, self.day,
                                                                    self.reading, kinds={self.kind})
                 if f.instrument == self.instrument and f.rule_id == self.rule]
        if _verdicts(found) == (_verdicts(self.made[-1]["findings"]) if self.made else []):
            return
        titles = (instrument_titles(shown), title_forms(shown), entry_titles(shown))
        named = [_entry(e, now, self.acts.get((moment, e.id)), self.s, titles, self.viewer, self.parties_of)
                 for e in concerning]
        self.made.append({"version": len(self.made) + 1, "recorded": moment, "findings": found,
                          "entries": named[:NAMED], "more": max(0, len(named) - NAMED)})


def _verdicts(findings: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(f["id"], f["status"], f["detail"]) for f in findings]


def _concerns(e: Event, kind: str) -> bool:
    return (kinds := kinds_concerned([e])) is None or kind in kinds


def _entry(e: Event, now: dict[str, Event], act: Event | None, s: Secretariat,
           titles: tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, str]]],
           viewer: Viewer, parties_of: dict[str, set[str]]) -> dict[str, Any]:
    """One entry whose recording made a version: what it says, and the act on it with its reason, if one was."""
    change = "recorded" if act is None else _CHANGES.get(kind_of(act), "recorded") if e.id in now else "retracted"
    shown_act = act if act is not None and cleared(act, viewer, parties_of) else None
    return {"id": e.id, "kind": kind_of(e), "date": e.date, "change": change,
            **summarised(e, s.union, *titles),
            "act": None if shown_act is None else {"id": shown_act.id, "reason": getattr(shown_act, "reason", None)}}


def finding_versions(versions: Sequence[dict[str, Any]], finding_id: str) -> list[dict[str, Any]]:
    """The versions of one finding (by its stable id) among a rule's: those in which it appears or changes."""
    out: list[dict[str, Any]] = []
    last: tuple[str, str] | None = None
    for v in versions:
        mine = next((f for f in v["findings"] if f["id"] == finding_id), None)
        said = None if mine is None else (mine["status"], mine["detail"])
        if said != last:
            out.append({**v, "findings": [mine] if mine else []})
            last = said
    return out
