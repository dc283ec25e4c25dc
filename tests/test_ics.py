"""The iCalendar export: parsed back, it holds the conferences the viewer may see, and it is reproducible."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.export import calendar
from entente.rules import read_treaties
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import ClassificationAmended, Restricted

from .conftest import CONSORTIUM

RIGA = "conference-1940-03-riga@baltic-entente.entente"


@pytest.fixture(scope="module")
def secretariat(tmp_path_factory):
    s = Secretariat.open(str(tmp_path_factory.mktemp("ics") / "record.db"), DEFAULT_UNION)
    yield s
    s.close()


def _events(cal: icalendar.Calendar, *categories: str) -> list[icalendar.Event]:
    return [v for v in cal.walk("VEVENT") if set(categories) <= {str(c) for c in v["CATEGORIES"].cats}]


def _export(s: Secretariat, viewer, at: str = "1940-03-20") -> bytes:
    return calendar(s.union, s.treaties, s.events_for(viewer), at)


def test_eleven_public_conferences_and_one_the_secretariat_restricts(db_url):
    s = Secretariat.open(db_url("restricted"), DEFAULT_UNION)
    for viewer in (SECRETARIAT, PUBLIC, Viewer.parse("LV")):
        assert len(_events(icalendar.Calendar.from_ical(_export(s, viewer)), "conference", "entente-1934")) == 11
    assert b"CLASS:CONFIDENTIAL" not in _export(s, SECRETARIAT)
    # The decision taken at it first: nothing public may follow from a restricted conference.
    for target in ("weekly-meetings-1940", "conference-1940-03-riga"):
        s.record(ClassificationAmended(id=f"{target}-restricted", date="1940-03-14/1940-03-16", target=target,
                                       to=Restricted(instrument="entente-1934"),
                                       classification=Restricted(instrument="entente-1934")), SECRETARIAT)
    for viewer, count in ((SECRETARIAT, 11), (Viewer.parse("LV"), 11), (PUBLIC, 10), (Viewer.parse("FI"), 10)):
        cal = icalendar.Calendar.from_ical(_export(s, viewer))
        assert len(_events(cal, "conference", "entente-1934")) == count, viewer
        riga = [v for v in cal.walk("VEVENT") if v["UID"] == RIGA]
        assert [str(v["CLASS"]) for v in riga] == (["CONFIDENTIAL"] if count == 11 else []), viewer
    assert b"Riia" not in _export(s, PUBLIC)
    s.close()


def test_a_conference_is_all_day_with_an_exclusive_end(secretariat):
    cal = icalendar.Calendar.from_ical(_export(secretariat, SECRETARIAT))
    first = next(v for v in cal.walk("VEVENT") if v["UID"] == "conference-1934-11-tallinn@baltic-entente.entente")
    assert first["DTSTART"].dt == date(1934, 11, 30)  # a date, not a datetime: all day
    assert first["DTEND"].dt == date(1934, 12, 3)  # the conference ended on 2 December
    assert str(first["LOCATION"]) == "Tallinn"
    assert str(first["CLASS"]) == "PUBLIC"
    riga = next(v for v in cal.walk("VEVENT") if v["UID"] == RIGA)
    assert str(riga["CLASS"]) == "PUBLIC" and "Riga, 14–16 March 1940" in str(riga["DESCRIPTION"])


def test_the_next_conference_and_the_deadlines(secretariat):
    cal = icalendar.Calendar.from_ical(_export(secretariat, SECRETARIAT))
    assert str(cal["PRODID"]) == "-//Entente//baltic-entente//EN"
    nxt = next(v for v in _events(cal, "proposal") if "host LT" in str(v["SUMMARY"]))
    assert str(nxt["SUMMARY"]) == "Next conference due: host LT"
    assert (nxt["DTSTART"].dt, nxt["DTEND"].dt, str(nxt["LOCATION"])) == (
        date(1940, 12, 31), date(1941, 1, 1), "Kaunas")
    due_days = sorted(v["DTSTART"].dt for v in _events(cal, "deadline"))
    assert date(1940, 12, 31) in due_days and date(1944, 11, 13) in due_days


def test_reproducible_bytes_and_stable_uids(baltic):
    treaties, events = read_treaties(DEFAULT_UNION), bundled_record(baltic)
    one, two = calendar(baltic, treaties, events, "1940-03-20"), calendar(baltic, treaties, list(reversed(events)),
                                                                         "1940-03-20")
    assert one == two
    assert b"\r\n" in one  # RFC 5545 line ends
    cal = icalendar.Calendar.from_ical(one)
    tallinn = next(v for v in cal.walk("VEVENT") if v["UID"] == "conference-1934-11-tallinn@baltic-entente.entente")
    # Not recorded in a store yet: DTSTAMP comes from the event's own last day, not the clock.
    assert tallinn["DTSTAMP"].dt == datetime(1934, 12, 2, tzinfo=UTC)


def test_calendar_command_to_stdout_and_file(tmp_path, db_url):
    def run(*args):
        result = CliRunner().invoke(main, ["--db", db_url("c"), "--union", str(CONSORTIUM), *args])
        assert result.exit_code == 0, result.output
        return result

    first = run("calendar", "--at", "2021-12-31").stdout_bytes
    second = run("calendar", "--at", "2021-12-31").stdout_bytes
    assert first == second  # the same store: the same record times, the same bytes
    run("calendar", "--at", "2021-12-31", "--output", str(tmp_path / "c.ics"))
    assert (tmp_path / "c.ics").read_bytes() == first
    cal = icalendar.Calendar.from_ical(first)
    assert [str(v["UID"]) for v in _events(cal, "conference")] == [
        "assembly-2020@baltic-sea-archives.entente", "assembly-2021@baltic-sea-archives.entente",
        "assembly-2023@baltic-sea-archives.entente"]
    [nxt] = _events(cal, "proposal")
    assert str(nxt["SUMMARY"]) == "Next conference due: host RIG"
    assert nxt["DTSTART"].dt == date(2022, 12, 31)
    tartu = _events(cal, "conference")[1]
    assert (tartu["DTSTART"].dt, tartu["DTEND"].dt) == (date(2021, 6, 9), date(2021, 6, 10))


def test_the_public_calendar_command_shows_the_eleven_conferences(db_url):
    result = CliRunner().invoke(main, ["--db", db_url("p"), "--as", "public", "calendar"])
    assert result.exit_code == 0, result.output
    cal = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert len(_events(cal, "conference", "entente-1934")) == 11


def test_a_deadline_reminds_a_week_and_a_day_before_its_last_day(secretariat):
    cal = icalendar.Calendar.from_ical(_export(secretariat, SECRETARIAT, at="1938-07-01"))
    meeting = next(v for v in _events(cal, "deadline") if str(v["SUMMARY"]).startswith("Last day for: meeting"))
    alarms = meeting.walk("VALARM")
    assert sorted(a["TRIGGER"].dt for a in alarms) == [-timedelta(days=7), -timedelta(days=1)]
    assert all(str(a["ACTION"]) == "DISPLAY" and "meeting" in str(a["DESCRIPTION"]) for a in alarms)
