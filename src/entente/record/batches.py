"""Reading the record back in batches: one query joins a batch's bodies, one decode makes its events.

A row at a time, fetching a long record cost more than decoding it (a tuple, an int, a string and a
bytes object per row, then the bodies joined again in Python).  Here the database joins a batch's
bodies into one JSON array's content and says, in the same query, how many rows there were, their
first and last position and whether any is stored in an older version of its kind.  A batch whose
rows are all current and whose positions follow one another (the record as appended) is decoded in
one call; any other (an entry to upcast, a read of the record as known at a past time, which leaves
gaps) is read row by row as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from entente.record.upcast import CURRENT, Upcasters, decode_joined, decode_rows
from entente.uncollected import uncollected
from entente.vocabulary.events import Event

BATCH = 100_000  # rows joined in one query: bounds the size of one joined value


def _stale() -> str:
    """SQL counting the rows not in the current version of their kind (or of a kind no longer known)."""
    current: dict[int, list[str]] = {}
    for kind, version in sorted(CURRENT.items()):
        current.setdefault(version, []).append(kind)
    # Every kind at one version: a row at another is stale (and one of an unknown kind fails to decode).
    if len(current) == 1:
        return f"SUM(CASE WHEN version = {int(next(iter(current)))} THEN 0 ELSE 1 END)"
    fresh = " OR ".join(f"(version = {int(v)} AND kind IN ({', '.join(repr(k) for k in kinds)}))"
                        for v, kinds in sorted(current.items()))
    return f"SUM(CASE WHEN {fresh} THEN 0 ELSE 1 END)"


_STALE = _stale()


Fetched = Callable[[Any, str, list[Any]], list[Any]]  # (cursor, SQL, parameters) -> every row of the query


def read(cur: Any, sql: Callable[[str], str], joined: str | None, upcasters: Upcasters, after: int,
         known_at: str | None, limit: int | None, fetched: Fetched) -> list[tuple[int, Event]]:
    """(position, event) for the rows after ``after`` (recorded by ``known_at``, at most ``limit``).

    ``joined`` is the back end's SQL for the bodies joined with commas, in position order, as bytes; a
    back end that fetches rows faster than it joins them has none, and its rows are fetched.  ``fetched``
    runs each query, in the back end's fastest form (PostgreSQL's binary: as text, the joined bodies would
    cross as hexadecimal, which made joining them slower than fetching the rows).

    The cyclic collector is paused throughout, not only while a batch is decoded: the (position, event)
    pairs are a tuple an entry, which hold no cycle, and would otherwise set collections going as they
    are made.
    """
    with uncollected():
        return _read(cur, sql, joined, upcasters, after, known_at, limit, fetched)


def _read(cur: Any, sql: Callable[[str], str], joined: str | None, upcasters: Upcasters, after: int,
          known_at: str | None, limit: int | None, fetched: Fetched) -> list[tuple[int, Event]]:
    where = "position > ?" + (" AND recorded <= ?" if known_at is not None else "")
    if joined is None:
        return decode_rows(fetched(cur, sql(f"SELECT position, kind, version, body FROM events WHERE {where} ORDER BY "
                                            "position" + (f" LIMIT {int(limit)}" if limit is not None else "")),
                                   [after] + ([known_at] if known_at is not None else [])), upcasters)
    out: list[tuple[int, Event]] = []
    while limit is None or len(out) < limit:
        take = BATCH if limit is None else min(BATCH, limit - len(out))
        params: list[Any] = [after] + ([known_at] if known_at is not None else [])
        chunk = f"SELECT position, kind, version, body FROM events WHERE {where} ORDER BY position LIMIT {int(take)}"
        count, first, last, stale, body = fetched(
            cur, sql(f"SELECT count(*), min(position), max(position), {_STALE}, {joined} FROM ({chunk}) AS chunk"),
            params)[0]
        if not count:
            break
        if stale or int(last) - int(first) + 1 != count:
            out += decode_rows(fetched(cur, sql(chunk), params), upcasters)
        else:
            out += zip(range(int(first), int(last) + 1), decode_joined(bytes(body)), strict=True)
        after = int(last)
        if count < take:
            break
    return out

