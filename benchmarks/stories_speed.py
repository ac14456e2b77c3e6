"""Speed and memory of story clustering and reuse detection at 1,000, 10,000 and 100,000 articles.

`.venv/bin/python -m benchmarks.stories_speed`: each size runs in a fresh child process (so peak
RSS is that size's own), on synthetic articles from `benchmarks.planted`. Three stages are timed:
clustering alone (`StoryIndex.assign`), reuse candidates + verbatim/near alignment (`ReuseIndex.add`
and `align` without paraphrase), and the whole `Tracker` (all of it, paraphrases with story peers).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

from rich.console import Console
from rich.table import Table

from benchmarks.planted import generate

SIZES = (1_000, 10_000, 100_000)


def _one(n: int, stage: str) -> dict:
    from storylens.stories import ReuseIndex, StoryIndex, Tracker, align

    corpus = generate(n)
    by_id = {a.id: a for a in corpus.articles}
    start = time.perf_counter()
    if stage == "cluster":
        index = StoryIndex()
        for article in corpus.articles:
            index.assign(article)
    elif stage == "reuse":
        reuse = ReuseIndex()
        for article in corpus.articles:
            found = reuse.add(article)
            for other in found.similar[:20]:
                align(by_id[other], article, paraphrase=False)
    else:
        tracker = Tracker()
        for article in corpus.articles:
            tracker.add(article, by_id.__getitem__)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stage": stage, "articles": n, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb)}


def main(sizes: tuple[int, ...] = SIZES, stages: tuple[str, ...] = ("cluster", "reuse", "tracker")) -> list[dict]:
    console = Console()
    rows = []
    for stage in stages:
        for n in sizes:
            if stage == "tracker" and n > 10_000:
                continue  # the whole tracker at 100k takes long; clustering and reuse are the scale bars
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.stories_speed", "--one", str(n), stage],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["articles_per_s"] = round(n / row["seconds"]) if row["seconds"] else 0
            rows.append(row)
            console.print(row)
    for stage in stages:
        times = {r["articles"]: r["seconds"] for r in rows if r["stage"] == stage}
        if 10_000 in times and 100_000 in times:
            rows.append({"stage": stage, "ratio_100k_over_10k": round(times[100_000] / times[10_000], 2)})
    table = Table(title="Stories speed (synthetic articles, one process per size; peak RSS includes generation)")
    for key in ("stage", "articles", "seconds", "articles_per_s", "peak_rss_mb", "ratio_100k_over_10k"):
        table.add_column(key.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(k, "")) for k in ("stage", "articles", "seconds", "articles_per_s", "peak_rss_mb",
                                                      "ratio_100k_over_10k")))  # fmt: skip
    console.print(table)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]), sys.argv[3])))
    else:
        main()
