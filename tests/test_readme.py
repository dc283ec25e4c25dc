"""Every `entente` example of the README and of the documentation's pages runs as written on a fresh install, and
shows something; every `make` target they name is one the Makefile has."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# The README, then every page of the documentation (the reference pages too, should one show an example).
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# What a reader in the project folder has beside a fresh install: the example record files and the tests' unions.
PROJECT_FOLDERS = ("examples", "tests/unions")


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


def shell_blocks(page: Path) -> list[str]:
    """The page's fenced shell examples."""
    return re.findall(r"```(?:sh|shell|bash)\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)


def page_commands(page: Path) -> list[str]:
    """The page's shell examples that run `entente`, joined where one spans lines, in the page's order."""
    commands = []
    for block in shell_blocks(page):
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


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


EXAMPLES = {_name(page): page_commands(page) for page in PAGES}


def test_the_pages_show_the_commands_at_work():
    assert sum(len(commands) for commands in EXAMPLES.values()) >= 30
    assert len(EXAMPLES["docs/guide.md"]) >= 20, "the command line's tour"


@pytest.mark.parametrize("page", [name for name, commands in EXAMPLES.items() if commands])
def test_every_example_works_on_a_fresh_install(page, tmp_path):
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {k: v for k, v in os.environ.items() if k != "ENTENTE_DB"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    for command in EXAMPLES[page]:
        if command.startswith("entente serve") or "…" in command:
            continue  # runs until stopped (tests/test_serve.py runs it), or has a place for the reader's own value
        shown = command + ' && echo "TOKEN=$TOKEN"' if command.startswith("TOKEN=") else command
        done = subprocess.run(["bash", "-c", shown], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=False, timeout=300)
        assert done.returncode == 0, (page, command, done.stderr)
        assert "Traceback" not in done.stderr, (page, command)
        redirected = re.search(r"(?:>|--output) (\S+)$", command)
        output = (tmp_path / redirected[1]).read_text(encoding="utf-8") if redirected else done.stdout
        assert output.strip() or command.startswith("eval "), f"{page}: {command} printed nothing"
        if command.startswith("TOKEN="):
            assert re.fullmatch(r"TOKEN=\S+\n", done.stdout), done.stdout  # the token alone, nothing more


def test_every_make_command_named_is_a_target_of_the_makefile():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    named = {(_name(page), target) for page in PAGES
             for target in re.findall(r"`make ([\w-]+)", page.read_text(encoding="utf-8"))}
    named |= {(_name(page), line.split()[1]) for page in PAGES for block in re.findall(
        r"```[a-z]*\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
        for line in (line.strip().removeprefix("$ ") for line in block.splitlines()) if re.match(r"make \w", line)}
    assert {"run", "test"} <= {target for page, target in named if page == "README.md"}
    assert not {(page, t) for page, t in named if t not in targets}, "named, but not a target of the Makefile"
