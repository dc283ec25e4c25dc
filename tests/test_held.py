"""What a server holds: the record decoded a chunk at a time as it is decoded whole, and each id held once."""

from __future__ import annotations

import msgspec

from entente.ledger.logs import Ledger
from entente.record import chunks, open_store
from entente.secretariat.service import Secretariat
from entente.secretariat.sharing import share
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import Event, OutsideEvent
from entente.vocabulary.stored import AnyStored

_decoder: msgspec.msgpack.Decoder[list[Event]] = msgspec.msgpack.Decoder(list[AnyStored])


def _many(n: int) -> list[OutsideEvent]:
    return [OutsideEvent(id=f"e{i}", date=f"2001-01-{i % 28 + 1:02d}", category="test", title={"en": f"event {i}"})
            for i in range(n)]


def test_a_record_decoded_a_chunk_at_a_time_is_the_record_decoded_whole():
    events = _many(2 * chunks.CHUNK + 3)  # two whole chunks and part of a third
    body = msgspec.msgpack.encode(events)
    seen: list[int] = []
    decoded = chunks.decoded(body, _decoder, lambda part: seen.append(len(part)))
    assert decoded == _decoder.decode(body) == events
    assert seen == [chunks.CHUNK, chunks.CHUNK, 3]


def test_chunks_shared_as_decoded_hold_one_string_for_equal_values():
    events = _many(chunks.CHUNK + 1)
    decoded = chunks.decoded(msgspec.msgpack.encode(events), _decoder, share)
    assert decoded[0].category is decoded[-1].category  # "test", once for every entry, across chunks
    assert chunks.decoded(msgspec.msgpack.encode([]), _decoder, share) == []


def test_the_ledger_holds_the_ids_the_record_holds(store_url):
    s = Secretariat.open(store_url, DEFAULT_UNION)
    ledger = Ledger.open(store_url, s.union)
    ledger.catch_up(s.store)
    reading = open_store(store_url)
    record = [e for _, e in reading.read(0)]
    reading.close()
    assert ledger.ids == [e.id for e in record] and ledger.ids[0] is not record[0].id
    ledger.held_as(record[:-1])  # a record shorter than what the ledger checked: the ids it has in common
    assert all(a is e.id for a, e in zip(ledger.ids, record[:-1], strict=False))
    assert ledger.ids == [e.id for e in record]
    other = [msgspec.structs.replace(e, id=e.id + "x") for e in record]
    ledger.held_as(other)  # names other entries: nothing is shared with it, nothing changes
    assert ledger.ids == [e.id for e in record]
    ledger.stop()
    s.close()


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
