"""Quality of story clustering, text reuse and originality against hand-made gold.

`.venv/bin/python -m benchmarks.stories_quality`: karabakh (and the bundled sample when its gold
exists), ECB+ (join model learned on train, reported on test, next to a batch TF-IDF baseline), long
web articles (the Multi-News sample's documents in one pile, next to the same baseline), and planted
reuse in 10,000 synthetic articles. The join threshold is chosen on two dev sets, ECB+ dev and
Multi-News clusters 1-25, among those that keep karabakh exact in every arrival order.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from benchmarks.planted import generate
from benchmarks.screen_quality import NOT_ARTICLES
from storylens.ingest import read_inputs
from storylens.model import Article
from storylens.stories import ClusterParams, StoryIndex, Tracker, story_originality
from storylens.stories.cluster import FEATURES, JOIN_THRESHOLD, JOIN_WEIGHTS, arrival_terms
from storylens.stories.features import words
from storylens.stories.screen import not_news_reason

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
ORDERS = 5
# The Multi-News sample's clusters: the first half is a dev set beside ECB+ dev (the join threshold is chosen on
# both), the second half is held out.
MULTINEWS_DEV, MULTINEWS_TEST = slice(0, 25), slice(25, 50)


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = r = 0.0
    for item in gold:
        common = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += common / len(by_pred[pred[item]])
        r += common / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def run_tracker(articles: list[Article], params: ClusterParams | None = None) -> tuple[Tracker, list]:
    by_id = {a.id: a for a in articles}
    tracker = Tracker(cluster=params)
    placed = [tracker.add(a, by_id.__getitem__) for a in articles]
    moved = tracker.reseat(tracker.terms_from(by_id.__getitem__))  # the end of a run, as the engines do
    for p in placed:
        p.story = moved.get(p.article_id, p.story)
    return tracker, placed


# -- karabakh-style gold (karabakh, the bundled sample) -----------------------------------------------


def gold_table(name: str, folder: Path, gold_path: Path, params: ClusterParams) -> dict:
    gold = json.loads(gold_path.read_text())
    read = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    id_of = {}  # gold ref -> article id (two refs may be one article: exact copies share an id)
    for ref, rel in gold["files"].items():
        names = ["/" + ref] if "#" in ref else ["/" + ref, "/" + rel]  # a record ref names its record
        for a in read:
            if any(path.replace("\\", "/").endswith(tuple(names)) for path in [a.path or "", *a.extra_paths]):
                id_of[ref] = a.id
    articles = list({a.id: a for a in read if a.id in id_of.values()}.values())
    ref_of = {aid: ref for ref, aid in id_of.items()}
    tracker, placed = run_tracker(articles, params)
    pred = {ref: tracker.stories.story_of(aid) for ref, aid in id_of.items()}
    gold_story = {ref: s["id"] for s in gold["stories"] for ref in s["articles"] if ref in id_of}
    exact = sum(
        1 for s in gold["stories"] if {r for r in pred if pred[r] == pred[s["articles"][0]]} == set(s["articles"])
    )
    reuse = [r for p in placed for r in p.reuse]
    texts = {a.id: a.text for a in articles}

    def hits(pair: dict, r) -> bool:
        """Whether reuse item `r` covers the gold pair's two passages."""
        if pair["a"] not in id_of or pair["b"] not in id_of:
            return False
        a, b = id_of[pair["a"]], id_of[pair["b"]]
        sa, sb = texts[a].find(pair["a_text"]), texts[b].find(pair["b_text"])
        ea, eb = sa + len(pair["a_text"]), sb + len(pair["b_text"])
        spans = {r.a: (r.a_start, r.a_end), r.b: (r.b_start, r.b_end)}
        if a not in spans or b not in spans:
            return False
        return spans[a][0] < ea and sa < spans[a][1] and spans[b][0] < eb and sb < spans[b][1]

    def found(pair: dict, kinds: set[str]) -> bool:
        return any(r.kind in kinds and hits(pair, r) for r in reuse)

    reuse_pairs = gold.get("reuse_pairs", [])
    para_pairs = gold.get("paraphrase_pairs", [])
    reuse_found = sum(found(p, {"verbatim", "near"}) for p in reuse_pairs)
    para_found = sum(found(p, {"verbatim", "near", "paraphrase"}) for p in para_pairs)
    # the gold lists the pairs a reader marked, not every one: this share is a lower bound on precision
    para_items = [r for r in reuse if r.kind == "paraphrase"]
    para_in_gold = sum(any(hits(p, r) for p in reuse_pairs + para_pairs) for r in para_items)
    derivative = gold.get("derivative", {}).get("article")
    lowest = None
    if derivative:
        members = tracker.stories.members(tracker.stories.story_of(id_of[derivative]))
        scores = story_originality([a for a in articles if a.id in members], reuse, tracker.reuse.duplicates)
        lowest = ref_of[min(scores, key=lambda k: scores[k].score)] == derivative
    p, r, f1 = bcubed({ref: pred[ref] for ref in gold_story}, gold_story)
    orders_exact, orders = arrival_orders(articles, id_of, gold, params)
    return {
        "corpus": name,
        "articles": len(articles),
        "gold_refs_read": f"{len(id_of)}/{len(gold['files'])}",
        "gold_stories": len(gold["stories"]),
        "stories_found": len(set(pred.values())),
        "gold_stories_exact": exact,
        "bcubed_f1": round(f1, 3),
        "orders_all_exact": f"{orders_exact}/{orders}",
        "reuse_pairs_found": f"{reuse_found}/{len(reuse_pairs)}",
        "paraphrase_pairs_found": f"{para_found}/{len(para_pairs)}",
        "paraphrase_items_in_gold": f"{para_in_gold}/{len(para_items)}",
        "reuse_items": len(reuse),
        "derivative_lowest": str(lowest),
    }


