"""Backup and restore: into a new store of either kind, the same checkpoints; into one that disagrees, nothing."""

from __future__ import annotations

import json

import pyrage
from click.testing import CliRunner
from pyrage import x25519

from entente.cli import main
from entente.record import open_store
from entente.secretariat.service import Secretariat
from tests import tampering


def _entente(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args])
    return result.exit_code, result.output


def _checkpoints(db: str) -> dict[str, tuple[int, str]]:
    found = {}
    for viewer in ("secretariat", "public", "LV", "FI"):
        code, out = _entente(db, "--as", viewer, "checkpoint")
        assert code == 0, out
        data = json.loads(out)
        found[viewer] = (data["size"], data["root"])
    return found


def _source(db: str, baltic_rows) -> str:
    """A store at ``db`` holding the Baltic record."""
    store = open_store(db)
    store.insert_rows(*baltic_rows)
    store.close()
    return db


def test_a_restore_into_a_new_store_of_either_kind_gives_the_same_checkpoints(tmp_path, store_url, baltic_rows,
                                                                              monkeypatch):
    source = _source(str(tmp_path / "source.db"), baltic_rows)  # made on SQLite, restored on either
    n = len(baltic_rows[0])
    code, out = _entente(source, "backup", str(tmp_path / "backup.json"))
    assert code == 0 and f"{n} entries and the checkpoints of 9 logs" in out
    before = _checkpoints(source)
    monkeypatch.setenv("ENTENTE_KEY", str(tmp_path / "another.key"))  # a new server: a new key, the same logs
    code, out = _entente(store_url, "restore", str(tmp_path / "backup.json"))
    assert code == 0 and f"{n} entries restored, {n} in all; 9 checkpoints as in the backup" in out
    assert _checkpoints(store_url) == before
    s = Secretariat.open(store_url)  # the bundled record is not loaded on top of the restored one
    assert len(s.store.events()) == n
    s.close()
    assert _checkpoints(store_url) == before
    code, out = _entente(store_url, "restore", str(tmp_path / "backup.json"))  # again: nothing to add
    assert code == 0 and f"0 entries restored, {n} in all" in out


def test_a_store_that_disagrees_is_refused_naming_the_first_entry_that_differs(tmp_path, baltic_rows, db_url):
    source = _source(db_url("source"), baltic_rows)
    _entente(source, "backup", str(tmp_path / "backup.json"))
    other = db_url("other")
    Secretariat.open(other).close()  # the same record loaded afresh: every entry has another record time
    code, out = _entente(other, "restore", str(tmp_path / "backup.json"))
    first = baltic_rows[0][0]
    assert code == 1
    assert f"this store disagrees with {tmp_path / 'backup.json'} at entry {first.id!r} (position 1)" in out


def test_a_backup_changed_after_it_was_written_is_refused_naming_the_entry(tmp_path, baltic_rows, db_url):
    source = _source(db_url("source"), baltic_rows)
    path = tmp_path / "backup.json"
    _entente(source, "backup", str(path))
    made = json.loads(path.read_text())
    entry = json.loads(made["entries"][11]["entry"])
    made["entries"][11]["entry"] = json.dumps({**entry, "note": "added later"})
    path.write_text(json.dumps(made))
    code, out = _entente(db_url("new"), "restore", str(path))
    assert code == 1 and f"entry {baltic_rows[0][11].id!r} at position 12" in out
    store = open_store(db_url("new"))
    assert store.rows_after(0) == []
    store.close()
    made["entries"][11]["entry"] = json.dumps({**entry, "date": "1934-02-30"})
    path.write_text(json.dumps(made))
    code, out = _entente(db_url("new"), "restore", str(path))
    assert code == 1 and f"{path}: the entry at position 12 is not one" in out
    path.write_text("{}")
    code, out = _entente(db_url("new"), "restore", str(path))
    assert code == 1 and f"{path}: not a backup of an Entente record" in out


