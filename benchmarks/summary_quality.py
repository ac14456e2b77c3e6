"""Cited summary quality: ROUGE on real Multi-News clusters against LexRank and lead baselines, and the citations
of the karabakh and sample summaries checked against their hand-made reuse/paraphrase answers.

Run: `.venv/bin/python -m benchmarks.summary_quality` (add `--tune` to fit the summary's word model on the dev split).

Every system picks whole sentences from the same pool (`summarize.prose_sentences` of the same documents),
in its own rank order, skipping any that would overflow the budget, up to BUDGET_WORDS words per cluster.
The first 25 clusters are the dev split the word model was fit on; the last 25 are the test split.
"""

from __future__ import annotations

import functools
import itertools
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from storylens import summarize as sm
from storylens import summary_words
from storylens.ingest import read_inputs
from storylens.model import Article
from storylens.sentences import split_sentences
from storylens.stories.align import align
from storylens.stories.features import WORD

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
MULTINEWS = CORPORA / "multinews_sample" / "mds_sample.jsonl"
KARABAKH = CORPORA / "karabakh"
SAMPLE = REPO / "src" / "storylens" / "sample"
SAMPLE_GOLD = REPO / "benchmarks" / "gold" / "sample_gold.json"
ECBPLUS = CORPORA / "ecbplus" / "ecbplus_docs.jsonl"

BUDGET_WORDS = 200  # fixed for every cluster: the Multi-News references average 211 words (median 205)
DEV = slice(0, 25)
TEST = slice(25, 50)
KARABAKH_BUDGET = 120
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)


# -- Multi-News ---------------------------------------------------------------------------------------------------


def load_multinews() -> list[tuple[list[Article], str]]:
    """Clusters as (articles, reference). Lines that recur in two or more clusters are site boilerplate
    ("Tweet with a location", "Advertisement", crawler notices) and are dropped, the way passim-style reuse
    detection treats text repeated across unrelated documents."""
    rows = [json.loads(line) for line in MULTINEWS.read_text().splitlines() if line.strip()]
    lines_per_cluster = Counter(
        line for row in rows for line in {ln.strip() for d in row["documents"] for ln in d.split("\n")}
    )
    clusters = []
    for row in rows:
        articles = []
        for k, document in enumerate(row["documents"]):
            kept = [ln.strip() for ln in document.split("\n") if ln.strip() and lines_per_cluster[ln.strip()] < 2]
            if kept:
                articles.append(Article(id=f"{row['id']}-{k}", text="\n\n".join(kept)))
        clusters.append((articles, row["summary"].lstrip("–- ").strip()))
    return clusters


Picker = Callable[[list[Article]], list[str]]


def _fill(ranked: list[str], budget: int) -> list[str]:
    out, used = [], 0
    for text in ranked:
        words = len(text.split())
        if used + words <= budget:
            out.append(text)
            used += words
    return out


def storylens_picker(params: sm.SummaryParams | None = None, budget: int = BUDGET_WORDS) -> Picker:
    return lambda articles: [s.text for s in sm.summarize(articles, budget_words=budget, params=params)]


def lead_round_robin(articles: list[Article], budget: int = BUDGET_WORDS) -> list[str]:
    """First sentence of each article, then the second of each, and so on."""
    pools = [sm.prose_sentences(a) for a in articles]
    ranked = [p[i].text for i in range(max(map(len, pools), default=0)) for p in pools if i < len(p)]
    return _fill(ranked, budget)


def lead_first_article(articles: list[Article], budget: int = BUDGET_WORDS) -> list[str]:
    """The classic lead: the opening sentences of the first article (then the next article's, if it runs out)."""
    return _fill([s.text for a in articles for s in sm.prose_sentences(a)], budget)


class _PoolTokenizer:
    """sumy's tokenizer interface over our own splits, so LexRank ranks exactly the sentences the others see."""

    language = "english"

    def to_sentences(self, text: str) -> list[str]:
        return [s.text for s in split_sentences(text)]

    def to_words(self, text: str) -> list[str]:
        return WORD.findall(text)


