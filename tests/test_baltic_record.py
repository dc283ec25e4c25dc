"""The bundled record of the Baltic Entente, checked against the seed article it was transcribed from."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import msgspec
import pytest

from entente.replay.state import in_order, state
from entente.secretariat.clearance import PUBLIC, Viewer, visible
from entente.views.reports import union_state
from entente.vocabulary import dates
from entente.vocabulary.definition import bundled_record
from entente.vocabulary.events import (
    BodyEstablished,
    ConferenceHeld,
    InstrumentEnteredIntoForce,
    InstrumentTerminated,
    OutsideEvent,
    Restricted,
)
from entente.vocabulary.lv import parse_lv_date


@pytest.fixture(scope="module")
def record(baltic):
    return bundled_record(baltic)


def test_every_quote_is_in_its_document_verbatim(baltic, record):
    texts = {doc: baltic.document_text(doc) for doc in baltic.documents}
    for event in record:
        assert event.source is not None, f"{event.id} cites no source"
        for source in (event.source, *event.cites):
            text = texts[source.document]
            if text is None:  # a work the union does not ship: cited by where in it, never quoted
                assert not source.quote and (source.pages or baltic.documents[source.document].pages
                                             or source.note), f"{event.id}: {source.document} cited without a place"
                continue
            assert source.quote in text, f"{event.id}: quote not in {source.document}"
            assert source.gloss, f"{event.id} has no English gloss"


def test_a_fact_from_general_history_cites_the_work_it_comes_from(baltic, record):
    # A note that takes a fact from general history names, among the entry's citations, a published work of
    # history, a treaty text or a primary document: never the seed's sentence in its place, and never a promise
    # of one to come.
    named = {"general-history", "treaty-text", "primary-document"}
    for event in record:
        note = " ".join((event.note or "").split())
        assert "no published work is cited yet" not in note, event.id
        if "general history" not in note:
            continue
        works = [c for c in event.cites if baltic.documents[c.document].kind in named]
        assert works, event.id


def test_a_work_cited_without_pages_says_why(baltic, record):
    # A printed work is cited by its pages; where they could not be verified the citation, or the
    # bibliography's note on the work, says it is cited without them, so no page number is ever guessed.
    for event in record:
        for source in (event.source, *event.cites):
            doc = baltic.documents[source.document]
            if doc.file is not None or source.pages or doc.pages:
                continue
            said = " ".join(f"{source.note or ''} {doc.note or ''}".split())
            assert "without pages" in said, (event.id, source.document)


def test_the_days_general_history_gives_rest_on_the_works_that_give_them(baltic, record):
    # The days the seed leaves open, each with the work a historian would check it against.
    by_id = {e.id: e for e in record}
    expected = {
        "germany-ultimatum-klaipeda-1939": ("1939-03-20", {"shirer-1960", "frus-1939-i"}),
        "germany-lithuania-treaty-1939": ("1939-03-22", {"enciclopedia-italiana-memel", "frus-1939-i"}),
        "base-treaty-1939-latvia": ("1939-10-05", {"lnts", "frus-1940-i"}),
        "base-treaty-1939-lithuania": ("1939-10-10", {"frus-1940-i"}),
        "occupation-1940": ("1940-06-15", {"frus-1940-i"}),
        "occupation-1940-latvia-estonia": ("1940-06-17", {"frus-1940-i", "guardian-1940-06-18"}),
    }
    for eid, (day, works) in expected.items():
        event = by_id[eid]
        assert event.date == day and works <= {c.document for c in (event.source, *event.cites)}, eid
    # The Latvian pact is cited where the League printed it, as the American edition gives volume and page.
    latvia = next(c for c in by_id["base-treaty-1939-latvia"].cites if c.document == "lnts")
    assert latvia.pages == "vol. 198, p. 385"
    # Where the works disagree on the day of the ultimatum, the note says which it follows.
    ultimatum = " ".join(by_id["germany-ultimatum-klaipeda-1939"].note.split())
    assert "21 March" in ultimatum and "follows" in ultimatum


def test_a_fact_the_seed_does_not_state_is_not_cited_to_the_seed(record):
    # The pacts of 7 June 1939 and the Klaipėda treaty of 22 March 1939 are not in the seed (it names only the
    # ultimatum that led to the treaty): their source is where the treaty is printed or a work that reports it.
    for eid in ("germany-latvia-non-aggression-1939", "germany-estonia-non-aggression-1939",
                "germany-lithuania-treaty-1939"):
        pact = next(e for e in record if e.id == eid)
        assert pact.source.document != "seed" and not pact.source.quote


def test_the_shipped_sources_are_kept_as_received(baltic, record):
    # Each shipped file is the copy received, byte for byte; what the union says of it is a note in union.yaml.
    shipped = {k: d for k, d in baltic.documents.items() if d.file is not None}
    assert shipped
    for doc in shipped.values():
        data = (Path(baltic.folder) / doc.file).read_bytes()
        assert doc.sha256 == hashlib.sha256(data).hexdigest(), f"{doc.file} is not the copy received"
    # The file of facts from other sources carries no gloss of the union's own: that is a note of the entry it
    # concerns, restricted as the entry is (a note on the work would show the public what the declaration says).
    assert "the numberings disagree" not in baltic.document_text("treaty-1934-sources")
    strike = next(e for e in record if e.id == "strike-point-3-1939-proposed")
    assert "numberings disagree" in " ".join(strike.note.split())


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
                 "ProposalDecided", "DecisionTaken", "OutsideEvent", "QuestionRaised", "PositionStated"):
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


def test_every_viewer_sees_the_eleven_conferences_and_only_the_parties_the_declaration(record):
    # The seed lists conferences 10 and 11 in its own voice; only the Soviet ultimatums called them secret.
    for viewer in ("public", "FI", "LV", "LT", "EE", "secretariat"):
        seen = visible(record, Viewer.parse(viewer))
        assert [e.number for e in seen if isinstance(e, ConferenceHeld) and e.number] == list(range(1, 12)), viewer
    # On any day of the union's life the declaration is its parties' alone; its publication (1996) comes later.
    public = visible(record, PUBLIC, at="1940-07-01")
    assert not any(getattr(e, "instrument", None) == "declaration-1934" for e in public)
    # What was said in confidence at them is in entries of its own, restricted to the treaty's parties.
    hidden = {e.id for e in record} - {e.id for e in public}
    assert {"baltic-cooperation-1939-estonia-apologises", "strike-point-3-1939-proposed",
            "soviet-military-talks-1940-raised"} <= hidden
    assert [e.id for e in visible(record, Viewer.parse("FI"), at="1940-07-01")] == [e.id for e in public]
    # The "secret conferences" are the ultimatums' allegation, and the record says so.
    alleged = next(e for e in public if e.id == "secret-conferences-alleged-1940")
    assert (alleged.category, alleged.actor) == ("allegation", "SU") and "allegedly" in alleged.source.gloss
    for conference in (e for e in public if isinstance(e, ConferenceHeld) and e.number in (10, 11)):
        assert "secret-conferences-alleged-1940" in conference.note
        assert "declaration" not in json.dumps(msgspec.to_builtins(conference)).casefold()


def test_the_point_lithuania_wanted_struck_is_the_vilnius_reservation(record):
    proposal = next(e for e in record if e.id == "strike-point-3-1939-proposed")
    assert proposal.target == "point-1" and "3. punktu ar tā atsauci uz Viļņas jautājumu" in proposal.source.quote
    assert "numberings disagree" in " ".join(proposal.note.split())


def test_allegations_are_not_acts_of_the_parties(record):
    revue = next(e for e in record if e.id == "revue-baltique-established")
    assert isinstance(revue, OutsideEvent) and revue.parties == () and "allegation" in revue.note
    # The seed knows the journal's founding only from the ultimatums: the entry is their allegation, by the USSR.
    assert (revue.category, revue.actor) == ("allegation", "SU") and "allege" in revue.title["en"]
    assert not any(isinstance(e, BodyEstablished) and e.date.startswith("1940") for e in record)


def test_nothing_is_in_force_after_the_first_of_july_1940(record):
    instruments = state(record, "1940-07-02").instruments
    assert {i.id: i.status for i in instruments.values() if i.status in ("in_force", "signed")} == {}
    assert (instruments["union-1934"].ended, instruments["commitment-1935"].ended) == ("1940-06-29", "1939-03-22")


def test_every_entry_into_force_and_end_is_dated_by_its_quote_or_said_to_be_inferred(record):
    def dated_by_quote(e):
        english = date.fromisoformat(e.date).strftime("%-d %B %Y") if len(e.date) == 10 else None
        return (e.date_lv and e.date_lv in e.source.quote) or (english and english in e.source.quote)

    for e in record:
        if isinstance(e, InstrumentEnteredIntoForce | InstrumentTerminated):
            assert dated_by_quote(e) or e.note.startswith("Inferred:"), e.id


def test_the_year_1939_in_the_order_it_happened(record):
    order = [e.id for e in in_order(record) if dates.start(e.date).startswith("1939")]
    expected = ["conference-1939-02-kaunas", "germany-ultimatum-klaipeda-1939", "klaipeda-1939-requested",
                "germany-lithuania-treaty-1939", "commitment-1935-lapsed", "germany-latvia-non-aggression-1939",
                "molotov-ribbentrop-pact-1939", "second-world-war-begins-1939", "conference-1939-09-proposed",
                "conference-1939-09-rejected", "base-treaty-1939-estonia", "base-treaty-1939-latvia",
                "base-treaty-1939-lithuania", "conference-1939-12-tallinn"]
    assert [i for i in order if i in expected] == expected
    days = {e.id: e.date for e in record}
    assert (days["base-treaty-1939-estonia"], days["base-treaty-1939-latvia"], days["base-treaty-1939-lithuania"],
            days["germany-ultimatum-klaipeda-1939"]) == ("1939-09-28", "1939-10-05", "1939-10-10", "1939-03-20")
    assert (days["occupation-1940"], days["occupation-1940-latvia-estonia"]) == ("1940-06-15", "1940-06-17")
    assert dates.start(days["berkis-visit-ussr-1940"]) == "1940-06-03"


def test_an_entry_the_record_infers_says_so_in_the_field_the_rules_read(record):
    said = {e.id for e in record if "Inferred:" in (e.note or "")}
    flagged = {e.id for e in record if e.inferred}
    assert said == flagged and "klaipeda-1939-requested" in flagged


def test_the_conferences_held_are_the_treatys_eleven_and_the_regional_ones_apart(baltic, record):
    # The 1919-1920 conferences met before any treaty of the union: counted apart, not as the treaty's.
    s = union_state(baltic, record, "1940-12-31")
    assert (s["conferences_held"], s["other_conferences"]) == (11, 6)
    before = union_state(baltic, record, "1934-11-01")
    assert (before["conferences_held"], before["other_conferences"]) == (0, 6)
