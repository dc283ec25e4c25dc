"""The bounds of an EDTF date: the forms read directly give the days the EDTF parser gives, and anything
else, or anything wrong, is left to the parser and told as it tells it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entente.languages.catalog import translations
from entente.vocabulary import dates
from entente.vocabulary.lv import parse_lv_date
from entente.vocabulary.said import say
from entente.vocabulary.sentence import english


def _reading(read: object, text: str) -> tuple[str, str] | str:
    """The bounds, or the refusal's message: what a reader of either is told."""
    try:
        return read(text)  # type: ignore[operator, no-any-return]
    except dates.DateError as exc:
        return str(exc)


# The forms most dates of a record take, each read without the parser.
READ_DIRECTLY = [
    "1934-09-12", "1938-03", "1940-02", "1938", "1935-21", "1935-24", "1920-33", "1920-36", "1935-40", "1935-41",
    "1923-11-01?", "1939-09~", "1923%", "1939-12-07/1939-12-08", "1920-09/1920-11", "1920-10/1923-11-01",
    "{1919,1920}", "[1919,1920]", "{1940-06-14,1940-06-16}", "{1935-02?,1936~}",
]


@pytest.mark.parametrize("text", [
    *READ_DIRECTLY, "1940/1930",
    # not read directly: the parser reads them, or says what is wrong
    "1935-25", "1935-37", "1935-21/1935-24", "1935-40/1936", "{1935}", "[1935..1937]", " 1935", "0000", "0999",
    "1939-02-29", "1900-02-29", "2000-02-29", "1935-02-29?", "{1935-02-29,1936}", "1935-13", "1935-00",
    "1935-01-00", "1935-24?", "19350", "193", "", "{}", "[1935,1936}", "1935/1936/1937",
    # a span ending within its start, or on the same date, or after it
    "1934/1934-01", "1934-06/1934-06-15", "1934-21/1934-03", "1934/1934", "1934-01/1934", "1934-01-01/1934-01",
    "1934~/1934", "1934-21/1934-06",
    # a part of year 0, which no calendar has, and a set with a year of five digits first or last
    "0000-21", "0000-40", "0001-21", "{19190,1920}", "{1919,19200}",
])
def test_the_same_bounds_as_the_parser(text):
    assert _reading(dates.bounds.__wrapped__, text) == _reading(dates.parsed_bounds, text)


def test_the_forms_most_dates_take_are_read_without_the_parser(monkeypatch):
    """The parser takes a tenth of a second to import and far longer than the direct reading for each date: a
    record of a million entries is read without it."""
    expected = {text: dates.parsed_bounds(text) for text in READ_DIRECTLY}

    def parser(edtf: str) -> None:
        raise AssertionError(f"{edtf} was given to the parser")

    monkeypatch.setattr(dates, "_parsed", parser)
    assert {text: dates.bounds.__wrapped__(text) for text in READ_DIRECTLY} == expected


def _written(year: int, month: int | None, day: int | None, qualifier: str) -> str:
    """A point as EDTF writes one, whether or not such a month or day exists."""
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}" + (f"-{day:02d}" if day is not None else "")
    return text + qualifier


_point = st.builds(_written, st.integers(0, 2100), st.none() | st.integers(0, 45), st.none() | st.integers(0, 32),
                   st.sampled_from(["", "?", "~", "%"]))
_date = _point | st.builds("/".join, st.lists(_point, min_size=2, max_size=2)) | st.builds(
    lambda opening, members: opening + ",".join(members) + ("}" if opening == "{" else "]"),
    st.sampled_from("{["), st.lists(_point, min_size=1, max_size=3))


@settings(max_examples=300, deadline=None)
@given(_date)
def test_any_such_date_reads_as_the_parser_reads_it(text):
    assert _reading(dates.bounds.__wrapped__, text) == _reading(dates.parsed_bounds, text)


@pytest.mark.parametrize("text", ["1934-05-15/", "/1934-05-15", "1934-05-15/..", "../1934-05-15"])
def test_a_span_with_an_unknown_or_open_end_has_no_bounds_of_its_own(text):
    # EDTF reads "1934-05-15/" as a span whose end is unknown: no day can stand for it, not ten years later.
    assert dates.check_edtf(text) == text
    with pytest.raises(dates.DateError) as refused:
        dates.bounds(text)
    assert str(refused.value) == f'"{text}" is open-ended or unknown at one end: an entry\'s date needs a first and ' \
                                 'a last day'