def sumy_lexrank(articles: list[Article], budget: int = BUDGET_WORDS) -> list[str]:
    """sumy's LexRank (English stemmer and stop words) over the same sentence pool, best first until the budget."""
    tokenizer = _PoolTokenizer()
    paragraphs = [Paragraph([SumySentence(s.text, tokenizer) for s in sm.prose_sentences(a)]) for a in articles]
    document = ObjectDocumentModel(paragraphs)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ranked: list[str] = []
    summarizer(document, lambda infos: ranked.extend(str(i.sentence) for i in infos) or [])
    return _fill(ranked, budget)


def rouge(summary: list[str], reference: str) -> dict[str, float]:
    reference_lines = "\n".join(s.text for s in split_sentences(reference))
    scores = SCORER.score(reference_lines, "\n".join(summary))
    return {name: scores[name].fmeasure for name in ("rouge1", "rouge2", "rougeL", "rougeLsum")}


def evaluate(picker: Picker, clusters: list[tuple[list[Article], str]]) -> dict[str, float]:
    per = [rouge(picker(articles), reference) for articles, reference in clusters]
    return {name: statistics.mean(p[name] for p in per) for name in per[0]}


def multinews_rows(clusters: list[tuple[list[Article], str]]) -> list[dict]:
    systems: dict[str, Picker] = {
        "storylens": storylens_picker(),
        "LexRank (sumy)": sumy_lexrank,
        "lead, round robin": lead_round_robin,
        "lead, first article": lead_first_article,
    }
    rows = []
    for split, part in (("dev 1-25", clusters[DEV]), ("test 26-50", clusters[TEST]), ("all 50", clusters)):
        for name, picker in systems.items():
            start = time.perf_counter()
            scores = evaluate(picker, part)
            rows.append(
                {
                    "split": split,
                    "system": name,
                    "budget_words": BUDGET_WORDS,
                    **{k: round(100 * v, 2) for k, v in scores.items()},
                    "ms_per_cluster": round(1000 * (time.perf_counter() - start) / len(part), 1),
                }
            )
    return rows


@dataclass
class _Prepared:
    """One cluster as `summarize` reads it, with its reference's count of every word of the story."""

    story: sm.Story
    reference: str
    target: np.ndarray


def _prepare(articles: list[Article], reference: str) -> _Prepared:
    story = sm.read_story(articles)
    counts = Counter(summary_words.tokens(reference))
    return _Prepared(story, reference, np.array([counts[w] for w in story.words.vocabulary], float))


def fit_word_model(clusters: list[_Prepared], alpha: float = 0.1) -> tuple[float, np.ndarray]:
    """Poisson regression of each word's count in the reference on its features, L2 `alpha` on standardised
    features; returns the intercept and the weights of the raw design (as `summary_words` applies them)."""
    from sklearn.linear_model import PoissonRegressor

    x = summary_words.design(np.vstack([c.story.words.features for c in clusters]))
    y = np.concatenate([c.target for c in clusters])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = PoissonRegressor(alpha=alpha, max_iter=3000).fit((x - mean) / scale, y)
    weights = model.coef_ / scale
    return float(model.intercept_ - (weights * mean).sum()), weights


def _rouge_with(cluster: _Prepared, intercept: float, weights: np.ndarray) -> dict[str, float]:
    story = cluster.story
    expected = summary_words.expected_counts(story.words.features, intercept, weights)
    params = sm.SummaryParams()
    chosen = sm._select(
        story.units, story.same | story.support, story.words, story.scores, BUDGET_WORDS, params, expected
    )
    ordered = sorted(chosen, key=lambda i: (story.units[i].index, story.units[i].article))
    return rouge([story.units[i].sentence.text for i in ordered], cluster.reference)


