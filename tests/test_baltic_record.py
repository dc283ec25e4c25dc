"""The bundled record of the Baltic Entente, checked against the seed article it was transcribed from."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from entente.replay.state import state
from entente.secretariat.clearance import PUBLIC, Viewer, visible
from entente.vocabulary import dates
from entente.vocabulary.definition import bundled_record
from entente.vocabulary.events import ConferenceHeld, Restricted
from entente.vocabulary.lv import parse_lv_date


@pytest.fixture(scope="module")
def record(baltic):
    return bundled_record(baltic)


def test_every_quote_is_in_its_document_verbatim(baltic, record):
    texts = {doc: baltic.document_text(doc) for doc in baltic.documents}
    for event in record:
        assert event.source is not None, f"{event.id} cites no source"
        assert event.source.quote in texts[event.source.document], f"{event.id}: quote not in {event.source.document}"
        assert event.source.gloss, f"{event.id} has no English gloss"


def test_every_dated_phrase_agrees_with_the_date(record):
    phrased = [e for e in record if e.date_lv]
    assert len(phrased) > 40
    for event in phrased:
        assert parse_lv_date(event.date_lv, dates.year_of(event.date)) == event.date, event.id


def test_the_eleven_conferences_are_those_the_seed_lists(baltic, record):
    # Read the list at the end of the seed ("Tallina, 1934. gada 30. novembris — 2. decembris Kauņa, ...")
    # independently of the record, and compare.
    seed = baltic.document_text("seed")
    places = {"Tallina": ("EE", "Tallinn"), "Kauņa": ("LT", "Kaunas"), "Rīga": ("LV", "Riga")}
    entry = r"(Tallina|Kauņa|Rīga), (\d{4}\. gada .+?)(?= (?:Tallina|Kauņa|Rīga),| \d{4}\. gada maijā)"
    listed = re.findall(entry, seed)
    listed = [(place, phrase) for place, phrase in listed if int(phrase[:4]) >= 1934]
    assert len(listed) == 11
    numbered = sorted((e for e in record if isinstance(e, ConferenceHeld) and e.number), key=lambda e: e.number)
    assert [e.number for e in numbered] == list(range(1, 12))
    for event, (place, phrase) in zip(numbered, listed, strict=True):
        host, english_place = places[place]
        assert (event.host, event.place["en"], event.instrument) == (host, english_place, "entente-1934")
        assert event.date == parse_lv_date(phrase.strip()), event.id
        assert {p.party for p in event.participants} == {"EE", "LV", "LT"}


def test_the_record_spans_1919_to_the_annulment_of_1940(record):
    # The first event dated to the day; "several conferences in 1919 and 1920" spans both years.
    ordered = sorted((e for e in record if dates.start(e.date)[:4] == dates.end(e.date)[:4]),
                     key=lambda e: dates.start(e.date))
    assert ordered[0].id == "conference-1919-09-tallinn" and ordered[0].date == "1919-09-14/1919-09-15"
    annulled = next(e for e in record if e.id == "entente-1934-annulled")
    assert (annulled.date, annulled.party, annulled.mode) == ("1940-07-01", "LV", "annulled")
    kinds = Counter(type(e).__name__ for e in record)
    for kind in ("ConferenceHeld", "InstrumentSigned", "InstrumentEnteredIntoForce", "InstrumentTerminated",
                 "IntentDeclared", "AssistanceRequested", "AssistanceResponded", "ProposalMade",
                 "ProposalDecided", "RuleChanged", "OutsideEvent", "QuestionRaised", "PositionStated"):
        assert kinds[kind] >= 1, kind


def test_parties_have_names_in_four_languages_and_iso_codes(baltic):
    members = [p for p in baltic.parties if p.role == "member"]
    assert sorted(p.code for p in members) == ["EE", "LT", "LV"]
    for party in baltic.parties:
        assert {"lv", "lt", "et", "en"} <= set(party.names), party.code
        assert re.fullmatch(r"[A-Z]{2}", party.code)


def test_the_treaty_and_secret_declaration_with_their_signatories(record):
    signed = {e.instrument: e for e in record if type(e).__name__ == "InstrumentSigned"}
    treaty = signed["entente-1934"]
    assert (treaty.date, sorted(treaty.parties)) == ("1934-09-12", ["EE", "LT", "LV"])
    assert {s.party: s.person for s in treaty.signatories} == {
        "LV": "Vilhelms Munters", "LT": "Stasys Lozoraitis", "EE": "Julius Seljamaa"}
    declaration = signed["declaration-1934"]
    assert declaration.classification == Restricted(instrument="declaration-1934")


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("1920-09-30", {"bulduri-1920": ("signed", [])}),
        ("1930-01-01", {"bulduri-1920": ("never_in_force", []), "defence-1923": ("in_force", ["EE", "LV"])}),
        ("1934-09-12", {"entente-1934": ("signed", []), "declaration-1934": ("signed", [])}),
        ("1934-11-13", {"entente-1934": ("in_force", ["EE", "LT", "LV"])}),
        ("1940-06-29", {"defence-1923": ("terminated", []), "entente-1934": ("in_force", ["EE", "LT", "LV"])}),
        ("1940-07-01", {"entente-1934": ("terminated", []), "declaration-1934": ("terminated", [])}),
    ],
)
def test_state_of_the_instruments_through_time(record, at, expected):
    instruments = state(record, at).instruments
    for instrument, (status, parties) in expected.items():
        assert (instruments[instrument].status, sorted(instruments[instrument].parties)) == (status, parties)


def test_the_public_sees_neither_the_declaration_nor_the_last_two_conferences(record):
    public = visible(record, PUBLIC)
    assert not any(getattr(e, "instrument", None) == "declaration-1934" for e in public)
    numbers = [e.number for e in public if isinstance(e, ConferenceHeld) and e.number]
    assert numbers == list(range(1, 10))
    finland = visible(record, Viewer.parse("FI"))
    assert [e.id for e in finland] == [e.id for e in public]
    latvia = [e.number for e in visible(record, Viewer.parse("LV")) if isinstance(e, ConferenceHeld) and e.number]
    assert latvia == list(range(1, 12))
