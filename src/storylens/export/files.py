"""Writing the flat tables as CSV, JSON Lines or Parquet files, one file per table."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from storylens.errors import ExportError
from storylens.export.tables import TABLES, TableSpec
from storylens.report.atomic import atomic_open

FORMATS = ("csv", "jsonl", "parquet")


def write_tables(rows: dict[str, list[dict[str, Any]]], fmt: str, out_dir: str | Path) -> list[Path]:
    """Write each table of `rows` to `out_dir`/NAME.FORMAT; returns the paths written."""
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}[fmt]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in rows.items():
        path = out / f"{name}.{fmt}"
        writer(TABLES[name], table, path)
        written.append(path)
    return written


def _write_csv(spec: TableSpec, rows: list[dict], path: Path) -> None:
    """A header row, then one line per row; empty for null, a JSON array for a list (readable by any tool)."""
    with atomic_open(path) as out:
        writer = csv.writer(out)
        writer.writerow([c.name for c in spec.columns])
        for row in rows:
            writer.writerow([_cell(c.kind, row[c.name]) for c in spec.columns])


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if kind == "list" else value


def _write_jsonl(spec: TableSpec, rows: list[dict], path: Path) -> None:
    with atomic_open(path) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(spec: TableSpec, rows: list[dict], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise ExportError(
            "Parquet needs pyarrow, which is not installed: pip install 'storylens[parquet]' (or use --format csv)"
        ) from err
    types = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "list": pa.list_(pa.string())}
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in spec.columns])
    table = pa.Table.from_pylist(rows, schema=schema)
    tmp = path.with_name(path.name + ".part")
    pq.write_table(table, tmp)
    tmp.replace(path)
