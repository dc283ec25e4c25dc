"""Ways around the visibility filter an adversary would try, each closed.

Reads of the past after a reclassification, writes into a treaty one is not
party to, reclassifications that show their target, a calendar that reads
amendments in the wrong order, refusals that keep whatever they are sent.
"""

from __future__ import annotations

import json

import msgspec
import pytest
from click.testing import CliRunner

from entente import export
from entente.cli import main
from entente.secretariat.clearance import SECRETARIAT, Viewer
from entente.secretariat.service import Refused, Secretariat
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import (
    ClassificationAmended,
    ConferenceHeld,
    InstrumentSigned,
    IntentDeclared,
    OutsideEvent,
    PositionStated,
    QuestionRaised,
    Restricted,
)

from .conftest import CONSORTIUM

PARTIES_1934 = Restricted(instrument="entente-1934")
LV, EE, TAR, FI = Viewer("party", "LV"), Viewer("party", "EE"), Viewer("party", "TAR"), Viewer("party", "FI")


@pytest.fixture
def baltic(db_url):
    s = Secretariat.open(db_url("baltic"), DEFAULT_UNION)
    yield s
    s.close()


@pytest.fixture
def consortium(db_url):
    s = Secretariat.open(db_url("consortium"), CONSORTIUM)
    yield s
    s.close()


def _refused(secretariat: Secretariat, event, viewer=SECRETARIAT) -> Refused:
    before = secretariat.store.events()
    with pytest.raises(Refused) as caught:
        secretariat.record(event, viewer)
    assert secretariat.store.events() == before, "a refused write changed the record"
    return caught.value


def _conferences(secretariat: Secretariat) -> list[ConferenceHeld]:
    return sorted((e for e in secretariat.store.events() if isinstance(e, ConferenceHeld) and e.number
                   and e.instrument == "entente-1934"), key=lambda e: e.number or 0)


def _ids(secretariat: Secretariat, viewer: Viewer, known_at: str | None = None) -> set[str]:
    return {e.id for e in secretariat.events_for(viewer, known_at)}


# --- a reclassification is not undone by asking about the past ---------------------------------------------------


def _restricted_later(secretariat: Secretariat) -> tuple[str, str]:
    """A public entry the secretariat later restricts to the 1934 treaty's parties: (its id, a record time between)."""
    first = secretariat.record(OutsideEvent(id="press-note", date="1939-11-01", category="press",
                                            title={"en": "A press note"}), SECRETARIAT).event
    assert first.recorded is not None
    secretariat.record(ClassificationAmended(id="press-note-restricted", date="1939-11-02", target="press-note",
                                             to=PARTIES_1934, classification=PARTIES_1934), SECRETARIAT)
    return first.id, first.recorded


def test_a_read_as_of_before_a_restriction_gets_the_stricter_classification(baltic):
    entry, between = _restricted_later(baltic)
    assert entry not in _ids(baltic, Viewer("public"))
    assert entry not in _ids(baltic, Viewer("public"), between)
    assert entry not in _ids(baltic, FI, between)
    (shown,) = [e for e in baltic.events_for(LV, between) if e.id == entry]  # cleared then and now
    assert shown.classification == PARTIES_1934  # marked as restricted now, not as public then


def test_known_at_after_a_restriction_over_the_api_and_the_cli(api, db_url):
    db = db_url("b")
    client, issue = api(DEFAULT_UNION, db)
    s = Secretariat.open(db, DEFAULT_UNION)
    entry, between = _restricted_later(s)
    s.close()
    for query in ("", f"?known_at={between}"):
        assert client.get(f"/api/events/{entry}{query}").status_code == 404, query
        assert entry not in client.get(f"/api/timeline{query}").text
        assert client.get(f"/api/events/{entry}{query}", headers=issue("LV")).status_code == 200
    cli = CliRunner().invoke(main, ["--db", db, "--as", "public", "--known-at", between, "search", "press-note",
                                    "--json"])
    assert cli.exit_code == 0 and json.loads(cli.output) == [], cli.output


# --- the calendar's CLASS is the one the visibility filter gives ------------------------------------------------