def arrival_orders(
    articles: list[Article], id_of: dict[str, str], gold: dict, params: ClusterParams, most: int = 120
) -> tuple[int, int]:
    """In how many arrival orders every gold story comes out exact: all orders when there are at most
    `most`, else `most` random ones."""
    if math.factorial(len(articles)) <= most:
        orders = [list(order) for order in itertools.permutations(articles)]
    else:
        orders = [random.Random(seed).sample(articles, len(articles)) for seed in range(most)]
    by_id = {a.id: a for a in articles}
    wanted = {frozenset(id_of[ref] for ref in s["articles"] if ref in id_of) for s in gold["stories"]}
    exact = 0
    for order in orders:
        tracker = Tracker(cluster=params)
        for article in order:
            tracker.add(article, by_id.__getitem__)
        tracker.reseat(tracker.terms_from(by_id.__getitem__))
        found = {frozenset(m) for m in tracker.stories.all_members().values()}
        exact += wanted <= found
    return exact, len(orders)


# -- ECB+ ---------------------------------------------------------------------------------------------


def _ecb(split: str) -> list[dict]:
    with open(CORPORA / "ecbplus" / "ecbplus_docs.jsonl") as lines:
        return [d for d in map(json.loads, lines) if d["split"] == split]


def _multinews(part: slice = slice(None)) -> list[dict]:
    """Every document of a slice of the Multi-News sample's clusters, in ECB+'s shape, to be clustered in one
    pile: the gold story of a document is its cluster, except for the pages of scraper boilerplate (judged by
    reading, `NOT_ARTICLES`), which belong to no story and so are each a story of their own."""
    rows = [json.loads(line) for line in (CORPORA / "multinews_sample" / "mds_sample.jsonl").open(encoding="utf-8")]
    docs = []
    for row in rows[part]:
        for k, text in enumerate(row["documents"]):
            if text.strip():
                doc_id = f"{row['id']}#{k}"
                gold = doc_id if (row["id"], k) in NOT_ARTICLES else row["id"]
                docs.append({"id": doc_id, "text": text, "title": None, "gold_cluster": gold})
    return docs


