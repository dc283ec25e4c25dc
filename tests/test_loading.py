"""Loading many entries at once: each entry checked as a write is, a bad one refused wherever it stands."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from types import SimpleNamespace

import msgspec
import pytest
import yaml

from entente import forked
from entente.record import store
from entente.record.store import content
from entente.secretariat import snapshots
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Refused
from entente.vocabulary import entries as sliced
from entente.vocabulary.events import OutsideEvent, PositionStated, QuestionRaised, Restricted
from entente.vocabulary.yamlfile import FileError, Located, field_path

from .conftest import CONSORTIUM

MANY = 3000


def _notes(count: int, prefix: str = "note") -> list:
    """Ordinary entries, each of which passes every check."""
    return [OutsideEvent(id=f"{prefix}-{i}", date=f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", category="test",
                         title={"en": f"Note {i}"}) for i in range(count)]


def _batch(bad) -> list:
    notes = _notes(MANY)
    return [*notes[:MANY // 2], bad, *notes[MANY // 2:]]


BAD = [
        (OutsideEvent(id="bell", date="2021-05-01", category="test", title={"en": "a \x07 bell"}),
         "title.en", "holds the control character U+0007, which no entry may hold"),
        (OutsideEvent(id="c1", date="2021-05-01", category="test", title={"en": "a \x85 next line"}),
         "title.en", "holds the control character U+0085, which no entry may hold"),
        (OutsideEvent(id="long", date="2021-05-01", category="test", title={"en": "x" * 20_001}),
         "title.en", "is 20,001 characters long; a field holds at most 20,000"),
        (OutsideEvent(id="Not An Id", date="2021-05-01", category="test", title={"en": "t"}),
         "id", "Expected `str` matching regex '^[a-z0-9][a-z0-9.-]*$'"),
        (OutsideEvent(id="bad-party", date="2021-05-01", category="test", title={"en": "t"},
                      parties=("tar",)),  # type: ignore[arg-type]
         "parties[0]", "Expected `str` matching regex '^[A-Z][A-Z0-9-]{1,15}$'"),
        (OutsideEvent(id="unknown-party", date="2021-05-01", category="test", title={"en": "t"}, parties=("ZZ",)),
         "parties[0]", "unknown party 'ZZ'"),
        (OutsideEvent(id="note-7", date="2021-05-01", category="test", title={"en": "again"}),
         "id", "the id 'note-7' is used by an earlier entry"),
        (PositionStated(id="no-question", date="2021-05-01", question="nothing-asked", party="TAR"),
         "question", "no question 'nothing-asked' has been raised"),
        (OutsideEvent(id="undated", date="2021-13-45", category="test", title={"en": "t"}),
         "date", '"2021-13-45" is not an EDTF date'),
    ]


@pytest.mark.parametrize(("bad", "field", "message"), BAD)
def test_a_bad_entry_in_the_middle_of_a_large_batch_is_refused_and_nothing_is_recorded(open_secretariat, bad,
                                                                                          field, message):
    s = open_secretariat(CONSORTIUM)
    before = s.store.position()
    with pytest.raises(Refused) as refused:
        s.load_events(_batch(bad))
    problem = refused.value.problems[0]
    assert (problem.entry, problem.field) == (bad.id, field)
    assert problem.message.startswith(message)
    assert s.store.position() == before
    assert s.store.get("note-0") is None and s.store.get(f"note-{MANY - 1}") is None


def test_each_entry_of_a_large_batch_refused_alone_is_refused_with_the_message_it_gets_in_the_batch(open_secretariat):
    """An entry's checks do not depend on the entries around it unless it refers to them."""
    bad = OutsideEvent(id="text-key", date="2021-05-01", category="test", title={1: "a key that is no text"})  # type: ignore[dict-item]
    s = open_secretariat(CONSORTIUM)
    with pytest.raises(Refused) as alone:
        s.load_events([bad])
    with pytest.raises(Refused) as among:
        s.load_events(_batch(bad))
    assert alone.value.problems == among.value.problems
    assert s.store.get("note-0") is None


def test_a_large_batch_of_good_entries_is_recorded_whole_and_read_back_as_given(open_secretariat):
    s = open_secretariat(CONSORTIUM)
    before = s.store.position()
    question = QuestionRaised(id="q", date="2021-01-05", question="q", subject="the budget", title={"en": "Budget?"},
                              classification=Restricted(parties=("TAR", "HAM")))
    # A list where the vocabulary has a tuple is an entry as it always was: checked field by field, recorded.
    listed = OutsideEvent(id="listed", date="2021-01-06", category="test", title={"en": "t"},
                          parties=["TAR", "HAM"])  # type: ignore[arg-type]
    batch = [*_notes(MANY), question, listed]
    added = s.load_events(batch)
    assert len(added) == len(batch) and s.store.position() == before + len(batch)
    stored = {e.id: e for e in s.store.events()}
    assert all(content(stored[e.id]) == content(e) for e in batch)
    # What the service holds is what is stored, as a service opened afresh reads it.
    again = open_secretariat(CONSORTIUM)
    assert s.events_for(Viewer.parse("HAM")) == again.events_for(Viewer.parse("HAM"))
    assert any(e.id == "q" for e in s.events_for(Viewer.parse("TAR")))
    assert not any(e.id == "q" for e in s.events_for(Viewer.parse("public")))


