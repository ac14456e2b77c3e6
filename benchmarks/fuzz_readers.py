"""Fuzz every reader: 10,400 generated hostile inputs (1,300 per kind), each read in a worker process.

Counts, per kind: tracebacks (an exception escaping `read_one`, or a broken promise such as an input
that vanished without a reason), hangs past a deadline, parser errors caught by the safety net in
`read_one`, and the peak memory of the workers. The limit is the default --max-size (100 MB), so
bombs that expand to 256 MB meet it.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import signal
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from benchmarks.hostile_inputs import MAKERS, check_one, write_input
from storylens.engine.workers import die_with_parent
from storylens.ingest.sources import DEFAULT_MAX_BYTES

PER_KIND = 1_300
DEADLINE_S = 20  # one input; a healthy one takes milliseconds
SEED = 20261204
CHUNK = 50


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _peak_mb() -> float:
    with open("/proc/self/status") as status:  # VmHWM: this process's own peak, not a parent's
        kb = next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    return kb / 1024 or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_chunk(reader: str, start: int, folder: str) -> dict:
    signal.signal(signal.SIGALRM, _alarm)
    counts = {"inputs": 0, "articles": 0, "skipped": 0, "parser_errors": 0, "tracebacks": 0, "hangs": 0}
    examples: list[str] = []
    slowest = 0.0
    for index in range(start, min(start + CHUNK, PER_KIND)):
        rng = random.Random(f"{SEED}-{reader}-{index}")
        path = write_input(folder, index, reader, rng)
        counts["inputs"] += 1
        began = time.perf_counter()
        signal.alarm(DEADLINE_S)
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # warcio warns on stderr about bad lengths
                outcome = check_one(path, DEFAULT_MAX_BYTES)
            counts["articles"] += outcome.articles
            counts["skipped"] += outcome.skipped
            counts["parser_errors"] += outcome.parser_errors
        except Hang:
            counts["hangs"] += 1
            examples.append(f"{path}: hang")
        except BaseException as err:  # exactly what the fuzz is looking for
            counts["tracebacks"] += 1
            examples.append(f"{path}: {''.join(traceback.format_exception_only(err)).strip()}")
        finally:
            signal.alarm(0)
            slowest = max(slowest, time.perf_counter() - began)
            os.unlink(path)
    return {**counts, "slowest_s": slowest, "peak_mb": _peak_mb(), "examples": examples}


def fuzz(folder: str, jobs: int) -> list[dict]:
    totals: dict[str, dict] = {}
    work = [(reader, start) for reader in MAKERS for start in range(0, PER_KIND, CHUNK)]
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [(reader, pool.submit(partial(_run_chunk, reader, start, folder))) for reader, start in work]
        for reader, future in futures:
            part = future.result()
            row = totals.setdefault(reader, {"reader": reader, "examples": []})
            for key, value in part.items():
                if key == "examples":
                    row["examples"].extend(value)
                elif key in ("slowest_s", "peak_mb"):
                    row[key] = max(row.get(key, 0.0), value)
                else:
                    row[key] = row.get(key, 0) + value
    seconds = time.perf_counter() - began
    rows = []
    for row in totals.values():
        examples = row.pop("examples")
        rows.append({**row, "slowest_s": round(row["slowest_s"], 2), "peak_mb": round(row["peak_mb"], 1),
                     "first_failures": "; ".join(examples[:3])})  # fmt: skip
    counted = ("inputs", "articles", "skipped", "parser_errors", "tracebacks", "hangs")
    total = {key: sum(r[key] for r in rows) for key in counted}
    worst = {"slowest_s": max(r["slowest_s"] for r in rows), "peak_mb": max(r["peak_mb"] for r in rows)}
    rows.append({"reader": "all", **total, **worst, "first_failures": f"{seconds:.0f} s on {jobs} workers"})
    return rows


def main() -> list[dict]:
    from benchmarks.run import table

    with tempfile.TemporaryDirectory(prefix="storylens-fuzz-") as folder:
        rows = fuzz(folder, jobs=os.cpu_count() or 1)
    from rich.console import Console

    Console(width=200).print(table(f"fuzz: {PER_KIND:,} hostile inputs per kind, deadline {DEADLINE_S} s", rows))
    return rows


if __name__ == "__main__":
    main()
