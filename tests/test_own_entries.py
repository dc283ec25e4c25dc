"""Which entries a delegation may correct or withdraw: those the record says it wrote, not those whose id
happens to carry its prefix; on both back ends, through the API's write path and the web forms."""

from __future__ import annotations

import re

from entente.record import open_store
from entente.record.migrations import WRITERS_SINCE
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import OutsideEvent, Source
from tests import tampering

HTML = {"Accept": "text/html"}
SOURCE = {"document": "seed", "quote": ""}
POSITION = {"date": "1939-12-08", "question": "baltic-cooperation-1939", "party": "LV", "stance": "support",
            "text": {"en": "Latvia supports it."}, "source": SOURCE, "classification": {"instrument": "entente-1934"}}


def _withdraw(client, auth, target: str, key: str, classification: object = "public"):
    return client.post("/api/events/entry_retracted", headers=auth, json={
        "id": f"withdrawn-{key}", "date": "1939-12-08", "target": target, "reason": "recorded in error",
        "source": SOURCE, "classification": classification})


def test_the_record_names_each_entrys_writer_and_no_writer_can_name_another(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("writers"))
    latvia, office = issue("LV"), issue("secretariat")
    theirs = client.post("/api/events/position_stated", headers=latvia, json={**POSITION, "writer": "EE"})
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["event"]["writer"] == "LV"  # what it sent is not what the record keeps
    entry = theirs.json()["event"]["id"]
    assert client.get(f"/api/events/{entry}", headers=latvia).json()["writer"] == "LV"
    made = client.post("/api/events/outside_event", headers=office, json={
        "id": "press-1939", "date": "1939-12-09", "category": "press", "title": {"en": "A report"},
        "source": SOURCE, "writer": "LV"})
    assert made.status_code == 201 and "writer" not in made.json()["event"]
    # Latvia may not withdraw what the secretariat wrote, though it told the record Latvia did.
    refused = _withdraw(client, latvia, "press-1939", "1")
    assert refused.status_code == 403 and "only the entries it recorded itself" in refused.text
    assert client.get("/api/events/press-1939").status_code == 200


def test_the_secretariat_may_not_give_an_id_under_a_delegations_prefix(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("prefixes"))
    office = issue("secretariat")
    refused = client.post("/api/events/outside_event", headers=office, json={
        "id": "lv.press-1939", "date": "1939-12-09", "category": "press", "title": {"en": "A report"},
        "source": SOURCE})
    assert refused.status_code == 422, refused.text
    problem = refused.json()["problems"][0]
    assert problem["field"] == "id" and "lv." in problem["message"]
    assert client.get("/api/events/lv.press-1939", headers=office).status_code == 404
    # An id that only looks like one (no party's code before the dot) is the secretariat's to give.
    done = client.post("/api/events/outside_event", headers=office, json={
        "id": "xx.press-1939", "date": "1939-12-09", "category": "press", "title": {"en": "A report"},
        "source": SOURCE})
    assert done.status_code == 201, done.text


def test_an_entry_with_a_delegations_prefix_it_did_not_write_is_not_its_own(api, db_url):
    """A record file's entry named ``lv.…`` (recorded as the union's, not Latvia's): Latvia may not withdraw it,
    the secretariat may; Latvia's own entries it may, from the API and from its page."""
    url = db_url("not-by-prefix")
    client, issue = api(DEFAULT_UNION, url)
    store = open_store(url)
    try:
        store.append([OutsideEvent(id="lv.from-file", date="1939-12-09", category="press", title={"en": "A report"},
                                   source=Source(document="seed", quote=""))])
    finally:
        store.close()
    latvia, estonia = issue("LV"), issue("EE")
    refused = _withdraw(client, latvia, "lv.from-file", "1")
    assert refused.status_code == 403 and "only the entries it recorded itself" in refused.text
    signed = _signed_in(client, issue, "LV")
    page = client.get("/delegation", headers=signed).text
    assert "correct=lv.from-file" not in page and "withdraw=lv.from-file" not in page
    assert "Withdraw this entry" not in client.get("/entries/lv.from-file", headers=signed).text
    web = client.post("/delegation/entry_retracted", headers=signed, data={
        "target": "lv.from-file", "reason": "no", "document": "seed", "key": "k1"})
    assert web.status_code == 403 and "only the entries it recorded itself" in web.text
    own = client.post("/api/events/position_stated", headers=latvia, json=POSITION).json()["event"]["id"]
    assert f"withdraw={own}" in client.get("/delegation", headers=signed).text
    assert _withdraw(client, estonia, own, "2", POSITION["classification"]).status_code == 403
    assert _withdraw(client, latvia, own, "3", POSITION["classification"]).status_code == 201
    assert _withdraw(client, issue("secretariat"), "lv.from-file", "4").status_code == 201


def test_a_store_from_before_writers_were_named_keeps_its_delegations_entries_theirs(api, db_url):
    """Before the record named writers, the prefix did: an ``lv.…`` entry of then stays Latvia's after the
    migration, and one recorded after it with no writer is not."""
    url = db_url("old-writers")
    store = open_store(url)
    store.append([OutsideEvent(id="lv.old-entry", date="1939-12-09", category="press", title={"en": "Old"},
                               source=Source(document="seed", quote=""))])
    tampering._unguarded(store, lambda cur, s, rows: (
        tampering._run(cur, s, "DELETE FROM schema_migrations WHERE version >= 5"),
        tampering._run(cur, s, "DELETE FROM meta WHERE key = ?", WRITERS_SINCE)))
    store.close()
    client, issue = api(DEFAULT_UNION, url)  # opening it applies the migration, which notes when
    store = open_store(url)
    try:
        assert store.meta(WRITERS_SINCE) > store.events()[0].recorded
        store.append([OutsideEvent(id="lv.new-entry", date="1939-12-09", category="press", title={"en": "New"},
                                   source=Source(document="seed", quote=""))])
    finally:
        store.close()
    latvia = issue("LV")
    assert _withdraw(client, latvia, "lv.new-entry", "1").status_code == 403
    assert _withdraw(client, latvia, "lv.old-entry", "2").status_code == 201
    assert client.get("/api/events/lv.old-entry", headers=latvia).status_code == 404


def _signed_in(client, issue, viewer: str) -> dict[str, str]:
    token = issue(viewer)["Authorization"].removeprefix("Bearer ")
    signed = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    cookie = f"entente_session={signed.cookies['entente_session']}"
    client.cookies.clear()
    return {**HTML, "Cookie": cookie}


def test_the_secretariats_form_refuses_an_id_under_a_delegations_prefix_and_records_nothing(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("prefix-form"))
    office = _signed_in(client, issue, "secretariat")
    written = ("id: lt.press-1939\ndate: '1939-12-09'\ncategory: press\ntitle: {en: A report}\n"
               "source: {document: seed}\n")
    refused = client.post("/secretariat/entry", headers=office, data={"kind": "outside_event", "entry": written,
                                                                      "key": "k1"})
    assert refused.status_code == 422 and "lt.press-1939 is under the prefix lt." in refused.text
    assert re.search(r'<textarea[^>]*name="entry"[^>]*>\s*id: lt\.press-1939', refused.text)  # kept as typed
    assert client.get("/api/events/lt.press-1939", headers=issue("secretariat")).status_code == 404
