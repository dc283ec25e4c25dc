"""What a server holds: the record read back from its snapshot as it was kept, each repeated string held once,
and of the ledger's entries only what cannot be read from the store."""

from __future__ import annotations

import gc
import tracemalloc

import msgspec

from entente.ledger.logs import Ledger
from entente.secretariat import stored_once
from entente.secretariat.service import Secretariat
from entente.secretariat.sharing import share
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import AnyEvent, Event, OutsideEvent
from entente.vocabulary.stored import AnyStored

_decoder: msgspec.msgpack.Decoder[list[Event]] = msgspec.msgpack.Decoder(list[AnyStored])


def _many(n: int, first: int = 0) -> list[OutsideEvent]:
    return [OutsideEvent(id=f"e{i}", date=f"2001-01-{i % 28 + 1:02d}", category="test", title={"en": f"event {i}"})
            for i in range(first, first + n)]


def _kept(events: list[Event]) -> list[Event]:
    return stored_once.decoded(b"".join(stored_once.encoded(events)))


def test_a_snapshot_reads_back_as_the_record_it_keeps_across_chunks_each_repeated_value_held_once(
        store_url, monkeypatch):
    monkeypatch.setattr(stored_once, "CHUNK", 64)  # so that the entries cross the bounds of several chunks
    s = Secretariat.open(store_url, DEFAULT_UNION)
    record = [*s.store.events(), *_many(150)]  # every kind of the union's record, then many of one kind
    s.close()
    read = _kept(record)
    assert read == record and [msgspec.json.encode(e) for e in read] == [msgspec.json.encode(e) for e in record]
    assert [type(e) for e in read] == [type(_decoder.decode(msgspec.msgpack.encode([e]))[0]) for e in record]
    assert len({type(e) for e in read}) > 10
    dates: dict[str, int] = {}
    empties, classifications = set(), {}
    for e in read:
        dates.setdefault(e.date, id(e.date))
        assert id(e.date) == dates[e.date]  # one string for each day, whichever chunk holds the entry
        empties |= {id(v) for v in msgspec.structs.asdict(e).values() if isinstance(v, dict) and not v}
        if isinstance(e.classification, msgspec.Struct):
            assert id(classifications.setdefault(e.classification, e.classification)) == id(e.classification)
    assert read[-1].category is read[-150].category and len(dates) < len(read) and len(empties) == 1
    assert classifications  # the union's record holds entries classified narrower than public
    assert _kept([]) == []


def test_an_entry_read_later_holds_the_strings_the_snapshot_read_back():
    read = _kept(_many(3))
    later = _decoder.decode(msgspec.msgpack.encode(_many(1)))
    share(later)
    assert later[0].category is read[0].category and later[0].date is read[0].date


def _resumed_holds(s: Secretariat, store_url: str) -> int:
    """The bytes a ledger resumed from the state kept in the store holds, once it has hashed the kept entries again
    (as ``tracemalloc`` counts what Python allocates)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        ledger = Ledger.open(store_url, s.union)
        ledger.catch_up(s.store)
        ledger.settle()
        assert ledger.checked == 0 and not ledger.breaks  # resumed, every kept entry as it was
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    ledger.stop()
    return held


def test_a_restarted_ledger_holds_neither_the_ids_nor_the_leaf_hashes_of_the_entries_it_resumed(store_url):
    """What a restart adds for each entry kept before it, beyond what it holds whatever the record's size: the ids
    and the leaf hashes are the store's, read when asked for; the logs hold their indices packed."""
    s = Secretariat.open(store_url, DEFAULT_UNION)
    sizes, held = [], []
    for first, more in ((0, 1000), (1000, 4000)):
        s.store.append(_many(more, first))
        Ledger.open(store_url, s.union).catch_up(s.store)  # a first start: every entry checked, the state kept
        sizes.append(s.store.position())
        held.append(_resumed_holds(s, store_url))
    s.close()
    assert (held[1] - held[0]) / (sizes[1] - sizes[0]) < 8  # holding the ids alone would take 8 bytes an entry


def test_sharing_a_whole_record_changes_no_value_and_holds_each_repeated_string_and_empty_text_once(store_url):
    s = Secretariat.open(store_url, DEFAULT_UNION)
    body = msgspec.msgpack.encode(s.store.events())
    s.close()
    plain, shared = _decoder.decode(body), _decoder.decode(body)
    share(shared)
    assert shared == plain and [msgspec.json.encode(e) for e in shared] == [msgspec.json.encode(e) for e in plain]
    dates: dict[str, int] = {}
    empties: set[int] = set()
    for e in shared:  # every kind of the record, each with its own fields
        dates.setdefault(e.date, id(e.date))
        assert id(e.date) == dates[e.date] and id(e.recorded) == id(shared[0].recorded)
        empties |= {id(v) for v in msgspec.structs.asdict(e).values() if isinstance(v, dict) and not v}
    assert len({type(e) for e in shared}) > 10 and len(dates) < len(shared) and len(empties) == 1


def test_an_entry_read_from_the_store_is_out_of_the_collectors_sight_and_equals_the_entry_written(store_url):
    """A server holds the whole record: the cyclic collector tracking each entry (and each structure in it) would
    cost every entry the collector's header, and every full collection a walk over the record.  Entries hold no
    cycle (strings, numbers, tuples, frozen structures and texts never written to), so none is tracked."""
    s = Secretariat.open(store_url, DEFAULT_UNION)
    try:
        rows = s.store.rows_after(0)
        read = [e for _, e in s.store.read(0)]
    finally:
        s.close()
    assert len(read) == len(rows) > 50 and len({type(e) for e in read}) > 10
    for row, entry in zip(rows, read, strict=True):
        assert entry == msgspec.json.decode(row.body, type=AnyEvent)  # as written, checked against the vocabulary
        inner = [v for v in msgspec.structs.astuple(entry) if isinstance(v, msgspec.Struct)]
        inner += [i for v in msgspec.structs.astuple(entry) if isinstance(v, tuple) for i in v
                  if isinstance(i, msgspec.Struct)]
        assert not gc.is_tracked(entry) and not any(gc.is_tracked(v) for v in inner), entry.id
