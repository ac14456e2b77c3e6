"""The JSON report, the contract other tools rely on: built from records, validated against the schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from storylens.report.atomic import atomic_open

SCHEMA_ID = "storylens/1"


@cache
def schema() -> dict:
    return json.loads((resources.files("storylens") / "report.schema.json").read_text(encoding="utf-8"))


def validate(report: dict) -> None:
    """Raise jsonschema.ValidationError, naming the path of the first bad field, if the report breaks the contract."""
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(report)


def empty_report() -> dict[str, Any]:
    return {"schema": SCHEMA_ID, "generated_at": datetime.now(UTC).isoformat(), "articles": [], "stories": []}


def write(report: dict, path: str, *, stories_checked: bool = False) -> None:
    """Validate, then write atomically: a run killed meanwhile leaves the file at `path` as it was.
    `stories_checked`: each story was validated in a report of its own (the schema ties no story to
    another), so only the rest is validated again."""
    validate({**report, "stories": []} if stories_checked else report)
    with atomic_open(path) as out:
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