def test_the_calendar_class_follows_the_latest_amendment_by_record_time(baltic):
    baltic.record(ConferenceHeld(id="talks-1939", date="1939-10-20", title={"en": "Talks in Riga"}), SECRETARIAT)
    # Recorded first but dated later: made public; recorded last, dated earlier: restricted.  The last one counts.
    baltic.record(ClassificationAmended(id="talks-public", date="1939-12-02", target="talks-1939", to="public"),
                  SECRETARIAT)
    baltic.record(ClassificationAmended(id="talks-restricted", date="1939-12-01", target="talks-1939",
                                        to=PARTIES_1934, classification=PARTIES_1934), SECRETARIAT)
    def calendar(viewer: Viewer) -> str:
        return export.calendar(baltic.union, baltic.treaties, baltic.events_for(viewer), "1940-01-01").decode()

    mine = calendar(LV)
    assert "CLASS:CONFIDENTIAL" in mine[mine.index("UID:talks-1939"):].split("END:VEVENT")[0]
    assert "talks-1939" not in calendar(Viewer("public"))


# --- entries outside one's treaty --------------------------------------------------------------------------------


def test_an_outside_power_may_not_record_a_conference_of_a_treaty_it_is_not_party_to(baltic):
    seen = {e.id for e in baltic.events_for(FI)}
    last = [c for c in _conferences(baltic) if c.id in seen][-1]  # the next number, as FI sees the series
    refusal = _refused(baltic, ConferenceHeld(id="tenth", date="1940-03-01", number=(last.number or 0) + 1,
                                              instrument="entente-1934", host="FI"), FI)
    assert refusal.forbidden and "FI is not a party to entente-1934" in str(refusal)
    question = QuestionRaised(id="q", date="1940-03-01", question="fi-q", subject="x", title={"en": "A question"},
                              instrument="entente-1934", actor="FI")
    assert "FI is not a party to entente-1934" in str(_refused(baltic, question, FI))


def test_no_delegation_classifies_an_entry_to_a_treaty_it_is_not_party_to(baltic):
    def intent(instrument: str) -> IntentDeclared:
        return IntentDeclared(id=f"fi-{instrument}", date="1939-10-01", party="FI", text={"en": "to talk"},
                              classification=Restricted(instrument=instrument))

    secret, missing = (str(_refused(baltic, intent(i), FI)) for i in ("declaration-1934", "no-such-treaty"))
    assert "to which it is not party" in secret
    # The same words whether the instrument exists (and is hidden from the writer) or not.
    assert secret.replace("declaration-1934", "X") == missing.replace("no-such-treaty", "X")


def test_a_number_the_writer_sees_taken_is_refused(baltic):
    last = _conferences(baltic)[-1]
    host = last.host or "LV"
    refusal = _refused(baltic, ConferenceHeld(id="again", date="1940-03-01", number=last.number,
                                              instrument="entente-1934", host=host,
                                              classification=last.classification), Viewer("party", host))
    (problem,) = refusal.problems
    assert problem.field == "number" and f"no. {last.number}" in problem.message


def test_a_clash_with_a_conference_the_writer_cannot_see_goes_to_the_audit_trail_only(consortium):
    consortium.record(ConferenceHeld(id="a4", date="2024-05-01", number=4, instrument="agreement-2020", host="GDA",
                                     classification=Restricted(parties=("GDA", "HAM"))), SECRETARIAT)
    done = consortium.record(ConferenceHeld(id="a4-tartu", date="2024-05-02", number=4, instrument="agreement-2020",
                                            host="TAR"), TAR)
    assert "a4" not in json.dumps([f.detail for f in done.findings])  # the writer learns nothing of it
    trail = consortium.store.audit_trail()
    assert [(r["action"], r["event_id"]) for r in trail] == [("clash", "tar.a4-tartu")]
    assert "a4" in trail[0]["reason"]


# --- reclassification entries ------------------------------------------------------------------------------------


