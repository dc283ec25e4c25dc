"""The command line, run in process on a real SQLite store."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from entente.cli import main
from entente.secretariat.clearance import PUBLIC, visible
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union

from .conftest import CONSORTIUM, CONSORTIUM_EVENTS


def run(db_url, *args: str, union=CONSORTIUM):
    result = CliRunner().invoke(main, ["--db", db_url("cli"), "--union", str(union), *args])
    return result


def test_conferences_json(db_url):
    result = run(db_url, "conferences", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["number"], r["host"], r["place"], r["start"], r["end"]) for r in rows] == [
        (1, "HAM", "Hamburg", "2020-06-10", "2020-06-11"),
        (2, "TAR", "Tartu", "2021-06-09", "2021-06-09"),
        (3, "VIL", "Vilnius", "2023-05-04", "2023-05-04"),
    ]


def test_state_json_and_table(db_url):
    data = json.loads(run(db_url, "state", "--at", "2024-02-01", "--json").output)
    assert data["instruments"] == [{
        "id": "agreement-2020", "title": "Consortium Agreement", "form": "treaty", "status": "in_force",
        "parties": ["HAM", "RIG", "TAR", "VIL"], "signatories": ["GDA", "HAM", "RIG", "TAR", "VIL"],
        "signed": "2020-01-15", "in_force": "2020-03-01", "ended": None, "withdrawn": ["GDA"],
        "on_notice": {}, "suspended": {}, "since": dict.fromkeys(["HAM", "RIG", "TAR", "VIL"], "2020-03-01"),
    }]
    text = run(db_url, "state", "--at", "2024-02-01").output
    assert "as of 1 February 2024\n" in text
    assert "agreement-2020   in force   HAM RIG TAR VIL   Consortium Agreement" in text


def test_a_restricted_record_is_left_out_for_others(db_url):
    def ids(viewer):
        return [r["id"] for r in json.loads(run(db_url, "--as", viewer, "timeline", "--json").output)]

    assert "data-policy-gda" in ids("GDA")
    assert "data-policy-gda" in ids("secretariat")
    assert "data-policy-gda" not in ids("TAR")
    assert "data-policy-gda" not in ids("public")


def test_bad_arguments_say_what_is_wrong(db_url):
    result = run(db_url, "state", "--at", "1934-13-01")
    assert result.exit_code == 2 and '"1934-13-01" is not a date this reads' in result.stderr
    result = run(db_url, "--as", "lv!", "timeline")
    assert result.exit_code == 2 and "unknown viewer 'lv!'" in result.output


def test_verify_and_the_installed_command(db_url):
    done = subprocess.run(
        [sys.executable, "-c", "from entente.cli import run; run()", "--db", db_url("x"),
         "--union", str(CONSORTIUM), "verify"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"intact: {CONSORTIUM_EVENTS} entries in the record")


def test_the_baltic_entente_on_either_back_end(store_url):
    """The whole job runs on PostgreSQL as on SQLite: loaded once, the same answers, an intact chain."""
    def run_on(*args: str):
        return CliRunner().invoke(main, ["--db", store_url, *args])

    rows = json.loads(run_on("conferences", "--json").output)
    assert [r["number"] for r in rows if r["number"]] == list(range(1, 12))
    again = json.loads(run_on("--as", "public", "conferences", "--json").output)
    assert [r["number"] for r in again if r["number"]] == list(range(1, 12))
    verified = run_on("verify")
    record = bundled_record(load_union(DEFAULT_UNION))
    assert verified.exit_code == 0 and verified.output.startswith(f"intact: {len(record)} entries in the record")
    public = run_on("--as", "public", "verify")  # the public hears of its own entries only
    assert public.exit_code == 0 and public.output.startswith(
        f"intact: {len(visible(record, PUBLIC))} entries in public's log")


def test_a_store_holds_one_unions_record(db_url):
    assert run(db_url, "conferences").exit_code == 0  # the consortium claims cli.db
    result = CliRunner().invoke(main, ["--db", db_url("cli"), "conferences"])  # the Baltic Entente
    assert result.exit_code == 4
    assert "this store holds the record of 'baltic-sea-archives', not 'baltic-entente'" in result.stderr


def test_the_treaty_reads_article_by_article_beside_its_rules(db_url):
    text = run(db_url, "treaty", "agreement-2020").output
    assert "Consortium Agreement (agreement-2020); decisions by qualified" in text
    article = text.index("  Article 4: General Assembly")
    # The passages the settings cite are marked in the text, which reads as the file gives it.
    assert text.index("⟦meets at least once⟧ ⟦in every calendar year⟧") > article
    assert "Its meetings are hosted" in text.replace("\n", " ")
    assert text.index("→ rule assembly-rotation (host_rotation): reading=strict_order") > article
    assert run(db_url, "treaty", "nothing").exit_code == 1


def test_tokens_created_listed_and_revoked_by_the_operator(db_url):
    created = CliRunner().invoke(main, ["--db", db_url("t"), "token", "create", "--for", "LV",
                                        "--label", "Latvian delegation"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()  # the token alone, for TOKEN=$(entente token create ...)
    announce = created.stderr.strip()
    token_id = announce.split()[1]
    assert announce.endswith("for LV; it will not be shown again:") and secret.startswith(token_id)
    assert "\n" not in secret
    listed = CliRunner().invoke(main, ["--db", db_url("t"), "token", "list", "--json"]).output
    assert secret not in listed and json.loads(listed)[0]["viewer"] == "LV"
    assert "revoked" in CliRunner().invoke(main, ["--db", db_url("t"), "token", "revoke", token_id]).output
    by_party = CliRunner().invoke(main, ["--db", db_url("t"), "--as", "LT", "token", "create",
                                         "--for", "LT"])
    assert by_party.exit_code != 0 and "only the secretariat issues and revokes tokens" in by_party.output
    unknown = CliRunner().invoke(main, ["--db", db_url("t"), "token", "create", "--for", "XX"])
    assert unknown.exit_code != 0 and "XX is not a party of baltic-entente" in unknown.output


def test_the_record_as_it_stood_at_a_record_time(tmp_path, db_url):
    assert run(db_url, "conferences").exit_code == 0
    late = tmp_path / "late.yaml"
    late.write_text('events:\n  - {kind: conference_held, id: assembly-2024, date: "2024-06-01", number: 4,'
                    ' instrument: agreement-2020, host: GDA}\n', encoding="utf-8")
    assert run(db_url, "load", str(late)).exit_code == 0
    rows = {r["id"]: r for r in json.loads(run(db_url, "timeline", "--json").output)}
    first_load = rows["agreement-signed"]["recorded"]
    assert rows["assembly-2024"]["recorded"] > first_load
    then = json.loads(run(db_url, "--known-at", first_load, "timeline", "--json").output)
    assert "assembly-2024" not in [r["id"] for r in then] and len(then) == CONSORTIUM_EVENTS
    assert json.loads(run(db_url, "--known-at", "2000-01-01", "timeline", "--json").stdout) == []
    assert "Nothing was recorded by 2000-01-01 23:59:59 UTC; the record begins at " in \
        run(db_url, "--known-at", "2000-01-01", "timeline").stderr
    bad = run(db_url, "--known-at", "someday", "timeline")
    assert bad.exit_code == 2 and "is not a day (YYYY-MM-DD) or a date-time" in bad.output


def test_the_timeline_as_csv(db_url):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run(db_url, "timeline", "--csv").output)))
    assert len(rows) == CONSORTIUM_EVENTS
    first = rows[0]
    assert (first["id"], first["date"], first["document"]) == ("agreement-signed", "2020-01-15", "minutes")
    assert first["quote"] == "The Consortium Agreement was signed by all five partners."


def test_the_main_job_on_the_baltic_entente(db_url, monkeypatch):
    """What `make run` prints, on one screen of 80 columns: the instruments, conferences, breaches, what next."""
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(main, ["--db", db_url("main"), "overview"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert len(text.splitlines()) <= 35 and max(len(line) for line in text.splitlines()) <= 80
    assert text.startswith("Baltic Entente: the record as the secretariat sees it\n")
    assert "as of 1 July 1940 (the last day of the record; the union has ended)" in text
    assert re.search(r"entente-1934 +12 September 1934 +1934–1940 +terminated", text)
    # The conferences under the 1934 treaty are counted apart from the regional ones of 1919-1920.
    rows = json.loads(CliRunner().invoke(main, ["--db", db_url("main"), "conferences", "--json"]).output)
    under = [r for r in rows if r["instrument"] == "entente-1934"]
    others = [r for r in rows if r["instrument"] is None]
    assert f"Conferences under entente-1934: {len(under)} held; the last 14–16 March 1940 in Riga." in text
    assert f"conferences under no instrument: {len(others)} entries, 1919–1920." in text
    # The verdicts are counted under one reading of each contested article, and the line says so: a period
    # judged under three readings is not three breaches.  A count's noun agrees with it: "1 breach", "2 breaches".
    findings = json.loads(CliRunner().invoke(main, ["--db", db_url("main"), "compliance", "--reading",
                                                    "calendar-year", "--json"]).output)
    breaches = sum(f["status"] == "breach" for f in findings)
    every = json.loads(CliRunner().invoke(main, ["--db", db_url("main"), "compliance", "--json"]).output)
    assert sum(f["status"] == "breach" for f in every) > breaches
    assert "(each contested article under its first reading)" in " ".join(text.split())
    assert f", {breaches} {'breach' if breaches == 1 else 'breaches'}, " in text
    assert re.search(r"entente-1934, art\. 2 +1938: 1 of at least 2", text)
    assert "1 short (reading: calendar-year)" in text  # each breach names the reading it follows
    # The example day is the month of the record's middle entry, in words.
    assert re.search(r'entente state --at "[A-Z][a-z]+ 19[1-4]\d"', text) and "entente search riga" in text
    assert "\x1b[" not in text  # no colour codes when the output is not a terminal


def test_the_presidency_is_what_the_rule_gives_and_ends_with_the_instruments(db_url):
    def state(at: str) -> str:
        result = CliRunner().invoke(main, ["--db", db_url("s"), "state", "--at", at])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    # No source names who presided: the line says who would hold the presidency by the article.
    assert "presidency of entente-1934, art. 2: LV would hold it since 10 June 1938" in state("1938-07")
    # Once every instrument has ended, no one holds a presidency.
    assert "presidency" not in state("1940-08")


def test_one_party_on_one_day(db_url):
    def party(*args: str):
        return CliRunner().invoke(main, ["--db", db_url("p"), *args])

    lithuania = json.loads(party("party", "LT", "--at", "1939-04-01", "--json").output)
    assert [i["id"] for i in lithuania["bound_by"]] == ["declaration-1934", "entente-1934"]
    # The request of March 1939 is inferred by the record: its refusal is reported, never a breach.
    assert not any(f.get("subject") == "klaipeda-1939" for f in lithuania["breaches"])
    assert any(d.get("by") == "1939-12-31" for d in lithuania["due"])
    public = json.loads(party("--as", "public", "party", "LT", "--at", "1939-04-01", "--json").output)
    assert [i["id"] for i in public["bound_by"]] == ["entente-1934"]  # the declaration is not the public's
    unknown = party("party", "XX", "--at", "1939-04-01")
    assert unknown.exit_code == 1 and "'XX' is not a party of baltic-entente" in unknown.output
