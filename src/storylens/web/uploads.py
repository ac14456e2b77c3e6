"""Files sent to the app, kept under names the server chooses: a client's file name never becomes a path."""

from __future__ import annotations

import json
from pathlib import Path

from storylens.ingest import NAME_SUFFIXES

SUFFIXES = sorted({*NAME_SUFFIXES, *(s + ".gz" for s in NAME_SUFFIXES)}, key=len, reverse=True)


class UploadError(ValueError):
    """A sent file or body that cannot be taken; the message names it and says why."""


def suffix_for(name: str) -> str:
    """The reading-relevant ending of a client's file name (`.html`, `.warc.gz`), else none: the reader then
    goes by the content. Nothing else of the name is kept."""
    lowered = name.lower()
    return next((s for s in SUFFIXES if lowered.endswith(s)), "")


def save_files(folder: Path, job_id: str, files: list[tuple[str, bytes]]) -> list[Path]:
    """Write each (client name, content) as `<job id>-<n><suffix>` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (name, content) in enumerate(files, 1):
        if not content.strip():
            raise UploadError(f"{name or f'file {n}'} is empty")
        path = folder / f"{job_id}-{n}{suffix_for(name)}"
        path.write_bytes(content)
        paths.append(path)
    return paths


def save_records(folder: Path, job_id: str, body: bytes) -> list[Path]:
    """A JSON body of article records (one object or a list), checked to be JSON, kept as a .json file."""
    try:
        records = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UploadError(f"the request body is not JSON ({err})") from None
    if not isinstance(records, dict | list) or not records:
        raise UploadError("the request body must be an article record (an object) or a non-empty list of them")
    return save_files(folder, job_id, [("records.json", body)])
