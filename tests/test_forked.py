"""Work begun in a forked copy of the process: done once, by the copy where one can be made, and here otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from entente import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


# Run by a fresh interpreter: one with no thread but its own, as ``entente load`` is when it forks (a test
# process may hold threads other tests left running).
_SCRIPT = """
import os, sys
from entente import forked
done, fail_in_copy, here = sys.argv[1], sys.argv[2] == "fail", os.getpid()

def work(in_copy):
    assert in_copy == (os.getpid() != here)
    if fail_in_copy and in_copy:
        raise RuntimeError("the copy stops")
    with open(done, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\\n")

forked.begun(work)()
print(here)
"""


def _done_by(done: Path, how: str) -> tuple[int, list[str]]:
    """The pid of a process that began and waited for some work, and the pids of those that did it."""
    ran = subprocess.run([sys.executable, "-c", _SCRIPT, str(done), how], capture_output=True, text=True, check=True)
    return int(ran.stdout), done.read_text(encoding="utf-8").split()


def test_work_begun_in_a_copy_is_done_there_once_by_the_time_it_is_waited_for(tmp_path):
    here, doers = _done_by(tmp_path / "done", "finish")
    assert len(doers) == 1 and int(doers[0]) != here


def test_work_the_copy_did_not_finish_is_done_here_when_waited_for(tmp_path):
    here, doers = _done_by(tmp_path / "done", "fail")
    assert doers == [str(here)]


def test_beside_another_thread_no_copy_is_forked_and_the_work_is_done_here_when_waited_for(tmp_path):
    done, here = tmp_path / "done", os.getpid()

    def work(in_copy: bool) -> None:
        assert not in_copy
        with done.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        wait = forked.begun(work)
        assert not done.exists()  # nothing done until waited for
        wait()
    finally:
        stop.set()
        other.join()
    assert done.read_text(encoding="utf-8").split() == [str(here)]
