"""A long run of generated requests against the API, as its OpenAPI document describes it: how many were sent,
how many got a server error (5xx), and how fast they were answered.

    python -m bench.fuzz                # 200 examples per operation
    python -m bench.fuzz --examples 2000

Every operation of the document gets generated requests (schemathesis, on Hypothesis), writes sent as the
secretariat so that every field reaches its checks, on a store of the Baltic record made for the run.  The
suite's ``tests/test_openapi_fuzz.py`` sends four per operation; this is the same check at length, with its
figures: each operation's cases, server errors, and the median time to an answer; a 5xx is printed with the
request that caused it.  The peer figure is the same server's answer to ``GET /api/key``, a read that does no
work, measured in the same run: the ratio says how much of a case's time is the server's own work.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from hypothesis import strategies as st
from schemathesis.core.result import Err

from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import SECRETARIAT
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

_CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="generated requests per operation")
    examples = parser.parse_args().examples
    with tempfile.TemporaryDirectory(prefix="entente-fuzz-") as folder:
        db = str(Path(folder) / "fuzz.db")
        schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(db, DEFAULT_UNION),
                                                config=_CONFIG)
        store = open_store(db)
        writer = {"Authorization": f"Bearer {tokens.create(store, SECRETARIAT, 'fuzz')[1]}"}
        store.close()
        print(f"Generated requests against every API operation, {examples} examples each (schemathesis)")
        print(f"{'operation':<48} {'cases':>6} {'5xx':>5} {'median ms':>10}")
        total = errors = 0
        times: list[float] = []
        started = time.perf_counter()
        for result in schema.get_all_operations():
            if isinstance(result, Err):  # an operation the schema describes in a way schemathesis cannot read
                raise SystemExit(f"the API's schema: {result.err()}")
            operation = result.ok()
            label = f"{operation.method.upper()} {operation.path}"
            headers = writer if operation.method.upper() == "POST" else None
            took, failed = _run(operation, headers, examples)
            total, errors = total + len(took), errors + len(failed)
            times += took
            print(f"{label[:48]:<48} {len(took):>6} {len(failed):>5} {statistics.median(took) * 1000:>10.1f}")
            for line in failed[:3]:
                print(f"    {line}")
        elapsed = time.perf_counter() - started
        peer = _peer(schema)
        median = statistics.median(times)
        print(f"{'all operations':<48} {total:>6} {errors:>5} {median * 1000:>10.1f}")
        print(f"\n{total} cases in {elapsed:.0f} s, {errors} server errors; the median case took "
              f"{median * 1000:.1f} ms, {median / peer:.1f} times a GET /api/key ({peer * 1000:.2f} ms) "
              "in the same run")


def _run(operation: Any, headers: dict[str, str] | None, examples: int) -> tuple[list[float], list[str]]:
    """Each generated case's time to its answer, and each server error with the request that caused it."""
    took: list[float] = []
    failed: list[str] = []

    @hypothesis.settings(max_examples=examples, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate])
    @hypothesis.given(case=operation.as_strategy(), _=st.none())
    def send(case: schemathesis.Case, _: None) -> None:
        begun = time.perf_counter()
        response = case.call(headers=headers)
        took.append(time.perf_counter() - begun)
        if response.status_code >= 500:
            failed.append(f"{response.status_code} for {case.as_curl_command()}")

    send()
    return took, failed


def _peer(schema: schemathesis.BaseSchema) -> float:
    """The median time of the same server's answer to a read that does no work."""
    operation = schema["/api/key"]["GET"]
    took = []
    for _ in range(200):
        case = operation.Case()
        begun = time.perf_counter()
        case.call()
        took.append(time.perf_counter() - begun)
    return statistics.median(took)


if __name__ == "__main__":
    main()
