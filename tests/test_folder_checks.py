"""A union folder's files are checked as strictly as a write through the API: each refusal one line naming the
file, the line, the entry and the field, the same from record.yaml and from `entente load`, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import SETTINGS, read_treaties
from entente.secretariat.loading import checked_record
from entente.vocabulary.definition import load_union
from entente.vocabulary.events import KINDS, PositionStated
from entente.vocabulary.formats import FORMAT
from entente.vocabulary.yamlfile import FileError

from .conftest import CONSORTIUM

FILE_ERROR = 3
CHANGE = {"kind": "rule_changed", "date": "2023-01-01", "instrument": "agreement-2020"}
PARTIES = "FUND, GDA, HAM, RIG, TAR, VIL"

# Entries the consortium's record does not allow: (the entry, the field named, the refusal).
REFUSED = [
    ({"kind": "position_stated", "id": "fund-position", "date": "2021-10-01", "question": "data-policy",
      "party": "FUND"}, "party",
     "FUND is not bound by agreement-2020 on 2021-10-01, so it has no position to state on 'data-policy'"),
    ({"kind": "position_stated", "id": "early", "date": "2021-01-01", "question": "data-policy", "party": "HAM"},
     "date", "2021-01-01 is before data-policy-raised (2021-06-09), which it answers"),
    ({"kind": "withdrawal_notified", "id": "fund-notice", "date": "2023-01-01", "instrument": "agreement-2020",
      "party": "FUND"}, "party", "FUND never signed nor acceded to agreement-2020, so it has nothing to withdraw from"),
    ({"kind": "instrument_ratified", "id": "early-ratification", "date": "2019-12-01",
      "instrument": "agreement-2020", "party": "HAM"}, "date",
     "2019-12-01 is before agreement-2020 was signed (2020-01-15)"),
    ({"kind": "instrument_acceded", "id": "ham-accedes", "date": "2023-01-01", "instrument": "agreement-2020",
      "party": "HAM"}, "party",
     "HAM has signed or acceded to agreement-2020 already: a party accedes only to an instrument it is not party to"),
    ({"kind": "proposal_decided", "id": "archive-move-again", "date": "2022-04-01", "proposal": "archive-move",
      "outcome": "accepted"}, "proposal",
     "proposal 'archive-move' is decided already, by archive-move-decided: correct that entry instead"),
    ({**CHANGE, "id": "no-rule", "rule": "no-such-rule", "settings": {"minimum": 2}}, "rule",
     "agreement-2020 has no rule 'no-such-rule'; its rules are assembly-yearly, assembly-rotation, "
     "assembly-decisions, common-questions (name rule_kind and article to add one)"),
    ({**CHANGE, "id": "no-setting", "rule": "assembly-yearly", "settings": {"minimun": 2}}, "settings.minimun",
     "'minimun' is not a field here; the fields are: "
     + ", ".join(f.encode_name for f in msgspec.structs.fields(SETTINGS["periodic_meetings"]))),
    ({**CHANGE, "id": "thirteenth-month", "rule": "assembly-yearly", "settings": {"months": [9, 13]}}, "settings",
     "months are 1 (January) to 12 (December), not 13"),
    ({**CHANGE, "id": "no-motion", "rule": "assembly-decisions", "settings": {"motions": ["consent", "dance"]}},
     "settings.motions[1]", "'dance' is not one of the values it takes: convene_conference, strike_point, "
     "change_rule, consent, elect_president, other"),
    ({**CHANGE, "id": "no-party", "rule": "assembly-rotation", "settings": {"order": ["HAM", "OXF"]}},
     "settings.order[1]", f"unknown party 'OXF': the parties of baltic-sea-archives are {PARTIES}"),
    ({"kind": "position_stated", "id": "misspelt", "date": "2021-10-01", "question": "data-policy", "party": "HAM",
      "stanse": "support"}, "stanse", "'stanse' is not a field here; the fields are: "
     + ", ".join(f.encode_name for f in msgspec.structs.fields(PositionStated))),
    ({"kind": "proposal_decided", "id": "odd-vote", "date": "2022-04-01", "proposal": "archive-move",
      "outcome": "accepted", "votes": {"HAM": "perhaps"}}, "votes",
     "'perhaps' is not one of the values it takes: yes, no, abstain"),
    ({"kind": "duty_done", "id": "fund-pays", "date": "2021-03-01", "instrument": "agreement-2020", "party": "FUND",
      "duty": "contribution"}, "party", "FUND is not bound by agreement-2020 on 2021-03-01"),
    ({"kind": "duty_done", "id": "ham-pays", "date": "2021-03-01", "instrument": "agreement-2020", "party": "HAM",
      "duty": "contribution"}, "duty", "agreement-2020 has no duty 'contribution': no duties rule of it names one"),
]
IDS = [entry["id"] for entry, _, _ in REFUSED]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / f"union-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(CONSORTIUM, folder)
    return folder


def _append(path: Path, *entries: dict) -> None:
    """Entries added at the end of a record file, in flow style (JSON is YAML)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "".join(f"\n  - {json.dumps(e)}" for e in entries) + "\n", encoding="utf-8")