def _article(doc: dict) -> Article:
    return Article(id=doc["id"], text=doc["text"], title=doc["title"])  # no dates in ECB+ or Multi-News


def _shuffled(docs: list[dict], seed: int) -> list[dict]:
    docs = docs[:]
    random.Random(seed).shuffle(docs)
    return docs


def _online(docs: list[dict], params: ClusterParams, seed: int) -> dict[str, str]:
    """Story of each document, placed in a random order as the engine places them: a text the screen sets
    aside as not news joins no story (it counts as one of its own); at the end, the run's second look
    (`StoryIndex.reseat`)."""
    index = StoryIndex(params)
    articles = {d["id"]: _article(d) for d in docs}
    aside = {d["id"] for d in docs if not_news_reason(d["text"], d["title"])}
    for d in _shuffled(docs, seed):
        if d["id"] not in aside:
            index.assign(articles[d["id"]])
    index.reseat(lambda article_id: arrival_terms(articles[article_id], params))
    return {i: "set-aside-" + i if i in aside else index.story_of(i) for i in articles}


def _scores(docs: list[dict], params: ClusterParams) -> list[tuple[float, float, float, int]]:
    gold = {d["id"]: d["gold_cluster"] for d in docs}
    out = []
    for seed in range(ORDERS):
        pred = _online(docs, params, seed)
        out.append((*bcubed(pred, gold), len(set(pred.values()))))
    return out


def _mean_f1(docs: list[dict], params: ClusterParams) -> float:
    return float(np.mean([s[2] for s in _scores(docs, params)]))


def join_examples(docs: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(features, label) of every arriving article against every candidate story, with stories built from
    the gold (each article placed in its gold story), over ORDERS arrival orders: a story's features
    then describe a clean story, and label 1 means "this is the article's story"."""
    features, labels = [], []
    probe = ClusterParams(weights=(0.0,) * (len(FEATURES) + 1))
    for seed in range(ORDERS):
        index = StoryIndex(probe)
        story_of_gold: dict[str, str] = {}
        for doc in _shuffled(docs, seed):
            arrival = index.prepare(_article(doc))
            mine = story_of_gold.get(doc["gold_cluster"])
            for candidate in index.candidates(arrival):
                features.append(candidate.features)
                labels.append(int(candidate.story_id == mine))
            story_of_gold[doc["gold_cluster"]] = index.place(arrival, mine)
    return np.array(features), np.array(labels)


def learn_join_model(train: list[dict], devs: list[list[dict]]) -> tuple[tuple[float, ...], float, list[float]]:
    """Logistic regression over FEATURES on train join examples (scikit-learn defaults), then the join
    probability with the best BCubed F1 over ORDERS online runs, averaged over the dev sets (short wire
    copy and long web articles pull the threshold in opposite directions), among those that keep karabakh
    exact in every arrival order: (weights, threshold, dev F1s)."""
    features, labels = join_examples(train)
    model = LogisticRegression(max_iter=5000).fit(features, labels)
    weights = tuple(round(float(w), 3) for w in (model.intercept_[0], *model.coef_[0]))
    grid = [round(float(x), 2) for x in np.arange(0.2, 0.72, 0.05)]
    dev_f1 = {t: [_mean_f1(dev, ClusterParams(weights=weights, threshold=t)) for dev in devs] for t in grid}
    ranked = sorted(grid, key=lambda t: np.mean(dev_f1[t]), reverse=True)
    # the best that keeps karabakh's two look-alike talks exact in every arrival order (a bar of its own)
    best = next((t for t in ranked if _karabakh_orders(ClusterParams(weights=weights, threshold=t))), ranked[0])
    return weights, best, dev_f1[best]


def _karabakh_orders(params: ClusterParams) -> bool:
    """Whether karabakh's gold stories come out exact in all 120 arrival orders."""
    folder = CORPORA / "karabakh"
    gold = json.loads((folder / "gold.json").read_text())
    read = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    id_of = {ref: a.id for ref, name in gold["files"].items() for a in read if (a.path or "").endswith("/" + name)}
    exact, orders = arrival_orders(read, id_of, gold, params)
    return exact == orders


def _baseline(docs: list[dict], threshold: float) -> dict[str, str]:
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [(d["title"] or "") + "\n" + d["text"] for d in docs]
    )
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(matrix.toarray())
    return {d["id"]: str(label) for d, label in zip(docs, labels, strict=True)}


