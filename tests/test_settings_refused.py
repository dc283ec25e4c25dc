"""A rule's settings that cannot be meant are refused when the treaty file is read, naming the setting and why:
days of the year that do not exist, settings that contradict each other, a presidency in turn with no order."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from entente.rules import read_treaty
from entente.vocabulary.yamlfile import FileError


def _treaty(tmp_path: Path, kind: str, settings: dict[str, object]) -> Path:
    path = tmp_path / "treaty.yaml"
    path.write_text(yaml.safe_dump({"instrument": "t", "title": {"en": "T"}, "articles": [
        {"article": "1", "rules": [{"id": "r", "kind": kind, "settings": settings}]}]}), encoding="utf-8")
    return path


DUTY = {"duty": "contribution"}


@pytest.mark.parametrize(("kind", "settings", "problem"), [
    ("duties", {**DUTY, "starts": "07-01"},
     "starts is for periods of year, half_year, quarter, not calendar_year"),
    ("duties", {**DUTY, "period": "year", "starts": "13-01"},
     "starts is a day of the year as MM-DD (07-01 for 1 July) or entry_into_force, not '13-01'"),
    ("duties", {**DUTY, "period": "half_year", "starts": "02-29"},
     "starts may not be 02-29, a day most years do not have"),
    ("duties", {"duty": "Contribution"},
     "duty is a name of small letters, digits, dots and hyphens, not 'Contribution'"),
    ("duties", {**DUTY, "by": "03-31", "within_days": 30}, "give by or within_days, not both"),
    ("duties", {**DUTY, "within_days": 0}, "within_days is a day of the period, at least 1"),
    ("duties", {**DUTY, "by": "02-29"}, "by is a day of the year as MM-DD (03-31 for 31 March), not '02-29'"),
    ("presidency", {"holder": "elected", "term_months": 0}, "term_months is a number of months, at least 1"),
    ("presidency", {"holder": "order", "term_months": 12},
     "a presidency held in turn (holder: order) needs the order and term_months"),
    ("presidency", {"holder": "order", "order": ["AA", "BB"]},
     "a presidency held in turn (holder: order) needs the order and term_months"),
    ("presidency", {"holder": "host", "passes_at": "ministerial"},
     "passes_at is for a presidency held in turn (holder: order)"),
])
def test_a_setting_that_cannot_be_meant_is_refused(tmp_path: Path, kind: str,
                                                              settings: dict[str, object], problem: str) -> None:
    with pytest.raises(FileError) as refused:
        read_treaty(_treaty(tmp_path, kind, settings))
    assert refused.value.problem == problem
    assert refused.value.field == "settings" and refused.value.line is not None


@pytest.mark.parametrize("settings", [
    {**DUTY, "period": "year", "starts": "entry_into_force"},
    {**DUTY, "period": "quarter", "starts": "02-28", "within_days": 1},
    {**DUTY, "by": "12-31"},
    {"holder": "order", "order": ["AA", "BB"], "term_months": 1, "passes_at": "ministerial"},
    {"holder": "elected", "term_months": 1},
])
def test_settings_that_can_be_meant_are_taken(tmp_path: Path, settings: dict[str, object]) -> None:
    kind = "duties" if "duty" in settings else "presidency"
    assert read_treaty(_treaty(tmp_path, kind, settings)).articles[0].rules[0].settings == settings
