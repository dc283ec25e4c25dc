"""The web pages as a person uses them: Debian's Chromium, driven by Playwright, against ``entente serve``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from entente.rules import finding_id
from entente.vocabulary.definition import DEFAULT_UNION
from entente.whatif.shelf import digest
from tests import browser as b

pytestmark = pytest.mark.skipif(b.missing() is not None, reason=str(b.missing()))

PAGES = ["/", "/union?at=1936-01-01", "/timeline", "/timeline?kind=conference_held&party=LT", "/conferences",
         "/instruments", "/instruments/entente-1934", "/compliance?verdict=breach", "/due?at=1938-07-01",
         "/parties", "/parties/LT?at=1939-04-01", "/search?q=Vilnius", "/signin", "/what-if",
         f"/what-if/{digest((DEFAULT_UNION / 'scenarios' / 'four-conferences-a-year.yaml').read_text())}?at=1936",
         "/findings/" + finding_id({"instrument": "entente-1934", "rule_id": "periodic-conferences", "article": "2",
                                    "period": "1937", "reading_name": "calendar-year"}) + "/why?at=1938"]
DECLARATION = "Confidential declaration on the question of the Vilnius region"  # its title, in the record file


# On SQLite only: a browser takes tens of seconds to drive through the pages, and what the pages show from
# either back end is tested without one, over HTTP, in test_web.py.
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[b.Server, dict[str, str], Any]]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    tokens = {"LV": b.token(db, "LV"), "secretariat": b.token(db, "secretariat")}
    with b.serve(db) as server, b.chromium() as chromium:
        yield server, tokens, chromium


def _open(site: Any, **options: Any) -> tuple[Any, list[str]]:
    server, _, chromium = site
    offsite: list[str] = []
    return b.new_page(chromium, server.base, offsite, **options), offsite


def _sign_in(page: Any, base: str, token: str) -> None:
    page.goto(base + "/signin")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()


def test_every_page_opens_offline_in_english_with_no_serious_accessibility_violation(site):
    page, offsite = _open(site)
    base = site[0].base
    for path in PAGES:
        answer = page.goto(base + path)
        assert answer.status == 200, path
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text().strip(), path
        assert re.search(r"(?<![\w-])\d{4}-\d{2}", page.locator("main").inner_text()) is None, f"raw EDTF on {path}"
        assert b.axe_serious(page) == [], path
    assert offsite == []


def test_the_api_documentation_page_loads_its_scripts_from_the_server(site):
    page, offsite = _open(site)
    page.goto(site[0].base + "/schema/swagger", wait_until="domcontentloaded", timeout=60_000)
    page.locator(".swagger-ui .info .title").wait_for(timeout=60_000)  # 2 MB of script on a busy machine
    assert "Entente" in page.locator(".swagger-ui .info .title").inner_text()
    assert offsite == []


def test_the_date_control_moves_the_union_through_the_record_and_the_url_keeps_the_day(site):
    page, _ = _open(site)
    base = site[0].base
    page.goto(base + "/union?at=1934-10-01")
    def entente() -> str:
        return str(page.locator("#state tr", has_text="Treaty of Good Understanding and Co-operation").inner_text())

    assert "signed" in entente()
    slider = page.locator("#step")
    slider.focus()
    for _ in range(3):
        with page.expect_response(lambda r: "/union?step=" in r.url):
            page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/union\?at=1935-"))
    assert "in force" in entente()
    shared = page.url  # the day is in the address: opening it again shows the same day
    heading = page.locator("#state h2").inner_text()
    page.goto(base + "/")
    page.goto(shared)
    assert page.locator("#state h2").inner_text() == heading
    page.get_by_role("link", name=re.compile("→")).first.click()  # the next day the record speaks of
    assert page.locator("#state h2").inner_text() != heading


def test_a_filter_chosen_by_keyboard_updates_the_list_and_the_address_and_keeps_the_focus(site):
    page, _ = _open(site)
    page.goto(site[0].base + "/timeline")
    every = page.locator("main tbody tr").count()
    page.locator("#filter-kind").focus()
    with page.expect_response(lambda r: "kind=" in r.url):
        page.keyboard.press("ArrowDown")  # the first kind after "every kind"
    page.wait_for_url(re.compile(r"/timeline\?kind=\w+"))
    assert 0 < page.locator("main tbody tr").count() < every
    assert page.evaluate("document.activeElement.id") == "filter-kind"


def test_switching_to_latvian_changes_the_interface_the_lang_and_the_dates(site):
    page, _ = _open(site)
    base = site[0].base
    page.goto(base + "/union?at=1935-06-01")
    page.get_by_role("link", name="Latviešu").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.locator("h1").inner_text() == "Savienība noteiktā dienā"
    assert "1935. gada 1. jūnijā" in page.locator("#state h2").inner_text()
    assert b.axe_serious(page) == []
    page.goto(base + "/timeline")  # the choice is kept on the next page
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.locator("h1").inner_text() == "Hronika"
    assert page.get_by_role("link", name="English").count() == 1


def test_a_delegation_signs_in_sees_the_apis_error_for_a_bad_form_and_its_entry_in_the_timeline(site):
    server, tokens, _ = site
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["LV"])
    assert page.url.endswith("/delegation")
    session = next(c for c in page.context.cookies() if c["name"] == "entente_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert tokens["LV"].split(".")[1] not in session["value"]  # the id of a session, not the token
    assert page.evaluate("document.cookie").find("entente_session") == -1  # no script can read it
    assert b.axe_serious(page) == []

    form = page.locator("form[action='/delegation/position_stated']")
    form.get_by_label("Date").fill("1939-12-32")
    form.get_by_label("On the question").select_option("baltic-cooperation-1939")
    form.get_by_label("Stance").select_option("support")
    form.get_by_label("Text (English)").fill("Latvia supports closer cooperation.")
    form.get_by_role("button", name="Record the position").click()
    page.wait_for_load_state()
    problems = page.locator("#problems").inner_text()
    api = httpx.post(f"{server.base}/api/events/position_stated", timeout=10, json={
        "date": "1939-12-32", "question": "baltic-cooperation-1939", "party": "LV", "stance": "support",
        "text": {"en": "Latvia supports closer cooperation."}, "classification": "public"},
        headers={"Authorization": f"Bearer {tokens['LV']}"})
    assert api.status_code == 422
    for problem in api.json()["problems"]:  # the same problems, each naming its field, as the API answers
        assert problem["field"] in problems and problem["message"] in problems
    assert form.get_by_label("Date").input_value() == "1939-12-32"  # what was typed is kept

    form = page.locator("form[action='/delegation/position_stated']")
    form.get_by_label("Date").fill("1939-12-08")
    form.get_by_label("On the question").select_option("baltic-cooperation-1939")
    form.get_by_label("Stance").select_option("support")
    form.get_by_label("Text (English)").fill("Latvia stands for the cooperation of the three states.")
    form.get_by_label("Who may see it").select_option("instrument:entente-1934")  # as narrowly as the question
    form.get_by_role("button", name="Record the position").click()
    page.wait_for_load_state()
    assert "Recorded as lv." in page.locator(".notice").inner_text()
    page.get_by_role("link", name="See it in the timeline").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Latvia stands for the cooperation of the three states.")
    assert row.count() == 1 and "8 December 1939" in row.inner_text()
    assert offsite == []


# Each delegation form: what is chosen (label → value; a list for checkboxes), a date the API refuses, and
# the fields the recorded entry must then carry.
ROUND_TRIPS = {
    "position_stated": (
        {"On the question": "baltic-cooperation-1939", "Stance": "oppose", "Text (English)": "Latvia will not follow.",
         "Who may see it": "own"},
        {"question": "baltic-cooperation-1939", "party": "LV", "stance": "oppose",
         "text": {"en": "Latvia will not follow."}, "classification": {"parties": ["LV"]}}),
    "question_raised": (
        {"Title (English)": "Transit of troops", "Subject": "neutrality", "Under the instrument": "entente-1934",
         "Who may see it": "instrument:entente-1934"},
        {"actor": "LV", "title": {"en": "Transit of troops"}, "subject": "neutrality", "instrument": "entente-1934",
         "classification": {"instrument": "entente-1934"}}),
    "assistance_requested": (
        {"Title (English)": "Support at Geneva", "Subject": "diplomatic-support", "Asked of": ["EE"],
         "Under the instrument": "entente-1934", "Who may see it": "own"},
        {"requester": "LV", "title": {"en": "Support at Geneva"}, "subject": "diplomatic-support",
         "addressees": ["EE"], "instrument": "entente-1934", "classification": {"parties": ["LV"]}}),
    "proposal_made": (
        {"Title (English)": "Meet monthly", "Motion": "change_rule", "Under the instrument": "entente-1934",
         "Who may see it": "instrument:entente-1934"},
        {"proposer": "LV", "title": {"en": "Meet monthly"}, "motion": "change_rule", "instrument": "entente-1934",
         "classification": {"instrument": "entente-1934"}}),
}


def _choose(form: Any, chosen: dict[str, Any]) -> None:
    for name, value in chosen.items():
        if isinstance(value, list):
            for box in value:
                form.locator(f"input[name=addressees][value={box}]").check()
        elif form.get_by_label(name, exact=True).evaluate("e => e.tagName") == "SELECT":
            form.get_by_label(name, exact=True).select_option(value)
        else:
            form.get_by_label(name, exact=True).fill(value)


def _kept(form: Any, chosen: dict[str, Any]) -> None:
    for name, value in chosen.items():
        if isinstance(value, list):
            checked = form.locator("input[name=addressees]:checked")
            assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == value
        else:
            assert form.get_by_label(name, exact=True).input_value() == value, name


@pytest.mark.parametrize("kind", ROUND_TRIPS)
def test_a_refused_form_comes_back_as_chosen_and_records_every_field_once(site, kind):
    server, tokens, _ = site
    chosen, recorded = ROUND_TRIPS[kind]
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["LV"])
    form = page.locator(f"form[action='/delegation/{kind}']")
    _choose(form, {"Date": "1939-12-32", **chosen})
    form.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    form = page.locator(f"form[action='/delegation/{kind}']")
    _kept(form, {"Date": "1939-12-32", **chosen})  # refused: every choice as it was made
    date = form.get_by_label("Date", exact=True)
    assert date.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == f"{kind}-date"
    problem = page.locator(f"#{kind}-date-problem")
    assert "1939-12-32" in problem.inner_text() and f"{kind}-date-problem" in date.get_attribute("aria-describedby")
    assert b.axe_serious(page) == []

    date.fill("1939-12-08")
    form.get_by_role("button", name="Preview").click()  # what will be recorded, and for whom
    page.wait_for_load_state()
    form = page.locator(f"form[action='/delegation/{kind}']")
    _kept(form, {"Date": "1939-12-08", **chosen})
    preview = form.locator(".preview").inner_text()
    assert "8 December 1939" in preview
    audience = "Latvia, and the secretariat" if chosen["Who may see it"] == "own" else "Estonia, Latvia, Lithuania"
    assert audience in preview

    # A double click: the same form sent twice at once, from the page, as the browser sends it.
    landed = page.evaluate("""async (selector) => {
        const form = document.querySelector(selector), data = new URLSearchParams(new FormData(form));
        const sent = [1, 2].map(() => fetch(form.action, {method: "POST", body: data}));
        return (await Promise.all(sent)).map(answer => answer.url);
    }""", f"form[action='/delegation/{kind}']")
    assert len(set(landed)) == 1 and "recorded=" in landed[0], landed  # both answered with the one entry
    page.goto(landed[0])
    assert "Recorded as" in page.locator(".notice").inner_text()
    entry = re.search(r"recorded=([^&]+)", page.url)[1]
    auth = {"Authorization": f"Bearer {tokens['LV']}"}
    got = httpx.get(f"{server.base}/api/events/{entry}", headers=auth, timeout=10).json()
    assert {name: got.get(name) for name in recorded} == recorded and got["date"] == "1939-12-08"
    timeline = httpx.get(f"{server.base}/api/timeline", headers=auth, timeout=10).json()
    title = chosen.get("Title (English)") or chosen["Text (English)"]
    same = [row for row in timeline if title in json.dumps(row)]
    assert len(same) == 1, same
    assert offsite == []


def test_the_public_never_sees_the_declaration_and_a_party_to_it_does(site):
    server, tokens, _ = site
    public, _ = _open(site)
    looked = [*PAGES, "/timeline?kind=instrument_signed", "/search?q=declaration", "/search?q=Viļņas",
              "/search?q=confidential", "/compliance?instrument=declaration-1934", "/union?at=1935-01-01",
              "/instruments/declaration-1934"]
    for path in looked:
        public.goto(server.base + path)
        assert DECLARATION not in public.content(), path
        # (The page's own links repeat what was asked, so the id is looked for in what the page says.)
        assert re.search(r"(?<![\w-])declaration-1934", public.locator("main").inner_text()) is None, path
    assert public.goto(server.base + "/instruments/declaration-1934").status == 404

    party, _ = _open(site)
    _sign_in(party, server.base, tokens["LV"])
    party.goto(server.base + "/timeline?kind=instrument_signed")
    assert DECLARATION in party.content()


def test_the_secretariat_sees_refused_writes_in_the_audit_trail(site):
    server, tokens, _ = site
    page, _ = _open(site)
    _sign_in(page, server.base, tokens["secretariat"])
    assert page.url.endswith("/audit")
    assert page.locator("h1").inner_text() == "Audit trail"
    assert b.axe_serious(page) == []


def test_a_phone_sized_window_reads_without_sideways_scrolling(site):
    page, _ = _open(site, viewport={"width": 375, "height": 740})
    for path in ("/", "/union", "/timeline", "/conferences", "/instruments/entente-1934", "/compliance"):
        page.goto(site[0].base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1, path


def test_a_form_posted_from_another_site_is_refused_and_records_nothing(site):
    server, tokens, _ = site
    before = httpx.get(f"{server.base}/api/timeline", timeout=10,
                       headers={"Authorization": f"Bearer {tokens['LV']}"}).json()
    signed = httpx.post(f"{server.base}/session", data={"token": tokens["LV"]}, timeout=10)
    cross = httpx.post(f"{server.base}/delegation/proposal_made", timeout=10,
                       data={"date": "1939-12-08", "title": "From elsewhere", "motion": "other"},
                       cookies={"entente_session": signed.cookies["entente_session"]},
                       headers={"Origin": "http://elsewhere.example", "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    after = httpx.get(f"{server.base}/api/timeline", timeout=10,
                      headers={"Authorization": f"Bearer {tokens['LV']}"}).json()
    assert after == before



def test_the_timeline_prints_on_at_most_six_a4_pages_without_navigation_or_forms(site):
    page, _ = _open(site)
    page.goto(site[0].base + "/timeline")
    page.emulate_media(media="print")
    assert page.locator("header nav").is_hidden() and page.locator("form.filters").is_hidden()
    assert page.locator("main tbody tr").first.is_visible()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 < pages <= 6, pages


@pytest.mark.parametrize("lang", ["en", "lv"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_at_phone_and_desktop_width_in_either_scheme(site, lang, width, scheme):
    page, offsite = _open(site, viewport={"width": width, "height": 800}, color_scheme=scheme)
    for path in PAGES:
        page.goto(site[0].base + path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert b.axe_serious(page) == [], path
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (dark == "rgb(18, 20, 22)") == (scheme == "dark"), dark
    assert offsite == []


def test_a_wide_table_scrolls_sideways_by_keyboard_at_phone_width(site):
    page, _ = _open(site, viewport={"width": 390, "height": 800})
    page.goto(site[0].base + "/conferences")
    region = page.locator(".scroll").first
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the phone: it must scroll
    for _ in range(40):  # Tab reaches it as it reaches a link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('scroll')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    before = page.evaluate("document.activeElement.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.activeElement.scrollLeft > {before}")


def test_the_exports_links_give_the_rows_the_signed_in_page_shows(site):
    server, tokens, _ = site
    page, _ = _open(site)
    _sign_in(page, server.base, tokens["LV"])
    page.goto(server.base + "/timeline?kind=instrument_signed")
    shown = page.locator("main tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert "declaration-1934-signed" in shown
    for name, read in (("JSON", lambda a: [r["id"] for r in a.json()["rows"]]),
                       ("CSV", lambda a: [line.split(",")[0] for line in a.text().splitlines()[1:]])):
        href = page.locator(".exports").get_by_role("link", name=name).get_attribute("href")
        answer = page.context.request.get(server.base + href)  # with the browser's own session cookie
        assert read(answer) == shown, name


def test_the_secretariat_records_a_conference_from_its_page_after_a_refusal_every_choice_kept(site):
    server, tokens, _ = site
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["secretariat"])
    page.goto(server.base + "/secretariat")
    assert b.axe_serious(page) == []
    form = page.locator("form[action='/secretariat/conference_held']")
    chosen = {"Number": "12", "Under the instrument": "entente-1934", "Host": "EE", "Place (English)": "Tallinn",
              "Role of Lithuania": "observer", "Who may see it": "instrument:entente-1934"}
    _choose(form, {"Date": "1940-04-31", **chosen})
    for code in ("EE", "LT"):
        form.locator(f"input[name=participants][value={code}]").check()
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    form = page.locator("form[action='/secretariat/conference_held']")
    _kept(form, {"Date": "1940-04-31", **chosen})
    checked = form.locator("input[name=participants]:checked").evaluate_all("boxes => boxes.map(b => b.value)")
    assert checked == ["EE", "LT"]
    assert page.evaluate("document.activeElement.id") == "conference_held-date"
    form.get_by_label("Date", exact=True).fill("20 April 1940")
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    entry = re.search(r"recorded=([^&]+)", page.url)[1]
    got = httpx.get(f"{server.base}/api/events/{entry}", timeout=10,
                    headers={"Authorization": f"Bearer {tokens['secretariat']}"}).json()
    assert (got["date"], got["number"], got["host"], got["place"], got["classification"]) == \
        ("1940-04-20", 12, "EE", {"en": "Tallinn"}, {"instrument": "entente-1934"})
    roles = [(x["party"], x.get("role", "member")) for x in got["participants"]]  # "member" is left unsaid
    assert roles == [("EE", "member"), ("LT", "observer")]
    assert offsite == []


STORY_PAGES = ["/", "/entries/conference-1939-12-tallinn", "/findings/entente-1934/periodic-conferences?at=1940-07-01",
               "/instruments/bulduri-1920"]


@pytest.mark.parametrize("lang", ["en", "lv"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_story_and_an_entrys_own_page_read_at_any_width_and_its_link_and_citation_are_there(site, lang, width):
    page, offsite = _open(site, viewport={"width": width, "height": 800})
    for path in STORY_PAGES:
        page.goto(site[0].base + path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert b.axe_serious(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    page.goto(site[0].base + f"/entries/conference-1939-12-tallinn?lang={lang}")
    link = page.get_by_role("link", name="Saite uz šo" if lang == "lv" else "Link to this", exact=True)
    assert link.get_attribute("href") == "/entries/conference-1939-12-tallinn"
    checkpoint = httpx.get(f"{site[0].base}/api/checkpoint", timeout=10).json()
    citation = page.locator("#cite-plain").input_value()
    assert f"record version {checkpoint['size']} (root hash {checkpoint['root']})" in citation
    assert offsite == []


def _fields(form: Any) -> dict[str, str]:
    """Every named field of a form as it now stands (a select's chosen value, a textarea's text)."""
    return form.evaluate("f => Object.fromEntries([...f.elements].filter(e => e.name && e.name !== 'key' "
                         "&& e.type !== 'submit').map(e => [e.name, e.value]))")


def test_a_delegation_corrects_then_withdraws_its_own_entry_from_the_entrys_page_after_a_refusal(site):
    server, tokens, _ = site
    auth = {"Authorization": f"Bearer {tokens['LV']}"}
    made = httpx.post(f"{server.base}/api/events/position_stated", headers=auth, timeout=10, json={
        "date": "1939-12-09", "question": "baltic-cooperation-1939", "party": "LV", "stance": "support",
        "text": {"en": "To be corrected from the web."}, "classification": {"parties": ["LV"]}})
    entry = made.json()["event"]["id"]
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["LV"])
    page.goto(f"{server.base}/entries/{entry}")
    page.get_by_role("link", name="Correct this entry").click()
    page.wait_for_load_state()
    form = page.locator("form[action='/delegation/entry_corrected']")
    written = form.get_by_label("The entry as it should read (YAML)").input_value()
    assert "stance: support" in written and "To be corrected from the web." in written
    chosen = {"target": entry, "entry": written.replace("stance: support", "stance: oppose").replace(
        "1939-12-09", "1939-12-32"), "reason": "The minutes say Latvia opposed.", "document": "seed", "quote": ""}
    form.get_by_label("The entry as it should read (YAML)").fill(chosen["entry"])
    form.get_by_label("Why", exact=True).fill(chosen["reason"])
    form.get_by_label("Source document").select_option("seed")
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    form = page.locator("form[action='/delegation/entry_corrected']")
    assert _fields(form) == chosen  # refused: every choice as it was made
    box = form.get_by_label("The entry as it should read (YAML)")
    assert box.get_attribute("aria-invalid") == "true" and page.evaluate("document.activeElement.id") == \
        "entry_corrected-entry"
    assert "1939-12-32" in page.locator("#entry_corrected-entry-problem").inner_text()
    assert b.axe_serious(page) == []
    box.fill(chosen["entry"].replace("1939-12-32", "1939-12-09"))
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    got = httpx.get(f"{server.base}/api/events/{entry}", headers=auth, timeout=10).json()
    assert {k: got[k] for k in ("date", "question", "party", "stance", "text", "classification")} == {
        "date": "1939-12-09", "question": "baltic-cooperation-1939", "party": "LV", "stance": "oppose",
        "text": {"en": "To be corrected from the web."}, "classification": {"parties": ["LV"]}}
    act = httpx.get(f"{server.base}/api/events/{entry}/history", headers=auth, timeout=10).json()[-1]["act"]
    assert act["reason"] == chosen["reason"] and act["source"]["document"] == "seed"

    page.goto(f"{server.base}/entries/{entry}")
    page.get_by_role("link", name="Withdraw this entry").click()
    page.wait_for_load_state()
    form = page.locator("form[action='/delegation/entry_retracted']")
    form.get_by_label("Why", exact=True).fill("Recorded twice.")
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    form = page.locator("form[action='/delegation/entry_retracted']")
    assert _fields(form) == {"target": entry, "reason": "Recorded twice.", "document": "", "quote": ""}
    assert "needs a source" in page.locator("#entry_retracted-document-problem").inner_text()
    form.get_by_label("Source document").select_option("seed")
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    assert httpx.get(f"{server.base}/api/events/{entry}", headers=auth, timeout=10).status_code == 404
    page.goto(f"{server.base}/entries/{entry}")
    assert "This entry was withdrawn" in page.locator("main").inner_text()
    assert offsite == []


def _secretariat_posts(page: Any, form_name: str, chosen: dict[str, str], refused_by: str) -> dict[str, str]:
    """Fill and send a secretariat form with a choice the API refuses, check it comes back as chosen, then send it
    with the fix (``refused_by`` replaced by ``fixed``) and return the id recorded."""
    form = page.locator(f"form[action='/secretariat/{form_name}']")
    for name, value in chosen.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    form = page.locator(f"form[action='/secretariat/{form_name}']")
    assert {k: v for k, v in _fields(form).items() if k in chosen} == chosen  # every choice as it was made
    assert refused_by in page.locator("#problems").inner_text()
    return form


@pytest.mark.parametrize("kind", ["instrument_ratified", "instrument_acceded", "instrument_entered_into_force",
                                  "withdrawal_notified", "instrument_terminated"])
def test_the_secretariat_records_each_act_on_an_instrument_after_a_refusal(site, kind):
    server, tokens, _ = site
    auth = {"Authorization": f"Bearer {tokens['secretariat']}"}
    instrument = f"protocol-{kind.replace('_', '-')}"
    signed = httpx.post(f"{server.base}/api/events/instrument_signed", headers=auth, timeout=10, json={
        "id": f"{instrument}-signed", "date": "1936-03-02", "instrument": instrument, "form": "protocol",
        "title": {"en": f"A protocol for the {kind} form"},
        # Lithuania accedes to one it did not sign; it gives notice of withdrawal from one that binds it.
        "parties": ["EE", "LV"] if kind == "instrument_acceded" else ["EE", "LV", "LT"],
        "in_force_on_signature": kind == "withdrawal_notified"})
    assert signed.status_code == 201, signed.text
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["secretariat"])
    page.goto(server.base + "/secretariat")
    party = "" if kind == "instrument_entered_into_force" else "LT"
    chosen = {"kind": kind, "date": "1936-02-30", "instrument": instrument, "party": party, "mode": "annulled",
              "classification": f"instrument:{instrument}"}
    form = _secretariat_posts(page, "instrument_act", chosen, "1936-02-30")
    assert form.get_by_label("Date", exact=True).get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "instrument_act-date"
    form.get_by_label("Date", exact=True).fill("3 March 1936")
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    got = httpx.get(f"{server.base}/api/events/{re.search(r'recorded=([^&]+)', page.url)[1]}", headers=auth,
                    timeout=10).json()
    expected = {"kind": kind, "date": "1936-03-03", "instrument": instrument,
                "classification": {"instrument": instrument}}
    expected.update({"party": party} if party else {})
    expected.update({"mode": "annulled"} if kind == "instrument_terminated" else {})
    assert {k: got.get(k) for k in (*expected, "party", "mode") if k in got} == expected
    assert offsite == []


# Each kind the secretariat writes as a record file does: the entry refused (a day that does not exist), then fixed.
WRITTEN = {
    "instrument_signed": "instrument: protocol-1937\ntitle: {en: Protocol on the press}\nform: protocol\n"
                         "parties: [EE, LV, LT]\ndate: 1937-02-30\n",
    "decision_taken": "title: {en: The envoys meet monthly}\ninstrument: entente-1934\nparties: [EE, LV, LT]\n"
                      "date: 1937-02-30\n",
    "rule_changed": "instrument: entente-1934\nrule: periodic-conferences\nsettings: {minimum: 2}\n"
                    "effective: '1937-04-01'\ntitle: {en: 'Twice a year, as before'}\ndate: 1937-02-30\n",
}


@pytest.mark.parametrize("kind", [*WRITTEN, "classification_amended", "entry_corrected"])
def test_the_secretariat_records_decisions_rule_changes_reclassifications_and_corrections_after_a_refusal(site, kind):
    server, tokens, _ = site
    auth = {"Authorization": f"Bearer {tokens['secretariat']}"}
    target = f"outside-{kind.replace('_', '-')}"
    if kind not in WRITTEN:  # an entry of its own to reclassify or correct
        made = httpx.post(f"{server.base}/api/events/outside_event", headers=auth, timeout=10, json={
            "id": target, "date": "1937-03-01", "category": "press", "title": {"en": "A press report"},
            "source": {"document": "seed", "quote": ""}})
        assert made.status_code == 201, made.text
    written = WRITTEN.get(kind) or {
        "classification_amended": f"target: {target}\nto: {{instrument: entente-1934}}\n"
                                  "classification: {instrument: entente-1934}\ndate: 1937-02-30\n",
        "entry_corrected": f"target: {target}\nreason: The report was of 2 March.\n"
                           "source: {document: seed}\ndate: 1937-02-30\n"
                           f"entry: {{kind: outside_event, id: {target}, date: '1937-03-02', category: press,"
                           " title: {en: A press report of 2 March}, source: {document: seed}}\n"}[kind]
    page, offsite = _open(site)
    _sign_in(page, server.base, tokens["secretariat"])
    page.goto(server.base + "/secretariat")
    form = _secretariat_posts(page, "entry", {"kind": kind, "entry": written}, "1937-02-30")
    fixed = written.replace("1937-02-30", "'1937-03-02'")
    form.locator("[name='entry']").fill(fixed)
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    got = httpx.get(f"{server.base}/api/events/{re.search(r'recorded=([^&]+)', page.url)[1]}", headers=auth,
                    timeout=10)
    expected = {"kind": kind, **yaml.safe_load(fixed)}
    if kind == "entry_corrected":  # a correction shows as the entry it corrects; its history holds the act
        history = httpx.get(f"{server.base}/api/events/{target}/history", headers=auth, timeout=10).json()
        assert history[-1]["entry"] == expected["entry"] and history[-1]["act"]["reason"] == expected["reason"]
    else:
        assert got.status_code == 200, got.text
        assert {k: got.json().get(k) for k in expected} == expected
    assert offsite == []


def test_a_findings_page_shows_how_its_verdicts_changed_and_the_withdrawal_that_changed_them(site, tmp_path):
    db = tmp_path / "history.db"
    office = {"Authorization": f"Bearer {b.token(db, 'secretariat')}"}
    path = "/findings/entente-1934/periodic-conferences?at=1940-07-01"
    with b.serve(db) as server:
        held = next(c for c in httpx.get(f"{server.base}/api/conferences", timeout=10).json()
                    if c["date"].startswith("1938"))
        gone = httpx.post(f"{server.base}/api/events/entry_retracted", headers=office, timeout=30, json={
            "id": "withdrawn-1938", "date": held["date"], "target": held["id"],
            "reason": "Held as a meeting of envoys.", "source": {"document": "seed", "quote": ""}})
        assert gone.status_code == 201, gone.text
        data = httpx.get(f"{server.base}{path}&format=json", timeout=30).json()
        offsite: list[str] = []
        page = b.new_page(site[2], server.base, offsite, viewport={"width": 390, "height": 800})
        page.goto(server.base + path)
        rows = page.locator("table.verdict-history tbody tr")
        assert rows.count() == len(data["history"]) >= 2
        last = rows.last
        assert "withdrawn" in last.inner_text() and "Held as a meeting of envoys." in last.inner_text()
        for lang, width in [("en", 390), ("lv", 390), ("en", 1280), ("lv", 1280)]:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{server.base}{path}&lang={lang}")
            assert b.axe_serious(page) == [], (lang, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.goto(server.base + path)
        changed = next(f for f in data["history"][-1]["findings"] if f not in data["history"][-2]["findings"])
        page.locator(f"a[href^='/findings/{changed['id']}?']").first.click()
        page.wait_for_url(re.compile(re.escape(changed["id"])))
        assert page.locator("table.verdict-history tbody tr").last.inner_text().count("Held as a meeting") == 1
        page.locator("table.verdict-history tbody tr").last.get_by_role("link").first.click()
        page.wait_for_url(re.compile(re.escape(f"/entries/{held['id']}")))
        assert "withdrawn" in page.locator("main").inner_text()
        assert offsite == []
