"""Dates as people ask for them: EDTF, English and Latvian phrases; a month or year means its last day."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.vocabulary.asked import AskedDay, read_day, read_moment
from entente.vocabulary.dates import DateError
from entente.vocabulary.definition import DEFAULT_UNION

from .conftest import CONSORTIUM

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("text", "day", "said"), [
    ("1938-03-01", "1938-03-01", "1938-03-01"),
    ("1938-03", "1938-03-31", "1938-03"),
    ("1938-02", "1938-02-28", "1938-02"),
    ("1940-02", "1940-02-29", "1940-02"),  # a leap year's February
    ("1938", "1938-12-31", "1938"),
    ("1935-40", "1935-06-30", "1935-40"),  # any bounded EDTF date: its last day
    ("1923-11-01?", "1923-11-01", "1923-11-01?"),
    ("March 1938", "1938-03-31", "1938-03"),
    ("march   1938", "1938-03-31", "1938-03"),
    ("Mar 1938", "1938-03-31", "1938-03"),
    ("1 March 1938", "1938-03-01", "1938-03-01"),
    ("March 1, 1938", "1938-03-01", "1938-03-01"),
    ("12.03.1938", "1938-03-12", "1938-03-12"),  # day first, as Europe writes it
    ("February 1940", "1940-02-29", "1940-02"),
    ("in 1938", "1938-12-31", "1938"),
    ("the year 1938", "1938-12-31", "1938"),
    ("first half of 1935", "1935-06-30", "1935-40"),
    ("Second Half of 1935", "1935-12-31", "1935-41"),
    ("spring 1938", "1938-05-31", "1938-21"),
    ("summer 1938", "1938-08-31", "1938-22"),
    ("autumn 1938", "1938-11-30", "1938-23"),
    ("winter 1938", "1938-12-31", "1938-24"),
    ("first quarter of 1920", "1920-03-31", "1920-33"),
    ("second quarter of 1920", "1920-06-30", "1920-34"),
    ("third quarter of 1920", "1920-09-30", "1920-35"),
    ("fourth quarter of 1920", "1920-12-31", "1920-36"),
    ("1938. gada martā", "1938-03-31", "1938-03"),
    ("1938. gada 12. martā", "1938-03-12", "1938-03-12"),
    ("1938. gadā", "1938-12-31", "1938"),
    ("1935. gada pirmajā pusē", "1935-06-30", "1935-40"),
    ("yesterday", "2026-11-25", "2026-11-25"),
    ("today", "2026-11-26", "2026-11-26"),
    ("last month", "2026-10-31", "2026-10"),
])
def test_a_day_as_people_write_it(text, day, said):
    assert read_day(text, TODAY) == AskedDay(day, said)


def test_an_exact_day_is_exact_and_a_month_is_not():
    assert read_day("1938-03-01", TODAY).exact and read_day("1 March 1938", TODAY).exact
    assert not read_day("March 1938", TODAY).exact and not read_day("1938", TODAY).exact


@pytest.mark.parametrize(("text", "says"), [
    ("", "no date given"),
    ("   ", "no date given"),
    ("1934-13-01", '"1934-13-01" is not a date this reads: no such day or month'),
    ("1938-02-30", '"1938-02-30" is not a date this reads: no such day or month'),
    ("2021-13", '"2021-13" is not a date this reads: no such day or month'),
    ("March", '"March" is not a date this reads'),  # no year: not guessed
    ("martā", '"martā" is not a date this reads'),
    ("März 1938", '"März 1938" is not a date this reads'),  # English and Latvian only: no language guessed at
    ("someday", '"someday" is not a date this reads'),
    ("first half", '"first half" is not a date this reads'),
    ("third half of 1935", '"third half of 1935" is not a date this reads'),
    ("1934/..", '"1934/.." is open-ended, so it has no last day'),
    ("no 1934. gada", '"no 1934. gada" is not a date this reads'),
])
def test_what_is_not_a_day_is_told(text, says):
    with pytest.raises(DateError) as refused:
        read_day(text, TODAY)
    message = str(refused.value)
    assert message.startswith(says)
    if "no such day" in says:
        assert message == says
    else:  # a phrase not understood is answered with examples of what is
        assert message.endswith('such as 1938-03-01, 1938-03, 1938, "March 1938" or "1938. gada martā"')


def test_a_record_time_as_people_write_it():
    now = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    assert read_moment("2026-01-01", now) == "2026-01-01T23:59:59.999999Z"
    assert read_moment("2026-11-26T09:00:00Z", now) == "2026-11-26T09:00:00.000000Z"
    assert read_moment("10 minutes ago", now) == "2026-11-26T10:20:00.000000Z"
    assert read_moment("2 hours ago", now) == "2026-11-26T08:30:00.000000Z"
    assert read_moment("March 2026", now) == "2026-03-31T23:59:59.999999Z"
    assert read_moment("2026. gada martā", now) == "2026-03-31T23:59:59.999999Z"
    with pytest.raises(DateError) as refused:
        read_moment("someday", now)
    assert str(refused.value) == '"someday" is not a day (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)'


@pytest.fixture
def in_riga(monkeypatch):
    """The machine's clock set to Riga's time zone, two or three hours ahead of UTC."""
    monkeypatch.setenv("TZ", "Europe/Riga")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_record_time_is_in_utc_whatever_the_zone_of_the_machine_or_of_the_time_given(in_riga):
    now = datetime(2026, 11, 26, 12, 30, tzinfo=timezone(timedelta(hours=2)))  # 10:30 UTC
    assert read_moment("10 minutes ago", now) == "2026-11-26T10:20:00.000000Z"
    assert read_moment("2026-11-26T11:00:00+02:00", now) == "2026-11-26T09:00:00.000000Z"
    assert read_moment("2026-11-26T09:00:00", now) == "2026-11-26T09:00:00.000000Z"  # no zone: UTC
    assert read_moment("2026-11-26", now) == "2026-11-26T23:59:59.999999Z"


def _cli(db_url, *args: str, union=None):
    extra = ["--union", str(union)] if union else []
    result = CliRunner().invoke(main, ["--db", db_url(f"{'c' if union else 'b'}"), *extra, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_command_line_says_which_day_it_used(db_url):
    assert _cli(db_url, "state", "--at", "March 1938").startswith(
        "baltic-entente: 7 conferences held so far (besides 6 under no instrument of the union)\n"
        "as of 31 March 1938 (the last day of March 1938)\n")
    assert "as of 31 March 1938 (the last day of March 1938)" in _cli(db_url, "state", "--at", "1938. gada martā")
    assert "as of 12 March 1938\n" in _cli(db_url, "state", "--at", "1938-03-12")
    by_phrase = json.loads(_cli(db_url, "party", "LT", "--at", "March 1939", "--json"))
    assert by_phrase == json.loads(_cli(db_url, "party", "LT", "--at", "1939-03-31", "--json"))


def test_without_a_day_an_ended_union_is_seen_on_its_last_day_and_one_in_force_today(db_url):
    assert "as of 1 July 1940 (the last day of the record; the union has ended)" in _cli(db_url, "state")
    assert json.loads(_cli(db_url, "state", "--json"))["at"] == "1940-07-01"
    today = date.today()
    consortium = json.loads(_cli(db_url, "state", "--json", union=CONSORTIUM))
    assert consortium["at"] == today.isoformat()
    assert "(today; the union is in force)" in _cli(db_url, "due", union=CONSORTIUM)


def test_the_api_reads_at_as_the_command_line_does(api):
    client, _ = api(CONSORTIUM)
    assert client.get("/api/state").json()["at"] == date.today().isoformat()
    assert client.get("/api/state", params={"at": "March 2021"}).json()["at"] == "2021-03-31"
    assert client.get("/api/state", params={"at": "2021"}).json()["at"] == "2021-12-31"
    assert client.get("/api/parties/HAM", params={"at": "2021. gada jūnijā"}).json()["at"] == "2021-06-30"
    refused = client.get("/api/state", params={"at": "2021-13"})
    assert refused.status_code == 400 and "no such day or month" in refused.json()["error"]


def test_the_api_of_an_ended_union_defaults_to_its_last_day(api):
    client, _ = api(DEFAULT_UNION)
    assert client.get("/api/state").json()["at"] == "1940-07-01"
