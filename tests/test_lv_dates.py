"""Latvian date phrases to EDTF: every phrase from the source article, plus the forms around them."""

from __future__ import annotations

import pytest
from edtf import Interval, Level1Interval, MultipleDates, parse_edtf

from entente.languages.catalog import translations
from entente.vocabulary import dates
from entente.vocabulary.lv import DatePhraseError, parse_lv_date
from entente.vocabulary.said import say

# (phrase, year passed for phrases that omit it, expected EDTF)
CASES: list[tuple[str, int | None, str]] = [
    # A day, the month in any case.
    ("1934. gada 12. septembrī", None, "1934-09-12"),
    ("1934. gada 26. janvārī", None, "1934-01-26"),
    ("1923. gada 1. novembrī", None, "1923-11-01"),
    ("25. aprīlī", 1934, "1934-04-25"),
    ("1939. gada 6. septembra", None, "1939-09-06"),
    ("1940. gada 29. jūnijā", None, "1940-06-29"),
    ("1. jūlijā", 1940, "1940-07-01"),
    ("1940. gada 14. jūnijā", None, "1940-06-14"),
    ("16. jūnijā", 1940, "1940-06-16"),
    ("8. jūnijā", 1940, "1940-06-08"),
    ("15. maijā", 1934, "1934-05-15"),
    ("3. jūnijā", 1940, "1940-06-03"),
    ("30. novembris", 1934, "1934-11-30"),
    ("12. septembris", 1934, "1934-09-12"),
    ("12. septembrim", 1934, "1934-09-12"),
    ("12. septembri", 1934, "1934-09-12"),
    ("5. marts", 1939, "1939-03-05"),
    ("5. marta", 1939, "1939-03-05"),
    ("5. martā", 1939, "1939-03-05"),
    ("5. martam", 1939, "1939-03-05"),
    ("9. jūnijs", 1940, "1940-06-09"),
    ("9. jūnijam", 1940, "1940-06-09"),
    ("2. februārim", 1939, "1939-02-02"),
    ("25. aprīļa", 1934, "1934-04-25"),
    ("25. aprīlis", 1934, "1934-04-25"),
    ("31. jūlija", 1940, "1940-07-31"),
    ("1. augustam", 1920, "1920-08-01"),
    ("31. oktobra", 1933, "1933-10-31"),
    ("31. decembrī", 1939, "1939-12-31"),
    ("1940. gada 29. februārī", None, "1940-02-29"),  # a leap year
    ("1934. g. 12. septembrī", None, "1934-09-12"),  # "gada" abbreviated
    ("1934.g.12.septembrī", None, "1934-09-12"),
    ("12. jūnijā", 1940, "1940-06-12"),
    ("12. junija", 1940, "1940-06-12"),  # typed without diacritics
    # A day range within one month.
    ("1919. gada 14.—15. septembrī", None, "1919-09-14/1919-09-15"),
    ("1940. gada 14 — 16. martam", None, "1940-03-14/1940-03-16"),
    ("1935. gada 6.—8. maijs", None, "1935-05-06/1935-05-08"),
    ("1935. gada 9.-11. decembris", None, "1935-12-09/1935-12-11"),
    ("1940. gada 14.-16. marts", None, "1940-03-14/1940-03-16"),
    ("1938. gada 10.-11. jūnijs", None, "1938-06-10/1938-06-11"),
    ("1939. gada 1.—2. februāris", None, "1939-02-01/1939-02-02"),
    ("1937. gada 1.—3. jūlijs", None, "1937-07-01/1937-07-03"),
    ("no 11. līdz 19. novembrim", 1919, "1919-11-11/1919-11-19"),
    ("1937. gada 1.–3. jūlijs", None, "1937-07-01/1937-07-03"),  # en dash
    ("1937. gada 1. – 3. jūlijs", None, "1937-07-01/1937-07-03"),
    ("14.-16. martā", 1940, "1940-03-14/1940-03-16"),
    # A range across months, and across years.
    ("1934. gada 30. novembris — 2. decembris", None, "1934-11-30/1934-12-02"),
    ("no 29. septembra līdz 1. oktobrim", 1919, "1919-09-29/1919-10-01"),
    ("1920. gada 6. augusts —6. septembris", None, "1920-08-06/1920-09-06"),
    ("1939. gada 30. decembris — 1940. gada 2. janvāris", None, "1939-12-30/1940-01-02"),
    ("no 1939. gada 30. decembra līdz 1940. gada 2. janvārim", None, "1939-12-30/1940-01-02"),
    ("1934. gada 12.—12. septembrī", None, "1934-09-12/1934-09-12"),  # a range may end on the day it begins
    # A month.
    ("1920. gada janvārī", None, "1920-01"),
    ("1933. gada oktobrī", None, "1933-10"),
    ("1939. gada martā", None, "1939-03"),
    ("1939. gada decembrī", None, "1939-12"),
    ("1940. gada martā", None, "1940-03"),
    ("1940. gada februārī", None, "1940-02"),
    ("1940. gada maijā", None, "1940-05"),
    ("martā", 1939, "1939-03"),
    # Halves, quarters, beginning, middle and end of a year.
    ("1935. gada pirmajā pusē", None, "1935-40"),
    ("otrajā pusē", 1935, "1935-41"),
    ("1935. gada otrajā pusgadā", None, "1935-41"),
    ("1920. gada beigās", None, "1920-36"),
    ("gada beigās", 1920, "1920-36"),
    ("gada sākumā", 1935, "1935-33"),
    ("gada vidū", 1935, "1935-05/1935-08"),
    ("1935. gada vidū", None, "1935-05/1935-08"),
    ("pirmajā ceturksnī", 1936, "1936-33"),
    ("otrajā ceturksnī", 1936, "1936-34"),
    ("trešajā ceturksnī", 1936, "1936-35"),
    ("ceturtajā ceturksnī", 1936, "1936-36"),
    ("1936. gada trešajā ceturksnī", None, "1936-35"),
    # Seasons.
    ("pavasarī", 1938, "1938-21"),
    ("vasarā", 1938, "1938-22"),
    ("rudenī", 1938, "1938-23"),
    ("ziemā", 1938, "1938-24"),
    ("1919. gada rudenī", None, "1919-23"),
    # Beginning, middle and end of a month: its ten-day decades.
    ("jūnija sākumā", 1940, "1940-06-01/1940-06-10"),
    ("jūnija vidū", 1940, "1940-06-11/1940-06-20"),
    ("jūnija beigās", 1940, "1940-06-21/1940-06-30"),
    ("1940. gada jūnija sākumā", None, "1940-06-01/1940-06-10"),
    ("Jūnija sākumā", 1940, "1940-06-01/1940-06-10"),  # at the start of a sentence
    ("februāra beigās", 1940, "1940-02-21/1940-02-29"),  # leap year
    ("februāra beigās", 1939, "1939-02-21/1939-02-28"),
    ("janvāra beigās", 1920, "1920-01-21/1920-01-31"),
    # Years.
    ("1934. gadā", None, "1934"),
    ("1935. gadā", None, "1935"),
    ("1919. un 1920. gadā", None, "{1919,1920}"),
    ("1919., 1920. un 1921. gadā", None, "{1919,1920,1921}"),
    ("no 1919. līdz 1934. gadam", None, "1919/1934"),
    ("1934. — 1940.gadā", None, "1934/1940"),
    ("1919.—1920. gadā", None, "1919/1920"),
    ("no 1919.—1920. gadam", None, "1919/1920"),  # "from" and a dash
    ("no 1919. gada līdz 1934. gadam", None, "1919/1934"),
    # Several days.
    ("12. un 13. septembrī", 1934, "{1934-09-12,1934-09-13}"),
    # A member borrows its month from the nearest member after it, its year from the nearest before it.
    ("1934. gada 31. decembrī, 1935. gada 1. un 2. janvārī", None, "{1934-12-31,1935-01-01,1935-01-02}"),
    ("12. un 1935. gada 13. septembrī", None, "{1935-09-12,1935-09-13}"),  # or, with none before, after it
    # Open intervals: "from" and "until" alone.
    ("no 1934. gada 15. maija", None, "1934-05-15/.."),
    ("kopš 1934. gada", None, "1934/.."),
    ("kopš 12. septembra", 1934, "1934-09-12/.."),
    ("martā", 9999, "9999-03"),
    ("līdz 1934. gadam", None, "../1934"),
    ("līdz 19. novembrim", 1919, "../1919-11-19"),
    # An end that begins before its start but ends after it: the rest of the month, as the record reads the date.
    ("no 1934. gada 15. jūnija līdz 1934. gada jūnijam", None, "1934-06-15/1934-06"),
    # Normalising: non-breaking spaces, runs of spaces, trailing punctuation, a given year overridden.
    ("1934.\u00a0gada\u00a012.\u00a0septembrī", None, "1934-09-12"),
    ("  1934.  gada   12. septembrī, ", None, "1934-09-12"),
    ("1934. gada 12. septembrī.", None, "1934-09-12"),
    ("(1934. gadā)", None, "1934"),
    ("1934. gada 12. septembrī", 1950, "1934-09-12"),
]

