"""Bad input never crashes: any phrase, treaty file or record file gives a result or the documented error."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from edtf import parse_edtf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente.rules import KINDS as RULE_KINDS
from entente.rules import read_treaty
from entente.vocabulary.definition import load_union, read_events
from entente.vocabulary.events import KINDS
from entente.vocabulary.lv import MONTH_FORMS, DatePhraseError, parse_lv_date
from entente.vocabulary.yamlfile import FileError
from tests.conftest import CONSORTIUM

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of Latvian date phrases, so the parser sees near misses, not only noise.
_WORDS = [form for _, forms in MONTH_FORMS for form in forms] + [
    "gada", "g.", "gadā", "pirmajā", "otrajā", "pusē", "pusgadā", "ceturksnī", "pavasarī", "rudenī", "vasarā",
    "ziemā", "sākumā", "beigās", "vidū", "līdz", "no", "un", "-", "–", ".", ",", " "]
_PIECES = st.one_of(st.sampled_from(_WORDS), st.integers(-5, 10_050).map(str), st.text(max_size=4))
_PHRASES = st.one_of(st.lists(_PIECES, max_size=8).map(" ".join), st.text(max_size=40))


@BOUNDED
@given(_PHRASES, st.one_of(st.none(), st.integers(-100, 12_000)))
def test_any_phrase_gives_edtf_or_the_date_phrase_error(phrase: str, year: int | None) -> None:
    try:
        found = parse_lv_date(phrase, year)
    except DatePhraseError as exc:
        assert str(exc).startswith("cannot read the Latvian date phrase")
    else:
        parse_edtf(found)  # what it gives is EDTF


# YAML values of every shape: what a hand-edited file may hold where the reader expects something else.
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                     st.text(max_size=12), st.sampled_from(["1934-09-12", "1939", "LV", "public", "entente-1934"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def _mapping(keys: list[str], fixed: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda free, chosen: {**free, **chosen},
                     st.dictionaries(st.sampled_from(keys), _VALUES, max_size=len(keys)),
                     st.fixed_dictionaries({}, optional={k: st.just(v) for k, v in fixed.items()}))


def _read(text: str | bytes, reader: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        try:
            reader(path)
        except FileError as exc:
            assert str(exc).startswith(str(path))  # the documented error, naming the file


_RULE = _mapping(["id", "kind", "settings", "reading"], {"kind": "periodic_meetings"}).map(
    lambda r: {**r, "kind": r.get("kind")} if "kind" in r else r)
_ARTICLE = st.fixed_dictionaries({"article": _VALUES}, optional={
    "title": _VALUES, "text": _VALUES, "rules": st.one_of(st.lists(_RULE, max_size=3), _VALUES)})
_TREATY = st.fixed_dictionaries({}, optional={
    "instrument": st.one_of(st.just("agreement-2020"), _VALUES), "title": _VALUES, "decision": _VALUES,
    "accession": _VALUES, "articles": st.one_of(st.lists(_ARTICLE, max_size=3), _VALUES)})
_RAW = st.one_of(st.text(max_size=200), st.binary(max_size=80))


@BOUNDED
@given(st.one_of(_TREATY.map(yaml.safe_dump), _RAW))
def test_any_treaty_file_gives_a_treaty_or_a_file_error(text: str | bytes) -> None:
    _read(text, read_treaty)


@BOUNDED
@given(st.sampled_from(sorted(RULE_KINDS)), _VALUES)
def test_any_settings_of_a_rule_kind_give_a_treaty_or_a_file_error(kind: str, rule_settings: Any) -> None:
    treaty = {"instrument": "t", "title": {"en": "T"}, "articles": [
        {"article": "1", "text": {"en": "x"}, "rules": [{"id": "r", "kind": kind, "settings": rule_settings}]}]}
    _read(yaml.safe_dump(treaty), read_treaty)


_UNION = load_union(CONSORTIUM)
_ENTRY = st.builds(lambda kind, fields: {"kind": kind, **fields}, st.sampled_from(sorted(KINDS)),
                   st.dictionaries(st.sampled_from(["id", "date", "question", "party", "stance", "instrument",
                                                    "parties", "classification", "source", "number", "host"]),
                                   _VALUES, max_size=6))


@BOUNDED
@given(st.one_of(st.lists(_ENTRY, max_size=4).map(lambda events: yaml.safe_dump({"events": events})), _RAW))
def test_any_record_file_gives_entries_or_a_file_error(text: str | bytes) -> None:
    _read(text, lambda path: read_events(path, _UNION))
