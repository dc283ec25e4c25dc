"""Items made by a reader process are those this process would have made, in order, whatever stops the reader
part way; and no reader process is left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from entente.vocabulary.ahead import made_ahead

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/task").is_dir(),
                                reason="a reader process is forked, and its end is seen in /proc")


def children() -> set[int]:
    """This process's children, alive or not yet waited for (other tests' servers among them)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except FileNotFoundError:  # a thread that ended since the folder was listed
            continue
    return found


@pytest.fixture(autouse=True)
def _no_reader_left() -> Iterator[None]:
    """After each test, no reader process of its own is left, running or not waited for."""
    before = children()
    yield
    assert children() <= before


def test_every_item_comes_in_order_from_the_reader():
    here = os.getpid()

    def made(skip: int) -> Iterator[tuple[int, bool]]:
        for i in range(skip, 2000):
            yield i, os.getpid() == here

    got = list(made_ahead(made))
    assert [i for i, _ in got] == list(range(2000))
    assert not any(made_here for _, made_here in got)  # every one made by the reader


def test_a_reader_that_stops_part_way_is_followed_by_this_process_from_where_it_stopped():
    here = os.getpid()

    def made(skip: int) -> Iterator[int]:
        for i in range(skip, 10):
            if i == 5 and os.getpid() != here:
                raise ValueError("only the reader stops here")
            yield i

    assert list(made_ahead(made)) == list(range(10))


def test_what_stops_the_reader_stops_this_process_at_the_same_item():
    def made(skip: int) -> Iterator[int]:
        for i in range(skip, 10):
            if i == 7:
                raise ValueError(f"item {i} cannot be made")
            yield i

    got: list[int] = []
    with pytest.raises(ValueError, match="item 7 cannot be made"):
        for item in made_ahead(made):
            got.append(item)
    assert got == list(range(7))


def test_an_item_that_cannot_be_sent_is_made_here():
    here = os.getpid()

    def made(skip: int) -> Iterator[object]:
        for i in range(skip, 4):
            yield (lambda: None) if i == 2 and os.getpid() != here else i  # a lambda cannot be pickled

    assert list(made_ahead(made)) == [0, 1, 2, 3]


def test_where_no_reader_process_can_be_had_the_items_are_made_here(monkeypatch):
    def refused() -> int:
        raise BlockingIOError("Resource temporarily unavailable")  # as fork says when a limit is reached

    monkeypatch.setattr(os, "fork", refused)
    here = os.getpid()
    assert list(made_ahead(lambda skip: iter([(i, os.getpid() == here) for i in range(skip, 3)]))) == \
        [(0, True), (1, True), (2, True)]
