"""The migration that makes the record's chain link what the logs' leaves hash (``salted.py``), once.

Before it, the chain linked each entry's raw bytes, so erasing a name would
break it.  Each entry that holds personal data gets a salt (the one the ledger
made already, where it did: the leaves hashed with it stay as they were), and
every hash from the first such entry on is computed again over the salted data.
"""

from __future__ import annotations

import os
from typing import Any

from entente.record import chain
from entente.record.guards import unguarded
from entente.record.salted import SALT, Salting, erasable, hashed

TABLES = [
    "CREATE TABLE IF NOT EXISTS ledger_salts (position BIGINT PRIMARY KEY, salt BYTEA NOT NULL)",
    # The digests of an entry's personal data, kept in place of its salt once a value of it was erased.
    """CREATE TABLE IF NOT EXISTS ledger_digests (
        position BIGINT NOT NULL, path TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (position, path))""",
]


def relink(cur: Any, *, postgres: bool) -> None:
    mark = "%s" if postgres else "?"
    cur.execute("SELECT position, salt FROM ledger_salts")
    salts = {int(p): bytes(s) for p, s in cur.fetchall()}
    cur.execute("SELECT position, body, hash FROM events ORDER BY position")
    previous, changed, made = chain.GENESIS, [], []
    for position, raw, stored in cur.fetchall():
        body = bytes(raw)
        if erasable(body) and int(position) not in salts:
            salts[int(position)] = os.urandom(SALT)
            made.append((int(position), salts[int(position)]))
        previous = chain.link(previous, hashed(body, Salting(salts.get(int(position)), {})))
        if previous != stored:
            changed.append((previous, int(position)))
    cur.executemany(f"INSERT INTO ledger_salts VALUES ({mark}, {mark})", made)
    if changed:
        with unguarded(cur, ["events"], postgres=postgres):
            cur.executemany(f"UPDATE events SET hash = {mark} WHERE position = {mark}", changed)
