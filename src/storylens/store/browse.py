"""Reading what the web app shows from the rows of migration 005: the story list, search, entities, sources.

Every query here reads columns and indexes, never a stored analysis, so each stays fast with 10,000 stories.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field

# snippet() marks a hit with these (private-use characters no article holds), so that the snippet can be
# escaped first and the marks made into <mark> after
HIT_START, HIT_END = "\ue000", "\ue001"
_WORD = re.compile(r"(\w+)(\*?)", re.UNICODE)
RANKED = 200  # matches of each kind ranked by BM25: the newest ones


@dataclass
class StoryRow:
    id: str
    title: str | None
    articles: int
    sources: list[str]
    conflicts: int
    quotes: int
    first_published: str | None
    last_published: str | None
    updated_at: str


@dataclass
class Hit:
    kind: str  # article | quote | entity
    article: str | None
    story: str | None
    title: str | None
    snippet: str  # with HIT_START / HIT_END around the matched words
    score: float
    entity: str | None = None
    start: int | None = None  # where a quote stands in its article
    end: int | None = None


@dataclass
class EntityInfo:
    id: str
    name: str
    type: str
    names: list[str]
    stories: list[StoryRow]
    quotes: list[dict] = field(default_factory=list)


def stories(
    conn: sqlite3.Connection,
    *,
    limit: int = 50,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
) -> tuple[list[StoryRow], int]:
    """Analysed stories, newest and then largest first, and how many match in all. `since`/`until` are ISO
    dates the story's newest article falls within; `source` an outlet it has."""
    where, args = [], []
    if since:
        where.append("last_published >= ?")
        args.append(since)
    if until:
        where.append("last_published < ?")
        args.append(_next_day(until))
    if source:
        where.append("story_id IN (SELECT story_id FROM story_sources WHERE source = ?)")
        args.append(source)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM story_list {clause}", args).fetchone()[0]
    # the page's ids first, from the covering index (an offset skips index entries, not whole rows), then its rows
    order = "ORDER BY last_published DESC, articles DESC, story_id"
    rows = conn.execute(
        f"SELECT * FROM story_list WHERE story_id IN "
        f"(SELECT story_id FROM story_list {clause} {order} LIMIT ? OFFSET ?) {order}",
        [*args, limit, offset],
    )
    return [_story_row(r) for r in rows], total


def story_rows(conn: sqlite3.Connection, story_ids: list[str]) -> dict[str, StoryRow]:
    marks = ",".join("?" * len(story_ids))
    rows = conn.execute(f"SELECT * FROM story_list WHERE story_id IN ({marks})", story_ids)
    return {r[0]: _story_row(r) for r in rows}


