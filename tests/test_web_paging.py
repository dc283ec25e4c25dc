"""Long lists shown a page at a time: the rows of the page asked for, the count of them all, the links to the pages
beside it keeping the rest of the query, and a page that is none of the list's refused in the page's language."""

from __future__ import annotations

import html
import re

import pytest

from entente.vocabulary.definition import DEFAULT_UNION
from entente.web import entry_pages, record_pages, treaty_pages
from entente.web.paging import PER_PAGE
from entente.web.record_pages import TIMELINE_PER_PAGE

HTML = {"Accept": "text/html"}
QUESTION = "baltic-cooperation-1939"  # a question of the bundled record every member sees
STATED = PER_PAGE + 5  # one page full and five on the next
BUNDLED = 1  # Latvia's positions in the bundled record


def state_positions(client, bearer: dict[str, str], count: int) -> None:
    """Latvia's delegation states ``count`` positions on the question through the API, "Position 1" first."""
    for n in range(1, count + 1):
        done = client.post("/api/events/position_stated", headers=bearer, json={
            "date": "1939-12-08", "question": QUESTION, "party": "LV", "stance": "support",
            "text": {"en": f"Position {n}"}, "classification": {"instrument": "entente-1934"}})
        assert done.status_code == 201, done.text


def _session(client, bearer: dict[str, str]) -> dict[str, str]:
    signed = client.post("/session", data={"token": bearer["Authorization"].removeprefix("Bearer ")},
                         headers=HTML, follow_redirects=False)
    assert signed.status_code == 303, signed.text
    session = signed.cookies["entente_session"]
    client.cookies.clear()
    return {**HTML, "Cookie": f"entente_session={session}"}


def _positions(page: str) -> list[int]:
    """The numbers of the positions listed under "Our positions", in the order shown."""
    ours = page.split('id="our-positions"')[1].split('id="our-requests"')[0]
    return [int(n) for n in re.findall(r">Position (\d+)</a>", ours)]


def _link(page: str, rel: str, section: str = "positions") -> str | None:
    """The address of the page before or after (``rel``) in a section's page links."""
    nav = page.split(f'id="our-{section}"')[1].split("</nav>")[0]
    found = re.search(rf'<a href="([^"]+)" rel="{rel}"', nav)
    return html.unescape(found[1]) if found else None


