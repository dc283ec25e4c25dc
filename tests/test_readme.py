"""Every `entente` example in the README runs as written on a fresh install, and shows something."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _without_comment(line: str) -> str:
    """The command without its trailing `# ...` comment (a # inside quotes is kept)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
    return line.rstrip()


def readme_commands() -> list[str]:
    """The README's shell examples that run `entente`, joined where one spans lines, in the README's order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        pending = ""
        for line in block.splitlines():
            pending = f"{pending}\n{line}" if pending else line
            if _without_comment(pending).count("'") % 2 or pending.rstrip().endswith("\\"):
                continue  # the command goes on on the next line
            command = _without_comment(pending).strip()
            pending = ""
            if "entente" in command.split(" ", 1)[0] or command.startswith(("TOKEN=$(entente", "eval ")):
                commands.append(command)
    return commands


def test_every_readme_example_works_on_a_fresh_install(tmp_path):
    commands = readme_commands()
    assert len(commands) >= 20
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if k != "ENTENTE_DB"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    for command in commands:
        if command.startswith("entente serve") or "…" in command:
            continue  # runs until stopped (tests/test_serve.py runs it), or has a place for the reader's own value
        shown = command + ' && echo "TOKEN=$TOKEN"' if command.startswith("TOKEN=") else command
        done = subprocess.run(["bash", "-c", shown], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=False, timeout=300)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr, command
        redirected = re.search(r"> (\S+)$", command)
        output = (tmp_path / redirected[1]).read_text(encoding="utf-8") if redirected else done.stdout
        assert output.strip() or command.startswith("eval "), f"{command} printed nothing"
        if command.startswith("TOKEN="):
            assert re.fullmatch(r"TOKEN=\S+\n", done.stdout), done.stdout  # the token alone, nothing more
