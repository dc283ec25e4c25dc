"""The what-if page, and scenarios saved and opened by their address, with the store left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entente.record import open_store
from entente.vocabulary.definition import DEFAULT_UNION
from entente.whatif.quota import Waiting
from entente.whatif.shelf import LARGEST, PER_VIEWER, Shelf, digest

HTML = {"Accept": "text/html"}
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
FOUR = DEFAULT_UNION / "scenarios" / "four-conferences-a-year.yaml"


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "saved-scenarios"
    monkeypatch.setenv("ENTENTE_WHAT_IF", str(folder))
    # The server's check of the record at its start done before it answers, so no write of its own comes later.
    monkeypatch.setenv("ENTENTE_LEDGER_FOREGROUND", "1")
    return folder


def _store(url: str, folder: Path) -> tuple[list[object], dict[str, bytes]]:
    """The store's rows, and on SQLite its files' bytes."""
    store = open_store(url)
    try:
        rows = list(store.rows_after(0))
    finally:
        store.close()
    files = {p.name: p.read_bytes() for p in sorted(folder.glob(f"{Path(url).name}*")) if p.is_file()} \
        if "://" not in url else {}
    return rows, files


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return [r for r in rows if r]  # the heading's row holds no cells


def test_a_scenario_run_from_the_page_shows_only_what_changes_and_records_nothing(api, db_url, shelf, tmp_path):
    db = db_url(DEFAULT_UNION.name)
    client, _ = api(DEFAULT_UNION, db)
    assert client.get("/what-if", headers=HTML).status_code == 200
    client.get("/api/timeline")  # the public's view made once (a server keeps it in the store, as a snapshot)
    before = _store(db, tmp_path)
    form = {"scenario": FOUR.read_text("utf-8"), "at": "1936", "action": "run"}
    page = client.post("/what-if/runs", data=form, headers={**HTML, **SAME_SITE})
    assert page.status_code == 200, page.text
    # The same differences the API gives, and no others: by calendar years, 1935 and 1936 fall short of four and
    # 1934 was partly covered; the twelve-month and treaty-year readings change beside them.
    api_answer = client.post("/api/what-if?at=1936", content=FOUR.read_bytes()).json()
    rows = _cells(page.text, "what-if-findings")
    assert len(rows) == len(api_answer["findings"])
    after = [f["after"] for f in api_answer["findings"] if f["after"]]  # a finding the scenario takes away has none
    assert [(f["period"], f["status"]) for f in after if f["reading_name"] == "calendar-year"] == [
        ("1934", "met"), ("1935", "breach"), ("1936", "breach")]
    assert {f["reading_name"] for f in after} == {"calendar-year", "twelve-month-gap", "treaty-year"}
    assert [r[2].split(" ")[0] for r in rows] == [(f["after"] or {}).get("status", "—")
                                                  for f in api_answer["findings"]]
    # The reading's words are the treaty file's ("two conferences"): beside them, the scenario's minimum of four.
    assert all(f["scenario_settings"] == {"minimum": 4} for f in after)
    assert all(not f["before"] or "scenario_settings" not in f["before"] for f in api_answer["findings"])
    assert all("The scenario's settings: minimum: 4." in r[2] and "The scenario" not in r[1]
               for r in rows if r[2] != "—")
    assert api_answer["state"] == [] and 'id="what-if-state"' not in page.text
    assert len(_cells(page.text, "what-if-due")) == len(api_answer["due"]) == 1
    # Each of the record's findings links to its trace.
    assert all(f"/findings/{f['before']['id']}/why" in page.text for f in api_answer["findings"] if f["before"])
    assert _store(db, tmp_path) == before
    # A form from another site is refused.
    assert client.post("/what-if/runs", data=form, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    # A scenario that cannot be used is said in one line above the form, which keeps what was typed.
    bad = client.post("/what-if/runs", data={"scenario": "title: t\nwhy: w\nchanges:\n  - remove: no-such-entry\n"},
                      headers={**HTML, **SAME_SITE})
    assert bad.status_code == 422 and "no entry &#39;no-such-entry&#39; in the record as public sees it" in bad.text
    assert "remove: no-such-entry" in bad.text


def test_a_saved_scenario_has_the_address_of_its_text_and_runs_on_the_openers_view(api, db_url, shelf, tmp_path):
    db = db_url(DEFAULT_UNION.name)
    client, issue = api(DEFAULT_UNION, db)
    client.get("/api/timeline")
    before = _store(db, tmp_path)
    text = "title: Lithuania's declaration made public\nwhy: A counterfactual.\nchanges:\n" \
           "  - remove: conference-1937-12-tallinn\n"
    saved = client.post("/what-if/runs", data={"scenario": text, "at": "1938", "action": "save"},
                        headers=SAME_SITE, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/what-if/{digest(text)}?at=1938"
    assert (shelf / f"{digest(text)}.yaml").read_text("utf-8") == text
    # The same text, sent through the API with other line ends, is the same address.
    again = client.post("/api/what-if/saved", content=text.replace("\n", "\r\n").encode())
    assert again.status_code == 201 and again.json()["id"] == digest(text)
    opened = client.get(saved.headers["location"], headers=HTML)
    assert opened.status_code == 200 and f"/what-if/{digest(text)}" in opened.text
    assert "breach" in opened.text  # 1937 falls one conference short
    assert client.get(f"/api/what-if/{digest(text)}?at=1938").json() == \
        client.post("/api/what-if?at=1938", content=text.encode()).json()
    # Nothing of it is in the store.
    assert _store(db, tmp_path) == before
    # A party opening the address gets its own view (its token is kept in the store, the scenario is not).
    assert client.get(f"/api/what-if/{digest(text)}", headers=issue("LV")).json()["viewer"] == "LV"
    assert client.get("/what-if/0123456789abcdef0123", headers=HTML).status_code == 404
    assert client.get("/api/what-if/../../etc/passwd").status_code == 404


def test_the_unions_own_scenarios_open_by_their_digest_with_nothing_saved(api, shelf):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/what-if", headers=HTML).text
    for path in sorted((DEFAULT_UNION / "scenarios").glob("*.yaml")):
        name = digest(path.read_text("utf-8"))
        assert f"/what-if/{name}" in page
        assert client.get(f"/api/what-if/{name}").json()["title"] in path.read_text("utf-8")
    assert not shelf.exists()




def test_each_of_the_unions_own_scenarios_shows_on_its_page_every_line_the_api_gives(api, shelf):
    """A scenario's page runs it as the API does, on what the viewer could know on the scenario's day: each
    finding, state line and thing due the API gives is a row of the page, and no other (Lithuania outside the
    treaty of 1934 changes the union's members and the signatories it does not bind, as well as the treaty's
    parties and signatories)."""
    client, _ = api(DEFAULT_UNION)
    for path in sorted((DEFAULT_UNION / "scenarios").glob("*.yaml")):
        name = digest(path.read_text("utf-8"))
        answer = client.get(f"/api/what-if/{name}").json()
        page = client.get(f"/what-if/{name}", headers=HTML).text
        for part in ("findings", "state", "due"):
            rows = _cells(page, f"what-if-{part}") if f'id="what-if-{part}"' in page else []
            assert len(rows) == len(answer[part]), (path.name, part)
        if path.stem == "lithuania-outside-1934":
            state = {row[0]: row[1:] for row in _cells(page, "what-if-state")}
            assert state["the union: members"] == ["EE, LT, LV", "EE, LV"]
            assert state["the union: signatories not bound"] == ["FI, PL", "FI, LT, PL"]
            assert len(answer["state"]) == 4


def _scenario(n: int, why: str = "A counterfactual.") -> str:
    return f"title: Conference {n} left out\nwhy: {why}\nchanges:\n  - remove: conference-1937-12-tallinn\n"


def test_saving_has_limits_per_viewer_and_in_size_and_the_store_is_untouched(api, db_url, shelf, tmp_path):
    db = db_url(DEFAULT_UNION.name)
    client, issue = api(DEFAULT_UNION, db)
    latvia, estonia = issue("LV"), issue("EE")  # tokens are kept in the store; the scenarios are not
    client.get("/api/timeline")
    before = _store(db, tmp_path)
    for n in range(PER_VIEWER):
        assert client.post("/api/what-if/saved", content=_scenario(n).encode()).status_code == 201, n
    # One more from the same viewer waits for the oldest of its hour to leave it; nothing of it is kept.
    refused = client.post("/api/what-if/saved", content=_scenario(PER_VIEWER).encode())
    assert refused.status_code == 429, refused.text
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.json()["error"].startswith(f"{PER_VIEWER} scenarios saved in the last hour, the most one viewer")
    assert not (shelf / f"{digest(_scenario(PER_VIEWER))}.yaml").exists()
    # The page says the same, keeping what was typed.
    page = client.post("/what-if/runs", data={"scenario": _scenario(PER_VIEWER), "action": "save"},
                       headers={**HTML, **SAME_SITE}, follow_redirects=False)
    assert page.status_code == 429 and "Retry-After" in page.headers and "the most one viewer may save" in page.text
    # A scenario kept already costs nothing; another viewer has its own count.
    assert client.post("/api/what-if/saved", content=_scenario(0).encode()).status_code == 201
    assert client.post("/api/what-if/saved", content=_scenario(PER_VIEWER).encode(),
                       headers=latvia).status_code == 201
    # Larger than any kept: 413, saying so.
    large = client.post("/api/what-if/saved", content=_scenario(0, "x" * LARGEST).encode(), headers=estonia)
    assert large.status_code == 413 and "a scenario of more than 64 KiB is not kept" in large.json()["error"]
    assert sorted(p.name for p in shelf.glob("*.yaml")) == sorted(
        f"{digest(_scenario(n))}.yaml" for n in range(PER_VIEWER + 1))
    assert _store(db, tmp_path) == before


def test_the_scenarios_saved_in_a_day_have_a_limit_over_all_viewers(tmp_path):
    shelf = Shelf(tmp_path / "saved", per_viewer=PER_VIEWER, overall=3000)
    texts = [_scenario(n, "y" * 900) for n in range(4)]
    start = 1_000_000.0
    for n, text in enumerate(texts[:3]):
        shelf.save(text, f"viewer-{n}", now=start + n * 600)
    with pytest.raises(Waiting) as waiting:
        shelf.save(texts[3], "viewer-3", now=start + 2000)
    # Room comes back when the first save of the day leaves it.
    assert waiting.value.seconds == pytest.approx(start + 86400 - (start + 2000))
    assert "the most kept in a day" in str(waiting.value) and "\n" not in str(waiting.value)
    assert shelf.get(digest(texts[3])) is None
    assert shelf.save(texts[3], "viewer-3", now=start + 86400) == digest(texts[3])
    # Another process sharing the folder counts the same saves.
    with pytest.raises(Waiting):
        Shelf(tmp_path / "saved", overall=3000).save(_scenario(9, "z" * 900), "viewer-4", now=start + 86400)


def test_the_state_a_scenario_changes_is_labelled_in_the_pages_language(api):
    """Lithuania outside the treaty of 1934: the lines of the state it changes (the treaty's parties and
    signatories, the union's members and the signatories it does not bind) are named in Latvian on a Latvian
    page, in English on an English one, as is what the scenario was judged on."""
    client, _ = api(DEFAULT_UNION)
    scenario = DEFAULT_UNION / "scenarios" / "lithuania-outside-1934.yaml"
    shown = {"lv": ["entente-1934: puses", "entente-1934: parakstītājas", "savienība: dalībnieces",
                    "savienība: parakstītājas, kurām tas nav saistošs"],
             "en": ["entente-1934: parties", "entente-1934: signatories", "the union: members",
                    "the union: signatories not bound"]}
    for lang, labels in shown.items():
        page = client.post(f"/what-if/runs?lang={lang}", data={"scenario": scenario.read_text(encoding="utf-8")},
                           headers={**HTML, **SAME_SITE})
        assert [row[0] for row in _cells(page.text, "what-if-state")] == labels
        judged = {"lv": "Vērtēts pēc tiem ierakstiem", "en": "Judged on the entries"}[lang]
        assert judged in page.text and "judged on the entries" not in page.text
