"""A new, empty store for a benchmark: a SQLite file, or a PostgreSQL schema of its own on the test server."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def new_store(backend: str, path: Path) -> tuple[str, Callable[[], None]]:
    """The url of a new store (on SQLite, the file ``path``), and what removes it."""
    if backend == "sqlite":
        return str(path), lambda: path.unlink(missing_ok=True)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]

    def drop() -> None:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[arg-type]

    return f"{POSTGRES}?options=-csearch_path%3D{schema}", drop
