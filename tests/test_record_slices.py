"""A record file read a slice at a time gives the entries, and the lines errors name, that reading it whole
gives; a file that cannot be cut into slices is read whole, with the same result."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from entente import forked
from entente.vocabulary import entries as sliced
from entente.vocabulary.definition import load_union, read_events
from entente.vocabulary.entries import Slice, entries
from entente.vocabulary.events import KINDS
from entente.vocabulary.yamlfile import FileError, Located

from .conftest import TESTS
from .test_ahead import children

RECORDS = sorted([*(TESTS.parent / "src" / "entente" / "unions").glob("*/record.yaml"),
                  *(TESTS / "unions").glob("*/record.yaml")])


@pytest.fixture(params=["here", "ahead", "in blocks of a few bytes"])
def reader(request, monkeypatch):
    """Every test read here, by a reader process (which a file of a megabyte or more gets), and cut from blocks
    so small that lines, entries and characters run over from one to the next."""
    monkeypatch.setattr(sliced, "AHEAD_FROM", 0 if request.param == "ahead" else 1 << 62)
    monkeypatch.setattr(forked, "possible", lambda: True)  # beside another test's threads too
    if request.param == "in blocks of a few bytes":
        monkeypatch.setattr(sliced, "BLOCK", 5)
    return request.param


def whole(path: Path) -> tuple[list[object], Located]:
    located = Located(path)
    return located.data["events"], located


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.parent.name)
def test_every_union_record_reads_the_same_in_slices(path, monkeypatch, reader):
    monkeypatch.setattr(sliced, "SLICE", 3)  # many slices, even in a short file
    expected, located = whole(path)
    found = list(entries(path))
    assert [item for _, item, _ in found] == expected
    assert all(isinstance(where, Slice) for _, _, where in found)  # cut into slices, not read whole
    for index, item, where in found:
        for key in ("id", "date", *item):
            assert where.line_of("events", index, key) == located.line_of("events", index, key), (index, key)


@pytest.mark.parametrize("text", [
    "events: [{kind: note, id: a}, {kind: note, id: b}]\n",  # a flow-style list
    "events:\n- &one {kind: note, id: a}\n- *one\n",  # an alias of another entry
    'events:\n  - kind: note\n    id: a\n    title: "runs on\n  - to the next line"\n  - kind: note\n    id: b\n',
    "events:\n- kind: note\n  id: a\nother: 1\n",  # another key after the list
    "# a comment\nunion: x\nevents:\n- kind: note\n  id: a\n",  # another key before it
    "events:\n- kind: note\n  id: a\n---\nevents: []\n",  # a second document
    "events:\n- kind: note\n  id: !!str 12\n  n: !!int '7'\n",  # tags
    "events:\n- &base {kind: note}\n- <<: *base\n  id: b\n",  # a merge key
    "events:\n- kind: note\n  id: a\n  ? [x]\n  : y\n",  # a list as a key
    "events:\n- {kind: note, id: a, n: 12, f: 1.5, z: null, t: true, o: on, d: 1934-09-12}\n",  # plain values
])
def test_a_file_written_otherwise_reads_as_read_whole(tmp_path, monkeypatch, text, reader):
    monkeypatch.setattr(sliced, "SLICE", 1)
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        expected = whole(path)[0]
    except FileError as exc:
        with pytest.raises(FileError) as found:
            list(entries(path))
        assert str(found.value) == str(exc)
        return
    assert [item for _, item, _ in entries(path)] == expected


def test_a_bad_byte_or_yaml_deep_in_a_file_names_its_line(tmp_path, reader):
    path = tmp_path / "record.yaml"
    body = "".join(f"- kind: note\n  id: n{i}\n" for i in range(1000))
    path.write_bytes(b"events:\n" + body.encode() + b"- kind: note\n  id: \xff\n")
    with pytest.raises(FileError, match=r"line 2003: is not UTF-8 text \(byte 0xff\)"):
        list(entries(path))
    path.write_text("events:\n" + body + "- kind: note\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FileError, match=r"line 2004.*not valid YAML"):
        list(entries(path))


def test_a_file_cut_into_slices_until_one_that_cannot_be_reads_as_read_whole(tmp_path, monkeypatch, reader):
    monkeypatch.setattr(sliced, "SLICE", 2)
    path = tmp_path / "record.yaml"
    body = "".join(f"- kind: note\n  id: n{i}\n" for i in range(50))
    path.write_text(f"events:\n{body}- &one {{kind: note, id: a}}\n- *one\n{body}", encoding="utf-8")
    assert [item for _, item, _ in entries(path)] == whole(path)[0]


def test_a_reader_stopped_part_way_by_a_refusal_is_ended_with_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sliced, "AHEAD_FROM", 0)
    monkeypatch.setattr(forked, "possible", lambda: True)
    before = children()
    path = tmp_path / "record.yaml"
    path.write_text("events:\n" + "".join(f"- kind: note\n  id: n{i}\n" for i in range(5000)), encoding="utf-8")
    read = entries(path)
    assert next(read)[1] == {"kind": "note", "id": "n0"}
    read.close()  # as a refusal of the first entry ends the reading
    assert children() <= before  # the reader process ended and waited for: none is left


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.parent.name)
def test_every_union_record_reads_as_the_same_events_in_slices(path, monkeypatch, reader):
    monkeypatch.setattr(sliced, "SLICE", 3)
    union = load_union(path.parent)
    expected = [msgspec.convert(item, KINDS[item["kind"]]) for item in whole(path)[0]]
    assert read_events(path, union) == expected


def test_an_entry_that_is_no_event_deep_in_a_file_names_its_line_and_field(tmp_path, monkeypatch, reader):
    monkeypatch.setattr(sliced, "SLICE", 3)
    union = load_union(TESTS / "unions" / "little_entente")
    path = tmp_path / "record.yaml"
    entry = ("- kind: outside_event\n  id: e{0}\n  date: '1934-09-{1:02d}'\n  category: league_assembly\n"
             "  title: {2}\n  source: {{document: history, lang: en}}\n")
    entries_ = [entry.format(i, i + 1, "{en: a session}") for i in range(20)]
    entries_[13] = entry.format(13, 14, "[not, a, title]")
    path.write_text("events:\n" + "".join(entries_), encoding="utf-8")
    with pytest.raises(FileError) as found:
        read_events(path, union)
    assert (found.value.line, found.value.entry, found.value.field) == (1 + 13 * 6 + 5, "e13", "title")
