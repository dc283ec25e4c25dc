"""Replay: the state at a date is a pure function of the events, whatever order they came in."""

from __future__ import annotations

import random

import pytest

from entente.replay.state import state
from entente.vocabulary.definition import bundled_record
from entente.vocabulary.events import InstrumentAcceded, InstrumentSigned, InstrumentTerminated


@pytest.fixture(scope="module")
def record(consortium):
    return bundled_record(consortium)


@pytest.mark.parametrize(
    ("at", "status", "bound"),
    [
        ("2019-12-31", None, None),
        ("2020-01-15", "signed", []),
        ("2020-03-01", "in_force", ["GDA", "HAM", "RIG", "TAR", "VIL"]),
        ("2024-01-30", "in_force", ["GDA", "HAM", "RIG", "TAR", "VIL"]),
        ("2024-01-31", "in_force", ["HAM", "RIG", "TAR", "VIL"]),
    ],
)
def test_instrument_status_and_parties_through_time(record, at, status, bound):
    agreement = state(record, at).instruments.get("agreement-2020")
    assert (agreement.status if agreement else None) == status
    assert (sorted(agreement.parties) if agreement else None) == bound


def test_conferences_count_from_their_first_day(record):
    assert [c.number for c in state(record, "2020-06-09").conferences] == []
    assert [c.number for c in state(record, "2020-06-10").conferences] == [1]
    assert [c.number for c in state(record, "2030-01-01").conferences] == [1, 2, 3]


def test_any_load_order_gives_the_same_state(record):
    expected = state(record, "2030-01-01")
    for seed in range(20):
        shuffled = list(record)
        random.Random(seed).shuffle(shuffled)
        assert state(shuffled, "2030-01-01") == expected


def _signed(parties, **kw):
    return InstrumentSigned(id="s", date="2000-01-01", instrument="t", title={"en": "T"}, parties=parties, **kw)


def test_an_instrument_terminated_before_entering_into_force_never_was():
    events = [_signed(("AA", "BB")), InstrumentTerminated(id="x", date="2000-06-01", instrument="t", mode="lapsed")]
    assert state(events, "2001-01-01").instruments["t"].status == "never_in_force"


def test_a_bilateral_instrument_ends_when_one_party_leaves():
    events = [_signed(("AA", "BB"), in_force_on_signature=True),
              InstrumentTerminated(id="x", date="2000-06-01", instrument="t", party="AA", mode="annulled")]
    t = state(events, "2000-06-01").instruments["t"]
    assert (t.status, t.parties, t.ended) == ("terminated", [], "2000-06-01")


def test_an_accession_binds_the_acceding_party():
    events = [_signed(("AA", "BB"), in_force_on_signature=True),
              InstrumentAcceded(id="x", date="2000-03-01", instrument="t", party="CC")]
    assert state(events, "2000-02-28").instruments["t"].parties == ["AA", "BB"]
    assert state(events, "2000-03-01").instruments["t"].parties == ["AA", "BB", "CC"]


def test_answers_are_kept_whatever_their_dates_and_ids_sort_like():
    from entente.vocabulary.events import ProposalDecided, ProposalMade

    # The decision's uncertain month starts before the proposal's day, and its id sorts first.
    events = [ProposalMade(id="z-made", date="1939-09-06", proposal="p", proposer="AA"),
              ProposalDecided(id="a-decided", date="1939-09?", proposal="p", outcome="rejected")]
    assert state(events, "1939-12-31").proposals["p"].decision.id == "a-decided"


def test_the_baltic_answers_are_all_attached(baltic):
    s = state(bundled_record(baltic), "1941-01-01")
    assert {r: sorted(x.responses) for r, x in s.requests.items()} == {
        "klaipeda-1935": ["EE", "LV"], "klaipeda-1939": ["EE", "LV"]}
    assert all(p.decision is not None for p in s.proposals.values())
    assert s.waiting == {}
