"""A modern council from its founding document, by files alone: the Arctic Council (Ottawa Declaration, 1996).

Eight members deciding by consensus with a quorum, observers who never vote, a two-year chairmanship passed in a
fixed order at the close of the ministerial meeting that ends it, and one ministerial meeting in each
chairmanship, in the chair's country.  Its expected findings are data beside it (tests/unions/arctic_council).
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.replay.dated import bound, fold
from entente.rules import compliance, due, read_treaties
from entente.secretariat.admission import admit
from entente.views import reports
from entente.vocabulary import dates
from entente.vocabulary.definition import bundled_record, load_union
from entente.vocabulary.events import AnyEvent, ConferenceHeld
from entente.vocabulary.yamlfile import Located

from .conftest import TESTS

ARCTIC = TESTS / "unions" / "arctic_council"
# Read as the union's own files are (YAML 1.2: NO is Norway, not false).
EXPECTED = Located(ARCTIC / "expected-findings.yaml").data
ORDER = ["CA", "US", "FI", "IS", "RU", "NO", "DK", "SE"]


@pytest.fixture(scope="module")
def council() -> tuple[Any, Any, Any]:
    union = load_union(ARCTIC)
    return union, read_treaties(ARCTIC), bundled_record(union)


def _pick(row: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(row, k) for k in keys}


def test_the_findings_are_those_expected(council) -> None:
    got = compliance(*council, EXPECTED["at"])
    assert [_pick(f, list(want)) for f, want in zip(got, EXPECTED["findings"], strict=False)] == EXPECTED["findings"]
    assert len(got) == len(EXPECTED["findings"])
    items = due(*council, EXPECTED["at"])
    assert [_pick(d, list(want)) for d, want in zip(items, EXPECTED["due"], strict=False)] == EXPECTED["due"]
    assert len(items) == len(EXPECTED["due"])


def test_each_ministerial_meeting_is_hosted_and_chaired_in_the_fixed_order(council) -> None:
    # Counted apart from the rules: the n-th ministerial meeting closes the n-th chairmanship, whose holder is the
    # n-th state of the order, cycle after cycle.
    _, _, events = council
    meetings = [e for e in events if isinstance(e, ConferenceHeld) and e.series == "ministerial"]
    assert [m.host for m in meetings] == [ORDER[n % len(ORDER)] for n in range(len(meetings))]
    chairs = {f.subject: f for f in compliance(*council, EXPECTED["at"]) if f.rule_id == "chairmanship"}
    assert len(chairs) == len(meetings) and {f.status for f in chairs.values()} == {"met"}


def test_observers_are_never_bound_and_never_counted(council) -> None:
    union, _, events = council
    observers = {p.code for p in union.parties if p.role == "observer"}
    assert observers == {"DE", "NL", "PL", "GB", "FR"}
    members = bound(fold(events), "ottawa-1996", "2013-05-15")
    assert sorted(members) == sorted(ORDER) and not observers & set(members)
    (kiruna,) = [f for f in compliance(*council, EXPECTED["at"]) if f.subject == "observers-2013"]
    assert kiruna.outcome is not None and kiruna.outcome.adopted
    assert {c.party for c in kiruna.outcome.counted} == set(ORDER)


def test_one_objection_blocks_a_declaration(council) -> None:
    (rovaniemi,) = [f for f in compliance(*council, EXPECTED["at"]) if f.subject == "rovaniemi-declaration"]
    assert rovaniemi.status == "met" and rovaniemi.outcome is not None and not rovaniemi.outcome.adopted
    assert "US voted no" in rovaniemi.detail


def test_a_chair_suspended_mid_term_hands_on_the_chairmanship_and_the_meeting(council) -> None:
    # Were Russia's turn in the chair suspended on 3 March 2022, the rest of its term would pass to Norway, the
    # next in order; the meeting closing the term would then be due in Norway, and Salekhard's would be a breach.
    union, treaties, events = council
    suspended = msgspec.convert({"kind": "rights_suspended", "id": "ru-suspended", "date": "2022-03-03",
                                 "instrument": "ottawa-1996", "party": "RU", "rights": ["presidency"]}, AnyEvent)
    before = [e for e in events if dates.start(e.date) < "2023-01-01"]
    items = due(union, treaties, [*before, suspended], "2022-06-01")
    meeting = next(d for d in items if d.rule_id == "ministerial-meeting")
    assert (meeting.host, meeting.by) == ("NO", "2023-05-20")
    chair = next(d for d in items if d.rule_id == "chairmanship" and d.on is None)
    assert chair.host == "NO" and "passed on from RU" in chair.detail
    later = compliance(union, treaties, [*events, suspended], EXPECTED["at"])
    salekhard = [f.status for f in later if f.subject == "conference 13 (Salekhard, 2023-05-11)"]
    assert salekhard == ["breach", "breach"]  # neither in the presiding country nor chaired by it


PARTICIPANTS = ["AAC", "AIA", "GCI", "ICC", "RAIPON", "SAAMI"]


def test_permanent_participants_are_a_role_of_their_own_from_their_day(council) -> None:
    # The union declares the role: present, may speak, never counted, never bound; observers and participants
    # are each listed only from the day they were admitted.
    union, treaties, events = council
    role = union.role("permanent_participant")
    assert (role.attends, role.speaks, role.counted, role.bound) == (True, True, False, False)
    standing = {day: reports.union_state(union, events, day, treaties)["standing"]
                for day in ("1997-01-01", "1999-01-01", "2001-01-01")}
    assert [s["roles"]["permanent_participant"] for s in standing.values()] == [
        ["ICC", "RAIPON", "SAAMI"], ["AIA", "ICC", "RAIPON", "SAAMI"], PARTICIPANTS]
    assert [s["observers"] for s in standing.values()] == [[], ["DE", "GB", "NL", "PL"], ["DE", "FR", "GB", "NL", "PL"]]
    assert not set(PARTICIPANTS) & set(standing["2001-01-01"]["members"] + standing["2001-01-01"]["observers"])
    france = [reports.party(union, treaties, events, "FR", day) for day in ("1999-01-01", "2001-01-01")]
    assert [(p["role"], p["role_since"]) for p in france] == [(None, "2000-10-13"), ("observer", "2000-10-13")]
    # Never bound: a signature naming a participant is refused, in the role's own name.
    signed = msgspec.convert({"kind": "instrument_signed", "id": "fisheries", "date": "2018-10-03",
                              "instrument": "fisheries-2018", "title": {"en": "Fisheries agreement"},
                              "parties": ["CA", "US", "ICC"]}, AnyEvent)
    problems = admit(union, treaties, events, signed).problems
    assert [(p.field, p.message) for p in problems] == [
        ("parties", "ICC is a Permanent Participant of the union, and a Permanent Participant is never bound by an "
                    "instrument")]


def test_the_api_lists_observers_and_participants_only_from_their_day(api) -> None:
    client, _ = api(ARCTIC)
    before, after = (client.get("/api/state", params={"at": day}).json()["standing"]
                     for day in ("1998-09-17", "1998-09-18"))
    assert (before["observers"], before["roles"]) == ([], {"permanent_participant": ["ICC", "RAIPON", "SAAMI"]})
    assert (after["observers"], after["roles"]) == (
        ["DE", "GB", "NL", "PL"], {"permanent_participant": ["AIA", "ICC", "RAIPON", "SAAMI"]})
    gci = [client.get("/api/parties/GCI", params={"at": day}).json() for day in ("2000-10-12", "2000-10-13")]
    assert [(p["role"], p["role_since"], p["bound_by"]) for p in gci] == [
        (None, "2000-10-13", []), ("permanent_participant", "2000-10-13", [])]


def test_entente_party_says_from_which_day_a_party_holds_its_role(tmp_path) -> None:
    said = [CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--union", str(ARCTIC), "party", "GCI",
                                      "--at", day]).output.splitlines()[2] for day in ("2000-10-12", "2000-10-13")]
    assert said == ["Admitted from 13 October 2000: not yet on this day.",
                    "Permanent participant from 13 October 2000."]


def test_a_participant_takes_part_in_a_meeting_in_its_own_role(council) -> None:
    union, treaties, events = council
    meeting = {"kind": "conference_held", "id": "sao-2019", "date": "2019-11-20", "instrument": "ottawa-1996",
               "series": "senior-officials", "host": "FI", "place": {"en": "Ruka"},
               "participants": [{"party": "FI", "role": "host"}, {"party": "ICC", "role": "permanent_participant"},
                                {"party": "DE", "role": "observer"}]}
    assert admit(union, treaties, events, msgspec.convert(meeting, AnyEvent)).problems == []
    meeting["participants"][1]["role"] = "guest"  # type: ignore[index]
    problems = admit(union, treaties, events, msgspec.convert(meeting, AnyEvent)).problems
    assert [(p.field, p.message) for p in problems] == [
        ("participants[1].role", "'guest' is not one of the values it takes: member, observer, host, "
                                 "permanent_participant")]


def test_a_chairmanship_is_written_as_its_days_in_words_on_pages_and_commands(api, tmp_path) -> None:
    # The first chairmanship, Canada's: from the Declaration's day to the day before the next chair took over.
    raw = "1996-09-19/1998-09-18 (CA)"
    shown = {"en": "19 September 1996 – 18 September 1998 (CA)",
             "lv": "no 1996. gada 19. septembra līdz 1998. gada 18. septembrim (CA)"}
    client, _ = api(ARCTIC)
    for lang, words in shown.items():
        said = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--union", str(ARCTIC), "--lang", lang,
                                         "compliance"], env={"COLUMNS": "5000"}).output
        page = client.get("/compliance", params={"lang": lang}, headers={"Accept": "text/html"}).text
        for text in (said, page):
            assert words in " ".join(text.split()) and raw not in text, lang