def story_fingerprint(conn: sqlite3.Connection, story_id: str) -> str | None:
    """A hash of every row a story's page is made from: its stored analysis, its articles in order (with the one
    each copies), the reuse between them and its links to other stories; None when it has no stored analysis.
    An article's row never changes once stored (its id is its text's hash; a text read again only gains a path,
    which a page does not show), so the rows that place articles name them all."""
    row = conn.execute("SELECT result FROM story_results WHERE story_id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    digest = hashlib.blake2b(row[0], digest_size=16)
    for sql in _STORY_ROWS:
        digest.update(repr(conn.execute(sql, (story_id,)).fetchall()).encode("utf-8"))
    return digest.hexdigest()


_STORY_ROWS = (
    "SELECT p.article_id, p.duplicate_of FROM placements p JOIN articles a ON a.id = p.article_id "
    "WHERE p.story_id = ? ORDER BY a.seq",
    "SELECT r.* FROM placements p JOIN reuse r ON r.a = p.article_id "
    "JOIN placements q ON q.article_id = r.b AND q.story_id = p.story_id WHERE p.story_id = ? "
    "ORDER BY r.a, r.a_start, r.b, r.b_start",
    "SELECT other, groups FROM story_links WHERE story_id = ? ORDER BY other",
)


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query that cannot be a syntax error: every word quoted and required; a word
    typed with a trailing `*` is a prefix (`evacuat*`). None when there is no word.

    Only on request: a prefix query merges the lists of every word it starts, several times slower."""
    words = _WORD.findall(text)[:12]
    if not words:
        return None
    return " ".join(f'"{word}"{star}' for word, star in words)


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Hit]:
    """Articles, quotes and entities matching `text`, best first: BM25 within each kind, merged.

    Each kind is ranked among its newest `RANKED` matches: BM25 has to score every row it orders, and a common
    word matches most of a large archive; the newest matches are found without scoring (FTS5 keeps rows in
    rowid order, and rowids grow with arrival)."""
    query = fts_query(text)
    if query is None:
        return []
    marks = (HIT_START, HIT_END, "\u2026")
    hits = [
        Hit("article", aid, story, title, snip, score)
        for aid, story, title, snip, score in conn.execute(
            "SELECT a.id, p.story_id, a.title, snippet(articles_fts, -1, ?, ?, ?, 16), bm25(articles_fts, 4.0, 1.0) "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "LEFT JOIN placements p ON p.article_id = a.id "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? ORDER BY 5 LIMIT ?",
            (*marks, query, _newest(conn, "articles_fts", query), limit),
        )
    ]
    hits += [
        Hit("quote", aid, story, speaker, snip, score, start=start, end=end)
        for aid, story, speaker, snip, score, start, end in conn.execute(
            "SELECT q.article_id, q.story_id, q.speaker, snippet(quotes_fts, -1, ?, ?, ?, 16), bm25(quotes_fts), "
            'q.start, q."end" FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid '
            "WHERE quotes_fts MATCH ? AND quotes_fts.rowid >= ? ORDER BY 5 LIMIT ?",
            (*marks, query, _newest(conn, "quotes_fts", query), limit),
        )
    ]
    hits += [
        Hit("entity", None, story, name, snip, score, entity=eid)
        for eid, story, name, snip, score in conn.execute(
            "SELECT e.entity_id, e.story_id, e.name, snippet(entities_fts, -1, ?, ?, ?, 8), bm25(entities_fts) "
            "FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid "
            "WHERE entities_fts MATCH ? AND entities_fts.rowid >= ? ORDER BY 5 LIMIT ?",
            (*marks, query, _newest(conn, "entities_fts", query), limit),
        )
    ]
    return sorted(hits, key=lambda h: h.score)[:limit]


def _newest(conn: sqlite3.Connection, table: str, query: str) -> int:
    """The smallest rowid among the newest `RANKED` matches of `query` in an FTS5 table (0 when fewer match)."""
    row = conn.execute(
        f"SELECT MIN(rowid) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?)",
        (query, RANKED),
    ).fetchone()
    return row[0] or 0


def entity(conn: sqlite3.Connection, entity_id: str) -> EntityInfo | None:
    """An entity across every story that names it: its stories, every name it goes by, what it is quoted saying."""
    rows = conn.execute(
        "SELECT story_id, name, type, aliases, mentions FROM entities WHERE entity_id = ?", (entity_id,)
    ).fetchall()
    if not rows:
        return None
    names: dict[str, int] = {}
    for _story, name, _type, aliases, mentions in rows:
        for alias in [name, *aliases.split("\n")]:
            if alias:
                names[alias] = names.get(alias, 0) + mentions
    best = max(rows, key=lambda r: r[4])
    by_id = story_rows(conn, sorted({r[0] for r in rows}))
    listed = sorted(by_id.values(), key=lambda s: (s.last_published or "", s.articles), reverse=True)
    quotes = [
        {"story": story, "article": article, "speaker": speaker, "text": text, "kind": kind, "start": start,
         "end": end}
        for story, article, speaker, text, kind, start, end in conn.execute(
            'SELECT story_id, article_id, speaker, text, kind, start, "end" FROM quotes WHERE speaker_entity = ? '
            "ORDER BY story_id, article_id, start",
            (entity_id,),
        )
    ]  # fmt: skip
    return EntityInfo(entity_id, best[1], best[2], sorted(names, key=lambda n: (-names[n], n)), listed, quotes)


def article_quotes(conn: sqlite3.Connection, article_id: str) -> list[dict]:
    rows = conn.execute(
        'SELECT speaker, speaker_entity, text, kind, start, "end" FROM quotes WHERE article_id = ? ORDER BY start',
        (article_id,),
    )
    keys = ("speaker", "speaker_entity", "text", "kind", "start", "end")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def sources(conn: sqlite3.Connection) -> list[dict]:
    """Per outlet: its articles in stories, their characters, and how many of those it had from an article
    that published them first (reused wire copy), largest outlets first."""
    sql = """
        WITH later AS (  -- passages each article had from another that published them first
            SELECT b AS article, b_end - b_start AS chars FROM reuse WHERE first = a
            UNION ALL SELECT a, a_end - a_start FROM reuse WHERE first = b
        ), reused AS (SELECT article, SUM(chars) AS chars FROM later GROUP BY article)
        SELECT COALESCE(a.source, ''), COUNT(*), SUM(LENGTH(a.text)),
               SUM(MIN(COALESCE(r.chars, 0), LENGTH(a.text))), SUM(r.chars IS NOT NULL)
        FROM articles a JOIN placements p ON p.article_id = a.id LEFT JOIN reused r ON r.article = a.id
        GROUP BY 1 ORDER BY 2 DESC, 1
    """
    out = []
    for source, articles, chars, reused, reusing in conn.execute(sql):
        out.append({
            "source": source or None, "articles": articles, "chars": chars, "reused_chars": reused,
            "articles_reusing": reusing, "original_share": round(1 - reused / chars, 3) if chars else 1.0,
        })  # fmt: skip
    return out


def changed_since(conn: sqlite3.Connection, when: str) -> int:
    """How many stories were analysed again (new or updated) after `when` (an ISO time)."""
    return conn.execute("SELECT COUNT(*) FROM story_list WHERE updated_at > ?", (when,)).fetchone()[0]


def _story_row(row: tuple) -> StoryRow:
    story_id, title, articles, sources_json, conflicts, quotes, first, last, updated = row
    return StoryRow(story_id, title, articles, json.loads(sources_json), conflicts, quotes, first, last, updated)


def _next_day(day: str) -> str:
    """The smallest ISO string after every date-time on `day` (`2024-05-01` -> `2024-05-01~`)."""
    return day[:10] + "~"
