"""`make bench`: every benchmark, printed as tables and written as JSON to benchmarks/results/.

`python -m benchmarks.run [NAME ...]` runs only the named ones (see BENCHMARKS).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).parent / "results"

# name -> (module, what it measures); each module's main() prints its tables and returns its rows
BENCHMARKS = {
    "ingest_speed": ("benchmarks.ingest_speed", "ingest throughput, peak memory, store size per article"),
    "ingest_metadata": ("benchmarks.ingest_quality", "title, source and date inferred at ingest"),
    "fuzz_readers": ("benchmarks.fuzz_readers", "10,400 hostile inputs across all readers: tracebacks, hangs, memory"),
    "quotes": ("benchmarks.quotes_quality", "quotes and speakers: karabakh, sample, PolNeAR dev/test"),
    "nlp_speed": ("benchmarks.nlp_speed", "annotation + extraction against bare nlp.pipe, real news"),
    "facts": ("benchmarks.facts_quality", "numbers, aliases, distinct entities, dates: karabakh and sample"),
    "stories": ("benchmarks.stories_quality", "story clustering (ECB+), reuse (karabakh, sample, planted)"),
    "stories_speed": ("benchmarks.stories_speed", "clustering and reuse at 1k, 10k, 100k articles"),
    "paraphrase": ("benchmarks.paraphrase_quality", "paraphrase precision: hand-judged ECB+, Multi-News passages"),
    "summary": ("benchmarks.summary_quality", "ROUGE on Multi-News against LexRank and lead; citations"),
    "framing": ("benchmarks.framing_quality", "framing variants and quote variants"),
    "report": ("benchmarks.report_quality", "the whole analyze pipeline: stories, claim verdicts, timeline"),
    "screen_quality": ("benchmarks.screen_quality", "text that is not news: real articles marked, junk caught"),
    "analyze_speed": ("benchmarks.analyze_speed", "analyze vs bare nlp.pipe, re-runs, 10k/100k generated articles"),
    "ecbplus_report": ("benchmarks.ecbplus_report", "analyze on all of ECB+: conflicts and framing judged by hand"),
    "ray_speed": ("benchmarks.ray_speed", "local engine vs Ray on one machine: articles/s, peak memory, stages"),
    "ray_place": ("benchmarks.ray_place", "placement on the driver vs on Ray: driver seconds, shuffle sizes"),
    "hostile_analyze": ("benchmarks.hostile_analyze", "analyze on shapes that once made it quadratic: time, memory"),
    "kill_runs": ("benchmarks.kill_runs", "100 SIGKILLs in ingest and analyze: integrity, orphans, re-run reports"),
    "web_speed": (
        "benchmarks.web_speed",
        "storylens serve with 10,000 stories under load: requests/s, p50/p99, memory",
    ),
}

# modules that print nothing themselves
_SILENT = {"ingest_speed", "ingest_metadata", "nlp_speed"}


def table(title: str, rows: list[dict]) -> Table:
    """Rows may have different keys: every key is a column, blank where a row has none."""
    out = Table(title=title, title_justify="left")
    keys = list(dict.fromkeys(k for row in rows for k in row))
    for key in keys:
        first = next(row[key] for row in rows if key in row)
        out.add_column(key.replace("_", " "), justify="left" if isinstance(first, str) else "right")
    for row in rows:
        out.add_row(*(f"{row[k]:,}" if isinstance(row.get(k), int) else str(row.get(k, "")) for k in keys))
    return out


def main(names: list[str]) -> None:
    console = Console(width=200)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    console.print(f"[bold]storylens benchmarks[/] on {machine['cpus']} cores, Python {machine['python']}")
    RESULTS.mkdir(exist_ok=True)
    for name in names or list(BENCHMARKS):
        module, about = BENCHMARKS[name]
        console.rule(f"[bold]{name}[/]: {about}")
        started = time.perf_counter()
        rows = importlib.import_module(module).main()
        if name in _SILENT and rows:
            console.print(table(about, rows))
        seconds = round(time.perf_counter() - started, 1)
        result = {"machine": machine, "when": datetime.now(UTC).isoformat(), "seconds": seconds, "rows": rows}
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(result, indent=2, default=str))
        console.print(f"[dim]written: {out} ({result['seconds']} s)[/]")


if __name__ == "__main__":
    main(sys.argv[1:])
