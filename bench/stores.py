"""A store for a benchmark: a SQLite file, or a PostgreSQL schema of its own on the test server; new and empty,
unless a fixed name finds the one an earlier run kept."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def new_schema(name: str | None = None) -> tuple[str, Callable[[], None]]:
    """A PostgreSQL schema of its own on the test server, and what drops it.  ``name``: the schema named so, to
    be found again by a later run (made if it is not there yet, used as it is if it is); else a name of its own."""
    schema = name or f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {'IF NOT EXISTS ' if name else ''}{schema}")

    def drop() -> None:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    return schema, drop


def new_store(backend: str, path: Path, schema: str | None = None) -> tuple[str, Callable[[], None]]:
    """The url of a new store (on SQLite, the file ``path``), and what removes it.  ``schema``: on PostgreSQL, a
    fixed name, so that a later run finds the store (``new_schema``)."""
    if backend == "sqlite":
        return str(path), lambda: path.unlink(missing_ok=True)
    name, drop = new_schema(schema)
    return f"{POSTGRES}?options=-csearch_path%3D{name}", drop
