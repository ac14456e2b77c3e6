"""Fuzz every reader with hostile inputs for a few seconds: no exception escapes, every input ends as
articles or a named reason, nothing hangs. `make bench` runs the long version (benchmarks/fuzz_readers.py)."""

from __future__ import annotations

import signal

import pytest
from benchmarks.hostile_inputs import MAKERS, check_one, write_input
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX_BYTES = 2 * 1024 * 1024  # small, so that bombs and long inputs meet the limit quickly
HANG_S = 60  # per input; a healthy one takes milliseconds


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang(f"one input took more than {HANG_S} s")


@pytest.mark.parametrize("reader", sorted(MAKERS))
def test_hostile_inputs_never_escape_a_reader(reader, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp(f"fuzz-{reader}"))
    seen = {"inputs": 0}

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(rng=st.randoms(use_true_random=False))
    def one(rng) -> None:
        path = write_input(folder, seen["inputs"], reader, rng)
        seen["inputs"] += 1
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(HANG_S)
        try:
            check_one(path, MAX_BYTES)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    one()
    assert seen["inputs"] >= 25
