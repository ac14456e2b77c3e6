"""Placement into stories on Ray against placement on the driver: the driver's seconds before and after, the
seconds of each step, what goes through each shuffle, and whether the placements are the same.

Before (`place_new_articles`, what both engines ran on the driver): every article's screening, terms,
MinHash signatures, LSH lookups, story assignment and alignments in one process. After (`place_on_ray`):
features and candidate pairs on Ray, the tracker's decisions on the driver, alignments on Ray. Each corpus is
ingested into two stores; the placements, reuse rows and saved tracker of both must be equal.

Shuffle sizes come from the same worker functions run here over the whole corpus (one partition): bytes per
article of the features dataset, of the sentence band-key rows and whole-text band-key rows (the shuffles'
inputs) and of what the shuffles hand back (the kept bucket rows with their candidates, the near-duplicate
pairs).

The generated corpus is also placed in two halves, the second against the index the first saved: the
placements, reuse and tracker must again be the same on both.

Corpora: generated articles (STORYLENS_BENCH_RAY_PLACE_GENERATED, default 2000) and real news
(STORYLENS_BENCH_RAY_PLACE_REAL, default 1000; 0 to skip).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.analyze_speed import _records, _write, real_articles

GENERATED = int(os.environ.get("STORYLENS_BENCH_RAY_PLACE_GENERATED", "2000"))
REAL = int(os.environ.get("STORYLENS_BENCH_RAY_PLACE_REAL", "1000"))


def _stored(corpus: str, path: Path):  # noqa: ANN202 (a Store)
    from storylens.engine.local import ingest
    from storylens.store import Store

    store = Store(path)
    ingest([corpus], store, max_bytes=1 << 40)
    return store


def _state(store) -> tuple:  # noqa: ANN001 (a Store)
    """What placement leaves in the store: placements, reuse rows, texts set aside, the saved tracker."""
    from storylens.engine.stories import TRACKER, saved_tracker

    def rows(sql: str) -> list:
        return store.conn.execute(sql).fetchall()

    tracker = saved_tracker(store)
    index = tracker.reuse
    buckets = {k: index.buckets.get(k) for k in index.buckets.head}
    docs = {k: index.doc_buckets.get(k) for k in index.doc_buckets.head}
    arrays = [getattr(index, n).view().tobytes() for n in ("sentence_article", "sentence_prints", "doc_signatures")]
    return (
        rows("SELECT * FROM placements ORDER BY article_id"),
        rows("SELECT * FROM reuse ORDER BY 1, 2, 3, 4, 5, 6"),
        rows("SELECT * FROM not_articles ORDER BY 1"),
        tracker.stories.state(),
        (index.article_ids, index.duplicates, buckets, docs, arrays),
        len(store.index_state(TRACKER) or b"") + store.index_parts_bytes(TRACKER),
    )


def _shuffle_bytes(store) -> dict[str, float]:  # noqa: ANN001 (a Store)
    """Bytes per article through each step, from the worker functions run here on the whole corpus."""
    import pyarrow as pa

    from storylens.engine.ray_place import (
        article_features,
        bucket_meetings,
        doc_pairs,
        doc_rows,
        sentence_rows,
        undated_windows,
    )
    from storylens.store.codec import encode
    from storylens.stories.cluster import ClusterParams
    from storylens.stories.reuse import UNDATED, ReuseParams

    ids = store.unplaced() or [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY seq")]
    articles = store.articles_by_id(ids)
    table = pa.table({"order": range(len(articles)), "article": [encode(a) for a in articles]})
    reuse = ReuseParams()
    features = article_features(table, ClusterParams(), reuse)
    windows, _ = undated_windows([features], reuse, UNDATED)
    sentences = sentence_rows(features, 1, reuse, windows)
    docs = doc_rows(features, 1, reuse, windows)
    n = len(articles)
    return {
        "articles_in_b": table.nbytes / n,
        "features_b": features.nbytes / n,
        "sentence_rows": len(sentences) / n,
        "sentence_rows_b": sentences.nbytes / n,
        "buckets_back_b": bucket_meetings(sentences, reuse).nbytes / n,
        "doc_rows_b": docs.nbytes / n,
        "doc_pairs_back_b": doc_pairs(docs, reuse).nbytes / n,
    }


def in_two_runs(name: str, records: list[dict], folder: Path) -> dict:
    """The first half placed, then the second against the index the first saved, on the driver and on Ray."""
    from storylens.engine.ray import connect
    from storylens.engine.ray_place import place_on_ray
    from storylens.engine.stories import place_new_articles

    half = len(records) // 2
    halves = [_write(folder / f"half{i}.jsonl", part) for i, part in enumerate((records[:half], records[half:]))]
    connect(None, os.cpu_count())
    states = []
    for engine in ("driver", "ray"):
        for corpus in halves:
            with _stored(corpus, folder / f"two-{engine}.db") as store:
                if engine == "ray":
                    place_on_ray(store, os.cpu_count() or 1)
                else:
                    place_new_articles(store)
                state = _state(store)
        states.append(state)
    return {"corpus": name, "articles": len(states[0][0]), "same_placements": states[0][:-1] == states[1][:-1]}


def compare(name: str, corpus: str, folder: Path) -> dict:
    from storylens.engine.ray import connect
    from storylens.engine.ray_place import place_on_ray
    from storylens.engine.stories import place_new_articles

    with _stored(corpus, folder / "driver.db") as store:
        sizes = _shuffle_bytes(store)
        cpu, started = time.process_time(), time.perf_counter()
        articles = place_new_articles(store)
        before = time.perf_counter() - started
        before_cpu = time.process_time() - cpu
        on_driver = _state(store)
    connect(None, os.cpu_count())
    measures: dict[str, float] = {}
    with _stored(corpus, folder / "ray.db") as store:
        started = time.perf_counter()
        place_on_ray(store, os.cpu_count() or 1, measures=measures)
        after = time.perf_counter() - started
        on_ray = _state(store)
    return {
        "corpus": name,
        "articles": articles,
        "before_driver_s": round(before, 1),
        "before_driver_cpu_s": round(before_cpu, 1),
        "ray_total_s": round(after, 1),
        **{k: round(v, 1) for k, v in measures.items() if k.endswith("_s")},
        "driver_cpu_ms_per_article": round(1000 * measures["driver_cpu_s"] / articles, 1),
        "before_cpu_ms_per_article": round(1000 * before_cpu / articles, 1),
        "driver_speedup": round(before_cpu / measures["driver_cpu_s"], 1),
        "alignment_b": round(measures.get("alignment_bytes", 0) / articles),
        **{k: round(v) for k, v in sizes.items()},
        "tracker_b": round(on_ray[-1] / articles),
        "same_placements": on_driver[:-1] == on_ray[:-1],  # the saved size aside (parts are cut differently)
    }


def main() -> list[dict]:
    from rich.console import Console

    from benchmarks.run import table

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if GENERATED:
            records = _records(GENERATED)
            rows.append(compare(f"generated {GENERATED:,}", _write(folder / "g.jsonl", records), folder))
            rows.append(in_two_runs(f"generated {GENERATED:,} in two runs", records, folder))
        if REAL:
            (folder / "real").mkdir()
            rows.append(compare(f"real {REAL:,}", _write(folder / "r.jsonl", real_articles(REAL)), folder / "real"))
    Console(width=220).print(table("placement: on the driver (before) and on Ray (after)", rows))
    return rows


if __name__ == "__main__":
    main()