def _read(folder: Path) -> None:
    checked_record(load_union(folder), read_treaties(folder), folder / "record.yaml")


def _refused(folder: Path) -> FileError:
    with pytest.raises(FileError) as caught:
        _read(folder)
    assert "\n" not in str(caught.value)
    return caught.value


@pytest.mark.parametrize(("entry", "field", "problem"), REFUSED, ids=IDS)
def test_record_yaml_refuses_what_a_write_is_refused_for(tmp_path, entry, field, problem):
    folder = _copy(tmp_path)
    _append(folder / "record.yaml", entry)
    error = _refused(folder)
    lines = (folder / "record.yaml").read_text(encoding="utf-8").splitlines()
    assert (error.file, error.line, error.entry, error.field) == (str(folder / "record.yaml"), len(lines),
                                                                  entry["id"], field)
    assert error.problem == problem


@pytest.mark.parametrize(("entry", "field", "problem"), REFUSED, ids=IDS)
def test_entente_load_refuses_them_in_one_line(tmp_path, entry, field, problem):
    events = tmp_path / "more.yaml"
    events.write_text("events:\n", encoding="utf-8")
    _append(events, entry)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--union", str(CONSORTIUM), "load",
                                       str(events)])
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == f"Error: {events}, line 2, entry {entry['id']!r}, field {field!r}: {problem}"


def test_an_unknown_kind_lists_the_kinds(tmp_path):
    folder = _copy(tmp_path)
    _append(folder / "record.yaml", {"kind": "position_taken", "id": "p", "date": "2021-10-01"})
    error = _refused(folder)
    assert error.field == "kind"
    assert error.problem == f"'position_taken' is not one of the values it takes: {', '.join(KINDS)}"


def _treaty(folder: Path, old: str, new: str) -> Path:
    path = folder / "treaties" / "agreement-2020.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, words: str) -> int:
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if words in text)


def test_a_treaty_file_naming_a_party_the_union_has_not_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = _treaty(folder, "order: [HAM, TAR, RIG, VIL, GDA]", "order: [HAM, TAR, RIG, VIL, GDN]")
    error = _refused(folder)
    assert (error.file, error.line, error.entry, error.field) == (str(path), _line_of(path, "GDN"), "article 4",
                                                                  "settings.order[4]")
    assert error.problem == f"unknown party 'GDN': the parties of baltic-sea-archives are {PARTIES}"
    # The weights of a decision procedure name parties too.
    folder = _copy(tmp_path)
    path = _treaty(folder, "decision: {rule: qualified, threshold: 0.6667, veto: raiser}",
                   "decision: {rule: qualified, threshold: 0.6667, weights: {HAM: 2, XYZ: 1}}")
    error = _refused(folder)
    assert (error.line, error.field) == (3, "decision.weights.XYZ")


def test_an_unknown_motion_in_a_treaty_file_is_refused_with_the_motions(tmp_path):
    folder = _copy(tmp_path)
    path = _treaty(folder, "kind: proposals\n        settings: {}",
                   "kind: proposals\n        settings: {motions: [dance]}")
    error = _refused(folder)
    assert (error.file, error.line, error.field) == (str(path), _line_of(path, "dance"), "settings.motions[0]")
    assert error.problem.endswith("the values it takes: convene_conference, strike_point, change_rule, consent, "
                                  "elect_president, other")


def test_a_treaty_file_whose_instrument_the_record_never_signs_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = _treaty(folder, "instrument: agreement-2020", "instrument: agreement-2002")
    error = _refused(folder)
    assert (error.file, error.line, error.field) == (str(path), 1, "instrument")
    assert error.problem.startswith("the record signs no instrument 'agreement-2002', so no rule of this file "
                                    "applies;")
    assert error.problem.endswith("name an instrument signed: agreement-2020")


