"""Labels for the store's tables and columns, in Datasette's metadata format: `datasette FILE -m METADATA`.

The store opens in Datasette as it is (primary and foreign keys declared); this file tells a reader what
each table and column holds, and tells Datasette which full-text index searches the articles.
"""

from __future__ import annotations

import json
from pathlib import Path

METADATA_FILE = "datasette-metadata.json"

STORE_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "articles": ("Every article read, one row per distinct normalized text", {
        "id": "stable id: a hash of the normalized text",
        "text": "the extracted text; every offset in other tables points into it",
        "title": "headline", "url": "web address, when known", "source": "outlet or agency, known or inferred",
        "published": "ISO date or date-time, empty when unknown", "byline": "the byline as printed",
        "format": "the format it was read from", "first_path": "where it was first read from",
        "added_at": "when it entered the store", "seq": "arrival order",
    }),
    "article_paths": ("Every place each article was read from", {
        "article_id": "the article", "path": "file, file#record or URL as given",
    }),
    "annotations": ("Saved spaCy parses, so an article is parsed once per pipeline", {
        "article_id": "the article", "model": "pipeline name and version", "doc": "the parse (spaCy Doc bytes)",
    }),
    "placements": ("The story of each article; filter by story_id to list a story's articles", {
        "article_id": "the article", "story_id": "its story",
        "duplicate_of": "the article it is an exact or near-exact copy of",
    }),
    "reuse": ("Passages of article a found again in article b (wire copy, rewrites)", {
        "a": "one article", "a_start": "passage start in a", "a_end": "passage end in a",
        "b": "the other article", "b_start": "passage start in b", "b_end": "passage end in b",
        "similarity": "how alike the passages are (0-1)", "kind": "verbatim, near or paraphrase",
        "first": "the article that had it first, when dates tell",
    }),
    "indexes": ("Saved state of story placement (centroids, MinHash index)", {
        "name": "which index", "data": "its saved bytes",
    }),
    "story_results": ("Each story's analysis; `storylens export` writes it out as tables", {
        "story_id": "the story", "inputs": "hash of what the analysis was computed from",
        "version": "analysis version", "settings": "settings and pipeline that change results",
        "result": "the analysis (zlib-compressed JSON)", "errors": "steps that failed",
        "linked": "1 once its links to other stories are worked out", "analyzed_at": "when it was analysed",
    }),
    "not_articles": ("Texts read that are not news articles, kept out of stories", {
        "article_id": "the text", "reason": "why it is not taken as an article",
    }),
    "story_names": ("The folded entity names of each analysed story, to find stories that share them", {
        "name": "a folded name", "story_id": "a story naming it",
    }),
    "story_links": ("Figures two stories that share names agree on", {
        "story_id": "the story", "other": "the related story", "groups": "the agreements (zlib-compressed JSON)",
    }),
}  # fmt: skip


def store_metadata(db_path: str | Path) -> dict:
    """Datasette metadata for the store at `db_path` (Datasette names a database after its file's stem)."""
    tables = {
        name: {"description": description, "columns": columns} for name, (description, columns) in STORE_TABLES.items()
    }
    tables["articles"]["label_column"] = "title"  # what a foreign key to an article shows
    # Datasette finds a search index by `content="table"` in double quotes and joins it on rowid; the store's
    # index is declared with content='articles' and keyed by seq, so it is named here
    tables["articles"].update(fts_table="articles_fts", fts_pk="seq")
    return {
        "title": "storylens store",
        "description": "Articles, their stories and the analysis of each story, as storylens keeps them.",
        "databases": {Path(db_path).stem: {"tables": tables}},
    }


def write_store_metadata(db_path: str | Path, out_dir: str | Path) -> Path:
    """Write the store's Datasette metadata into `out_dir`; returns the file's path."""
    path = Path(out_dir) / METADATA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store_metadata(db_path), indent=2) + "\n", encoding="utf-8")
    return path
