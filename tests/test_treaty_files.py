"""Treaty files: a malformed one is refused with the file, line, article and setting named."""

from __future__ import annotations

import pytest

from entente.rules import read_treaty
from entente.vocabulary.yamlfile import FileError

HEAD = """\
instrument: pact
title: {en: Pact}
articles:
  - article: "2"
    text: {en: The parties meet at least twice a year.}
    rules:
      - id: meetings
        kind: periodic_meetings
"""


@pytest.mark.parametrize(
    ("settings", "line", "field", "problem"),
    [
        ("        settings: {minimum: two}\n", 9, "settings.minimum", "expected a whole number, found text"),
        ("        settings: {period: fortnight, minimum: 2}\n", 9, "settings.period",
         "'fortnight' is not one of the values it takes: calendar_year, calendar_month, week, year, half_year, "
         "quarter, presidency_term, rolling"),
        ("        settings: {}\n", 9, "settings.minimum", "required, and missing"),
        ("        settings: {minimum: 2, every: week}\n", 9, "settings.every",
         "'every' is not a field here; the fields are: minimum, period,"),
        ("        settings: {minimum: 0}\n", 9, "settings",
         "minimum and window_days are numbers of meetings and of days, at least 1"),
        ("        settings: {minimum: 1, period: rolling, window_days: 0}\n", 9, "settings", "at least 1"),
        ("        settings: {minimum: 1, period: year, starts: 13-01}\n", 9, "settings",
         "starts is a day of the year as MM-DD (07-01 for 1 July) or entry_into_force, not '13-01'"),
        ("        settings: {minimum: 1, starts: 07-01}\n", 9, "settings",
         "starts is for periods of year, half_year, quarter, not calendar_year"),
    ],
)
def test_a_bad_setting_is_named_by_file_line_article_and_setting(tmp_path, settings, line, field, problem):
    path = tmp_path / "pact.yaml"
    path.write_text(HEAD + settings, encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_treaty(path)
    error = caught.value
    assert (error.file, error.line, error.entry, error.field) == (str(path), line, "article 2", field)
    assert problem in error.problem


def test_an_unknown_rule_kind_lists_the_known_ones(tmp_path):
    path = tmp_path / "pact.yaml"
    path.write_text(HEAD.replace("periodic_meetings", "annual_dinner"), encoding="utf-8")
    with pytest.raises(FileError, match=r"pact.yaml, line 8, entry 'article 2', field 'kind': unknown rule kind "
                                        r"'annual_dinner'; known: .*periodic_meetings"):
        read_treaty(path)


def test_a_qualified_majority_without_threshold_is_refused(tmp_path):
    path = tmp_path / "pact.yaml"
    text = HEAD.replace("articles:", "decision: {rule: qualified}\narticles:") + "        settings: {minimum: 1}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError, match="needs a threshold"):
        read_treaty(path)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ("{holder: order, order: [AA, BB]}", "(holder: order) needs the order and term_months"),
        ("{holder: order, term_months: 6}", "(holder: order) needs the order and term_months"),
        ("{holder: elected, term_months: 0}", "term_months is a number of months, at least 1"),
    ],
)
def test_a_presidency_without_its_terms_is_refused(tmp_path, settings, problem):
    path = tmp_path / "pact.yaml"
    text = HEAD.replace("kind: periodic_meetings", "kind: presidency") + f"        settings: {settings}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_treaty(path)
    error = caught.value
    assert (error.file, error.line, error.entry, error.field) == (str(path), 9, "article 2", "settings")
    assert problem in error.problem


@pytest.mark.parametrize(("kind", "settings"), [
    ("presidency", "{holder: order, order: [AA, BB], term_months: 1}"),
    ("presidency", "{holder: elected, term_months: 1}"),
    ("periodic_meetings", "{minimum: 1, period: rolling, window_days: 1}"),
])
def test_settings_at_their_least_are_read(tmp_path, kind, settings):
    path = tmp_path / "pact.yaml"
    path.write_text(HEAD.replace("kind: periodic_meetings", f"kind: {kind}") + f"        settings: {settings}\n",
                    encoding="utf-8")
    assert read_treaty(path).articles[0].rules[0].kind == kind
