"""Ranges by position: the index answers as a scan of every range would."""

from __future__ import annotations

import random

from storylens.intervals import Intervals


def test_overlapping_and_covering_match_a_scan_of_every_range():
    rng = random.Random(7)
    ranges = []
    for i in range(400):
        start = rng.randrange(0, 5000)
        ranges.append((start, start + rng.choice([1, 3, 20, 40, 900]), i))
    index = Intervals(ranges)
    for _ in range(2000):
        start = rng.randrange(-50, 5100)
        end = start + rng.randrange(1, 60)
        assert sorted(index.overlapping(start, end)) == sorted(r for r in ranges if r[0] < end and start < r[1])
        assert sorted(index.covering(start, end)) == sorted(r for r in ranges if r[0] <= start and end <= r[1])


def test_no_ranges_find_nothing():
    assert Intervals([]).overlapping(0, 10) == [] and Intervals([]).covering(3, 4) == []
