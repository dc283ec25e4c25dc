"""Shared fixtures: stores on SQLite (always) and PostgreSQL (where a server answers), and union folders.

Every test that touches a store takes it from one parametrised fixture (``backend``, through ``db_url``,
``store_url``, ``api`` and ``open_secretariat``), so it runs once on each back end: [sqlite] and [postgres].
Where no PostgreSQL server answers, the [postgres] runs are skipped, each saying why.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from litestar.testing import TestClient

from entente.record import Store, open_store
from entente.record.salted import Salting
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
# The test process: gw0, gw1, ... when pytest-xdist runs the suite on several cores, else "main".
WORKER = re.sub(r"[^a-z0-9]", "", os.environ.get("PYTEST_XDIST_WORKER", "main").lower()) or "main"


class Schemas:
    """Schemas of their own for the tests of one process, on the PostgreSQL server, each dropped after its test.

    A schema's name holds the test process and a random part, so that processes (and other runs of the suite
    on the same server) never meet.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = self._connect()
        self.left: set[str] = set()  # made and not yet dropped

    def _connect(self) -> psycopg.Connection:
        admin = psycopg.connect(self.url, autocommit=True, connect_timeout=3)
        admin.execute("SET lock_timeout = '30s'")  # a schema a stray connection still holds: an error, not a hang
        admin.execute("SET synchronous_commit = off")
        return admin

    def _execute(self, statement: str) -> None:
        if self.admin.closed or self.admin.broken:  # a test that ends connections may have ended this one too
            self.admin = self._connect()
        self.admin.execute(statement)

    def make(self) -> tuple[str, str]:
        """A new, empty schema: (its name, the URL of a store in it).

        A store's connections there do not wait for the disk at each commit (``synchronous_commit`` off: a
        test's record need not outlive a crash of the server), which makes a commit about three times faster;
        what every connection sees is the same.
        """
        schema = f"entente_test_{WORKER}_{uuid.uuid4().hex[:12]}"
        self._execute(f"CREATE SCHEMA {schema}")
        self.left.add(schema)
        sep = "&" if "?" in self.url else "?"
        return schema, f"{self.url}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"

    def drop(self, schema: str) -> None:
        self._execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.left.discard(schema)

    def close(self) -> None:
        """Drops, at the end of the process, any schema whose test's teardown failed, so none outlives the run."""
        for schema in sorted(self.left):
            with contextlib.suppress(psycopg.Error):  # a connection still holds it: left, named as a test's
                self.drop(schema)
        self.admin.close()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[Schemas]:
    """The PostgreSQL server, once per test process; where none answers, each test that needs one is skipped
    with the reason."""
    try:
        schemas = Schemas(POSTGRES_URL)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at {POSTGRES_URL}: {exc}")
    yield schemas
    schemas.close()


# Modules whose tests each run processes one after another for a minute or more: started first, so that when the
# suite runs on several cores (pytest-xdist) none of them is left to run alone at the end.
LONGEST_FIRST = ("test_benches.py", "test_readme.py", "test_serve.py", "test_completion.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: otherwise in the order collected


# A store of a test, by name: the same name gives the same store, a new name a new, empty one.
StoreAt = Callable[[str], str]
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# For a test of what PostgreSQL alone has (a server's connections, TRUNCATE): it runs there only.  A test of what
# SQLite alone has (a file's bytes, modes, lock or folder) takes no store fixture and says so.
postgres_only = pytest.mark.parametrize("backend", [BACKENDS[1]])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The back end a test runs on: each test that touches a store runs on SQLite, then on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StoreAt]:
    """The URL of a test's store of a given name, on the test's back end: a file in the test's own folder on
    SQLite, a schema of its own on PostgreSQL.  The app, the command line and a test's own reads all take it."""
    if backend == "sqlite":
        yield lambda name: str(tmp_path / f"{name}.db")
        return
    schemas: Schemas = request.getfixturevalue("postgres_schemas")
    made: dict[str, tuple[str, str]] = {}

    def url(name: str) -> str:
        if name not in made:
            made[name] = schemas.make()
        return made[name][1]

    yield url
    for schema, _ in made.values():
        schemas.drop(schema)


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


@pytest.fixture
def store_url(db_url: StoreAt) -> str:
    """A fresh, empty store location on each back end."""
    return db_url("record")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture
def open_secretariat(db_url: StoreAt) -> Iterator[Callable[..., Secretariat]]:
    """A union's secretariat on the test's store of a name, as ``Secretariat.open`` gives it; each one opened is
    closed when the test ends, whatever the test did."""
    secretariats: list[Secretariat] = []

    def open_(union: Path = DEFAULT_UNION, name: str = "record") -> Secretariat:
        secretariats.append(Secretariat.open(db_url(name), union))
        return secretariats[-1]

    yield open_
    for s in secretariats:
        s.close()


@pytest.fixture(scope="session")
def baltic_rows(tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[list[StoredRow], dict[str, str], dict[int, Salting]]:
    """The Baltic record's rows, settings and salts as a first opening stores them, made once: checking each
    entry as it loads takes seconds, putting the rows into a store (``insert_rows``) a moment."""
    s = Secretariat.open(str(tmp_path_factory.mktemp("template") / "baltic.db"))
    rows, meta, salting = s.store.rows_after(0), s.store.all_meta(), s.store.salting()
    s.close()
    return rows, meta, salting


@pytest.fixture
def opened(store_url: str, baltic_rows: tuple[list[StoredRow], dict[str, str], dict[int, Salting]]
           ) -> Iterator[Secretariat]:
    """The Baltic Entente's secretariat on a store holding its record, on each back end."""
    store = open_store(store_url)
    store.insert_rows(*baltic_rows)
    store.close()
    s = Secretariat.open(store_url)
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
def api(db_url: StoreAt) -> Iterator[Callable[..., tuple[TestClient, Issue]]]:
    """A client for a union on a fresh store (named after the union's folder) of the test's back end, or on the
    store given, and a way to issue a token (as an Authorization header)."""
    clients: list[TestClient] = []

    def make(union: Path, db: str | None = None) -> tuple[TestClient, Issue]:
        url = db or db_url(union.name)
        client = TestClient(create_app(url, union))
        client.__enter__()
        client.app.state.hub.settled()  # a started server: the record held and checked
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
