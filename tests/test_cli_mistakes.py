"""A user's mistakes with files, stores and options: one line on standard error naming the problem, an exit code."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.record import errors

from .conftest import CONSORTIUM, CONSORTIUM_EVENTS

FILE, STORE, USAGE, NO = 3, 4, 2, 1


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line(result, code: int) -> str:
    """The error a user sees: exactly one line on standard error, no traceback, and the documented exit code."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_a_union_folder_without_its_files(tmp_path):
    line = one_line(run("--db", str(tmp_path / "x.db"), "--union", str(tmp_path), "conferences"), USAGE)
    assert f"{tmp_path} has no union.yaml or record.yaml" in line and "docs/unions.md" in line


def test_a_store_in_a_folder_that_does_not_exist(tmp_path):  # SQLite only: a file's folder
    line = one_line(run("--db", str(tmp_path / "no" / "x.db"), "conferences"), STORE)
    assert line == f"Error: cannot create the record store {tmp_path}/no/x.db: the folder {tmp_path}/no does not exist"


def test_a_folder_given_as_the_store(tmp_path):  # SQLite only: a file's path
    line = one_line(run("--db", str(tmp_path), "conferences"), STORE)
    assert line == f"Error: {tmp_path} is a folder, not a record store: give a file name, such as {tmp_path}/entente.db"


def test_entente_alone_shows_its_help():
    result = run()
    assert result.exit_code == 0 and result.stdout.startswith("Usage: entente [OPTIONS] COMMAND") and not result.stderr


def test_a_file_that_is_not_a_store(tmp_path):  # SQLite only: a file's bytes
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some notes " * 100)
    line = one_line(run("--db", str(text), "conferences"), STORE)
    assert "notes.db is not an Entente record store (not a SQLite database)" in line
    assert text.read_text().startswith("not a database at all")  # left as it was


def test_postgresql_that_does_not_answer_and_a_password_is_not_shown():
    line = one_line(run("--db", "postgresql://someone:s3cret@127.0.0.1:1/x", "conferences"), STORE)
    assert "the PostgreSQL server at postgresql://someone@127.0.0.1:1/x does not answer" in line
    assert "s3cret" not in line and "check that it runs" in line


@pytest.mark.parametrize(("content", "expected"), [
    (b"events:\n  - kind: conference_held\n    id: caf\xe9\n", "events.yaml, line 3: is not UTF-8 text (byte 0xe9)"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "events.yaml, line 1: is a binary file, not a YAML text file"),
])
def test_a_record_file_that_is_not_utf8_text(tmp_path, content, expected, db_url):
    events = tmp_path / "events.yaml"
    events.write_bytes(content)
    db = db_url("x")
    line = one_line(run("--db", db, "--union", str(CONSORTIUM), "load", str(events)), FILE)
    assert expected in line
    assert len(json.loads(run("--db", db, "--union", str(CONSORTIUM), "timeline", "--json").stdout)) \
        == CONSORTIUM_EVENTS  # nothing recorded


def test_a_locked_store_is_waited_for_a_stated_time(tmp_path, monkeypatch):  # SQLite only: a file's lock
    db = tmp_path / "x.db"
    assert run("--db", str(db), "--union", str(CONSORTIUM), "conferences").exit_code == 0
    monkeypatch.setattr(errors, "LOCK_WAIT_SECONDS", 0.5)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        started = time.monotonic()
        line = one_line(run("--db", str(db), "--union", str(CONSORTIUM), "conferences"), STORE)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert f"the record store {db} is locked by another process (waited 0.5 s)" in line
    assert 0.4 < waited < 5


def test_a_read_only_store_is_still_read(tmp_path):  # SQLite only: a file on a read-only mount
    if shutil.which("unshare") is None:
        pytest.skip("no unshare command here to make a read-only mount")
    source, mount = tmp_path / "source", tmp_path / "mount"
    source.mkdir()
    mount.mkdir()
    assert run("--db", str(source / "x.db"), "conferences").exit_code == 0
    entente = [sys.executable, "-m", "entente", "--db", str(mount / "x.db"), "conferences"]
    # A read-only mount, which even the superuser cannot write: in a mount namespace of its own.
    script = f"mount --bind -o ro {source} {mount} && exec \"$@\""
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *entente], capture_output=True, text=True,
                          check=False)
    if "Error:" not in done.stderr and done.returncode != 0:
        pytest.skip(f"no read-only mount can be made here: {done.stderr.strip()}")
    # A store that cannot be written is still read (and verified): the views are shown from it.
    assert done.returncode == 0, done.stderr
    assert "Riga" in done.stdout
    # Its JSON too, naming no version: no key can be made beside it to sign the viewer's log.
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *entente, "--json"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows and all(row["record_version"] is None for row in rows)


def test_a_calendar_written_into_a_missing_folder(tmp_path, db_url):
    line = one_line(run("--db", db_url("x"), "calendar", "--output", str(tmp_path / "no" / "c.ics")), USAGE)
    assert f"the folder {tmp_path}/no does not exist: create it or name another" in line


