"""A change to the union's files re-checks only what it touches: a comment, an order, a name or a role changes no
viewer's log and checks nothing again; a party added has its log built, one removed has its log dropped; the
record's rows are never checked again for it; and a log built again never changes what was signed of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.ledger import checkpoints, kept
from entente.ledger.logs import Ledger
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.secretariat.service import Secretariat
from entente.vocabulary.definition import DEFAULT_UNION, load_union
from entente.vocabulary.events import OutsideEvent, QuestionRaised, Restricted

NO = Viewer("party", "NO")
_NORWAY = """  - code: NO
    role: outside
    names: {en: Norway}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the Baltic Entente's folder, to edit."""
    return Path(shutil.copytree(DEFAULT_UNION, tmp_path / "baltic"))


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "union.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _start(s: Secretariat, folder: Path) -> Ledger:
    """A start on the store with the union as its folder now says."""
    ledger = Ledger.open("", load_union(folder))
    ledger.catch_up(s.store)
    ledger.settle()
    assert not ledger.breaks, ledger.breaks
    return ledger


def _kept_logs(s: Secretariat) -> set[str]:
    found = kept.load(s.store)
    assert found is not None
    return {log.viewer for log in found[0].logs}


def _as_checked_whole(s: Secretariat, folder: Path, ledger: Ledger) -> None:
    """Every log as a check of the whole record from the first finds it."""
    whole = Ledger.open("", load_union(folder))
    whole.catch_up(s.store, whole=True)
    assert set(whole.viewers()) == set(ledger.viewers())
    for viewer in whole.viewers():
        assert (ledger.size(viewer), ledger.root(viewer)) == (whole.size(viewer), whole.root(viewer)), viewer


def _verify(store_url: str, folder: Path, *args: str) -> None:
    done = CliRunner().invoke(main, ["--db", store_url, "--union", str(folder), *args, "verify"])
    assert done.exit_code == 0, done.output


def test_a_comment_an_order_a_name_or_a_role_checks_nothing_again(opened, folder, store_url):
    first = _start(opened, folder)
    assert first.checked == opened.store.position()  # nothing kept yet: the whole record
    _edit(folder, "# --- parties:", "# The parties, as the seed lists them.\n# --- parties:")
    _edit(folder, "names: {lv: Somija, lt: Suomija, et: Soome, en: Finland}",
          "names: {lv: Somija, lt: Suomija, et: Soome, en: Republic of Finland}")
    _edit(folder, "  - code: PL\n    cow: 290\n    role: outside", "  - code: PL\n    cow: 290\n    role: observer")
    finland = "  - code: FI\n    cow: 375\n    role: outside\n    names: {lv: Somija, lt: Suomija, et: Soome, " \
              "en: Republic of Finland}\n"
    _edit(folder, finland, "")
    _edit(folder, "  # members of the union\n", "  # members of the union\n" + finland)
    again = _start(opened, folder)
    assert (again.checked, again.built) == (0, [])
    assert again.union.parties[0].code == "FI"
    _as_checked_whole(opened, folder, again)
    _verify(store_url, folder)


def test_a_party_added_has_its_log_built_and_one_removed_has_its_log_dropped(opened, folder, store_url, tmp_path):
    before = _start(opened, folder)
    roots = {v: before.root(v) for v in before.viewers()}
    opened.store.append([QuestionRaised(id="q-nordic", date="1940-05-01", question="q-nordic",
                                        title={"en": "A question for Norway"}, subject="defence",
                                        classification=Restricted(parties=("NO", "LV")))])
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    added = _start(opened, folder)
    assert (added.checked, added.built) == (1, ["NO"])  # the new entry checked; no other log built
    assert _kept_logs(opened) == {str(v) for v in added.viewers()}
    assert "q-nordic" in added.shown(NO) and "q-nordic" not in added.shown(PUBLIC)
    _as_checked_whole(opened, folder, added)
    for viewer, root in roots.items():  # each earlier log continues as it was
        assert added.root(viewer, before.size(viewer)) == root, viewer
    signed = tmp_path / "no.json"
    signed.write_text(json.dumps(checkpoints.as_dict(added.checkpoint(NO))), encoding="utf-8")
    _verify(store_url, folder, "--as", "NO")
    done = CliRunner().invoke(main, ["--db", store_url, "--union", str(folder), "--as", "NO", "verify",
                                     "--against", str(signed)])
    assert done.exit_code == 0, done.output
    assert (_start(opened, folder).checked, _start(opened, folder).built) == (0, [])

    _edit(folder, _NORWAY, "")
    removed = _start(opened, folder)
    assert (removed.checked, removed.built) == (0, [])
    assert NO not in removed.viewers() and "NO" not in _kept_logs(opened)
    _as_checked_whole(opened, folder, removed)
    _verify(store_url, folder)


