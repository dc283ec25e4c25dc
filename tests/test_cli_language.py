"""The command line in Latvian: `--lang lv` or a Latvian locale gives every report's own words from the catalog
the web pages use, counts in the plural form each language gives them, and dates in the case their preposition
governs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.vocabulary.definition import load_union


def run(db: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, ["--db", db, *args], env={"COLUMNS": "200", **(env or {})})
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def latvian_form(n: int, one: str, few: str, zero: str) -> str:
    """The Latvian plural: 1, 21, 31… (not 11) take the singular, 0 the genitive plural, the rest the plural."""
    return one if n % 10 == 1 and n % 100 != 11 else few if n else zero


@pytest.mark.parametrize("how", [["--lang", "lv"], ["overview", "--lang", "lv"]], ids=["before", "after"])
def test_lang_lv_gives_the_overview_in_latvian(db_url, how):
    db = db_url("main")
    args = how if how[0] == "overview" else [*how, "overview"]
    text = run(db, *args)
    assert text.startswith("Baltijas Antante: ieraksti, kā tos redz sekretariāts")
    assert "dalībvalstis: Igaunija, Latvija, Lietuva." in text
    assert "1940. gada 1. jūlijā (pēdējā ierakstu diena; savienība ir beigusies)" in text
    assert "pēdējā 1940. gada 14.–16. martā (Rīga)" in text
    assert "entente-1934, 2. pants" in text  # a numbered article as Latvian numbers it
    for english in ("What the treaties make of it", "Ask further", "the record as", "breach"):
        assert english not in text


def test_the_locale_chooses_the_language_and_lang_overrides_it(db_url):
    db = db_url("main")
    assert run(db, "overview", env={"LANG": "lv_LV.UTF-8"}).startswith("Baltijas Antante: ieraksti")
    assert run(db, "overview", env={"LANG": "C.UTF-8", "LANGUAGE": "lv:en"}).startswith("Baltijas Antante: ieraksti")
    assert run(db, "--lang", "en", "overview", env={"LANG": "lv_LV.UTF-8"}).startswith("Baltic Entente: the record")
    assert run(db, "overview", env={"LANG": "de_DE.UTF-8"}).startswith("Baltic Entente: the record")


def test_a_language_without_a_catalog_is_one_line_naming_those_there_are(db_url):
    result = CliRunner().invoke(main, ["--db", db_url("main"), "--lang", "xx", "overview"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: Invalid value for '--lang': no catalog for 'xx': the languages are en, lv; see 'entente --help'"]


def test_counts_take_the_plural_form_of_each_language(db_url):
    """The conferences held so far on days with 1, 2 and 8 behind them, said in English and in Latvian."""
    db = db_url("main")
    seen = set()
    for day in ("1934-12-31", "1935-06-01", "1938-07-01"):
        held = json.loads(CliRunner().invoke(main, ["--db", db, "state", "--at", day, "--json"]).stdout)
        n = held["conferences_held"]
        seen.add(n)
        english = run(db, "state", "--at", day)
        assert f": {n} {'conference' if n == 1 else 'conferences'} held so far" in english
        latvian = run(db, "--lang", "lv", "state", "--at", day)
        verb = "notikusi" if latvian_form(n, 1, 2, 0) == 1 else "notikušas"
        noun = latvian_form(n, "konference", "konferences", "konferenču")
        assert f"līdz šim {verb} {n} {noun}" in latvian, latvian
    assert len(seen) == 3 and 1 in seen
    # The verdicts' counts on the overview agree with their numbers in both languages.
    counts = re.search(r"(\d+) met, (\d+) (breach|breaches), (\d+) pending", run(db, "overview"))
    assert counts and counts[3] == ("breach" if counts[2] == "1" else "breaches")
    latvian = run(db, "--lang", "lv", "overview")
    breaches = int(counts[2])
    assert f"{breaches} {latvian_form(breaches, 'pārkāpums', 'pārkāpumi', 'pārkāpumu')}," in latvian
    pending = int(counts[4])
    assert f"{pending} {latvian_form(pending, 'vēl neizšķirts', 'vēl neizšķirti', 'vēl neizšķirtu')}" in latvian


def test_dates_take_the_case_their_preposition_governs(db_url):
    db = db_url("main")
    text = run(db, "--lang", "lv", "state", "--at", "1938-07")
    assert "to ieņemtu LV kopš 1938. gada 10. jūnija" in text  # "kopš" takes the genitive
    assert "1938. gada 31. jūlijā (pēdējā diena 1938. gada jūlijā)" in text
    assert "since 10 June 1938" in run(db, "state", "--at", "1938-07")


def test_a_finding_is_said_in_latvian_with_the_plural_form_and_case_its_numbers_and_dates_need(db_url):
    """Each periodic finding under the calendar-year reading, in Latvian: the year in the locative, the count held
    in the form its number takes, and what is short; in English as the rule writes it."""
    db = db_url("main")
    findings = json.loads(CliRunner().invoke(main, ["--db", db, "compliance", "--json"]).stdout)
    years = [f for f in findings if f["rule"] == "periodic_meetings" and f.get("reading_name") == "calendar-year"]
    held = {f["said"]["values"]["count"]["n"] if "count" in f["said"]["values"] else f["said"]["n"] for f in years}
    assert {1, 2} <= held  # a singular and a plural form
    latvian, english = run(db, "--lang", "lv", "compliance"), run(db, "compliance")
    for f in years:
        said = f["said"]["values"].get("count", f["said"])
        n, minimum, year = said["n"], said["values"]["minimum"], f["period"]
        verb = latvian_form(n, "notikusi", "notikušas", "notikušas")
        assert f"{year}. gadā: ārlietu ministru konferences — {verb} {n} no vismaz {minimum}" in latvian, year
        assert f"{year}: {n} of at least {minimum} conferences of foreign ministers held" in english
        if f["status"] == "breach":
            assert f"{year}. gadā: ārlietu ministru konferences — {verb} {n} no vismaz {minimum}; trūkst " \
                   f"{minimum - n}" in latvian
    for english_words in ("of at least", "conferences of foreign ministers", "hosted by", "the record does not name"):
        assert english_words not in latvian


def test_the_reports_of_treaty_why_what_if_code_audit_and_verify_are_latvian(db_url, baltic):
    db = db_url("main")
    findings = json.loads(CliRunner().invoke(main, ["--db", db, "compliance", "--json"]).stdout)
    breach = next(f for f in findings if f["status"] == "breach")
    why = run(db, "--lang", "lv", "why", breach["id"])
    assert "Noteikums periodic-conferences (periodic_meetings)" in why and "spēkā esošie iestatījumi" in why
    assert "minimums" in why and "Settings in force" not in why and "step result" not in why
    treaty = run(db, "--lang", "lv", "treaty", "entente-1934", "--at", "1939-03")
    assert "lēmumus pieņem: vienprātība" in treaty and "2. pants" in treaty and "→ noteikums rotation" in treaty
    assert "(entente-1934); decisions by" not in treaty and "→ rule " not in treaty
    scenario = f"{baltic.folder}/scenarios/four-conferences-a-year.yaml"
    what_if = run(db, "--lang", "lv", "what-if", scenario)
    assert "scenārijs" in what_if and "trūkst 2" in what_if and "the scenario" not in what_if
    code = run(db, "--lang", "lv", "code")
    assert "dalībnieki (? bez COW koda)" in code and "members" not in code
    assert run(db, "--lang", "lv", "audit") == "atteikumu nav"
    entries = json.loads(CliRunner().invoke(main, ["--db", db, "verify", "--json"]).stdout)["entries"]
    assert run(db, "--lang", "lv", "verify").startswith(
        f"neskarts: ieraksti — {entries} {latvian_form(entries, 'ieraksts', 'ieraksti', 'ierakstu')}")


def test_a_proposal_the_seed_says_was_not_accepted_is_said_in_the_seeds_voice(db_url):
    """The seed records no vote on Lithuania's proposals, only that Estonia and Latvia did not accept them: the
    verdict says that, naming them, in each language, with no "rejected" of the software's before it."""
    db = db_url("main")
    english, latvian = run(db, "compliance"), run(db, "--lang", "lv", "compliance")
    assert english.count("not accepted by Estonia and Latvia; the source records no vote") == 2
    assert latvian.count("Igaunija un Latvija to nepieņēma; avots balsojumu neuzrāda") == 2
    assert "rejected: not accepted" not in english and "noraidīts: " not in latvian


