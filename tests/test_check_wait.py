"""A server answers reads while its start checks the record; a write that comes meanwhile waits a second at most,
then is told, with 503 and Retry-After, how long to wait; asked again after that, it is recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from entente.secretariat.service import Secretariat
from tests.test_serve import _entente, _free_port, _stop, _wait_for

SIZE = 150_000  # entries: a first start checks them for several seconds, beyond its first answer


@pytest.fixture(scope="module")
def unkept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated council's store (its union folder, its file), its entries recorded but no log kept."""
    from bench import generate

    folder = tmp_path_factory.mktemp("council")
    union = generate.write_union(folder / "union", 30, 100)
    s = Secretariat.open(str(folder / "council.db"), union)
    s.load_events(generate.record(SIZE))
    s.close()
    return union, folder / "council.db"


def _serving(unkept: tuple[Path, Path], tmp_path: Path, writer: str,
             *options: str) -> tuple[str, str, subprocess.Popen[str], list[str]]:
    """A server on a copy of the record with nothing kept (so its start checks every entry and every log): its
    address, a token of ``writer``, its process and the command line of its store."""
    union, db = unkept
    copy = tmp_path / "council.db"
    copy.write_bytes(db.read_bytes())
    entente = [*_entente(str(copy)), "--union", str(union)]
    secret = subprocess.run([*entente, "token", "create", "--for", writer], capture_output=True, text=True,
                            check=True).stdout.strip()
    port = _free_port()
    server = subprocess.Popen([*entente, "serve", "--port", str(port), *options], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    return f"http://127.0.0.1:{port}", secret, server, entente


def _write(base: str, secret: str) -> httpx.Response:
    return httpx.post(f"{base}/api/events/outside_event", headers={"Authorization": f"Bearer {secret}"}, timeout=30,
                      json={"date": "2050-03-01", "category": "note", "title": {"en": "Written while checked"}})


def test_a_write_during_the_start_check_waits_a_second_at_most_then_is_told_how_long(unkept, tmp_path):
    base, secret, server, entente = _serving(unkept, tmp_path, "secretariat")
    try:
        _wait_for(base, server)
        checking = httpx.get(f"{base}/api/checkpoint", timeout=30)  # signed once the log is checked, not before
        assert checking.status_code == 503, "the check was over before the first answer: make the record larger"
        assert int(checking.headers["retry-after"]) >= 1 and checking.json()["retry_after"] >= 1
        read = httpx.get(f"{base}/api/timeline?limit=5", timeout=30)
        assert read.status_code == 200
        began = time.monotonic()
        written = _write(base, secret)
        took = time.monotonic() - began
        if written.status_code == 503:
            assert took < 3  # a second of waiting, and the answer's way back on a busy machine
            told = written.json()
            assert "being checked" in told["error"] and told["retry_after"] == int(written.headers["retry-after"])
            assert httpx.get(f"{base}/api/conferences", timeout=30).status_code == 200  # reads still answered
            deadline = time.monotonic() + 120
            while written.status_code == 503 and time.monotonic() < deadline:
                time.sleep(min(told["retry_after"], 5))
                written = _write(base, secret)
                told = written.json()
        assert written.status_code == 201, written.text
        assert httpx.get(f"{base}/api/checkpoint", timeout=30).status_code == 200
    finally:
        _stop(server)
    # What that start checked it kept: the next resumes from it, and a write from the command line is recorded.
    done = subprocess.run([*entente, "record", "outside_event", "--data",
                           '{"date": "2050-03-02", "category": "note", "title": {"en": "After"}}'],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("recorded ")


def test_a_write_from_the_command_line_says_in_one_line_that_it_waits_for_the_check(unkept, tmp_path):
    union, db = unkept
    copy = tmp_path / "council.db"
    copy.write_bytes(db.read_bytes())  # nothing kept: the command checks every entry before it writes
    done = subprocess.run([*_entente(str(copy)), "--union", str(union), "record", "outside_event", "--data",
                           '{"date": "2050-03-02", "category": "note", "title": {"en": "Written after the check"}}'],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "being checked" in line]
    assert len(said) == 1 and said[0].endswith("s; waiting for it"), done.stderr
    assert done.stdout.startswith("recorded ")


def test_a_form_written_during_the_start_check_is_told_how_long_to_wait_as_the_api_is(unkept, tmp_path):
    base, secret, server, _entente_line = _serving(unkept, tmp_path, "P01")
    page = {"Accept": "text/html", "Sec-Fetch-Site": "same-origin", "Accept-Language": "lv"}
    try:
        _wait_for(base, server)
        signed = httpx.post(f"{base}/session", data={"token": secret}, headers=page, timeout=60)
        assert signed.status_code == 303, signed.text
        cookies = {"entente_session": signed.cookies["entente_session"]}
        api = httpx.get(f"{base}/api/checkpoint", timeout=30)  # asked first: the form's answer takes longer
        assert api.status_code == 503 and int(api.headers["retry-after"]) >= 1  # told alike by the API
        form = {"date": "2050-03-01", "title": "Written while checked", "subject": "trade", "classification": "public"}
        posted = httpx.post(f"{base}/delegation/question_raised", data=form, headers=page, cookies=cookies,
                            timeout=60)
        assert posted.status_code == 503, "the check was over before the form was sent: make the record larger"
        seconds = int(posted.headers["retry-after"])
        assert seconds >= 1
        assert "Written while checked" in posted.text  # the form shown again as it was filled in
        assert f"pēc {seconds} s" in posted.text  # told in the page's language when to send it again
    finally:
        _stop(server)


def test_server_processes_answer_reads_while_the_record_is_checked_and_take_writes_once_it_is(unkept, tmp_path):
    base, secret, server, _entente_line = _serving(unkept, tmp_path, "secretariat", "--workers", "2")
    try:
        _wait_for(base, server)
        checking = httpx.get(f"{base}/api/checkpoint", timeout=30)
        assert checking.status_code == 503, "the check was over before the first answer: make the record larger"
        assert int(checking.headers["retry-after"]) >= 1
        reads = [httpx.get(f"{base}/api/timeline?limit=5", timeout=60) for _ in range(4)]  # on either process
        assert {read.status_code for read in reads} == {200}
        written = _write(base, secret)
        deadline = time.monotonic() + 180
        while written.status_code == 503 and time.monotonic() < deadline:
            time.sleep(min(int(written.headers["retry-after"]), 5))
            written = _write(base, secret)
        assert written.status_code == 201, written.text
        signed = [httpx.get(f"{base}/api/checkpoint", timeout=30) for _ in range(4)]  # every process took it up
        assert {answer.status_code for answer in signed} == {200}
    finally:
        _stop(server)


def _checking(parent: int) -> set[int]:
    """The processes ``parent`` began that run still and check a record (each a fresh interpreter, spawned)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
            line = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(ppid) == parent and state != "Z" and b"spawn_main" in line:
            found.add(int(stat.parent.name))
    return found


def _runs(pid: int, within: float = 0) -> bool:
    """Whether the process runs (still, ``within`` seconds on, if it runs now)."""
    deadline = time.monotonic() + within
    while True:
        try:
            running = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            running = False
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.05)


def _locking(pid: int) -> bool:
    """Whether the process holds a file locked (as a check does while it runs)."""
    return any(line.split()[1:5] == ["FLOCK", "ADVISORY", "WRITE", str(pid)]
               for line in Path("/proc/locks").read_text().splitlines())


def test_a_server_started_while_a_stopped_servers_check_runs_waits_for_that_check_and_begins_none(unkept, tmp_path):
    base, _secret, first, entente = _serving(unkept, tmp_path, "secretariat")
    checks: set[int] = set()
    second: subprocess.Popen[str] | None = None
    try:
        _wait_for(base, first)
        deadline = time.monotonic() + 60
        while not (checks := _checking(first.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(checks) == 1, "the first start checked on a thread of its own: make the record larger"
        (check,) = checks
        while not _locking(check) and time.monotonic() < deadline:  # its check begun
            time.sleep(0.05)
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)  # not its output: the check, still running, holds it open
        assert _runs(check)  # left to finish what it checks, for the next start
        port = _free_port()
        second = subprocess.Popen([*entente, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, second)
        signed = httpx.get(f"{base}/api/checkpoint", timeout=30)
        if signed.status_code != 503:
            assert not _runs(check)
            pytest.fail("the first server's check was over before the second answered: make the record larger")
        assert int(signed.headers["retry-after"]) >= 1  # how long that check takes still, as it wrote it
        begun: set[int] = set()
        deadline = time.monotonic() + 180
        while signed.status_code == 503 and time.monotonic() < deadline:
            begun |= _checking(second.pid)
            time.sleep(0.2)
            signed = httpx.get(f"{base}/api/checkpoint", timeout=30)
        assert not begun, "the second server began a check of its own beside the running one"
        assert signed.status_code == 200, signed.text  # once the first server's check was done
        # The check let its lock go, then its process ends: a server that answers at once may answer first.
        assert not _runs(check, within=10) and not (tmp_path / "council.db.checking").exists()
    finally:
        if second is not None:
            _stop(second)
        if first.poll() is None:
            _stop(first)
        for pid in checks:
            if _runs(pid):
                os.kill(pid, signal.SIGKILL)