def test_an_unknown_viewer_is_refused_with_the_list_of_viewers(db_url):
    line = one_line(run("--db", db_url("x"), "--as", "XX", "conferences"), USAGE)
    assert "unknown viewer 'XX': the viewers of baltic-entente are secretariat, public, DE, EE, FI, LT, LV, PL, SU" \
        in line
    assert line.endswith("; see 'entente conferences --help'")


def test_an_unknown_option_or_command(tmp_path):
    assert one_line(run("conferences", "--colour"), USAGE) == \
        "Error: No such option '--colour'; see 'entente conferences --help'"
    assert "No such command 'conferenses'" in one_line(run("conferenses"), USAGE)


def test_a_file_loaded_twice_records_nothing_more(tmp_path, db_url):
    events = Path(__file__).parents[1] / "examples" / "more-events.yaml"
    db = db_url("x")
    assert run("--db", db, "load", str(events)).stdout.startswith(f"{events}: 2 new events recorded at ")
    again = run("--db", db, "load", str(events))
    assert again.exit_code == 0 and again.stdout == f"{events}: 0 new events recorded\n"
    changed = tmp_path / "changed.yaml"
    changed.write_text(events.read_text(encoding="utf-8").replace("stance: support", "stance: oppose", 1))
    line = one_line(run("--db", db, "load", str(changed)), FILE)  # the same id with other content is refused
    assert "the id 'example-lithuania-on-cooperation-1939' is used by an earlier entry" in line


def test_an_entry_that_does_not_fit_names_file_line_and_field(tmp_path, db_url):
    events = tmp_path / "events.yaml"
    events.write_text("events:\n  - {kind: conference_held, id: x, date: '2021-13-01', instrument: agreement-2020}\n")
    line = one_line(run("--db", db_url("x"), "--union", str(CONSORTIUM), "load", str(events)), FILE)
    assert line.startswith(f"Error: {events}, line 2, entry 'x', field 'date'")


def test_a_span_that_ends_within_its_start_names_file_line_and_field(tmp_path, db_url):
    events = tmp_path / "events.yaml"
    events.write_text("events:\n  - {kind: conference_held, id: x, date: '1934/1934-01', instrument: agreement-2020}\n")
    line = one_line(run("--db", db_url("x"), "--union", str(CONSORTIUM), "load", str(events)), FILE)
    assert line == (f"Error: {events}, line 2, entry 'x', field 'date': \"1934/1934-01\" ends (1934-01) within its "
                    "start (1934): its end must come after its start")


def test_a_store_of_another_union(db_url):
    db = db_url("x")
    assert run("--db", db, "--union", str(CONSORTIUM), "conferences").exit_code == 0
    line = one_line(run("--db", db, "conferences"), STORE)
    assert "holds the record of 'baltic-sea-archives', not 'baltic-entente': give another --db" in line


def test_nothing_of_that_name_is_a_no(db_url):
    assert "no instrument 'nothing'" in one_line(run("--db", db_url("x"), "treaty", "nothing"), NO)


def test_global_options_after_the_subcommand(db_url):
    db = db_url("x")
    before = run("--db", db, "--as", "public", "conferences", "--json")
    after = run("conferences", "--json", "--as", "public", "--db", db)
    assert before.exit_code == after.exit_code == 0
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert [r["number"] for r in json.loads(after.stdout) if r["number"]] == list(range(1, 12))
    equals = run("conferences", "--as=public", f"--db={db}", "--json")
    assert json.loads(equals.stdout) == json.loads(before.stdout)
    up_front = run("--json", "--db", db, "conferences")  # --json before the command is the command's
    assert json.loads(up_front.stdout) == json.loads(run("--db", db, "conferences", "--json").stdout)
    # An option's value that happens to read like a global option is left to its option.
    token = run("--db", db, "token", "create", "--label", "--as", "--for", "LV")
    assert token.exit_code == 0, token.output
    listed = json.loads(run("--db", db, "token", "list", "--json").stdout)
    assert [(t["viewer"], t["label"]) for t in listed] == [("LV", "--as")]
    by_party = run("--db", db, "token", "create", "--for", "LV", "--as", "LV")
    assert "only the secretariat issues and revokes tokens" in one_line(by_party, NO)


def test_version_short_help_and_python_m(db_url):
    assert run("--version").stdout.startswith("entente ")
    assert "Usage: entente [OPTIONS] COMMAND" in run("-h").stdout
    assert "Exit codes:" in run("-h").stdout
    assert "--at TEXT" in run("state", "-h").stdout
    done = subprocess.run([sys.executable, "-m", "entente", "--db", db_url("m"), "--union", str(CONSORTIUM),
                           "verify"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith(f"intact: {CONSORTIUM_EVENTS} entries"), done.stderr


def test_version_alone_is_answered_as_the_group_answers_it():
    # `entente --version` alone is answered before click is imported; with another option, by click's own option.
    from importlib.metadata import version

    alone = subprocess.run([sys.executable, "-m", "entente", "--version"], capture_output=True, text=True, check=False)
    assert alone.returncode == 0 and alone.stdout == f"entente {version('entente')}\n", alone.stderr
    assert run("--lang", "en", "--version").stdout == alone.stdout


def test_the_license_is_there_and_says_mit():
    text = (Path(__file__).parents[1] / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
