"""The store contract: one class of tests that every back end (SQLite, PostgreSQL) passes as it is."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import msgspec
import psycopg
import pytest

from entente.record import (
    ConflictError,
    ReadOnly,
    RecordConflict,
    SqliteStore,
    Store,
    batches,
    chain,
    migrations,
    open_store,
)
from entente.secretariat import snapshots, stored_once
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import InstrumentSigned, OutsideEvent
from tests.conftest import postgres_only


def _outside(i: int, prefix: str = "e") -> OutsideEvent:
    return OutsideEvent(id=f"{prefix}{i}", date=f"2001-01-{i % 28 + 1:02d}", category="test",
                        title={"en": f"event {i}"})


def _in_threads(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads started together; their results (or exceptions), in order."""
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # kept, so the test can say which thread failed and how
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class TestStoreContract:
    """What a caller may rely on from any store."""

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[Store]:
        s = open_store(store_url)
        yield s
        s.close()

    def test_loading_twice_records_nothing_twice(self, store, consortium):
        events = bundled_record(consortium)
        first = store.append(events)
        second = store.append(events)
        assert len(first.events) == len(events) and second.events == []
        assert [e.id for e in store.events()] == [e.id for e in events]
        assert store.position() == len(events)

    def test_entries_handed_over_are_recorded_alike_and_let_go(self, store):
        handed = [_outside(i) for i in range(3)] + [_outside(1)]  # the same entry twice: recorded once
        appended = store.append(handed, handed_over=True)
        assert [e.id for e in appended.events] == [e.id for e in store.events()] == ["e0", "e1", "e2"]
        assert [msgspec.structs.replace(e, recorded=None) for e in store.events()] == [_outside(i) for i in range(3)]
        assert handed[:3] == [None, None, None]  # each dropped once written: the copy as stored holds it

    def test_record_time_one_for_a_batch_and_reads_as_of_a_record_time(self, store_url):
        ticks = (f"2026-01-01T00:00:0{i}Z" for i in itertools.count())
        s = open_store(store_url, clock=lambda: next(ticks))
        s.append([_outside(0), _outside(1)])
        s.append([_outside(2)])
        assert [e.recorded for e in s.events()] == ["2026-01-01T00:00:01Z"] * 2 + ["2026-01-01T00:00:02Z"]
        assert [e.id for e in s.events(known_at="2026-01-01T00:00:01Z")] == ["e0", "e1"]
        assert s.events(known_at="2025-12-31") == []
        s.close()

    def test_reads_after_a_position_give_only_what_came_after(self, store):
        store.append([_outside(i) for i in range(5)])
        assert [(p, e.id) for p, e in store.read(3)] == [(4, "e3"), (5, "e4")]
        assert store.read(5) == []

    def test_ids_up_to_a_position_come_in_the_order_recorded(self, store):
        store.append([_outside(i) for i in range(5)])
        assert store.ids_upto(3) == (3, ["e0", "e1", "e2"])
        assert store.ids_upto(99) == (5, ["e0", "e1", "e2", "e3", "e4"])
        assert store.ids_upto(0) == (0, [])

    def test_changed_content_under_a_recorded_id_is_refused_and_nothing_changes(self, store):
        store.append([_outside(0)])
        before = store.events()
        changed = msgspec.structs.replace(_outside(0), title={"en": "rewritten"})
        with pytest.raises(RecordConflict, match="'e0' is already recorded"):
            store.append([_outside(5), changed])
        assert store.events() == before  # the batch was refused whole: e5 is not there either

    def test_expected_position_lets_one_concurrent_writer_win(self, store_url):
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

    def test_a_check_that_refuses_inside_the_transaction_records_nothing(self, store):
        store.append([_outside(0)])

        def refuse(txn) -> None:
            assert txn.position == 1 and [e.id for _, e in txn.read(0)] == ["e0"]
            raise ValueError("refused")

        with pytest.raises(ValueError, match="refused"):
            store.append([_outside(1)], check=refuse)
        assert [e.id for e in store.events()] == ["e0"]

    def test_concurrent_writers_never_interleave_positions(self, store_url):
        stores = [open_store(store_url) for _ in range(4)]
        batches = _in_threads(4, lambda i: stores[i].append([_outside(j, f"w{i}-") for j in range(25)]))
        assert not [b for b in batches if isinstance(b, Exception)]
        by_position = [(p, e.id) for p, e in stores[0].read(0)]
        assert [p for p, _ in by_position] == list(range(1, 101))
        for i in range(4):  # each writer's batch sits in one unbroken run of positions
            mine = [p for p, eid in by_position if eid.startswith(f"w{i}-")]
            assert mine == list(range(mine[0], mine[0] + 25))
        assert stores[0].verify() is None
        for s in stores:
            s.close()

    def test_an_idempotency_key_answers_every_retry_with_the_first_answer(self, store_url):
        stores = [open_store(store_url) for _ in range(6)]
        outcomes = _in_threads(6, lambda i: stores[i].append([_outside(i)], key="k",
                                                             answer=lambda added: added[0].id.encode()))
        assert not [o for o in outcomes if isinstance(o, Exception)]
        recorded = [e.id for e in stores[0].events()]
        assert len(recorded) == 1
        assert {o.answer for o in outcomes} == {recorded[0].encode()}
        assert sum(not o.replayed for o in outcomes) == 1
        assert stores[0].answer_for("k") == recorded[0].encode()
        for s in stores:
            s.close()

    def test_the_stamp_changes_with_every_commit_of_this_store_or_another(self, store_url):
        """What a server asks before each read to know whether to read the record's tail: a number that
        changes with every commit, whoever made it, found without reading the record (SQLite's data_version;
        on PostgreSQL the notifications of every commit, heard within a second, and one's own at once)."""
        mine, other = open_store(store_url), open_store(store_url)
        stamps = [mine.stamp()]
        other.append([_outside(1)])
        stamps.append(_changed(mine, stamps[-1]))
        mine.append([_outside(2)])
        stamps.append(mine.stamp())
        writer = threading.Thread(target=lambda: mine.append([_outside(3)]))  # another thread: its own connection
        writer.start()
        writer.join()
        stamps.append(mine.stamp())
        time.sleep(0.2)
        stamps.append(mine.stamp())  # nothing committed since
        mine.close()
        other.close()
        assert None not in stamps
        assert len(set(stamps[:4])) == 4 and stamps[3] == stamps[4], stamps

    def test_refusals_go_to_an_audit_trail(self, store):
        store.audit("LV", "refused", "x1", "out of rotation")
        assert [(r["viewer"], r["event_id"], r["reason"]) for r in store.audit_trail()] == [
            ("LV", "x1", "out of rotation")]

    def test_rows_cannot_be_updated_or_deleted(self, store):
        store.append([_outside(0)])
        for statement in ("UPDATE events SET kind = 'x'", "DELETE FROM events"):
            with pytest.raises(Exception, match="append-only"):
                store.run(statement)
        assert [e.id for e in store.events()] == ["e0"]

    def test_verify_finds_the_first_changed_event(self, store):
        store.append([_outside(i) for i in range(5)])
        assert store.verify() is None
        # Tampering needs the guard removed first, as an attacker with file access would.
        store.run("ALTER TABLE events DISABLE TRIGGER events_append_only" if store.postgres
                  else "DROP TRIGGER events_no_update")
        forged = msgspec.json.encode(msgspec.structs.replace(store.events()[2], title={"en": "forged"}))
        store.run("UPDATE events SET body = ? WHERE position = 3", (forged,))
        assert store.verify() == 3

    def test_events_round_trip_exactly(self, store, baltic):
        events = [e for e in bundled_record(baltic) if isinstance(e, InstrumentSigned)]
        store.append(events)
        assert [msgspec.structs.replace(e, recorded=None) for e in store.events()] == events

    def test_what_cannot_be_read_back_is_not_stored(self, store):
        with pytest.raises(ValueError, match="'Bad Id' does not fit the vocabulary"):
            store.append([_outside(0), OutsideEvent(id="Bad Id", date="2001-01-01", category="x",
                                                    title={"en": "x"})])
        assert store.events() == []

    def test_schema_is_made_by_numbered_migrations_once(self, store_url):
        first = open_store(store_url)
        rows, _ = first.run("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == [v for v, _, _ in migrations.MIGRATIONS]
        first.close()
        again = open_store(store_url)  # an up-to-date store is opened without applying anything
        rows, _ = again.run("SELECT COUNT(*) FROM schema_migrations")
        assert rows[0][0] == len(migrations.MIGRATIONS)
        again.close()

    def test_an_event_stored_in_an_older_version_of_its_kind_is_upcast_when_read(self, store_url):
        # Version 0 of outside_event (as an older vocabulary stored it) had its title as a bare string.
        old = b'{"kind":"outside_event","id":"old","date":"1936-05-01","category":"x","title":"In English"}'
        s = open_store(store_url)
        s.run("INSERT INTO events VALUES (1, 'old', 'outside_event', 0, '1936-05-01', '1936-05-01', "
              "'2020-01-01T00:00:00Z', ?, ?)", (old, chain.link(chain.GENESIS, old)))
        s.close()
        s = open_store(store_url, upcasters={("outside_event", 0): lambda f: {**f, "title": {"en": f["title"]}}})
        s.append([_outside(1)])
        assert [e.title for e in s.events()] == [{"en": "In English"}, {"en": "event 1"}]
        assert s.verify() is None  # the stored bytes are as they were written: the chain holds
        s.close()
        unable = open_store(store_url)  # without the upcaster, the old entry cannot be read
        with pytest.raises(ValueError, match="stored as version 0, and nothing reads that version"):
            unable.events()
        unable.close()

    def test_a_record_longer_than_a_batch_reads_back_as_written(self, store_url, monkeypatch):
        monkeypatch.setattr(batches, "BATCH", 4)  # a batch of four rows, so ten entries take three
        ticks = (f"2026-01-01T00:00:{i:02d}Z" for i in itertools.count())  # 00 opens the store
        s = open_store(store_url, clock=lambda: next(ticks))
        written = [s.append([_outside(i)]).events[0] for i in range(10)]
        assert s.read(0) == list(enumerate(written, start=1))  # read back equal to what was written
        assert all(isinstance(e, OutsideEvent) for _, e in s.read(0))
        assert s.read(3, 5) == list(enumerate(written, start=1))[3:8]
        assert [e.id for e in s.events(known_at="2026-01-01T00:00:05Z")] == [f"e{i}" for i in range(5)]
        s.close()

    def test_an_entry_read_back_encodes_to_the_bytes_stored(self, store):
        store.append([_outside(1), InstrumentSigned(id="s", date="1934-09-12", instrument="t", title={"en": "T"},
                                                    parties=("LV", "EE"))])
        bodies = [row.body for row in store.rows_after(0)]
        assert [msgspec.json.encode(e) for e in store.events()] == bodies

    def test_snapshots_are_kept_apart_from_the_record(self, store):
        assert store.snapshot("record") is None
        store.keep_snapshot("record", 3, "v1", b"abc")
        store.keep_snapshot("record", 5, "v1", b"abcde")
        assert store.snapshot("record") == (5, "v1", b"abcde")
        assert store.events() == []

    def test_a_snapshot_kept_a_piece_at_a_time_is_its_pieces_joined(self, store):
        store.keep_snapshot("record", 3, "v1", b"abc")
        store.keep_snapshot_pieces("record", 9, "v2", 11, lambda: [b"abcd", b"", b"efghijk"])
        assert store.snapshot("record") == (9, "v2", b"abcdefghijk")
        for size in (10, 12):  # pieces that are not of the size said: refused, the snapshot kept before stands
            with pytest.raises(ValueError):
                store.keep_snapshot_pieces("record", 10, "v3", size, lambda: [b"abcd", b"efghijk"])
            assert store.snapshot("record") == (9, "v2", b"abcdefghijk")

    def test_the_record_kept_as_a_snapshot_a_chunk_at_a_time_reads_back_as_it_was(self, store, monkeypatch):
        monkeypatch.setattr(stored_once, "CHUNK", 7)  # so that the entries cross the bounds of several chunks
        for count in (0, 5, 16, 40):
            record = [_outside(i) for i in range(count)]
            snapshots.keep(store, str(DEFAULT_UNION), 0, record)  # its size said, then its pieces written
            found = store.snapshot(snapshots.NAME)
            assert found is not None and found[2] == b"".join(stored_once.encoded(record))
            assert snapshots.load(store, str(DEFAULT_UNION)) == (0, record)


@postgres_only
class TestUnpooledPostgres(TestStoreContract):
    """The same contract on PostgreSQL opened unpooled (a command's store): a connection for each thread."""

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[Store]:
        s = open_store(store_url, pooled=False)
        yield s
        s.close()

    def test_it_starts_no_thread_so_its_process_can_be_forked(self, store_url):
        before = set(threading.enumerate())
        s = open_store(store_url, pooled=False)
        try:
            s.append([_outside(i) for i in range(3)])
            assert [e.id for e in s.events()] == ["e0", "e1", "e2"] and s.position() == 3
            assert set(threading.enumerate()) <= before
        finally:
            s.close()

    def test_each_thread_reads_and_writes_on_a_connection_of_its_own(self, store):
        store.append([_outside(0)])
        found = _in_threads(4, lambda i: (store.append([_outside(i + 1)]).position, len(store.events())))
        assert sorted(p for p, _ in found) == [2, 3, 4, 5] and all(n >= 2 for _, n in found)
        assert store.position() == 5


@postgres_only
@pytest.mark.parametrize("pooled", [True, False], ids=["pooled", "unpooled"])
def test_a_connection_the_server_dropped_is_replaced_and_the_store_goes_on(store_url, pooled):
    s = open_store(store_url, pooled=pooled)
    try:
        s.append([_outside(0)])
        with s._reading() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        with psycopg.connect(store_url, autocommit=True) as admin:  # as a server restarting, or an operator, does
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        s.append([_outside(1)])
        assert [e.id for e in s.events()] == ["e0", "e1"] and s.position() == 2
    finally:
        s.close()


def test_a_read_only_store_refuses_writes_and_still_reads(tmp_path):  # SQLite only: a file opened read-only
    path = str(tmp_path / "r.db")
    s = open_store(path)
    s.append([_outside(0)])
    s.close()
    ro = SqliteStore(path, read_only=True)
    assert [e.id for e in ro.events()] == ["e0"] and ro.verify() is None
    with pytest.raises(ReadOnly):
        ro.append([_outside(1)])
    ro.close()


def _changed(store: Store, before: int | None, within: float = 1.0) -> int | None:
    """The store's stamp once it differs from ``before``, or as it is after ``within`` seconds."""
    deadline = time.monotonic() + within
    while (now := store.stamp()) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    return now
