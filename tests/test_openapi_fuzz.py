"""The OpenAPI document, taken at its word: requests generated from it get an answer or a 4xx the document
names, never a 500, and requests it forbids are refused.

Bounded (a few examples per operation, no deadline) so that it adds seconds,
not minutes; ``test_api_limits.py`` holds the inputs a generator never makes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis
import schemathesis
from schemathesis.checks import negative_data_rejection, not_a_server_error, status_code_conformance

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import SECRETARIAT
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

# The schema is read when the tests are collected, so the app and its store are made then, before any fixture
# could choose a back end: on SQLite only (what is checked is the answer to generated input, which the API gives
# before it reads a store; tests/test_api*.py run on both back ends); the folder goes when the run ends.
_FOLDER = tempfile.TemporaryDirectory(prefix="entente-openapi-")
# Generated examples only: the coverage phase's hundreds of boundary cases per operation would take minutes.
_CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}})
_DB = str(Path(_FOLDER.name) / "fuzz.db")
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(_DB, DEFAULT_UNION), config=_CONFIG)


def _secretariat() -> dict[str, str]:
    """The secretariat's token: a write generated as the public is refused before its fields are read, so the
    writes are sent as the one viewer who may record anything, and every field reaches its checks."""
    store = open_store(_DB)
    try:
        return {"Authorization": f"Bearer {tokens.create(store, SECRETARIAT, 'fuzz')[1]}"}
    finally:
        store.close()


_WRITER = _secretariat()


@schema.parametrize()
@hypothesis.settings(max_examples=4, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_every_operation_answers_without_a_server_error(case: schemathesis.Case) -> None:
    headers = _WRITER if case.method.upper() == "POST" else None
    case.call_and_validate(headers=headers, checks=[not_a_server_error, negative_data_rejection,
                                                    status_code_conformance])
