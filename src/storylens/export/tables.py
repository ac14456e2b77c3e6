"""The report (report.schema.json) as flat tables whose ids join.

Each table holds one kind of record of the report, with the report's field names; a record that sits
inside a story gets the story's id in `story`. Lists of ids that a row would otherwise hold (the claims
of an agreement or conflict) are a table of their own, so every table stays flat; short lists that are
only read (an entity's aliases) stay a list column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | int | float | list (of text)
    description: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    key: tuple[str, ...]  # the columns that identify a row
    columns: tuple[Column, ...]


def _c(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, description)


_STORY = _c("story", "text", "id of the story (stories.id)")
_ARTICLE = _c("article", "text", "id of the article (articles.id)")
_START = _c("start", "int", "character offset into the article's text where it begins")
_END = _c("end", "int", "character offset where it ends (exclusive)")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec("articles", "Every article read, one row per distinct text", ("id",), (
            _c("id", "text", "stable id: a hash of the normalized text"),
            _STORY,
            _c("path", "text", "file (or file#record) it was read from"),
            _c("url", "text", "its web address, when known"),
            _c("title", "text", "headline"),
            _c("source", "text", "outlet or agency, when known or inferred"),
            _c("published", "text", "ISO date or date-time; empty when unknown"),
            _c("byline", "text", "the byline as printed"),
            _c("duplicate_of", "text", "id of the article it is an exact or near-exact copy of"),
            _c("originality", "float", "share of its content not found earlier or elsewhere in its story (0-1)"),
            _c("also_read_from", "list", "other paths the same text was read from"),
            _c("text", "text", "the extracted text; every offset points into it"),
        )),
        TableSpec("stories", "Stories: articles that report the same events", ("id",), (
            _c("id", "text", "stable id of the story"),
            _c("title", "text", "headline of its earliest titled article"),
            _c("article_count", "int", "articles in the story"),
            _c("summary", "text", "extractive summary; its sentences cite articles in the report"),
            _c("errors", "list", "analysis steps that failed, as 'step: error'"),
        )),
        TableSpec("entities", "People, organisations and places named in a story, aliases merged", ("story", "id"), (
            _STORY,
            _c("id", "text", "entity id, unique within its story"),
            _c("name", "text", "canonical name, the fullest form seen"),
            _c("type", "text", "PERSON, ORG, GPE, LOC, NORP, EVENT, ..."),
            _c("mentions", "int", "times it is named in the story"),
            _c("aliases", "list", "every form of the name seen"),
            _c("articles", "list", "ids of the articles that name it"),
        )),
        TableSpec("quotes", "What was said and by whom", ("story", "id"), (
            _STORY,
            _c("id", "text", "article:start-end, unique within its story"),
            _ARTICLE, _START, _END,
            _c("kind", "text", "direct, indirect or mixed"),
            _c("speaker", "text", "the speaker as the article names them"),
            _c("speaker_entity", "text", "entity id of the speaker (entities.id in the same story)"),
            _c("cue", "text", "the reporting verb"),
            _c("text", "text", "the quoted words"),
        )),
        TableSpec("claims", "Numbers the articles state, and figures of related stories a story is compared with",
                  ("story", "id"), (
            _STORY,
            _c("id", "text", "claim id, unique across the report"),
            _ARTICLE, _START, _END,
            _c("quantity", "text", "what is counted or measured"),
            _c("value", "text", "the number, or a normalized phrase such as '2 hours'"),
            _c("value_number", "float", "the value when it is a number"),
            _c("unit", "text", "unit of the value"),
            _c("qualifier", "text", "at least, more than, about, up to, ..."),
            _c("attributed_to", "text", "who the article says gave the figure"),
            _c("text", "text", "the sentence stating it"),
        )),
        TableSpec("claim_groups", "Agreements and conflicts: claims about one quantity compared", ("id",), (
            _c("id", "text", "story id:g<n>, stable for a given analysis"),
            _STORY,
            _c("verdict", "text", "agree or conflict"),
            _c("about", "text", "the quantity compared"),
            _c("explanation", "text", "why the claims cannot all be true (conflicts)"),
            _c("evidence", "text", "the word that tells what the figures count (conflicts)"),
            _c("pair_a", "text", "claim id of the clearest disagreeing pair (conflicts)"),
            _c("pair_b", "text", "claim id of the other side of that pair (conflicts)"),
            _c("other_story", "text", "for an agreement with a related story: its id"),
            _c("claim_count", "int", "claims in the group (claim_group_members)"),
        )),
        TableSpec("claim_group_members", "The claims of each agreement or conflict", ("group", "claim"), (
            _c("group", "text", "claim_groups.id"),
            _STORY,
            _c("claim", "text", "claims.id"),
        )),
        TableSpec("reuse", "Passages of article a found again in article b (wire copy, rewrites)",
                  ("story", "a", "a_start", "b", "b_start"), (
            _STORY,
            _c("a", "text", "id of one article"),
            _c("a_start", "int", "where the passage begins in a"),
            _c("a_end", "int", "where it ends in a"),
            _c("b", "text", "id of the other article"),
            _c("b_start", "int", "where the passage begins in b"),
            _c("b_end", "int", "where it ends in b"),
            _c("similarity", "float", "how alike the two passages are (0-1)"),
            _c("kind", "text", "verbatim, near or paraphrase"),
            _c("first", "text", "the article that had it first, when dates tell"),
        )),
    )
}  # fmt: skip


def report_rows(report: dict) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table from a report dict; each row has the columns of its TableSpec, in order."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rows["articles"] = [{**a, "also_read_from": a.get("also_read_from") or []} for a in report["articles"]]
    for story in report["stories"]:
        _story_rows(story, rows)
    return {name: [_in_order(TABLES[name], row) for row in table] for name, table in rows.items()}


def _story_rows(story: dict, rows: dict[str, list[dict]]) -> None:
    sid = story["id"]
    rows["stories"].append({
        "id": sid, "title": story["title"], "article_count": len(story["articles"]),
        "summary": " ".join(s["text"] for s in story["summary"]),
        "errors": [f"{e['stage']}: {e['error']}" for e in story.get("errors", [])],
    })  # fmt: skip
    rows["entities"] += [{**e, "story": sid} for e in story["entities"]]
    rows["quotes"] += [{**q, "story": sid, "id": f"{q['article']}:{q['start']}-{q['end']}"} for q in story["quotes"]]
    rows["claims"] += [
        {**c, "story": sid, "value": str(c["value"]), "value_number": _number(c["value"])} for c in story["claims"]
    ]
    groups = [("agree", g) for g in story.get("agreements", [])] + [("conflict", g) for g in story["conflicts"]]
    for n, (verdict, group) in enumerate(groups):
        gid = f"{sid}:g{n}"
        pair = group.get("pair") or [None, None]
        rows["claim_groups"].append({
            **group, "id": gid, "story": sid, "verdict": verdict, "pair_a": pair[0], "pair_b": pair[1],
            "claim_count": len(group["claims"]),
        })  # fmt: skip
        rows["claim_group_members"] += [{"group": gid, "story": sid, "claim": c} for c in group["claims"]]
    rows["reuse"] += [{**r, "story": sid} for r in story["reuse"]]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _in_order(spec: TableSpec, row: dict) -> dict:
    return {c.name: row.get(c.name) for c in spec.columns}
