"""Store files made by earlier versions, files that cannot be written, and a PostgreSQL connection lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from entente.record import migrations, open_store
from entente.record.postgres import PostgresStore
from entente.secretariat.clearance import PUBLIC
from entente.secretariat.service import Secretariat
from entente.vocabulary.events import OutsideEvent

from .conftest import CONSORTIUM, postgres_only

# A store made by the version before numbered migrations: the Baltic record, a refusal in its audit trail,
# and a write kept under an idempotency key.
BEFORE_MIGRATIONS = Path(__file__).parent / "data" / "store-before-migrations.db"


def test_a_store_made_before_migrations_is_migrated_and_keeps_everything(tmp_path):  # SQLite only: an old file
    db = str(tmp_path / "old.db")
    shutil.copy(BEFORE_MIGRATIONS, db)
    store = open_store(db)
    rows, _ = store.run("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in rows] == [v for v, _, _ in migrations.MIGRATIONS]
    assert store.verify() is None and len(store.events()) == 69
    assert store.events()[-1].id == "old-1"
    assert [r["reason"] for r in store.audit_trail()] == ["an example refusal"]
    assert store.answer_for("LV:k1") == b'{"first":"answer"}'
    store.append([OutsideEvent(id="new-1", date="1941-02-01", category="test", title={"en": "new"})])
    assert [e.id for e in store.events()][-2:] == ["old-1", "new-1"] and store.verify() is None
    store.close()


def _lock_down(path: Path) -> list[str]:
    """Make a file and its folder unwritable, even by root (which file modes do not stop): the undo command."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        return []
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way here to make a file root cannot write")
    subprocess.run(["chattr", "+i", str(path), str(path.parent)], check=True)
    return ["chattr", "-i", str(path), str(path.parent)]


def test_a_file_that_cannot_be_written_is_still_read_and_verified():  # SQLite only: a file's modes
    folder = Path(tempfile.mkdtemp())
    db = folder / "record.db"
    shutil.copy(BEFORE_MIGRATIONS, db)
    open_store(str(db)).close()  # migrated while it could be written
    undo = _lock_down(db)
    try:
        store = open_store(str(db))
        assert store.read_only
        assert len(store.events()) == 69 and store.verify() is None
        s = Secretariat.open(str(db))  # the views run on it too
        assert s.seen(PUBLIC).events
        s.close()
    finally:
        if undo:
            subprocess.run(undo, check=True)
        folder.chmod(0o755)
        db.chmod(0o644)
        shutil.rmtree(folder)


@postgres_only
def test_a_lost_postgresql_connection_is_replaced_and_requests_go_on(store_url, api):
    client, issue = api(CONSORTIUM, store_url)
    assert client.get("/api/conferences").status_code == 200
    store = client.app.state.hub.secretariat.store
    assert isinstance(store, PostgresStore)
    # Every connection of the app's pool (taken all at once, so each is a different one), and no other: other
    # tests may be using the same server.
    with ExitStack() as taken:
        pids = [taken.enter_context(store.pool.connection()).info.backend_pid
                for _ in range(store.pool.get_stats()["pool_size"])]
    killer = open_store(store_url)
    rows, _ = killer.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?)", (pids,))
    killer.close()
    assert rows and all(r[0] for r in rows), "no connection of the app's was ended"
    for _ in range(3):
        assert client.get("/api/timeline").status_code == 200
    written = client.post("/api/events/outside_event", json={"date": "2025-01-01", "category": "x",
                                                              "title": {"en": "after the loss"}},
                          headers=issue("secretariat"))
    assert written.status_code == 201, written.text
