"""Membership over time: who is a member, an observer, suspended or on notice on a day, from when each party is
bound (its own day, as the final clauses say), and the entries about membership that are refused."""

from __future__ import annotations

import msgspec

from entente.secretariat.admission import admit
from entente.views import reports
from entente.vocabulary.events import AnyEvent, Event
from entente.vocabulary.union import Party, Union

UNION = Union(id="council", name={"en": "A council"}, parties=(
    Party(code="AA", names={"en": "AA"}), Party(code="BB", names={"en": "BB"}), Party(code="CC", names={"en": "CC"}),
    Party(code="DD", names={"en": "DD"}), Party(code="OB", names={"en": "OB"}, role="observer")))


def _events(*rows: dict) -> list[Event]:
    return [msgspec.convert(r, AnyEvent) for r in rows]


RECORD = _events(
    {"kind": "instrument_signed", "id": "s", "date": "2020-01-01", "instrument": "t", "title": {"en": "T"},
     "parties": ["AA", "BB", "CC", "DD"], "binding": {"by": "ratification", "deposits": 2, "notice_months": 6}},
    {"kind": "instrument_ratified", "id": "r-aa", "date": "2020-02-01", "instrument": "t", "party": "AA"},
    {"kind": "instrument_ratified", "id": "r-bb", "date": "2020-03-01", "instrument": "t", "party": "BB"},
    {"kind": "instrument_ratified", "id": "r-cc", "date": "2021-05-10", "instrument": "t", "party": "CC"},
    {"kind": "rights_suspended", "id": "bb-out", "date": "2022-03-03", "instrument": "t", "party": "BB"},
    {"kind": "withdrawal_notified", "id": "cc-notice", "date": "2022-05-17", "instrument": "t", "party": "CC"},
)


def test_each_party_is_bound_from_its_own_deposit_and_a_signatory_that_never_ratifies_is_not_bound():
    state = reports.union_state(UNION, RECORD, "2021-12-31")
    [row] = state["instruments"]
    assert row["in_force"] == "2020-03-01"
    assert row["since"] == {"AA": "2020-03-01", "BB": "2020-03-01", "CC": "2021-05-10"}
    assert state["standing"]["signatories_not_bound"] == ["DD"]
    assert reports.party(UNION, {}, RECORD, "CC", "2021-12-31")["bound_by"][0]["since"] == "2021-05-10"
    assert reports.party(UNION, {}, RECORD, "DD", "2021-12-31")["bound_by"] == []


def test_state_says_who_is_a_member_an_observer_suspended_and_on_notice_on_each_day():
    assert reports.union_state(UNION, RECORD, "2022-06-01")["standing"] == {
        "members": ["AA", "BB", "CC"], "observers": ["OB"], "suspended": ["BB"], "on_notice": ["CC"],
        "roles": {}, "signatories_not_bound": ["DD"]}
    # The notice has run six months later: CC is no longer a member, nor listed as one.
    later = reports.union_state(UNION, RECORD, "2022-11-17")
    assert later["standing"]["members"] == ["AA", "BB"] and later["standing"]["on_notice"] == []
    assert later["instruments"][0]["withdrawn"] == ["CC"]
    bb = reports.party(UNION, {}, RECORD, "BB", "2022-06-01")["bound_by"][0]
    assert bb["suspended"] == ["vote", "presidency", "seat"]
    assert reports.party(UNION, {}, RECORD, "CC", "2022-06-01")["bound_by"][0]["on_notice_until"] == "2022-11-17"


def _refused(event: dict, events: list[Event] = RECORD) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in admit(UNION, {}, events, msgspec.convert(event, AnyEvent)).problems]


def test_an_observer_is_never_bound():
    assert _refused({"kind": "instrument_acceded", "id": "ob-joins", "date": "2022-01-01", "instrument": "t",
                     "party": "OB"}) == [("party", "OB is an observer of the union, and an observer is never bound "
                                          "by an instrument")]


def test_a_withdrawal_or_a_suspension_of_a_party_not_bound_is_refused():
    assert _refused({"kind": "withdrawal_notified", "id": "dd-leaves", "date": "2022-01-01", "instrument": "t",
                     "party": "DD"}) == [("party", "DD is not bound by t on 2022-01-01")]
    assert _refused({"kind": "rights_suspended", "id": "dd-out", "date": "2022-01-01", "instrument": "t",
                     "party": "DD"}) == [("party", "DD is not bound by t on 2022-01-01")]
