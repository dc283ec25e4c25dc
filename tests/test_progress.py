"""Long loads show a progress bar on a terminal, and nothing of it when the output is piped."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

from rich.console import Console

from entente.cli import progress

from .conftest import CONSORTIUM

ENTENTE = [sys.executable, "-c", "from entente.cli import run; run()"]


def _record_file(path: Path, count: int) -> Path:
    lines = ["events:"]
    for i in range(count):
        lines += ["  - kind: outside_event", f"    id: news-{i}", f'    date: "2024-{i % 12 + 1:02d}-01"',
                  "    category: press", f"    title: {{en: News {i}}}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def _command(tmp_path: Path, db: str) -> list[str]:
    return [*ENTENTE, "--db", db, "--union", str(CONSORTIUM), "load",
            str(_record_file(tmp_path / "news.yaml", 800))]


def test_a_long_load_on_a_terminal_shows_a_bar(tmp_path, db_url):
    main, secondary = os.openpty()
    done = subprocess.Popen(_command(tmp_path, db_url("r")), stdin=secondary, stdout=secondary, stderr=secondary,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert done.wait(timeout=120) == 0
    text = seen.decode(errors="replace")
    assert "checking news.yaml" in text and "/800" in text
    assert "800 new events recorded" in text


def test_a_piped_load_shows_no_bar(tmp_path, db_url):
    done = subprocess.run(_command(tmp_path, db_url("r")), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "800 new events recorded" in done.stdout
    assert "checking" not in done.stderr and "entries/s" not in done.stderr


def test_the_bar_runs_no_thread_of_its_own_so_a_load_can_fork_its_reader(monkeypatch):
    shown = io.StringIO()
    monkeypatch.setattr(progress, "_console", Console(file=shown, force_terminal=True, width=120))
    before = set(threading.enumerate())
    with progress.bar("checking news.yaml", 800) as tick:
        tick(1)
        assert set(threading.enumerate()) <= before  # none started: ``forked.possible``, so a load may fork
        for _ in range(799):
            tick(1)
    assert "checking news.yaml" in shown.getvalue() and "1/800" in shown.getvalue()