def _with_document(folder: Path, file: str | None, text: str = "") -> Path:
    """The folder's union.yaml with one more document, the charter, shipped as ``file``."""
    if file is not None and text:
        (folder / file).write_text(text, encoding="utf-8")
    union = folder / "union.yaml"
    shipped = f", file: {file}" if file else ""
    union.write_text(union.read_text(encoding="utf-8").replace(
        "documents:\n", f"documents:\n  charter: {{title: {{en: Charter}}, lang: en{shipped}}}\n"), encoding="utf-8")
    return union


def test_a_quote_that_is_not_in_its_document_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _with_document(folder, "charter.txt", "The Partners keep\nthe archive   open to every reader.\n")
    quoting = {"kind": "outside_event", "id": "charter-quoted", "date": "2021-01-01", "category": "note",
               "title": {"en": "Open archive"}, "source": {"document": "charter", "lang": "en"}}
    # Found as written, line breaks and runs of spaces apart.
    _append(folder / "record.yaml", {**quoting, "source": {**quoting["source"],
                                                           "quote": "keep the archive open to every reader"}})
    _read(folder)
    _append(folder / "record.yaml", {**quoting, "id": "misquoted", "cites": [
        {"document": "charter", "lang": "en", "quote": "the archive closed to every reader"}]})
    error = _refused(folder)
    assert (error.entry, error.field) == ("misquoted", "cites[0].quote")
    assert error.problem == "these words are not in charter (charter.txt); a quote is copied from its document as " \
        "written"


def test_a_misquote_is_refused_by_entente_load_too(tmp_path):
    folder = _copy(tmp_path)
    _with_document(folder, "charter.txt", "The Partners keep the archive open.\n")
    events = tmp_path / "more.yaml"
    events.write_text("events:\n", encoding="utf-8")
    _append(events, {"kind": "outside_event", "id": "misquoted", "date": "2021-01-01", "category": "note",
                     "title": {"en": "t"}, "source": {"document": "charter", "quote": "The Partners shut it."}})
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--union", str(folder), "load", str(events)])
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == f"Error: {events}, line 2, entry 'misquoted', field 'source.quote': these " \
        "words are not in charter (charter.txt); a quote is copied from its document as written"


@pytest.mark.parametrize(("file", "sha256", "problem"), [
    ("charter.txt", None, "there is no file 'charter.txt' in the union folder"),
    ("../charter.txt", None, "'../charter.txt' is outside the union folder; a union ships its documents in its own "
                             "folder"),
    ("minutes.txt", "0" * 64, "'minutes.txt' is not the file as received: its SHA-256 is "),
])
def test_a_document_file_that_is_not_there_as_received_is_refused(tmp_path, file, sha256, problem):
    folder = _copy(tmp_path)
    (tmp_path / "charter.txt").write_text("outside\n", encoding="utf-8")
    (folder / "minutes.txt").write_text("minutes\n", encoding="utf-8")
    union = _with_document(folder, file)
    if sha256:
        text = union.read_text(encoding="utf-8")
        union.write_text(text.replace(f"file: {file}", f"file: {file}, sha256: '{sha256}'"), encoding="utf-8")
    with pytest.raises(FileError) as caught:
        load_union(folder)
    error = caught.value
    assert (error.file, error.line, error.entry, error.field) == (str(union), _line_of(union, "charter:"), "charter",
                                                                  "documents.charter.file")
    assert error.problem.startswith(problem)


def _format(folder: Path, version: int) -> Path:
    union = folder / "union.yaml"
    union.write_text(union.read_text(encoding="utf-8") + f"format: {version}\n", encoding="utf-8")
    return union


def test_a_folder_of_the_current_format_reads_as_one_that_does_not_say(tmp_path):
    folder = _format(_copy(tmp_path), FORMAT).parent
    assert checked_record(load_union(folder), read_treaties(folder), folder / "record.yaml") == \
        checked_record(load_union(CONSORTIUM), read_treaties(CONSORTIUM), CONSORTIUM / "record.yaml")


