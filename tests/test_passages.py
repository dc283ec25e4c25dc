"""Rules tied to the words they implement: every cited passage stands in its article's text, and what no setting
cites is listed; the treaty on a day shows the settings then in force beside the unchanged text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.rules import read_treaties
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.views.instruments import treaties as treaties_view
from entente.vocabulary import passages
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import Restricted, RuleChanged
from entente.vocabulary.yamlfile import FileError

from .conftest import CONSORTIUM

UNIONS = [DEFAULT_UNION, *sorted(p for p in (Path(__file__).parent / "unions").iterdir() if p.is_dir())]


@pytest.mark.parametrize("folder", UNIONS, ids=lambda p: p.name)
def test_every_cited_passage_is_in_its_article_and_what_no_setting_cites_is_listed(folder, capsys):
    treaties = read_treaties(folder)
    left: dict[str, dict[str, list[str]]] = {}
    for treaty in treaties.values():
        for article in treaty.articles:
            for rule in article.rules:
                assert list(passages.missing(rule.cites, article.text)) == [], (treaty.instrument, rule.id)
                assert set(rule.cites) <= {*rule.settings, *(k for r in rule.readings for k in r.settings)}
            cited: dict[str, list[str]] = {}
            for rule in article.rules:
                for texts in rule.cites.values():
                    for lang, passage in texts.items():
                        cited.setdefault(lang, []).append(passage)
            for lang, text in article.text.items():
                rest = passages.uncited(text, cited.get(lang, []))
                # What is left is the text itself, less what is cited: each piece stands in it.
                assert all(passages.found(piece, text) is not None for piece in rest)
                if not cited.get(lang):
                    assert passages.plain(text).strip(" .") and rest, (treaty.instrument, article.article, lang)
                left.setdefault(f"{treaty.instrument} {article.article}", {})[lang] = rest
    with capsys.disabled():  # the listing a reader looks at: what each article leaves to prose
        print(f"\n{folder.name}: passages no setting cites")
        for where, langs in left.items():
            for lang, rest in langs.items():
                print(f"  {where} [{lang}]: {' · '.join(rest) or '(all cited)'}")


def test_the_bundled_union_cites_a_passage_for_every_rule_with_settings_or_says_why_not():
    """A rule whose settings the text does not state (how a motion on the declaration is decided) says in its
    reading where they come from; every other rule with settings cites its article."""
    for treaty in read_treaties(DEFAULT_UNION).values():
        for article in treaty.articles:
            for rule in article.rules:
                if rule.settings:
                    assert rule.cites or rule.reading, f"{treaty.instrument} rule {rule.id} cites no passage"


def test_a_passage_not_in_the_text_is_refused_in_one_line_naming_file_line_and_field(tmp_path):
    folder = tmp_path / "union"
    (folder / "treaties").mkdir(parents=True)
    source = (CONSORTIUM / "treaties" / "agreement-2020.yaml").read_text(encoding="utf-8")
    rule = next(r for _, r in read_treaties(CONSORTIUM)["agreement-2020"].rules() if r.settings and not r.cites)
    setting = next(iter(rule.settings))
    cite = f"        cites:\n          {setting}: {{en: words the article never says}}\n"
    lines = source.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {rule.id}")
    indent = len(lines[at]) - len(lines[at].lstrip())
    lines.insert(at + 1, cite.replace("        ", " " * (indent + 2), 1).replace("          ", " " * (indent + 4), 1))
    (folder / "treaties" / "agreement-2020.yaml").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(FileError) as refused:
        read_treaties(folder)
    message = str(refused.value)
    assert "agreement-2020.yaml, line" in message and f"cites.{setting}.en" in message
    assert "words the article never says" in message and "\n" not in message



def _four_a_year(classification="public") -> RuleChanged:
    return RuleChanged(id="four-conferences-a-year", date="1938-06-10", effective="1939-01-01",
                       instrument="entente-1934", rule="periodic-conferences", settings={"minimum": 4},
                       title={"en": "The ministers are to meet four times a year"}, classification=classification)


def _article(rows: list[dict], instrument: str, article: str) -> dict:
    treaty = next(t for t in rows if t["instrument"] == instrument)
    return next(a for a in treaty["articles"] if a["article"] == article)


def test_a_rule_changed_by_decision_shows_the_decision_beside_the_unchanged_text(opened):
    opened.record(_four_a_year(), SECRETARIAT)
    text = read_treaties(DEFAULT_UNION)["entente-1934"].articles[1].text
    events = opened.events_for(PUBLIC)
    for day, minimum in (("1938-12-31", 2), ("1939-01-01", 4)):
        article = _article(treaties_view(opened.treaties, events, day), "entente-1934", "2")
        rule = next(r for r in article["rules"] if r["id"] == "periodic-conferences")
        assert rule["settings"]["minimum"] == minimum
        assert article["text"] == text  # never made from the settings
        assert [d["id"] for d in article["decisions"]] == (["four-conferences-a-year"] if minimum == 4 else [])
        # The cited passage is marked in the text as it stands.
        assert ["at least twice a year", True] in [list(run) for run in article["marked"]["en"]]
    changed = _article(treaties_view(opened.treaties, events, "1939-06-30", "1938-06-30"), "entente-1934", "2")
    assert changed["changes"] == [{"rule": "periodic-conferences", "setting": "minimum", "before": 2, "after": 4,
                                   "by": ["four-conferences-a-year"]}]
    same = _article(treaties_view(opened.treaties, events, "1938-12-31", "1936-01-01"), "entente-1934", "2")
    assert same["changes"] == []


def test_a_decision_a_viewer_may_not_see_changes_nothing_it_is_shown(opened):
    opened.record(_four_a_year(Restricted(instrument="entente-1934")), SECRETARIAT)
    public = _article(treaties_view(opened.treaties, opened.events_for(PUBLIC), "1939-06-30", "1938-01-01"),
                      "entente-1934", "2")
    assert public["decisions"] == [] and public["changes"] == []
    lv = _article(treaties_view(opened.treaties, opened.events_for(Viewer.parse("LV")), "1939-06-30", "1938-01-01"),
                  "entente-1934", "2")
    assert [c["after"] for c in lv["changes"]] == [4]


def test_the_treaty_command_and_the_api_show_a_day_and_what_changed_since(opened, store_url, api):
    opened.record(_four_a_year(), SECRETARIAT)
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", store_url, "--as", "public", "treaty", "entente-1934", "--at", "1939-06",
                                 "--since", "1938"])
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.output.split())
    assert "⟦at least twice a year⟧" in flat and "minimum=4" in flat
    assert "periodic-conferences.minimum 2 → 4 by four-conferences-a-year" in flat
    as_json = json.loads(runner.invoke(main, ["--db", store_url, "treaty", "--json", "--at", "1938-06"]).output)
    rule = next(r for r in _article(as_json, "entente-1934", "2")["rules"] if r["id"] == "periodic-conferences")
    assert rule["settings"]["minimum"] == 2
    backwards = runner.invoke(main, ["--db", store_url, "treaty", "--at", "1938", "--since", "1939"])
    assert backwards.exit_code == 2 and "--since names the earlier day" in backwards.output
    client, _issue = api(DEFAULT_UNION, store_url)
    rows = client.get("/api/treaties", params={"at": "1939-06-30", "since": "1938-06-30"}).json()
    assert _article(rows, "entente-1934", "2")["changes"][0]["after"] == 4
    assert client.get("/api/treaties", params={"at": "1938", "since": "1939"}).status_code == 400
    page = client.get("/instruments/entente-1934", params={"at": "1939-06-30", "since": "1938-06-30"},
                      headers={"Accept": "text/html"})
    assert "<mark>at least twice a year</mark>" in page.text and "four-conferences-a-year" in page.text
