"""A write is judged by the rules it concerns, and by the items it is about, only: the same breaches as
judging every rule over the whole record before and after it, on every union the tests carry.  And what is
due at the record's end, looked for among the questions, requests and proposals the fold left unsettled
only, is what looking at every one of them finds."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
import yaml

from entente.replay.dated import fold
from entente.replay.model import latest_day
from entente.rules import compliance, due, read_treaties, read_treaty
from entente.rules.concerns import EVERY_RULE, items_concerned, kinds_concerned
from entente.secretariat.admission import judge_added
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import AnyEvent, ConferenceConvened, OutsideEvent
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Party, Union
from entente.vocabulary.yamlfile import Located

from .conftest import TESTS

# Every union the tests carry with a record of its own (one holds its treaty only: its tests write the record).
UNIONS = [f for f in [DEFAULT_UNION, *sorted((TESTS / "unions").iterdir())]
          if "kind:" in (f / "record.yaml").read_text(encoding="utf-8")]


def _key(f):
    return f.rule_id, f.instrument, f.period, f.subject, f.status, f.reading_name


def _every_rule(union, treaties, before, entry):
    """The breaches judging every rule over the whole record finds with ``entry`` and not without it."""
    at = max(dates.end(entry.date), latest_day(before))
    earlier = {_key(f) for f in compliance(union, treaties, before, at)}
    return sorted(_key(f) for f in compliance(union, treaties, [*before, entry], at)
                  if f.status == "breach" and _key(f) not in earlier)


def _due_everywhere(union, treaties, record) -> list:
    """What is due at the record's end, with every question, request and proposal looked at."""
    dated = fold(record)
    every = msgspec.structs.replace(dated, unsettled={t: dict.fromkeys(getattr(dated, t))
                                                      for t in ("questions", "requests", "proposals")})
    return due(union, treaties, every, dated.last_day)


def _entry_by_entry(union, treaties, record) -> int:
    """Judge each entry after those before it, narrowed and in full; how many verdicts the entries changed."""
    changed = 0
    for i, entry in enumerate(record):
        dated = fold(record[:i + 1])
        assert due(union, treaties, dated, dated.last_day) == _due_everywhere(union, treaties, record[:i + 1])
        before, after = record[:i], record[:i + 1]
        narrowed = sorted(_key(f) for f in judge_added(union, treaties, before, [entry]).findings)
        assert narrowed == _every_rule(union, treaties, before, entry), entry.id
        # Every verdict the entry changes, of any status, is among those the narrowed judgement gives.
        at = max(dates.end(entry.date), latest_day(before))
        made = {_key(f) for f in compliance(union, treaties, after, at)} - \
            {_key(f) for f in compliance(union, treaties, before, at)}
        dated = fold(after)
        focus = items_concerned([entry], dated.target_of, dated.put_to)
        narrow = compliance(union, treaties, dated, at, kinds=kinds_concerned([entry]), focus=focus)
        assert made <= {_key(f) for f in narrow}, entry.id
        changed += len(made)
    return changed


@pytest.mark.parametrize("folder", UNIONS, ids=lambda p: Path(p).name)
def test_each_entry_is_judged_as_judging_every_rule_would(folder):
    union, treaties = load_union(folder), read_treaties(folder)
    record = [e for e in bundled_record(union) if not isinstance(e, ConferenceConvened)]
    assert _entry_by_entry(union, treaties, record)  # the record changes verdicts as it grows: this has teeth


CASES = sorted((TESTS / "rule_cases").glob("*/*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_each_entry_of_a_rule_case_is_judged_as_judging_every_rule_would(path, tmp_path):
    """The rule cases hold every kind's edges: each of their records, entered an entry at a time."""
    case = Located(path).data
    union = Union(id="case", name={"en": path.stem},
                  parties=tuple(Party(code=c, names={"en": c}) for c in case["parties"]))
    (tmp_path / "treaty.yaml").write_text(yaml.safe_dump(case["treaty"], allow_unicode=True), encoding="utf-8")
    treaties = {t.instrument: t for t in [read_treaty(tmp_path / "treaty.yaml")] + [
        msgspec.convert(extra, Treaty) for extra in case.get("other_treaties", [])]}
    record = [e for e in (msgspec.convert(e, AnyEvent) for e in case["events"])
              if not isinstance(e, ConferenceConvened)]
    _entry_by_entry(union, treaties, record)
    # The instruments' acts first, then the rest latest first: each entry then changes what came before it.
    acts = [e for e in record if isinstance(e, EVERY_RULE)]
    _entry_by_entry(union, treaties, acts + [e for e in reversed(record) if e not in acts])


def test_an_entry_no_rule_reads_is_judged_by_none(consortium):
    """An outside event of a kind no rule of the consortium watches brings no finding and asks no rule."""
    treaties = read_treaties(Path(consortium.folder))
    record = bundled_record(consortium)
    note = OutsideEvent(id="weather", date=latest_day(record), category="weather", title={"en": "a storm"})
    assert judge_added(consortium, treaties, record, [note]).findings == []
