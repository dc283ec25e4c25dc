"""Periods as treaties count them: calendar years, months and weeks, and years, half-years and quarters from a day.

Each period is (label, first day, last day); the labels are those findings carry in their ``period`` field.
"""

from __future__ import annotations

from datetime import date

from entente.rules.periods import anchor, periods


def _days(kind: str, first: str, last: str, start: date = date(2000, 1, 1)) -> list[tuple[str, str, str]]:
    return [(label, a.isoformat(), b.isoformat())
            for label, a, b in periods(date.fromisoformat(first), date.fromisoformat(last), kind, start)]


def test_calendar_years_months_and_weeks() -> None:
    assert _days("calendar_year", "1935-03-01", "1936-02-01") == [
        ("1935", "1935-01-01", "1935-12-31"), ("1936", "1936-01-01", "1936-12-31")]
    # Months across a year's end; February of a leap year has 29 days.
    assert _days("calendar_month", "1935-11-15", "1936-02-01") == [
        ("1935-11", "1935-11-01", "1935-11-30"), ("1935-12", "1935-12-01", "1935-12-31"),
        ("1936-01", "1936-01-01", "1936-01-31"), ("1936-02", "1936-02-01", "1936-02-29")]
    # ISO weeks, Monday to Sunday, labelled by the ISO year (2020 has a 53rd week).
    assert _days("week", "2020-12-30", "2021-01-05") == [
        ("2020-W53", "2020-12-28", "2021-01-03"), ("2021-W01", "2021-01-04", "2021-01-10")]


def test_presidency_years_half_years_and_quarters_from_a_set_day() -> None:
    july = date(2000, 7, 1)
    assert _days("year", "2021-03-01", "2022-08-01", july) == [
        ("2020-07-01/2021-06-30", "2020-07-01", "2021-06-30"), ("2021-07-01/2022-06-30", "2021-07-01", "2022-06-30"),
        ("2022-07-01/2023-06-30", "2022-07-01", "2023-06-30")]
    # A span that starts on a period's first day, or ends on it, touches that period and no other.
    assert _days("year", "2021-07-01", "2021-07-01", july) == [("2021-07-01/2022-06-30", "2021-07-01", "2022-06-30")]
    assert _days("year", "2021-06-30", "2021-07-01", july) == [
        ("2020-07-01/2021-06-30", "2020-07-01", "2021-06-30"), ("2021-07-01/2022-06-30", "2021-07-01", "2022-06-30")]
    # A year from 1 January is labelled as the calendar year; a half-year from it by its days.
    assert _days("year", "1935-05-01", "1935-05-01") == [("1935", "1935-01-01", "1935-12-31")]
    assert _days("half_year", "1935-05-01", "1935-08-01") == [
        ("1935-01-01/1935-06-30", "1935-01-01", "1935-06-30"), ("1935-07-01/1935-12-31", "1935-07-01", "1935-12-31")]
    assert _days("quarter", "1935-02-10", "1935-04-01", date(2000, 2, 10)) == [
        ("1935-02-10/1935-05-09", "1935-02-10", "1935-05-09")]
    # Half-years from the 31st keep to a short month's last day, then come back to the 31st.
    assert _days("half_year", "2001-01-01", "2001-12-31", date(2000, 8, 31)) == [
        ("2000-08-31/2001-02-27", "2000-08-31", "2001-02-27"), ("2001-02-28/2001-08-30", "2001-02-28", "2001-08-30"),
        ("2001-08-31/2002-02-27", "2001-08-31", "2002-02-27")]


def test_the_last_periods_of_the_calendar_end_on_its_last_day() -> None:
    assert _days("half_year", "9999-01-01", "9999-12-31") == [
        ("9999-01-01/9999-06-30", "9999-01-01", "9999-06-30"), ("9999-07-01/9999-12-31", "9999-07-01", "9999-12-31")]
    assert _days("year", "9999-12-31", "9999-12-31", date(2000, 7, 1)) == [
        ("9999-07-01/9999-12-31", "9999-07-01", "9999-12-31")]


def test_the_first_day_of_a_series() -> None:
    assert anchor(None, "1934-11-03") == date(2000, 1, 1)
    assert anchor("07-01", "1934-11-03") == date(2000, 7, 1)
    assert anchor("entry_into_force", "1934-11-03") == date(1934, 11, 3)
    assert anchor("entry_into_force", None) == date(2000, 1, 1)  # not in force: no treaty year to count from
