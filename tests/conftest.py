"""Shared fixtures: stores on SQLite (always) and PostgreSQL (where a server answers), and union folders."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from entente.record import Store, open_store
from entente.record.store import StoredRow
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.secretariat.service import Secretariat
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION, load_union

TESTS = Path(__file__).parent
CONSORTIUM = TESTS / "unions" / "consortium"
# How many entries the consortium's record file holds, counted from the file itself.
CONSORTIUM_EVENTS = (CONSORTIUM / "record.yaml").read_text(encoding="utf-8").count("\n  - kind:")


def refusing_consortium(tmp_path: Path) -> Path:
    """A copy of the consortium whose host rotation refuses a general assembly out of turn, rather than
    recording it with a finding."""
    folder = tmp_path / "consortium"
    shutil.copytree(CONSORTIUM, folder)
    treaty = folder / "treaties" / "agreement-2020.yaml"
    treaty.write_text(treaty.read_text().replace(
        "settings: {reading: strict_order, order: [HAM, TAR, RIG, VIL, GDA]}",
        "settings: {reading: strict_order, order: [HAM, TAR, RIG, VIL, GDA]}\n        on_entry: refuse"))
    return folder
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


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables for people wrap at the terminal's width; tests read them at 200 columns unless they test that."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(autouse=True)
def signing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own signing key (for a PostgreSQL store it would otherwise be entente.key where the tests run)."""
    path = tmp_path / "secretariat.key"
    monkeypatch.setenv("ENTENTE_KEY", str(path))
    return path


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
def baltic_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[StoredRow], dict[str, str]]:
    """The Baltic record's rows and settings as a first opening stores them, made once: checking each entry
    as it loads takes seconds, putting the rows into a store (``insert_rows``) a moment."""
    s = Secretariat.open(str(tmp_path_factory.mktemp("template") / "baltic.db"))
    rows, meta = s.store.rows_after(0), s.store.all_meta()
    s.close()
    return rows, meta


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
