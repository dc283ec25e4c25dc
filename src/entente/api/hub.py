"""The app's hold on the secretariat: one for the app's life, shared by every request."""

from __future__ import annotations

from pathlib import Path

from litestar.exceptions import NotAuthorizedException

from entente.secretariat import tokens
from entente.secretariat.clearance import PUBLIC, Viewer
from entente.secretariat.service import Secretariat


class Hub:
    """The app's secretariat: the union read once, the store and each viewer's view of the record held open.

    Requests run on a thread pool and share it: the store gives each thread its
    own SQLite connection, or takes one from its PostgreSQL pool, and the views
    are caught up from the store's position on every read, so another process
    writing to the same store is seen at the next request.
    """

    def __init__(self, db: str, union_folder: Path) -> None:
        self.secretariat = Secretariat.open(db, union_folder)  # claims the store and loads the bundled record
        self.union, self.treaties = self.secretariat.union, self.secretariat.treaties

    def viewer(self, authorization: str | None) -> Viewer:
        """No Authorization header: the public.  Any token that does not resolve: 401, saying no more."""
        if authorization is None:
            return PUBLIC
        scheme, _, token = authorization.strip().partition(" ")
        found = tokens.resolve(self.secretariat.store, token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise NotAuthorizedException()
        return found

    def close(self) -> None:
        self.secretariat.close()
