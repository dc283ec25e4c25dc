"""Secrecy that ends on its day: a dated amendment, what each viewer's log takes, and what is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from entente.ledger.logs import Ledger
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.secretariat.service import Refused, Secretariat
from entente.vocabulary.events import ClassificationAmended, QuestionRaised, Restricted, Source

LV = Viewer.parse("LV")
ENTENTE = Restricted(instrument="entente-1934")
SOURCE = Source(document="seed", lang="lv", quote="Baltijas Antante")



def _ids(s: Secretariat, viewer: Viewer, at: str | None = None) -> set[str]:
    return {e.id for e in s.events_for(viewer, at=at)}


def _question(day: str) -> QuestionRaised:
    return QuestionRaised(id="q-said-in-confidence", date=day, question="q-said-in-confidence", subject="defence",
                          instrument="entente-1934", title={"en": "A question raised in confidence"},
                          classification=ENTENTE, source=SOURCE)


def _published(since: str, how: str = "declassified") -> ClassificationAmended:
    return ClassificationAmended(id="q-declassified", date=since, since=since, how=how,  # type: ignore[arg-type]
                                 target="q-said-in-confidence", to="public", classification=ENTENTE, source=SOURCE)


def test_a_declassified_entry_is_seen_from_its_day_and_its_log_takes_it_when_it_is_recorded(opened):
    opened.record(_question("1939-02-01"), SECRETARIAT)
    before = Ledger.open("", opened.union)
    before.catch_up(opened.store, whole=True)
    size = before.checkpoint(PUBLIC).size
    opened.record(_published("1975-05"), SECRETARIAT)
    assert "q-said-in-confidence" not in _ids(opened, PUBLIC)  # the record's last day, 1940: still secret
    assert "q-said-in-confidence" not in _ids(opened, PUBLIC, "1975-05-30")
    assert {"q-said-in-confidence", "q-declassified"} <= _ids(opened, PUBLIC, "1975-05-31")  # a month: its last day
    # Its parties saw it all along; the amendment is there from its day for them too.
    assert "q-said-in-confidence" in _ids(opened, LV) and "q-declassified" not in _ids(opened, LV)
    # Handed on carrying the restriction of the day asked, so no one takes it for public then.
    shown = next(e for e in opened.events_for(LV, at="1940-01-01") if e.id == "q-said-in-confidence")
    assert shown.classification == ENTENTE
    # The public's log takes the question and the amendment as the amendment is recorded: two entries.
    after = Ledger.open("", opened.union)
    after.catch_up(opened.store, whole=True)
    assert after.checkpoint(PUBLIC).size == size + 2
    assert after.proof(PUBLIC, "q-said-in-confidence", "1940-07-01") is None
    assert after.proof(PUBLIC, "q-said-in-confidence", date.today().isoformat()) is not None
    # ``known_at`` keeps its meaning: the record as it stood before the amendment shows no publication.
    recorded = next(e.recorded for e in opened.store.events() if e.id == "q-said-in-confidence")
    assert recorded is not None
    then = {e.id for e in opened.events_for(PUBLIC, known_at=recorded, at=date.today().isoformat())}
    assert "q-said-in-confidence" not in then


def test_a_day_still_to_come_is_refused_in_one_line(opened):
    opened.record(_question("1939-02-01"), SECRETARIAT)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    with pytest.raises(Refused) as refused:
        opened.record(_published(tomorrow), SECRETARIAT)
    assert [p.field for p in refused.value.problems] == ["since"]
    assert "not past yet" in str(refused.value) and "\n" not in str(refused.value)
    assert "q-declassified" not in {e.id for e in opened.store.events()}


def test_without_a_day_an_amendment_holds_on_every_day_as_before(opened):
    opened.record(_question("1939-02-01"), SECRETARIAT)
    opened.record(ClassificationAmended(id="q-opened", date="1939-03-01", target="q-said-in-confidence",
                                        to="public", classification=ENTENTE), SECRETARIAT)
    for day in ("1939-02-01", "1940-07-01", None):
        assert "q-said-in-confidence" in _ids(opened, PUBLIC, day)


def test_the_filter_alone_decides_a_day(opened):
    """What the service serves on a day is what ``visible`` lets through on it."""
    events = opened.store.events()
    for viewer in (PUBLIC, LV, Viewer.parse("FI"), SECRETARIAT):
        for day in ("1936-01-01", "1996-12-30", "1996-12-31", date.today().isoformat()):
            assert _ids(opened, viewer, day) == {e.id for e in visible(events, viewer, at=day)}, (viewer, day)
