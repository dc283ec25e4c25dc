"""A witness cosigns checkpoints that continue what it cosigned; a split view is refused and reported as one."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from entente.cli import main
from entente.cli.witness import _state, run
from entente.ledger import checkpoints, keys
from entente.ledger.witness import WitnessError, cosign
from tests import rfc9162
from tests.conftest import CONSORTIUM

POSITION = {"date": "2021-07-01", "question": "data-policy", "party": "HAM", "stance": "support"}
NAME = "witness.example.org"


def _check_cosignature(note: str, witness_key: str) -> int:
    """The time a cosignature/v1 line of ``note`` states, once it holds: checked from C2SP tlog-cosignature with
    hashlib and an Ed25519 verifier alone."""
    name, key_id, encoded = witness_key.split("+", 2)
    raw = base64.b64decode(encoded)
    assert raw[0] == 0x04 and hashlib.sha256(name.encode() + b"\n" + raw[:33]).digest()[:4].hex() == key_id
    body, _, signatures = note.rpartition("\n\n")
    for line in signatures.splitlines():
        dash, signer, sig = line.split(" ")
        signature = base64.b64decode(sig)
        if dash == "\u2014" and signer == name and signature[:4].hex() == key_id:
            time = int.from_bytes(signature[4:12], "big")
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(
                signature[12:], f"cosignature/v1\ntime {time}\n".encode() + body.encode() + b"\n")
            return time
    raise AssertionError("no cosignature by the witness")


def test_a_witness_cosigns_each_checkpoint_that_continues_the_last_it_cosigned(api, db_url, tmp_path):
    db = db_url("witnessed")
    client, issue = api(CONSORTIUM, db)
    log_key = client.get("/api/key").json()["verifier_key"]
    ham = issue("HAM")
    first = run(client, log_key, tmp_path / "witness.key", tmp_path / "state.json", NAME, ham)
    rfc9162.check_signature(first, log_key)  # the log's own signature still holds beside the witness's
    assert _check_cosignature(first["note"], first["witness"]) > 0
    assert client.post("/api/events/position_stated", json=POSITION, headers=ham).status_code == 201
    second = run(client, log_key, tmp_path / "witness.key", tmp_path / "state.json", NAME, ham)
    assert second["size"] == first["size"] + 1
    _check_cosignature(second["note"], second["witness"])
    kept = tmp_path / "cosigned.json"
    kept.write_text(json.dumps({k: v for k, v in second.items() if k != "witness"}))
    result = CliRunner().invoke(main, ["--db", db, "--union", str(CONSORTIUM),
                                       "--as", "HAM", "verify", "--against", str(kept)])
    assert result.exit_code == 0 and "intact" in result.output, result.output


def test_a_split_view_is_refused_by_the_witness_and_reported_by_verify(api, db_url, tmp_path, signing_key):
    db = db_url("witnessed")
    client, _ = api(CONSORTIUM, db)
    log_key = client.get("/api/key").json()["verifier_key"]
    state = tmp_path / "state.json"
    honest = run(client, log_key, tmp_path / "witness.key", state, NAME)
    # The same key signs another tree of the same size: what a log showing two histories would hand out.
    union = honest["log"].split("/")[1]
    other = checkpoints.sign(keys.load_or_create(signing_key), union, "public", honest["size"],
                             hashlib.sha256(b"another history").digest())
    witness_key = keys.load_or_create(tmp_path / "witness.key")
    with pytest.raises(WitnessError, match="split view"):
        cosign(other.note, log_key, [], _state(state), witness_key, NAME, 1)
    forged = tmp_path / "other.json"
    forged.write_text(json.dumps(checkpoints.as_dict(other)))
    result = CliRunner().invoke(main, ["--db", db, "--union", str(CONSORTIUM),
                                       "--as", "public", "verify", "--against", str(forged)])
    assert result.exit_code == 1 and "split view" in result.output, result.output
