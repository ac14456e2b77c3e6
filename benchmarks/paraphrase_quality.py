"""Paraphrase precision: the passages the alignment reports as paraphrases, against hand judgements.

`benchmarks/gold/paraphrase_pairs.json` holds passages (document ids and offsets, no text) that an earlier version
of the alignment reported as paraphrases (ECB+ topics and Multi-News sample clusters), each judged by reading: do
both state one fact, or do they only share the story's background? Each pair of articles is aligned again; an item
counts as reported when a paraphrase span pair still overlaps both of its passages. Precision is the share of
reported items judged the same fact; `kept` is the share of same-fact items still reported (the recall this set
can see). Rules may be tuned on the dev part; the test part (odd-numbered groups) is held out.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from benchmarks.summary_quality import corpus_articles, table
from storylens.stories.align import align

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "gold" / "paraphrase_pairs.json"


def _overlaps(span: list[int], start: int, end: int) -> bool:
    return start < span[1] and span[0] < end


def reported(item: dict) -> bool:
    """Whether aligning the item's two articles again still reports its passages as a paraphrase."""
    articles = corpus_articles()
    a, b = articles[item["a"]], articles[item["b"]]
    for r in align(a, b):
        if r.kind != "paraphrase":
            continue
        left, right = (a, b) if r.a == a.id else (b, a)
        spans = {left.id: (r.a_start, r.a_end), right.id: (r.b_start, r.b_end)}
        if _overlaps(item["a_span"], *spans[a.id]) and _overlaps(item["b_span"], *spans[b.id]):
            return True
    return False


def main() -> list[dict]:
    items = json.loads(GOLD.read_text())["items"]
    found = [(item, reported(item)) for item in items]
    rows = []
    for split in ("dev", "test", "all"):
        part = [(i, r) for i, r in found if split in ("all", i["split"])]
        for corpus in ("ecbplus", "multinews", "both"):
            here = [(i, r) for i, r in part if corpus in ("both", i["corpus"])]
            same = sum(i["same_fact"] for i, _ in here)
            hits = [i for i, r in here if r]
            right = sum(i["same_fact"] for i in hits)
            rows.append({"split": split, "corpus": corpus, "items": len(here), "same_fact": same,
                         "reported": len(hits), "reported_same_fact": right,
                         "precision": round(right / len(hits), 3) if hits else None,
                         "kept": round(right / same, 3) if same else None})  # fmt: skip
    Console(width=200).print(table("Paraphrases: precision on hand-judged passages", rows))
    return rows


if __name__ == "__main__":
    main()
