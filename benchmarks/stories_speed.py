"""Speed and memory of story clustering and reuse detection at 1,000, 10,000 and 100,000 articles.

`.venv/bin/python -m benchmarks.stories_speed`: each size runs in a fresh child process (so peak
RSS is that size's own), on synthetic articles from `benchmarks.planted`. Three stages are timed:
clustering alone (`StoryIndex.assign`, then the end of a run's second look, `reseat`, whose seconds are also
given apart as `second_look_s`), reuse candidates + verbatim/near alignment (`ReuseIndex.add`
and `align` without paraphrase), and the whole `Tracker` (all of it, paraphrases with story peers).

The generated corpus is frozen out of the garbage collector's reach (`gc.freeze()`) before the clock
starts: a real run reads articles from the store a batch at a time, it does not hold 100,000 Article
objects, and full collections walking them would be charged to the stage. Peak RSS still includes
them; `rss_before_mb` is the process after generation, so the stage's own memory is the difference.
`aligned_per_article` is how many candidate pairs were aligned per article (it should not grow
with the corpus: if it does, time grows with its square).
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time

from rich.console import Console
from rich.table import Table

from benchmarks.planted import generate

SIZES = (1_000, 10_000, 100_000)


def _peak_mb() -> float:
    """This process's peak RSS. Linux keeps ru_maxrss across exec, so a child started by a big parent
    (`make bench` after other benchmarks) would report the parent's peak: read VmHWM, which starts afresh."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(n: int, stage: str) -> dict:
    from storylens.stories import ReuseIndex, StoryIndex, Tracker, align
    from storylens.stories.cluster import arrival_terms

    corpus = generate(n)
    by_id = {a.id: a for a in corpus.articles}
    gc.collect()
    gc.freeze()
    before_mb = _peak_mb()
    aligned = 0
    start = time.perf_counter()
    if stage == "cluster":
        index = StoryIndex()
        for article in corpus.articles:
            index.assign(article)
        looked = time.perf_counter()
        index.reseat(lambda article_id: arrival_terms(by_id[article_id], index.params))
        second_look = time.perf_counter() - looked
    elif stage == "reuse":
        reuse = ReuseIndex()
        for article in corpus.articles:
            found = reuse.add(article)
            for other in found.similar[:20]:
                align(by_id[other], article, paraphrase=False)
                aligned += 1
    else:
        tracker = Tracker()
        for article in corpus.articles:
            tracker.add(article, by_id.__getitem__)
        looked = time.perf_counter()
        tracker.reseat(tracker.terms_from(by_id.__getitem__))
        second_look = time.perf_counter() - looked
    seconds = time.perf_counter() - start
    peak_mb = _peak_mb()
    row = {"stage": stage, "articles": n, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb)}
    row["rss_before_mb"] = round(before_mb)
    if stage == "reuse":
        row["aligned_per_article"] = round(aligned / n, 2)
    else:
        row["second_look_s"] = round(second_look, 2)
    return row


_COLUMNS = ("stage", "articles", "seconds", "second_look_s", "articles_per_s", "peak_rss_mb", "rss_before_mb",
            "aligned_per_article", "ratio_100k_over_10k", "ratios_per_repeat")  # fmt: skip


def _run_one(n: int, stage: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.stories_speed", "--one", str(n), stage],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(
    sizes: tuple[int, ...] = SIZES,
    stages: tuple[str, ...] = ("cluster", "reuse", "tracker"),
    repeats: int = 1,
    tracker_max: int = 10_000,
) -> list[dict]:
    """Each stage runs `repeats` times over all sizes (sizes interleaved, so that load from other work on
    the machine falls on all of them); a row gives the median seconds, the ratio row the median ratio."""
    console = Console(width=160)
    rows = []
    for stage in stages:
        runs: dict[int, list[dict]] = {}
        for _ in range(repeats):
            for n in sizes:
                if stage == "tracker" and n > tracker_max:
                    continue  # the whole tracker at 100k takes long; clustering and reuse are the scale bars
                runs.setdefault(n, []).append(_run_one(n, stage))
                console.print(runs[n][-1])
        for n, found in runs.items():
            row = dict(found[0])
            row["seconds"] = round(statistics.median(r["seconds"] for r in found), 2)
            row["peak_rss_mb"] = max(r["peak_rss_mb"] for r in found)
            if "second_look_s" in row:
                row["second_look_s"] = round(statistics.median(r["second_look_s"] for r in found), 2)
            row["articles_per_s"] = round(n / row["seconds"]) if row["seconds"] else 0
            rows.append(row)
        if 10_000 in runs and 100_000 in runs:
            ratios = [big["seconds"] / small["seconds"] for big, small in zip(runs[100_000], runs[10_000], strict=True)]
            rows.append(
                {
                    "stage": stage,
                    "ratio_100k_over_10k": round(statistics.median(ratios), 2),
                    "ratios_per_repeat": " ".join(f"{r:.1f}" for r in ratios),
                }
            )
    table = Table(title="Stories speed (synthetic articles, one process per size and run; median of runs)")
    for key in _COLUMNS:
        table.add_column(key.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(k, "")) for k in _COLUMNS))
    console.print(table)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]), sys.argv[3])))
    else:  # optional: number of repeats, then stages (default: all)
        main(
            repeats=int(sys.argv[1]) if len(sys.argv) > 1 else 1,
            stages=tuple(sys.argv[2:]) or ("cluster", "reuse", "tracker"),
        )
