"""Treaty files: an instrument's articles, each with its text and the settings of the rules that implement it.

A treaty file (``treaties/<instrument>.yaml`` in a union folder) reads as the
treaty does, article by article, so a reader can check each rule's settings
against the words beside it::

    instrument: pact-2020
    title: {en: Pact of Co-operation}
    decision: {rule: unanimity}
    accession: open
    articles:
      - article: "2"
        text: {en: "...at least twice a year, in the territory of each party in turn..."}
        rules:
          - id: periodic-conferences
            kind: periodic_meetings
            settings: {minimum: 2, period: calendar_year, partial_periods: prorate}

Every rule's settings are checked against its kind when the file is read; an
error names the file, the line, the article and the setting.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from entente.vocabulary import passages
from entente.vocabulary.events import Motion, PartyCode, Source, Text
from entente.vocabulary.said import Value, said
from entente.vocabulary.yamlfile import FileError, Located, convert


class DecisionRule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """How the parties decide a motion: who is counted, and what count adopts it.

    ``rule``: ``unanimity`` (every member counted votes yes), ``consensus`` (no member counted votes no: an
    abstention or an absence does not block), ``majority`` (more than half) or ``qualified`` (at least
    ``threshold``), each a share ``of`` the members counted or of the votes cast (yes and no).  With
    ``weights`` the shares are of the weights; ``member_threshold`` asks a share of the members as well (a
    double majority), and ``blocking_minimum`` deems the weighted share attained when fewer members than it
    vote against.  ``excluding: concerned`` leaves the party a motion concerns out of the count; ``quorum``
    and ``quorum_weight`` are the members (the share of the weights) that must be present.
    ``veto: raiser`` lets the party that raised a question or made a proposal block it on its own.
    """

    rule: Literal["unanimity", "consensus", "majority", "qualified"] = "unanimity"
    threshold: float | None = None  # a share of the parties counted; 0.6667 reads as two thirds
    veto: Literal["none", "raiser"] = "none"
    of: Literal["members", "votes_cast"] = "members"
    excluding: Literal["none", "concerned"] = "none"
    weights: dict[PartyCode, float] = {}
    member_threshold: float | None = None
    blocking_minimum: int | None = None
    quorum: int | None = None
    quorum_weight: float | None = None

    def __post_init__(self) -> None:
        if self.rule == "qualified" and not (self.threshold and 0 < self.threshold <= 1):
            raise ValueError("a qualified majority needs a threshold between 0 and 1 (e.g. 0.6667 for two thirds)")
        if self.rule != "qualified" and self.threshold is not None:
            raise ValueError(f"a threshold is for a qualified majority only, not for {self.rule}")
        for name in ("member_threshold", "quorum_weight"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= 1:
                raise ValueError(f"{name} is a share between 0 and 1, not {value:g}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("a weight is a number of votes, not below 0")
        for name in ("blocking_minimum", "quorum"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} is a number of members, at least 1")
        if self.quorum_weight is not None and not self.weights:
            raise ValueError("quorum_weight is a share of the weights: give the weights")
        if self.blocking_minimum is not None and self.rule != "qualified":
            raise ValueError("blocking_minimum is for a qualified majority only")


# The reading of a rule the sources do not dispute: its article as written, with the settings the file gives.
AS_WRITTEN = "as-written"
AS_WRITTEN_WORDS = "The article as written, with the settings the treaty file gives; no source read here disputes it."


class Reading(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One reading of a contested article: a name, the settings it changes, and the reading in words."""

    name: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    settings: dict[str, Any] = {}
    reading: str | None = None
    source: str | None = None  # who reads the article so
    # The instruments the reading rests on: a viewer who does not know of each is not given the reading, so a
    # reading that rests on a confidential text never reaches a viewer not party to it.
    rests_on: tuple[str, ...] = ()


class RuleSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    kind: str
    settings: dict[str, Any] = {}
    # Where the text leaves a reading open, the reading these settings take, in words.
    reading: str | None = None
    # The name of that reading, which every finding of a rule with no contested readings gives: by default the
    # article as written, with the settings given.
    reading_name: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_-]*$")] = AS_WRITTEN
    # What a new entry that this rule finds in breach gets: refused, or recorded with the finding.
    on_entry: Literal["refuse", "record"] = "record"
    # Where the sources dispute the article: each reading is judged, the first is the one what is due follows.
    readings: tuple[Reading, ...] = ()
    # For each setting, the passage of the article's text it implements, verbatim, in the treaty's languages.
    cites: dict[str, Text] = {}

    def read_as(self, reading: Reading) -> RuleSpec:
        """The rule under one of its readings."""
        return msgspec.structs.replace(self, settings={**self.settings, **reading.settings},
                                       reading=reading.reading or self.reading)

    def under(self, name: str | None) -> RuleSpec:
        """The rule under its reading of that name, or under its first where it has none of that name."""
        if not self.readings:
            return self
        return self.read_as(next((r for r in self.readings if r.name == name), self.readings[0]))


