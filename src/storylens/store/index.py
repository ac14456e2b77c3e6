"""The rows the story list, entity pages and search read (migration 005), kept in step with each story's
stored analysis: written in the transaction that stores it, so listing or searching never decodes one."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from storylens.compare.entities import SpeakerEntities
from storylens.model import StoryResult
from storylens.store.codec import decode

INDEX_TABLES = ("story_list", "story_sources", "quotes", "entities")


def index_story(cur: sqlite3.Cursor, story_id: str, data: bytes) -> None:
    """Replace what the list, entity pages and search hold of this story by what its analysis `data` says."""
    result = decode(StoryResult, data)
    forget_story(cur, story_id)
    members = cur.execute(
        "SELECT a.id, a.title, a.source, a.published, p.duplicate_of FROM placements p "
        "JOIN articles a ON a.id = p.article_id WHERE p.story_id = ? ORDER BY a.seq",
        (story_id,),
    ).fetchall()
    originals = [m for m in members if m[4] is None] or members
    sources = sorted({m[2] for m in members if m[2]})
    dates = sorted(m[3] for m in members if m[3])
    # the report's story title: the headline of the earliest dated original (undated ones last) that has one
    titled = sorted((m for m in originals if m[1]), key=lambda m: m[3] or "~")
    original_ids = {m[0] for m in originals}
    quotes = [
        (aid, q)
        for aid, facts in result.facts.items()
        if aid in original_ids
        for q in facts.quotes
        if q.kind != "mixed"  # their quoted words are a direct quote of their own
    ]
    conflicts = sum(1 for g in result.claim_groups if g.verdict != "agree")
    cur.execute(
        "INSERT INTO story_list VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (story_id, titled[0][1] if titled else None, len(members), json.dumps(sources), conflicts, len(quotes),
         dates[0] if dates else None, dates[-1] if dates else None, _now()),
    )  # fmt: skip
    cur.executemany("INSERT INTO story_sources (source, story_id) VALUES (?, ?)", [(s, story_id) for s in sources])
    speaker_entity = SpeakerEntities(result.entities)
    cur.executemany(
        'INSERT INTO quotes (story_id, article_id, speaker, speaker_entity, text, kind, start, "end") '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(story_id, aid, q.speaker, speaker_entity(q, aid), q.text, q.kind, q.start, q.end) for aid, q in quotes],
    )
    cur.executemany(
        "INSERT INTO entities (entity_id, story_id, name, type, aliases, mentions) VALUES (?, ?, ?, ?, ?, ?)",
        [(e.id, story_id, e.name, e.type, "\n".join(e.aliases), e.mentions) for e in result.entities],
    )


def forget_story(cur: sqlite3.Cursor, story_id: str) -> None:
    for table in INDEX_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))


def unindexed(conn: sqlite3.Connection) -> list[str]:
    """Stories analysed before the store had these rows (a store made by an older storylens)."""
    sql = "SELECT story_id FROM story_results WHERE story_id NOT IN (SELECT story_id FROM story_list)"
    return [r[0] for r in conn.execute(sql)]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
