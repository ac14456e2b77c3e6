"""`make bench`: every benchmark, printed as tables and written as JSON to benchmarks/results/."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import ingest_quality, ingest_speed

RESULTS = Path(__file__).parent / "results"


def table(title: str, rows: list[dict]) -> Table:
    out = Table(title=title, title_justify="left")
    for key in rows[0]:
        out.add_column(key.replace("_", " "), justify="left" if isinstance(rows[0][key], str) else "right")
    for row in rows:
        out.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row.values()))
    return out


def main() -> None:
    console = Console()
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    console.print(f"[bold]storylens benchmarks[/] on {machine['cpus']} cores, Python {machine['python']}")
    results = {"machine": machine, "when": datetime.now(UTC).isoformat()}
    with console.status("ingest throughput"):
        results["ingest"] = ingest_speed.main()
    console.print(table("Ingest (median of 3 runs; peak RSS of the whole process tree)", results["ingest"]))
    results["ingest_metadata"] = ingest_quality.main()
    console.print(
        table("Metadata inferred at ingest, against the sample's hand-made answers", results["ingest_metadata"])
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "bench.json"
    out.write_text(json.dumps(results, indent=2))
    console.print(f"written: {out}")


if __name__ == "__main__":
    main()
