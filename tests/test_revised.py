"""A dated state revised from the one folded already is the state folding the changed record gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from entente.replay.dated import DatedState, fold
from entente.replay.revised import revised
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import Event

UNIONS = [DEFAULT_UNION, *sorted(p for p in (Path(__file__).parent / "unions").iterdir() if p.is_dir())]


def _plain(d: DatedState) -> dict[str, Any]:
    """The state as data, with the order of every table, and no answers read ahead (a cache, not state)."""
    for table in (d.questions, d.requests, d.proposals):
        for asked in table.values():
            asked.latest = None
    out: dict[str, Any] = msgspec.to_builtins(msgspec.structs.replace(d, events=list(d.events)))
    out["order"] = [list(d.instruments), list(d.questions), list(d.requests), list(d.proposals), list(d.targets)]
    return out


def _records() -> list[tuple[str, list[Event]]]:
    from bench import generate

    out = [(folder.name, bundled_record(load_union(folder))) for folder in UNIONS]
    return [*[(name, events) for name, events in out if events], ("council", generate.record(1500, years=12))]


def _changes(events: list[Event]) -> list[tuple[str, list[Event], list[Event]]]:
    """Each change tried: an entry left out, moved to another's day, put in twice; a few of each kind of entry."""
    seen: dict[type, int] = {}
    out = []
    for n, e in enumerate(events):
        if seen.get(type(e), 0) >= 4:
            continue
        seen[type(e)] = seen.get(type(e), 0) + 1
        other = events[(n * 7 + 3) % len(events)]
        out += [(f"remove {e.id}", [e], []),
                (f"move {e.id} to {other.date}", [e], [msgspec.structs.replace(e, date=other.date)]),
                (f"add a twin of {e.id}", [], [msgspec.structs.replace(e, id=f"{e.id}-twin")])]
    return out


CASES = [(name, events, *change) for name, events in _records() for change in _changes(events)]


@pytest.mark.parametrize(("union", "events", "what", "gone", "new"), CASES,
                         ids=[f"{c[0]}: {c[2]}" for c in CASES])
def test_a_revised_state_is_the_fold_of_the_changed_record(union, events, what, gone, new):
    held = fold(events)
    before = _plain(held)
    changed = [e for e in events if e not in gone] + new
    assert _plain(revised(held, gone, new)) == _plain(fold(changed))
    assert _plain(held) == before  # the state it was made from is left as it was