def test_history_party_backup_restore_and_mistakes_are_latvian(db_url, tmp_path):
    db = db_url("main")
    history = run(db, "--lang", "lv", "history", "conference-1939-12-tallinn")
    assert "10. konference: Baltijas ārlietu ministru 10. konference (Tallina)" in history
    assert "Conference no." not in history and "version" not in history
    council = str(Path(__file__).parent / "unions" / "arctic_council")
    observer = run(db_url("council"), "--union", council, "--lang", "lv", "party", "DE", "--at", "2000")
    assert "Novērotāja no 1998. gada 18. septembra." in observer and "Observer from" not in observer
    admitted = run(db_url("council"), "--union", council, "--lang", "lv", "party", "FR", "--at", "1999")
    assert "Uzņemta no 2000. gada 13. oktobra: šajā dienā vēl ne." in admitted
    backup = tmp_path / "record.backup"
    written = run(db, "--lang", "lv", "backup", str(backup))
    assert re.search(r": \d+ ieraksti un 9 žurnālu kontrolpunkti$", written), written
    restored = run(db_url("restored"), "--lang", "lv", "restore", str(backup))
    assert re.search(r": atjaunoti \d+ ieraksti, pavisam \d+; 9 kontrolpunkti kā rezerves kopijā$", restored), restored