def test_verify_against_a_kept_checkpoint_names_the_first_entry_that_differs(tmp_path, baltic_rows, db_url):
    db = _source(db_url("source"), baltic_rows)
    kept = tmp_path / "lv.json"
    code, out = _entente(db, "--as", "LV", "checkpoint")
    kept.write_text(out)
    shown = json.loads(out)["size"]
    assert shown == len(baltic_rows[0])  # everything the Baltic record holds is Latvia's to see
    code, out = _entente(db, "--as", "LV", "verify", "--against", str(kept))
    assert code == 0 and out.startswith(f"intact: {shown} entries in LV's log, continuing the checkpoint of {kept}")
    store = open_store(db)
    tampering.recomputed_tail(store, 30)
    store.close()
    code, out = _entente(db, "--as", "LV", "verify", "--against", str(kept))
    assert code == 1
    assert (f"LV's first {shown} entries are not those of the checkpoint: the first that differs is entry "
            f"{baltic_rows[0][29].id!r}") in out
    code, out = _entente(db, "--as", "LV", "verify", "--against", str(tmp_path / "missing.json"))
    assert code == 1 and "missing.json: No such file or directory" in out


def test_a_backup_sealed_to_a_public_key_opens_only_with_its_identity(tmp_path, store_url, baltic_rows):
    identity, other = x25519.Identity.generate(), x25519.Identity.generate()
    (tmp_path / "identity.txt").write_text(f"# the archive's key\n{identity}\n")
    (tmp_path / "other.txt").write_text(f"{other}\n")
    source = _source(str(tmp_path / "source.db"), baltic_rows)
    sealed = tmp_path / "backup.age"
    code, out = _entente(source, "backup", str(sealed), "--to", str(identity.to_public()))
    assert code == 0 and "sealed to 1 recipient" in out, out
    data = sealed.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n") and baltic_rows[0][0].id.encode() not in data
    assert pyrage.decrypt(data, [identity]).startswith(b"{")  # age's own reader opens it
    code, out = _entente(store_url, "restore", str(sealed))
    assert code == 1 and "sealed to a recipient's key: give the identity" in out and "Traceback" not in out
    code, out = _entente(store_url, "restore", str(sealed), "--identity", str(tmp_path / "other.txt"))
    assert code == 1 and "does not open this backup" in out
    code, out = _entente(store_url, "restore", str(sealed), "--identity", str(tmp_path / "identity.txt"))
    n = len(baltic_rows[0])
    assert code == 0 and f"{n} entries restored, {n} in all" in out, out
    assert _checkpoints(store_url) == _checkpoints(source)
    code, out = _entente(source, "backup", str(tmp_path / "bad.age"), "--to", "age1notakey")
    assert code == 1 and "not an age recipient" in out and not (tmp_path / "bad.age").exists()


def test_a_restored_record_is_checked_against_the_backups_checkpoints_before_it_takes_a_write(tmp_path, store_url,
                                                                                            baltic_rows):
    source = _source(str(tmp_path / "source.db"), baltic_rows)
    assert _entente(source, "backup", str(tmp_path / "backup.json"))[0] == 0
    assert _entente(store_url, "restore", str(tmp_path / "backup.json"))[0] == 0
    # Rewritten afterwards as only someone with the store in hand can: an entry changed, the chain computed
    # again after it, and everything the ledger kept of the logs thrown away but the checkpoints last signed.
    store = open_store(store_url)
    tampering.recomputed_tail(store, 12)
    tampering._unguarded(store, lambda cur, s, rows: [tampering._run(cur, s, f"DELETE FROM {table}")
                                                      for table in ("ledger_tiles", "snapshots")])
    store.close()
    code, out = _entente(store_url, "record", "outside_event", "--data",
                         json.dumps({"date": "1938-01-01", "category": "test", "title": {"en": "after"}}))
    assert code != 0 and "does not begin with the checkpoint" in out, out
    code, out = _entente(store_url, "verify")
    assert code == 1 and "does not begin with the checkpoint" in out, out
