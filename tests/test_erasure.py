"""Erasing personal data on request: gone from the store, while every log, checkpoint and proof stays valid."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from entente.cli import main
from entente.record import chain, open_store
from entente.secretariat.snapshots import NAME as SNAPSHOT
from entente.vocabulary.events import ConferenceHeld, Participant
from tests import rfc9162, tampering
from tests.conftest import CONSORTIUM

ERASED, KEPT = "Margarethe Vollständig-Erased", "Juhan Kept-Tamm"
CONFERENCE = {"id": "assembly-2022", "date": "2024-06-12", "number": 4, "instrument": "agreement-2020",
              "host": "RIG", "place": {"en": "Riga"},
              "participants": [{"party": "RIG", "role": "host", "person": ERASED},
                               {"party": "TAR", "person": KEPT}]}
ERASURE = {"date": "2025-05-02", "target": "assembly-2022", "field": "participants/0/person",
           "requested_by": "the delegate, by letter of 2 May 2024", "reason": "Erasure of personal data on request."}
VIEWERS = ("secretariat", "public", "RIG", "TAR", "GDA")


def _store_bytes(db: str) -> bytes:
    """Everything the store holds: a SQLite store's files as they are on disk; every row of every table of a
    PostgreSQL store's schema, as its values."""
    if not db.startswith("postgresql://"):
        return b"".join(p.read_bytes() for p in Path(db).parent.glob(Path(db).name + "*") if p.is_file())
    store = open_store(db)
    try:
        tables, _ = store.run("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                              "current_schema()")
        return b"\n".join(bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                           for (name,) in tables for row in store.run(f"SELECT * FROM {name}")[0] for value in row)
    finally:
        store.close()


def _checked_proof(proof: dict, checkpoint: dict) -> bytes:
    """The proof's leaf, checked by the project-independent code against ``checkpoint``."""
    leaf = rfc9162.checked_leaf(proof)
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert rfc9162.inclusion_root(proof["index"], checkpoint["size"], leaf, path).hex() == checkpoint["root"]
    return leaf


def test_an_erased_name_leaves_the_store_and_every_log_and_old_proof_holds(api, db_url):
    db = db_url("erasure")
    client, issue = api(CONSORTIUM, db)
    heads = {viewer: issue(viewer) for viewer in VIEWERS}
    assert client.post("/api/events/conference_held", json=CONFERENCE, headers=heads["secretariat"]).status_code == 201
    key = client.get("/api/key").json()["verifier_key"]
    before = {v: client.get("/api/checkpoint", headers=h).json() for v, h in heads.items()}
    proofs = {v: client.get("/api/proof/assembly-2022", headers=h).json() for v, h in heads.items()}
    assert ERASED.encode() in _store_bytes(db)

    refused = client.post("/api/events/field_erased", json=ERASURE, headers=heads["RIG"])
    assert refused.status_code == 403  # a party may not erase, not even its own delegate's name
    wrong = client.post("/api/events/field_erased", json={**ERASURE, "field": "place/en"},
                        headers=heads["secretariat"])
    assert wrong.status_code == 422 and "participants/0/person" in wrong.text  # says which fields may be
    done = client.post("/api/events/field_erased", json=ERASURE, headers=heads["secretariat"])
    assert done.status_code == 201, done.text
    erasure = done.json()["event"]
    assert erasure["requested_by"] == ERASURE["requested_by"] and ERASED not in done.text

    entry = client.get("/api/events/assembly-2022", headers=heads["TAR"]).json()
    assert [p.get("person") for p in entry["participants"]] == [None, KEPT]
    for viewer, head in heads.items():
        now = client.get("/api/checkpoint", headers=head).json()
        rfc9162.check_signature(now, key)
        old = before[viewer]
        path = [bytes.fromhex(h) for h in client.get(f"/api/consistency?from={old['size']}",
                                                      headers=head).json()["consistency_path"]]
        assert now["size"] == old["size"] + 1  # the erasure's own entry, as visible as what it erased
        assert rfc9162.consistent(old["size"], now["size"], bytes.fromhex(old["root"]), bytes.fromhex(now["root"]),
                                  path)
        proof = client.get("/api/proof/assembly-2022", headers=head).json()
        assert ERASED not in str(proof) and proof["salt"] is None
        assert _checked_proof(proof, now) == _checked_proof(proofs[viewer], old)  # the old proof, the same leaf
    code = CliRunner().invoke(main, ["--db", db, "--union", str(CONSORTIUM), "verify"])
    assert code.exit_code == 0 and "intact" in code.output, code.output

    client.__exit__(None, None, None)  # the server closed, its connections with it
    held = _store_bytes(db)
    assert ERASED.encode() not in held and KEPT.encode() in held
    store = open_store(db)
    try:
        assert store.verify() is None
        assert store.snapshot(SNAPSHOT) is None or ERASED.encode() not in store.snapshot(SNAPSHOT)[2]
    finally:
        store.close()


def test_the_command_line_erases_and_a_second_erasure_of_the_same_value_is_refused(db_url):
    db = db_url("erasure-cli")
    runner = CliRunner()

    def entente(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, ["--db", db, "--union", str(CONSORTIUM), *args])
        return result.exit_code, result.output

    assert entente("record", "conference_held", "--data", json.dumps(CONFERENCE))[0] == 0
    code, out = entente("erase", "assembly-2022", "participants/1/person", "--requested-by", "the delegate",
                        "--reason", "on request")
    assert code == 0 and "recorded" in out, out
    code, out = entente("erase", "assembly-2022", "participants/1/person", "--requested-by", "the delegate",
                        "--reason", "on request")
    assert code == 1 and "erased already" in out, out
    code, out = entente("--as", "TAR", "verify")
    assert code == 0 and "intact" in out, out


def test_a_store_whose_chain_linked_raw_names_is_relinked_once_when_opened(store_url):
    store = open_store(store_url)
    store.append([ConferenceHeld(id="c-1", date="2020-01-01", host="AA",
                                 participants=(Participant(party="AA", person=ERASED),))])
    salt = store.salting()[1].salt
    row = store.rows_after(0)[0]
    raw = chain.link(chain.GENESIS, row.body)  # as the chain linked it before salted data
    tampering._unguarded(store, lambda cur, s, rows: (
        tampering._run(cur, s, "UPDATE events SET hash = ? WHERE position = 1", raw),
        tampering._run(cur, s, "DELETE FROM schema_migrations WHERE version >= 4")))
    store.close()
    assert raw != row.hash
    store = open_store(store_url)  # the migration runs once, here
    try:
        assert store.rows_after(0)[0].hash == row.hash and store.salting()[1].salt == salt
        assert store.verify() is None
    finally:
        store.close()
