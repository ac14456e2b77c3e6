"""Ingest throughput, peak memory and store size: 10,000 generated JSONL articles and 1,000 HTML files."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.generate import write_html, write_jsonl
from benchmarks.measure import median_run, run_measured

REPEATS = 3


def bench_ingest(workdir: Path) -> list[dict]:
    inputs = {
        "10,000 articles in JSONL": (write_jsonl(workdir / "articles.jsonl", 10_000), 10_000),
        "1,000 HTML files": (write_html(workdir / "html", 1_000), 1_000),
    }
    rows = []
    for label, (path, count) in inputs.items():
        runs = []
        for repeat in range(REPEATS):
            db = workdir / f"{path.stem}-{repeat}.db"
            runs.append(run_measured([sys.executable, "-m", "storylens.cli", "ingest", str(path), "--db", str(db)]))
        run = median_run(runs)
        if run.returncode != 0:
            raise SystemExit(f"ingest of {label} failed with exit code {run.returncode}")
        rows.append(
            {
                "input": label,
                "articles": count,
                "seconds_median": round(run.seconds, 3),
                "articles_per_s": round(count / run.seconds, 1),
                "peak_rss_mb": round(run.peak_rss_mb, 1),
                "store_bytes_per_article": round(db.stat().st_size / count),
                "runs": REPEATS,
            }
        )
    return rows


def main() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="storylens-bench-") as tmp:
        return bench_ingest(Path(tmp))
