"""Output for people: tables that fit the terminal, dates in words, lists in date order, colour only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from datetime import datetime

from click.testing import CliRunner

from entente.cli import main

from .conftest import CONSORTIUM

EDTF_CODE = re.compile(r"\b\d{4}-\d{2}\b")  # 1920-36, 1935-40, 1939-03: never shown to a reader in a date column


def run(db_url, *args: str, union=None, columns: int = 200):
    union_args = ["--union", str(union)] if union else []
    result = CliRunner().invoke(main, ["--db", db_url("o"), *union_args, *args],
                                env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_tables_fit_the_terminal_and_wrap_long_cells(db_url):
    for columns in (60, 100):
        for command in (["next", "--at", "1938-07-01"], ["due", "--at", "1938-07"], ["timeline"], ["code"],
                        ["state", "--at", "1938"], ["party", "LT", "--at", "1939-04"], ["compliance"]):
            lines = run(db_url, *command, columns=columns).splitlines()
            assert max(len(line) for line in lines) <= columns, (command, columns)
    # The long reason in `next` is wrapped, not cut: all of it is there.
    text = " ".join(run(db_url, "next", "--at", "1938-07-01", columns=60).split())
    assert "each party hosts once" in text and "Kaunas" in text


def test_dates_are_written_as_words_never_as_edtf_codes(db_url):
    timeline = run(db_url, "timeline")
    assert "first half of 1935" in timeline and "fourth quarter of 1920" in timeline
    assert "30 November – 2 December 1934" in run(db_url, "conferences")
    for command in (["conferences"], ["code"], ["due", "--at", "1938-07"], ["next"]):
        dates_column = [line[:34] for line in run(db_url, *command).splitlines()]
        assert not any(EDTF_CODE.search(cell) for cell in dates_column), command
    assert not re.search(r"^\d{4}-\d{2}", timeline, re.MULTILINE)
    # Nor in running text: the rules' findings and what is due (an id such as conference-1939-09 aside; the
    # timeline's quotes and notes are given as the source and the record wrote them).
    standalone = re.compile(r"(?<![\w-])\d{4}-\d{2}(?![\d-])")
    for command in (["compliance"], ["due", "--at", "1938-07"], ["next", "--at", "1938-07-01"],
                    ["party", "LT", "--at", "1939-04"], ["overview"]):
        shown = run(db_url, *command).split("Ask further:")[0]  # the commands named after it are to be typed
        assert not standalone.search(shown), command


def test_what_is_due_comes_soonest_first_and_says_which_day(db_url):
    text = run(db_url, "due", "--at", "1938-07")
    assert text.startswith("as of 31 July 1938 (the last day of July 1938)\n")
    days = re.findall(r"^(\d{1,2} \w+ \d{4})\s", text, re.MULTILINE)
    parsed = [datetime.strptime(d, "%d %B %Y") for d in days]
    assert len(parsed) >= 3 and parsed == sorted(parsed)
    rows = json.loads(run(db_url, "due", "--at", "1938-07", "--json"))
    by = [r.get("by") or r.get("on") for r in rows if r.get("by") or r.get("on")]
    assert by == sorted(by)


def test_json_is_for_machines_and_unchanged_by_the_screen(db_url):
    narrow = run(db_url, "state", "--at", "1938-03-31", "--json", columns=40)
    wide = run(db_url, "state", "--at", "1938-03-31", "--json", columns=200)
    assert narrow == wide and json.loads(narrow)["at"] == "1938-03-31"


def _on_a_terminal(db_url, *args: str, **env: str) -> str:
    """The command's output as a terminal shows it: standard output is a pseudo-terminal."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm-256color", **env}
    process = subprocess.Popen([sys.executable, "-m", "entente", "--db", db_url("t"), *args],
                               stdout=terminal, stderr=subprocess.PIPE, env=environment)
    os.close(terminal)
    out = b""
    try:  # read while it writes: a terminal holds only a few kilobytes unread
        while chunk := os.read(controller, 65536):
            out += chunk
    except OSError:  # the terminal's last writer is gone
        pass
    os.close(controller)
    _, stderr = process.communicate(timeout=120)
    done = subprocess.CompletedProcess(process.args, process.returncode, None, stderr)
    assert done.returncode == 0, done.stderr
    return out.decode("utf-8", "replace")


def test_colour_on_a_terminal_and_never_under_no_color_or_in_a_pipe(db_url):
    assert "\x1b[" in _on_a_terminal(db_url, "compliance")
    assert "\x1b[" not in _on_a_terminal(db_url, "compliance", NO_COLOR="1")
    piped = subprocess.run([sys.executable, "-m", "entente", "--db", db_url("t"), "compliance"],
                           capture_output=True, text=True, check=True, env={**os.environ, "TERM": "xterm-256color"})
    assert "\x1b[" not in piped.stdout and "breach" in piped.stdout


