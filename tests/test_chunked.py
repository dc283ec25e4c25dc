"""The sequence a write extends without copying: every version reads as the list it stands for."""

from __future__ import annotations

import random
from bisect import bisect_right

import pytest

from entente.replay import chunked
from entente.replay.chunked import Chunked


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(chunked, "SIZE", 4)  # so a few dozen items cross every chunk's bounds


@pytest.mark.parametrize("seed", range(6))
def test_every_version_reads_as_its_list_and_the_older_ones_stay_as_they_were(seed):
    rng = random.Random(seed)
    first = list(range(rng.randrange(12)))
    versions: list[tuple[Chunked[int], list[int]]] = [(Chunked(first), first)]
    for step in range(80):
        seq, plain = versions[rng.randrange(len(versions))]  # any version, not only the newest, is extended
        if rng.random() < 0.2:  # several at the end at once
            more = list(range(2000 + 10 * step, 2000 + 10 * step + rng.randrange(11)))
            versions.append((seq.appended(more), plain + more))
            continue
        at = rng.choice([len(plain), 0, rng.randrange(len(plain) + 1)])
        versions.append((seq.inserted(at, 1000 + step), [*plain[:at], 1000 + step, *plain[at:]]))
    for seq, plain in versions:
        assert list(seq) == plain and len(seq) == len(plain) and seq == plain
        assert [seq[i] for i in range(-len(plain), len(plain))] == plain[-len(plain):] + plain
        assert seq[2:9] == plain[2:9] and seq[:3] == plain[:3] and seq[::2] == plain[::2]
    with pytest.raises(IndexError):
        versions[-1][0][len(versions[-1][1])]


def test_it_is_searched_and_appended_to_as_a_list_is():
    days = Chunked(f"2000-01-{d:02d}" for d in range(1, 29))
    assert bisect_right(days, "2000-01-10") == 10
    more = days.appended(["2000-02-01", "2000-02-02"])
    assert len(days) == 28 and len(more) == 30 and more[-1] == "2000-02-02"
    assert Chunked.of(more) is more and Chunked.of([1, 2]) == [1, 2]
