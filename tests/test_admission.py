"""Writes are checked against who writes, the record and the treaty before anything is recorded."""

from __future__ import annotations

import itertools
import threading

import msgspec
import pytest

from entente.replay.state import state
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, cleared, first_cleared
from entente.secretariat.service import Refused, Secretariat
from entente.vocabulary.events import (
    AssistanceResponded,
    ConferenceConvened,
    ConferenceHeld,
    DecisionTaken,
    InstrumentRatified,
    InstrumentSigned,
    OutsideEvent,
    PositionStated,
    QuestionRaised,
    Restricted,
)

from .conftest import CONSORTIUM, refusing_consortium


@pytest.fixture
def secretariat(tmp_path, db_url):
    s = Secretariat.open(db_url("r"), refusing_consortium(tmp_path))
    yield s
    s.close()


def _refusal(secretariat, event, viewer=SECRETARIAT) -> Refused:
    before = secretariat.store.events()
    with pytest.raises(Refused) as caught:
        secretariat.record(event, viewer)
    assert secretariat.store.events() == before, "a refused write changed the record"
    return caught.value


def test_a_conference_out_of_turn_is_refused_naming_rule_article_and_field(secretariat):
    refusal = _refusal(secretariat, ConferenceHeld(id="a4", date="2024-05-01", number=4,
                                                   instrument="agreement-2020", host="TAR"))
    (problem,) = refusal.problems
    assert (problem.rule, problem.instrument, problem.article, problem.field) == (
        "host_rotation", "agreement-2020", "4", "host")
    assert "the host was" in problem.message


def test_a_conference_in_turn_is_recorded(secretariat):
    # After VIL, GDA's turn: GDA has left, so the turn passes to HAM.
    done = secretariat.record(ConferenceHeld(id="a4", date="2024-05-01", number=4,
                                             instrument="agreement-2020", host="HAM"), SECRETARIAT)
    assert done.event.id == "a4" and done.event.recorded is not None


def test_a_position_from_a_party_no_longer_bound_is_refused(secretariat):
    refusal = _refusal(secretariat, PositionStated(id="p", date="2024-06-01", question="data-policy", party="GDA"))
    assert refusal.problems[0].field == "party" and "not bound by agreement-2020" in refusal.problems[0].message


def test_a_response_to_a_request_that_does_not_exist_is_refused(secretariat):
    refusal = _refusal(secretariat, AssistanceResponded(id="r", date="2024-06-01", request="nope", party="TAR",
                                                        response="given"))
    assert (refusal.problems[0].field, refusal.problems[0].message) == (
        "request", "no request for assistance 'nope' exists")


def test_an_act_dated_before_the_instrument_was_signed_is_refused(secretariat):
    refusal = _refusal(secretariat, QuestionRaised(id="q", date="2019-01-01", question="early", subject="x",
                                                   title={"en": "Too early"}, instrument="agreement-2020"))
    assert refusal.problems[0].field == "date" and "before agreement-2020 was signed" in refusal.problems[0].message


def test_a_numbered_conference_more_visible_than_the_one_before_is_refused(secretariat):
    secretariat.record(ConferenceHeld(id="a4", date="2024-05-01", number=4, instrument="agreement-2020",
                                      host="HAM", classification=Restricted(parties=("HAM", "TAR"))), SECRETARIAT)
    refusal = _refusal(secretariat, ConferenceHeld(id="a5", date="2025-05-01", number=5,
                                                   instrument="agreement-2020", host="TAR"))
    (problem,) = refusal.problems
    assert problem.field == "classification" and "not a4, which it follows from" in problem.message


def test_an_answer_more_visible_than_its_question_is_refused(secretariat):
    secretariat.record(QuestionRaised(id="q2", date="2022-01-10", question="budget", subject="budget",
                                      title={"en": "Budget"}, instrument="agreement-2020",
                                      classification=Restricted(parties=("HAM", "TAR"))), SECRETARIAT)
    refusal = _refusal(secretariat, PositionStated(id="p", date="2022-02-01", question="budget", party="TAR"))
    assert refusal.problems[0].field == "classification" and "public could see" in refusal.problems[0].message
    done = secretariat.record(PositionStated(id="p", date="2022-02-01", question="budget", party="TAR",
                                             classification=Restricted(parties=("HAM", "TAR"))), SECRETARIAT)
    assert done.event.id == "p"


def test_a_delegation_records_only_its_own_acts_and_refusals_are_audited(secretariat):
    tartu = Viewer.parse("TAR")
    refusal = _refusal(secretariat, InstrumentRatified(id="x", date="2024-06-01", instrument="agreement-2020",
                                                       party="HAM"), tartu)
    assert refusal.forbidden and "TAR may not record an act of HAM" in str(refusal)
    secretariat.record(PositionStated(id="own", date="2021-07-01", question="data-policy", party="TAR",
                                      stance="support"), tartu)
    (entry,) = secretariat.store.audit_trail()
    assert (entry["viewer"], entry["event_id"]) == ("TAR", "tar.x")  # a delegation's ids carry its prefix


def test_a_retry_with_the_same_key_records_once_and_answers_the_same(secretariat):
    event = PositionStated(id="p1", date="2021-07-01", question="data-policy", party="HAM", stance="support")
    first = secretariat.record(event, SECRETARIAT, key="k-1")
    again = secretariat.record(event, SECRETARIAT, key="k-1")
    assert (again.event, again.tag, again.replayed) == (first.event, first.tag, True)
    assert [e.id for e in secretariat.store.events()].count("p1") == 1


