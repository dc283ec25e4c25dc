"""The service at work: writes decided inside the append, views kept up to date, snapshots, several processes."""

from __future__ import annotations

import shutil
import threading
import time

import msgspec
import pytest

from entente.record import open_store
from entente.rules import compliance, due
from entente.secretariat import projections, snapshots
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.secretariat.service import Recorded, Refused, Secretariat
from entente.views.reports import view_tag
from entente.vocabulary.events import (
    ClassificationAmended,
    ConferenceHeld,
    InstrumentAcceded,
    InstrumentSigned,
    OutsideEvent,
    PositionStated,
    QuestionRaised,
    Restricted,
)

from .conftest import CONSORTIUM, refusing_consortium

VIEWERS = [SECRETARIAT, PUBLIC, *(Viewer("party", p) for p in ("HAM", "TAR", "RIG", "VIL", "GDA", "FUND"))]


@pytest.fixture
def strict(tmp_path):
    """The consortium, with a general assembly out of turn refused rather than recorded with a finding."""
    return refusing_consortium(tmp_path)


def _together(count: int, work) -> list:
    """``work(i)`` in ``count`` threads released at once; each result, or the exception it raised."""
    results: list = [None] * count
    barrier = threading.Barrier(count, timeout=60)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # kept for the assertion to name
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_writers_whose_pair_breaks_a_rule_one_is_refused(store_url, strict):
    """Each conference alone is in turn; both together give HAM two meetings running, against the order."""
    writers = [Secretariat.open(store_url, strict) for _ in range(2)]
    for w in writers:
        w.seen(SECRETARIAT)  # each has read the record before either writes, as two busy servers would have
    outcomes = _together(2, lambda i: writers[i].record(
        ConferenceHeld(id=f"a4-{i}", date=f"2024-05-0{i + 1}", instrument="agreement-2020", host="HAM"),
        SECRETARIAT))
    assert sorted(type(o).__name__ for o in outcomes) == ["Recorded", "Refused"]
    refused = next(o for o in outcomes if isinstance(o, Refused))
    assert refused.problems[0].rule == "host_rotation"
    recorded = [e.id for e in writers[0].store.events() if e.id.startswith("a4-")]
    assert len(recorded) == 1
    for w in writers:
        w.close()


