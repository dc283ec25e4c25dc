"""The record store: append-only, hash-chained, idempotent, atomic, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import msgspec
import pytest

from entente.record import ConflictError, RecordConflict, open_store
from entente.vocabulary.definition import bundled_record
from entente.vocabulary.events import InstrumentSigned, OutsideEvent


def _outside(i: int) -> OutsideEvent:
    return OutsideEvent(id=f"e{i}", date=f"2001-01-{i + 1:02d}", category="test", title={"en": f"event {i}"})


def test_loading_twice_records_nothing_twice(store, consortium):
    events = bundled_record(consortium)
    first = store.append(events)
    second = store.append(events)
    assert len(first) == len(events) and second == []
    assert [e.id for e in store.events()] == [e.id for e in events]


def test_record_time_is_set_on_append_one_for_a_batch_and_survives_reading(store_url):
    ticks = (f"2026-01-01T00:00:0{i}Z" for i in itertools.count())
    s = open_store(store_url, clock=lambda: next(ticks))
    s.append([_outside(0), _outside(1)])
    s.append([_outside(2)])
    assert [e.recorded for e in s.events()] == ["2026-01-01T00:00:00Z"] * 2 + ["2026-01-01T00:00:01Z"]
    s.close()


def test_changed_content_under_a_recorded_id_is_refused_and_nothing_changes(store):
    store.append([_outside(0)])
    before = store.events()
    changed = msgspec.structs.replace(_outside(0), title={"en": "rewritten"})
    with pytest.raises(RecordConflict, match="'e0' is already recorded"):
        store.append([_outside(5), changed])
    assert store.events() == before  # the batch was refused whole: e5 is not there either


def test_expected_position_lets_one_concurrent_writer_win(store_url):
    a, b = open_store(store_url), open_store(store_url)
    a.append([_outside(0)])
    seen = b.position()
    a.append([_outside(1)], expected=seen)
    with pytest.raises(ConflictError, match="the record is at position 2, not 1"):
        b.append([_outside(2)], expected=seen)
    b.append([_outside(2)], expected=b.position())  # a retry from the new position succeeds
    assert [e.id for e in a.events()] == ["e0", "e1", "e2"]
    a.close()
    b.close()


def test_rows_cannot_be_updated_or_deleted(store):
    store.append([_outside(0)])
    cur = store.db.cursor()
    for statement in ("UPDATE events SET kind = 'x'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"):
            cur.execute(statement)
        store.db.rollback()
    assert [e.id for e in store.events()] == ["e0"]


def test_verify_finds_the_first_changed_event(store):
    store.append([_outside(i) for i in range(5)])
    assert store.verify() is None
    cur = store.db.cursor()
    # Tampering needs the guard removed first, as an attacker with file access would.
    if store.postgres:
        cur.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")
    else:
        cur.execute("DROP TRIGGER events_no_update")
    forged = msgspec.json.encode(msgspec.structs.replace(store.events()[2], title={"en": "forged"}))
    cur.execute(store._sql("UPDATE events SET body = ? WHERE position = 3"), (forged,))
    store.db.commit()
    assert store.verify() == 3


def test_events_round_trip_exactly(store, baltic):
    events = [e for e in bundled_record(baltic) if isinstance(e, InstrumentSigned)]
    store.append(events)
    assert [msgspec.structs.replace(e, recorded=None) for e in store.events()] == events


def test_what_cannot_be_read_back_is_not_stored(store):
    with pytest.raises(ValueError, match="'Bad Id' does not fit the vocabulary"):
        store.append([_outside(0), OutsideEvent(id="Bad Id", date="2001-01-01", category="x", title={"en": "x"})])
    assert store.events() == []