def test_a_party_back_in_the_union_has_its_log_built_as_it_was_signed_or_refused_saying_why(opened, folder):
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    signed = _start(opened, folder).checkpoint(NO)
    _edit(folder, _NORWAY, "")
    _start(opened, folder)
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    back = _start(opened, folder)
    assert back.built == ["NO"] and back.checkpoint(NO).root == signed.root
    # Were the record or the code to make it another log than the one signed, it is not quietly signed anew.
    _edit(folder, _NORWAY, "")
    _start(opened, folder)
    with opened.store._writing() as cur:
        cur.execute(opened.store._sql("UPDATE ledger_signed SET root = ? WHERE viewer = ?"), (b"\x00" * 32, "NO"))
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    forked = Ledger.open("", load_union(folder))
    forked.catch_up(opened.store)
    assert forked.built == ["NO"]
    assert any(b.log == "NO" and "built again from the record at this start" in b.reason for b in forked.breaks)
    assert forked.broken_for(SECRETARIAT)


def test_logs_made_by_other_code_are_built_again_without_checking_the_record_again(opened, folder):
    first = _start(opened, folder)
    state = kept.load(opened.store)
    assert state is not None
    kept.keep(opened.store, kept.State(state[0].position, state[0].ids, state[0].tail, state[0].logs,
                                       state[0].growth, made_by="other code"))
    again = _start(opened, folder)
    assert again.checked == 0 and sorted(again.built) == sorted(str(v) for v in first.viewers())
    _as_checked_whole(opened, folder, again)
    assert kept.load(opened.store)[0].made_by == kept.logs_code()  # type: ignore[index]


def test_a_log_built_again_that_differs_from_the_tiles_kept_of_it_is_not_kept(opened, folder):
    """Full tiles are never rewritten: a log built that would change what its kept tiles hold (made by other
    code, say) breaks the start, which says whose log and why, rather than keeping two pasts of one log."""
    opened.store.append([OutsideEvent(id=f"note-{i}", date="1940-08-01", category="note", title={"en": f"Note {i}"})
                         for i in range(256 * 256)])  # a full tile of level 1 in every log: 256^2 entries
    _start(opened, folder)
    with opened.store._writing() as cur:  # a tile of Norway's log, as other code kept it once
        cur.execute(opened.store._sql("INSERT INTO ledger_tiles VALUES (?, ?, ?, ?)"), ("NO", 1, 0, b"\x01" * 32 * 256))
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    built = Ledger.open("", load_union(folder))
    built.catch_up(opened.store)
    assert built.built == ["NO"] and built.size(NO) >= 256
    assert [b.reason for b in built.breaks if b.log == "NO"] == [
        "NO's log, built again from the record at this start, differs from the one kept of it before: a log never "
        "changes its past, so it is not kept"]
    assert built.broken_for(SECRETARIAT) and "NO" not in _kept_logs(opened)


def test_a_party_whose_code_changes_has_its_log_built_under_the_new_code_and_no_other(opened, folder, store_url):
    """A party's code is what its log depends on: another code is another viewer, whose log is built, while the
    old one's is dropped and every other log resumed."""
    opened.store.append([QuestionRaised(id="q-iceland", date="1940-05-01", question="q-iceland",
                                        title={"en": "A question for Iceland"}, subject="defence",
                                        classification=Restricted(parties=("IS",)))])
    _edit(folder, "  # states outside the union\n", "  # states outside the union\n" + _NORWAY)
    _start(opened, folder)
    _edit(folder, "  - code: NO\n", "  - code: IS\n")
    renamed = _start(opened, folder)
    assert (renamed.checked, renamed.built) == (0, ["IS"])
    assert _kept_logs(opened) == {str(v) for v in renamed.viewers()} and "NO" not in _kept_logs(opened)
    assert "q-iceland" in renamed.shown(Viewer("party", "IS"))
    _as_checked_whole(opened, folder, renamed)
    _verify(store_url, folder, "--as", "IS")
