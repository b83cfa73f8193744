"""``DigestCounts``: what a ``Counter`` of digests answers, in a fraction of its memory."""

from __future__ import annotations

import random
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from glossary.exchange.importer import digests
from glossary.exchange.importer.digests import DigestCounts


@pytest.mark.parametrize("merge_at", [1, 3, 64, digests.MERGE_AT])
def test_counts_as_a_counter_does_across_merges(merge_at, monkeypatch):
    monkeypatch.setattr(digests, "MERGE_AT", merge_at)
    rng = random.Random(merge_at)
    # Few distinct digests, so that most are counted again after they were merged.
    keys = [rng.getrandbits(64) or 1 for _ in range(300)]
    counts, expected = DigestCounts(), Counter[int]()
    for _ in range(5000):
        key = rng.choice(keys)
        step = rng.choice([1, 1, -1])
        counts.add(key, step)
        expected[key] += step
    for key in [*keys, 0, 2**64 - 1, rng.getrandbits(64)]:
        assert counts[key] == expected[key]
        assert (key in counts) == (expected[key] > 0)


def test_the_largest_and_smallest_digests_are_kept():
    counts = DigestCounts()
    for key in (2**64 - 1, 1, 2**63):
        counts.add(key)
    assert all(key in counts for key in (2**64 - 1, 1, 2**63))
    assert 2 not in counts


def test_a_hundred_thousand_digests_take_a_fraction_of_a_counters_memory():
    # As in an import, each digest is made for the entry and kept by the counts alone.
    def keys() -> Iterator[int]:
        rng = random.Random(7)
        return (rng.getrandbits(64) for _ in range(100_000))

    def traced(fill: Callable[[], object]) -> int:
        tracemalloc.start()
        kept = fill()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del kept
        return size

    def compact() -> DigestCounts:
        counts = DigestCounts()
        for key in keys():
            counts.add(key)
        return counts

    def counter() -> Counter[int]:
        return Counter(keys())

    ours, theirs = traced(compact), traced(counter)
    assert ours < theirs / 3, (ours, theirs)
    assert ours < 100_000 * 20, ours