def test_a_conference_is_convened_in_turn_or_refused_when_called_out_of_turn(secretariat):
    out_of_turn = ConferenceConvened(id="call-4", date="2024-03-01", conference="a4", planned="2024-05-01",
                                     number=4, instrument="agreement-2020", host="GDA")  # GDA has left
    refusal = _refusal(secretariat, out_of_turn)
    assert (refusal.problems[0].rule, refusal.problems[0].field) == ("host_rotation", "host")
    too_late = ConferenceConvened(id="call-4", date="2024-03-01", conference="a4", planned="2024-02-01",
                                  number=4, instrument="agreement-2020", host="HAM")
    assert _refusal(secretariat, too_late).problems[0].field == "planned"
    called = secretariat.record(msgspec.structs.replace(too_late, planned="2024-05-01"), SECRETARIAT)
    s = state(secretariat.store.events(), "2024-04-01")
    assert list(s.convened) == ["a4"] and called.event.id == "call-4"
    secretariat.record(ConferenceHeld(id="a4", date="2024-05-01", number=4, instrument="agreement-2020",
                                      host="HAM"), SECRETARIAT)
    assert state(secretariat.store.events(), "2024-06-01").convened == {}


def test_a_key_used_again_for_another_entry_is_refused(secretariat):
    event = PositionStated(id="p1", date="2021-07-01", question="data-policy", party="HAM", stance="support")
    secretariat.record(event, SECRETARIAT, key="k-2")
    other = msgspec.structs.replace(event, stance="oppose")
    refusal = _refusal(secretariat, other)  # without the key, a new entry under a taken id
    assert refusal.problems[0].field == "id" and "used by an earlier entry" in refusal.problems[0].message
    with pytest.raises(Refused) as caught:
        secretariat.record(msgspec.structs.replace(other, id="p2"), SECRETARIAT, key="k-2")
    assert caught.value.problems[0].field == "Idempotency-Key"


def test_concurrent_writers_on_the_same_view_one_wins_the_other_may_retry(store_url):
    """Two writers read the same view, then write at once: one is recorded, the other told to read again."""
    from entente.record import ConflictError
    from entente.views.reports import view_tag

    reader = Secretariat.open(store_url, CONSORTIUM)
    tag = view_tag(reader.events_for(SECRETARIAT))
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def write(party: str) -> None:
        writer = Secretariat.open(store_url, CONSORTIUM)  # a connection of its own, as each request has
        try:
            barrier.wait()
            outcomes[party] = writer.record(PositionStated(id=f"race-{party.lower()}", date="2021-07-01",
                                                           question="data-policy", party=party), SECRETARIAT,
                                            if_match=tag)
        except ConflictError as exc:
            outcomes[party] = exc
        finally:
            writer.close()

    threads = [threading.Thread(target=write, args=(party,)) for party in ("HAM", "RIG")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["ConflictError", "Recorded"]
    loser = next(p for p, o in outcomes.items() if isinstance(o, ConflictError))
    again = reader.record(PositionStated(id=f"race-{loser.lower()}", date="2021-07-01", question="data-policy",
                                         party=loser), SECRETARIAT, if_match=view_tag(reader.events_for(SECRETARIAT)))
    assert again.event.id == f"race-{loser.lower()}"
    reader.close()


def test_an_event_built_in_code_meets_the_vocabulary_too(secretariat):
    refusal = _refusal(secretariat, PositionStated(id="Not A Slug", date="2021-07-01", question="data-policy",
                                                   party="HAM"))
    assert refusal.problems[0].field == "id" and "regex" in refusal.problems[0].message


def test_a_renewal_and_a_decision_must_name_what_is_recorded(secretariat):
    renewal = InstrumentSigned(id="renewal-2024", date="2024-02-01", instrument="renewal-2024", form="agreement",
                               title={"en": "Renewal"}, parties=("HAM", "TAR"), renews="no-such-agreement")
    assert [(p.field, p.message) for p in _refusal(secretariat, renewal).problems] == [
        ("renews", "no instrument 'no-such-agreement' has been signed")]
    decision = DecisionTaken(id="weekly", date="2024-02-01", conference="no-such-assembly", title={"en": "Meet weekly"})
    assert [p.field for p in _refusal(secretariat, decision).problems] == ["conference"]
    done = secretariat.record(msgspec.structs.replace(renewal, renews="agreement-2020"), SECRETARIAT)
    assert done.event.renews == "agreement-2020"


def test_who_could_see_one_entry_but_not_another_is_found_from_the_classifications_as_viewer_by_viewer():
    """The first viewer (the public, then each party in order) cleared for one classification and not for
    another, found from who may see each, is the one asking ``cleared`` of every viewer in turn finds."""
    parties = ["AA", "BB", "CC", "DD"]
    parties_of = {"pact": {"AA", "BB"}, "other": {"CC"}}
    classifications = ["public", Restricted(instrument="pact"), Restricted(instrument="other"),
                       Restricted(parties=("AA",)), Restricted(parties=("CC", "DD")),
                       Restricted(instrument="pact", parties=("DD",)), Restricted(instrument="unsigned")]
    viewers = [PUBLIC, *(Viewer("party", p) for p in parties)]

    def entry(c) -> OutsideEvent:
        return OutsideEvent(id="e", date="2021-01-01", category="t", title={"en": "t"}, classification=c)

    for shown in classifications:
        for hidden in itertools.product(classifications, repeat=2):
            for count in (1, 2):
                expected = next((str(v) for v in viewers if cleared(entry(shown), v, parties_of)
                                 and not all(cleared(entry(h), v, parties_of) for h in hidden[:count])), None)
                assert first_cleared(shown, hidden[:count], parties_of, parties) == expected, (shown, hidden[:count])
