"""Clearance entry by entry: who sees which entry, now and as the record stood at a record time, who may write
what, and which versions of an entry each viewer is shown.

A small record built with the vocabulary's types, no store: a public pact of EE and LV, a secret protocol of
theirs that LT accedes to, a note for EE alone and a public note.  FI is party to nothing.
"""

from __future__ import annotations

import msgspec
import pytest

from entente.replay import revisions
from entente.secretariat.clearance import (
    PUBLIC,
    SECRETARIAT,
    Viewer,
    act_narrower,
    amended_past_acts,
    cleared,
    cleared_parties,
    covers,
    first_cleared,
    instrument_parties,
    may_write,
    own_ids,
    visible,
    visible_history,
    written_by,
)
from entente.vocabulary.definition import DEFAULT_UNION, load_union
from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    EntryCorrected,
    EntryRetracted,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    IntentDeclared,
    OutsideEvent,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    Restricted,
)
from entente.vocabulary.said import say
from entente.vocabulary.stored import AnyStored
from entente.vocabulary.yamlfile import FileError

EE, LV, LT, FI = (Viewer("party", p) for p in ("EE", "LV", "LT", "FI"))
PROTOCOL = Restricted(instrument="protocol")
FOR_EE = Restricted(parties=("EE",))
FOR_LV = Restricted(parties=("LV",))


def at(n: int) -> str:
    """Record time number ``n``: the record's times compare as strings."""
    return f"2026-03-01T10:{n:02d}:00+00:00"


def note(id: str, n: int, classification: Restricted | str = "public", title: str = "A note") -> OutsideEvent:
    return OutsideEvent(id=id, date="1934-10-01", category="note", title={"en": title}, recorded=at(n),
                        classification=classification)  # type: ignore[arg-type]


RECORD: list[Event] = [
    InstrumentSigned(id="pact-signed", date="1934-09-12", instrument="pact", title={"en": "Pact"},
                     parties=("EE", "LV"), recorded=at(1)),
    InstrumentSigned(id="protocol-signed", date="1934-09-12", instrument="protocol", title={"en": "Protocol"},
                     parties=("EE", "LV"), classification=PROTOCOL, recorded=at(2)),
    InstrumentAcceded(id="lt-accedes", date="1934-10-01", instrument="protocol", party="LT", classification=PROTOCOL,
                      recorded=at(3)),
    note("note-for-ee", 4, FOR_EE),
    note("public-note", 5),
]


PARTIES_OF = instrument_parties(RECORD)


def ids(events: list[Event]) -> list[str]:
    return [e.id for e in events]


def read_back(events: list[Event]) -> list[Event]:
    """The entries as the store reads them back (the vocabulary's unchecked twins)."""
    return [msgspec.json.decode(msgspec.json.encode(e), type=AnyStored) for e in events]


# --- who sees which entry ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("viewer", "seen"), [
    (SECRETARIAT, ["pact-signed", "protocol-signed", "lt-accedes", "note-for-ee", "public-note"]),
    (PUBLIC, ["pact-signed", "public-note"]),
    (EE, ["pact-signed", "protocol-signed", "lt-accedes", "note-for-ee", "public-note"]),
    (LV, ["pact-signed", "protocol-signed", "lt-accedes", "public-note"]),
    (LT, ["pact-signed", "protocol-signed", "lt-accedes", "public-note"]),  # party by accession
    (FI, ["pact-signed", "public-note"]),
    (Viewer("party"), ["pact-signed", "public-note"]),  # a delegation naming no party is cleared for nothing
])
def test_each_viewer_sees_the_public_entries_and_those_classified_to_it(viewer, seen):
    assert ids(visible(RECORD, viewer)) == seen
    assert ids(visible(read_back(RECORD), viewer)) == seen


def test_the_parties_of_an_instrument_are_its_signatories_and_those_who_acceded():
    expected = {"pact": {"EE", "LV"}, "protocol": {"EE", "LV", "LT"}}
    assert instrument_parties(RECORD) == expected
    assert instrument_parties(read_back(RECORD)) == expected
    assert instrument_parties([]) == {}
    # An accession makes its party a party whether or not the signature is in the record read (retracted, hidden).
    assert instrument_parties(RECORD[2:]) == {"protocol": {"LT"}}


def test_clearance_of_one_entry_reads_its_classification_and_the_parties_of_its_instrument():
    parties_of = instrument_parties(RECORD)
    secret = RECORD[1]
    assert [cleared(secret, v, parties_of) for v in (SECRETARIAT, PUBLIC, EE, LT, FI)] == [
        True, False, True, True, False]
    assert not cleared(secret, LT, {})  # an instrument no one is known party to clears no delegation
    both = note("for-two", 6, Restricted(parties=("EE", "LV")))
    assert [cleared(both, v, {}) for v in (EE, LV, LT)] == [True, True, False]