def test_a_folder_of_an_earlier_format_is_refused_where_a_change_touches_it(tmp_path):
    folder = _format(_copy(tmp_path), 1).parent
    path = folder / "treaties" / "agreement-2020.yaml"
    error = _refused(folder)
    assert (error.file, error.line, error.entry, error.field) == (
        str(path), _line_of(path, "settings: {minimum: 1, period: calendar_year"), "article 4", "settings")
    assert error.problem == "written for format 1, where a periodic_meetings/host_rotation/presidency rule with no " \
        "series counted only the meetings recorded with no series; since format 2 it counts every meeting of the " \
        "instrument: give series as meant, then set format: 2 in union.yaml"
    # The same folder when no rule leaves the series out: it means what it meant, and is read.
    _treaty(folder, "partial_periods: full,", "partial_periods: full, series: assembly,")
    _treaty(folder, "reading: strict_order,", "reading: strict_order, series: assembly,")
    _read(folder)


def test_a_format_this_version_does_not_know_is_refused(tmp_path):
    union = _format(_copy(tmp_path), FORMAT + 1)
    with pytest.raises(FileError) as caught:
        load_union(union.parent)
    assert (caught.value.line, caught.value.field) == (_line_of(union, "format:"), "format")
    assert caught.value.problem == f"format {FORMAT + 1} is not one this version of Entente reads: it reads " \
        f"formats 1 to {FORMAT}"


def _load(tmp_path: Path, union: Path, *entries: dict) -> tuple[Path, object]:
    events = tmp_path / f"more-{len(list(tmp_path.iterdir()))}.yaml"
    events.write_text("events:\n", encoding="utf-8")
    _append(events, *entries)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--union", str(union), "load", str(events)])
    return events, result


DUTY = {"kind": "rule_changed", "id": "dues", "date": "2021-01-10", "effective": "2021-02-01",
        "instrument": "agreement-2020", "rule": "dues", "rule_kind": "duties", "article": "4",
        "settings": {"duty": "contribution", "by": "03-31"}}


def test_a_duty_done_is_one_a_duties_rule_names(tmp_path):
    folder = _copy(tmp_path)
    paid = {"kind": "duty_done", "id": "ham-pays", "date": "2021-03-01", "instrument": "agreement-2020",
            "party": "HAM", "duty": "contribution"}
    _append(folder / "record.yaml", DUTY, paid)
    _read(folder)  # the decision adds the duty, so paying it is recorded
    _append(folder / "record.yaml", {**paid, "id": "ham-reports", "duty": "report"})
    error = _refused(folder)
    assert (error.entry, error.field) == ("ham-reports", "duty")
    assert error.problem == "agreement-2020 has no duty 'report': its duties are contribution"
    events, result = _load(tmp_path, CONSORTIUM, DUTY, {**paid, "id": "ham-reports", "duty": "report"})
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == f"Error: {events}, line 3, entry 'ham-reports', field 'duty': {error.problem}"


def _format_1(tmp_path: Path) -> Path:
    """The consortium's folder written for format 1, every rule of it giving its series as meant."""
    folder = _format(_copy(tmp_path), 1).parent
    _treaty(folder, "partial_periods: full,", "partial_periods: full, series: assembly,")
    _treaty(folder, "reading: strict_order,", "reading: strict_order, series: assembly,")
    return folder


def test_a_rule_added_by_a_decision_meets_the_format_its_folder_is_written_for(tmp_path):
    added = {**CHANGE, "id": "workshops", "rule": "workshops", "rule_kind": "periodic_meetings", "article": "4",
             "settings": {"minimum": 2}}
    problem = "written for format 1, where a periodic_meetings/host_rotation/presidency rule with no series " \
        "counted only the meetings recorded with no series; since format 2 it counts every meeting of the " \
        "instrument: give series as meant, then set format: 2 in union.yaml"
    folder = _format_1(tmp_path)
    _append(folder / "record.yaml", added)
    error = _refused(folder)
    assert (error.entry, error.field, error.problem) == ("workshops", "settings", problem)
    events, result = _load(tmp_path, _format_1(tmp_path), added)
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == f"Error: {events}, line 2, entry 'workshops', field 'settings': {problem}"
    # Given its series, it means what it meant, and is recorded.
    folder = _format_1(tmp_path)
    _append(folder / "record.yaml", {**added, "settings": {"minimum": 2, "series": "workshop"}})
    _read(folder)


