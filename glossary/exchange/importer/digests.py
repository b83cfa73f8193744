"""Counts of 8-byte digests in about 16 bytes a digest, where a ``Counter`` of them takes 80.

An import keeps a digest of every entry's key and uid (``match.digest``) from its first pass
over the file to its end: at a million entries, Python's own sets and counters of them would
be most of what the import holds. ``DigestCounts`` keeps them in two sorted arrays (the digests
and their counts), looked up by bisection, and the latest few in a ``Counter`` that is merged
into the arrays once it holds an eighth as many (``MERGE_AT`` at least), so that adding costs
little more than a counter's and the arrays are rewritten a few dozen times in all.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from typing import Final

#: The fewest digests the counter takes before they are merged into the arrays.
MERGE_AT: Final = 4096


class DigestCounts:
    """A count for each digest (0 for one never counted); ``in`` when its count is above 0."""

    __slots__ = ("_counts", "_keys", "_recent")

    def __init__(self) -> None:
        self._keys = array("Q")
        self._counts = array("q")
        self._recent: Counter[int] = Counter()

    def _index(self, key: int) -> int:
        """The key's place in the arrays, or -1."""
        index = bisect_left(self._keys, key)
        return index if index < len(self._keys) and self._keys[index] == key else -1

    def __getitem__(self, key: int) -> int:
        index = self._index(key)
        return self._recent.get(key, 0) + (self._counts[index] if index >= 0 else 0)

    def __contains__(self, key: int) -> bool:
        return self[key] > 0

    def add(self, key: int, step: int = 1) -> None:
        """Count ``key`` once more (``step`` times; a negative step counts down)."""
        index = self._index(key)
        if index >= 0:
            self._counts[index] += step
            return
        self._recent[key] += step
        if len(self._recent) > max(MERGE_AT, len(self._keys) // 8):
            self._merge()

    def _merge(self) -> None:
        recent = sorted(self._recent.items())
        keys, counts = array("Q"), array("q")
        old_keys, old_counts = self._keys, self._counts
        old, new = 0, 0
        # None of the recent keys is in the arrays (add counts those in place).
        while old < len(old_keys) or new < len(recent):
            if new == len(recent) or (old < len(old_keys) and old_keys[old] < recent[new][0]):
                keys.append(old_keys[old])
                counts.append(old_counts[old])
                old += 1
            else:
                keys.append(recent[new][0])
                counts.append(recent[new][1])
                new += 1
        self._keys, self._counts = keys, counts
        self._recent.clear()
