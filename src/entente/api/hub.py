"""The app's hold on the secretariat: one for the app's life, shared by every request."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException

from entente.api.throttle import Throttle
from entente.ledger.logs import Ledger
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
        self.throttle = Throttle()
        # One ledger for the process: every request catches it up, so each new entry is checked once;
        # a start checks what was recorded since the state the last one kept (``entente verify`` checks all).
        self.ledger = Ledger.open(db, self.union)
        self.ledger.write_wait = 1.0  # reads are served while a start's check runs; a write waits a second at most
        self.ledger.catch_up(self.secretariat.store)
        # What is held now (the record, the ledger's logs) is held for the server's life: out of the cyclic
        # collector's sight, a full collection no longer walks it, which stopped every request for a while.
        gc.freeze()

    @contextmanager
    def session(self) -> Iterator[Secretariat]:
        self.ledger.catch_up(self.secretariat.store)
        yield self.secretariat

    def viewer(self, secretariat: Secretariat, request: Request[Any, Any, Any]) -> Viewer:
        """No Authorization header: the public.  Any token that does not resolve: 401, saying no more;
        an address that has sent too many such tokens: 429, until it has waited."""
        authorization = request.headers.get("authorization")
        if authorization is None:
            return PUBLIC
        address = request.client.host if request.client else "unknown"
        if wait := self.throttle.wait(address):
            raise TooManyRequestsException("too many bad tokens from this address; wait and retry",
                                           headers={"Retry-After": str(math.ceil(wait))})
        scheme, _, token = authorization.strip().partition(" ")
        found = tokens.resolve(secretariat.store, token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            self.throttle.failed(address)
            raise NotAuthorizedException()
        self.throttle.succeeded(address)
        return found

    def close(self) -> None:
        self.ledger.stop()
        self.ledger.keep(self.secretariat.store)
        self.secretariat.close()
