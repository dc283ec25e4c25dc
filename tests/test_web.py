"""The web pages over HTTP, without a browser: what each viewer is shown, languages, cross-site posts."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from entente.secretariat import tokens
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import KINDS
from entente.web import i18n
from entente.web.base import environment
from entente.web.words import dates_in

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
WEB = Path(i18n.__file__).parent


def _restricted_words() -> set[str]:
    """From the record file itself: the titles and quotes of entries the public may not see, that no public
    entry shares."""
    entries = yaml.safe_load((DEFAULT_UNION / "record.yaml").read_text(encoding="utf-8"))["events"]

    def words(e: dict) -> set[str]:
        return {t for t in (*(e.get("title") or {}).values(), (e.get("source") or {}).get("quote")) if t}

    public = set().union(*(words(e) for e in entries if e.get("classification", "public") == "public"))
    return set().union(*(words(e) for e in entries if e.get("classification", "public") != "public")) - public


def _pages(client) -> list[str]:
    pages = ["/", "/union", "/union?at=1935-01-01", "/union?step=30", "/timeline", "/conferences", "/instruments",
             "/compliance", "/due", "/parties", "/signin", "/delegation", "/audit", "/bibliography"]
    pages += [f"/timeline?kind={k}" for k in KINDS] + [f"/timeline?party={p}" for p in ("EE", "LV", "LT")]
    pages += [f"/compliance?verdict={v}&at=1940-06-01" for v in ("met", "breach", "pending", "not_applicable")]
    pages += [f"/compliance?party={p}" for p in ("EE", "LV", "LT")]
    pages += [f"/parties/{p}?at=1939-01-01" for p in ("EE", "LV", "LT")]
    pages += [f"/search?q={q}" for q in ("Vilnius", "Viļņas", "declaration", "slepen", "confidential", "1934")]
    pages += [f"/instruments/{i}" for i in ("entente-1934", "declaration-1934", "union-1934", "defence-1923")]
    # Every entry's own page, those only some may see among them, and each rule's findings.
    entries = yaml.safe_load((DEFAULT_UNION / "record.yaml").read_text(encoding="utf-8"))["events"]
    pages += [f"/entries/{e['id']}" for e in entries]
    pages += [f"/findings/entente-1934/{r}" for r in ("periodic-conferences", "rotation", "presidency")]
    pages += ["/findings/declaration-1934/vilnius-excepted"]
    return pages


def test_a_browser_gets_the_overview_page_and_an_api_client_json(api):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/", headers=HTML)
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text and "Baltic Entente" in page.text
    assert client.get("/").json()["links"]["timeline"] == "/api/timeline"
    assert client.get("/", headers={"Accept": "application/json"}).json()["union"] == "baltic-entente"


def test_the_public_never_sees_what_only_the_declarations_parties_may_see(api):
    client, issue = api(DEFAULT_UNION)
    secret = _restricted_words()
    assert any("Vilnius" in w for w in secret)  # the oracle holds the declaration's title
    for path in _pages(client):
        answer = client.get(path, headers=HTML)
        assert answer.status_code in (200, 401, 404), path
        shown = [w for w in secret if w in answer.text]
        assert shown == [], f"{path} shows {shown}"
    latvia = client.get("/timeline?kind=instrument_signed", headers={**HTML, "Cookie": _session(client, issue, "LV")})
    assert any(w in latvia.text for w in secret)  # the same page shows it to a party to it


def _session(client, issue, viewer: str) -> str:
    """The cookie a sign-in with a new token for ``viewer`` sets: a session's id, never the token."""
    token = issue(viewer)["Authorization"].removeprefix("Bearer ")
    signed = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    assert signed.status_code == 303, signed.text
    session = signed.cookies["entente_session"]
    client.cookies.clear()  # each request below says which cookie it sends
    assert session != token and token not in signed.headers["set-cookie"]
    return f"entente_session={session}"


