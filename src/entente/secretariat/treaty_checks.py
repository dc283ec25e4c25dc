"""Entries checked against the treaty files: a decision changing or adding a rule, and a duty done.

A ``rule_changed`` names a rule its instrument's treaty file has (or a kind and an article, for a rule it adds)
and settings that rule's kind takes, each with a value it takes, written in the format the folder is written
for; a ``duty_done`` names a duty that a ``duties`` rule of its instrument names.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from entente.rules import KINDS
from entente.secretariat.folder_checks import needs_presidency
from entente.secretariat.related import Related
from entente.vocabulary.events import DutyDone, Event, RuleChanged
from entente.vocabulary.formats import FORMAT, affects, changes_since, refusal
from entente.vocabulary.naming import party_codes
from entente.vocabulary.said import Value, said
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union
from entente.vocabulary.yamlfile import dotted, explained_said


def rule_change(event: Event, treaties: Mapping[str, Treaty], union: Union,
                related: Related) -> list[tuple[str, Value]]:
    """A decision changing a rule names a rule the instrument's treaty file has (or a kind, for a rule it adds)
    and settings that rule's kind has, each with a value it takes."""
    if not isinstance(event, RuleChanged):
        return []
    treaty = treaties.get(event.instrument)
    if treaty is None:
        return [("instrument", said("no treaty file has instrument %(instrument)s; known: %(known)s",
                                    instrument=repr(event.instrument),
                                    known=", ".join(sorted(treaties)) or said("none")))]
    spec = next((r for _, r in treaty.rules() if r.id == event.rule), None)
    kind = event.rule_kind or (spec.kind if spec else None)
    if kind is None:
        return [("rule", said("%(instrument)s has no rule %(rule)s; its rules are %(rules)s (name rule_kind and "
                              "article to add one)", instrument=event.instrument, rule=repr(event.rule),
                              rules=", ".join(r.id for _, r in treaty.rules()) or said("none")))]
    if kind not in KINDS:
        return [("rule_kind", said("unknown rule kind %(kind)s; known: %(kinds)s", kind=repr(kind),
                                   kinds=", ".join(sorted(KINDS))))]
    merged = {**(spec.settings if spec else {}), **event.settings}
    if spec is None:  # a rule added by a decision is written in the folder's format, as a treaty file's rule is
        written_for = union.format or FORMAT
        for change in changes_since(written_for):
            if affects(change, kind, merged):
                return [("settings", refusal(change, written_for))]
    presided = any(r.kind == "presidency" for _, r in treaty.rules()) or any(
        c.instrument == event.instrument and c.rule_kind == "presidency" for c in related.rule_changes)
    if not presided and (setting := needs_presidency(kind, merged)) is not None:
        return [(f"settings.{setting.partition(':')[0]}", said(
            "rule %(rule)s would count by the presidency (%(setting)s), but %(instrument)s has no presidency rule to "
            "say who presides when: add one (kind: presidency) first", rule=repr(event.rule), setting=setting,
            instrument=event.instrument))]
    try:
        settings = msgspec.convert(merged, KINDS[kind].Settings)
    except msgspec.ValidationError as exc:
        path, message = explained_said(exc, KINDS[kind].Settings)
        return [(dotted(["settings", *path]) or "settings", message)]
    for path, code in party_codes(KINDS[kind].Settings, settings):
        if union.party(code) is None:
            return [(dotted(["settings", *path]) or "settings", said(
                "unknown party %(code)s: the parties of %(union)s are %(codes)s", code=repr(code), union=union.id,
                codes=", ".join(sorted(p.code for p in union.parties))))]
    return []


def duty(event: Event, treaties: Mapping[str, Treaty], related: Related) -> list[tuple[str, Value]]:
    """A duty done is one a ``duties`` rule of its instrument names: in its treaty file, or added or renamed by a
    decision recorded before it."""
    if not isinstance(event, DutyDone):
        return []
    treaty = treaties.get(event.instrument)
    specs = [r for _, r in treaty.rules() if r.kind == "duties"] if treaty else []
    duties = {str(s.settings.get("duty")) for s in specs}
    duties |= {str(r.settings["duty"]) for s in specs for r in s.readings if "duty" in r.settings}
    ids = {s.id for s in specs}
    duties |= {str(c.settings["duty"]) for c in related.rule_changes if c.instrument == event.instrument
               and "duty" in c.settings and (c.rule_kind == "duties" or c.rule in ids)}
    if event.duty in duties:
        return []
    named = said("its duties are %(duties)s", duties=", ".join(sorted(duties))) if duties else \
        said("no duties rule of it names one")
    return [("duty", said("%(instrument)s has no duty %(duty)s: %(named)s", instrument=event.instrument,
                          duty=repr(event.duty), named=named))]
