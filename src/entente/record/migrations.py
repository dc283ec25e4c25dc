"""The store's schema, as numbered migrations applied once each, in order, on either back end.

A store remembers the migrations it has had (``schema_migrations``); opening
one applies only those it lacks, so an up-to-date store costs one query to
open.  Migration 1 is the schema stores had before migrations were numbered,
written so that it finds such a store already made and leaves it as it is.
"""

from __future__ import annotations

from typing import Any

from entente.record import relink

# (version, what it adds, statements); BYTEA reads BLOB on SQLite.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "the record, its settings, idempotency keys and the audit trail", [
        """CREATE TABLE IF NOT EXISTS events (
            position BIGINT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            valid_start TEXT NOT NULL,
            valid_end TEXT NOT NULL,
            recorded TEXT NOT NULL,
            body BYTEA NOT NULL,
            hash TEXT NOT NULL)""",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # A retried write with the same key gets the answer the first one got.
        "CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, answer BYTEA NOT NULL)",
        # Refused writes, for the secretariat to read; append-only like the record.
        """CREATE TABLE IF NOT EXISTS audit (
            at TEXT NOT NULL, viewer TEXT NOT NULL, action TEXT NOT NULL, event_id TEXT, reason TEXT NOT NULL)""",
        "GUARDS",
    ]),
    (2, "snapshots of what the record folds into, and reads by record time", [
        """CREATE TABLE IF NOT EXISTS snapshots (
            name TEXT PRIMARY KEY, position BIGINT NOT NULL, versions TEXT NOT NULL, body BYTEA NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS events_recorded ON events (recorded)",
    ]),
    (3, "the audit trail and the kept answers append-only too; TRUNCATE refused on PostgreSQL", ["GUARDS"]),
    (4, "salts for personal data, and the chain linking the salted data, as the logs' leaves do",
     [*relink.TABLES, "RELINK"]),
    (5, "the moment from which each entry names the delegation that wrote it (before it, the id's prefix did)",
     ["WRITERS"]),
]

# The meta key holding when migration 5 ran: an entry recorded before it names no writer, even a delegation's.
WRITERS_SINCE = "writers_recorded_since"

LATEST = MIGRATIONS[-1][0]

# Tables that are only ever appended to: the record, the refusals, the answers kept for retries.
APPEND_ONLY = ("events", "audit", "idempotency")
_SQLITE_GUARDS = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}
       BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END"""
    for table in APPEND_ONLY for verb in ("UPDATE", "DELETE")
]
_POSTGRES_GUARDS = [
    """CREATE OR REPLACE FUNCTION entente_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the record is append-only'; END $$ LANGUAGE plpgsql""",
    *(f"""CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
          FOR EACH ROW EXECUTE FUNCTION entente_append_only()""" for table in APPEND_ONLY),
    # TRUNCATE fires no row trigger: it needs a statement trigger of its own.
    *(f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION entente_append_only()""" for table in APPEND_ONLY),
]

_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"


def applied(cur: Any) -> int:
    """The latest migration a store has had (0 for a store made before they were numbered, or none)."""
    cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(cur.fetchone()[0])


def migrate(cur: Any, *, postgres: bool, now: str) -> list[int]:
    """Apply, inside the caller's transaction, every migration the store lacks; the versions applied."""
    cur.execute(_TABLE)
    done = applied(cur)
    mark = "%s" if postgres else "?"
    added = []
    for version, _what, statements in MIGRATIONS:
        if version <= done:
            continue
        for statement in statements:
            if statement == "RELINK":
                relink.relink(cur, postgres=postgres)
            elif statement == "WRITERS":
                cur.execute(f"INSERT INTO meta VALUES ({mark}, {mark}) ON CONFLICT (key) DO NOTHING",
                            (WRITERS_SINCE, now))
            elif statement == "GUARDS":
                for guard in _POSTGRES_GUARDS if postgres else _SQLITE_GUARDS:
                    cur.execute(guard)
            else:
                cur.execute(statement if postgres else statement.replace("BYTEA", "BLOB"))
        cur.execute(f"INSERT INTO schema_migrations VALUES ({mark}, {mark})", (version, now))
        added.append(version)
    return added
