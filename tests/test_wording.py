"""EDTF dates written as words for readers, in English and Latvian."""

from __future__ import annotations

import pytest

from entente.vocabulary.lv import parse_lv_date
from entente.vocabulary.wording import dates_in, day_words, words

CASES = [
    # EDTF, English, Latvian
    ("1934-09-12", "12 September 1934", "1934. gada 12. septembrī"),
    ("1939-03", "March 1939", "1939. gada martā"),
    ("1939", "1939", "1939. gadā"),
    ("1935-21", "spring 1935", "1935. gada pavasarī"),
    ("1935-24", "winter 1935", "1935. gada ziemā"),
    ("1920-33", "first quarter of 1920", "1920. gada pirmajā ceturksnī"),
    ("1920-36", "fourth quarter of 1920", "1920. gada ceturtajā ceturksnī"),
    ("1935-40", "first half of 1935", "1935. gada pirmajā pusē"),
    ("1935-41", "second half of 1935", "1935. gada otrajā pusē"),
    ("1939-12-07/1939-12-08", "7–8 December 1939", "1939. gada 7.–8. decembrī"),
    ("1934-11-30/1934-12-02", "30 November – 2 December 1934", "no 1934. gada 30. novembra līdz 2. decembrim"),
    ("1939-12-30/1940-01-02", "30 December 1939 – 2 January 1940",
     "no 1939. gada 30. decembra līdz 1940. gada 2. janvārim"),
    ("1920-09/1920-11", "September – November 1920", "no 1920. gada septembra līdz novembrim"),
    ("1920-10/1923-11-01", "October 1920 – 1 November 1923", "no 1920. gada oktobra līdz 1923. gada 1. novembrim"),
    ("1919/1934", "1919–1934", "1919.–1934. gadā"),
    ("1934-05-15/..", "from 15 May 1934", "no 1934. gada 15. maija"),
    ("../1934", "until 1934", "līdz 1934. gadam"),
    # A set names its year once, and each month after its last day, as a reader writes it.
    ("{1919,1920}", "1919 and 1920", "1919. un 1920. gadā"),
    ("{1939-09-12,1939-09-13}", "12 and 13 September 1939", "1939. gada 12. un 13. septembrī"),
    ("{1940-06-14,1940-06-16}", "14 and 16 June 1940", "1940. gada 14. un 16. jūnijā"),
    ("{1940-05-30,1940-06-02}", "30 May and 2 June 1940", "1940. gada 30. maijā un 2. jūnijā"),
    ("{1940-06-14,1940-06-16,1940-06-18}", "14, 16 and 18 June 1940", "1940. gada 14., 16. un 18. jūnijā"),
    ("{1940-05,1940-06}", "May and June 1940", "1940. gada maijā un jūnijā"),
    # Across years, each day has its year.
    ("{1939-06-14,1940-06-16}", "14 June 1939 and 16 June 1940", "1939. gada 14. jūnijā un 1940. gada 16. jūnijā"),
]


@pytest.mark.parametrize(("edtf", "english", "latvian"), CASES)
def test_a_date_in_words(edtf, english, latvian):
    assert words(edtf) == english
    assert words(edtf, "lv") == latvian


@pytest.mark.parametrize(("edtf", "latvian"), [(edtf, lv) for edtf, _, lv in CASES])
def test_the_latvian_words_read_back_as_the_same_date(edtf, latvian):
    assert parse_lv_date(latvian) == edtf


def test_uncertain_and_approximate_dates_say_so():
    assert words("1923-11-01?") == "1 November 1923 (uncertain)"
    assert words("1923-11-01?", "lv") == "1923. gada 1. novembrī (nav droši zināms)"
    assert words("1939-09~") == "about September 1939"
    assert words("1939-09~", "lv") == "aptuveni 1939. gada septembrī"
    assert words("1939%") == "about 1939 (uncertain)"
    assert words("1934-02-17?/1934-03") == "17 February 1934 (uncertain) – March 1934"


def test_one_of_a_set_and_other_forms():
    assert words("[1919,1920]") == "1919 or 1920"
    assert words("[1919,1920]", "lv") == "1919. vai 1920. gadā"
    assert words("[1940-06-14,1940-06-16]") == "14 or 16 June 1940"
    assert words("[1940-06-14,1940-06-16]", "lv") == "1940. gada 14. vai 16. jūnijā"
    # A set with an uncertain member says each member whole.
    assert words("{1935-02?,1936~}") == "February 1935 (uncertain) and about 1936"
    # What no form above writes is given as the span of days it stands for, never as the code.
    assert words("1935-21/1935-40") == "spring 1935 – first half of 1935"
    assert words("1935-21/1935-40", "lv") == "1935. gada pavasarī – 1935. gada pirmajā pusē"
    assert words("193X") == "between 1 January 1930 and 31 December 1939"
    assert words("193X", "lv") == "no 1930. gada 1. janvāra līdz 1939. gada 31. decembrim"
    assert words("not a date") == "not a date"


def test_a_day_and_a_language_the_wording_does_not_know():
    assert day_words("1938-03-31") == "31 March 1938"
    assert day_words("1938-03-31", "lv") == "1938. gada 31. martā"
    assert words("1938-03-31", "de") == "31 March 1938"


@pytest.mark.parametrize(("text", "english"), [
    ("proposal by LT on 1939-12: rejected", "proposal by LT in December 1939: rejected"),
    ("LT asked EE and LV on 1935-40;", "LT asked EE and LV in the first half of 1935;"),
    ("LT asked EE and LV on 1939-03-20/1939-03-22;", "LT asked EE and LV on 20–22 March 1939;"),
    ("ended on 1940-06-29", "ended on 29 June 1940"),
])
def test_a_date_in_running_english_takes_on_for_a_day_and_in_for_a_month_or_half_year(text, english):
    assert dates_in(text) == english