def test_the_delegations_cleared_for_a_classification_are_its_parties_and_those_of_its_instrument():
    assert cleared_parties("public", PARTIES_OF) is None
    assert cleared_parties(PROTOCOL, PARTIES_OF) == {"EE", "LV", "LT"}
    assert cleared_parties(Restricted(instrument="pact", parties=("FI",)), PARTIES_OF) == {"EE", "LV", "FI"}
    assert cleared_parties(FOR_EE, {}) == {"EE"} and cleared_parties(PROTOCOL, {}) == frozenset()


CLASSIFICATIONS = ["public", FOR_EE, FOR_LV, Restricted(parties=("EE", "LV")), PROTOCOL, Restricted(instrument="pact"),
                   Restricted(instrument="pact", parties=("FI",)), Restricted()]


@pytest.mark.parametrize("shown", CLASSIFICATIONS, ids=str)
def test_the_first_viewer_cleared_for_one_classification_and_not_another_is_the_one_cleared_finds(shown):
    parties = ["LT", "FI", "EE", "LV"]
    entry = note("shown", 0, shown)
    for hidden in [[], *([c] for c in CLASSIFICATIONS), *([c, d] for c in CLASSIFICATIONS for d in CLASSIFICATIONS)]:
        expected = next((str(v) for v in (PUBLIC, *(Viewer("party", p) for p in parties))
                         if cleared(entry, v, PARTIES_OF) and not all(cleared(note("h", 0, c), v, PARTIES_OF)
                                                                      for c in hidden)), None)
        assert first_cleared(shown, hidden, PARTIES_OF, parties) == expected, hidden


def test_a_party_named_in_a_classification_but_not_among_those_asked_about_is_no_one_found():
    assert first_cleared(Restricted(parties=("EE", "SU")), [FOR_EE], PARTIES_OF, ["EE", "LV"]) is None
    assert first_cleared(Restricted(parties=("EE", "SU")), [FOR_EE], PARTIES_OF, ["EE", "LV", "SU"]) == "SU"


def test_an_accession_retracted_no_longer_clears_its_party():
    retracted = [*RECORD, EntryRetracted(id="accession-withdrawn", date="1934-10-02", target="lt-accedes",
                                         reason="recorded in error", classification=PROTOCOL, recorded=at(6))]
    assert ids(visible(retracted, LT)) == ["pact-signed", "public-note"]
    assert ids(visible(retracted, LT, known_at=at(5))) == ["pact-signed", "public-note"]
    assert ids(visible(retracted, LV)) == ["pact-signed", "protocol-signed", "public-note"]


def test_a_viewer_is_read_from_what_a_user_types():
    for text in ("secretariat", " Operator ", "ALL"):
        assert Viewer.parse(text) is SECRETARIAT
    assert Viewer.parse(" Public") is PUBLIC
    assert Viewer.parse(" ee ") == EE and Viewer.parse("gb-sct") == Viewer("party", "GB-SCT")
    for text in ("x", "1A", "A" * 17, "e e"):
        with pytest.raises(ValueError) as refused:
            Viewer.parse(text)
        assert str(refused.value) == f"unknown viewer {text!r}: use a party's code, 'public' or 'secretariat'"
    assert [str(v) for v in (SECRETARIAT, PUBLIC, LV)] == ["secretariat", "public", "LV"]


def test_each_party_of_a_union_is_read_back_as_the_viewer_it_was_written_as():
    # A viewer is kept as its name (a token, a log): a party's must read back as that party.
    union = load_union(DEFAULT_UNION)
    for party in union.parties:
        assert Viewer.parse(str(Viewer("party", party.code))) == Viewer("party", party.code)


@pytest.mark.parametrize(("code", "taken_for"), [("ALL", "secretariat"), ("OPERATOR", "secretariat"),
                                                 ("PUBLIC", "public")])
def test_a_union_may_not_code_a_party_with_a_word_that_names_another_viewer(tmp_path, code, taken_for):
    (tmp_path / "union.yaml").write_text(
        "id: u\nname: {en: U}\nparties:\n  - {code: EE, names: {en: Estonia}}\n"
        f"  - code: {code}\n    names: {{en: A party}}\n", encoding="utf-8")
    with pytest.raises(FileError) as refused:
        load_union(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'union.yaml'}, line 5, field 'parties[1].code': {code} reads as the viewer "
        f"{code.lower()!r} (the {taken_for}), so its delegation would be taken for the {taken_for}: "
        "code the party otherwise")


# --- reclassification -------------------------------------------------------------------------------------

NARROWED = [*RECORD, ClassificationAmended(id="public-note-narrowed", date="1934-10-03", target="public-note",
                                           to=FOR_LV, classification=FOR_LV, recorded=at(6))]