def _said(page: str) -> str:
    """The page's words as a reader reads them: no tags, no character references."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_delegations_page_shows_its_positions_a_page_at_a_time_latest_first_with_their_count(api):
    client, issue = api(DEFAULT_UNION)
    bearer = issue("LV")
    state_positions(client, bearer, STATED)
    latvia = _session(client, bearer)

    first = client.get("/delegation", headers=latvia)
    assert first.status_code == 200
    assert _positions(first.text) == list(range(STATED, STATED - PER_PAGE, -1))  # the latest recorded first
    total = STATED + BUNDLED
    assert f"{total} entries, the latest recorded first" in first.text
    assert f"1–{PER_PAGE} of {total}, page 1 of 2" in first.text
    assert _link(first.text, "prev") is None
    following = _link(first.text, "next")
    assert following == "/delegation?positions_page=2#our-positions"

    second = client.get(following, headers=latvia)
    assert _positions(second.text) == [5, 4, 3, 2, 1]
    assert f"{PER_PAGE + 1}–{total} of {total}, page 2 of 2" in second.text
    assert _link(second.text, "next") is None
    assert _link(second.text, "prev") == "/delegation#our-positions"
    assert 'id="our-questions"' in second.text and "None yet." in second.text  # the other lists stay as they were

    client.post("/api/events/position_stated", headers=bearer, json={  # one more, after the pages were drawn
        "date": "1939-12-09", "question": QUESTION, "party": "LV", "stance": "oppose",
        "text": {"en": f"Position {STATED + 1}"}, "classification": {"instrument": "entente-1934"}})
    again = client.get("/delegation", headers=latvia).text
    assert _positions(again)[:2] == [STATED + 1, STATED] and f"1–{PER_PAGE} of {total + 1}, page 1 of 2" in again
    assert _positions(client.get(following, headers=latvia).text) == [6, 5, 4, 3, 2, 1]


def test_a_page_link_keeps_the_rest_of_the_query_and_drops_the_notice_of_a_write(api):
    client, issue = api(DEFAULT_UNION)
    bearer = issue("LV")
    state_positions(client, bearer, STATED)
    latvia = _session(client, bearer)
    page = client.get("/delegation?lang=lv&questions_page=1&recorded=lv.x", headers=latvia).text
    following = _link(page, "next")
    assert following is not None and "lang=lv" in following and "questions_page=1" in following
    assert "positions_page=2" in following and "recorded" not in following
    assert "Nākamā lapa" in page and f"1–{PER_PAGE} no {STATED + BUNDLED}, 1. lapa no 2" in page


def test_a_page_that_is_none_of_the_lists_is_refused_in_the_pages_language_and_the_first_shown(api):
    client, issue = api(DEFAULT_UNION)
    bearer = issue("LV")
    state_positions(client, bearer, STATED)
    latvia = _session(client, bearer)
    for asked in ("3", "0", "two", "-1"):
        refused = client.get(f"/delegation?positions_page={asked}", headers=latvia)
        assert refused.status_code == 400, asked
        said = _said(refused.text)
        assert f"positions_page={asked} is not a page of this list: its pages are 1 to 2. " \
               "The first page is shown instead." in said
        assert _positions(refused.text)[0] == STATED
    latvian = _said(client.get("/delegation?positions_page=9&lang=lv", headers=latvia).text)
    assert "positions_page=9 nav šī saraksta lapa: tā lapas ir no 1 līdz 2. Tā vietā parādīta pirmā lapa." in latvian
    empty = client.get("/delegation?questions_page=2", headers=latvia)  # a list with none has one page, empty
    assert empty.status_code == 400 and "questions_page=2 is not a page of this list: its pages are 1 to 1" \
        in _said(empty.text)
    assert client.get("/delegation?questions_page=1", headers=latvia).status_code == 200


def test_the_position_form_offers_every_question_the_delegation_sees_and_a_corrected_entry_stays_in_its_list(api):
    client, issue = api(DEFAULT_UNION)
    bearer = issue("LV")
    state_positions(client, bearer, 1)
    latvia = _session(client, bearer)
    page = client.get("/delegation", headers=latvia).text
    assert f'<option value="{QUESTION}"' in page
    own = re.search(r'/delegation\?correct=(lv\.[^"#&]+)', page)
    assert own is not None  # its own entry, listed with the link to correct it
    form = html.unescape(client.get(f"/delegation?correct={own[1]}", headers=latvia).text)
    assert f'<option value="{own[1]}" selected' in form and "Position 1" in form


def test_the_timeline_shows_a_hundred_entries_a_page_and_its_exports_hold_every_page(api):
    client, issue = api(DEFAULT_UNION)
    bearer = issue("LV")
    state_positions(client, bearer, STATED)
    latvia = _session(client, bearer)
    first = client.get("/timeline?lang=lv", headers=latvia)
    total = int(re.search(r"(\d+) notikum", first.text)[1])  # type: ignore[index]
    assert total > TIMELINE_PER_PAGE
    rows = re.findall(r'<tr id="([^"]+)"', first.text)
    assert len(rows) == TIMELINE_PER_PAGE
    following = re.search(r'<a href="([^"]+)" rel="next"', first.text)
    assert following is not None and html.unescape(following[1]) == "/timeline?lang=lv&page=2"
    second = client.get(html.unescape(following[1]), headers=latvia).text
    rest = re.findall(r'<tr id="([^"]+)"', second)
    assert len(rest) == total - TIMELINE_PER_PAGE and not set(rest) & set(rows)
    assert f"{TIMELINE_PER_PAGE + 1}–{total} no {total}, 2. lapa no 2" in second
    exported = client.get("/timeline?lang=lv&page=2&format=json", headers=latvia).json()["rows"]
    assert [r["id"] for r in exported] == rows + rest  # every row of every page, in the page's order
    refused = client.get("/timeline?page=3", headers=latvia)
    assert refused.status_code == 400
    assert "page=3 is not a page of this list: its pages are 1 to 2" in _said(refused.text)
    assert re.findall(r'<tr id="([^"]+)"', refused.text) == rows


def test_the_compliance_page_shows_its_findings_a_page_at_a_time_with_the_filters_kept(api, monkeypatch):
    monkeypatch.setattr(treaty_pages, "COMPLIANCE_PER_PAGE", 20)  # the bundled record's findings fill a few pages
    client, _ = api(DEFAULT_UNION)
    every = client.get("/compliance?at=1940-07-01&format=json", headers=HTML).json()["rows"]
    assert len(every) > 20
    first = client.get("/compliance?at=1940-07-01&lang=lv", headers=HTML).text
    english = _said(client.get("/compliance?at=1940-07-01&lang=en", headers=HTML).text)
    assert f"{len(every)} findings on 1 July 1940" in english and f"1–20 of {len(every)}, page 1 of" in english
    following = re.search(r'<a href="([^"]+)" rel="next"', first)
    assert following is not None
    assert html.unescape(following[1]) == "/compliance?at=1940-07-01&lang=lv&page=2"
    shown = []
    for n in range(1, -(-len(every) // 20) + 1):
        page = client.get(f"/compliance?at=1940-07-01&page={n}", headers=HTML).text
        shown += re.findall(r'href="/findings/([^"/]+)/why', page)
    assert shown == [f["id"] for f in every]  # every finding once, in the export's order, across the pages
    refused = client.get("/compliance?at=1940-07-01&page=99", headers=HTML)
    assert refused.status_code == 400 and "page=99 is not a page of this list" in _said(refused.text)


def test_a_rules_findings_are_shown_a_page_at_a_time_and_its_instruments_page_links_to_every_one(api, monkeypatch):
    monkeypatch.setattr(entry_pages, "FINDINGS_PER_PAGE", 2)  # the bundled record's findings of a rule: a few pages
    monkeypatch.setattr(treaty_pages, "VERDICTS_SHOWN", 2)
    client, _ = api(DEFAULT_UNION)
    path = "/findings/entente-1934/periodic-conferences"
    every = [f["id"] for f in client.get(f"{path}?at=1940-07-01&format=json", headers=HTML).json()["findings"]]
    assert len(every) > 2
    english = _said(client.get(f"{path}?at=1940-07-01", headers=HTML).text)
    assert f"{len(every)} findings on 1 July 1940" in english and f"1–2 of {len(every)}, page 1 of" in english
    first = client.get(f"{path}?at=1940-07-01&lang=lv", headers=HTML).text
    following = re.search(r'<a href="([^"]+)" rel="next"', first)
    assert following is not None
    assert html.unescape(following[1]) == f"{path}?at=1940-07-01&lang=lv&page=2#findings"
    client.cookies.clear()  # the language chosen is remembered: the pages below are asked for in English
    shown = []
    for n in range(1, -(-len(every) // 2) + 1):
        page = client.get(f"{path}?at=1940-07-01&page={n}", headers=HTML).text
        shown += re.findall(r'href="/findings/([^"/?]+)\?at=1940-07-01">This finding', page)
    assert shown == every  # every finding once, in the JSON's order, across the pages
    refused = client.get(f"{path}?at=1940-07-01&page=99&lang=lv", headers=HTML)
    assert refused.status_code == 400
    assert f"page=99 nav šī saraksta lapa: tā lapas ir no 1 līdz {-(-len(every) // 2)}" in _said(refused.text)
    assert re.findall(r'href="/findings/([^"/?]+)\?at=1940-07-01">', refused.text)[:2] == every[:2]
    client.cookies.clear()
    instrument = client.get("/instruments/entente-1934?at=1940-07-01", headers=HTML).text
    assert len(re.findall(r'href="/findings/entente-1934\.periodic-conferences\.[^"/]+/why', instrument)) == 2
    link = f'<a href="{path}?at=1940-07-01">2 of {len(every)} findings shown: every finding of this rule'
    assert link in html.unescape(instrument)


def test_the_search_shows_its_matches_a_page_at_a_time_best_first_and_keeps_the_words(api, monkeypatch):
    monkeypatch.setattr(record_pages, "SEARCH_PER_PAGE", 5)  # the bundled record's matches fill a few pages
    client, _ = api(DEFAULT_UNION)
    every = [r["id"] for r in client.get("/search?q=conference&format=json", headers=HTML).json()["rows"]]
    assert len(every) > 5
    first = client.get("/search?q=conference", headers=HTML).text
    assert f"{len(every)} entries match" in _said(first)
    following = re.search(r'<a href="([^"]+)" rel="next"', first)
    assert following is not None and html.unescape(following[1]) == "/search?q=conference&page=2"
    shown = []
    for n in range(1, -(-len(every) // 5) + 1):
        shown += re.findall(r'<tr id="([^"]+)"', client.get(f"/search?q=conference&page={n}", headers=HTML).text)
    assert shown == every  # every match once, best first, across the pages
    refused = client.get("/search?q=conference&page=0", headers=HTML)
    assert refused.status_code == 400 and "page=0 is not a page of this list" in _said(refused.text)



@pytest.mark.parametrize(("lang", "says"), [("en", "3,358 findings on &lt;b&gt;"),
                                            ("lv", "3\xa0358 atzinumi &lt;b&gt;")])
def test_a_count_on_a_page_is_written_as_the_pages_language_writes_numbers_its_values_escaped(lang, says):
    from entente.web.base import environment

    counted = '{{ ngettext("%(num)s finding on %(day)s", "%(num)s findings on %(day)s", 3358, day="<b>") }}'
    assert environment(lang).from_string(counted).render() == says