def _online_row(method: str, params: ClusterParams, dev_f1: float, test: list[dict]) -> dict:
    runs = _scores(test, params)
    return {
        "method": method,
        "threshold_from_dev": params.threshold,
        "dev_f1": round(dev_f1, 3),
        "test_precision": round(float(np.mean([s[0] for s in runs])), 3),
        "test_recall": round(float(np.mean([s[1] for s in runs])), 3),
        "test_f1_mean": round(float(np.mean([s[2] for s in runs])), 3),
        "test_f1_min": round(min(s[2] for s in runs), 3),
        "test_f1_max": round(max(s[2] for s in runs), 3),
        "clusters": int(np.mean([s[3] for s in runs])),
        "gold_clusters": len({d["gold_cluster"] for d in test}),
    }


def ecb_tables() -> tuple[list[dict], ClusterParams, ClusterParams]:
    """Online clustering with the join model learned on train and its threshold chosen on dev (this run), the
    first version (body cosine, threshold from dev), and the batch baseline (threshold from dev); returns the
    rows and the two online settings."""
    dev, test = _ecb("dev"), _ecb("test")
    weights, threshold, (dev_f1, _) = learn_join_model(_ecb("train"), [dev, _multinews(MULTINEWS_DEV)])
    learned = ClusterParams(weights=weights, threshold=threshold)
    cosine_grid = [round(float(x), 3) for x in np.arange(0.16, 0.34, 0.02)]
    cosine_f1 = {t: _mean_f1(dev, ClusterParams(weights=None, threshold=t)) for t in cosine_grid}
    cosine_best = max(cosine_f1, key=cosine_f1.get)
    cosine = ClusterParams(weights=None, threshold=cosine_best)
    gold = {d["id"]: d["gold_cluster"] for d in test}
    base_grid = [round(float(x), 3) for x in np.arange(0.6, 0.96, 0.025)]
    dev_gold = {d["id"]: d["gold_cluster"] for d in dev}
    base_best = max(base_grid, key=lambda t: bcubed(_baseline(dev, t), dev_gold)[2])
    base_pred = _baseline(test, base_best)
    bp, br, bf = bcubed(base_pred, gold)
    same = weights == JOIN_WEIGHTS and threshold == JOIN_THRESHOLD
    rows = [
        _online_row(f"online, learned join ({'default' if same else 'NOT the default'})", learned, dev_f1, test),
        _online_row("online, body cosine (first version)", cosine, cosine_f1[cosine_best], test),
        {
            "method": "batch TF-IDF + average link",
            "threshold_from_dev": base_best,
            "dev_f1": round(bcubed(_baseline(dev, base_best), dev_gold)[2], 3),
            "test_precision": round(bp, 3),
            "test_recall": round(br, 3),
            "test_f1_mean": round(bf, 3),
            "test_f1_min": round(bf, 3),
            "test_f1_max": round(bf, 3),
            "clusters": len(set(base_pred.values())),
            "gold_clusters": len(set(gold.values())),
        },
    ]
    return rows, learned, cosine