def tune(clusters: list[tuple[list[Article], str]], folds: int = 5) -> list[dict]:
    """The word model fit on the dev clusters, with its ROUGE-1 out of fold (each fold fit on the others) and
    the weights to put in `summary_words`."""
    prepared = [_prepare(articles, reference) for articles, reference in clusters]
    out_of_fold = []
    for fold in range(folds):
        held = set(range(fold, len(prepared), folds))
        intercept, weights = fit_word_model([c for k, c in enumerate(prepared) if k not in held])
        out_of_fold += [_rouge_with(prepared[k], intercept, weights) for k in sorted(held)]
    intercept, weights = fit_word_model(prepared)
    in_sample = [_rouge_with(c, intercept, weights) for c in prepared]
    print(f"INTERCEPT = {intercept!r}")
    named = zip(summary_words.design_names(), weights, strict=True)
    print("COEFFICIENTS = {" + ", ".join(f'"{name}": {weight:.6g}' for name, weight in named) + "}")
    return [
        {"fit": fit, **{name: round(100 * statistics.mean(p[name] for p in per), 2) for name in per[0]}}
        for fit, per in ((f"{folds}-fold, out of fold", out_of_fold), ("all dev clusters, in sample", in_sample))
    ]


# -- citations judged by hand ---------------------------------------------------------------------------------------

CITATIONS_GOLD = REPO / "benchmarks" / "gold" / "summary_citations.json"


def pair_alignments(articles: list[Article]) -> list[tuple[sm.Span, sm.Span]]:
    """The reuse spans (verbatim, near, paraphrase) of every pair of a cluster's articles, as the pipeline
    passes its story's reuse to the summary."""
    return [((r.a, r.a_start, r.a_end), (r.b, r.b_start, r.b_end))
            for a, b in itertools.combinations(articles, 2) for r in align(a, b)]  # fmt: skip


def cited_spans(stories: list[list[Article]]) -> list[dict]:
    """Every span the summaries cite besides each sentence's own, with its sentence."""
    out = []
    for articles in stories:
        by_id = {a.id: a for a in articles}
        for s in sm.summarize(articles, budget_words=BUDGET_WORDS, alignments=pair_alignments(articles)):
            for article_id, start, end in s.sources[1:]:
                out.append(
                    {"sentence": s.text, "cited_article": article_id, "cited": by_id[article_id].text[start:end]}
                )
    return out


@functools.cache
def corpus_articles() -> dict[str, Article]:
    """Every ECB+ document and Multi-News sample article (as `load_multinews` reads it), by id: the gold files
    point into their texts by offsets rather than keeping any of the text."""
    rows = [json.loads(line) for line in ECBPLUS.read_text().splitlines() if line.strip()]
    found = {r["id"]: Article(id=r["id"], text=r["text"]) for r in rows}
    for articles, _ in load_multinews():
        found.update({a.id: a for a in articles})
    return found


def span_text(at: list) -> str:
    """The text at [document id, start, end]."""
    article_id, start, end = at
    return corpus_articles()[article_id].text[start:end]