@pytest.mark.parametrize(("args", "line"), [
    (("state", "--at", "1939-13"), "Kļūda: Nederīga '--at' vērtība: \"1939-13\" nav nolasāms datums: tādas dienas "
                                   "vai mēneša nav; sk. 'entente state --help'"),
    (("state", "--colour"), "Kļūda: Nav tādas opcijas '--colour'; sk. 'entente state --help'"),
    (("statee",), "Kļūda: Nav tādas komandas 'statee'. Vai domājāt 'state'?; sk. 'entente --help'"),
    (("history",), "Kļūda: Trūkst argumenta 'ENTRY_ID'; sk. 'entente history --help'"),
    (("history", "nope"), "Kļūda: nav ieraksta 'nope'"),
    (("party", "XX"), "Kļūda: 'XX' nav savienības baltic-entente puse; tās puses ir DE, EE, FI, LT, LV, PL, SU"),
    (("state", "--known-at", "xyz"), "Kļūda: Nederīga '--known-at' vērtība: \"xyz\" nav ne diena (GGGG-MM-DD), ne "
                                     "datums ar laiku (GGGG-MM-DDTHH:MM:SSZ); sk. 'entente --help'"),
    (("compliance", "--reading", "nope"), "Kļūda: Nederīga --reading vērtība: nevienam noteikumam nav "
                                          "interpretācijas ar nosaukumu 'nope'; interpretācijas ir: calendar-year, "
                                          "twelve-month-gap, treaty-year, treaty-text-and-britannica, vilnius-only, "
                                          "annulled-1940, lost-with-independence-1940, suspended-renewed-1990; "
                                          "sk. 'entente compliance --help'"),
], ids=["date", "option", "command", "argument", "entry", "party", "record-time", "reading"])
def test_a_mistake_is_one_latvian_line(db_url, args, line):
    """A mistake in the command line, or a name the record does not hold, told in one line in the language asked
    for, with the exit code of its kind; the same command line without --lang says it in English."""
    db = db_url("main")
    result = CliRunner().invoke(main, ["--db", db, "--lang", "lv", *args], env={"COLUMNS": "200"})
    assert result.stderr.strip() == line and result.exit_code in (1, 2)
    english = CliRunner().invoke(main, ["--db", db, *args], env={"COLUMNS": "200"})
    assert english.stderr.startswith("Error: ") and english.exit_code == result.exit_code


