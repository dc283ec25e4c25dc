"""Signed-in sessions and calendar feeds, kept in the record's store beside the tokens.

The cookie holds a session id, never the API token: only the id's SHA-256 is
stored, with the viewer and the id of the token it was started with.  Signing out
ends the session on the server, so a copied cookie stops working too; revoking
the token ends every session and feed started with it.  A calendar feed is an
address of its own (``/feeds/<id>.ics``) for one viewer, which that viewer can
revoke without touching its token or its other feeds.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

from entente.record import Store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer

LIFETIME = timedelta(hours=12)  # a session's, as its cookie's
_TABLES = [
    """CREATE TABLE IF NOT EXISTS web_sessions (digest TEXT PRIMARY KEY, token TEXT NOT NULL, viewer TEXT NOT NULL,
       created TEXT NOT NULL, expires TEXT NOT NULL, ended TEXT)""",
    """CREATE TABLE IF NOT EXISTS calendar_feeds (id TEXT PRIMARY KEY, digest TEXT NOT NULL, token TEXT NOT NULL,
       viewer TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT)""",
]
_ready: weakref.WeakSet[Store] = weakref.WeakSet()


def _now(later: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + later).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _run(store: Store, statement: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], int]:
    if store not in _ready:
        for table in _TABLES:
            store.run(table)
        _ready.add(store)
    return store.run(statement, params)


def start(store: Store, token: str) -> tuple[str, Viewer] | None:
    """A new session for the viewer ``token`` stands for: (its id, the viewer); None when the token does not work."""
    viewer = tokens.resolve(store, token)
    if viewer is None:
        return None
    session = secrets.token_urlsafe(32)
    _run(store, "INSERT INTO web_sessions (digest, token, viewer, created, expires, ended) "
                "VALUES (?, ?, ?, ?, ?, NULL)",
         (_digest(session), token.partition(".")[0], str(viewer), _now(), _now(LIFETIME)))
    return session, viewer


def resolve(store: Store, session: str) -> tuple[Viewer, str] | None:
    """(The viewer, the token's id) of a live session; None when it is unknown, ended, expired, or its token revoked."""
    rows, _ = _run(store, "SELECT viewer, token, expires, ended FROM web_sessions WHERE digest = ?",
                   (_digest(session),))
    if not rows:
        return None
    viewer, token, expires, ended = rows[0]
    if ended is not None or expires <= _now() or not tokens.active(store, token):
        return None
    return Viewer.parse(viewer), token


def end(store: Store, session: str) -> bool:
    """End a session from now on; False when there was no live one."""
    _, count = _run(store, "UPDATE web_sessions SET ended = ? WHERE digest = ? AND ended IS NULL",
                    (_now(), _digest(session)))
    return count > 0


def new_feed(store: Store, viewer: Viewer, token: str) -> str:
    """A new calendar feed for ``viewer``: ``<id>.<secret>``, shown once; only its hash is kept."""
    feed_id = secrets.token_hex(6)
    feed = f"{feed_id}.{secrets.token_urlsafe(24)}"
    _run(store, "INSERT INTO calendar_feeds (id, digest, token, viewer, created, revoked) VALUES (?, ?, ?, ?, ?, NULL)",
         (feed_id, _digest(feed), token, str(viewer), _now()))
    return feed


def feed_viewer(store: Store, feed: str) -> Viewer | None:
    """The viewer a feed address stands for; None when it is unknown, revoked, or its token revoked."""
    feed_id, dot, _ = feed.partition(".")
    rows, _ = _run(store, "SELECT digest, token, viewer, revoked FROM calendar_feeds WHERE id = ?", (feed_id,))
    if not dot or not rows:
        return None
    digest, token, viewer, revoked = rows[0]
    if not secrets.compare_digest(digest, _digest(feed)) or revoked is not None or not tokens.active(store, token):
        return None
    return Viewer.parse(viewer)


def feeds(store: Store, viewer: Viewer) -> list[dict[str, Any]]:
    """A viewer's feeds that still work: id and day made (never the address, which is not kept)."""
    rows, _ = _run(store, "SELECT id, created FROM calendar_feeds WHERE viewer = ? AND revoked IS NULL "
                          "ORDER BY created", (str(viewer),))
    return [{"id": feed_id, "created": created} for feed_id, created in rows]


def revoke_feed(store: Store, viewer: Viewer, feed_id: str) -> bool:
    """Revoke one of ``viewer``'s own feeds; False when it has no such live feed."""
    _, count = _run(store, "UPDATE calendar_feeds SET revoked = ? WHERE id = ? AND viewer = ? AND revoked IS NULL",
                    (_now(), feed_id, str(viewer)))
    return count > 0
