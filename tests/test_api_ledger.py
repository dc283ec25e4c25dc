"""The log over HTTP: checkpoints and proofs a party checks on its own, and a broken record that takes no writes."""

from __future__ import annotations

from entente.record import open_store
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import OutsideEvent
from tests import rfc9162, tampering
from tests.conftest import CONSORTIUM

POSITION = {"date": "2021-07-01", "question": "data-policy", "party": "HAM", "stance": "support"}


def test_a_party_checks_each_proof_of_its_log_with_the_public_key_alone(api):
    client, issue = api(CONSORTIUM)
    ham = issue("HAM")
    public_key = client.get("/api/key").json()["verifier_key"]
    kept = client.get("/api/checkpoint", headers=ham).json()
    rfc9162.check_signature(kept, public_key)
    written = client.post("/api/events/position_stated", json=POSITION, headers=ham).json()
    now = written["checkpoint"]
    rfc9162.check_signature(now, public_key)
    assert (now["viewer"], now["size"]) == ("HAM", kept["size"] + 1)
    proof = client.get(f"/api/proof/{written['event']['id']}", headers=ham).json()
    leaf = rfc9162.checked_leaf(proof)
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert rfc9162.inclusion_root(proof["index"], now["size"], leaf, path).hex() == now["root"]
    consistency = client.get(f"/api/consistency?from={kept['size']}", headers=ham).json()
    path = [bytes.fromhex(h) for h in consistency["consistency_path"]]
    assert rfc9162.consistent(kept["size"], now["size"], bytes.fromhex(kept["root"]), bytes.fromhex(now["root"]),
                              path)


def test_an_entry_the_caller_may_not_see_has_no_proof_answered_as_a_missing_one(api):
    client, issue = api(CONSORTIUM)
    missing = client.get("/api/proof/no-such-entry")
    hidden = client.get("/api/proof/data-policy-gda")
    assert (hidden.status_code, hidden.content) == (missing.status_code, missing.content) == (404, missing.content)
    assert client.get("/api/proof/data-policy-gda", headers=issue("GDA")).status_code == 200
    public_size = client.get("/api/checkpoint").json()["size"]
    assert public_size < client.get("/api/checkpoint", headers=issue("secretariat")).json()["size"]


def test_a_broken_record_serves_reads_and_refuses_writes_with_the_reason(api, db_url):
    db = db_url("broken")
    client, issue = api(CONSORTIUM, db)
    secretariat = issue("secretariat")
    assert client.post("/api/events/position_stated", json=POSITION, headers=issue("HAM")).status_code == 201
    store = open_store(db)
    tampering.changed(store, len(store.rows_after(0)))  # the newest entry, which the running server has read
    store.close()
    refused = client.post("/api/events/position_stated", json={**POSITION, "date": "2021-07-02"},
                          headers=secretariat)
    assert refused.status_code == 503
    assert "the record is broken: entry" in refused.json()["error"]
    assert "is gone or changed since it was read" in refused.json()["error"]
    party = client.post("/api/events/position_stated", json={**POSITION, "date": "2021-07-02"}, headers=issue("HAM"))
    assert party.status_code == 503 and "entry" not in party.json()["error"]  # the details are the secretariat's
    assert client.get("/api/timeline").status_code == 200


def test_a_server_started_on_a_record_broken_since_the_last_start_finds_every_break(api, db_url):
    """A start checks what was recorded since the state the last one kept (``entente verify`` checks it all)."""
    db = db_url("broken")
    api(CONSORTIUM, db)  # the first opening loads the record and keeps what its ledger checked
    store = open_store(db)
    kept = store.position()
    store.append([OutsideEvent(id=f"note-{i}", date="2021-07-01", category="note", title={"en": "A note"})
                  for i in range(6)])  # as another writer with no ledger of its own records them
    tampering.changed(store, kept + 2)
    tampering.id_changed(store, kept + 4)
    store.close()
    restarted, issue = api(CONSORTIUM, db)
    refused = restarted.post("/api/events/position_stated", json=POSITION, headers=issue("secretariat"))
    assert refused.status_code == 503 and "(and 1 more)" in refused.json()["error"]
    assert restarted.get("/api/conferences").status_code == 200


def test_a_broken_record_takes_no_write_from_a_delegations_form_either(api, db_url):
    db = db_url("broken")
    client, issue = api(DEFAULT_UNION, db)
    store = open_store(db)
    tampering.changed(store, len(store.rows_after(0)))
    store.close()
    form = {"date": "1939-12-10", "title": "Meet in Kaunas", "motion": "convene_conference",
            "instrument": "entente-1934", "classification": "public"}
    token = issue("LT")["Authorization"].removeprefix("Bearer ")
    session = client.post("/session", data={"token": token}, follow_redirects=False).cookies["entente_session"]
    refused = client.post("/delegation/proposal_made", data=form, follow_redirects=False, headers={
        "Accept": "text/html", "Cookie": f"entente_session={session}",
        "Sec-Fetch-Site": "same-origin", "Origin": "http://testserver.local"})
    assert refused.status_code == 503 and "integrity check" in refused.text