@pytest.mark.parametrize(("text", "says"), [
    ("1940/1930", '"1940/1930" beidzas (1930-12-31) pirms tas sākas (1940-01-01)'),
    ("1934/1934-01", '"1934/1934-01" beidzas (1934-01) sava sākuma (1934) robežās: tā beigām jābūt pēc tā sākuma'),
    ("1934-05-15/..", '"1934-05-15/.." ir atvērts vai nezināms vienā galā: ieraksta datumam vajag pirmo un pēdējo '
                      'dienu'),
    ("1939-02-29", '"1939-02-29" nav EDTF datums: 1939-02-29 nav kalendāra diena'),
])
def test_a_refused_date_is_said_in_its_readers_language(text, says):
    with pytest.raises(dates.DateError) as refused:
        dates.bounds(text)
    assert say(refused.value.told, translations("lv"), "lv") == says


NO_SUCH_DAY = "no such month or day: a month is 01 to 12, a day 01 to the last of its month"
WRITE = ("write a day, a month, a year or a span, such as 1938-03-01, 1938-03, 1938, 1938-03/1938-05, "
         "or 1938~ for about 1938")


@pytest.mark.parametrize(("text", "says"), [
    ("1937-02-30", NO_SUCH_DAY),
    ("1937-13-01", NO_SUCH_DAY),
    ("1937-00/1938-01", NO_SUCH_DAY),
    ("1937-02-3x", WRITE),
    ("next spring", WRITE),
    ("1935-XX/1935-03", WRITE),  # the parser's own fault, on a month left unspecified in a span
])
def test_a_date_the_parser_refuses_is_refused_in_these_words_not_the_parsers(text, says, capsys):
    with pytest.raises(dates.DateError) as refused:
        dates.bounds(text)
    assert str(refused.value) == f'"{text}" is not an EDTF date: {says}'
    assert capsys.readouterr().out == ""  # nothing of the parser's own on a command's output


def test_a_latvian_phrase_is_checked_as_edtf_even_where_it_has_no_bounds():
    assert parse_lv_date("no 1934. gada 15. maija") == "1934-05-15/.."
    assert parse_lv_date("1938. gada martā") == "1938-03"
    assert dates.check_edtf("1934-05-15/..") == "1934-05-15/.."
    with pytest.raises(dates.DateError, match="not an EDTF date"):
        dates.check_edtf("1934-05-15/soon")


@pytest.mark.parametrize("text", ["1938-03-01", "1940-02-29", "0999-12-31"])
def test_a_day_asked_for_is_a_calendar_day_as_yyyy_mm_dd(text):
    assert dates.check_day(text) == text


@pytest.mark.parametrize("text", ["1939-02-29", "1938-13-01", "1938-3-1x", "38-03-01", "1938/03/01", "March 1938"])
def test_anything_else_is_refused_as_no_day_in_that_form(text):
    with pytest.raises(dates.DateError) as refused:
        dates.check_day(text)
    assert str(refused.value) == f'"{text}" is not a day in the form YYYY-MM-DD'


@pytest.mark.parametrize(("text", "moment"), [
    ("1938-03-01", "1938-03-01T23:59:59.999999Z"),  # a day: its last moment
    ("1938-03-01T10:00:00Z", "1938-03-01T10:00:00.000000Z"),
    ("1938-03-01T10:00:00", "1938-03-01T10:00:00.000000Z"),  # no zone: UTC
    ("1938-03-01T12:00:00+02:00", "1938-03-01T10:00:00.000000Z"),
    ("1938-03-01T00:30:00+02:00", "1938-02-28T22:30:00.000000Z"),
])
def test_a_record_time_is_the_latest_moment_it_can_mean_in_utc(text, moment):
    assert dates.check_moment(text) == moment


@pytest.mark.parametrize(("text", "says"), [
    ("1938-02-30", '"1938-02-30" is not a day in the form YYYY-MM-DD'),
    ("1938-03-01T25:00:00Z", '"1938-03-01T25:00:00Z" is not a day (YYYY-MM-DD) or a date-time '
                             '(YYYY-MM-DDTHH:MM:SSZ)'),
    ("yesterday", '"yesterday" is not a day (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)'),
])
def test_a_record_time_that_is_neither_a_day_nor_a_date_time_is_refused_saying_so(text, says):
    with pytest.raises(dates.DateError) as refused:
        dates.check_moment(text)
    assert str(refused.value) == says


