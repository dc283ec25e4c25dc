"""The work of the ``witness`` command (declared in ``commands``): cosign a log's checkpoint after checking it.

The witness reads the log over the HTTP API of a running server (its
checkpoint, and a consistency proof from the last size it cosigned), checks
it against the log's verifier key it was given (never the one the server
sends), and prints the checkpoint with its cosignature added; it keeps what it
cosigned in its state file, so a later run checks the log continues it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import click
import httpx
import msgspec

from entente.ledger import keys
from entente.ledger.keys import KeyFileError
from entente.ledger.witness import State, WitnessError, cosign, witness_verifier_key


def run(client: httpx.Client, log_key: str, key_file: Path, state_file: Path, name: str,
        headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The checkpoint of the log ``client`` serves, cosigned; raises ``WitnessError`` to refuse it."""
    try:
        key = keys.load_or_create(key_file)
    except KeyFileError as exc:
        raise WitnessError(str(exc)) from None
    state = _state(state_file)
    checkpoint = _get(client, "/api/checkpoint", headers)
    last = state.logs.get(checkpoint["log"])
    proof: list[bytes] = []
    if last is not None and 0 < last.size < checkpoint["size"]:
        answer = _get(client, f"/api/consistency?from={last.size}", headers)
        if answer["checkpoint"]["note"] != checkpoint["note"]:  # grown meanwhile: cosign the one proved
            checkpoint = answer["checkpoint"]
        proof = [bytes.fromhex(h) for h in answer["consistency_path"]]
    note, state = cosign(checkpoint["note"], log_key, proof, state, key, name, int(time.time()))
    _write_state(state_file, state)
    return {**checkpoint, "note": note, "witness": witness_verifier_key(name, key.public_key())}


def _get(client: httpx.Client, path: str, headers: dict[str, str] | None) -> dict[str, Any]:
    try:
        answer = client.get(path, headers=headers or {})
    except httpx.HTTPError as exc:
        raise WitnessError(f"{path}: {exc}") from None
    if answer.status_code != 200:
        raise WitnessError(f"{path}: answered {answer.status_code}")
    found: dict[str, Any] = answer.json()
    return found


def _state(path: Path) -> State:
    if not path.exists():
        return State()
    try:
        return msgspec.json.decode(path.read_bytes(), type=State)
    except (OSError, msgspec.DecodeError) as exc:
        raise WitnessError(f"{path}: not a witness's state: {exc}") from None


def _write_state(path: Path, state: State) -> None:
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(msgspec.json.encode(state))
    os.replace(partial, path)


def witness(url: str, log_key: str, key_file: Path, state_file: Path, name: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    with httpx.Client(base_url=url, timeout=30) as client:
        try:
            cosigned = run(client, log_key, key_file, state_file, name, headers)
        except WitnessError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(cosigned, ensure_ascii=False, indent=2))