def _lower_layers(tmp_path: Path, signing_key: Path) -> dict[str, tuple[list[str], str]]:
    """Mistakes in the files, the store and the key a command reads, each with the Latvian line it is told in."""
    union = tmp_path / "union"
    shutil.copytree(Path(__file__).parent / "unions" / "arctic_council", union)
    lines = (union / "union.yaml").read_text(encoding="utf-8").splitlines()
    at = next(n for n, text in enumerate(lines) if text.startswith("id:"))
    (union / "union.yaml").write_text("\n".join([*lines[:at], "id: [1, 2]", *lines[at + 1:]]), encoding="utf-8")
    council = tmp_path / "council"
    shutil.copytree(Path(__file__).parent / "unions" / "arctic_council", council)
    text = (council / "union.yaml").read_text(encoding="utf-8")
    (council / "union.yaml").write_text(text.replace('role: observer, since: "1998-09-18"', 'role: observer, since: '
                                                     '"18 September 1998"', 1), encoding="utf-8")
    shutil.copytree(Path(__file__).parent / "unions" / "arctic_council", tmp_path / "ottawa")
    ottawa = tmp_path / "ottawa" / "treaties" / "ottawa-1996.yaml"
    treaty = ottawa.read_text(encoding="utf-8")
    ottawa.write_text(treaty.replace("order: [CA,", "order: [XX,", 1), encoding="utf-8")
    order = treaty[:treaty.index("order: [CA,")].count("\n") + 1
    germany = text.splitlines().index(next(line for line in text.splitlines() if "code: DE" in line)) + 1
    events = tmp_path / "events.yaml"
    events.write_bytes(b"events:\n  - id: \xff\n")
    signing_key.write_text("not a key", encoding="utf-8")
    signing_key.chmod(0o644)
    db = str(tmp_path / "s.db")
    return {
        "union": (["--db", db, "--union", str(union), "state"],
                  f"Kļūda: {union}/union.yaml, {at + 1}. rinda, lauks 'id': gaidīts: teksts, atrasts: saraksts"),
        "role": (["--db", db, "--union", str(council), "state"],
                 f"Kļūda: {council}/union.yaml, {germany}. rinda, ieraksts 'DE', lauks 'parties[8].since': since ir "
                 "diena (GGGG-MM-DD), kad tā uzsāka savu lomu, nevis '18 September 1998'"),
        "treaty": (["--db", db, "--union", str(tmp_path / "ottawa"), "state"],
                   f"Kļūda: {ottawa}, {order}. rinda, ieraksts 'article 5', lauks 'settings.order[0]': "
                   "nezināma puse 'XX': savienības arctic-council puses ir "
                   + ", ".join(sorted(p.code for p in load_union(tmp_path / "ottawa").parties))),
        "record": (["--db", db, "load", str(events)],
                   f"Kļūda: {events}, 2. rinda: nav UTF-8 teksts (baits 0xff): saglabājiet to kā UTF-8"),
        "store": (["--db", str(tmp_path), "state"], f"Kļūda: {tmp_path} ir mape, nevis ierakstu krātuve: norādiet "
                                                   f"faila nosaukumu, piemēram, {tmp_path}/entente.db"),
        "folder": (["--db", str(tmp_path / "no" / "s.db"), "state"],
                   f"Kļūda: nevar izveidot ierakstu krātuvi {tmp_path}/no/s.db: mapes {tmp_path}/no nav"),
        "key": (["--db", db, "checkpoint"],
                f"Kļūda: {signing_key}: parakstīšanas atslēgu var lasīt citi lietotāji (režīms 644); izpildiet "
                f"'chmod 600 {signing_key}' vai izveidojiet jaunu atslēgu, ja citi to varētu būt lasījuši"),
    }


@pytest.mark.parametrize("case", ["union", "role", "treaty", "record", "store", "folder", "key"])
def test_a_files_a_stores_and_a_keys_mistake_is_one_latvian_line(tmp_path, signing_key, case):
    """What is wrong with a union's or a record's file (its line and field named), the store or the signing key
    is told in the language asked for; without --lang, in English, with the same exit code."""
    args, line = _lower_layers(tmp_path, signing_key)[case]
    result = CliRunner().invoke(main, ["--lang", "lv", *args])
    assert result.stderr.strip() == line and result.exit_code in (1, 3, 4)
    english = CliRunner().invoke(main, args)
    assert english.stderr.startswith("Error: ") and english.exit_code == result.exit_code