def multinews_table(learned: ClusterParams) -> list[dict]:
    """Long web articles: the Multi-News sample's documents in one pile (clusters 1-25 dev, 26-50 test, and all
    50 together), the online setting (learned on ECB+ train, threshold chosen on ECB+ dev and
    this dev half) next to the batch baseline with its threshold chosen on
    the Multi-News dev half, both in this run."""
    dev = _multinews(MULTINEWS_DEV)
    dev_gold = {d["id"]: d["gold_cluster"] for d in dev}
    grid = [round(float(x), 3) for x in np.arange(0.6, 0.96, 0.025)]
    base_best = max(grid, key=lambda t: bcubed(_baseline(dev, t), dev_gold)[2])
    rows = []
    for split, docs in (("dev 1-25", dev), ("test 26-50", _multinews(MULTINEWS_TEST)), ("pile 1-50", _multinews())):
        runs = _scores(docs, learned)
        gold = {d["id"]: d["gold_cluster"] for d in docs}
        bp, br, bf = bcubed(_baseline(docs, base_best), gold)
        rows.append({
            "split": split, "documents": len(docs), "gold_clusters": len(set(gold.values())),
            "online_precision": round(float(np.mean([s[0] for s in runs])), 3),
            "online_recall": round(float(np.mean([s[1] for s in runs])), 3),
            "online_f1": round(float(np.mean([s[2] for s in runs])), 3),
            "baseline_threshold": base_best, "baseline_precision": round(bp, 3), "baseline_recall": round(br, 3),
            "baseline_f1": round(bf, 3),
        })  # fmt: skip
    return rows


def _grams(text: str, n: int = 5) -> set:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def ecb_reuse() -> dict:
    """Reuse found among ECB+'s natural wire reprints (doc pairs sharing >= 90% of 5-grams)."""
    docs = [d for split in ("train", "dev", "test") for d in _ecb(split)]
    grams = {d["id"]: _grams(d["text"]) for d in docs}
    by_topic = defaultdict(list)
    for d in docs:
        by_topic[d["gold_topic"]].append(d["id"])
    reprints = set()
    for ids in by_topic.values():  # reprints sit inside a topic (SOURCE.md); this gold is computed, not ours
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                ga, gb = grams[a], grams[b]
                if ga and gb and len(ga & gb) / min(len(ga), len(gb)) >= 0.9:
                    reprints.add(frozenset((a, b)))
    articles = [Article(id=d["id"], text=d["text"], title=d["title"]) for d in docs]
    random.Random(0).shuffle(articles)
    start = time.perf_counter()
    tracker, placed = run_tracker(articles)
    seconds = time.perf_counter() - start
    linked = {frozenset((r.a, r.b)) for p in placed for r in p.reuse if r.kind in ("verbatim", "near")}
    linked |= {frozenset((p.article_id, p.duplicate_of)) for p in placed if p.duplicate_of}
    return {
        "corpus": "ecbplus (all 982 docs)",
        "reprint_pairs_gold": len(reprints),
        "reprint_pairs_found": len(reprints & linked),
        "near_duplicates_flagged": sum(1 for p in placed if p.duplicate_of),
        "doc_pairs_with_reuse": len(linked),
        "reuse_items": sum(len(p.reuse) for p in placed),
        "seconds": round(seconds, 1),
    }


# -- planted reuse ---------------------------------------------------------------------------------------