def test_a_public_amendment_of_a_hidden_entry_is_refused(baltic):
    hidden = next(e for e in baltic.store.events() if e.classification != "public")
    refusal = _refused(baltic, ClassificationAmended(id="leak", date="1940-01-01", target=hidden.id,
                                                     to=Restricted(parties=("LV",))))
    assert refusal.problems[0].field == "classification"
    assert "public could see this amendment" in refusal.problems[0].message


def test_an_amendment_may_not_leave_an_answer_more_visible_than_its_question(consortium):
    consortium.record(QuestionRaised(id="q-raised", date="2024-05-01", question="q", subject="x",
                                     title={"en": "Q"}, instrument="agreement-2020"), SECRETARIAT)
    consortium.record(PositionStated(id="q-tar", date="2024-05-02", question="q", party="TAR"), SECRETARIAT)
    narrow = Restricted(parties=("HAM",))
    refusal = _refused(consortium, ClassificationAmended(id="hide-q", date="2024-05-03", target="q-raised",
                                                         to=narrow, classification=narrow))
    assert [p.field for p in refusal.problems] == ["to"] and "q-tar" in refusal.problems[0].message


def test_an_amendment_may_not_leave_a_conference_more_visible_than_the_one_before(baltic):
    *_, before, last = _conferences(baltic)
    only_lv = Restricted(parties=("LV",))
    refusal = _refused(baltic, ClassificationAmended(id="hide-before", date="1940-06-01", target=before.id,
                                                     to=only_lv, classification=only_lv))
    assert refusal.problems[0].field == "to" and last.id in refusal.problems[0].message


# --- what refusals keep, and what entries may hold -----------------------------------------------------------------


def _signed_first(secretariat: Secretariat) -> str:
    return min(e.date for e in secretariat.store.events() if isinstance(e, InstrumentSigned))


def test_an_entry_dated_before_the_first_instrument_is_refused_naming_that_day(baltic):
    refusal = _refused(baltic, OutsideEvent(id="ancient", date="1500-01-01", category="x", title={"en": "Rome"}))
    (problem,) = refusal.problems
    assert problem.field == "date" and _signed_first(baltic)[:4] in problem.message


# --- words that name a secret instrument ----------------------------------------------------------------------------


def test_a_public_entry_may_not_speak_of_a_secret_instrument(baltic):
    def note(party: str | None) -> IntentDeclared | OutsideEvent:
        words = "Point 3 of the Confidential Declaration still applies"
        if party is None:
            return OutsideEvent(id="leaky", date="1939-11-01", category="press", title={"en": "A note"}, note=words)
        return IntentDeclared(id="leaky", date="1939-11-01", party=party, text={"en": words})

    refusal = _refused(baltic, note(None))
    assert [p.field for p in refusal.problems] == ["note"]
    assert "speaks of declaration-1934" in refusal.problems[0].message
    assert [p.field for p in _refused(baltic, note("LV"), LV).problems] == ["text.en"]
    # Someone who cannot see the declaration learns nothing from a refusal: its words are its own.
    assert baltic.record(note("FI"), FI).event.id == "fi.leaky"
    narrow = msgspec.structs.replace(note(None), classification=Restricted(instrument="declaration-1934"))
    assert baltic.record(narrow, SECRETARIAT).event.id == "leaky"


# --- verdicts on a partial record ---------------------------------------------------------------------------------


def test_every_verdict_says_what_it_was_judged_on_in_the_same_words_for_every_viewer(api, db_url):
    db = db_url("v")
    client, issue = api(DEFAULT_UNION, db)
    said = set()
    for viewer in ("public", "FI", "LV", "secretariat"):
        auth = {} if viewer == "public" else issue(viewer)
        findings = client.get("/api/compliance?at=1939-12-31", headers=auth).json()
        breaches = client.get("/api/parties/LT?at=1939-12-31", headers=auth).json()["breaches"]
        said |= {f["judged_on"] for f in findings + breaches}
        printed = CliRunner().invoke(main, ["--db", db, "--as", viewer, "compliance", "--at", "1939-12-31"]).output
        said.add(printed.strip().splitlines()[-1].rstrip(".").lower())
    (words,) = said
    assert "entries of the record the asking viewer may see" in words