ERRORS: list[tuple[str, int | None, str]] = [
    ("", None, "empty"),
    ("   ", None, "empty"),
    ("kaut kad", None, "not a date"),
    ("1930. gados", None, "not a date"),  # a decade: not read (yet)
    ("1934. gada 31. septembrī", None, "no such day"),
    ("1939. gada 29. februārī", None, "no such day"),
    ("1934. gada 0. septembrī", None, "no such day"),
    ("12. septembrī", None, "year is missing"),
    ("jūnija sākumā", None, "year is missing"),
    ("gada beigās", None, "year is missing"),
    ("1934. gada 12. smarts", None, 'unknown month name "smarts"'),
    ("no 11. līdz 19.", 1919, "has no month"),
    ("no 12. līdz oktobrim", 1919, "day 12 has no month"),  # the month of a day is that of a later day
    ("1940. gada 16.-14. martam", None, "the range ends (1940-03-14) before it starts (1940-03-16)"),
    ("1.-2.-3. martā", 1940, "more than one dash"),
    ("trešajā pusē", 1935, "half"),
    ("piektajā ceturksnī", 1935, '"piektajā" is not a first to fourth quarter'),
    ("12. septembrī", 12345, "outside"),
    ("12. septembrī", 10000, "year=10000 is outside 1-9999"),
    # No year 0: a caller's default year of 0 is none, and a phrase's year 0 names no year.
    ("martā", 0, "year=0 is outside 1-9999"),
    ("0000. gada martā", None, "there is no year 0"),
    ("000. gadā", None, "there is no year 0"),
    # A range whose end lies within its start (EDTF's end comes after its start) spans nothing.
    ("no 1934. gada līdz 1934. gada janvārim", None, "the range ends (1934-01) within its start (1934)"),
    ("no 1934. gada līdz 1934. gada decembrim", None, "within its start"),
    ("no 1934. gada marta līdz 1934. gada 31. martam", None, "within its start"),
    ("no 1934. gada marta līdz 1934. gada 1. martam", None, "the range ends (1934-03-01) within its start (1934-03)"),
    ("no 1934. gada 30. jūnija līdz 1934. gada jūnijam", None, "the range ends (1934-06) within its start"),
]


