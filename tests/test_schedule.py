"""The proposed next conference and the deadlines, read off the rules' due items."""

from __future__ import annotations

import json

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import compliance, read_treaties
from entente.secretariat.clearance import PUBLIC, visible
from entente.views.schedule import deadlines, next_conference
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import RuleChanged

from .conftest import CONSORTIUM


@pytest.fixture(scope="module")
def baltic_data(baltic):
    return baltic, read_treaties(DEFAULT_UNION), bundled_record(baltic)


@pytest.fixture(scope="module")
def consortium_data(consortium):
    return consortium, read_treaties(CONSORTIUM), bundled_record(consortium)


def _conference(proposals):
    return next(p for p in proposals if p.rule_id == "periodic-conferences")


def test_after_the_eleventh_conference_lithuania_hosts_in_kaunas_by_the_end_of_1940(baltic_data):
    union, treaties, events = baltic_data
    p = _conference(next_conference(union, treaties, events, "1940-03-20"))
    assert (p.instrument, p.latest, p.host, p.hosts, p.place, p.place_from) == (
        "entente-1934", "1940-12-31", "LT", ["LT"], "Kaunas", "conference-1939-02-kaunas")
    assert p.articles == ["Article 2 of entente-1934"]
    assert p.earliest is None and "sets no notice period" in p.detail


# A decision adding a rule the treaty text does not have: weekly meetings of another series, from a day on.
WEEKLY = RuleChanged(id="weekly-by-decision", date="1940-03-14/1940-03-16", instrument="entente-1934",
                     rule="weekly-meetings", rule_kind="periodic_meetings", article="2", effective="1940-03-16",
                     settings={"period": "week", "minimum": 1, "series": "ministers-and-envoys"})


def test_meetings_added_by_decision_are_their_own_series_without_a_host(baltic_data):
    union, treaties, events = baltic_data
    weekly = next(p for p in next_conference(union, treaties, [*events, WEEKLY], "1940-03-20")
                  if p.rule_id == "weekly-meetings")
    assert (weekly.series, weekly.latest, weekly.host, weekly.hosts) == ("ministers-and-envoys", "1940-03-24", None, [])
    assert "no host_rotation rule governs this series" in weekly.detail
    # The Baltic record's weekly meetings of March 1940 were a working arrangement of the 11th conference:
    # they add no rule, so nothing is proposed or judged for them.
    assert [p.rule_id for p in next_conference(union, treaties, events, "1940-03-20")] == ["periodic-conferences"]
    assert not any(f.rule_id == "weekly-meetings" for f in compliance(union, treaties, events, "1940-07-01"))


def test_a_rotation_leaving_a_choice_names_every_host_and_no_place(baltic_data):
    union, treaties, events = baltic_data
    p = _conference(next_conference(union, treaties, events, "1934-12-31"))
    assert (p.latest, p.host, p.hosts, p.place) == ("1935-12-31", None, ["LT", "LV"], None)


def test_the_public_proposal_comes_from_the_public_record(baltic_data):
    union, treaties, events = baltic_data
    p = _conference(next_conference(union, treaties, visible(events, PUBLIC), "1940-03-20"))
    assert (p.latest, p.hosts) == ("1940-12-31", ["LT"])  # every conference is public: as the parties see it
    # Withheld from a viewer, the 10th and 11th conferences would not count: the cycle closed with the 9th, in
    # Kaunas, and a new one begins with either state but Lithuania.
    withheld = [e for e in visible(events, PUBLIC) if e.id not in ("conference-1939-12-tallinn",
                                                                   "conference-1940-03-riga")]
    assert _conference(next_conference(union, treaties, withheld, "1940-03-20")).hosts == ["EE", "LV"]


def test_nothing_is_proposed_once_the_instrument_has_ended(baltic_data):
    union, treaties, events = baltic_data
    assert next_conference(union, treaties, events, "1940-07-02") == []


def test_a_host_that_never_hosted_has_no_place(consortium_data):
    union, treaties, events = consortium_data
    [p] = next_conference(union, treaties, events, "2021-12-31")
    assert (p.latest, p.host, p.place) == ("2022-12-31", "RIG", None)
    assert "the record names no conference RIG held" in p.detail


def test_a_notice_setting_gives_the_earliest_day(consortium_data):
    union, treaties, events = consortium_data
    treaty = treaties["agreement-2020"]
    article = treaty.articles[0]
    spec = article.rules[0]
    noticed = msgspec.structs.replace(spec, settings={**spec.settings, "notice_days": 30})
    treaties = {treaty.instrument: msgspec.structs.replace(treaty, articles=(
        msgspec.structs.replace(article, rules=(noticed, *article.rules[1:])),))}
    [p] = next_conference(union, treaties, events, "2021-12-31")
    assert p.earliest == "2022-01-30" and "earliest 2022-01-30, after the notice period" in p.detail


def test_deadlines_are_the_dated_due_items_in_order(baltic_data):
    union, treaties, events = baltic_data
    items = deadlines(union, treaties, events, "1940-03-20")
    days = [d.by or d.on for d in items]
    assert all(days) and days == sorted(days)
    assert ("weekly-meetings", "1940-03-24") in [(d.rule_id, d.by) for d in
                                                 deadlines(union, treaties, [*events, WEEKLY], "1940-03-20")]
    assert ("term", "1944-11-13") in [(d.rule_id, d.on) for d in items if d.instrument == "entente-1934"]


def test_next_command_json(db_url):
    result = CliRunner().invoke(main, ["--db", db_url("n"), "--union", str(CONSORTIUM),
                                       "next", "--at", "2021-12-31", "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["host"], row["latest"], row["earliest"]) == ("RIG", "2022-12-31", None)


def test_a_convened_conference_is_the_next_one_and_goes_in_the_calendar(consortium_data):
    import icalendar

    from entente.export import calendar
    from entente.vocabulary.events import ConferenceConvened

    union, treaties, events = consortium_data
    called = ConferenceConvened(id="call-2024", date="2024-03-01", conference="assembly-2024",
                                planned="2024-09-10/2024-09-11", number=4, instrument="agreement-2020", host="HAM",
                                place={"en": "Hamburg"})
    [p] = next_conference(union, treaties, [*events, called], "2024-06-01")
    assert (p.convened, p.host, p.place) == ("2024-09-10/2024-09-11", "HAM", "Hamburg")
    assert p.detail.startswith("convened on 2024-03-01 for 2024-09-10/2024-09-11 (call-2024)")
    cal = icalendar.Calendar.from_ical(calendar(union, treaties, [*events, called], "2024-06-01"))
    [v] = [c for c in cal.walk("VEVENT") if str(c["summary"]).startswith("Conference convened")]
    assert (v.decoded("dtstart").isoformat(), v.decoded("dtend").isoformat()) == ("2024-09-10", "2024-09-12")