def test_a_reclassification_narrows_who_sees_the_entry_and_the_entry_carries_it():
    assert ids(visible(NARROWED, PUBLIC)) == ["pact-signed"]
    assert ids(visible(NARROWED, EE)) == ["pact-signed", "protocol-signed", "lt-accedes", "note-for-ee"]
    seen = visible(NARROWED, LV)
    assert ids(seen) == ["pact-signed", "protocol-signed", "lt-accedes", "public-note", "public-note-narrowed"]
    assert seen[3].classification == FOR_LV
    assert next(e for e in visible(NARROWED, SECRETARIAT) if e.id == "public-note").classification == FOR_LV


def test_the_record_as_it_stood_before_a_narrowing_shows_no_one_what_it_hides_now():
    assert ids(visible(NARROWED, PUBLIC, known_at=at(5))) == ["pact-signed"]
    assert ids(visible(NARROWED, EE, known_at=at(5))) == ["pact-signed", "protocol-signed", "lt-accedes",
                                                          "note-for-ee"]
    then = visible(NARROWED, LV, known_at=at(5))
    assert ids(then) == ["pact-signed", "protocol-signed", "lt-accedes", "public-note"]
    assert then[3].classification == FOR_LV and then[0].classification == "public"
    # Once the narrowing is recorded, the record then is the record now.
    for viewer in (SECRETARIAT, PUBLIC, EE, LV, LT):
        assert visible(NARROWED, viewer, known_at=at(6)) == visible(NARROWED, viewer)


def test_the_record_as_it_stood_before_a_widening_shows_what_was_cleared_then_too():
    widened = [*RECORD, ClassificationAmended(id="note-made-public", date="1934-10-03", target="note-for-ee",
                                              to="public", recorded=at(6))]
    assert "note-for-ee" in ids(visible(widened, LV))
    assert "note-for-ee" not in ids(visible(widened, LV, known_at=at(5)))
    assert "note-for-ee" in ids(visible(widened, EE, known_at=at(5)))
    # Shown as it was classified then: a widening since reaches no one not cleared then.
    assert visible(widened, EE, known_at=at(5))[3].classification == FOR_EE


def test_the_record_before_any_entry_is_empty_and_at_each_time_holds_what_was_recorded_by_then():
    assert visible(RECORD, SECRETARIAT, known_at="2000-01-01") == []
    assert ids(visible(RECORD, SECRETARIAT, known_at=at(2))) == ["pact-signed", "protocol-signed"]
    assert ids(visible(RECORD, LT, known_at=at(2))) == ["pact-signed"]  # not yet party to the protocol
    assert ids(visible(RECORD, LT, known_at=at(3))) == ["pact-signed", "protocol-signed", "lt-accedes"]


# --- corrections and retractions, now and then -------------------------------------------------------------

CORRECTED = [*RECORD, EntryCorrected(id="public-note-corrected", date="1934-10-03", target="public-note",
                                     reason="misread", entry=note("public-note", 0, title="The note"),
                                     recorded=at(6))]


def test_a_correction_shows_the_entry_as_it_now_reads_from_when_it_was_recorded():
    now = visible(CORRECTED, PUBLIC)
    assert ids(now) == ["pact-signed", "public-note"]
    assert now[1].title == {"en": "The note"} and now[1].recorded == at(6)
    then = visible(CORRECTED, PUBLIC, known_at=at(5))
    assert then[1].title == {"en": "A note"} and then[1].recorded == at(5)


# The note of EE and LV, narrowed to LV and then withdrawn.
WITHDRAWN = [*RECORD, note("shared-note", 6, Restricted(parties=("EE", "LV"))),
             ClassificationAmended(id="shared-note-narrowed", date="1934-10-03", target="shared-note", to=FOR_LV,
                                   classification=FOR_LV, recorded=at(7)),
             EntryRetracted(id="shared-note-withdrawn", date="1934-10-04", target="shared-note", reason="twice",
                            classification=FOR_LV, recorded=at(8))]


def test_a_retracted_entry_is_gone_from_the_record_now():
    for viewer in (SECRETARIAT, EE, LV):
        assert "shared-note" not in ids(visible(WITHDRAWN, viewer))
        assert "shared-note-withdrawn" not in ids(visible(WITHDRAWN, viewer))  # an act on an entry, not one
    assert ids(visible(WITHDRAWN, LV))[-1] == "shared-note-narrowed"


@pytest.mark.parametrize("known_at", [at(6), at(7)])
def test_before_its_retraction_an_entry_is_shown_under_the_classification_it_was_withdrawn_with(known_at):
    for viewer in (SECRETARIAT, LV):
        (shown,) = (e for e in visible(WITHDRAWN, viewer, known_at=known_at) if e.id == "shared-note")
        assert shown.classification == FOR_LV
    # EE could see the note when it was recorded, but not as it was classified when withdrawn.
    assert "shared-note" not in ids(visible(WITHDRAWN, EE, known_at=known_at))
    assert "shared-note" not in ids(visible(WITHDRAWN, PUBLIC, known_at=known_at))