def test_csv_has_one_plain_column_per_field_and_an_optional_byte_order_mark(db_url):
    plain = CliRunner().invoke(main, ["--db", db_url("c"), "timeline", "--csv"]).stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(plain.decode("utf-8"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id["declaration-1934-signed"]["classification"] == "parties of declaration-1934"
    assert {r["classification"] for r in rows} <= {"public", "parties of declaration-1934", "parties of entente-1934"}
    assert not any(v.startswith(('{"', '[{', '["')) for r in rows for v in r.values() if v)  # no JSON in any cell
    assert "Ženēvā" in by_id["entente-1934-signed"]["quote"]
    marked = CliRunner().invoke(main, ["--db", db_url("c"), "timeline", "--csv", "--bom"]).stdout_bytes
    assert marked == b"\xef\xbb\xbf" + plain
    # What a spreadsheet program does: read it with the mark as UTF-8 text.
    assert list(csv.DictReader(io.StringIO(marked.decode("utf-8-sig")))) == rows


def test_search_folds_case_and_accents_and_ranks(db_url):
    def ids(query: str, *viewer: str) -> list[str]:
        return [r["id"] for r in json.loads(run(db_url, *viewer, "search", query, "--json"))]

    assert ids("vilnas") == ids("Viļņas") == ids("VIĻŅAS") and len(ids("vilnas")) == 6
    assert ids("Klaipeda") == ids("klaipėda") and ids("Klaipeda")
    ranked = json.loads(run(db_url, "search", "klaipeda ultimatum", "--json"))
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert ranked[0]["id"] == "germany-ultimatum-klaipeda-1939"
    hyphened = ids("klaipeda-1939")  # words joined by a hyphen, as in an id, are looked for together
    assert hyphened and all("1939" in i for i in hyphened) and set(hyphened) < set(ids("klaipeda"))
    assert "nothing found" in run(db_url, "search", "zzzz")


def test_search_ranks_over_what_the_viewer_sees_only(tmp_path, db_url):
    """A restricted entry changes neither the public's matches nor its scores: compared with a record without it."""
    union = tmp_path / "consortium"
    shutil.copytree(CONSORTIUM, union)
    record = (union / "record.yaml").read_text(encoding="utf-8")
    secret = ("  - kind: outside_event\n    id: secret-policy\n    date: \"2021-03-01\"\n"
              "    category: other\n    title: {en: policy policy policy data policy}\n"
              "    classification: {parties: [GDA]}\n")
    (union / "record.yaml").write_text(record.rstrip("\n") + "\n" + secret, encoding="utf-8")
    with_secret = json.loads(CliRunner().invoke(main, ["--db", db_url("a"), "--union", str(union),
                                                       "--as", "public", "search", "policy", "--json"]).stdout)
    without = json.loads(CliRunner().invoke(main, ["--db", db_url("b"), "--union", str(CONSORTIUM),
                                                   "--as", "public", "search", "policy", "--json"]).stdout)
    assert with_secret and [(r["id"], r["score"]) for r in with_secret] == [(r["id"], r["score"]) for r in without]
    secretariat = json.loads(CliRunner().invoke(main, ["--db", db_url("a"), "--union", str(union),
                                                       "search", "policy", "--json"]).stdout)
    assert secretariat[0]["id"] == "secret-policy"  # the secretariat, who may see it, finds it first


def test_search_answers_the_same_on_either_store(store_url, tmp_path):
    def search(db: str, *viewer: str) -> list[tuple[str, float]]:
        result = CliRunner().invoke(main, ["--db", db, "--union", str(CONSORTIUM), *viewer, "search", "assembly",
                                           "--json"])
        assert result.exit_code == 0, result.output
        return [(r["id"], r["score"]) for r in json.loads(result.stdout)]

    reference = str(tmp_path / "reference.db")  # SQLite, whichever store is under test
    for viewer in ((), ("--as", "public"), ("--as", "GDA")):
        assert search(store_url, *viewer) == search(reference, *viewer)
    assert len(search(store_url)) >= 3


def test_a_table_of_thousands_of_rows_fits_the_terminal_and_keeps_every_row_and_word(monkeypatch, capsys):
    from entente.cli.render import LARGE, show, table

    monkeypatch.setenv("COLUMNS", "60")
    rows = [[f"article {i % 7}", "met" if i % 3 else "breach",
             f"row {i}: the parties came to an understanding on question {i} within ninety days\nas the treaty asks"]
            for i in range(3 * LARGE)]
    show(table(rows, ["instrument", "finding", "detail"], wide=2))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["instrument", "finding", "detail"]
    assert max(len(line) for line in lines) <= 60
    assert " ".join(" ".join(line.split()) for line in lines[2:]) == " ".join(
        " ".join(" ".join(row).split()) for row in rows)  # every word, row after row, columns side by side
    assert lines[2].startswith("article 0") and lines[2].index("breach") == lines[0].index("finding")


def test_a_finding_names_the_entry_it_is_about_once(db_url):
    # The sentence of a finding on a proposal or a request already names it by its title: not put before it again.
    for title in ("Lithuania proposes to convene a conference of the Baltic Entente",
                  "Lithuania asks for Latvia's and Estonia's support"):
        rows = [line for line in run(db_url, "compliance", columns=1000).splitlines() if title in line]
        assert rows and all(line.count(title) == 1 for line in rows), rows