@pytest.mark.parametrize(("text", "outside"), [
    ("1000", False), ("2200", False), ("1000-01-01/2200-12-31", False), ("1934-09-12", False),
    ("0999-12-31", True), ("2201-01-01", True), ("0999/1934", True), ("1934/2201", True), ("0999/2201", True),
])
def test_a_date_outside_the_years_of_any_record_is_taken_for_a_slip_in_its_year(text, outside):
    said = f'"{text}" is outside the years a record is dated in (1000 to 2200): check the year'
    outside_said = dates.check_span(text)
    assert (None if outside_said is None else english(outside_said)) == (said if outside else None)


@pytest.mark.parametrize(("text", "says"), [
    ("1939-02-29", '"1939-02-29" is not an EDTF date: 1939-02-29 is not a day of the calendar'),
    ("{1939-02-29,1940}", '"{1939-02-29,1940}" is not an EDTF date: 1939-02-29 is not a day of the calendar'),
    ("1939-05-01/1938-01-01", '"1939-05-01/1938-01-01" ends (1938-01-01) before it begins (1939-05-01)'),
    ("1939-05/1938", '"1939-05/1938" ends (1938-12-31) before it begins (1939-05-01)'),
    ("1939-21/1938-22", '"1939-21/1938-22" ends (1938-08-31) before it begins (1939-03-01)'),
])
def test_a_day_no_calendar_has_or_a_span_that_ends_before_it_begins_is_refused_saying_so(text, says):
    with pytest.raises(dates.DateError) as refused:
        dates.bounds(text)
    assert str(refused.value) == says


@pytest.mark.parametrize(("text", "within"), [
    ("1934/1934-01", "1934-01"), ("1934/1934-12", "1934-12"), ("1934/1934-12-31", "1934-12-31"),
    ("1934-06/1934-06-15", "1934-06-15"), ("1934-06/1934-06-30", "1934-06-30"), ("1934-21/1934-03", "1934-03"),
    ("1934-21/1934-05", "1934-05"), ("193X/1935", "1935"),
])
def test_a_span_that_ends_within_its_start_is_refused_saying_so(text, within):
    # From 1934 to January 1934 ends before 1934 does: EDTF's end is its start's own date or a later one.
    start = text.partition("/")[0]
    with pytest.raises(dates.DateError) as refused:
        dates.bounds(text)
    assert str(refused.value) == (f'"{text}" ends ({within}) within its start ({start}): its end must come after '
                                  'its start')


@pytest.mark.parametrize(("text", "first", "last"), [
    ("1934/1934", "1934-01-01", "1934-12-31"), ("1934~/1934", "1934-01-01", "1934-12-31"),
    ("1934-01/1934", "1934-01-01", "1934-12-31"), ("1934-01-01/1934-01", "1934-01-01", "1934-01-31"),
    ("1934-12/1935-01", "1934-12-01", "1935-01-31"), ("1934-06-15/1934-06-15", "1934-06-15", "1934-06-15"),
    ("1934-21/1934-06", "1934-03-01", "1934-06-30"), ("1930/193X", "1930-01-01", "1939-12-31"),
])
def test_a_span_that_ends_with_or_after_its_start_runs_from_the_start_to_the_end(text, first, last):
    assert dates.bounds.__wrapped__(text) == (first, last)


@pytest.mark.parametrize(("day", "months", "on"), [
    ("1934-09-12", 1, "1934-10-12"), ("1934-09-12", 3, "1934-12-12"), ("1934-09-12", 4, "1935-01-12"),
    ("1934-12-31", 2, "1935-02-28"), ("1935-12-31", 2, "1936-02-29"), ("1934-01-31", 12, "1935-01-31"),
    ("1934-09-12", 120, "1944-09-12"), ("9999-06-30", 6, "9999-12-30"), ("9999-07-01", 6, None),
])
def test_a_term_in_months_ends_on_the_same_day_or_its_months_last(day, months, on):
    assert dates.add_months(day, months) == on