def test_after_its_retraction_the_entry_is_gone_from_the_record_then_too():
    assert "shared-note" not in ids(visible(WITHDRAWN, SECRETARIAT, known_at=at(8)))


# --- who may write what -----------------------------------------------------------------------------------


def position(party: str = "LV", **fields) -> PositionStated:
    return PositionStated(id="a-position", date="1934-10-05", question="q", party=party, **fields)


# One entry of each kind a delegation may record, the act of LT (a party to the protocol only by accession).
OWN_ACTS = [
    ConferenceConvened(id="c", date="1934-10-05", conference="c1", planned="1934-11-01", host="LT",
                       instrument="protocol"),
    ConferenceHeld(id="c1", date="1934-11-01", host="LT", instrument="protocol"),
    InstrumentRatified(id="r", date="1934-10-05", instrument="protocol", party="LT"),
    InstrumentAcceded(id="a", date="1934-10-05", instrument="pact", party="LT"),
    InstrumentTerminated(id="t", date="1934-10-05", instrument="protocol", party="LT"),
    IntentDeclared(id="i", date="1934-10-05", party="LT", intent="accede", instrument="pact"),
    QuestionRaised(id="q", date="1934-10-05", question="q", instrument="protocol", subject="s", title={"en": "Q"},
                   actor="LT"),
    position("LT"),
    AssistanceRequested(id="ar", date="1934-10-05", request="ar", instrument="protocol", requester="LT",
                        addressees=("EE",), subject="s"),
    AssistanceResponded(id="as", date="1934-10-05", request="ar", party="LT", response="given"),
    ProposalMade(id="p", date="1934-10-05", proposal="p", instrument="protocol", proposer="LT"),
]


@pytest.mark.parametrize("event", OWN_ACTS, ids=lambda e: type(e).__name__)
def test_a_delegation_records_its_own_acts_and_the_secretariat_anything(event):
    assert may_write(LT, event, PARTIES_OF) is None
    assert may_write(SECRETARIAT, event, PARTIES_OF) is None
    assert may_write(EE, event, PARTIES_OF) is not None


@pytest.mark.parametrize("event", [e for e in OWN_ACTS if getattr(e, "instrument", None) == "protocol"
                                   and not isinstance(e, InstrumentRatified | InstrumentTerminated)],
                         ids=lambda e: type(e).__name__)
def test_the_meetings_questions_proposals_and_requests_of_an_instrument_are_its_parties_alone(event):
    kind = type(event).__struct_config__.tag.replace("_", " ")
    outside = msgspec.structs.replace(event, **{f: "FI" for f in ("host", "requester", "proposer", "actor")
                                                if getattr(event, f, None) == "LT"})
    assert may_write(FI, outside, PARTIES_OF) == f"FI is not a party to protocol, so it may not record its {kind}"
    # What FI may see of who is party to what: an instrument hidden from it reads as one that does not exist.
    assert may_write(FI, outside, {}) == may_write(FI, outside, PARTIES_OF)


def test_a_classification_to_an_instrument_hidden_from_the_writer_is_refused_as_one_it_is_not_party_to():
    refusal = "FI may not classify an entry to protocol, to which it is not party"
    assert may_write(FI, position("FI", classification=PROTOCOL), {}) == refusal
    assert may_write(FI, position("FI", classification=PROTOCOL), PARTIES_OF) == refusal


@pytest.mark.parametrize(("viewer", "event", "refusal"), [
    (PUBLIC, position(), "only a party's delegation or the secretariat may record"),
    (Viewer("party"), position(), "only a party's delegation or the secretariat may record"),
    (LV, note("n", 0), "only the secretariat may record an outside event"),
    (LV, RECORD[0], "only the secretariat may record an instrument signed"),
    (LV, InstrumentEnteredIntoForce(id="f", date="1934-10-05", instrument="pact"),
     "only the secretariat may record an instrument entered into force"),
    (LV, ProposalDecided(id="d", date="1934-10-05", proposal="p", outcome="accepted"),
     "only the secretariat may record a proposal decided"),
    (LV, ClassificationAmended(id="m", date="1934-10-05", target="public-note", to=FOR_LV),
     "only the secretariat may record a classification amended"),
    (LV, position("EE"), "LV may not record an act of EE (party)"),
    (LV, InstrumentTerminated(id="t", date="1934-10-05", instrument="pact"), "LV may not record an act of no party "
                                                                             "(party)"),
    (LV, position(actor="EE"), "LV may not record an act of EE (actor)"),
    (FI, position("FI", classification=PROTOCOL), "FI may not classify an entry to protocol, to which it is not "
                                                  "party"),
    (LV, position(classification=FOR_EE), "LV may not classify an entry so that it cannot see it itself"),
])
def test_a_write_is_refused_saying_why(viewer, event, refusal):
    assert may_write(viewer, event, PARTIES_OF) == refusal


@pytest.mark.parametrize("classification", [Restricted(parties=("EE", "LV")), FOR_LV, PROTOCOL,
                                            Restricted(instrument="pact", parties=("EE",))])
