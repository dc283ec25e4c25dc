"""The secretariat's signing key: never in the repository, never where others can read it, one per store."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from entente.ledger import keys

ROOT = Path(__file__).parents[1]
PRIVATE = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----")  # any PEM private key
OUTSIDE = '{"id": "x", "date": "1939-01-01", "category": "pact", "title": {"en": "A pact"}}'


def _entente(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entente", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)


def test_no_private_key_is_tracked_in_this_repository() -> None:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout: nothing here is tracked")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    holding = [name for name in tracked.decode().split("\0")
               if name and (ROOT / name).is_file() and PRIVATE.search((ROOT / name).read_bytes())]
    assert holding == []


def test_a_postgresql_store_keeps_its_key_in_the_users_data_folder_one_per_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.SETTING, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    one = keys.key_path("postgresql://postgres:secret@db.example:5432/union?options=-csearch_path%3Done")
    other = keys.key_path("postgresql://postgres@db.example:5432/union?options=-csearch_path%3Dtwo")
    assert one.parent == tmp_path / "data" / "entente" / "keys"
    assert one != other and one.name.startswith("postgresql-db.example-union-")
    assert "secret" not in str(one)
    assert keys.key_path("postgresql://postgres@db.example:5432/union?options=-csearch_path%3Done") == one
    key = keys.load_or_create(one)
    assert stat.S_IMODE(one.stat().st_mode) == 0o600
    assert stat.S_IMODE(one.parent.stat().st_mode) == 0o700
    assert keys.key_id(keys.load_or_create(one).public_key()) == keys.key_id(key.public_key())


def test_a_key_others_can_read_is_refused_naming_the_file_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "secretariat.key"
    keys.load_or_create(path)
    path.chmod(0o640)
    with pytest.raises(keys.KeyFileError, match=r"secretariat\.key: .*read by other users \(mode 640\).*chmod 600"):
        keys.load_or_create(path)
    path.chmod(0o600)
    keys.load_or_create(path)


def test_a_key_git_tracks_is_refused(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed here")
    path = tmp_path / "secretariat.key"
    keys.load_or_create(path)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    keys.load_or_create(path)  # in a repository but not tracked: fine
    subprocess.run([*git, "add", "secretariat.key"], check=True)
    with pytest.raises(keys.KeyFileError, match=r"tracked by git.*git rm --cached"):
        keys.load_or_create(path)


def test_the_cli_refuses_to_sign_with_a_readable_key_in_one_line(tmp_path: Path) -> None:
    db, key = tmp_path / "entente.db", tmp_path / "signing.key"
    assert _entente("--db", str(db), "checkpoint", cwd=tmp_path, env={keys.SETTING: str(key)}).returncode == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.chmod(0o644)
    before = db.read_bytes()
    for command in (["checkpoint"], ["record", "outside_event", "--data", OUTSIDE], ["serve", "--port", "0"]):
        done = _entente("--db", str(db), *command, cwd=tmp_path, env={keys.SETTING: str(key)})
        assert done.returncode == 1, command
        assert done.stderr.strip() == (f"Error: {key}: the signing key can be read by other users (mode 644); "
                                       f"run 'chmod 600 {key}', or make a new key if others may have read it")
    assert db.read_bytes() == before
