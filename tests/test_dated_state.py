"""The record folded once into dated state: days read off it, entries folded on, rule settings dated."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from entente.replay import DatedState, bindings, extended, fold, state_at
from entente.replay.state import in_order, state
from entente.rules import judge, read_treaties
from entente.vocabulary import dates
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import (
    AssistanceRequested,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    RuleChanged,
)

from .conftest import TESTS

DAYS = ["1934-01-01", "1934-11-13", "1935-06-01", "1939-03-22", "1940-03-15", "1940-07-01", "1941-01-01"]


@pytest.fixture(scope="module")
def events(baltic) -> list[Any]:
    return bundled_record(baltic)


def test_entries_folded_on_as_they_come_give_the_state_of_the_whole_record_folded_at_once(events) -> None:
    whole = fold(events)
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    growing = fold([])
    for n in range(0, len(shuffled), 9):  # in batches, some dated before what was folded already
        growing = fold(shuffled[n:n + 9], onto=growing)
    for day in DAYS:
        assert state_at(growing, day) == state_at(whole, day) == state(events, day)


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_a_state_extended_entry_by_entry_is_the_whole_fold_and_leaves_each_earlier_state_as_it_was(events, seed):
    """Each entry in any order (one of today sorts among the folded ones; an earlier question or act makes
    the fold start again); every state made on the way still reads as the entries it was made from."""
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    made = [fold([])]
    for e in shuffled:
        made.append(extended(made[-1], [e]))
    for day in DAYS:
        assert state_at(made[-1], day) == state_at(fold(events), day)
    for n in (5, 30, len(shuffled) // 2):
        assert made[n].events == in_order(shuffled[:n])
        assert state_at(made[n], "1941-01-01") == state(shuffled[:n], "1941-01-01")


def test_a_question_raised_after_the_days_positions_is_put_in_its_place_with_the_answers_that_came_before_it(events):
    """A question raised today after positions stated today (an everyday write) is placed among the folded entries,
    not folded again with the whole record, and reads as the whole record folded at once: the position sent before
    it is its answer, and it follows the other questions in every table, as in a fold."""
    before = [e for e in events if dates.start(e.date) < "1940-01-01"]
    day = "1939-12-31"

    def question(name: str) -> QuestionRaised:
        return QuestionRaised(id=name, date=day, question=name, instrument="entente-1934", subject="trade",
                              title={"en": name}, actor="LV")

    today = [question("q-one"), PositionStated(id="q-one-ee", date=day, question="q-one", party="EE", stance="support"),
             PositionStated(id="q-two-lt", date=day, question="q-two", party="LT", stance="oppose")]
    held = extended(fold(before), today)
    placed = extended(held, [question("q-two")])
    whole = fold([*before, *today, question("q-two")])
    assert not isinstance(placed.events, list)  # extended in place, in the chunks a write shares: not folded again
    assert placed.events == whole.events
    assert state_at(placed, day) == state_at(whole, day)
    assert [e.id for e in placed.questions["q-two"].answers] == ["q-two-lt"]
    assert list(placed.questions) == list(whole.questions)
    assert {t: list(names) for t, names in placed.unsettled.items()} == \
        {t: list(names) for t, names in whole.unsettled.items()}
    assert "q-two" not in held.questions and [e.id for e in held.waiting["q-two"]] == ["q-two-lt"]  # left as it was
    # A proposal on a question, made after it that day: placed too (a question is not of its table).
    proposal = ProposalMade(id="a-proposal", date=day, proposal="a-proposal", instrument="entente-1934",
                            proposer="EE", title={"en": "a joint answer"}, target="q-one")
    placed, whole = extended(placed, [proposal]), fold([*before, *today, question("q-two"), proposal])
    assert not isinstance(placed.events, list) and placed.events == whole.events
    assert state_at(placed, day) == state_at(whole, day) and placed.targets == whole.targets


def test_who_is_bound_from_when_to_when(events) -> None:
    dated = fold(events)
    # Latvia annulled the treaty on 1 July 1940: from that day no party is bound.
    assert bindings(dated, "entente-1934") == {p: [("1934-11-13", "1940-07-01")] for p in ("EE", "LT", "LV")}


def test_a_decision_raising_the_minimum_from_1939_leaves_the_years_before_it_as_they_were(baltic, events) -> None:
    union, treaties = baltic, read_treaties(DEFAULT_UNION)
    raised = RuleChanged(id="three-a-year", date="1938-12-01", instrument="entente-1934", rule="periodic-conferences",
                         effective="1939-01-01", settings={"minimum": 3})

    def years(record: list[Any]) -> dict[str, str]:
        findings = judge(union, treaties, record, "1940-12-31")[0]
        return {f.period: f.status for f in findings  # by calendar years, the reading whose periods are years
                if f.rule_id == "periodic-conferences" and f.reading_name == "calendar-year"}

    before, after = years(events), years([*events, raised])
    assert {y: after[y] for y in ("1935", "1936", "1937")} == {"1935": "met", "1936": "met", "1937": "met"}
    assert {y: after[y] for y in after if y < "1939"} == {y: before[y] for y in before if y < "1939"}
    assert (before["1939"], after["1939"]) == ("met", "breach")  # two held, three asked from 1939 on


def test_a_rule_added_by_a_decision_is_not_judged_before_its_effective_day(baltic, events) -> None:
    union, treaties = baltic, read_treaties(DEFAULT_UNION)
    # Weekly meetings added by a decision of 14-16 March 1940, effective on the 16th.
    added = RuleChanged(id="weekly-by-decision", date="1940-03-14/1940-03-16", instrument="entente-1934",
                        rule="weekly-meetings", rule_kind="periodic_meetings", article="2", effective="1940-03-16",
                        settings={"period": "week", "minimum": 1, "series": "ministers-and-envoys"})
    weekly = {day: [f.period for f in judge(union, treaties, [*events, added], day)[0]
                    if f.rule_id == "weekly-meetings"] for day in ("1940-03-15", "1940-03-17")}
    assert weekly == {"1940-03-15": [], "1940-03-17": ["1940-W11"]}


def test_a_projection_s_dated_state_is_judged_as_the_events_are(baltic, events) -> None:
    treaties = read_treaties(DEFAULT_UNION)
    dated = fold(events)
    for day in DAYS:
        assert judge(baltic, treaties, dated, day) == judge(baltic, treaties, events, day)


def _entry_by_entry(events: list[Any]) -> DatedState:
    """The record folded one entry at a time, in order, as entries folded on as they come are."""
    dated = DatedState()
    for e in in_order(events):
        dated = fold([e], onto=dated)
    return dated


@pytest.mark.parametrize("folder", [DEFAULT_UNION, *sorted((TESTS / "unions").iterdir())], ids=lambda p: Path(p).name)
def test_the_whole_record_folded_at_once_is_the_record_folded_entry_by_entry(folder) -> None:
    events = bundled_record(load_union(folder))
    assert fold(events) == _entry_by_entry(events)


def _asked(key: str, date: str, **more: Any) -> QuestionRaised:
    return QuestionRaised(id=f"{key}-{date}", date=date, question=key, subject="s", title={"en": key}, **more)


def _position(key: str, party: str, date: str) -> PositionStated:
    return PositionStated(id=f"{key}-{party.lower()}-{date}", date=date, question=key, party=party)


@pytest.mark.parametrize("events", [
    # answers dated before their question (an uncertain date), and answers to a question never raised
    [_position("q1", "AA", "1934-01"), _asked("q1", "1934-01-20"), _position("q1", "BB", "1934-02-01"),
     _position("q9", "AA", "1934-03-01")],
    # one key raised twice: the second question takes only the answers after it
    [_asked("q1", "1934-01-01"), _position("q1", "AA", "1934-01-02"), _asked("q1", "1934-02-01"),
     _position("q1", "BB", "1934-02-02")],
    # one key named by a question and by a request
    [_position("x", "AA", "1934-01-01"),
     AssistanceRequested(id="r", date="1934-02-01", request="x", requester="AA", addressees=("BB",), subject="s")],
    # a decision waiting on a key a question then names
    [ProposalDecided(id="d", date="1934-01-01", proposal="y", outcome="accepted"), _asked("y", "1934-02-01")],
], ids=["answers before and without a question", "a key raised twice", "a key in two tables",
        "a decision and a question on one key"])
def test_questions_and_answers_in_any_order_fold_at_once_as_entry_by_entry(events) -> None:
    assert fold(events) == _entry_by_entry(events) == fold(iter(events))


def test_answers_dated_before_their_question_are_its_answers_and_others_wait() -> None:
    dated = fold([_position("q9", "AA", "1934-03-01"), _position("q1", "BB", "1934-02-01"),
                  _asked("q1", "1934-01-20"), _position("q1", "AA", "1934-01")])
    assert [a.party for a in dated.questions["q1"].answers] == ["AA", "BB"]
    # Answered by the end of each day: the answer dated a month counts from its first day.
    assert [dated.questions["q1"].upto(day) for day in ("1933-12-31", "1934-01-01", "1934-01-31", "1934-02-01")] == [
        0, 1, 1, 2]
    assert [a.id for a in dated.waiting["q9"]] == ["q9-aa-1934-03-01"]