def test_a_delegation_classifies_its_entry_to_itself_or_to_an_instrument_it_is_party_to(classification):
    assert may_write(LV, position(actor="LV", classification=classification), PARTIES_OF) is None


def corrected(target: str, entry: Event, classification: Restricted | str = "public") -> EntryCorrected:
    return EntryCorrected(id=f"{target}-corrected", date="1934-10-06", target=target, reason="misread",
                          entry=entry, classification=classification)  # type: ignore[arg-type]


def test_a_delegation_corrects_or_withdraws_its_own_entries_alone():
    mine = frozenset({"a-position"})
    retracted = EntryRetracted(id="withdrawn", date="1934-10-06", target="a-position", reason="twice")
    assert may_write(LV, corrected("a-position", position()), PARTIES_OF, mine) is None
    assert may_write(LV, retracted, PARTIES_OF, mine) is None
    for act in (corrected("a-position", position()), retracted):
        assert may_write(LV, act, PARTIES_OF) == "LV may correct or withdraw only the entries it recorded itself"
        assert may_write(LV, act, PARTIES_OF, frozenset({"public-note"})) == (
            "LV may correct or withdraw only the entries it recorded itself")
        assert may_write(SECRETARIAT, act, PARTIES_OF) is None
    # Its question of the protocol, which LT may ask as a party to it by accession, corrected as such.
    question = next(e for e in OWN_ACTS if isinstance(e, QuestionRaised))
    assert may_write(LT, corrected("q", question), PARTIES_OF, frozenset({"q"})) is None


@pytest.mark.parametrize(("act", "refusal"), [
    # Corrected into an entry it could not record now: the act of another party.
    (corrected("a-position", position("EE")), "LV may not record an act of EE (party)"),
    (corrected("a-position", position(classification=FOR_EE)),
     "LV may not classify an entry so that it cannot see it itself"),
    # The correction or retraction itself classified as the delegation may not classify an entry.
    (corrected("a-position", position(), FOR_EE), "LV may not classify an entry so that it cannot see it itself"),
    (EntryRetracted(id="withdrawn", date="1934-10-06", target="a-position", reason="twice", classification=FOR_EE),
     "LV may not classify an entry so that it cannot see it itself"),
    (EntryRetracted(id="withdrawn", date="1934-10-06", target="a-position", reason="twice",
                    classification=Restricted(instrument="treaty")),
     "LV may not classify an entry to treaty, to which it is not party"),
])
def test_a_correction_of_its_own_entry_is_refused_as_the_entry_or_its_classification_would_be(act, refusal):
    assert may_write(LV, act, PARTIES_OF, frozenset({"a-position"})) == refusal


@pytest.mark.parametrize(("id", "writer", "recorded", "by"), [
    ("lv.position", None, at(1), "LV"),  # before the store named writers, the id's prefix says whose it is
    ("lv.position.2", None, at(1), "LV"),
    ("LV.position", None, at(1), None),  # the secretariat gave delegations' entries lower-case prefixes only
    ("lv2.position", None, at(1), None),
    ("position", None, at(1), None),
    ("lv.position", None, None, "LV"),
    ("lv.position", None, at(5), None),  # from then on the record names its writer, and names none here
    ("position", "EE", at(5), "EE"),
    ("lv.position", "EE", at(1), "EE"),
])
def test_an_entrys_writer_is_the_one_it_names_or_before_it_named_one_its_ids_prefix(id, writer, recorded, by):
    entry = msgspec.structs.replace(position(), id=id, writer=writer, recorded=recorded)
    assert written_by(entry, since=at(5)) == by
    assert written_by(entry, since=None) == writer


def test_a_delegations_own_entries_are_those_it_recorded_not_its_corrections():
    entries = [msgspec.structs.replace(position(), id="lv.early", recorded=at(1)),
               msgspec.structs.replace(position(), id="later", writer="LV", recorded=at(6)),
               msgspec.structs.replace(position("EE"), id="ee.early", recorded=at(1)),
               msgspec.structs.replace(corrected("later", position()), writer="LV", recorded=at(7))]
    assert own_ids(entries, "LV", at(5)) == {"lv.early", "later"}
    assert own_ids(entries, "EE", at(5)) == {"ee.early"}
    assert own_ids(entries, "LV", None) == {"later"}  # a store that has always named its writers


def test_the_history_of_an_entry_is_for_who_could_see_it_on_the_day_asked():
    # The public note, kept for EE in 1935 alone.
    record = [*RECORD, ClassificationAmended(id="note-kept", date="1935-01-01", since="1935-01-01",
                                             target="public-note", to=FOR_EE, recorded=at(6)),
              ClassificationAmended(id="note-published", date="1936-01-01", since="1936-01-01",
                                    target="public-note", to="public", recorded=at(7))]
    assert changes(visible_history(record, PUBLIC, "public-note", at="1934-12-31")) == [None]
    assert visible_history(record, PUBLIC, "public-note", at="1935-06-01") == []
    assert changes(visible_history(record, PUBLIC, "public-note", at="1936-01-01")) == [None]
    assert changes(visible_history(record, EE, "public-note", at="1935-06-01")) == [None]


