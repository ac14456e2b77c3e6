"""Annotation + extraction throughput against spaCy's bare `nlp.pipe` on the same real news texts.

The texts are the Multi-News sample documents (real articles). Both runs parse with the same
pipeline and the same number of processes; the second also extracts quotes, claims, dates and
entity mentions from every Doc, which is what `storylens analyze` adds on top of parsing.
"""

from __future__ import annotations

import json
import os
import time

from benchmarks.gold import CORPORA
from storylens import nlp
from storylens.analysis import extract_facts
from storylens.extract.dates import extract_dates

ARTICLES = 200
MIN_WORDS = 80


def texts(limit: int = ARTICLES) -> list[str]:
    out = []
    with open(CORPORA / "multinews_sample" / "mds_sample.jsonl", encoding="utf-8") as rows:
        for line in rows:
            for doc in json.loads(line)["documents"]:
                if len(doc.split()) >= MIN_WORDS:
                    out.append(doc.strip()[:20_000])
    return out[:limit]


def main() -> list[dict]:
    sample = texts()
    words = sum(len(t.split()) for t in sample)
    processes = os.cpu_count() or 1
    pipeline = nlp.load()
    list(pipeline.pipe(sample[:10]))  # warm up
    rows = []
    for label, extract in (("spaCy nlp.pipe alone", False), ("nlp.pipe + storylens extraction", True)):
        start = time.perf_counter()
        for doc in pipeline.pipe(sample, n_process=processes, batch_size=32):
            if extract:
                extract_facts("", doc)
                extract_dates(doc, None)
        seconds = time.perf_counter() - start
        rows.append({"run": label, "articles": len(sample), "words": words, "processes": processes,
                     "seconds": round(seconds, 2), "articles_per_s": round(len(sample) / seconds, 1),
                     "words_per_s": round(words / seconds)})  # fmt: skip
    rows[1]["cost_vs_bare_pipe"] = round(rows[1]["seconds"] / rows[0]["seconds"], 3)
    rows[0]["cost_vs_bare_pipe"] = 1.0
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
