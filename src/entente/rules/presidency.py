"""Presidency: who presides over each conference of the instrument.

The host's minister presides; at a conference held outside the parties'
territory (no host, or a host that is not a party) the minister of the state
that hosted the previous conference presides.  The record often does not name
the chair: then the finding names who it should have been, and judges nothing.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from entente.rules import host_rotation
from entente.rules.base import Context, Due, Finding
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceHeld, english


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    chair: Literal["host"] = "host"
    outside: Literal["previous_host"] = "previous_host"
    series: str | None = None  # as in host_rotation: only conferences of this series
    office: str = "foreign minister"  # who presides for a state, in words


def _conferences(ctx: Context, s: Settings) -> list[ConferenceHeld]:
    return [e for e in ctx.events if isinstance(e, ConferenceHeld) and e.instrument == ctx.treaty.instrument
            and e.series == s.series]


def _label(m: ConferenceHeld) -> str:
    number = f"conference {m.number}" if m.number else m.id
    return f"{number} ({english(m.place) or m.host or 'outside the parties'}, {m.date})"


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = []
    previous: str | None = None  # the last host that was a party
    by = f"by Article {ctx.article.article}"
    for m in _conferences(ctx, s):
        parties = ctx.bound(dates.start(m.date)) or \
            (ctx.instrument.signatories if ctx.instrument else [])
        inside = m.host is not None and m.host in parties
        expected = m.host if inside else previous
        why = f"{expected}'s {s.office} (the host)" if inside else \
            f"{expected}'s {s.office} (held outside the parties' territory; {expected} hosted the previous conference)"
        if inside:
            previous = m.host
        if m.chair is None:
            detail = f"the record does not name the chair; {by} it was {why}" if expected else \
                "the record does not name the chair, and no earlier conference was hosted by a party"
            findings.append(ctx.finding("not_applicable", detail, subject=_label(m), evidence=[m.id]))
        elif expected is None:
            findings.append(ctx.finding("not_applicable", f"chaired by {m.chair}; held outside the parties' "
                                        "territory with no earlier conference hosted by a party, so the article "
                                        "names no chair", subject=_label(m), evidence=[m.id]))
        else:
            ok = m.chair == expected
            detail = f"chaired by {m.chair}" + (": " if ok else ", but ") + f"{by} it was {why}"
            findings.append(ctx.finding("met" if ok else "breach", detail, subject=_label(m), evidence=[m.id]))
    return findings or [ctx.finding("not_applicable", "no conference of the series is recorded yet")]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    # The next chair follows the next host: ask this treaty's host rotation rule, if it has one.
    for article, spec in ctx.treaty.rules():
        if spec.kind == "host_rotation":
            other = ctx.for_rule(article, spec, host_rotation.Settings)
            rotation = other.settings_on(ctx.at)
            if rotation is None or rotation.series != s.series:
                continue
            for item in host_rotation.due(other, rotation):
                hosts = item.parties
                return [ctx.due("chair", f"the next conference is presided over by the {s.office} of its host, "
                                f"{' or '.join(hosts)} ({ctx.cite()}; {spec.id})", host=item.host, parties=hosts)]
    return [ctx.due("chair", f"the next conference is presided over by the host's {s.office} ({ctx.cite()})")]