def test_a_treaty_file_is_refused_when_the_record_signs_nothing_unless_it_is_kept_elsewhere(tmp_path):
    folder = _copy(tmp_path)
    (folder / "record.yaml").write_text("events: []\n", encoding="utf-8")
    path = folder / "treaties" / "agreement-2020.yaml"
    error = _refused(folder)
    assert (error.file, error.line, error.field) == (str(path), 1, "instrument")
    assert error.problem == "the record signs no instrument 'agreement-2020', so no rule of this file applies; " \
        "record its signature (instrument_signed) or set recorded_elsewhere: true in union.yaml where the union's " \
        "history is recorded through the secretariat (entente load, the API) instead"
    _, result = _load(tmp_path, folder, {"kind": "outside_event", "id": "x", "date": "2020-01-01",
                                         "category": "election", "title": {"en": "An election"}})
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == f"Error: {path}, line 1, field 'instrument': {error.problem}"
    union = folder / "union.yaml"
    union.write_text(union.read_text(encoding="utf-8") + "recorded_elsewhere: true\n", encoding="utf-8")
    _read(folder)


def test_a_rule_counting_by_a_presidency_the_treaty_has_not_is_refused(tmp_path):
    # In a treaty file: the consortium has no presidency rule, so its assemblies cannot be counted per term.
    folder = _copy(tmp_path)
    path = _treaty(folder, "period: calendar_year, partial_periods: full", "period: presidency_term")
    error = _refused(folder)
    assert (error.file, error.line, error.entry, error.field) == (
        str(path), _line_of(path, "period: presidency_term"), "article 4", "settings.period")
    assert error.problem == "rule 'assembly-yearly' counts by the presidency (period: presidency_term), but " \
        "agreement-2020 has no presidency rule to say who presides when: add one (kind: presidency) beside it"
    # In a decision changing a rule, in record.yaml and by entente load alike.
    change = {**CHANGE, "id": "per-term", "rule": "assembly-yearly", "settings": {"in_presiding_country": True}}
    problem = "rule 'assembly-yearly' would count by the presidency (in_presiding_country: true), but " \
        "agreement-2020 has no presidency rule to say who presides when: add one (kind: presidency) first"
    folder = _copy(tmp_path)
    _append(folder / "record.yaml", change)
    error = _refused(folder)
    assert (error.entry, error.field, error.problem) == ("per-term", "settings.in_presiding_country", problem)
    events, result = _load(tmp_path, CONSORTIUM, change)
    assert result.exit_code == FILE_ERROR, result.output
    assert result.stderr.strip() == \
        f"Error: {events}, line 2, entry 'per-term', field 'settings.in_presiding_country': {problem}"
    # Once a decision adds a presidency, a rule may count by its terms.
    presidency = {**CHANGE, "id": "chairs", "date": "2022-12-01", "rule": "chair", "rule_kind": "presidency",
                  "article": "4", "settings": {"holder": "order", "order": ["HAM", "TAR", "RIG", "VIL", "GDA"],
                                               "term_months": 12, "series": "assembly"}}
    folder = _copy(tmp_path)
    _append(folder / "record.yaml", presidency, change)
    _read(folder)


@pytest.mark.parametrize(("old", "new", "field", "problem"), [
    ("role: outside,", "role: sponsor,", "parties[5].role", "'sponsor' is not one of the values it takes: member, "
     "observer, outside (a union declares a role of its own under roles)"),
    ("role: outside,", "role: observer, since: 2021-13-01,", "parties[5].since",
     "since is a day (YYYY-MM-DD), the day it took up its role, not '2021-13-01'"),
    ("role: outside,", "role: member, since: '2021-01-01',", "parties[5].since",
     "a member is a member from the day an instrument binds it: since is for the other roles"),
])
def test_a_role_the_union_has_not_declared_or_a_day_that_is_none_is_refused(tmp_path, old, new, field, problem):
    folder = _copy(tmp_path)
    union = folder / "union.yaml"
    union.write_text(union.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(FileError) as caught:
        load_union(folder)
    assert (caught.value.line, caught.value.entry, caught.value.field) == (_line_of(union, "FUND"), "FUND", field)
    assert caught.value.problem == problem


def test_a_role_a_union_declares_is_one_its_parties_may_hold(tmp_path):
    folder = _copy(tmp_path)
    union = folder / "union.yaml"
    union.write_text(union.read_text(encoding="utf-8").replace("role: outside,", "role: sponsor,")
                     + "roles:\n  sponsor: {names: {en: sponsor}, attends: false, speaks: false}\n", encoding="utf-8")
    assert load_union(folder).role("sponsor").counted is False
    _read(folder)
