"""What `storylens watch` remembers of each source it polls (the `watched` table of migration 005)."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple, dataclass


@dataclass
class WatchState:
    source: str
    etag: str | None = None
    last_modified: str | None = None
    signature: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    last_error: str | None = None
    checked_at: str | None = None


def load(conn: sqlite3.Connection, sources: list[str]) -> dict[str, WatchState]:
    known = {row[0]: WatchState(*row) for row in conn.execute("SELECT * FROM watched")}
    return {s: known.get(s, WatchState(s)) for s in sources}


def save(conn: sqlite3.Connection, states: list[WatchState]) -> None:
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR REPLACE INTO watched VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [astuple(s) for s in states])
