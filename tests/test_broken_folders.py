"""A union folder broken anywhere (its union.yaml, a treaty file, its record) is refused in one line naming the
file, or read and then judged, asked what is due and who presides: never a traceback, then or later."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente.replay.dated import fold, state_at
from entente.rules import judge, presidencies, read_treaties
from entente.secretariat.folder_checks import check_treaties
from entente.secretariat.loading import checked_record
from entente.vocabulary.definition import load_union
from entente.vocabulary.yamlfile import FileError

from .conftest import CONSORTIUM

# Each example copies, reads and judges a whole folder: a few dozen keep the suite fast.
FOLDERS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Near misses: values a hand-edited file holds where another was meant (a party the union has not, a day before
# the signature, a month 13, an id of something else), and values of every other shape.
_NEAR = st.one_of(
    st.sampled_from(["HAM", "TAR", "FUND", "OXF", "ham", "2019-12-31", "2020-01-15", "2021-06-09", "2031-07-01",
                     "2021-13-01", "1934", "data-policy", "archive-move", "agreement-2020", "agreement-2002",
                     "assembly-yearly", "assembly-rotation", "consent", "dance", "withdrawal_notified",
                     "rule_changed", "public", "minutes", "observer", "outside", "sponsor", "host",
                     "duty_done", "contribution", "presidency_term", "", "x" * 300]),
    st.sampled_from([None, True, False, 0, -1, 1, 2, 13, 0.5, 1e300, [9, 13], [], {}, ["HAM", "OXF"],
                     {"en": "x"}, {"parties": ["OXF"]}, {"minimum": 0}, {"months": [9, 13]}, {"order": ["OXF"]},
                     {"motions": ["dance"]}, {"document": "minutes", "quote": "absent"},
                     {"sponsor": {"names": {"en": "sponsor"}, "counted": True}}, {"period": "presidency_term"}]),
    st.text(max_size=8),
)


def _edit(data: st.DataObject, document: Any) -> Any:
    """The document with one value replaced, removed or repeated, somewhere down a path drawn at random."""
    if not isinstance(document, dict | list) or not document:
        return data.draw(_NEAR)
    parent: Any = document
    key: Any = data.draw(st.sampled_from(list(parent) if isinstance(parent, dict) else range(len(parent))))
    while isinstance(parent[key], dict | list) and parent[key] and data.draw(st.integers(0, 3)):
        parent = parent[key]
        key = data.draw(st.sampled_from(list(parent) if isinstance(parent, dict) else range(len(parent))))
    action = data.draw(st.sampled_from(["replace", "remove", "repeat"]))
    if action == "replace":
        parent[key] = data.draw(_NEAR)
    elif action == "remove":
        del parent[key]
    elif isinstance(parent, list):
        parent.insert(key, parent[key])
    else:
        parent[data.draw(st.sampled_from(["id", "party", "series", "format", "minimum", "order", "quote",
                                                   "role", "since", "roles", "recorded_elsewhere"]))] = \
            parent[key]
    return document


def _judged(folder: Path) -> None:
    """The folder read as the secretariat reads it, then every read a user makes of it on a few days."""
    union = load_union(folder)
    treaties = read_treaties(folder)
    check_treaties(union, treaties)
    record = checked_record(union, treaties, folder / "record.yaml")
    dated = fold(record)
    for day in ("2020-02-01", "2022-01-01", "2030-12-31"):
        state_at(dated, day)
        judge(union, treaties, dated, day)
        presidencies(union, treaties, dated, day)


@FOLDERS
@given(st.data(), st.lists(st.sampled_from(["union.yaml", "treaties/agreement-2020.yaml", "record.yaml"]),
                           min_size=1, max_size=3))
def test_a_broken_folder_is_refused_in_one_line_or_read_and_judged(data: st.DataObject, files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "union"
        shutil.copytree(CONSORTIUM, folder)
        for name in files:
            path = folder / name
            path.write_text(yaml.safe_dump(_edit(data, yaml.safe_load(path.read_text(encoding="utf-8"))),
                                           allow_unicode=True), encoding="utf-8")
        try:
            _judged(folder)
        except FileError as exc:
            assert str(exc).startswith(str(folder)) and "\n" not in str(exc)


def test_the_folder_unbroken_is_read_and_judged() -> None:
    """The generator's starting point passes, so what the generator finds is what it broke."""
    _judged(CONSORTIUM)
