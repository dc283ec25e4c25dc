"""Each instrument article by article on one day: its unchanged text, the passages its rules cite, the settings
in force that day and the decisions that set them, and what changed since an earlier day.

The text is never made from the settings: a rule a decision changed shows the
decision beside the article as the parties wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from entente.vocabulary import dates, passages
from entente.vocabulary.events import Event, InstrumentSigned, RuleChanged, english
from entente.vocabulary.treaty import Article, RuleSpec, Treaty


def _effective(change: RuleChanged) -> str:
    return change.effective or dates.start(change.date)


def _in_force(changes: Sequence[RuleChanged], day: str | None) -> list[RuleChanged]:
    """The decisions applying on ``day`` (every one recorded, without a day), by the day each applies from."""
    return sorted((c for c in changes if day is None or _effective(c) <= day), key=_effective)


def _settings(rule: str, base: dict[str, Any], changes: Sequence[RuleChanged]) -> dict[str, Any]:
    merged = dict(base)
    for change in changes:
        if change.rule == rule:
            merged.update(change.settings)
    return merged


def _cited(rules: Sequence[RuleSpec]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in rules:
        for texts in rule.cites.values():
            for lang, passage in texts.items():
                out.setdefault(lang, []).append(passage)
    return out


def _decision(change: RuleChanged) -> dict[str, Any]:
    return {"id": change.id, "rule": change.rule, "effective": _effective(change), "settings": change.settings,
            "title": english(change.title) or None, "added": change.rule_kind is not None}


def _article(treaty: Treaty, article: Article, applying: list[RuleChanged], before: list[RuleChanged] | None
             ) -> dict[str, Any]:
    mine = [c for c in applying if c.article == article.article or any(r.id == c.rule for r in article.rules)]
    added = [RuleSpec(id=c.rule, kind=c.rule_kind, settings={}) for c in mine
             if c.rule_kind is not None and not any(r.id == c.rule for r in article.rules)]
    added = list({r.id: r for r in added}.values())
    rules = [msgspec.structs.replace(r, settings=_settings(r.id, r.settings, mine)) for r in (*article.rules, *added)]
    cited = _cited(article.rules)
    out: dict[str, Any] = {
        "article": article.article, "title": english(article.title) or None, "text": article.text,
        "marked": {lang: [[run, on] for run, on in passages.marked(text, cited.get(lang, []))]
                   for lang, text in article.text.items()},
        "uncited": {lang: passages.uncited(text, cited.get(lang, [])) for lang, text in article.text.items()},
        "rules": [msgspec.to_builtins(r) for r in rules],
        "decisions": [_decision(c) for c in mine],
    }
    if before is not None:
        then = [c for c in before if c.article == article.article or any(r.id == c.rule for r in article.rules)]
        out["changes"] = [
            {"rule": r.id, "setting": key, "before": was.get(key), "after": now.get(key),
             "by": [c.id for c in mine if c not in then and c.rule == r.id and key in c.settings]}
            for r in (*article.rules, *added)
            for was, now in [(_settings(r.id, r.settings if r in article.rules else {}, then),
                              _settings(r.id, r.settings if r in article.rules else {}, mine))]
            for key in sorted({*was, *now}) if was.get(key) != now.get(key)]
    return out


def treaties(treaty_files: dict[str, Treaty], events: Sequence[Event], at: str | None = None,
             since: str | None = None) -> list[dict[str, Any]]:
    """Each instrument the viewer knows of, article by article: the text with the passages its rules cite
    marked and those left to prose, the rules with the settings in force on day ``at`` (every decision
    recorded, without a day), the decisions that set them; with ``since``, what changed from that day to ``at``.

    An instrument is shown only to a viewer who sees its signature, so a secret one stays secret; the decisions
    are those the viewer sees.
    """
    known = {e.instrument for e in events if isinstance(e, InstrumentSigned)}
    changes = [e for e in events if isinstance(e, RuleChanged)]
    out = []
    for t in treaty_files.values():
        if t.instrument not in known:
            continue
        t = t.as_known(known)  # without the readings that rest on an instrument the viewer does not know
        mine = [c for c in changes if c.instrument == t.instrument]
        applying = _in_force(mine, at)
        before = _in_force(mine, since) if since is not None else None
        out.append({"instrument": t.instrument, "title": english(t.title, t.instrument),
                    "decision": msgspec.to_builtins(t.decision), "accession": t.accession, "at": at, "since": since,
                    "articles": [_article(t, a, applying, before) for a in t.articles]})
    return out