def planted_table(n: int = 10_000) -> dict:
    corpus = generate(n)
    start = time.perf_counter()
    _, placed = run_tracker(corpus.articles)
    seconds = time.perf_counter() - start
    predicted = [r for p in placed for r in p.reuse if r.kind in ("verbatim", "near")]
    paraphrases = sum(1 for p in placed for r in p.reuse if r.kind == "paraphrase")

    def overlaps(span: tuple[int, int], start: int, end: int) -> bool:
        return span[0] < end and start < span[1]

    planted_by_pair = defaultdict(list)
    for plant in corpus.planted:
        planted_by_pair[frozenset((plant.source, plant.target))].append(plant)

    def matches(r, plant, pair) -> bool:
        src, dst = pair
        if r.a == plant.source:
            return overlaps(src, r.a_start, r.a_end) and overlaps(dst, r.b_start, r.b_end)
        return overlaps(dst, r.a_start, r.a_end) and overlaps(src, r.b_start, r.b_end)

    by_pair = defaultdict(list)
    for r in predicted:
        by_pair[frozenset((r.a, r.b))].append(r)
    total = hit = 0
    per_mode = defaultdict(lambda: [0, 0])
    for plant in corpus.planted:
        for pair in plant.pairs:
            ok = any(matches(r, plant, pair) for r in by_pair[frozenset((plant.source, plant.target))])
            total += 1
            hit += ok
            per_mode[plant.mode][0] += ok
            per_mode[plant.mode][1] += 1
    # a copy of a copy shares the passage with the first source too: planted spans that are copies of
    # each other form groups, and a predicted pair is right when both its spans fall in one group
    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    spans_of = defaultdict(list)
    for plant in corpus.planted:
        for src, dst in plant.pairs:
            a_node, b_node = (plant.source, src), (plant.target, dst)
            parent[find(a_node)] = find(b_node)
            spans_of[plant.source].append(src)
            spans_of[plant.target].append(dst)

    def groups(article: str, start: int, end: int) -> set:
        return {find((article, span)) for span in spans_of[article] if overlaps(span, start, end)}

    correct = sum(1 for r in predicted if groups(r.a, r.a_start, r.a_end) & groups(r.b, r.b_start, r.b_end))
    return {
        "articles": n,
        "planted_sentence_pairs": total,
        "recall": round(hit / total, 4) if total else 0.0,
        "precision": round(correct / len(predicted), 4) if predicted else 0.0,
        **{f"recall_{m}": round(h / t, 4) for m, (h, t) in sorted(per_mode.items())},
        "predicted_items": len(predicted),
        "paraphrase_items": paraphrases,
        "seconds": round(seconds, 1),
    }


def _print(console: Console, title: str, rows: list[dict]) -> None:
    table = Table(title=title, title_justify="left")
    for key in rows[0]:
        table.add_column(key.replace("_", " "))
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console.print(table)


def main() -> list[dict]:
    console = Console(width=220)
    rows: list[dict] = []
    ecb_rows, learned, cosine = ecb_tables()
    _print(console, f"ECB+ story clustering, test split, BCubed over {ORDERS} random orders", ecb_rows)
    named = zip(("intercept", *FEATURES), learned.weights, strict=True)
    console.print("join model learned on train: " + ", ".join(f"{name} {w}" for name, w in named))
    multinews_rows = multinews_table(learned)
    _print(console, f"Multi-News sample in one pile, BCubed over {ORDERS} random orders", multinews_rows)
    reuse_row = ecb_reuse()
    _print(console, "ECB+ wire reprints", [reuse_row])
    gold_rows = []
    sample_gold = REPO / "benchmarks" / "gold" / "sample_gold.json"
    for name, params in (("learned join", learned), ("body cosine", cosine)):  # the same settings as on ECB+
        setting = {"setting": name, "threshold": params.threshold}
        row = gold_table("karabakh", CORPORA / "karabakh", CORPORA / "karabakh" / "gold.json", params)
        gold_rows.append({**setting, **row})
        if sample_gold.exists():
            row = gold_table("sample", REPO / "src" / "storylens" / "sample", sample_gold, params)
            gold_rows.append({**setting, **row})
    _print(console, "Gold corpora (settings learned on ECB+ train and dev)", gold_rows)
    planted = planted_table()
    _print(console, "Planted reuse (verbatim/near)", [planted])
    for row in ecb_rows:
        rows.append({"bench": "ecbplus_clustering", **row})
    rows.extend({"bench": "multinews_pile_clustering", **row} for row in multinews_rows)
    rows.append({"bench": "ecbplus_reuse", **reuse_row})
    rows.extend({"bench": "gold", **row} for row in gold_rows)
    rows.append({"bench": "planted_reuse", **planted})
    return rows


if __name__ == "__main__":
    main()
