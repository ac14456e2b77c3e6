"""Character ranges looked up by position: mentions under a speaker's words, aligned passages holding a
figure, a wording inside a longer one. A long article has thousands of each, so a lookup must not scan
them all."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Intervals(Generic[T]):
    """Ranges `[start, end)` with a payload, sorted by start: a query looks back only as far as the
    longest range reaches."""

    def __init__(self, ranges: Iterable[tuple[int, int, T]]) -> None:
        self._ranges = sorted(ranges, key=lambda r: (r[0], r[1]))
        self._starts = [start for start, _, _ in self._ranges]
        self._longest = max((end - start for start, end, _ in self._ranges), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """The ranges that share a character with `[start, end)`, in order of start."""
        first = bisect_left(self._starts, start - self._longest)
        last = bisect_left(self._starts, end)
        return [r for r in self._ranges[first:last] if r[1] > start]

    def covering(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """The ranges that hold all of `[start, end)`, a non-empty range."""
        return [r for r in self.overlapping(start, start + 1) if r[0] <= start and r[1] >= end]