@pytest.mark.parametrize(("phrase", "year", "expected"), CASES)
def test_phrase(phrase: str, year: int | None, expected: str) -> None:
    assert parse_lv_date(phrase, year) == expected


@pytest.mark.parametrize(("phrase", "year", "expected"), CASES)
def test_result_is_valid_edtf_and_ordered(phrase: str, year: int | None, expected: str) -> None:
    parsed = parse_edtf(parse_lv_date(phrase, year))
    if isinstance(parsed, Level1Interval):  # open at one end: nothing to order
        return
    if isinstance(parsed, Interval):  # it ends after its start's first day, and no earlier than its start's last
        assert parsed.lower.lower_strict() <= parsed.upper.upper_strict()
        assert parsed.lower.upper_strict() <= parsed.upper.upper_strict()
    elif isinstance(parsed, MultipleDates):
        starts = [member.lower_strict() for member in parsed.objects]
        assert starts == sorted(starts)
    assert parsed.lower_strict() <= parsed.upper_strict()
    assert dates.bounds(expected) == dates.parsed_bounds(expected)  # a date the record takes, as the parser reads it


@pytest.mark.parametrize(("phrase", "year", "reason"), ERRORS)
def test_error_quotes_the_phrase(phrase: str, year: int | None, reason: str) -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date(phrase, year)
    message = str(caught.value)
    assert f'"{phrase}"' in message
    assert reason in message


