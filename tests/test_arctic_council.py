"""A modern council from its founding document, by files alone: the Arctic Council (Ottawa Declaration, 1996).

Eight members deciding by consensus with a quorum, observers who never vote, a two-year chairmanship passed in a
fixed order at the close of the ministerial meeting that ends it, and one ministerial meeting in each
chairmanship, in the chair's country.  Its expected findings are data beside it (tests/unions/arctic_council).
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from entente.replay.dated import bound, fold
from entente.rules import compliance, due, read_treaties
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
