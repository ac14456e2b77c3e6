"""Screening out text that is not news: real articles wrongly marked, and junk caught, per split.

`.venv/bin/python -m benchmarks.screen_quality` prints the tables and writes results/screen_quality.json.

Real news: ECB+ (its train/dev/test topic split, short wire snippets among them), the raw Multi-News
documents (clusters 1-25 dev, 26-50 test), and karabakh, PolNeAR and the bundled sample held out.
Multi-News as published holds documents that are whole pages of scraper boilerplate (tweet-location
notices, web-archive crawl notices, a video-rental notice); NOT_ARTICLES names them, judged by reading,
and they are scored as junk that occurs in the wild, not as news. Junk: tests/junk/{dev,test}, written
for this benchmark, read with storylens.ingest as a user's files would be; a page that ingest already
skips (an HTML page with no article text) counts as caught. Thresholds were chosen on the dev splits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storylens.ingest import read_inputs
from storylens.ingest.article import build_article
from storylens.model import Article, InputError
from storylens.stories.screen import not_news_reason

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
JUNK = REPO / "tests" / "junk"

# Multi-News documents that are not articles but a page of boilerplate, (cluster id, document index) -> what it is
NOT_ARTICLES: dict[tuple[str, int], str] = {
    ("multinews-test-sample-000", 0): "tweet-location notice",
    ("multinews-test-sample-000", 2): "tweet-location notice",
    ("multinews-test-sample-001", 1): "web-archive crawl notice",
    ("multinews-test-sample-002", 2): "tweet-location notice",
    ("multinews-test-sample-009", 1): "tweet-location notice",
    ("multinews-test-sample-016", 1): "web-archive crawl notice",
    ("multinews-test-sample-017", 0): "tweet-location notice",
    ("multinews-test-sample-030", 0): "web-archive crawl notice",
    ("multinews-test-sample-033", 1): "tweet-location notice",
    ("multinews-test-sample-034", 0): "tweet-location notice",
    ("multinews-test-sample-037", 0): "web-archive crawl notice",
    ("multinews-test-sample-038", 1): "web-archive crawl notice",
    ("multinews-test-sample-038", 2): "tweet-location notice",
    ("multinews-test-sample-048", 2): "video-unavailable notice",
}


def _article(text: str, name: str, title: str | None = None) -> Article | None:
    """The record as ingest would build it from a JSON line; None when ingest itself rejects it."""
    try:
        return build_article(text, path=name, fmt="records", title=title)
    except InputError:
        return None


def ecbplus(split: str) -> list[Article]:
    with open(CORPORA / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as lines:
        docs = [d for d in map(json.loads, lines) if d["split"] == split]
    return [a for d in docs if (a := _article(d["text"], d["id"], d["title"]))]


def multinews(part: slice) -> tuple[list[Article], list[tuple[Article, str]]]:
    """The raw documents of a slice of clusters: (articles, [(boilerplate page, what it is)])."""
    rows = [json.loads(line) for line in (CORPORA / "multinews_sample" / "mds_sample.jsonl").open(encoding="utf-8")]
    articles, pages = [], []
    for row in rows[part]:
        for k, document in enumerate(row["documents"]):
            article = _article(document, f"{row['id']}#{k}")
            if article is None:
                continue
            if (row["id"], k) in NOT_ARTICLES:
                pages.append((article, NOT_ARTICLES[(row["id"], k)]))
            else:
                articles.append(article)
    return articles, pages


def polnear(split: str) -> list[Article]:
    path = CORPORA / "polnear_sample" / f"polnear_{split}_sample.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [a for r in rows if (a := _article(r["text"], r["id"], r.get("title")))]


def folder(path: Path) -> list[Article]:
    return [a for a in read_inputs([str(path)]) if isinstance(a, Article)]


def sample() -> list[Article]:
    with resources.as_file(resources.files("storylens") / "sample") as root:
        return folder(root)


def real_sets() -> list[tuple[str, str, list[Article]]]:
    """(corpus, split, articles) for every real-news set."""
    return [
        ("ecbplus", "train", ecbplus("train")),
        ("ecbplus", "dev", ecbplus("dev")),
        ("ecbplus", "test", ecbplus("test")),
        ("multinews", "dev 1-25", multinews(slice(0, 25))[0]),
        ("multinews", "test 26-50", multinews(slice(25, 50))[0]),
        ("karabakh", "held out", folder(CORPORA / "karabakh")),
        ("polnear", "held out (dev+test)", polnear("dev") + polnear("test")),
        ("bundled sample", "held out", sample()),
    ]


def junk(split: str) -> list[tuple[str, str, str | None]]:
    """(file, kind, reason) for each junk fixture; the kind is the file name before "__".

    A file that ingest already skips (no letters, no article text in the HTML) counts as caught; for a plain
    text file the screen must also catch its raw text, so that the screen stands on its own.
    """
    out = []
    for path in sorted((JUNK / split).iterdir()):
        kind = path.name.split("__")[0]
        reasons = []
        for item in read_inputs([str(path)]):
            if isinstance(item, Article):
                reasons.append(not_news_reason(item.text, item.title))
            elif path.suffix == ".txt":
                reasons.append(not_news_reason(path.read_text(encoding="utf-8")))
            else:
                reasons.append(f"skipped at ingest: {item.reason}")
        out.append((path.name, kind, reasons[0] if reasons and all(reasons) else None))
    return out


def main() -> list[dict]:
    console = Console(width=160)
    rows: list[dict] = []
    marked_real: list[dict] = []
    for corpus, split, articles in real_sets():
        marked = [(a, r) for a in articles if (r := not_news_reason(a.text, a.title))]
        marked_real += [{"corpus": corpus, "split": split, "article": a.path, "reason": r} for a, r in marked]
        rows.append({
            "bench": "real_news", "corpus": corpus, "split": split, "articles": len(articles),
            "marked_not_news": len(marked), "rate": round(len(marked) / max(1, len(articles)), 4),
        })  # fmt: skip
    _print(console, "Real news marked as not news (should be 0)", rows)
    for row in marked_real:
        console.print(f"[red]marked[/] {row['corpus']} {row['split']} {row['article']}: {row['reason']}")

    junk_rows, missed = [], []
    for split in ("dev", "test"):
        by_kind: dict[str, list[bool]] = defaultdict(list)
        for name, kind, reason in junk(split):
            by_kind[kind].append(reason is not None)
            if reason is None:
                missed.append(f"junk {split} {name}")
        for kind, caught in sorted(by_kind.items()):
            junk_rows.append({"bench": "junk", "split": split, "kind": kind, "items": len(caught),
                              "caught": sum(caught), "recall": round(sum(caught) / len(caught), 3)})  # fmt: skip
        total = [c for caught in by_kind.values() for c in caught]
        junk_rows.append({"bench": "junk", "split": split, "kind": "ALL", "items": len(total),
                          "caught": sum(total), "recall": round(sum(total) / len(total), 3)})  # fmt: skip
    for split, part in (("dev 1-25", slice(0, 25)), ("test 26-50", slice(25, 50))):
        pages = multinews(part)[1]
        caught = [p for p, _ in pages if not_news_reason(p.text, p.title)]
        missed += [f"multinews {split} {p.path} ({what})" for p, what in pages if p not in caught]
        junk_rows.append({"bench": "junk", "split": f"multinews {split}", "kind": "boilerplate pages in the corpus",
                          "items": len(pages), "caught": len(caught),
                          "recall": round(len(caught) / max(1, len(pages)), 3)})  # fmt: skip
    _print(console, "Junk caught (recall per kind)", junk_rows)
    for name in missed:
        console.print(f"[red]missed[/] {name}")
    return rows + junk_rows + [{"bench": "real_news_marked", **r} for r in marked_real]


def _print(console: Console, title: str, rows: list[dict]) -> None:
    table = Table(title=title, title_justify="left")
    keys = [k for k in rows[0] if k != "bench"]
    for key in keys:
        table.add_column(key.replace("_", " "), justify="left" if isinstance(rows[0][key], str) else "right")
    for row in rows:
        table.add_row(*(str(row[k]) for k in keys))
    console.print(table)


if __name__ == "__main__":
    from benchmarks.run import main as run

    run(["screen_quality"])
