"""Shell completion completes values: viewers and party codes, instrument ids, from the union on the line."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import CONSORTIUM


def complete(*words: str) -> list[str]:
    env = {**os.environ, "_ENTENTE_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(["entente", *words]),
           "COMP_CWORD": str(len(words))}
    done = subprocess.run([sys.executable, "-m", "entente"], env=env, capture_output=True, text=True, check=True)
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_party_codes_viewers_and_instruments_are_completed():
    assert complete("party", "L") == ["LV", "LT"]
    assert complete("--as", "p") == ["public", "PL"]
    assert "entente-1934" in complete("treaty", "") and complete("treaty", "ent") == ["entente-1934"]
    assert complete("--union", str(CONSORTIUM), "party", "") == ["HAM", "TAR", "RIG", "VIL", "GDA", "FUND"]
    assert complete("conf") == ["conferences"]


def test_the_shell_script_is_there_for_bash_zsh_and_fish():
    for shell in ("bash", "zsh", "fish"):
        done = subprocess.run([sys.executable, "-m", "entente"], env={**os.environ, "_ENTENTE_COMPLETE":
                              f"{shell}_source"}, capture_output=True, text=True, check=True)
        assert "_ENTENTE_COMPLETE" in done.stdout, shell
