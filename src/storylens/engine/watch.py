"""`storylens watch`: poll feed and page URLs or a folder, and read only what changed.

A URL is asked for conditionally (the ETag and Last-Modified of its last answer), and a body equal to the last
one is not read again; a file is read again when its size or modification time changed. A source that fails
is tried again after a delay that doubles with each failure in a row (up to `MAX_BACKOFF_S`), the others go on.
What changed is written to `spool` (one file per URL) and handed back as paths for `ingest`: articles already
stored are duplicates there, and `analyze` then redoes only the stories the new articles join.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from storylens.ingest.sources import is_url
from storylens.ingest.web import Response, fetch
from storylens.model import InputError
from storylens.store import Store
from storylens.store.watched import WatchState, load, save

MAX_BACKOFF_S = 6 * 3600.0
MAX_BYTES = 50 * 1024 * 1024

Fetch = Callable[[str, int, dict[str, str]], Response]


@dataclass
class PollResult:
    changed: list[str] = field(default_factory=list)  # paths to ingest: spool files and changed files
    unchanged: int = 0
    waiting: int = 0  # sources backing off after errors, not polled this time
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


def watched_sources(target: Path) -> list[str]:
    """A folder: every file under it. A file: one URL or path a line (blank lines and `#` comments skipped)."""
    if target.is_dir():
        return sorted(str(p) for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
    lines = target.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def poll(store: Store, sources: list[str], spool: Path, every_s: float, fetcher: Fetch = fetch) -> PollResult:
    """Check each source that is due; what changed comes back as paths to ingest."""
    result = PollResult()
    now = time.time()
    states = load(store.conn, sources)
    for source, state in states.items():
        if state.next_poll > now:
            result.waiting += 1
            continue
        state.checked_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            path = _check_url(state, spool, fetcher) if is_url(source) else _check_file(state)
        except (InputError, OSError) as err:
            state.failures += 1
            state.last_error = str(err)
            state.next_poll = now + min(every_s * 2**state.failures, MAX_BACKOFF_S)
            result.errors.append((source, state.last_error))
            continue
        state.failures, state.last_error, state.next_poll = 0, None, now + every_s
        if path:
            result.changed.append(path)
        else:
            result.unchanged += 1
    save(store.conn, list(states.values()))
    return result


def _check_url(state: WatchState, spool: Path, fetcher: Fetch) -> str | None:
    validators = {}
    if state.etag:
        validators["If-None-Match"] = state.etag
    if state.last_modified:
        validators["If-Modified-Since"] = state.last_modified
    answer = fetcher(state.source, MAX_BYTES, validators)
    state.etag = answer.etag or state.etag
    state.last_modified = answer.last_modified or state.last_modified
    if answer.not_modified:
        return None
    signature = hashlib.sha256(answer.body).hexdigest()
    if signature == state.signature:  # a server without validators sent the same body again
        return None
    state.signature = signature
    spool.mkdir(parents=True, exist_ok=True)
    path = spool / f"{hashlib.sha1(state.source.encode()).hexdigest()[:16]}"
    path.write_bytes(answer.body)
    return str(path)


def _check_file(state: WatchState) -> str | None:
    stat = Path(state.source).stat()
    signature = f"{stat.st_mtime_ns}:{stat.st_size}"
    if signature == state.signature:
        return None
    state.signature = signature
    return state.source


def parse_every(text: str) -> float:
    """`90s`, `10m`, `2h`, or plain seconds, as seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "s")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise ValueError(f"{text!r} is not a duration: write it as 90s, 10m or 2h") from None
    if seconds < 1:
        raise ValueError(f"{text!r} is too short: poll at most once a second")
    return seconds
