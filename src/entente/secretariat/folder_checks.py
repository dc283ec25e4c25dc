"""A union folder's files checked against one another: what no one file can tell alone.

A treaty file is read without the union (``vocabulary.treaty``), a record file entry by entry; here the
treaty files are held against ``union.yaml`` (every party a rule's settings name is a party of the union;
the format version it is written for) and against the record (every treaty file's instrument is signed in
it), and each entry's quotes against the documents they quote.  Every refusal names the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import msgspec

from entente.rules import SETTINGS
from entente.vocabulary.events import Event, InstrumentSigned, Source
from entente.vocabulary.formats import FORMAT, affects, changes_since, refusal
from entente.vocabulary.naming import party_codes
from entente.vocabulary.said import said
from entente.vocabulary.treaty import Article, RuleSpec, Treaty
from entente.vocabulary.union import Union
from entente.vocabulary.yamlfile import FileError, Located, dotted


def check_treaties(union: Union, treaties: Mapping[str, Treaty]) -> None:
    """Refuse a treaty file that names a party the union does not have, or that a change of the format since
    the version the folder is written for would read otherwise than it was written."""
    known = {p.code for p in union.parties}
    written_for = union.format or FORMAT
    for treaty in treaties.values():
        for keys, entry, path, code in _named(treaty):
            if code not in known:
                raise FileError(treaty.file, said("unknown party %(code)s: the parties of %(union)s are %(codes)s",
                                                  code=repr(code), union=union.id, codes=", ".join(sorted(known))),
                                _line(treaty, *keys, *path), entry, dotted(path))
        for a_index, article, r_index, rule, setting in _needing_presidency(treaty):
            raise FileError(treaty.file, said("rule %(rule)s counts by the presidency (%(setting)s), but "
                                              "%(instrument)s has no presidency rule to say who presides when: add "
                                              "one (kind: presidency) beside it", rule=repr(rule.id),
                                              setting=setting, instrument=treaty.instrument),
                            _line(treaty, "articles", a_index, "rules", r_index, "settings"),
                            f"article {article.article}", f"settings.{setting.partition(':')[0]}")
        for change in changes_since(written_for):
            for a_index, article in enumerate(treaty.articles):
                for r_index, rule in enumerate(article.rules):
                    if affects(change, rule.kind, rule.settings):
                        raise FileError(treaty.file, refusal(change, written_for),
                                        _line(treaty, "articles", a_index, "rules", r_index, "settings"),
                                        f"article {article.article}", "settings")


def needs_presidency(kind: str, settings: Mapping[str, object]) -> str | None:
    """The setting by which a rule counts in the terms of its treaty's presidency, in words, if it does."""
    if kind != "periodic_meetings":
        return None
    if settings.get("period") == "presidency_term":
        return "period: presidency_term"
    return "in_presiding_country: true" if settings.get("in_presiding_country") is True else None


def _needing_presidency(treaty: Treaty) -> Iterable[tuple[int, Article, int, RuleSpec, str]]:
    """Each rule of a treaty file that counts by a presidency the file does not have (without one it would find
    nothing, and say nothing of why)."""
    if any(rule.kind == "presidency" for _, rule in treaty.rules()):
        return
    for a_index, article in enumerate(treaty.articles):
        for r_index, rule in enumerate(article.rules):
            for settings in [rule.settings, *({**rule.settings, **r.settings} for r in rule.readings)]:
                if (setting := needs_presidency(rule.kind, settings)) is not None:
                    yield a_index, article, r_index, rule, setting
                    break


def check_signed(union: Union, treaties: Mapping[str, Treaty], record: Iterable[Event]) -> None:
    """Refuse a treaty file whose instrument the record never signs: its rules would judge nothing, and no one
    could tell why.  A union whose history is recorded through the secretariat rather than in its record file
    says so (``recorded_elsewhere``), and its treaty files wait for their signatures there."""
    if union.recorded_elsewhere:
        return
    signed = {e.instrument for e in record if isinstance(e, InstrumentSigned)}
    for treaty in treaties.values():
        if treaty.instrument not in signed:
            instead = said("name an instrument signed: %(instruments)s", instruments=", ".join(sorted(signed))) \
                if signed else said("set recorded_elsewhere: true in union.yaml where the union's history is "
                                    "recorded through the secretariat (entente load, the API) instead")
            raise FileError(treaty.file, said("the record signs no instrument %(instrument)s, so no rule of this "
                                              "file applies; record its signature (instrument_signed) or "
                                              "%(instead)s", instrument=repr(treaty.instrument), instead=instead),
                            _line(treaty, "instrument"), None, "instrument")


def _line(treaty: Treaty, *keys: str | int) -> int | None:
    """The line of a key path in a treaty file, read again: only a refusal needs it."""
    return Located(Path(treaty.file)).line_of(*keys)


def _named(treaty: Treaty) -> Iterable[tuple[tuple[str | int, ...], str | None, list[str | int], str]]:
    """Each party code the treaty file names: (the keys to its rule or the file's top, the entry, the path, code)."""
    for path, code in party_codes(Treaty, treaty):
        yield (), None, path, code
    for a_index, article in enumerate(treaty.articles):
        for r_index, rule in enumerate(article.rules):
            keys = ("articles", a_index, "rules", r_index)
            kind = SETTINGS[rule.kind]
            for n_index, settings in [(None, rule.settings), *enumerate(r.settings for r in rule.readings)]:
                where = keys if n_index is None else (*keys, "readings", n_index)
                merged = settings if n_index is None else {**rule.settings, **settings}
                value: object = msgspec.convert(merged, kind)  # read already, so it converts
                for path, code in party_codes(kind, value):
                    yield where, f"article {article.article}", ["settings", *path], code


class Quotes:
    """Each quote checked against the document it quotes, where the union ships that document's text: the
    words must be there, as written (line breaks and runs of spaces apart)."""

    def __init__(self, union: Union) -> None:
        self.union = union
        self._texts: dict[str, str | None] = {}

    def _text(self, document: str) -> str | None:
        if document not in self._texts:
            text = self.union.document_text(document)
            self._texts[document] = None if text is None else " ".join(text.split())
        return self._texts[document]

    def problems(self, event: Event) -> list[tuple[str, str]]:
        sources: list[tuple[str, Source]] = [("source", event.source)] if event.source else []
        sources += [(f"cites[{i}]", s) for i, s in enumerate(event.cites)]
        for field, source in sources:
            if not source.quote or (text := self._text(source.document)) is None:
                continue
            if " ".join(source.quote.split()) not in text:
                shipped = self.union.documents[source.document].file
                return [(f"{field}.quote", f"these words are not in {source.document} ({shipped}); a quote is "
                         "copied from its document as written")]
        return []
