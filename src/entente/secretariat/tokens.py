"""Bearer tokens: who a caller of the HTTP API is, kept in the same database as the record.

A token is ``<id>.<secret>``.  Only the SHA-256 hash of the whole token is
stored, so a copy of the database does not give anyone a working token; the id
lets a token be found (and revoked) without scanning every hash.  A token
stands for exactly one `Viewer`; what it may see and write is decided by
clearance.py as for any other viewer.

A token whose id is known but whose secret is wrong counts as a failed sign-in of that token; after
``FREE`` of them, each further one doubles the wait before that token is looked at again (one second, two,
four… up to ``LONGEST``), and a right one clears the count.  It counts too against the token's account (its
viewer): after ``ACCOUNT_FREE`` failed sign-ins over all of that viewer's tokens, every one of them waits the
same way, so that knowing many token ids of one viewer does not multiply the guesses.  The counts are kept
in the store, so every worker process shares them; a token of another viewer is not held up, whoever sends it.
A token of an unknown id costs one read and is counted nowhere: there is no token of that id to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import weakref
from datetime import UTC, datetime
from typing import Any

from entente.record import Store
from entente.secretariat.clearance import Viewer

_TABLE = """CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, viewer TEXT NOT NULL, label TEXT, created TEXT NOT NULL, revoked TEXT,
    hash TEXT NOT NULL, expires TEXT)"""
# Stores made before tokens could expire lack the column; ``expires`` NULL: a token that does not expire.
_ADD_EXPIRES = "ALTER TABLE tokens ADD COLUMN expires TEXT"

# A token row is never deleted, and only ever changed once: to set the day it was revoked.
_SQLITE_GUARDS = [
    """CREATE TRIGGER IF NOT EXISTS tokens_kept BEFORE DELETE ON tokens
       BEGIN SELECT RAISE(ABORT, 'a token is revoked, never deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS tokens_revoked_once BEFORE UPDATE ON tokens
       WHEN OLD.revoked IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.viewer IS NOT OLD.viewer
            OR NEW.hash IS NOT OLD.hash OR NEW.created IS NOT OLD.created OR NEW.expires IS NOT OLD.expires
       BEGIN SELECT RAISE(ABORT, 'a token is only ever revoked, once'); END""",
]
_POSTGRES_GUARDS = [
    """CREATE OR REPLACE FUNCTION entente_token_revoked_once() RETURNS trigger AS $$ BEGIN
       IF TG_OP <> 'UPDATE' OR OLD.revoked IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id
          OR NEW.viewer IS DISTINCT FROM OLD.viewer OR NEW.hash IS DISTINCT FROM OLD.hash
          OR NEW.created IS DISTINCT FROM OLD.created OR NEW.expires IS DISTINCT FROM OLD.expires THEN
         RAISE EXCEPTION 'a token is only ever revoked, once';
       END IF;
       RETURN NEW; END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER tokens_revoked_once BEFORE UPDATE OR DELETE ON tokens
       FOR EACH ROW EXECUTE FUNCTION entente_token_revoked_once()""",
    """CREATE OR REPLACE TRIGGER tokens_no_truncate BEFORE TRUNCATE ON tokens
       FOR EACH STATEMENT EXECUTE FUNCTION entente_token_revoked_once()""",
]

# Failed sign-ins of each token id (its secret wrong): how many since the last right one, and until when
# (seconds since the epoch) the token is not looked at.
_FAILURES = """CREATE TABLE IF NOT EXISTS token_failures (
    token_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, until DOUBLE PRECISION NOT NULL)"""
FREE, LONGEST = 20, 300.0
ACCOUNT_FREE = 5 * FREE
# An account's failures are kept beside the tokens', under a key no token id (hex) can be.
_ACCOUNT = "account:"
clock = time.time  # the failures' clock: wall time, the same in every process


class Waiting(Exception):
    """A token made to wait after failed sign-ins: ``seconds`` before it is looked at again."""

    def __init__(self, seconds: float, of: str = "this token") -> None:
        super().__init__(f"too many failed sign-ins with {of}; wait {seconds:.0f} s and retry")
        self.seconds = seconds


# Stores whose tokens table is known to exist: created on first use, checked once per connection.
_ready: weakref.WeakSet[Store] = weakref.WeakSet()


def _now() -> str:
    # The form dates.check_moment gives, so that record times and expiries compare as text.
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _run(store: Store, statement: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], int]:
    """One statement in its own transaction, on SQLite or PostgreSQL: (rows it returned, rows it changed)."""
    if store not in _ready:
        store.run(_TABLE)
        store.run(_FAILURES)
        if "expires" not in store.columns("tokens"):
            store.run(_ADD_EXPIRES)
        for guard in _POSTGRES_GUARDS if store.postgres else _SQLITE_GUARDS:
            store.run(guard)
        _ready.add(store)
    return store.run(statement, params)


def create(store: Store, viewer: Viewer, label: str | None = None, expires: str | None = None) -> tuple[str, str]:
    """A new token for ``viewer``: (its id, the token itself).  The token is not kept and cannot be shown again.

    With ``expires`` (a UTC moment, as ``dates.check_moment`` gives it), the token stops working then.
    """
    token_id = secrets.token_hex(8)  # hex: never contains the "." that separates id and secret
    token = f"{token_id}.{secrets.token_urlsafe(32)}"
    _run(store, "INSERT INTO tokens (id, viewer, label, created, revoked, hash, expires) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?)", (token_id, str(viewer), label, _now(), _digest(token), expires))
    return token_id, token


def resolve(store: Store, presented: str) -> Viewer | None:
    """The viewer a presented token stands for; None when it is unknown, forged, revoked or expired."""
    token_id, dot, _ = presented.partition(".")
    if not dot or not token_id:
        return None
    rows, _ = _run(store, "SELECT t.viewer, t.hash, t.revoked, t.expires, f.failures, f.until, a.failures, a.until "
                          "FROM tokens t LEFT JOIN token_failures f ON f.token_id = t.id "
                          "LEFT JOIN token_failures a ON a.token_id = ? || t.viewer WHERE t.id = ?",
                   (_ACCOUNT, token_id))
    if not rows:
        return None
    viewer, stored, revoked, expires, failures, until, account_failures, account_until = rows[0]
    now = clock()
    if until is not None and until > now:
        raise Waiting(until - now)
    if account_until is not None and account_until > now:
        raise Waiting(account_until - now, "the tokens of this viewer")
    # Compared in constant time, so the time taken does not tell how much of a forged token was right.
    if not hmac.compare_digest(stored, _digest(presented)):
        _failed(store, token_id, (failures or 0) + 1, now, FREE)
        _failed(store, _ACCOUNT + viewer, (account_failures or 0) + 1, now, ACCOUNT_FREE)
        return None
    if failures is not None or account_failures is not None:
        _run(store, "DELETE FROM token_failures WHERE token_id IN (?, ?)", (token_id, _ACCOUNT + viewer))
    if revoked is not None:
        return None
    if expires is not None and expires <= _now():
        return None
    return Viewer.parse(viewer)


def _failed(store: Store, token_id: str, failures: int, now: float, free: int) -> None:
    """Count one more failed sign-in of ``token_id`` (or an account); past ``free``, hold it off, twice as long
    each time."""
    until = now + min(LONGEST, 2.0 ** (failures - free)) if failures >= free else 0.0
    _run(store, "INSERT INTO token_failures (token_id, failures, until) VALUES (?, 1, ?) ON CONFLICT (token_id) "
                "DO UPDATE SET failures = token_failures.failures + 1, until = ?", (token_id, until, until))


def revoke(store: Store, token_id: str) -> bool:
    """Revoke a token from now on; False when there is no such token or it was revoked already."""
    _, count = _run(store, "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", (_now(), token_id))
    return count > 0


def list_tokens(store: Store) -> list[dict[str, Any]]:
    """Every token ever issued, without its secret or its hash."""
    rows, _ = _run(store, "SELECT id, viewer, label, created, expires, revoked FROM tokens ORDER BY created, id")
    return [dict(zip(("id", "viewer", "label", "created", "expires", "revoked"), row, strict=True)) for row in rows]


def active(store: Store, token_id: str) -> bool:
    """Whether the token with this id still works: issued, not revoked, not expired."""
    rows, _ = _run(store, "SELECT revoked, expires FROM tokens WHERE id = ?", (token_id,))
    return bool(rows) and rows[0][0] is None and (rows[0][1] is None or rows[0][1] > _now())