def published(id: str, target: str, since: str, to: Restricted | str = "public",
              classification: Restricted | str = FOR_EE, n: int = 6) -> ClassificationAmended:
    return ClassificationAmended(id=id, date=since, since=since, target=target, to=to,  # type: ignore[arg-type]
                                 classification=classification, recorded=at(n))  # type: ignore[arg-type]


def test_the_record_as_it_stood_then_is_seen_as_it_could_be_known_on_the_day_asked():
    record = [*RECORD, published("note-published", "note-for-ee", "1936-01-01")]
    assert "note-for-ee" not in ids(visible(record, PUBLIC, known_at=at(7), at="1935-06-01"))
    assert "note-for-ee" in ids(visible(record, PUBLIC, known_at=at(7), at="1936-01-01"))
    assert "note-for-ee" not in ids(visible(record, PUBLIC, known_at=at(5), at="1936-01-01"))


def test_an_entry_public_on_the_day_asked_carries_the_restriction_it_has_now():
    record = [*RECORD, published("note-kept", "public-note", "1935-01-01", FOR_EE)]
    (shown,) = (e for e in visible(record, EE, at="1934-12-31") if e.id == "public-note")
    assert shown.classification == FOR_EE
    assert "public-note" not in ids(visible(record, PUBLIC, at="1934-12-31"))


@pytest.mark.parametrize("hidden", [FOR_EE, "public"], ids=["hidden", "published"])
def test_a_dated_amendment_of_a_dated_amendment_is_seen_by_who_sees_what_it_reclassifies(hidden):
    # The note's publication, itself kept for EE (or published) by a second amendment, which EE alone may see.
    record = [*RECORD, published("note-published", "note-for-ee", "1936-01-01"),
              published("publication-kept", "note-published", "1936-01-01", hidden, n=7)]
    seen = {e.id: e for e in visible(record, PUBLIC, at="1936-01-01")}
    assert {"note-for-ee", "note-published", "publication-kept"} <= seen.keys()
    # Each shown as no wider than what it made known.
    assert seen["note-published"].classification == "public"
    assert seen["publication-kept"].classification == hidden
    assert not {"note-for-ee", "note-published", "publication-kept"} & set(ids(visible(record, PUBLIC,
                                                                                       at="1935-12-31")))


def test_an_entry_of_the_unions_record_file_is_in_the_record_at_every_record_time():
    unrecorded = msgspec.structs.replace(RECORD[4], recorded=None)
    assert changes(visible_history([unrecorded], PUBLIC, "public-note", known_at=at(0))) == [None]
    assert ids(visible([unrecorded], PUBLIC, known_at=at(0))) == ["public-note"]


# --- a correction seen by all who see what it corrects --------------------------------------------------------

FOR_EE_LV = Restricted(parties=("EE", "LV"))
FOR_LT = Restricted(parties=("LT",))


@pytest.mark.parametrize(("wide", "narrow", "covered"), [
    ("public", "public", True),
    ("public", FOR_EE, True),
    (FOR_EE, FOR_EE, True),
    (FOR_EE, "public", False),
    (FOR_EE_LV, FOR_EE, True),
    (FOR_EE, FOR_EE_LV, False),
    (FOR_LV, FOR_EE, False),
    # Those party to the instrument now see it: LT by accession.
    (PROTOCOL, FOR_LT, True),
    (PROTOCOL, FOR_EE_LV, True),
    (Restricted(instrument="pact"), FOR_LT, False),
    (Restricted(instrument="pact", parties=("LT",)), FOR_LT, True),
    # An instrument's later parties would see what is classified to it: only the same instrument covers it.
    (FOR_EE_LV, PROTOCOL, False),
    (Restricted(instrument="pact", parties=("EE", "LV", "LT")), PROTOCOL, False),
    (Restricted(instrument="protocol", parties=("FI",)), PROTOCOL, True),
    (PROTOCOL, Restricted(instrument="protocol", parties=("FI",)), False),
    (PROTOCOL, Restricted(instrument="protocol", parties=("LT",)), True),
    (Restricted(instrument="treaty"), FOR_EE, False),  # an instrument no one is yet known party to
    (Restricted(instrument="treaty", parties=("EE",)), FOR_EE, True),
], ids=str)
def test_one_classification_covers_another_where_all_who_see_the_narrow_see_the_wide(wide, narrow, covered):
    assert covers(wide, narrow, PARTIES_OF) is covered
    why = "a correction or retraction must be seen by everyone who may see the entry it is about; classify it " \
          "at least as widely"
    narrower = act_narrower(wide, narrow, PARTIES_OF)
    assert (None if narrower is None else say(narrower)) == (None if covered else why)