@pytest.mark.parametrize(("bad", "field", "message"), BAD)
def test_a_bad_entry_deep_in_a_file_read_by_a_reader_process_is_refused_at_its_line(tmp_path, monkeypatch,
                                                                                   open_secretariat, bad, field,
                                                                                   message):
    """A file read by a reader process (each entry made there, checked here): a bad entry deep in it is refused
    naming the file's line, the entry and the field, as a file read in this process is, and nothing is recorded."""
    monkeypatch.setattr(sliced, "AHEAD_FROM", 0)
    monkeypatch.setattr(forked, "possible", lambda: True)
    path = tmp_path / "more.yaml"
    path.write_text("events:\n" + yaml.dump([msgspec.to_builtins(e) for e in _batch(bad)], Dumper=yaml.CSafeDumper,
                                            sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    s = open_secretariat(CONSORTIUM)
    before = s.store.position()
    with pytest.raises(FileError) as refused:
        s.load_file(path)
    assert (refused.value.entry, refused.value.field) == (bad.id, field)
    # A value not of its field's form is said in the file reader's words.
    assert refused.value.problem.startswith("not in the expected form" if message.startswith("Expected") else message)
    assert refused.value.line == Located(path).line_of("events", MANY // 2, *field_path(field))
    assert s.store.position() == before


def test_a_long_record_file_with_a_bad_entry_in_the_middle_is_refused_at_its_line(tmp_path, open_secretariat):
    entries = [msgspec.to_builtins(e) for e in _notes(MANY)]
    entries[MANY // 2]["title"] = {"en": "a \x07 bell"}
    path = tmp_path / "more.yaml"
    path.write_text(yaml.safe_dump({"events": entries}, sort_keys=False), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "bell" in text)
    s = open_secretariat(CONSORTIUM)
    before = s.store.position()
    with pytest.raises(FileError) as refused:
        s.load_file(Path(path))
    assert (refused.value.entry, refused.value.field) == (f"note-{MANY // 2}", "title.en")
    assert refused.value.problem == "holds the control character U+0007, which no entry may hold"
    assert refused.value.line == line
    assert s.store.position() == before


def test_a_record_file_is_recorded_as_its_entries_loaded_in_the_process_are(tmp_path, monkeypatch, open_secretariat):
    """The same rows, salts, hashes and snapshot, byte for byte, whether a file is read (in slices, by a reader
    process) and its rows written a batch at a time, or its entries are given: given the same time and salts."""
    monkeypatch.setattr(sliced, "AHEAD_FROM", 0)  # a reader process, as for a long file
    monkeypatch.setattr(sliced, "SLICE", 7)
    monkeypatch.setattr(store, "ROWS_WRITTEN", 11)  # the file's rows written a batch at a time, many batches
    monkeypatch.setattr(forked, "possible", lambda: True)
    question = QuestionRaised(id="q", date="2021-01-05", question="q", subject="the budget", title={"en": "Budget?"},
                              classification=Restricted(parties=("TAR", "HAM")))
    batch = [*_notes(500), question, PositionStated(id="p", date="2021-01-06", question="q", party="TAR",
                                                   classification=Restricted(parties=("TAR", "HAM")))]
    path = tmp_path / "record.yaml"
    path.write_text(yaml.safe_dump({"events": msgspec.to_builtins(batch)}, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(store, "datetime", _Stopped)
    kept = []
    for name, load in (("from-file", lambda s: s.load_file(path)), ("given", lambda s: s.load_events(batch))):
        salts = iter(range(1, 10_000))  # the salts the append makes, the same in both
        monkeypatch.setattr(store, "os", SimpleNamespace(urandom=lambda n, salts=salts: next(salts).to_bytes(n, "big")))
        s = open_secretariat(CONSORTIUM, name)
        s.snapshot_every = 1
        load(s)
        kept.append((s.store.rows_after(0), s.store.salting(0), s.store.snapshot(snapshots.NAME)))
    assert kept[0] == kept[1] and len(kept[0][0]) >= len(batch) and kept[0][2] is not None


class _Stopped(datetime):
    """A clock that always says the same time."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Stopped:
        return cls(2026, 1, 2, 3, 4, 5, 6, tzinfo=tz)
