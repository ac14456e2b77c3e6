"""The full list of skipped inputs, for a run that skips more than a terminal table shows."""

from __future__ import annotations

import os
import tempfile

from storylens.model import Skipped


def write_skipped(skipped: list[Skipped], path: str) -> None:
    """Write every skipped input and its reason as TSV (`input<TAB>reason`, one per line).

    Tabs, newlines and backslashes inside a field are written as `\\t`, `\\n` and `\\\\`. The file is
    written under a temporary name and renamed, so it is complete or absent.
    """
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as out:
        out.write("input\treason\n")
        for item in skipped:
            out.write(f"{_field(item.path)}\t{_field(item.reason)}\n")
    os.replace(out.name, path)


def _field(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