def test_a_phrase_without_its_year_says_so_and_how_to_give_it() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date("12. septembrī")
    assert str(caught.value) == ('cannot read the Latvian date phrase "12. septembrī": the year is missing: the '
                                 'phrase does not give it and no year= was passed')


def test_an_empty_phrase_is_said_to_be_empty() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date(" . ")
    assert str(caught.value) == 'cannot read the Latvian date phrase " . ": the phrase is empty'


def test_a_range_of_three_says_it_has_more_than_one_dash() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date("1.-2.-3. martā", 1940)
    assert str(caught.value) == 'cannot read the Latvian date phrase "1.-2.-3. martā": more than one dash'


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match='cannot read the Latvian date phrase "kaut kad"'):
        parse_lv_date("kaut kad")


@pytest.mark.parametrize("dash", ["—", "–", "-", " — ", " – ", " - ", "— ", " —"])
def test_any_dash(dash: str) -> None:
    assert parse_lv_date(f"1919. gada 14.{dash}15. septembrī") == "1919-09-14/1919-09-15"


@pytest.mark.parametrize(
    ("month", "forms"),
    [
        (1, "janvāris janvāra janvārī janvārim"),
        (2, "februāris februāra februārī februārim"),
        (3, "marts marta martā martam"),
        (4, "aprīlis aprīļa aprīlī aprīlim"),
        (5, "maijs maija maijā maijam"),
        (6, "jūnijs jūnija jūnijā jūnijam"),
        (7, "jūlijs jūlija jūlijā jūlijam"),
        (8, "augusts augusta augustā augustam"),
        (9, "septembris septembra septembrī septembrim"),
        (10, "oktobris oktobra oktobrī oktobrim"),
        (11, "novembris novembra novembrī novembrim"),
        (12, "decembris decembra decembrī decembrim"),
    ],
)
def test_every_month_in_every_case(month: int, forms: str) -> None:
    for form in forms.split():
        assert parse_lv_date(f"1936. gada 1. {form}") == f"1936-{month:02d}-01"
        assert parse_lv_date(form.upper(), 1936) == f"1936-{month:02d}"


def test_a_range_ending_within_its_start_is_refused_word_for_word() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date("no 1934. gada līdz 1934. gada janvārim")
    assert str(caught.value) == ('cannot read the Latvian date phrase "no 1934. gada līdz 1934. gada janvārim": the '
                                 'range ends (1934-01) within its start (1934): its end must come after its start')
    # Its start within its end is a span (from January to the end of 1934), as is one date to the same date.
    assert parse_lv_date("no 1934. gada janvāra līdz 1934. gadam") == "1934-01/1934"
    assert parse_lv_date("no 1934. gada līdz 1934. gadam") == "1934/1934"


def test_a_default_year_of_0_makes_no_date_of_year_0() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date("martā", 0)
    assert str(caught.value) == 'cannot read the Latvian date phrase "martā": year=0 is outside 1-9999'
    assert parse_lv_date("martā", 1) == "0001-03"


def test_a_refused_phrase_is_said_in_its_readers_language_as_in_english() -> None:
    with pytest.raises(DatePhraseError) as caught:
        parse_lv_date("1934. gada 12. smarts")
    latvian = say(caught.value.told, translations("lv"), "lv")
    assert 'nezināms mēneša nosaukums "smarts"' in latvian and '"1934. gada 12. smarts"' in latvian
    assert say(caught.value.told, translations("en"), "en") == str(caught.value)


def test_a_member_of_a_list_without_its_year_takes_the_year_of_the_nearest_member_after_it() -> None:
    assert parse_lv_date("12. martā, 1934. gada 13. aprīlī un 1935. gada 14. maijā") == \
        "{1934-03-12,1934-04-13,1935-05-14}"