class Article(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    article: str
    title: Text = {}
    text: Text = {}
    source: Source | None = None
    rules: tuple[RuleSpec, ...] = ()
    # How a motion decided under this article (a proposal's ``article``) is decided; None: the treaty's.
    decision: DecisionRule | None = None


class Treaty(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    instrument: str
    title: Text
    articles: tuple[Article, ...]
    decision: DecisionRule = DecisionRule()
    # How each kind of motion is decided, where it differs from ``decision``.
    decisions: dict[Motion, DecisionRule] = {}
    accession: Literal["open", "closed"] = "closed"
    # Words that speak of this instrument (besides its id and title), for a secret one: no entry a viewer
    # not party to it may see may hold them, and the tests look for them in everything such a viewer gets.
    sensitive: tuple[str, ...] = ()
    file: str = ""

    def rules(self) -> list[tuple[Article, RuleSpec]]:
        return [(a, r) for a in self.articles for r in a.rules]

    def as_known(self, instruments: Collection[str]) -> Treaty:
        """The treaty with only the readings that rest on instruments in ``instruments`` (those a viewer knows)."""
        if all(i in instruments for _, r in self.rules() for n in r.readings for i in n.rests_on):
            return self

        def kept(rule: RuleSpec) -> RuleSpec:
            readings = tuple(r for r in rule.readings if all(i in instruments for i in r.rests_on))
            return rule if readings == rule.readings else msgspec.structs.replace(rule, readings=readings)
        articles = tuple(msgspec.structs.replace(a, rules=tuple(kept(r) for r in a.rules)) for a in self.articles)
        return msgspec.structs.replace(self, articles=articles)

    def procedure(self, motion: str | None = None, article: str | None = None) -> DecisionRule:
        """How a motion is decided: by its article's procedure, else its kind's, else the treaty's."""
        if article is not None:
            found = next((a.decision for a in self.articles if a.article == article and a.decision), None)
            if found is not None:
                return found
        return next((rule for kind, rule in self.decisions.items() if kind == motion), self.decision)


def read_treaty(path: Path, kinds: Mapping[str, type]) -> Treaty:
    """Read one treaty file; ``kinds`` maps each rule kind to the struct its settings must fit."""
    located = Located(path)
    data = located.data
    if not isinstance(data, dict):
        raise FileError(path, said("expected a mapping with instrument, title and articles"), 1)
    treaty = convert(located, {**data, "file": str(path)}, Treaty, (), None)
    for a_index, article in enumerate(treaty.articles):
        for r_index, rule in enumerate(article.rules):
            keys = ("articles", a_index, "rules", r_index)
            entry = f"article {article.article}"
            settings = kinds.get(rule.kind)
            if settings is None:
                raise FileError(path, said("unknown rule kind %(kind)s; known: %(kinds)s", kind=repr(rule.kind),
                                                 kinds=", ".join(sorted(kinds))),
                                located.line_of(*keys, "kind"), entry, "kind")
            convert(located, rule.settings, settings, keys, entry, prefix=("settings",))
            names = [r.name for r in rule.readings]
            for n_index, reading in enumerate(rule.readings):
                where = (*keys, "readings", n_index)
                if names.count(reading.name) > 1:
                    raise FileError(path, said("the reading name %(name)s is used twice in rule %(rule)s",
                                               name=repr(reading.name), rule=repr(rule.id)),
                                    located.line_of(*where, "name"), entry, f"readings[{n_index}].name")
                convert(located, rule.read_as(reading).settings, settings, where, entry, prefix=("settings",))
            _check_cites(located, path, article, rule, keys, entry)
    return treaty


def _check_cites(located: Located, path: Path, article: Article, rule: RuleSpec, keys: tuple[Any, ...],
                 entry: str) -> None:
    """Each passage a rule cites is a setting's, and stands verbatim in the article's text of its language."""
    known = {*rule.settings, *(k for r in rule.readings for k in r.settings)}
    for setting in rule.cites:
        if setting not in known:
            settings: Value = ", ".join(sorted(known)) or said("it has none")
            raise FileError(path, said("rule %(rule)s cites a passage for %(setting)s, which is none of its settings "
                                       "(%(settings)s)", rule=repr(rule.id), setting=repr(setting), settings=settings),
                            located.line_of(*keys, "cites", setting), entry, f"cites.{setting}")
    for setting, lang, passage in passages.missing(rule.cites, article.text):
        where = said("has no text in that language") if lang not in article.text else said("does not hold it")
        raise FileError(path, said("rule %(rule)s cites for %(setting)s the passage \"%(passage)s\" (%(lang)s), but "
                                   "the article's text %(where)s: cite it verbatim", rule=repr(rule.id),
                                   setting=repr(setting), passage=passages.plain(passage)[:80], lang=lang,
                                   where=where),
                        located.line_of(*keys, "cites", setting, lang), entry, f"cites.{setting}.{lang}")


def read_treaties(union_folder: Path, kinds: Mapping[str, type]) -> dict[str, Treaty]:
    folder = union_folder / "treaties"
    treaties = [read_treaty(p, kinds) for p in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []
    return {t.instrument: t for t in treaties}
