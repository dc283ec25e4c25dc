"""A command loads what it needs and no more: `entente -h` and `--version` load no store, rules, dates in
words, Rich, web framework or calendar library, and each of those is loaded by the commands that use it.

Not timed (bench/startup.py times them): what is asserted is which libraries a command line leaves imported.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# The command run as `entente`, then the names of the modules it imported, after a line of its own.
_RUN = """
import sys
from entente.cli import run
sys.argv = ["entente", *sys.argv[1:]]
try:
    run()
except SystemExit as done:
    code = done.code
print("\\nimported:", " ".join(sorted(sys.modules)), "exit:", code)
"""

HEAVY = ("psycopg", "dateparser", "edtf", "rich", "icalendar", "litestar", "uvicorn", "jinja2", "babel",
         "pymerkle", "cryptography", "yaml", "entente.rules", "entente.record", "entente.secretariat.service")


def imported(*args: str) -> set[str]:
    """The modules the command leaves imported, each heavy one by the name of its package; it must succeed."""
    done = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, timeout=120)
    out, _, last = done.stdout.rpartition("\nimported: ")
    names, _, code = last.partition(" exit: ")
    assert code.strip() in ("0", "None"), f"{args} failed: {done.stderr or out}"
    loaded = set(names.split())
    return {h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in loaded)}


@pytest.mark.parametrize("args", [["--version"], ["-h"], ["overview", "-h"], ["record", "-h"], ["serve", "-h"],
                                  ["token", "create", "-h"], ["--as", "LV", "party", "-h"]])
def test_help_and_version_load_none_of_the_heavy_libraries(args):
    assert imported(*args) == set()


def test_a_view_loads_the_store_rules_and_rich_but_not_the_web_nor_the_calendar(store_url):
    loaded = imported("--db", store_url, "overview")
    assert {"rich", "entente.rules", "entente.record", "yaml"} <= loaded
    assert not loaded & {"litestar", "uvicorn", "jinja2", "icalendar", "dateparser"}
    # The bundled record's dates are all read without the EDTF parser, on the first use of a store as after.
    assert "edtf" not in loaded
    assert ("psycopg" in loaded) == store_url.startswith("postgresql://")


def test_a_date_in_words_loads_dateparser_and_a_date_in_edtf_does_not(tmp_path):
    db = str(tmp_path / "r.db")
    assert "dateparser" not in imported("--db", db, "state", "--at", "1938-03")
    assert "dateparser" not in imported("--db", db, "state", "--at", "1938. gada martā")
    assert "dateparser" in imported("--db", db, "state", "--at", "March 1938")


def test_only_the_calendar_loads_the_calendar_library(tmp_path):
    db = str(tmp_path / "r.db")
    assert "icalendar" in imported("--db", db, "calendar", "--output", str(tmp_path / "b.ics"))
    assert "icalendar" not in imported("--db", db, "next") | imported("--db", db, "code")
