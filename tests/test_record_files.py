"""Record files: bad input is refused whole, with an error naming file, line, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from entente.vocabulary.definition import load_union, read_events
from entente.vocabulary.yamlfile import FileError

from .conftest import CONSORTIUM, refusing_consortium

GOOD = """\
events:
  - kind: outside_event
    id: first
    date: "2021-02-03"
    category: test
    title: {en: A good entry}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "more.yaml"
    path.write_text(GOOD + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "line", "field", "problem"),
    [
        ("  - {kind: outside_event, id: x, date: '2021-13-45', category: t, title: {en: t}}\n",
         7, "date", "not an EDTF date"),
        ("  - kind: conference_held\n    id: bad-host\n    date: '2021-05-01'\n    host: ZZ\n",
         10, "host", "unknown party 'ZZ'"),
        ("  - kind: position_stated\n    id: no-question\n    date: '2021-05-01'\n    party: TAR\n",
         7, "question", "required, and missing"),
        ("  - kind: assistance_responded\n    id: odd\n    date: '2021-05-01'\n    request: r\n"
         "    party: TAR\n    response: maybe\n", 12, "response",
         "'maybe' is not one of the values it takes: given, refused"),
        ("  - kind: outside_event\n    id: first\n    date: '2021-05-01'\n    category: t\n    title: {en: t}\n",
         8, "id", "used by an earlier entry"),
        ("  - {kind: treaty_burned, id: t, date: '2021-01-01'}\n", 7, "kind",
         "'treaty_burned' is not one of the values it takes: conference_convened, "),
        ("  - kind: conference_held\n    id: p\n    date: '2021-05-01'\n    participants:\n"
         "      - {party: TAR}\n      - {party: XX, role: member}\n", 12, "participants[1].party", "unknown party"),
    ],
)
def test_a_bad_entry_is_named_by_file_line_entry_and_field(tmp_path, consortium, entry, line, field, problem):
    path = _write(tmp_path, entry)
    with pytest.raises(FileError) as caught:
        read_events(path, consortium)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), line, field)
    assert problem in error.problem
    assert str(path) in str(error) and f"line {line}" in str(error)


def test_broken_yaml_is_located(tmp_path, consortium):
    path = _write(tmp_path, "  - {kind: outside_event, id: [unclosed\n")
    with pytest.raises(FileError, match=r"more.yaml, line \d+: not valid YAML"):
        read_events(path, consortium)


def test_a_file_with_one_bad_entry_records_nothing(tmp_path, open_secretariat):
    secretariat = open_secretariat(CONSORTIUM)
    before = secretariat.store.events()
    path = _write(tmp_path, "  - {kind: outside_event, id: second, date: 'soon', category: t, title: {en: t}}\n")
    with pytest.raises(FileError):
        secretariat.load_file(path)
    assert secretariat.store.events() == before
    assert secretariat.store.get("first") is None


def test_a_union_file_with_a_bad_party_is_located(tmp_path):
    folder = tmp_path / "u"
    shutil.copytree(CONSORTIUM, folder)
    text = (folder / "union.yaml").read_text().replace("{code: RIG,", "{code: rig,")
    (folder / "union.yaml").write_text(text)
    with pytest.raises(FileError) as caught:
        load_union(folder)
    assert caught.value.field == "parties[2].code" and caught.value.line == 9


def test_a_file_is_checked_against_the_record_and_the_treaty_as_writes_are(tmp_path, open_secretariat):
    folder = tmp_path / "consortium"
    shutil.copytree(CONSORTIUM, folder)
    secretariat = open_secretariat(folder)
    before = secretariat.store.events()
    path = tmp_path / "more.yaml"
    path.write_text(GOOD + "  - kind: position_stated\n    id: late\n    date: '2024-06-01'\n"
                           "    question: data-policy\n    party: GDA\n", encoding="utf-8")
    with pytest.raises(FileError) as caught:
        secretariat.load_file(path)
    assert (caught.value.line, caught.value.entry, caught.value.field) == (11, "late", "party")
    assert "GDA is not bound by agreement-2020 on 2024-06-01" in caught.value.problem
    assert secretariat.store.events() == before


def test_the_bundled_baltic_record_passes_every_check_a_write_would(tmp_path):
    """Entry by entry, in the order the file records them, the transcription is consistent with the treaties."""
    from entente.rules import read_treaties
    from entente.secretariat.admission import admit
    from entente.vocabulary.definition import DEFAULT_UNION, bundled_record

    union, treaties = load_union(DEFAULT_UNION), read_treaties(DEFAULT_UNION)
    earlier: list = []
    for event in bundled_record(union):
        problems = admit(union, treaties, earlier, event).problems
        assert problems == [], (event.id, problems)
        earlier.append(event)


def test_a_file_whose_entries_break_a_refusing_rule_together_is_refused_at_the_entry_in_breach(tmp_path,
                                                                                               open_secretariat):
    """Two conferences, each in turn alone, hosted by the same party running: refused where the rule says
    so, naming the second entry's line and the rule, and nothing of the file recorded."""
    secretariat = open_secretariat(refusing_consortium(tmp_path))
    before = secretariat.store.events()
    path = tmp_path / "more.yaml"
    held = "{kind: conference_held, id: ham-%d, date: '2024-0%d-01', instrument: agreement-2020, host: HAM}"
    path.write_text(f"events:\n  - {held % (1, 5)}\n  - {held % (2, 9)}\n", encoding="utf-8")
    with pytest.raises(FileError) as caught:
        secretariat.load_file(path)
    assert (caught.value.line, caught.value.entry) == (3, "ham-2")
    assert "host_rotation" in caught.value.problem
    assert secretariat.store.events() == before
