"""Alliance coding (ATOP core variables), derived from treaty files and the record alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import read_treaties
from entente.secretariat.clearance import PUBLIC, visible
from entente.views.coding import coding
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record

from .conftest import CONSORTIUM

SRC = Path(__file__).parent.parent / "src" / "entente"
VARIABLES = ["members", "begin", "end", "bilat", "defense", "offense", "neutral", "nonagg", "consul", "length",
             "addmem"]


@pytest.fixture(scope="module")
def baltic_codes(baltic):
    return {c.instrument: c for c in coding(baltic, read_treaties(DEFAULT_UNION), bundled_record(baltic))}


def test_the_baltic_entente_as_atop_codes_it(baltic_codes):
    c = baltic_codes["entente-1934"]
    assert (c.members, c.begin, c.bilat, c.defense, c.consul, c.length, c.addmem) == (
        [366, 367, 368], "1934-09-12", 0, 0, 1, 120, 1)
    assert (c.offense, c.neutral, c.nonagg, c.members_uncoded, c.end) == (0, 0, 0, [], "1940-07-01")
    assert c.derivation["consul"].startswith("rule consultation (consultation, article 1 of entente-1934)")
    assert c.derivation["length"].startswith("rule term (duration, article term of entente-1934)")
    assert c.derivation["end"] == "record entry entente-1934-annulled (LV annulled it)"


def test_the_1923_treaty_is_a_bilateral_defence_and_consultation_pact_renewed_in_1934(baltic_codes):
    c = baltic_codes["defence-1923"]
    assert (c.members, c.begin, c.end, c.bilat, c.defense, c.consul, c.length, c.addmem) == (
        [366, 367], "1923-11-01", "1940-06-29", 1, 1, 1, 120, 0)
    assert "form military, trigger attack" in c.derivation["defense"]
    # The Latvian-Estonian treaty of 17 February 1934 is that alliance renewed, not an alliance of its own.
    assert c.renewed == ["union-1934 (1934-02-17)"] and "union-1934-signed" in c.derivation["renewed"]


def test_only_alliances_in_atops_sense_are_coded_and_every_variable_says_where_it_comes_from(baltic_codes):
    # Neither the confidential declaration nor the commitment of 1935 carries an obligation ATOP codes.
    assert sorted(baltic_codes) == ["defence-1923", "entente-1934"]
    for c in baltic_codes.values():
        assert set(VARIABLES) <= set(c.derivation)


def test_the_public_codes_only_what_it_may_see(baltic):
    # On the record's last day, 1 July 1940; the declaration was published in 1996.
    codes = coding(baltic, read_treaties(DEFAULT_UNION), visible(bundled_record(baltic), PUBLIC, at="1940-07-01"))
    assert "declaration-1934" not in [c.instrument for c in codes]


def test_the_consortium_agreement_from_its_own_files(consortium):
    [c] = coding(consortium, read_treaties(CONSORTIUM), bundled_record(consortium))
    assert (c.instrument, c.members, c.members_uncoded) == ("agreement-2020", [], ["GDA", "HAM", "RIG", "TAR", "VIL"])
    assert (c.begin, c.end, c.bilat, c.defense, c.consul, c.length, c.addmem) == (
        "2020-01-15", "2024-01-31", 0, 0, 1, None, 1)
    assert c.derivation["end"] == "record entry gda-withdraws (GDA denounced it)"


def test_code_command_json_and_table(db_url):
    def run(*args):
        result = CliRunner().invoke(main, ["--db", db_url("k"), *args])
        assert result.exit_code == 0, result.output
        return result.output

    rows = {r["instrument"]: r for r in json.loads(run("code", "--json"))}
    assert rows["entente-1934"]["members"] == [366, 367, 368] and rows["entente-1934"]["length"] == 120
    assert re.search(r"entente-1934 +366 367 368 +12 September 1934 +1 July 1940 +120 +consul addmem\b", run("code"))


def test_no_export_module_names_a_union_or_its_parties():
    files = [SRC / "views" / "schedule.py", SRC / "cli" / "exports.py", *(SRC / "export").glob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"baltic|entente-19|\b(EE|LV|LT|366|367|368)\b", text, re.IGNORECASE), path
