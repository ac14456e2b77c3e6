"""What a person sees of one story, computed once from the JSON report for every rendering."""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from storylens.report.highlight import Mark, Segment, segments


@dataclass
class ArticleView:
    id: str
    number: int  # 1-based, the citation label [n]
    label: str  # source, or a short id when the source is unknown
    article: dict
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Edge:
    source: int  # article number that had the passage first (or the first of the pair)
    target: int
    chars: int
    kinds: list[str]
    directed: bool


@dataclass
class StoryView:
    story: dict
    articles: list[ArticleView]
    by_id: dict[str, ArticleView]
    quotes_by_speaker: list[tuple[str, list[dict]]]
    matrix_rows: list[tuple[str, dict[str, str]]]  # fact -> article id -> what it says
    edges: list[Edge]
    positions: dict[int, tuple[float, float]]
    claims_by_id: dict[str, dict]
    cite: dict[str, str]  # any article id the story mentions -> "[n] source", or "source (another story)"
    chips: list[list[tuple[int, str]]]  # per summary sentence: (article number, anchor) once per article


def story_view(report: dict, story: dict) -> StoryView:
    all_articles = {a["id"]: a for a in report["articles"]}
    ordered = sorted((all_articles[i] for i in story["articles"]), key=lambda a: (a.get("published") or "~", a["id"]))
    views = [ArticleView(a["id"], n, article_label(a), a) for n, a in enumerate(ordered, 1)]
    by_id = {v.id: v for v in views}
    _highlight(story, by_id)
    claims_by_id = {c["id"]: c for c in story.get("claims", [])}
    cite = cite_labels(report, views)
    return StoryView(
        story=story,
        articles=views,
        by_id=by_id,
        quotes_by_speaker=_quotes_by_speaker(story),
        matrix_rows=_coverage(story, claims_by_id),
        edges=_edges(story, by_id),
        positions=_circle(len(views)),
        claims_by_id=claims_by_id,
        cite=cite,
        chips=[_chips(sentence, by_id, n) for n, sentence in enumerate(story.get("summary", []), 1)],
    )


def cite_labels(report: dict, views: list[ArticleView], text: Callable[[str], str] = str) -> dict[str, str]:
    """Any article id the story mentions -> `[n] source`, or `source (another story)`; `text` escapes the source."""
    cite = {a["id"]: f"{text(article_label(a))} (another story)" for a in report["articles"]}
    cite.update({v.id: f"[{v.number}] {text(v.label)}" for v in views})
    return cite


def _chips(sentence: dict, by_id: dict[str, ArticleView], index: int) -> list[tuple[int, str]]:
    """One citation mark per article, linking to its first span that holds the sentence."""
    seen: dict[int, str] = {}
    for span in sentence["sources"]:
        if span["article"] in by_id:
            seen.setdefault(by_id[span["article"]].number, f"s{index}-{span['article']}-{span['start']}")
    return sorted(seen.items())


def article_label(article: dict) -> str:
    """The outlet, else the file the article was read from."""
    if article.get("source"):
        return article["source"]
    path = (article.get("path") or "").rstrip("/")
    return os.path.basename(path) or f"article {article['id'][:6]}"


def _highlight(story: dict, by_id: dict[str, ArticleView]) -> None:
    marks: dict[str, list[Mark]] = defaultdict(list)
    for q in story.get("quotes", []):
        marks[q["article"]].append(Mark(q["start"], q["end"], "quote", f"{q.get('speaker') or 'unattributed'}"))
    for c in story.get("claims", []):
        marks[c["article"]].append(Mark(c["start"], c["end"], "claim", f"{c['quantity']}: {c['value']}"))
    for r in story.get("reuse", []):
        for side, other in (("a", "b"), ("b", "a")):
            other_label = by_id[r[other]].label if r[other] in by_id else r[other][:6]
            title = f"{r['kind']} reuse with {other_label} ({r['similarity']:.2f})"
            marks[r[side]].append(Mark(r[f"{side}_start"], r[f"{side}_end"], f"reuse-{r['kind']}", title))
    for s_index, sentence in enumerate(story.get("summary", []), 1):
        for span in sentence["sources"]:
            anchor = f"s{s_index}-{span['article']}-{span['start']}"
            marks[span["article"]].append(
                Mark(span["start"], span["end"], "cited", f"summary sentence {s_index}", anchor)
            )
    for view in by_id.values():
        view.segments = segments(view.article["text"], marks[view.id])


def _quotes_by_speaker(story: dict) -> list[tuple[str, list[dict]]]:
    """Quotes grouped by who said them: by entity where the speaker is one (`Delmar`, `Oksana Delmar`)."""
    names = {e["id"]: e["name"] for e in story.get("entities", [])}
    groups: dict[str, list[dict]] = defaultdict(list)
    for q in story.get("quotes", []):
        key = names.get(q.get("speaker_entity") or "") or q.get("speaker") or "(no speaker named)"
        groups[key].append(q)
    return sorted(groups.items(), key=lambda item: (-len({q["article"] for q in item[1]}), item[0]))


def _coverage(story: dict, claims_by_id: dict[str, dict]) -> list[tuple[str, dict[str, str]]]:
    """Rows of the coverage matrix: each compared quantity, and who reported which value."""
    rows = []
    for group in story.get("agreements", []) + story.get("conflicts", []):
        cells: dict[str, str] = {}
        for cid in group["claims"]:
            claim = claims_by_id.get(cid)
            if claim and claim["article"] in story["articles"]:
                value = f"{claim.get('qualifier') + ' ' if claim.get('qualifier') else ''}{claim['value']}"
                cells[claim["article"]] = f"{cells[claim['article']]}; {value}" if claim["article"] in cells else value
        rows.append((group["about"], cells))
    return rows


def _edges(story: dict, by_id: dict[str, ArticleView]) -> list[Edge]:
    """One edge per pair of articles that share passages, from the one that had them first."""
    pairs: dict[tuple[str, str], Edge] = {}
    for r in story.get("reuse", []):
        a, b = r["a"], r["b"]
        if a not in by_id or b not in by_id:
            continue
        first, second, directed = _order(by_id[a].article, by_id[b].article)
        key = (first["id"], second["id"])
        edge = pairs.setdefault(key, Edge(by_id[key[0]].number, by_id[key[1]].number, 0, [], directed))
        edge.chars += r["a_end"] - r["a_start"]
        if r["kind"] not in edge.kinds:
            edge.kinds.append(r["kind"])
    return sorted(pairs.values(), key=lambda e: -e.chars)


def _order(a: dict, b: dict) -> tuple[dict, dict, bool]:
    if a.get("published") and b.get("published") and a["published"] != b["published"]:
        return (a, b, True) if a["published"] < b["published"] else (b, a, True)
    return a, b, False


def _circle(count: int, radius: float = 150.0, centre: float = 200.0) -> dict[int, tuple[float, float]]:
    return {
        n: (
            round(centre + radius * math.cos(2 * math.pi * (n - 1) / max(count, 1) - math.pi / 2), 1),
            round(centre + radius * math.sin(2 * math.pi * (n - 1) / max(count, 1) - math.pi / 2), 1),
        )
        for n in range(1, count + 1)
    }