def test_a_checkpoint_that_is_not_one_is_said_in_latvian(db_url, tmp_path):
    kept = tmp_path / "kept.json"
    kept.write_text('{"log": "x"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", db_url("main"), "--lang", "lv", "verify", "--against", str(kept)])
    assert result.stderr.startswith(f"Kļūda: {kept}: tas nav kontrolpunkts: ") and result.exit_code == 1


def test_load_says_how_many_entries_it_recorded_in_latvian(db_url):
    events = Path(__file__).parents[1] / "examples" / "more-events.yaml"
    db = db_url("x")
    first = CliRunner().invoke(main, ["--db", db, "--lang", "lv", "load", str(events)])
    assert first.exit_code == 0 and first.stdout.startswith(f"{events}: ierakstīti 2 jauni notikumi ("), first.output
    again = CliRunner().invoke(main, ["--db", db, "--lang", "lv", "load", str(events)])
    assert again.stdout == f"{events}: ierakstīts 0 jaunu notikumu\n"


def test_a_refused_record_and_a_refused_entry_of_a_loaded_file_are_latvian(db_url, tmp_path):
    """What `entente record` and `entente load` refuse an entry for (its checks: an unknown party, document or
    control character) is said in Latvian with --lang lv, in English without, with the same exit code."""
    db = db_url("main")
    runner = CliRunner()
    host = json.dumps({"date": "1939-11-01", "host": "ZZ"})
    refused = runner.invoke(main, ["--db", db, "--lang", "lv", "record", "conference_held", "--data", host])
    assert refused.exit_code == 1 and refused.stderr == (
        "Kļūda: noraidīts\n  host: nezināma puse 'ZZ'; savienības puses ir DE, EE, FI, LT, LV, PL, SU\n"
        "Nekas netika ierakstīts.\n")
    english = runner.invoke(main, ["--db", db, "record", "conference_held", "--data", host])
    assert english.exit_code == 1 and english.stderr == (
        "Error: refused\n  host: unknown party 'ZZ'; the union's parties are DE, EE, FI, LT, LV, PL, SU\n"
        "Nothing was recorded.\n")
    bell = json.dumps({"date": "1939-11-01", "category": "press", "title": {"en": "A\u0007 bell"}})
    refused = runner.invoke(main, ["--db", db, "--lang", "lv", "record", "outside_event", "--data", bell])
    assert "  title.en: satur vadības rakstzīmi U+0007, ko neviens ieraksts nedrīkst saturēt\n" in refused.stderr
    events = tmp_path / "events.yaml"
    events.write_text("events:\n  - id: press-1\n    kind: outside_event\n    date: \"1939-11-01\"\n"
                      "    category: press\n    title: {en: A note}\n    source: {document: nope, quote: x}\n",
                      encoding="utf-8")
    loaded = runner.invoke(main, ["--db", db, "--lang", "lv", "load", str(events)])
    assert loaded.stderr.strip() == (f"Kļūda: {events}, 7. rinda, ieraksts 'press-1', lauks 'source.document': "
                                     "nezināms dokuments 'nope'")
    english = runner.invoke(main, ["--db", db, "load", str(events)])
    assert english.stderr.strip() == (f"Error: {events}, line 7, entry 'press-1', field 'source.document': unknown "
                                      "document 'nope'") and english.exit_code == loaded.exit_code != 0


def test_a_scenarios_change_is_named_in_latvian(db_url, tmp_path):
    """A change of a scenario that cannot be made is named in the language asked for: "1. izmaiņa (remove)"."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("title: t\nwhy: w\nchanges:\n  - remove: no-such-entry\n", encoding="utf-8")
    db = db_url("main")
    latvian = CliRunner().invoke(main, ["--db", db, "--lang", "lv", "what-if", str(scenario)])
    assert latvian.stderr.strip() == (f"Kļūda: {scenario}, 4. rinda, ieraksts '1. izmaiņa (remove)', lauks 'remove': "
                                      "ieraksta 'no-such-entry' nav ierakstos, kā tos redz secretariat")
    english = CliRunner().invoke(main, ["--db", db, "what-if", str(scenario)])
    assert "line 4, entry 'change 1 (remove)', field 'remove'" in english.stderr