def ecbplus_groups(key: str) -> list[list[Article]]:
    """ECB+ documents grouped by `gold_topic` (two look-alike events per topic, by design of the corpus) or
    by `gold_cluster` (one event: what storylens calls a story)."""
    rows = [json.loads(line) for line in ECBPLUS.read_text().splitlines() if line.strip()]
    groups: dict[str, list[Article]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(Article(id=row["id"], text=row["text"]))
    return [groups[g] for g in sorted(groups, key=lambda g: (int(g.split("_")[0]), g))]


def citation_precision(name: str, stories: list[list[Article]], judgements: list[dict], console: Console) -> dict:
    """Share of the cited spans judged to state their sentence's fact. A citation the judgements do not hold
    (the summary picked another sentence, or cites a new span) is counted apart and printed, to be judged."""
    judged = {(span_text(i["sentence_at"]), i["cited_at"][0], span_text(i["cited_at"])): i["states_its_fact"]
              for i in judgements}  # fmt: skip
    # a pair cited in two summaries (an ECB+ event's and its topic's) counts once
    found = list({(c["sentence"], c["cited_article"], c["cited"]): c for c in cited_spans(stories)}.values())
    verdicts = [judged.get((c["sentence"], c["cited_article"], c["cited"])) for c in found]
    for c, verdict in zip(found, verdicts, strict=True):
        if verdict is False:
            console.print(f"[dim]wrong: {c['sentence'][:150]}\n    cites: {c['cited'][:150]}[/]")
    right, wrong = verdicts.count(True), verdicts.count(False)
    return {"corpus": name, "judged_in_gold": len(judgements), "cited_spans": len(found), "judged_right": right,
            "judged_wrong": wrong, "unjudged": verdicts.count(None),
            "precision": round(right / (right + wrong), 3) if right + wrong else None}  # fmt: skip


# -- citations on stories with hand-made reuse / paraphrase answers ------------------------------------------------


def _sentence_at(article: Article, fragment: str) -> tuple[int, int] | None:
    at = article.text.find(fragment)
    if at < 0:
        return None
    for s in split_sentences(article.text):
        if s.start <= at < s.end:
            return s.start, s.end
    return None


def support_rows(name: str, articles_by_ref: dict[str, Article], gold: dict) -> list[dict]:
    """Recall of the gold reuse and paraphrase pairs among the support pairs found (no alignments passed in)."""
    articles = list({a.id: a for a in articles_by_ref.values()}.values())
    found = {frozenset(pair) for pair in sm.sentence_support(articles)}
    rows = []
    for kind in ("reuse_pairs", "paraphrase_pairs"):
        hits = total = 0
        for pair in gold[kind]:
            a, b = articles_by_ref[pair["a"]], articles_by_ref[pair["b"]]
            span_a, span_b = _sentence_at(a, pair["a_text"]), _sentence_at(b, pair["b_text"])
            if span_a is None or span_b is None or a.id == b.id:
                continue
            total += 1
            hits += frozenset({(a.id, *span_a), (b.id, *span_b)}) in found
        rows.append({"corpus": name, "pairs": kind, "gold": total, "found": hits, "recall": round(hits / total, 3)})
    rows[-1]["support_pairs_found"] = rows[0]["support_pairs_found"] = len(found)
    return rows


def citation_check(
    name: str, story: str, articles: list[Article], budget: int, gold_pairs: list[tuple[tuple, tuple]], console: Console
) -> dict:
    """Summarise one story, print it with its citations, and check that every cited span is a whole sentence
    of its article that holds the summary sentence (same words, or enough shared content to be a support)."""
    by_id = {a.id: a for a in articles}
    summary = sm.summarize(articles, budget_words=budget)
    spans = bad = 0
    console.print(f"[bold]{name} / {story}[/] ({len(articles)} articles, budget {budget} words)")
    for s in summary:
        own_id, own_start, own_end = s.sources[0]
        if by_id[own_id].text[own_start:own_end] != s.text:
            bad += 1
        for article_id, start, end in s.sources:
            spans += 1
            cited = by_id[article_id].text[start:end]
            whole = any(x.start == start and x.end == end for x in split_sentences(by_id[article_id].text))
            bad += not whole or not cited
        console.print(f"  [{len(s.sources)} src] {s.text}")
        for article_id, start, end in s.sources[1:]:
            console.print(f"        [dim]{article_id}: {by_id[article_id].text[start:end]}[/]")
    # gold partners: for each chosen sentence that is one side of a hand-made reuse/paraphrase pair, is the other cited?
    partners = cited_partners = 0
    for s in summary:
        cited = set(s.sources)
        for left, right in gold_pairs:
            if left[0] not in by_id or right[0] not in by_id:
                continue  # a pair across two stories cannot be cited in one story's summary
            for mine, other in ((left, right), (right, left)):
                if mine == s.sources[0]:
                    partners += 1
                    cited_partners += other in cited
    words = sum(len(s.text.split()) for s in summary)
    return {"corpus": name, "story": story, "sentences": len(summary), "words": words, "budget": budget,
            "cited_spans": spans, "multi_source_sentences": sum(len(s.sources) > 1 for s in summary),
            "bad_spans": bad, "gold_partners": partners, "gold_partners_cited": cited_partners}  # fmt: skip


def _gold_spans(by_ref: dict[str, Article], gold: dict) -> list[tuple[tuple, tuple]]:
    """The gold reuse and paraphrase pairs as pairs of whole-sentence spans (article_id, start, end)."""
    pairs = []
    for pair in gold["reuse_pairs"] + gold["paraphrase_pairs"]:
        a, b = by_ref[pair["a"]], by_ref[pair["b"]]
        span_a, span_b = _sentence_at(a, pair["a_text"]), _sentence_at(b, pair["b_text"])
        if span_a and span_b:
            pairs.append(((a.id, *span_a), (b.id, *span_b)))
    return pairs


def load_karabakh() -> tuple[dict[str, Article], dict]:
    gold = json.loads((KARABAKH / "gold.json").read_text())
    articles = {a.path: a for a in read_inputs([str(KARABAKH / f) for f in gold["files"].values()])}
    return {ref: articles[str(KARABAKH / f)] for ref, f in gold["files"].items()}, gold


def load_sample() -> tuple[dict[str, Article], dict]:
    gold = json.loads(SAMPLE_GOLD.read_text())
    by_ref = {}
    for item in read_inputs(sorted(str(p) for p in SAMPLE.iterdir())):
        if isinstance(item, Article):
            by_ref[str(Path(item.path).relative_to(SAMPLE))] = item
    return by_ref, gold


# -- output ---------------------------------------------------------------------------------------------------


def table(title: str, rows: list[dict]) -> Table:
    out = Table(title=title, title_justify="left")
    keys = list(dict.fromkeys(k for row in rows for k in row))
    for key in keys:
        out.add_column(key.replace("_", " "), justify="left" if isinstance(rows[0].get(key), str) else "right")
    for row in rows:
        out.add_row(*(str(row.get(k, "")) for k in keys))
    return out


def main() -> list[dict]:
    console = Console()
    clusters = load_multinews()
    if "--tune" in sys.argv:
        results = tune(clusters[DEV])
        console.print(table("Word model on the dev split (ROUGE-1 F1 x100)", results))
        return results
    rows = [{"benchmark": "multinews_rouge", **r} for r in multinews_rows(clusters)]
    console.print(table(f"Multi-News ROUGE F1 x100 at a fixed budget of {BUDGET_WORDS} words", rows))

    gold = json.loads(CITATIONS_GOLD.read_text())
    test = [articles for articles, _ in clusters[TEST]]
    topics, events = ecbplus_groups("gold_topic"), ecbplus_groups("gold_cluster")
    everything = [articles for articles, _ in clusters] + events + topics
    judged_sets = [("multinews 26-50 (dev)", test, "multinews"), ("ecbplus topics (dev)", topics, "ecbplus"),
                   ("ecbplus stories (dev)", events, "ecbplus_stories"),
                   ("sampled, first (dev)", everything, "sampled_first"),
                   ("sampled, second (dev)", everything, "sampled_second"),
                   ("sampled, third (dev)", everything, "sampled_third"),
                   ("sampled, 0.6-0.7 share (dev)", everything, "sampled_band"),
                   ("sampled, fourth (dev)", everything, "sampled_fourth"),
                   ("sampled, fifth (dev)", everything, "sampled_fifth"),
                   ("sampled, sixth (dev)", everything, "sampled_sixth"),
                   ("sampled, seventh (dev)", everything, "sampled_seventh"),
                   ("sampled, eighth (held out when drawn)", everything, "sampled_eighth")]  # fmt: skip
    precision = [citation_precision(name, stories, gold[key], console) for name, stories, key in judged_sets]
    console.print(table("Summary citations that state their sentence's fact (hand-judged)", precision))
    rows += [{"benchmark": "citation_precision", **r} for r in precision]

    karabakh, karabakh_gold = load_karabakh()
    sample, sample_gold = load_sample()
    support = support_rows("sample (dev)", sample, sample_gold) + support_rows(
        "karabakh (test)", karabakh, karabakh_gold
    )
    console.print(table("Support found between sentences vs hand-made reuse / paraphrase pairs", support))
    rows += [{"benchmark": "support_recall", **r} for r in support]

    checks = []
    for name, (by_ref, gold), budget in (("karabakh", (karabakh, karabakh_gold), KARABAKH_BUDGET),
                                         ("sample", (sample, sample_gold), KARABAKH_BUDGET)):  # fmt: skip
        for story in gold["stories"]:
            articles = list({by_ref[r].id: by_ref[r] for r in story["articles"]}.values())
            checks.append(citation_check(name, story["id"], articles, budget, _gold_spans(by_ref, gold), console))
    console.print(table("Citations: every cited span must be a whole sentence of its article", checks))
    rows += [{"benchmark": "citations", **r} for r in checks]
    return rows


if __name__ == "__main__":
    main()