def test_an_entry_corrected_for_fewer_than_may_see_it_is_not_shown_to_more_by_reclassifying_it():
    correction = corrected("note-for-ee", note("note-for-ee", 0, FOR_EE, "The note"), FOR_EE)
    record = [*RECORD, correction]
    refusal = ("note-for-ee was corrected or retracted by an entry fewer may see (note-for-ee-corrected); to show it "
               "more widely, correct it again under the wider classification")
    for wider in ("public", FOR_EE_LV, PROTOCOL):
        amendment = ClassificationAmended(id="m", date="1934-10-07", target="note-for-ee", to=wider)
        assert say(amended_past_acts(amendment, record, PARTIES_OF)) == refusal
    # Kept for EE alone, or reclassified where no act narrower than it was recorded, it may be.
    assert amended_past_acts(ClassificationAmended(id="m", date="1934-10-07", target="note-for-ee", to=FOR_EE),
                             record, PARTIES_OF) is None
    assert amended_past_acts(ClassificationAmended(id="m", date="1934-10-07", target="public-note", to=FOR_EE),
                             record, PARTIES_OF) is None
    assert amended_past_acts(ClassificationAmended(id="m", date="1934-10-07", target="note-for-ee", to="public"),
                             RECORD, PARTIES_OF) is None
    # Corrected for the protocol's parties, it may be shown to some of them, through the parties of the protocol.
    for_protocol = [*RECORD, corrected("note-for-ee", note("note-for-ee", 0, FOR_EE, "The note"), PROTOCOL)]
    assert amended_past_acts(ClassificationAmended(id="m", date="1934-10-07", target="note-for-ee", to=FOR_EE_LV),
                             for_protocol, PARTIES_OF) is None
    withdrawn = EntryRetracted(id="withdrawn", date="1934-10-06", target="note-for-ee", reason="r",
                               classification=FOR_EE)
    public = ClassificationAmended(id="m", date="1934-10-07", target="note-for-ee", to="public")
    assert say(amended_past_acts(public, [*RECORD, withdrawn], PARTIES_OF)) == refusal.replace(
        "note-for-ee-corrected", "withdrawn")


# --- the versions of one entry ----------------------------------------------------------------------------


def changes(versions: list[revisions.Version]) -> list[str | None]:
    """Each version as the act that made it: None for the original."""
    return [v.act.id if v.act else None for v in versions]


def test_the_history_of_a_corrected_entry_holds_each_version_from_when_it_was_recorded():
    for viewer in (SECRETARIAT, PUBLIC, FI):
        history = visible_history(CORRECTED, viewer, "public-note")
        assert changes(history) == [None, "public-note-corrected"]
        assert [v.entry.title for v in history if v.entry] == [{"en": "A note"}, {"en": "The note"}]
        assert [v.recorded for v in history] == [at(5), at(6)]
    assert changes(visible_history(CORRECTED, PUBLIC, "public-note", known_at=at(5))) == [None]
    assert changes(visible_history(CORRECTED, PUBLIC, "public-note", known_at=at(6))) == [None,
                                                                                          "public-note-corrected"]


def test_the_history_of_an_entry_a_viewer_may_not_see_is_as_empty_as_that_of_none():
    assert visible_history(RECORD, LV, "note-for-ee") == visible_history(RECORD, LV, "no-such-entry") == []
    assert changes(visible_history(RECORD, EE, "note-for-ee")) == [None]
    assert visible_history(NARROWED, PUBLIC, "public-note") == []
    assert changes(visible_history(NARROWED, LV, "public-note")) == [None]


def test_a_version_is_shown_only_to_who_is_cleared_for_it_and_for_the_act_that_made_it():
    # The note for EE, corrected to a public note by an act for EE alone, then corrected again in public.
    record = [*RECORD,
              EntryCorrected(id="made-public", date="1934-10-03", target="note-for-ee", reason="r",
                             classification=FOR_EE, entry=note("note-for-ee", 0, title="Public now"), recorded=at(6)),
              EntryCorrected(id="reworded", date="1934-10-03", target="note-for-ee", reason="r",
                             entry=note("note-for-ee", 0, title="Reworded"), recorded=at(7))]
    history = visible_history(record, EE, "note-for-ee")
    assert changes(history) == [None, "made-public", "reworded"]
    # The entry is public now: each version is shown as it was classified, the original for EE alone.
    assert [v.entry.classification for v in history if v.entry] == [FOR_EE, "public", "public"]
    assert changes(visible_history(record, PUBLIC, "note-for-ee")) == ["reworded"]


def test_a_retracted_entry_has_a_history_for_who_sees_its_retraction():
    assert changes(visible_history(WITHDRAWN, LV, "shared-note")) == [None, "shared-note-withdrawn"]
    assert visible_history(WITHDRAWN, LV, "shared-note")[-1].entry is None
    assert changes(visible_history(WITHDRAWN, SECRETARIAT, "shared-note", known_at=at(7))) == [None]
    assert visible_history(WITHDRAWN, EE, "shared-note") == []
    assert visible_history(WITHDRAWN, PUBLIC, "shared-note") == []


