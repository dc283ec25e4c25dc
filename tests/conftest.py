"""Shared fixtures: stores on SQLite (always) and PostgreSQL (where a server answers), and union folders."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from entente.api import create_app
from entente.record import Store, open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.vocabulary.definition import DEFAULT_UNION, load_union

TESTS = Path(__file__).parent
CONSORTIUM = TESTS / "unions" / "consortium"
# How many entries the consortium's record file holds, counted from the file itself.
CONSORTIUM_EVENTS = (CONSORTIUM / "record.yaml").read_text(encoding="utf-8").count("\n  - kind:")
POSTGRES_URL = os.environ.get("ENTENTE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_schema_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at {POSTGRES_URL}: {exc}")
    schema = f"entente_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store location on each back end."""
    if request.param == "sqlite":
        yield str(tmp_path / "record.db")
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty schema on the PostgreSQL server, or a skip saying none answers."""
    yield from _postgres_schema_url()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def baltic():
    return load_union(DEFAULT_UNION)


@pytest.fixture(scope="session")
def consortium():
    return load_union(CONSORTIUM)


Issue = Callable[[str], dict[str, str]]


@pytest.fixture
def api(tmp_path: Path) -> Callable[[Path], tuple[TestClient, Issue]]:
    """A client for a union on a fresh SQLite file, and a way to issue a token (as an Authorization header)."""
    clients: list[TestClient] = []

    def make(union: Path, db: str | None = None) -> tuple[TestClient, Issue]:
        url = db or str(tmp_path / f"{union.name}.db")
        client = TestClient(create_app(url, union))
        client.__enter__()
        clients.append(client)

        def issue(viewer: str) -> dict[str, str]:
            store = open_store(url)
            try:
                return {"Authorization": f"Bearer {tokens.create(store, Viewer.parse(viewer), 'test')[1]}"}
            finally:
                store.close()

        return client, issue

    yield make
    for client in clients:
        client.__exit__(None, None, None)
