"""The first page's story and the pages of single entries, instruments and findings, over HTTP: each checked
against what the API answers the same viewer, for the Baltic Entente and for unions described by files alone."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from entente.vocabulary.definition import DEFAULT_UNION, load_union
from entente.web.words import dates_in

HTML = {"Accept": "text/html"}
UNIONS = Path(__file__).parent / "unions"



def _unversioned(rows: list[dict]) -> list[dict]:
    """An API read's rows as a page's JSON gives them: the page names the record's version once, in its citation,
    where the API names it in each row."""
    return [{k: v for k, v in row.items() if k != "record_version"} for row in rows]

def _section(page: str, heading_id: str) -> str:
    """The text of one section of a page, from its heading to the next section."""
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("folder", [DEFAULT_UNION, UNIONS / "little_entente", UNIONS / "consortium"],
                         ids=lambda f: f.name)
def test_the_first_page_tells_each_unions_story_from_its_own_record(api, folder):
    client, _ = api(folder)
    page = html.unescape(client.get("/", headers=HTML).text)
    union = client.get("/").json()
    state = client.get("/api/state").json()
    members = _section(page, "story-members")
    for party in state["standing"]["members"] + state["standing"]["signatories_not_bound"]:
        assert f'href="/parties/{party}"' in members
    line = _section(page, "story-instruments")
    assert [f"/instruments/{i['id']}" for i in sorted(state["instruments"], key=lambda i: i["signed"])] == \
        re.findall(r'href="(/instruments/[^"?]+)"', line)
    conferences = client.get("/api/conferences").json()
    told = _section(page, "story-conferences")
    assert re.findall(r'href="/entries/([^"]+)"', told) == [c["id"] for c in conferences]
    demands = _section(page, "story-demands")
    at = re.search(r'<time datetime="([^"]+)">', demands)[1]  # the day the page judges on: the record's last
    breaches = [f for f in client.get("/api/compliance", params={"at": at}).json() if f["status"] == "breach"]
    for finding in breaches:
        assert dates_in(finding["detail"]) in demands, finding  # its days written as words, as on every page
        assert f'href="/findings/{finding["instrument"]}/{finding["rule_id"]}"' in demands
    assert demands.count("Not met") == len(breaches)
    works = _section(page, "story-sources")
    assert re.findall(r'href="/bibliography#([^"]+)"', works) == list(load_union(folder).documents)
    assert union["union"] == load_union(folder).id


def test_the_first_page_speaks_the_pages_language_and_names_no_restricted_instrument_to_the_public(api):
    client, issue = api(DEFAULT_UNION)
    latvian = html.unescape(client.get("/?lang=lv", headers=HTML).text)
    assert '<html lang="lv">' in latvian and "Tās dalībvalstis" in latvian and "Its members" not in latvian
    assert "aptver laiku no 1919. gada līdz 1940. gada 1. jūlijam:" in latvian  # "no" the genitive, "līdz" the dative
    english = html.unescape(client.get("/?lang=en", headers=HTML).text)
    assert "/instruments/declaration-1934" not in english
    # The record begins with an entry dated only by its years (1919-1920): the page says so, not 1 January 1919.
    assert "Its record covers 1919 – 1 July 1940:" in english
    token = issue("LV")["Authorization"].removeprefix("Bearer ")
    client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    assert "/instruments/declaration-1934" in client.get("/", headers=HTML).text  # a party to it is told of it


def test_the_first_page_and_the_findings_after_writes_are_what_a_server_started_on_the_same_store_shows(api, db_url):
    db = db_url("story-after-writes")
    client, issue = api(DEFAULT_UNION, db)
    latvia, secretariat = issue("LV"), issue("secretariat")
    token = latvia["Authorization"].removeprefix("Bearer ")
    session = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False).cookies
    signed_in = {**HTML, "Cookie": f"entente_session={session['entente_session']}"}
    client.cookies.clear()
    # The findings pages give each rule's verdicts version by version: a write's own moment is a version of them.
    pages = ["/", "/compliance", "/instruments/entente-1934", "/findings/entente-1934/periodic-conferences",
             "/findings/entente-1934/consultation"]
    # Asked before the writes only: what it shows is carried on over all three at once.
    later = ["/findings/entente-1934/rotation", "/findings/entente-1934/consultation?at=1939-12-31"]
    for address in pages + later:  # each told once before the writes, so after them what it shows is carried on
        client.get(address, headers=signed_in)
    writes = [  # an entry resting on a document, a conference, a position: each changes a count the story gives
        ("outside_event", secretariat, {"id": "press-1939", "date": "1939-12-01", "category": "press",
                                         "title": {"en": "A press report"},
                                         "source": {"document": "seed", "quote": ""}}),
        ("conference_held", secretariat, {"date": "1939-12-07", "host": "LV", "instrument": "entente-1934",
                                          "place": {"en": "Riga"}}),
        ("position_stated", latvia, {"date": "1939-12-08", "question": "baltic-cooperation-1939", "party": "LV",
                                     "stance": "support", "text": {"en": "Position"},
                                     "classification": {"instrument": "entente-1934"}}),
    ]
    for kind, who, entry in writes:
        done = client.post(f"/api/events/{kind}", headers=who, json=entry)
        assert done.status_code == 201, done.text
        carried = [client.get(address, headers=signed_in).text for address in pages]
        fresh_client, _ = api(DEFAULT_UNION, db)
        assert carried == [fresh_client.get(address, headers=signed_in).text for address in pages], kind
    carried = [client.get(address, headers=signed_in).text for address in later]
    assert carried == [fresh_client.get(address, headers=signed_in).text for address in later]


def _citation(page: str, name: str) -> str:
    return html.unescape(re.search(rf'<textarea id="cite-{name}"[^>]*>(.*?)</textarea>', page, re.S)[1])


def test_an_entry_has_its_own_page_with_its_history_sources_json_and_a_citation_of_the_records_version(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("entry-pages"))
    secretariat = issue("secretariat")
    correction = {"id": "tartu-corrected", "date": "1919-09-29/1919-10-01", "target": "conference-1919-09-tartu",
                  "reason": "The seed names Latvia among those present.",
                  "source": {"document": "seed", "quote": "Nākamajā konferencē", "gloss": "At the next conference"},
                  "entry": {"kind": "conference_held", "id": "conference-1919-09-tartu",
                            "date": "1919-09-29/1919-10-01", "host": "EE", "place": {"en": "Tartu"},
                            "title": {"en": "Conference at Tartu"},
                            "participants": [{"party": "EE", "role": "host"}, {"party": "LV"}]}}
    assert client.post("/api/events/entry_corrected", json=correction, headers=secretariat).status_code == 201
    answer = client.get("/entries/conference-1919-09-tartu", headers=HTML)
    assert answer.status_code == 200
    page = html.unescape(answer.text)
    assert '<a href="/entries/conference-1919-09-tartu" rel="bookmark">Link to this</a>' in page
    assert "http://testserver.local/entries/conference-1919-09-tartu" in page
    history = _section(page, "main").split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert history.count("<tr>") == 2 and "as first recorded" in history and "corrected" in history
    assert correction["reason"] in history and "Nākamajā konferencē" in history
    assert "Estonia</a> (host)" in page and "Latvia</a> (member)" in page  # the participants with their roles
    data = client.get("/entries/conference-1919-09-tartu?format=json", headers=HTML).json()
    assert data["history"] == _unversioned(client.get("/api/events/conference-1919-09-tartu/history").json())
    assert data["entry"] == client.get("/api/events/conference-1919-09-tartu").json()
    checkpoint = client.get("/api/checkpoint").json()
    assert data["version"] == {"size": checkpoint["size"], "root": checkpoint["root"]}
    plain, bibtex, csl = (_citation(page, n) for n in ("plain", "bibtex", "csl"))
    for text in (plain, bibtex):
        assert f"record version {checkpoint['size']} (root hash {checkpoint['root']})" in text
        assert "http://testserver.local/entries/conference-1919-09-tartu" in text
    assert bibtex.startswith("@misc{conference-1919-09-tartu,") and "year = {1919}" in bibtex
    item = json.loads(csl)[0]
    assert item["URL"] == "http://testserver.local/entries/conference-1919-09-tartu"
    assert item["version"] == str(checkpoint["size"]) and item["issued"] == {"date-parts": [[1919, 9, 29]]}


def test_a_withdrawn_entry_keeps_its_address_and_history_and_a_hidden_one_reads_as_none(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("entry-withdrawn"))
    retraction = {"id": "bureau-withdrawn", "date": "1920-36", "target": "baltic-bureau-established",
                  "reason": "withdrawn for the test", "source": {"document": "seed", "quote": "Baltijas biroju"}}
    assert client.post("/api/events/entry_retracted", json=retraction, headers=issue("secretariat")).status_code == 201
    page = html.unescape(client.get("/entries/baltic-bureau-established", headers=HTML).text)
    assert "This entry was withdrawn" in page and "withdrawn for the test" in page
    assert "/entries/baltic-bureau-established" in page
    hidden = client.get("/entries/declaration-1934-signed", headers=HTML)
    nothing = client.get("/entries/no-such-entry", headers=HTML)
    assert hidden.status_code == nothing.status_code == 404  # the same page, but for its own address
    assert hidden.text.replace("declaration-1934-signed", "X") == nothing.text.replace("no-such-entry", "X")
    secret, unknown = (client.get(f"/instruments/{i}", headers=HTML) for i in ("declaration-1934", "no-such"))
    assert secret.status_code == unknown.status_code == 404
    assert secret.text.replace("declaration-1934", "X") == unknown.text.replace("no-such", "X")


def test_an_instrument_and_a_rules_findings_have_pages_of_their_own(api):
    client, _ = api(DEFAULT_UNION)
    acts = [r for r in client.get("/api/timeline").json() if r["kind"].startswith("instrument_")
            and "bulduri-1920" in json.dumps(client.get(f"/api/events/{r['id']}").json())]
    page = client.get("/instruments/bulduri-1920", headers=HTML)  # an instrument with no rules still has a page
    assert page.status_code == 200 and acts
    assert re.findall(r'href="/entries/([^"]+)"', page.text) == [r["id"] for r in acts]
    assert '<a href="/instruments/bulduri-1920" rel="bookmark">' in page.text
    at = "1940-07-01"
    breach = next(f for f in _unversioned(client.get("/api/compliance", params={"at": at}).json())
                  if f["status"] == "breach" and f["evidence"])
    path = f"/findings/{breach['instrument']}/{breach['rule_id']}"
    found = html.unescape(client.get(path, params={"at": at}, headers=HTML).text)
    assert dates_in(breach["detail"]) in found
    for entry in breach["evidence"]:
        assert f'href="/entries/{entry}"' in found
    data = client.get(path, params={"at": at, "format": "json"}, headers=HTML).json()
    assert breach in [{k: v for k, v in f.items()} for f in data["findings"]]
    assert f"{path}?at={at}" in _citation(found, "plain")


def _signed_in(client, issue, viewer: str) -> dict[str, str]:
    token = issue(viewer)["Authorization"].removeprefix("Bearer ")
    signed = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    cookie = f"entente_session={signed.cookies['entente_session']}"
    client.cookies.clear()
    return {**HTML, "Cookie": cookie}


def test_a_delegation_corrects_and_withdraws_its_own_entries_from_its_page_and_no_one_elses(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("delegation-revisions"))
    latvia, estonia = _signed_in(client, issue, "LV"), _signed_in(client, issue, "EE")
    position = {"date": "1939-12-08", "question": "baltic-cooperation-1939", "stance": "support",
                "text": "Latvia supports it.", "classification": "own", "key": "k1"}
    done = client.post("/delegation/position_stated", data=position, headers=latvia, follow_redirects=False)
    entry = re.search(r"recorded=([^&]+)", done.headers["location"])[1]
    # The entry's page offers its writer, and no one else, to correct or withdraw it; the form holds it as it reads.
    assert f"/delegation?correct={entry}" in client.get(f"/entries/{entry}", headers=latvia).text
    form = html.unescape(client.get(f"/delegation?correct={entry}", headers=latvia).text)
    written = re.search(r'<textarea id="entry_corrected-entry"[^>]*>(.*?)</textarea>', form, re.S)[1]
    assert "stance: support" in written and "Latvia supports it." in written
    corrected = written.replace("stance: support", "stance: oppose")
    fix = {"target": entry, "entry": corrected, "reason": "The minutes record opposition.", "document": "seed",
           "quote": "", "key": "k2"}
    refused = client.post("/delegation/entry_corrected", data={**fix, "entry": corrected.replace(
        "1939-12-08", "1939-12-32")}, headers=latvia)
    assert refused.status_code == 422 and 'id="entry_corrected-entry-problem"' in refused.text
    assert "The minutes record opposition." in refused.text  # the reason as typed, kept
    recorded = client.post("/delegation/entry_corrected", data=fix, headers=latvia, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    auth = issue("LV")
    now = client.get(f"/api/events/{entry}", headers=auth).json()
    assert now["stance"] == "oppose" and now["classification"] == {"parties": ["LV"]}
    history = client.get(f"/api/events/{entry}/history", headers=auth).json()
    assert [h["change"] for h in history] == ["original", "corrected"]
    assert history[1]["act"]["reason"] == "The minutes record opposition."
    # Another delegation may neither see nor revise it; nor may Latvia revise an entry it did not record.
    assert client.get(f"/entries/{entry}", headers=estonia).status_code == 404
    tried = client.post("/delegation/entry_retracted", data={"target": entry, "reason": "no", "document": "seed",
                                                             "key": "k3"}, headers=estonia)
    nowhere = client.post("/delegation/entry_retracted", data={"target": "lv.no-such-entry", "reason": "no",
                                                               "document": "seed", "key": "k3"}, headers=estonia)
    assert tried.status_code == nowhere.status_code == 422  # as for an entry that does not exist
    problems = (re.search(r'<div class="errors".*?</div>', a.text, re.S)[0] for a in (tried, nowhere))
    assert next(problems) == next(problems)
    theirs = client.post("/delegation/entry_retracted", data={
        "target": "conference-1939-12-tallinn", "reason": "no", "document": "seed", "key": "k4"}, headers=latvia)
    assert theirs.status_code == 403 and "only the entries it recorded itself" in theirs.text
    withdrawn = client.post("/delegation/entry_retracted", data={
        "target": entry, "reason": "Recorded in error.", "document": "seed", "key": "k5"}, headers=latvia,
        follow_redirects=False)
    assert withdrawn.status_code == 303, withdrawn.text
    assert client.get(f"/api/events/{entry}", headers=auth).status_code == 404
    assert [h["change"] for h in client.get(f"/api/events/{entry}/history", headers=auth).json()] == [
        "original", "corrected", "retracted"]


def test_a_delegations_correction_through_the_api_is_never_narrower_than_what_it_corrects(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("delegation-narrower"))
    latvia = issue("LV")
    position = {"date": "1939-12-08", "question": "baltic-cooperation-1939", "party": "LV", "stance": "support",
                "text": {"en": "Latvia supports it."}, "classification": {"instrument": "entente-1934"}}
    entry = client.post("/api/events/position_stated", json=position, headers=latvia).json()["event"]["id"]
    correction = {"date": "1939-12-08", "target": entry, "reason": "a narrower audience",
                  "source": {"document": "seed", "quote": ""},
                  "entry": {**position, "kind": "position_stated", "id": entry, "stance": "oppose"}}
    narrower = client.post("/api/events/entry_corrected", headers=latvia,
                           json={**correction, "classification": {"parties": ["LV"]}})
    assert narrower.status_code == 422 and narrower.json()["problems"][0]["field"] == "classification"
    done = client.post("/api/events/entry_corrected", headers=latvia,
                       json={**correction, "classification": {"instrument": "entente-1934"}})
    assert done.status_code == 201, done.text
    assert client.get(f"/api/events/{entry}", headers=latvia).json()["stance"] == "oppose"
    assert client.get(f"/api/events/{entry}", headers=issue("EE")).json()["stance"] == "oppose"


def test_a_rules_findings_page_gives_each_version_of_its_verdicts_with_the_entry_that_changed_it(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("finding-history"))
    secretariat = issue("secretariat")
    at, path = "1940-07-01", "/findings/entente-1934/periodic-conferences"
    before = client.get(path, params={"at": at, "format": "json"}, headers=HTML).json()
    held = next(c for c in client.get("/api/conferences").json() if c["date"].startswith("1938"))
    gone = client.post("/api/events/entry_retracted", headers=secretariat, json={
        "id": "withdrawn-1938", "date": held["date"], "target": held["id"], "reason": "Held as a meeting of envoys.",
        "source": {"document": "seed", "quote": ""}})
    assert gone.status_code == 201, gone.text
    recorded = gone.json()["event"]["recorded"]
    data = client.get(path, params={"at": at, "format": "json"}, headers=HTML).json()
    history = data["history"]
    assert history[:-1] == before["history"] and len(history) >= 2
    last = history[-1]
    assert last["recorded"] == recorded
    assert [(e["id"], e["change"], e["act"]["reason"]) for e in last["entries"]] == [
        (held["id"], "retracted", "Held as a meeting of envoys.")]
    # Each version is the rule's findings as the API gives them for the record as it stood from that moment.
    for version in history:
        then = client.get("/api/compliance", params={"at": at, "known_at": version["recorded"]}).json()
        assert version["findings"] == [{k: v for k, v in f.items() if k not in ("judged_on", "record_version")}
                                       for f in then
                                       if (f["instrument"], f["rule_id"]) == ("entente-1934", "periodic-conferences")]
    assert last["findings"] != history[-2]["findings"]
    # As the record stood before the withdrawal (``known_at``), the page gives the versions up to then.
    then = client.get(path, params={"at": at, "known_at": history[-2]["recorded"], "format": "json"},
                      headers=HTML).json()
    assert then["history"] == history[:-1]
    assert [{k: v for k, v in f.items() if k != "judged_on"} for f in then["findings"]] == history[-2]["findings"]
    # The page shows the same, and one finding's own page by its identifier gives that finding's versions only.
    page = html.unescape(client.get(path, params={"at": at}, headers=HTML).text)
    table = re.search(r'<table class="verdict-history">.*?</table>', page, re.S)[0]
    assert table.count("<tr>") == len(history) + 1 and "Held as a meeting of envoys." in table
    # Its row of each version names the verdicts that version changed: the withdrawal's, those it judged anew.
    changes = [f for f in last["findings"] if f not in history[-2]["findings"]]
    verdicts = re.findall(r"<td>(.*?)</td>", re.findall(r"<tr>.*?</tr>", table, re.S)[-1], re.S)[2]
    assert verdicts.count('class="status ') == min(len(changes), 12) > 0
    assert (f"and {len(changes) - 12} more" in verdicts) == (len(changes) > 12)
    changed = changes[0]
    own = client.get(f"/findings/{changed['id']}", params={"at": at, "format": "json"}, headers=HTML).json()
    assert own["findings"] == [{**changed, "judged_on": own["findings"][0]["judged_on"]}]
    assert own["history"][-1]["findings"] == [changed] and own["history"][-1]["recorded"] == recorded
    assert client.get("/findings/entente-1934.no-such-rule.0123456789", headers=HTML).status_code == 404
    why = client.get(f"/findings/{changed['id']}/why", params={"at": at}, headers=HTML).text
    assert f'href="/findings/{changed["id"]}?at={at}#history"' in why


def test_a_write_the_public_may_not_see_changes_nothing_in_its_history_of_a_verdict(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("finding-history-hidden"))
    at, path = "1940-07-01", "/findings/entente-1934/periodic-conferences"
    secretariat = issue("secretariat")
    before = client.get(path, params={"at": at, "format": "json"}, headers=HTML).json()["history"]
    held = next(c for c in client.get("/api/conferences").json() if c["date"].startswith("1938"))
    first = client.get(f"/api/events/{held['id']}").json()
    hidden = {k: v for k, v in first.items() if k not in ("recorded", "number", "date_lv", "source", "cites")}
    done = client.post("/api/events/conference_held", headers=secretariat, json={
        **hidden, "id": "hidden-meeting-1938", "date": "1938-06-01", "source": {"document": "seed", "quote": ""},
        "classification": {"parties": ["LV"]}})
    assert done.status_code == 201, done.text
    assert client.get(path, params={"at": at, "format": "json"}, headers=HTML).json()["history"] == before
    office = _signed_in(client, issue, "secretariat")
    seen = client.get(path, params={"at": at, "format": "json"}, headers=office).json()["history"]
    assert [e["id"] for e in seen[-1]["entries"]] == ["hidden-meeting-1938"]  # the secretariat's history moved


def test_a_findings_page_read_as_the_record_stood_gives_the_versions_another_server_recorded(api, db_url):
    """A page read as the record stood at a record time (``known_at``) judges the versions from the record as
    stored, however recently another server recorded to it."""
    db = db_url("finding-history-elsewhere")
    client, _ = api(DEFAULT_UNION, db)
    other, issue = api(DEFAULT_UNION, db)
    at, path = "1940-07-01", "/findings/entente-1934/periodic-conferences"
    before = client.get(path, params={"at": at, "known_at": "2100-01-01", "format": "json"}, headers=HTML).json()
    held = next(c for c in other.get("/api/conferences").json() if c["date"].startswith("1938"))
    gone = other.post("/api/events/entry_retracted", headers=issue("secretariat"), json={
        "id": "withdrawn-1938", "date": held["date"], "target": held["id"], "reason": "Held as a meeting of envoys.",
        "source": {"document": "seed", "quote": ""}})
    assert gone.status_code == 201, gone.text
    here = client.get(path, params={"at": at, "known_at": "2100-01-01", "format": "json"}, headers=HTML).json()
    there = other.get(path, params={"at": at, "known_at": "2100-01-01", "format": "json"}, headers=HTML).json()
    assert here["history"] == there["history"] != before["history"]
    assert here["history"][-1]["recorded"] == gone.json()["event"]["recorded"]