def test_concurrent_retries_with_one_key_all_get_the_one_recorded_answer(store_url):
    shared = Secretariat.open(store_url, CONSORTIUM)
    others = [Secretariat.open(store_url, CONSORTIUM) for _ in range(4)]
    # Four threads of one server and four other servers, all sending the same write with the same key.
    servers = [shared] * 4 + others
    outcomes = _together(8, lambda i: servers[i].record(
        PositionStated(id=f"retry-{i}", date="2021-07-01", question="data-policy", party="HAM",
                       stance="support"), Viewer.parse("HAM"), key="the-key"))
    assert all(isinstance(o, Recorded) for o in outcomes), outcomes
    assert len({o.event.id for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1
    assert [e.id for e in shared.store.events()].count(outcomes[0].event.id) == 1
    for s in [shared, *others]:
        s.close()


def _heard(secretariat: Secretariat, before: int | None) -> None:
    """Wait, a second at most, for the service to hear of a commit made since its store's stamp was ``before``
    (SQLite's at once; PostgreSQL's notification as soon as it comes)."""
    deadline = time.monotonic() + 1
    while secretariat.store.stamp() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert secretariat.store.stamp() != before, "a commit by another process was not heard of within a second"


def _agrees(secretariat: Secretariat) -> None:
    record = secretariat.store.events()
    for viewer in VIEWERS:
        seen = secretariat.seen(viewer)
        expected = visible(record, viewer)
        assert seen.events == expected, f"{viewer} sees other than clearance lets through"
        assert seen.tag == view_tag(expected)


def test_each_view_kept_up_to_date_equals_the_view_replayed_from_the_whole_record(store_url):
    """Entries written by another process: ordinary ones, a reclassification, a signature, an accession."""
    s = Secretariat.open(store_url, CONSORTIUM)
    other = open_store(store_url)
    _agrees(s)  # every viewer's view is made now, so each entry below updates, or rebuilds, a view held
    secret = Restricted(instrument="pact-2025")
    steps = [
        [OutsideEvent(id="o1", date="2025-01-01", category="x", title={"en": "o1"})],
        [OutsideEvent(id="o2", date="2025-01-02", category="x", title={"en": "o2"}, classification=secret)],
        [InstrumentSigned(id="pact", date="2025-02-01", instrument="pact-2025", form="protocol",
                          title={"en": "Pact"}, parties=("HAM", "TAR"), classification=secret)],
        [InstrumentAcceded(id="pact-rig", date="2025-03-01", instrument="pact-2025", party="RIG",
                           classification=secret)],
        [ClassificationAmended(id="open-o2", date="2025-04-01", target="o2", to="public")],
        [ClassificationAmended(id="close-o1", date="2025-04-02", target="o1", to=Restricted(parties=("VIL",)))],
        [OutsideEvent(id="o3", date="2025-05-01", category="x", title={"en": "o3"}, classification=secret)],
    ]
    for batch in steps:
        before = s.store.stamp()
        other.append(batch)
        _heard(s, before)
        _agrees(s)
    assert "o2" in [e.id for e in s.seen(PUBLIC).events] and "o1" not in [e.id for e in s.seen(PUBLIC).events]
    assert "o3" in [e.id for e in s.seen(Viewer("party", "RIG")).events]
    other.close()
    s.close()


def _verdicts(s: Secretariat, record) -> tuple[list, list]:
    at = "2026-12-31"
    return compliance(s.union, s.treaties, record, at), due(s.union, s.treaties, record, at)


def test_the_held_fold_is_carried_on_by_each_write_and_the_one_read_before_stays_whole(store_url):
    """A write folds only itself onto the viewer's held state, which then judges as the whole record replayed
    does; a reader still holding the state from before the write reads it as it was."""
    s = Secretariat.open(store_url, CONSORTIUM)
    steps = [
        QuestionRaised(id="budget-raised", date="2025-01-10", question="budget", instrument="agreement-2020",
                       subject="budget", title={"en": "The budget"}, actor="HAM"),
        PositionStated(id="budget-ham", date="2025-01-20", question="budget", party="HAM", stance="support"),
        PositionStated(id="data-policy-ham", date="2025-01-21", question="data-policy", party="HAM",
                       stance="support"),
        OutsideEvent(id="earlier", date="2024-06-01", category="x", title={"en": "dated before the rest"}),
    ]
    for entry in steps:
        held = s.seen(SECRETARIAT)
        before = _verdicts(s, held.folded)
        s.record(entry, SECRETARIAT)
        now = s.seen(SECRETARIAT)
        assert _verdicts(s, now.folded) == _verdicts(s, list(now.events)), entry.id
        assert _verdicts(s, held.folded) == before, entry.id  # the state read before the write is unchanged
        assert _verdicts(s, now.folded) != before or entry.id == "earlier", entry.id
    s.close()


def test_a_server_sees_what_another_process_recorded_at_its_next_read(store_url):
    a, b = Secretariat.open(store_url, CONSORTIUM), Secretariat.open(store_url, CONSORTIUM)
    before = a.seen(PUBLIC).tag
    b.record(OutsideEvent(id="news", date="2025-01-01", category="x", title={"en": "news"}), SECRETARIAT)
    assert a.seen(PUBLIC).events[-1].id == "news" and a.seen(PUBLIC).tag != before
    a.close()
    b.close()


def test_a_view_held_is_answered_without_reading_the_store_only_while_nothing_was_recorded(store_url):
    a, b = Secretariat.open(store_url, CONSORTIUM), Secretariat.open(store_url, CONSORTIUM)
    seen = a.seen(PUBLIC)
    assert a.held(PUBLIC) is seen
    before = a.store.stamp()
    b.record(OutsideEvent(id="news", date="2025-01-01", category="x", title={"en": "news"}), SECRETARIAT)
    _heard(a, before)  # on PostgreSQL, its notification
    assert a.held(PUBLIC) is None  # recorded by another: the tail must be read first
    assert a.seen(PUBLIC).events[-1].id == "news"
    a.record(OutsideEvent(id="more", date="2025-01-02", category="x", title={"en": "more"}), SECRETARIAT)
    # Recorded by itself: caught up before the write answered, so the next read finds the view held and current
    # (and takes no longer than after no write at all).
    assert a.held(PUBLIC) is a.seen(PUBLIC)
    assert a.seen(PUBLIC).events[-1].id == "more"
    a.close()
    b.close()


def test_a_write_answers_with_the_tag_the_writer_reads_next(store_url):
    s = Secretariat.open(store_url, CONSORTIUM)
    ham = Viewer.parse("HAM")
    done = s.record(PositionStated(id="p", date="2021-07-01", question="data-policy", party="HAM"), ham)
    assert done.tag == s.seen(ham).tag == view_tag(visible(s.store.events(), ham))
    s.close()


def test_a_restart_loads_the_snapshot_and_replays_only_the_tail(db_url):
    db = db_url("r")
    first = Secretariat.open(db, CONSORTIUM, snapshot_every=1)
    first.record(OutsideEvent(id="n1", date="2025-01-01", category="x", title={"en": "n1"}), SECRETARIAT)
    first.seen(PUBLIC)
    first.close()  # keeps a snapshot: the whole record, its position, and the versions it was made with
    store = open_store(db)
    kept = store.snapshot(snapshots.NAME)
    assert kept is not None and kept[0] == len(store.events())
    store.append([OutsideEvent(id="n2", date="2025-01-02", category="x", title={"en": "n2"})])
    store.close()

    again = Secretariat.open(db, CONSORTIUM)
    assert again.projections.position == kept[0]  # started from the snapshot, before reading the store
    assert again.projections.catch_up(again.store.read) == 1  # only the entry after it is decoded
    assert again.seen(SECRETARIAT).events == visible(again.store.events(), SECRETARIAT)
    again.close()


def test_the_service_holds_a_repeated_value_once_and_every_entry_as_it_was_stored(db_url):
    db = db_url("r")
    s = Secretariat.open(db, CONSORTIUM)
    s.store.append([OutsideEvent(id=f"n{i}", date="2025-01-01", category="x", title={"en": f"n{i}"})
                    for i in range(3)])
    held = [e for e in s.seen(SECRETARIAT).events if e.id in ("n0", "n1", "n2")]
    assert len({id(e.date) for e in held}) == 1 and len({id(e.recorded) for e in held}) == 1
    assert [msgspec.json.encode(e) for e in s.seen(SECRETARIAT).events] == [r.body for r in s.store.rows_after(0)]
    s.close()


def test_a_snapshot_is_kept_when_the_unions_files_are_edited_as_they_change_no_entry(db_url, tmp_path):
    union = tmp_path / "consortium"
    shutil.copytree(CONSORTIUM, union)
    db = db_url("r")
    Secretariat.open(db, union, snapshot_every=1).close()
    position = open_store(db).snapshot(snapshots.NAME)[0]
    text = (union / "union.yaml").read_text(encoding="utf-8")
    (union / "union.yaml").write_text("# edited\n" + text.replace("Baltic Sea Archives Consortium",
                                                                   "Baltic Archives Consortium"), encoding="utf-8")
    again = Secretariat.open(db, union)
    assert again.union.name["en"] == "Baltic Archives Consortium"
    assert again.projections.position == position  # from the snapshot: nothing read again from the store
    assert again.projections.catch_up(again.store.read) == 0
    again.close()


def test_a_snapshot_of_another_version_is_discarded(db_url):
    db = db_url("r")
    Secretariat.open(db, CONSORTIUM, snapshot_every=1).close()
    store = open_store(db)
    position, versions, body = store.snapshot(snapshots.NAME)
    store.keep_snapshot(snapshots.NAME, position, versions.replace("code ", "code 0"), body)
    store.close()
    again = Secretariat.open(db, CONSORTIUM)
    assert again.projections.position == 0  # the snapshot was not trusted: the record is read from the store
    assert again.projections.catch_up(again.store.read) == len(again.store.events())
    again.close()


def test_a_view_asked_for_again_outlives_the_many_asked_for_once(store_url):
    """A view holds so many computed views; the one let go when another is made is the one asked for least lately,
    so a view every read builds on (the search's index) is not made again after many different reads."""
    s = Secretariat.open(store_url)
    seen = s.seen(PUBLIC)
    made: list[object] = []

    def compute(key: object) -> object:
        made.append(key)
        return key

    seen.view("index", lambda: compute("index"))
    for n in range(3 * projections._CACHED_VIEWS):
        seen.view(("search", n), lambda n=n: compute(n))
        assert seen.view("index", lambda: compute("index")) == "index"
    assert made.count("index") == 1
    assert seen.kept(("search", 0)) is None  # asked for once, long ago: let go
    s.close()


def test_a_snapshot_kept_before_the_entries_were_stored_once_is_discarded_then_kept_again(db_url):
    """A store whose snapshot an earlier version kept (the MessagePack array of the entries, stamped with that
    version's code) starts: the snapshot is not read, the record is read from the store, and the snapshot is
    kept again in the form this version reads."""
    db = db_url("r")
    Secretariat.open(db, CONSORTIUM, snapshot_every=1).close()
    store = open_store(db)
    position, versions, _ = store.snapshot(snapshots.NAME)
    record = store.events()
    store.keep_snapshot(snapshots.NAME, position, versions.replace("code ", "code 0"), msgspec.msgpack.encode(record))
    store.close()
    again = Secretariat.open(db, CONSORTIUM, snapshot_every=1)
    assert again.projections.position == 0 and again.projections.catch_up(again.store.read) == len(record)
    assert again.seen(SECRETARIAT).events == visible(record, SECRETARIAT)
    again.close()  # keeps the snapshot again
    third = Secretariat.open(db, CONSORTIUM)
    assert third.projections.position == position and third.projections.record == record
    assert third.projections.catch_up(third.store.read) == 0  # from the snapshot: nothing read from the store
    third.close()