def test_an_entry_withdrawn_by_a_retraction_a_viewer_may_not_see_has_no_history_for_it():
    # The note of EE and LV, withdrawn by a retraction for LV alone: to EE it is as if it never was.
    record = [*WITHDRAWN[:6], EntryRetracted(id="shared-note-withdrawn", date="1934-10-04", target="shared-note",
                                             reason="twice", classification=FOR_LV, recorded=at(7))]
    assert changes(visible_history(record, LV, "shared-note")) == [None, "shared-note-withdrawn"]
    assert visible_history(record, EE, "shared-note") == visible_history(record, EE, "no-such-entry") == []


# --- the record's revisions -------------------------------------------------------------------------------


def test_the_current_record_keeps_the_originals_order_with_each_entry_as_it_now_reads():
    assert revisions.current(RECORD) == RECORD
    record = [*CORRECTED, *WITHDRAWN[len(RECORD):]]
    now = revisions.current(record)
    assert ids(now) == [*ids(RECORD), "shared-note-narrowed"]
    assert now[4].title == {"en": "The note"}
    # Acts on entries not in the record change nothing and are not entries themselves.
    stray = [EntryCorrected(id="c", date="1934-10-03", target="none", reason="r", entry=note("none", 0)),
             EntryRetracted(id="r", date="1934-10-03", target="none", reason="r")]
    assert revisions.current([*RECORD, *stray]) == RECORD


def test_the_last_classification_of_each_entry_is_its_current_one_or_the_one_it_was_withdrawn_with():
    last = revisions.last_classifications(WITHDRAWN)
    assert last["shared-note"] == FOR_LV and last["note-for-ee"] == FOR_EE and last["public-note"] == "public"
    assert last["shared-note-narrowed"] == FOR_LV and "shared-note-withdrawn" not in last


def test_the_history_of_an_entry_starts_with_its_original_and_ignores_acts_on_others():
    record = [*WITHDRAWN, EntryRetracted(id="other-withdrawn", date="1934-10-04", target="public-note", reason="r",
                                         recorded=at(9))]
    history = revisions.history(record, "shared-note")
    assert changes(history) == [None, "shared-note-withdrawn"]
    assert history[0].entry == WITHDRAWN[5] and history[0].recorded == at(6)
    assert revisions.history(record, "no-such-entry") == []
    assert revisions.Version(entry=None).recorded is None


def test_the_versions_of_a_since_narrowed_entry_carry_the_restriction_of_now():
    (original,) = visible_history(NARROWED, LV, "public-note")
    assert original.entry is not None and original.entry.classification == FOR_LV
    (original,) = visible_history(NARROWED, SECRETARIAT, "public-note")
    assert original.entry is not None and original.entry.classification == FOR_LV
    # An entry public now is shown in each version as that version was classified.
    assert [v.entry.classification for v in visible_history(CORRECTED, EE, "public-note") if v.entry] == [
        "public", "public"]


def test_a_retraction_seen_by_more_than_the_entry_it_withdraws_shows_them_none_of_its_versions():
    # The public note, narrowed to LV, then withdrawn by a retraction classified public.
    record = [*NARROWED, EntryRetracted(id="public-note-withdrawn", date="1934-10-04", target="public-note",
                                        reason="twice", recorded=at(7))]
    assert changes(visible_history(record, PUBLIC, "public-note")) == ["public-note-withdrawn"]
    assert changes(visible_history(record, LV, "public-note")) == [None, "public-note-withdrawn"]


def test_the_history_of_an_entry_of_an_instrument_is_for_its_parties_incl_those_who_acceded():
    # A note of the protocol corrected, then withdrawn, by acts classified to the protocol.
    record = [*RECORD, note("protocol-note", 6, PROTOCOL),
              EntryCorrected(id="protocol-note-corrected", date="1934-10-03", target="protocol-note", reason="r",
                             classification=PROTOCOL, entry=note("protocol-note", 0, PROTOCOL, "The note"),
                             recorded=at(7))]
    withdrawn = [*record, EntryRetracted(id="protocol-note-withdrawn", date="1934-10-04", target="protocol-note",
                                         reason="twice", classification=PROTOCOL, recorded=at(8))]
    for viewer in (EE, LT):
        assert changes(visible_history(record, viewer, "protocol-note")) == [None, "protocol-note-corrected"]
        assert changes(visible_history(withdrawn, viewer, "protocol-note")) == [
            None, "protocol-note-corrected", "protocol-note-withdrawn"]
    for viewer in (FI, PUBLIC):
        assert visible_history(record, viewer, "protocol-note") == visible_history(withdrawn, viewer,
                                                                                   "protocol-note") == []