def test_a_form_from_another_site_is_refused_one_from_this_site_recorded(api):
    client, issue = api(DEFAULT_UNION)
    form = {"date": "1939-12-10", "title": "Meet in Kaunas", "motion": "convene_conference",
            "instrument": "entente-1934", "classification": "public"}
    cookie = {**HTML, "Cookie": _session(client, issue, "LT")}
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elsewhere.example"}, {"Origin": "null"}):
        refused = client.post("/delegation/proposal_made", data=form, headers={**cookie, **headers})
        assert refused.status_code == 403 and "another site" in refused.text
    assert "Meet in Kaunas" not in client.get("/timeline", headers=cookie).text
    done = client.post("/delegation/proposal_made", data=form, follow_redirects=False,
                       headers={**cookie, "Sec-Fetch-Site": "same-origin", "Origin": "http://testserver.local"})
    assert done.status_code == 303 and done.headers["location"].startswith("/delegation?recorded=lt.")
    assert "Meet in Kaunas" in client.get("/timeline?party=LT", headers=cookie).text


def test_sign_out_ends_the_session_on_the_server_and_revoking_the_token_ends_every_session(api):
    client, issue = api(DEFAULT_UNION)
    cookie = _session(client, issue, "LV")
    signed_in = {**HTML, "Cookie": cookie}
    assert "Signed in as Latvia" in client.get("/due", headers=signed_in).text
    session = cookie.removeprefix("entente_session=")
    assert client.get("/api/timeline", headers={"Authorization": f"Bearer {session}"}).status_code == 401
    out = client.post("/signout", headers={**signed_in, "Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.clear()
    replayed = client.get("/due", headers=signed_in)  # the same id, sent again after sign-out: the public
    assert "Signed in" not in replayed.text and 'entente_session=""' in replayed.headers["set-cookie"]

    token = issue("LT")["Authorization"].removeprefix("Bearer ")
    first = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    client.cookies.clear()
    lithuania = {**HTML, "Cookie": f"entente_session={first.cookies['entente_session']}"}
    assert "Signed in as Lithuania" in client.get("/due", headers=lithuania).text
    assert tokens.revoke(client.app.state.hub.secretariat.store, token.partition(".")[0])
    assert "Signed in" not in client.get("/due", headers=lithuania).text


def _without_stamps(ics: str) -> str:
    return "\n".join(line for line in ics.splitlines() if not line.startswith("DTSTAMP"))


def test_each_viewer_makes_its_own_calendar_address_that_shows_what_it_may_see_until_revoked(api):
    client, issue = api(DEFAULT_UNION)
    latvia = {**HTML, "Cookie": _session(client, issue, "LV"), "Sec-Fetch-Site": "same-origin"}
    assert client.post("/feeds", headers={**HTML, "Sec-Fetch-Site": "same-origin"}).status_code == 401
    made = client.post("/feeds", headers=latvia)
    assert made.status_code == 201
    address = re.search(r'href="(/feeds/[0-9a-f]{12}\.[\w-]+\.ics)"', made.text)
    assert address is not None and "webcal://" in made.text
    own = client.get(address[1])  # no cookie, no token: the address alone
    assert own.status_code == 200 and own.headers["content-type"].startswith("text/calendar")
    as_latvia = client.get("/calendar.ics", headers=issue("LV")).text  # what Latvia's token is answered
    assert _without_stamps(own.text) == _without_stamps(as_latvia)
    assert "X-ENTENTE-RECORD-VERSION:entente/baltic-entente/LV " in own.text.replace("\r\n ", "")  # Latvia's log
    feed_id = address[1].split("/")[2].split(".")[0]
    assert feed_id in client.get("/due", headers=latvia).text
    other = {**HTML, "Cookie": _session(client, issue, "LT"), "Sec-Fetch-Site": "same-origin"}
    client.post(f"/feeds/{feed_id}/revoke", headers=other)  # not Lithuania's to revoke
    assert client.get(address[1]).status_code == 200
    client.post(f"/feeds/{feed_id}/revoke", headers=latvia)
    assert client.get(address[1]).status_code == 404
    assert client.get(address[1].replace(".ics", "x.ics")).status_code == 404


def test_a_bad_token_does_not_sign_in_and_a_revoked_session_falls_back_to_the_public(api):
    client, _ = api(DEFAULT_UNION)
    refused = client.post("/session", data={"token": "abc.def"}, headers=HTML)
    assert refused.status_code == 401 and "not known" in refused.text
    stale = client.get("/timeline", headers={**HTML, "Cookie": "entente_session=abc.def"})
    assert stale.status_code == 200 and "Sign in" in stale.text
    assert 'entente_session=""' in stale.headers.get("set-cookie", "")


def test_latvian_pages_say_so_and_write_dates_in_latvian(api):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/union?at=1935-06-01&lang=lv", headers=HTML)
    assert '<html lang="lv">' in page.text and "1935. gada 1. jūnijā" in page.text
    assert "entente_lang=lv" in page.headers["set-cookie"]
    chosen = client.get("/timeline", headers={**HTML, "Cookie": "entente_lang=lv"})
    assert "<h1>Hronika</h1>" in chosen.text
    browser = client.get("/timeline", headers={**HTML, "Accept-Language": "lv-LV,lv;q=0.9,en;q=0.5"})
    assert '<html lang="lv">' in browser.text


@pytest.mark.parametrize("lang", [lang for lang in i18n.languages() if lang != i18n.DEFAULT])
def test_every_message_of_the_interface_is_translated(lang):
    method_map = [("web/**.py", "python"), ("cli/**.py", "python"), ("web/templates/**.html", "jinja2")]
    used = {m[2] for m in extract_from_dir(str(WEB.parent), method_map=method_map, keywords={"_": None, "N_": None})}
    with (i18n.LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
    assert missing == [], f"no {lang} for: {missing}"


def test_dates_in_the_rules_text_are_written_as_words_and_ids_are_left_alone():
    text = "conference 1 (Tallinn, 1934-11-30/1934-12-02) follows conference-1939-09 of 1939-09?"
    assert dates_in(text) == ("conference 1 (Tallinn, 30 November – 2 December 1934) follows conference-1939-09 "
                              "of September 1939 (uncertain)")


def test_the_api_documentation_page_names_no_other_host(api):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/schema/swagger")
    assert page.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert re.findall(r"""(?:src|href)=["']?(https?:)""", page.text) == []
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_a_question_raised_from_the_delegations_page_is_listed_there_and_can_be_answered(api):
    client, issue = api(DEFAULT_UNION)
    lt = {**HTML, "Cookie": _session(client, issue, "LT"), "Sec-Fetch-Site": "same-origin"}
    raised = client.post("/delegation/question_raised", headers=lt, follow_redirects=False, data={
        "date": "1939-10-02", "title": "Soviet demands for bases", "subject": "foreign-policy",
        "instrument": "entente-1934", "classification": "instrument:entente-1934"})
    assert raised.status_code == 303, raised.text
    page = client.get("/delegation", headers=lt).text
    ours = page.split("Our questions")[1].split("Our positions")[0]
    assert "Soviet demands for bases" in ours
    question = re.search(r'<option value="(lt-soviet-demands-for-bases-[0-9a-f]{6})"', page)
    assert question is not None
    stated = client.post("/delegation/position_stated", headers=lt, follow_redirects=False, data={
        "date": "1939-10-03", "question": question[1], "stance": "oppose", "text": "No bases.",
        "classification": "instrument:entente-1934"})
    assert stated.status_code == 303, stated.text
    assert "No bases." in client.get("/timeline?kind=position_stated&party=LT", headers=lt).text


def test_a_day_that_is_not_a_day_is_said_so_and_the_last_day_shown(api):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/union?at=1939-13-01", headers=HTML)
    assert page.status_code == 200
    said = html.unescape(page.text)
    assert '"1939-13-01" is not a date this reads: no such day or month' in said
    assert "The record's last day is shown instead." in said and "On 1 July 1940" in said


def test_the_treaty_page_gives_each_reading_its_source_and_each_verdict_its_reading(api):
    client, issue = api(DEFAULT_UNION)
    lithuania = {**HTML, "Cookie": _session(client, issue, "LT")}
    page = html.unescape(client.get("/instruments/entente-1934?at=1940-07-01", headers=lithuania).text)
    both, only = page.index("<code>treaty-text-and-britannica</code>:"), page.index("<code>vilnius-only</code>:")
    assert both < page.index("Encyclopaedia Britannica") < only < page.index("Taurēns (1996)")
    assert "(Reading: <code>treaty-text-and-britannica</code>)" in page  # Klaipėda flagged under that reading only
    # The request is named by its title, not its id.
    met = re.search(r"status-met\">[^<]*</span> <span lang=\"en\">Lithuania asks for Latvia's and Estonia's support as "
                    r"its relations with Germany worsen over the Klaipėda region: [^<]*</span> <span class=\"gloss\">"
                    r"\(Reading: <code>([a-z, -]+)</code>\)", page)
    assert met is not None and met[1] == "vilnius-only"
    compliance = html.unescape(client.get("/compliance?instrument=entente-1934", headers=lithuania).text)
    assert "<code>calendar-year</code>: Twice in every calendar year" in compliance
    # A finding whose sentence names the request by its title is not headed by the title again.
    cells = [c for c in compliance.split("<td>") if "Lithuania asks for Latvia's and Estonia's support" in c]
    assert cells and all(c.count("Lithuania asks for Latvia's and Estonia's support") == 1 for c in cells)
    # The public is given the published reading, named, and nothing of the confidential one.
    public = html.unescape(client.get("/instruments/entente-1934?at=1940-07-01", headers=HTML).text)
    assert "<code>treaty-text-and-britannica</code>" in public and "vilnius-only" not in public
    assert client.get("/instruments/declaration-1934", headers=HTML).status_code == 404  # the public: no such page


def test_a_form_sent_twice_with_its_key_records_once_and_a_refusal_sits_beside_its_field(api):
    client, issue = api(DEFAULT_UNION)
    lv = {**HTML, "Cookie": _session(client, issue, "LV"), "Sec-Fetch-Site": "same-origin"}
    form = {"date": "1939-12-08", "question": "baltic-cooperation-1939", "stance": "abstain", "text": "Twice sent.",
            "classification": "public", "key": "the-same-key"}
    wide = client.post("/delegation/position_stated", headers=lv, data=form)  # wider than its question
    assert wide.status_code == 422
    assert 'id="position_stated-classification" name="classification" aria-describedby="position_stated-' \
           'classification-problem" aria-invalid="true" autofocus' in wide.text
    assert '<option value="abstain" selected>' in wide.text and '<option value="public" selected>' in wide.text
    form["classification"] = "instrument:entente-1934"
    first, second = (client.post("/delegation/position_stated", headers=lv, data=form, follow_redirects=False)
                     for _ in range(2))
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert client.get("/timeline?kind=position_stated&party=LV", headers=lv).text.count("Twice sent.") == 1
    form["key"] = "another-key"  # a new form: a new entry
    client.post("/delegation/position_stated", headers=lv, data=form)
    assert client.get("/timeline?kind=position_stated&party=LV", headers=lv).text.count("Twice sent.") == 2


def test_pages_are_compressed_cached_as_they_should_be_with_one_charset_a_description_and_an_icon(api):
    client, _ = api(DEFAULT_UNION)
    plain = client.get("/timeline", headers={**HTML, "Accept-Encoding": "identity"})
    packed = client.get("/timeline", headers={**HTML, "Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.text == plain.text
    assert int(packed.headers["content-length"]) * 3 < len(plain.content)  # 43 kB as about 9 kB
    # A browser that takes brotli (every current one) gets it, smaller still; the bytes read back the same page.
    squeezed = client.get("/timeline", headers={**HTML, "Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["content-encoding"] == "br" and squeezed.text == plain.text
    assert int(squeezed.headers["content-length"]) < int(packed.headers["content-length"])
    assert plain.headers["content-type"] == "text/html; charset=utf-8"
    assert plain.headers["cache-control"] == "private, no-cache"
    style = client.get("/static/site.css")
    assert style.headers["cache-control"] == "max-age=86400, public" and style.headers["etag"]
    assert re.search(r'<meta name="description" content="The record of Baltic Entente: [^"]+">', plain.text)
    assert '<meta property="og:title" content="Timeline · Baltic Entente">' in plain.text
    assert '<link rel="icon" href="/static/favicon.svg"' in plain.text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def _row_ids(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr id="([^"]+)"', body)


def test_a_list_pages_exports_hold_exactly_its_rows_for_its_viewer_and_filters(api):
    client, issue = api(DEFAULT_UNION)
    lithuania = {**HTML, "Cookie": _session(client, issue, "LT")}
    path = "/timeline?kind=instrument_signed"
    shown = _row_ids(client.get(path, headers=lithuania).text)
    assert "declaration-1934-signed" in shown  # a row only Lithuania's side may see
    exported = client.get(path + "&format=json", headers=lithuania).json()
    assert [r["id"] for r in exported["rows"]] == shown
    assert exported["viewer"] == "LT" and exported["query"] == {"kind": "instrument_signed"}
    table = client.get(path + "&format=csv", headers=lithuania)
    assert table.headers["content-type"] == "text/csv; charset=utf-8"
    assert [r["id"] for r in csv.DictReader(io.StringIO(table.text))] == shown
    calendar = client.get(path + "&format=ics", headers=lithuania).text
    assert calendar.count("BEGIN:VEVENT") == len(shown)
    public = client.get(path + "&format=json", headers=HTML).json()
    assert "declaration-1934-signed" not in [r["id"] for r in public["rows"]] and public["viewer"] == "public"

    breaches = client.get("/compliance?verdict=breach&format=json", headers=HTML).json()["rows"]
    assert breaches and {f["status"] for f in breaches} == {"breach"}
    assert 'href="/compliance?verdict=breach&amp;format=csv"' in client.get("/compliance?verdict=breach",
                                                                           headers=HTML).text
    due = client.get("/due?at=1938-07-01&format=json", headers=HTML).json()
    assert due["query"] == {"at": "1938-07-01"} and isinstance(due["rows"], list)


def test_every_export_carries_the_version_of_the_record_it_was_made_from(api):
    client, issue = api(DEFAULT_UNION)
    lithuania = {**HTML, "Cookie": _session(client, issue, "LT")}
    # The version is the viewer's signed checkpoint, as the ledger gives it: the same size and root.
    signed = client.get("/api/checkpoint", headers=issue("LT")).json()
    version = f"{signed['log']} {signed['size']} {signed['root']}"
    exported = client.get("/timeline?format=json", headers=lithuania).json()
    assert {k: exported["record_version"][k] for k in ("log", "size", "root")} == {
        k: signed[k] for k in ("log", "size", "root")}
    assert exported["record_version"]["note"].startswith(signed["log"])
    assert exported["rows"] and {r["record_version"] for r in exported["rows"]} == {version}
    rows = list(csv.DictReader(io.StringIO(client.get("/timeline?format=csv", headers=lithuania).text)))
    assert rows and {r["record_version"] for r in rows} == {version}
    calendar = client.get("/timeline?format=ics", headers=lithuania).text.replace("\r\n ", "")
    assert f"X-ENTENTE-RECORD-VERSION:{version}" in calendar
    # The public's export is of the public's log: another version, never the party's.
    public = client.get("/timeline?format=json", headers=HTML).json()["record_version"]
    assert public["viewer"] == "public" and public["size"] < signed["size"]


def test_pages_take_days_as_people_write_them_and_the_record_as_it_stood_at_a_record_time(api):
    client, issue = api(DEFAULT_UNION)
    june = client.get("/union?at=June 1938", headers=HTML).text
    assert "On 30 June 1938" in html.unescape(june)
    latvian = client.get("/union?at=1938. gada jūnijs", headers=HTML).text
    assert "On 30 June 1938" in html.unescape(latvian)
    lt = {**HTML, "Cookie": _session(client, issue, "LT"), "Sec-Fetch-Site": "same-origin"}
    known = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    client.post("/delegation/question_raised", headers=lt, data={
        "date": "1939-10-02", "title": "Known later", "subject": "foreign-policy", "classification": "public"})
    assert "Known later" in client.get("/timeline?party=LT", headers=lt).text
    assert "Known later" not in client.get(f"/timeline?party=LT&known_at={known}", headers=lt).text


@pytest.mark.parametrize(("written", "recorded"), [("8 December 1939", "1939-12-08"),
                                                   ("1939. gada decembrī", "1939-12"),
                                                   ("first half of 1939", "1939-40")])
def test_a_forms_date_is_taken_as_people_write_it_in_english_or_latvian(api, written, recorded):
    client, issue = api(DEFAULT_UNION)
    lv = {**HTML, "Cookie": _session(client, issue, "LV"), "Sec-Fetch-Site": "same-origin"}
    assert "1939. gada 8. decembrī" in client.get("/delegation?lang=lv", headers=lv).text  # the hint, in Latvian
    done = client.post("/delegation/question_raised", headers=lv, follow_redirects=False, data={
        "date": written, "title": "Dated as written", "subject": "foreign-policy", "classification": "public"})
    assert done.status_code == 303, done.text
    entry = done.headers["location"].split("recorded=")[1]
    assert client.get(f"/api/events/{entry}", headers=issue("LV")).json()["date"] == recorded



def test_the_secretariat_records_a_conference_with_its_participants_and_an_act_and_any_entry(api):
    client, issue = api(DEFAULT_UNION)
    office = {**HTML, "Cookie": _session(client, issue, "secretariat"), "Sec-Fetch-Site": "same-origin"}
    assert client.get("/delegation", headers=office, follow_redirects=False).headers["location"] == "/secretariat"
    assert client.get("/secretariat", headers=HTML).status_code == 404  # the public: no such page
    form = {"date": "1940-02-30", "number": "12", "instrument": "entente-1934", "host": "LT", "place": "Kaunas",
            "participants": ["EE", "LT"], "role-EE": "observer", "role-LT": "host", "role-LV": "member",
            "classification": "instrument:entente-1934", "key": "conference-12"}
    refused = client.post("/secretariat/conference_held", headers=office, data=form)
    assert refused.status_code == 422
    kept = html.unescape(refused.text)
    assert 'name="participants" value="EE" checked' in kept and 'name="participants" value="LV">' in kept
    assert '<option value="observer" selected>' in kept and 'value="1940-02-30"' in kept
    assert 'id="conference_held-date" name="date" type="text" value="1940-02-30" aria-describedby="' \
           'conference_held-date-problem' in kept
    form["date"] = "1940. gada 15. martā"
    done = client.post("/secretariat/conference_held", headers=office, data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    entry = client.get(f"/api/events/{done.headers['location'].split('recorded=')[1]}", headers=issue("secretariat"))
    got = entry.json()
    assert (got["date"], got["number"], got["host"], got["place"], got["instrument"]) == \
        ("1940-03-15", 12, "LT", {"en": "Kaunas"}, "entente-1934")
    assert [(x["party"], x["role"]) for x in got["participants"]] == [("EE", "observer"), ("LT", "host")]
    assert got["classification"] == {"instrument": "entente-1934"}

    act = client.post("/secretariat/instrument_act", headers=office, follow_redirects=False, data={
        "kind": "instrument_terminated", "date": "1940-06-29", "instrument": "union-1934", "party": "LV",
        "classification": "public"})
    assert act.status_code == 303, re.findall(r"<li><code>.*?</li>", act.text)
    written = client.post("/secretariat/entry", headers=office, data={
        "kind": "decision_taken", "entry": "date: 1940-03-15\ntitle: {en: Ministers to meet weekly}\n"
                                           "instrument: entente-1934\n", "preview": "1"})
    assert written.status_code == 200 and "What will be recorded" in written.text
    assert "Ministers to meet weekly" in written.text and "decision_taken" in written.text
    bad = client.post("/secretariat/entry", headers=office, data={"kind": "decision_taken", "entry": "date: [1"})
    assert bad.status_code == 422 and 'id="entry-entry-problem"' in bad.text


def test_the_secretariat_records_a_participant_in_the_role_its_union_declares(api):
    client, issue = api(Path(__file__).parent / "unions" / "arctic_council")
    office = {**HTML, "Cookie": _session(client, issue, "secretariat"), "Sec-Fetch-Site": "same-origin"}
    assert '<option value="permanent_participant">Permanent Participant</option>' in \
        client.get("/secretariat", headers=office).text
    done = client.post("/secretariat/conference_held", headers=office, follow_redirects=False, data={
        "date": "2019-11-20", "instrument": "ottawa-1996", "host": "FI", "place": "Ruka",
        "participants": ["FI", "ICC"], "role-FI": "host", "role-ICC": "permanent_participant",
        "classification": "public", "key": "sao-2019"})
    assert done.status_code == 303, done.text
    got = client.get(f"/api/events/{done.headers['location'].split('recorded=')[1]}", headers=issue("secretariat"))
    assert [(x["party"], x["role"]) for x in got.json()["participants"]] == [
        ("FI", "host"), ("ICC", "permanent_participant")]


@pytest.mark.parametrize(("line", "lv", "en"), [
    ("entente-1934 status", "entente-1934: statuss", "entente-1934: status"),
    ("standing members", "savienība: dalībnieces", "the union: members"),
    ("standing signatories_not_bound", "savienība: parakstītājas, kurām tas nav saistošs",
     "the union: signatories not bound"),
    ("conferences_held", "notikušās konferences", "conferences held"),
])
def test_a_what_if_state_line_is_named_in_the_pages_language(line, lv, en):
    assert [environment(lang).filters["state_line"](line) for lang in ("lv", "en")] == [lv, en]
