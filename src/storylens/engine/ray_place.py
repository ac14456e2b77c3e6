"""Placement into stories on Ray: what the tracker needs of each article is computed on the workers, the
MinHash LSH candidates are found by shuffling sentence band keys, and the driver keeps only the decisions
that depend on every article before (near-duplicates, story assignment, which articles to align with).

1. `features`: per article, on workers (`map_batches`): screening out what is not an article, the terms and
   dates story assignment reads, the MinHash signatures and their band keys.
2. Sentence band keys are shuffled by key (`groupby` of a hash of the key, so that a partition holds all of
   a key's sentences, of every time window): in each bucket (a key in one time window), in arrival order,
   every sentence the bucket keeps meets the ones kept before it (`reuse.bucket_kept`) and those the buckets
   of the same key in the windows before and after kept before it, unless such a bucket is full; pairs that
   pass `verify` are the candidate pairs. Whole-text band keys are shuffled the same way for near-duplicate
   pairs. Of the saved index, only the rows of the windows the new articles meet join the shuffles.
3. The driver goes through the articles in arrival order with the tracker, given each article's candidate
   list and terms (`Tracker.place`), exactly as `Tracker.add` would.
4. The alignments the tracker chose run on workers (`align`, a function of two texts).

No process holds the whole LSH index. The driver loads the tracker without the index's rows (`IndexRows`,
saved in parts apart from the tracker's state), and stores the rows the shuffle's buckets keep for the new
articles a block at a time, as the local engine saves its own: later runs, on either engine, go on from them.
A later run sends the saved parts, one at a time, into the shuffles beside the new articles' rows: new
articles meet the ones placed before as `ReuseIndex.add` would. What the driver keeps for a run is what the
decisions need: each new article's candidates and, for the articles it may look at again, their terms.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import astuple, replace
from functools import lru_cache

import numpy as np

from storylens.engine.ray import data_options
from storylens.engine.stories import TRACKER, commit_closed, saved_tracker, with_moves
from storylens.model import Article, Reuse
from storylens.store import Store
from storylens.store.codec import decode, encode
from storylens.stories.align import AlignParams, align
from storylens.stories.cluster import ArrivalTerms, ClusterParams, arrival_terms
from storylens.stories.reuse import (
    UNDATED,
    IndexRows,
    ReuseIndex,
    ReuseParams,
    band_keys,
    bucket_kept,
    candidates,
    doc_keys,
    doc_similarity,
    met_windows,
    most_shared,
    pick_duplicate,
    prints,
    sentence_keys,
    sign,
    verified,
    window_of,
)
from storylens.stories.screen import not_news_reason
from storylens.stories.tracker import Tracker

ARTICLE_BLOCK = 128  # articles per block of the alignment dataset, and at least per block of the features
# The shuffles' map side runs one task per features block and hands each partition a piece of it: blocks x
# partitions pieces, and Ray keeps a task's result under 100 KB in the memory of the process that owns it,
# the driver. With blocks of 128 articles and partitions of 200,000 rows, both growing with a run, the pieces
# got more and smaller (30,000 articles: 7,000 pieces of about 40 KB a shuffle; the driver peaked at 1.8 GB, 1.0 GB
# now): the features come in about FEATURE_BLOCKS blocks, and a partition holds up to PARTITION_ROWS rows.
FEATURE_BLOCKS = 64
MAX_FEATURE_BLOCK = 1024  # articles: what the driver reads of the features at a time stays small
PARTITION_ROWS = 1_000_000  # band-key rows per shuffle partition (a partition must fit one worker's memory)
ROWS_PER_ARTICLE = 200  # band-key rows of an article: about 25 sentences, 8 bands
# Ray Data's sort-based shuffle runs as tasks; its hash shuffle starts aggregator actors first, which cost
# 13-15 s per shuffle on 2,000 articles here against 1-2 s (benchmarks/ray_place.py)
SHUFFLE = "sort_shuffle_pull_based"
PART_WRITE_BYTES = 64 << 20  # index rows the driver gathers before it stores them (cut into INDEX_PARTS parts)


def place_on_ray(
    store: Store,
    workers: int,
    on_progress: Callable[[int, int], None] | None = None,
    window_days: int | None = None,
    measures: dict[str, float] | None = None,
    ready: Callable[[], None] = lambda: None,
    busy: Callable[[], bool] = lambda: False,
) -> int:
    """`place_new_articles` with the per-article work and the LSH candidates on Ray (see the module's comment).
    Returns how many articles were looked at; `measures`, when given, gets the seconds of each step (`*_s`), the
    driver's CPU seconds (`driver_cpu_s`), the articles it aligned itself (`aligned_here`) and the bytes sent
    for alignment (`alignment_bytes`). `ready` is called when placement's work on Ray is through but the
    alignments: other work may start on the workers while the driver places; while `busy()` says that work
    goes on, the driver aligns itself."""
    if not store.unplaced():
        ready()
        return 0
    import pyarrow as pa

    cpu, started = time.process_time(), time.perf_counter()
    tracker = saved_tracker(store, rows=False)  # the index's rows stay in the store, and go to the shuffles
    if window_days is not None:
        tracker.stories.params.window_days = window_days
    todo = store.unplaced()
    base = len(tracker.reuse)  # articles in the saved index: their positions are their orders
    blocks, size = [], min(MAX_FEATURE_BLOCK, max(ARTICLE_BLOCK, len(todo) // FEATURE_BLOCKS))
    for first in range(0, len(todo), size):
        articles = store.articles_by_id(todo[first : first + size])
        orders = range(base + first, base + first + len(articles))
        blocks.append(pa.table({"order": orders, "article": [encode(a) for a in articles]}))
    with data_options(shuffle_strategy=SHUFFLE, preserve_order=True):  # features in order
        found = _candidates(store, blocks, tracker, workers, len(todo))
        _timed(measures, "candidates_s", started)
        ready()
        placed = _decide(store, tracker, todo, *found, on_progress, measures, busy)
    if measures is not None:
        measures["driver_cpu_s"] = time.process_time() - cpu
    return placed


def _candidates(store: Store, blocks: list, tracker: Tracker, workers: int, articles: int) -> tuple:
    """Steps 1 and 2 of the module's comment: (features, kept bucket rows with what they met, duplicate pairs),
    as Ray datasets held in Ray's object store. The saved index's rows join the shuffles, so that new articles
    meet the articles placed before; they go from the store to Ray one stored part at a time."""
    import ray.data

    cluster, reuse, saved = tracker.stories.params, tracker.reuse.params, tracker.reuse
    features = (
        ray.data.from_arrow(blocks)
        .map_batches(article_features, fn_kwargs={"cluster": cluster, "reuse": reuse}, batch_size=None,
                     batch_format="pyarrow")
        .materialize()
    )  # fmt: skip
    parts = max(workers, -(-(articles + len(saved)) * ROWS_PER_ARTICLE // PARTITION_ROWS))
    windows, met = undated_windows(_batches(features), reuse, saved.last_window)
    saved_sentences, saved_docs = _saved_rows(store, saved, parts, met)
    base = len(saved)
    meetings = _shuffled(features, sentence_rows, bucket_meetings, parts, reuse, windows, saved_sentences, base)
    copies = _shuffled(features, doc_rows, doc_pairs, parts, reuse, windows, saved_docs, base)
    # run now, into Ray's object store: once `ready`, other work (the parse) holds the workers
    return features, meetings.materialize(), copies.materialize(), windows


def _saved_rows(store: Store, index: ReuseIndex, parts: int, windows: set[int]) -> tuple[list, list]:
    """Object refs of the saved index's rows in these time `windows`, as `saved_tables` gives them."""
    import ray

    sentences, docs = [], []
    copies = {index.position[a] for a in index.duplicates}
    for data in store.index_parts(TRACKER, index.saves, windows):
        for tables, table in zip((sentences, docs), saved_tables(IndexRows.from_bytes(data), copies, index.params,
                                                                 parts, windows), strict=True):  # fmt: skip
            if table is not None:
                tables.append(ray.put(table))
    return sentences, docs


def saved_tables(rows: IndexRows, copies: set[int], p: ReuseParams, parts: int, windows: set[int]) -> tuple:
    """Saved index rows in these time `windows` as `sentence_rows` and `doc_rows` give them (order: the article's
    position; the `copies`' signatures are left out, as the whole-text buckets leave them out), or None."""
    import pyarrow as pa

    sentences = docs = None
    r = np.flatnonzero(np.isin(rows.window, np.array(sorted(windows), dtype=np.int64)))
    if len(r):
        sentences = pa.table({
            "part": rows.key[r] % parts, "key": rows.key[r], "window": rows.window[r],
            "order": rows.owner[r].astype(np.int64), "sentence": rows.sentence[r], "band": rows.band[r],
            "prints": pa.array([m.tobytes() for m in rows.prints[r]], pa.binary()),
        })  # fmt: skip
    originals = [row for row, (owner, window) in enumerate(zip(rows.doc_owner.tolist(), rows.doc_window.tolist(),
                 strict=True)) if owner not in copies and window in windows]  # fmt: skip
    if originals:
        signatures = rows.doc[originals]
        keys = band_keys(signatures[:, : p.doc_bands * p.doc_rows], p.doc_bands, p.doc_rows).astype(np.int64)
        docs = pa.table({
            "part": keys.ravel() % parts, "key": keys.ravel(),
            "window": np.repeat(rows.doc_window[originals], p.doc_bands),
            "order": np.repeat(rows.doc_owner[originals].astype(np.int64), p.doc_bands),
            "doc": pa.array([d.tobytes() for d in np.repeat(signatures, p.doc_bands, axis=0)], pa.binary()),
        })  # fmt: skip
    return sentences, docs


def _timed(measures: dict[str, float] | None, step: str, started: float) -> None:
    if measures is not None:
        measures[step] = measures.get(step, 0.0) + time.perf_counter() - started


def undated_windows(features: Iterable, reuse: ReuseParams, last: int) -> tuple[dict[int, int], set[int]]:
    """The time windows of the undated articles that follow a dated one (by order: the `features` batches, in
    order, give the others'), as `ReuseIndex.add` sets them from `last`, and every window the articles meet."""
    undated, met = {}, set()
    for batch in features:
        columns = (batch[c].to_pylist() for c in ("order", "reason", "day", "window"))
        for order, reason, day, given in zip(*columns, strict=True):
            if reason:
                continue
            window, last = window_of(day, reuse, last)
            if window != given:
                undated[order] = window
            met.update(met_windows(window, reuse))
    return undated, met


def _shuffled(features, rows, by_part, parts: int, reuse: ReuseParams, windows: dict[int, int], saved: list,  # noqa: ANN001, ANN202
              first_new: int):  # fmt: skip
    """`rows` of each article (with a `part` column, a hash of their key; the undated articles in `windows` by
    order), and the `saved` rows (object refs of tables) of the articles placed before, grouped by part,
    `by_part` on each (for the articles from order `first_new` on)."""
    import ray.data

    kwargs = {"parts": parts, "reuse": reuse, "windows": windows}
    exploded = features.map_batches(rows, fn_kwargs=kwargs, batch_size=None, batch_format="pyarrow")
    if saved:
        exploded = exploded.union(ray.data.from_arrow_refs(saved))
    kwargs = {"reuse": reuse, "first_new": first_new}
    return exploded.groupby("part").map_groups(by_part, fn_kwargs=kwargs, batch_format="pyarrow")


def _batches(dataset):  # noqa: ANN001, ANN202 (a materialized ray Dataset -> pyarrow Tables)
    """The blocks of a dataset held in the object store, as they are: a transform (even choosing columns) would
    be a task, and wait for the workers the parse holds."""
    return dataset.iter_batches(batch_format="pyarrow", batch_size=None)


def _decide(store, tracker, todo, features, meetings, copied, windows, on_progress, measures, busy) -> int:  # noqa: ANN001
    """Steps 3 and 4 of the module's comment, and the store's one transaction. The driver reads the datasets
    a block at a time: the new articles' index rows go to the store as they come, and what it keeps is what
    the decisions need (each article's candidates; the terms of the articles it may look at again)."""
    started = time.perf_counter()
    reuse_params, base = tracker.reuse.params, len(tracker.reuse)
    before = tracker.reuse.article_ids  # the saved articles: order = position, below `base`
    reasons = [r for batch in _batches(features) for r in batch["reason"].to_pylist()]
    # an article's position in the index: its order, less the texts set aside before it (never recorded)
    counted = np.cumsum([reason is None for reason in reasons], dtype=np.int64)
    positions = np.r_[np.arange(base, dtype=np.int64), base + counted - 1]
    saves = tracker.reuse.saves + 1
    store.drop_index_parts(TRACKER, saves)
    hits = _met_and_saved(store, meetings, features, windows, positions, saves, reuse_params)
    copies: dict[int, dict[int, float]] = defaultdict(dict)
    for batch in _batches(copied):
        for order, other, sim in zip(*(batch[c].to_pylist() for c in ("order", "other", "similarity")), strict=True):
            copies[order][other] = sim
    _timed(measures, "index_s", started)
    started = time.perf_counter()

    def id_of(order: int) -> str:
        return before[order] if order < base else todo[order - base]

    # the terms of the run's articles placed with little certainty, as they came (JSON: a tenth of a Counter)
    unsure_terms: dict[str, tuple[str, int | None, int | None]] = {}
    # `reseat` also looks at articles a killed run placed: their terms are counted again from the text
    earlier = tracker.terms_from(lambda article_id: store.articles_by_id([article_id])[0])
    placed, tasks, set_aside, row = {}, [], [], 0
    for batch in _batches(features):
        columns = (batch[c].to_pylist() for c in ("order", "reason", "counts", "day", "seen_day"))
        for order, reason, counts, day, seen_day in zip(*columns, strict=True):
            if order != base + row:
                raise RuntimeError("Ray gave the articles' features out of arrival order")
            article_id, row = todo[row], row + 1
            if reason:
                set_aside.append((article_id, reason))
                continue
            duplicate = pick_duplicate(
                sorted((o, s) for o, s in copies.pop(order, {}).items() if id_of(o) not in tracker.reuse.duplicates),
                reuse_params,
            )
            duplicate_of = id_of(duplicate) if duplicate is not None else None
            tracker.reuse.record(article_id, duplicate_of, day)
            found = candidates(article_id, duplicate_of, [id_of(o) for o in most_shared(hits.of(order))])
            place, others = tracker.place(found, lambda c=counts, d=day, s=seen_day: _terms(c, d, s))
            if tracker.stories.unsure and tracker.stories.unsure[-1] == article_id:
                unsure_terms[article_id] = counts, day, seen_day
            placed[article_id] = place
            if others:
                tasks.append((article_id, others))
            if on_progress:
                on_progress(row, len(todo))
    moved = tracker.reseat(lambda a: _terms(*unsure_terms[a]) if a in unsure_terms else earlier(a))
    _timed(measures, "tracker_s", started)
    started = time.perf_counter()
    for article_id, reuse in _alignments(store, tasks, tracker.alignment, measures, busy):
        placed[article_id].reuse = reuse
    _timed(measures, "alignment_s", started)
    started = time.perf_counter()
    rows = with_moves(list(placed.values()), moved, tracker.reuse.duplicates)
    tracker.reuse.saves = saves
    closed_seq = commit_closed(tracker)
    store.put_placements(rows, TRACKER, tracker.to_bytes(), set_aside, closed_seq=closed_seq)
    _timed(measures, "save_s", started)
    return len(todo)


def _met_and_saved(store, meetings, features, windows, positions, saves: int, params: ReuseParams) -> _Met:  # noqa: ANN001
    """Each new article's candidate pairs (`_Met`). On the way, the new articles' bucket rows and whole-text
    signatures are stored as save `saves` of the index, a block at a time."""
    met: dict[str, list[np.ndarray]] = {name: [] for name in ("order", "sentence", "band", "lengths", "others")}
    width = params.bands * params.rows
    saved, empty = _PartWriter(store, saves, params), IndexRows.empty(params)
    for batch in _batches(meetings):
        key, order, sentence, band, window = (batch[c].to_numpy() for c in ("key", "order", "sentence", "band",
                                                                              "window"))  # fmt: skip
        lists = batch["met"].combine_chunks()
        lengths = lists.value_lengths().to_numpy(zero_copy_only=False)
        hit = lengths > 0
        for name, values in (("order", order), ("sentence", sentence), ("band", band), ("lengths", lengths)):
            met[name].append(values[hit])
        met["others"].append(lists.flatten().to_numpy())  # the lists of the rows that met nothing are empty
        marks = np.frombuffer(b"".join(batch["prints"].to_pylist()), dtype=np.uint8).reshape(-1, width)
        owner = positions[order].astype(np.int32)
        saved.add(replace(empty, key=key, owner=owner, sentence=sentence.astype(np.int32),
                          band=band.astype(np.int32), prints=marks, window=window))  # fmt: skip
    for batch in _batches(features):
        docs = batch["doc"].to_pylist()
        kept = [i for i, doc in enumerate(docs) if doc is not None]
        signatures = np.frombuffer(b"".join(docs[i] for i in kept), dtype=np.uint64).reshape(-1, params.doc_perm)
        order, given = (batch[c].fill_null(0).to_numpy()[kept] for c in ("order", "window"))
        window = np.array([windows.get(o, w) for o, w in zip(order.tolist(), given.tolist(), strict=True)], np.int64)
        saved.add(replace(empty, doc_owner=positions[order].astype(np.int32), doc=signatures, doc_window=window))
    saved.flush()
    return _Met({name: np.concatenate(parts or [np.zeros(0, np.int64)]) for name, parts in met.items()})


def _terms(counts: str | None, day: int | None, seen_day: int | None) -> ArrivalTerms:
    return ArrivalTerms(Counter(json.loads(counts or "{}")), day, seen_day)


class _Met:
    """The earlier articles each new article's sentences met, in the order `ReuseIndex.add` meets them (sentence,
    band, newest first), kept as arrays: a list of ints per row would cost the driver ten times the memory."""

    def __init__(self, met: dict[str, np.ndarray]) -> None:
        by = np.lexsort((met["band"], met["sentence"], met["order"]))
        lengths, starts = met["lengths"][by], (np.cumsum(met["lengths"]) - met["lengths"])[by]
        self.order, self.ends = met["order"][by], np.cumsum(lengths)
        # the others of each row, gathered in the sorted rows' order
        within = np.arange(self.ends[-1] if len(by) else 0) - np.repeat(self.ends - lengths, lengths)
        self.others = met["others"][np.repeat(starts, lengths) + within]

    def of(self, order: int) -> list[int]:
        first, last = np.searchsorted(self.order, [order, order + 1])
        start = self.ends[first - 1] if first else 0
        return self.others[start : self.ends[last - 1]].tolist() if last > first else []


class _PartWriter:
    """Index rows to the store a few megabytes at a time: few parts per save, and little held here."""

    def __init__(self, store: Store, saves: int, params: ReuseParams) -> None:
        self.store, self.saves, self.params = store, saves, params
        self.pending: list[IndexRows] = []
        self.bytes = 0

    def add(self, rows: IndexRows) -> None:
        self.pending.append(rows)
        self.bytes += rows.prints.nbytes + rows.doc.nbytes + 20 * len(rows.key)
        if self.bytes >= PART_WRITE_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.store.add_index_parts(TRACKER, self.saves, IndexRows.joined(self.pending, self.params).to_parts())
        self.pending, self.bytes = [], 0


def _alignments(store, tasks, params: AlignParams, measures: dict[str, float] | None, busy: Callable[[], bool]):  # noqa: ANN001, ANN202
    """(article id, its reuse) for each (article id, [(earlier article, paraphrase)]). While the workers are
    `busy` with other work (the parse, started once placement's own Ray work was through), this process aligns,
    as the local engine's does beside its parse; what is left when they are free goes to them."""
    import pyarrow as pa
    import ray.data

    out, done = [], 0
    lookup = lru_cache(maxsize=4096)(lambda article_id: store.articles_by_id([article_id])[0])
    while done < len(tasks) and busy():
        article_id, others = tasks[done]
        out.append((article_id, aligned(lookup(article_id), [(lookup(o), p) for o, p in others], params)))
        done += 1
    if measures is not None:
        measures["aligned_here"] = done
    tasks = tasks[done:]
    if not tasks:
        return out
    blocks = []
    for first in range(0, len(tasks), ARTICLE_BLOCK):
        part = tasks[first : first + ARTICLE_BLOCK]
        wanted = {a for a, _ in part} | {o for _, others in part for o, _ in others}
        encoded = {a.id: encode(a) for a in store.articles_by_id(wanted)}  # read once per block
        blocks.append(
            pa.table(
                {
                    "article": pa.array([encoded[a] for a, _ in part], pa.binary()),
                    "others": pa.array([[encoded[o] for o, _ in others] for _, others in part], pa.list_(pa.binary())),
                    "paraphrase": [[p for _, p in others] for _, others in part],
                }
            )
        )
    if measures is not None:
        measures["alignment_bytes"] = sum(b.nbytes for b in blocks)
    on_workers = ray.data.from_arrow(blocks).map_batches(
        align_batch, fn_kwargs={"params": params}, batch_size=None, batch_format="pyarrow"
    )
    for batch in on_workers.iter_batches(batch_format="pyarrow", batch_size=None):
        for article_id, rows in zip(batch["id"].to_pylist(), batch["reuse"].to_pylist(), strict=True):
            out.append((article_id, [Reuse(*row) for row in json.loads(rows)]))
    return out


# -- on the workers ---------------------------------------------------------------------------------


def article_features(batch, cluster: ClusterParams, reuse: ReuseParams):  # noqa: ANN001, ANN201 (pyarrow)
    """Per article: why it is not news (or None), its terms and dates, its signatures' band keys and prints."""
    import pyarrow as pa

    out: dict[str, list] = defaultdict(list)
    for order, data in zip(batch["order"].to_pylist(), batch["article"].to_pylist(), strict=True):
        article = decode(Article, data)
        reason = not_news_reason(article.text, article.title)
        out["order"].append(order)
        out["reason"].append(reason)
        if reason:
            for name in ("counts", "day", "seen_day", "window", "doc", "doc_keys", "keys", "prints"):
                out[name].append(None)
            out["sentences"].append(0)
            continue
        terms = arrival_terms(article, cluster)
        signed = sign(article.text, reuse)
        out["counts"].append(json.dumps(terms.counts))
        out["day"].append(terms.day)
        out["seen_day"].append(terms.seen_day)
        out["window"].append(window_of(terms.day, reuse, UNDATED)[0])  # an undated one's is set in order later
        out["doc"].append(signed.doc.tobytes())
        out["doc_keys"].append(doc_keys(signed.doc, reuse))
        out["keys"].append(sentence_keys(signed.sentences, reuse).astype(np.int64).tobytes())
        out["prints"].append(prints(signed.sentences).tobytes())
        out["sentences"].append(len(signed.sentences))
    types = {"order": pa.int64(), "reason": pa.string(), "counts": pa.string(), "day": pa.int64(),
             "seen_day": pa.int64(), "window": pa.int64(), "doc": pa.binary(), "doc_keys": pa.list_(pa.int64()),
             "keys": pa.binary(), "prints": pa.binary(), "sentences": pa.int64()}  # fmt: skip
    return pa.table({name: pa.array(out[name], kind) for name, kind in types.items()})


def sentence_rows(batch, parts: int, reuse: ReuseParams, windows: dict[int, int]):  # noqa: ANN001, ANN201 (pyarrow)
    """One row per sentence and band: (partition, key, time window, article order, sentence, band, the
    sentence's prints)."""
    import pyarrow as pa

    width = reuse.bands * reuse.rows
    columns: dict[str, list] = defaultdict(list)
    for order, window, keys, marks in zip(*(batch[c].to_pylist() for c in ("order", "window", "keys", "prints")),
                                          strict=True):  # fmt: skip
        if keys is None:
            continue
        keys = np.frombuffer(keys, dtype=np.int64).reshape(-1, reuse.bands)
        marks = np.frombuffer(marks, dtype=np.uint8).reshape(-1, width)
        n = len(keys)
        columns["key"].append(keys.ravel())
        columns["window"].append(np.full(n * reuse.bands, windows.get(order, window), dtype=np.int64))
        columns["order"].append(np.full(n * reuse.bands, order, dtype=np.int64))
        columns["sentence"].append(np.repeat(np.arange(n, dtype=np.int32), reuse.bands))
        columns["band"].append(np.tile(np.arange(reuse.bands, dtype=np.int32), n))
        columns["prints"].extend(np.repeat(marks, reuse.bands, axis=0))
    if not columns:
        return _empty_sentence_rows()
    key = np.concatenate(columns["key"])
    return pa.table(
        {
            "part": key % parts,
            "key": key,
            "window": np.concatenate(columns["window"]),
            "order": np.concatenate(columns["order"]),
            "sentence": np.concatenate(columns["sentence"]),
            "band": np.concatenate(columns["band"]),
            "prints": pa.array([m.tobytes() for m in columns["prints"]], pa.binary()),
        }
    )


def _empty_sentence_rows():  # noqa: ANN202
    import pyarrow as pa

    return pa.table({"part": pa.array([], pa.int64()), "key": pa.array([], pa.int64()),
                     "window": pa.array([], pa.int64()), "order": pa.array([], pa.int64()),
                     "sentence": pa.array([], pa.int32()), "band": pa.array([], pa.int32()),
                     "prints": pa.array([], pa.binary())})  # fmt: skip


def bucket_meetings(group, reuse: ReuseParams, first_new: int = 0):  # noqa: ANN001, ANN201 (pyarrow)
    """The sentences of the articles from order `first_new` on that each LSH bucket (a key in a time window) of
    this partition keeps (the others were placed and saved before), in arrival order, each with its prints and
    the earlier articles whose kept sentences before it pass `verify`: in its bucket (newest first), then in
    the buckets of its key in the windows before and after unless full then, as `ReuseIndex.add` meets them."""
    import pyarrow as pa

    group = group.sort_by([(c, "ascending") for c in ("key", "window", "order", "sentence", "band")])
    keys, windows, orders = (group[c].to_numpy() for c in ("key", "window", "order"))
    width, kept = reuse.bands * reuse.rows, bucket_kept(reuse.bucket_cap)
    marks = np.frombuffer(b"".join(group["prints"].to_pylist()), dtype=np.uint8).reshape(-1, width)
    starts = _runs(keys, windows)
    sizes = np.diff(np.r_[starts, len(keys)])
    position = np.arange(len(keys)) - np.repeat(starts, sizes)
    met: list[list[int]] = [[] for _ in range(len(keys))]

    def meets(i: int, start: int, end: int) -> list[int]:
        """The articles of the bucket's rows start..end (kept ones, before row i) whose prints row i verifies."""
        earlier = slice(start, end)
        hit = verified(marks[earlier], marks[i][None, :], reuse) & (orders[earlier] < orders[i])
        return orders[earlier][hit][::-1].tolist()

    key_starts = _runs(keys)
    key_ends = np.r_[key_starts[1:], len(keys)]
    several = key_ends - key_starts > 1
    for lo, hi in zip(*(np.searchsorted(starts, e[several]).tolist() for e in (key_starts, key_ends)), strict=True):
        # the buckets of one key, by window: (first row, end of the rows it keeps)
        buckets = {int(windows[b]): (b, b + min(size, kept)) for b, size in
                   zip(starts[lo:hi].tolist(), sizes[lo:hi].tolist(), strict=True)}  # fmt: skip
        for window, (start, end) in buckets.items():
            beside = [buckets[w] for w in met_windows(window, reuse)[1:] if w in buckets]
            for i in range(start, end):
                if orders[i] < first_new:
                    continue
                met[i] = meets(i, start, i)
                for b_start, b_end in beside:  # full then: all it keeps came before this row
                    if not (b_end - b_start == kept and orders[b_end - 1] < orders[i]):
                        met[i] += meets(i, b_start, b_end)
    rows = np.flatnonzero((position < kept) & (orders >= first_new))
    return pa.table(
        {
            "key": keys[rows],
            "window": windows[rows],
            "order": orders[rows],
            "sentence": group["sentence"].to_numpy()[rows],
            "band": group["band"].to_numpy()[rows],
            "prints": group["prints"].take(pa.array(rows)),
            "met": pa.array([met[i] for i in rows.tolist()], pa.list_(pa.int64())),
        }
    )


def _runs(*columns: np.ndarray) -> np.ndarray:
    """Where each run of equal values (in all `columns`, sorted) starts."""
    if not len(columns[0]):
        return np.zeros(0, np.int64)
    changed = np.zeros(len(columns[0]) - 1, dtype=bool)
    for column in columns:
        changed |= column[1:] != column[:-1]
    return np.flatnonzero(np.r_[True, changed])


def doc_rows(batch, parts: int, reuse: ReuseParams, windows: dict[int, int]):  # noqa: ANN001, ANN201 (pyarrow)
    """One row per article and whole-text band key: (partition, key, time window, article order, signature)."""
    import pyarrow as pa

    columns = (batch[c].to_pylist() for c in ("order", "window", "doc_keys", "doc"))
    rows = [
        (key % parts, key, windows.get(order, window), order, doc)
        for order, window, keys, doc in zip(*columns, strict=True)
        if keys is not None
        for key in keys
    ]
    kinds = {"part": pa.int64(), "key": pa.int64(), "window": pa.int64(), "order": pa.int64(), "doc": pa.binary()}
    return pa.table({name: pa.array([r[i] for r in rows], kind) for i, (name, kind) in enumerate(kinds.items())})


def doc_pairs(group, reuse: ReuseParams, first_new: int = 0):  # noqa: ANN001, ANN201 (pyarrow)
    """(article, earlier article, similarity) for articles sharing a whole-text band key whose similarity
    reaches `duplicate`: the near-duplicate candidates (which earlier ones are copies is decided in order)."""
    import pyarrow as pa

    group = group.sort_by([("key", "ascending"), ("order", "ascending")])
    keys, windows, orders = (group[c].to_numpy() for c in ("key", "window", "order"))
    docs = np.frombuffer(b"".join(group["doc"].to_pylist()), dtype=np.uint64).reshape(-1, reuse.doc_perm)
    out: list[tuple[int, int, float]] = []
    starts = _runs(keys)
    sizes = np.diff(np.r_[starts, len(keys)])
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        for i in range(start + 1, start + size):
            if orders[i] < first_new:
                continue
            met = met_windows(int(windows[i]), reuse)
            for j in range(start, i):
                if windows[j] not in met:
                    continue
                sim = doc_similarity(docs[j], docs[i])
                if sim >= reuse.duplicate and orders[j] < orders[i]:
                    out.append((int(orders[i]), int(orders[j]), sim))
    return pa.table({"order": pa.array([o for o, _, _ in out], pa.int64()),
                     "other": pa.array([o for _, o, _ in out], pa.int64()),
                     "similarity": pa.array([s for _, _, s in out], pa.float64())})  # fmt: skip


def align_batch(batch, params: AlignParams):  # noqa: ANN001, ANN201 (pyarrow)
    """Each article aligned with the earlier articles the tracker chose: (id, its reuse as JSON rows)."""
    import pyarrow as pa

    ids, found = [], []
    columns = (batch[c].to_pylist() for c in ("article", "others", "paraphrase"))
    for data, others, paraphrase in zip(*columns, strict=True):
        article = decode(Article, data)
        reuse = aligned(article, [(decode(Article, o), p) for o, p in zip(others, paraphrase, strict=True)], params)
        ids.append(article.id)
        found.append(json.dumps([astuple(r) for r in reuse]))
    return pa.table({"id": ids, "reuse": found})


def aligned(article: Article, others: list[tuple[Article, bool]], params: AlignParams) -> list[Reuse]:
    """The reuse of `article` with each earlier article (and whether paraphrases count), as `Tracker.add` finds."""
    return [reuse for other, paraphrase in others for reuse in align(other, article, params, paraphrase=paraphrase)]
