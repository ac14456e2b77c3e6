"""Reading the store for the pages and the API: one connection per server thread, and one story's report."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException

from storylens.engine.analyze import analyzed_stories
from storylens.report.build import build_report, story_title
from storylens.report.highlight import Mark, Segment, segments
from storylens.report.view import article_label
from storylens.store import Store, browse


class Stores:
    """A store connection per thread: the server answers from a pool of threads, and a sqlite3 connection
    belongs to the thread that opened it. The file was checked once when the app started."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.local = threading.local()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = Store(self.db, check=False)
        return store


def story_report(store: Store, story_id: str) -> dict:
    """The report (the schema's shape) of one analysed story; 404 when there is no such story."""
    analysed, _ = analyzed_stories(store, [story_id])
    if not analysed:
        raise HTTPException(404, f"no analysed story {story_id!r}")
    return build_report(analysed)


def article_report(store: Store, article_id: str) -> dict:
    """The report of the story an article is in; 404 when it is in none, or its story is not analysed."""
    placed = store.placements([article_id])
    if article_id not in placed:
        raise HTTPException(404, f"no article {article_id!r} in a story")
    return story_report(store, placed[article_id][0])


def titled(store: Store, rows: list[browse.StoryRow]) -> list[browse.StoryRow]:
    """Rows with a title: a story none of whose articles has a headline is named by its first words, as in
    the report."""
    untitled = [r for r in rows if not r.title]
    if untitled:
        members = store.story_members([r.id for r in untitled])
        for row in untitled:
            first = [a for a, dup in members.get(row.id, []) if dup is None][:1] or [a for a, _ in members[row.id][:1]]
            row.title = story_title(store.articles_by_id(first)) if first else row.id
    return rows


@dataclass
class ReusedPassage:
    start: int
    end: int
    text: str
    kind: str
    others: list[dict]  # {article, label, title, start, end, first: bool}
    first: str | None  # the article that had it first, when dates tell


@dataclass
class ArticlePage:
    article: dict
    story: dict
    segments: list[Segment]
    quotes: list[dict]
    claims: list[dict]
    reused: list[ReusedPassage]


def article_page(report: dict, article_id: str) -> ArticlePage:
    """An article with its quotes, numbers and reused passages highlighted; each passage with every other
    article that has it and which one had it first."""
    story = report["stories"][0]
    articles = {a["id"]: a for a in report["articles"]}
    article = articles[article_id]
    quotes = [q for q in story["quotes"] if q["article"] == article_id]
    claims = [c for c in story["claims"] if c["article"] == article_id]
    passages: dict[tuple[int, int], ReusedPassage] = {}
    for r in story["reuse"]:
        for side, other in (("a", "b"), ("b", "a")):
            if r[side] != article_id or r[other] not in articles:
                continue
            start, end = r[f"{side}_start"], r[f"{side}_end"]
            passage = passages.setdefault(
                (start, end), ReusedPassage(start, end, article["text"][start:end], r["kind"], [], r["first"])
            )
            passage.others.append({
                "article": r[other], "label": article_label(articles[r[other]]), "title": articles[r[other]]["title"],
                "start": r[f"{other}_start"], "end": r[f"{other}_end"], "first": r["first"] == r[other],
            })  # fmt: skip
    marks = [Mark(q["start"], q["end"], "quote", q.get("speaker") or "unattributed") for q in quotes]
    marks += [
        Mark(c["start"], c["end"], "claim", f"{c['quantity']}: {c['value']}", f"claim-{c['start']}") for c in claims
    ]
    marks += [Mark(p.start, p.end, f"reuse-{p.kind}", "reused passage", f"p-{p.start}") for p in passages.values()]
    return ArticlePage(
        article=article,
        story=story,
        segments=segments(article["text"], marks),
        quotes=quotes,
        claims=claims,
        reused=sorted(passages.values(), key=lambda p: p.start),
    )
