"""The peer: the same events through the ``eventsourcing`` library, on its SQLite and PostgreSQL persistence.

Each Entente event becomes one event of a ``Union`` aggregate (its kind and
its fields as plain data), saved in batches; replay is the library's own:
``repository.get`` reads the aggregate's events, decodes them and folds them
into the aggregate, which keeps what a minimal fold keeps (how many of each kind).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import msgspec
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg.conninfo import conninfo_to_dict
from stores import POSTGRES, new_schema

from entente.vocabulary.events import Event, kind_of

BATCH = 1000


class Union(Aggregate):
    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}

    @event("Recorded")
    def record(self, kind: str, body: dict[str, Any]) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


def _environment(backend: str, sqlite_path: str, schema: str) -> dict[str, str]:
    if backend == "sqlite":
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": sqlite_path}
    server = conninfo_to_dict(POSTGRES)  # the test server the other benchmarks use
    return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": str(server["dbname"]),
            "POSTGRES_HOST": str(server["host"]), "POSTGRES_PORT": str(server["port"]),
            "POSTGRES_USER": str(server["user"]), "POSTGRES_PASSWORD": "", "POSTGRES_SCHEMA": schema}


def run(backend: str, events: Sequence[Event], sqlite_path: str) -> dict[str, float]:
    """Seconds to store the events and to replay them, through the library (the replay on the clock and on a
    core: see ``engine.on_one_core``)."""
    schema, drop = new_schema() if backend == "postgresql" else ("", lambda: None)
    env = _environment(backend, sqlite_path, schema)
    app: Application[Any] = Application(env=env)
    bodies = [(kind_of(e), msgspec.to_builtins(e)) for e in events]
    started = time.perf_counter()
    union = Union()
    for i in range(0, len(bodies), BATCH):
        for kind, body in bodies[i:i + BATCH]:
            union.record(kind, body)
        app.save(union)
    load = time.perf_counter() - started
    again: Application[Any] = Application(env=env)  # a new application: nothing cached from the load
    started, used = time.perf_counter(), time.process_time()
    replayed: Union = again.repository.get(union.id)
    replay, replay_cpu = time.perf_counter() - started, time.process_time() - used
    assert sum(replayed.kinds.values()) == len(events)
    for a in (app, again):
        a.close()
    drop()
    return {"load": load, "replay": replay, "replay_cpu": replay_cpu}
