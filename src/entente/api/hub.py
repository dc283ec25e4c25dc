"""The app's hold on the secretariat: the union read once, a store for each request."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException

from entente.api.throttle import Throttle
from entente.ledger.logs import Ledger
from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import PUBLIC, Viewer
from entente.secretariat.service import Secretariat


class Hub:
    """The app's secretariat: the union and its treaties read once, the store opened for each request.

    A SQLite connection belongs to the thread that opened it, and requests run
    on a thread pool; opening one per request costs well under a millisecond
    (reading the union's files costs several), so each request opens its own.
    A PostgreSQL connection costs more to open (and opening one re-runs the
    store's guards), so there the app keeps one and lets one request use it at a time.
    """

    def __init__(self, db: str, union_folder: Path) -> None:
        opened = Secretariat.open(db, union_folder)  # claims the store and loads the bundled record, once
        self.db, self.union, self.treaties = db, opened.union, opened.treaties
        self._shared = opened if opened.store.postgres else None
        self._lock = threading.Lock()
        # One ledger for the process: every request catches it up, so each new entry is checked once,
        # and the whole record when the server starts.
        self.ledger = Ledger.open(db, opened.union)
        self.ledger.catch_up(opened.store)
        self.throttle = Throttle()
        if self._shared is None:
            opened.close()

    @contextmanager
    def session(self) -> Iterator[Secretariat]:
        if self._shared is not None:
            with self._lock:
                self.ledger.catch_up(self._shared.store)
                yield self._shared
            return
        secretariat = Secretariat(self.union, open_store(self.db), self.treaties)
        try:
            self.ledger.catch_up(secretariat.store)
            yield secretariat
        finally:
            secretariat.close()

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
        if self._shared is not None:
            self._shared.close()
