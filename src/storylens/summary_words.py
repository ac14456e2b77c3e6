"""How often each word of a story is expected in a summary of it: the summary then covers those words.

A word's expected count is a Poisson model of cluster statistics only (no word lists): how often and in how
many articles the story uses it, how early, in how central and how corroborated sentences, whether it is a
stop word. It was fit on the first 25 Multi-News clusters (the dev split) against their human summaries; see
`benchmarks/summary_quality.py --tune` (`fit_word_model`). Selection (in `summarize`) then picks, per word of budget,
the sentence that adds most of the words still expected (Hong & Nenkova 2014 in spirit).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from storylens.stories.features import STOPWORDS, fold, stem

_TOKEN = re.compile(r"[a-z0-9]+")

FEATURES = (
    "stop",  # a stop word (1/0)
    "log_tf",  # log(1 + occurrences in the story)
    "df",  # share of the story's articles that use it
    "articles",  # articles in the story
    "lead1",  # log(1 + first sentences holding it)
    "lead3",  # log(1 + sentences among the first three of an article holding it)
    "first_index",  # log(1 + the earliest position of a sentence holding it)
    "mean_index",  # log(1 + the mean position of its occurrences)
    "sentence_share",  # share of the story's sentences holding it
    "capitalised",  # share of its occurrences capitalised inside a sentence
    "digits",  # a number (1/0)
    "length",  # characters
    "tf_share",  # its share of the story's words
    "log_candidate_tf",  # log(1 + occurrences in sentences that may enter the summary)
    "centrality",  # the highest centrality of a sentence holding it
    "corroboration",  # the highest corroboration of a sentence holding it
    "lead_articles",  # share of articles that use it in their first three sentences
)

# The fit saw stories of 1 to 5 articles: a larger story reads as one of 5 for the feature that counts them (it
# enters linearly, and would swell every expected count of a story of a hundred).
MOST_ARTICLES_FIT = 5
# Fit on Multi-News clusters 1-25 (Poisson regression, L2 0.1 on standardised features, folded back to raw
# features); every feature but `stop` enters twice, once alone and once times `stop`.
INTERCEPT = -2.2744286640435405
COEFFICIENTS = {
    "stop": 0.182604, "log_tf": 0.332133, "df": 0.495972, "articles": 0.0385475, "lead1": -0.116201,
    "lead3": 0.123551, "first_index": -0.129593, "mean_index": -0.130785, "sentence_share": 1.44072,
    "capitalised": -0.0220789, "digits": -0.208508, "length": -0.0445753, "tf_share": 14.9764,
    "log_candidate_tf": 0.237803, "centrality": 0.380442, "corroboration": 0.554568, "lead_articles": 0.20527,
    "stop*log_tf": 0.0210702, "stop*df": 0.187901, "stop*articles": 0.0549402, "stop*lead1": 0.059721,
    "stop*lead3": -0.106851, "stop*first_index": 0.0803908, "stop*mean_index": -0.00269059,
    "stop*sentence_share": -0.309507, "stop*capitalised": 0.174985, "stop*digits": 0, "stop*length": -0.0148679,
    "stop*tf_share": -8.66404, "stop*log_candidate_tf": -0.00454155, "stop*centrality": -0.0382115,
    "stop*corroboration": -0.247086, "stop*lead_articles": -0.136479,
}  # fmt: skip


@dataclass
class StoryWords:
    """The story's words (`vocabulary`), their features (one row per word) and their counts per sentence."""

    vocabulary: list[str]
    features: np.ndarray
    counts: csr_matrix  # sentences x words


def tokens(text: str) -> list[str]:
    """The stems of a text's words, stop words kept (a summary holds them too)."""
    return [stem(t) for t in _TOKEN.findall(fold(text))]


def story_words(
    texts: Sequence[str],
    article_of: Sequence[int],
    index_of: Sequence[int],
    candidate: Sequence[bool],
    centrality: np.ndarray,
    corroboration: np.ndarray,
    n_articles: int,
) -> StoryWords:
    """The features of every word of a story's sentences (`texts`, with their article, position in it, whether
    they may enter the summary, and their ranking features)."""
    per_sentence = [tokens(t) for t in texts]
    vocabulary = sorted({w for ts in per_sentence for w in ts})
    column = {w: j for j, w in enumerate(vocabulary)}
    n = len(vocabulary)
    tf, candidate_tf, sentences, lead1, lead3, capitalised = (np.zeros(n) for _ in range(6))
    first_index = np.full(n, np.inf)
    index_sum = np.zeros(n)
    best_centrality, best_corroboration = np.zeros(n), np.zeros(n)
    articles: defaultdict[int, set[int]] = defaultdict(set)
    lead_articles: defaultdict[int, set[int]] = defaultdict(set)
    rows, cols, data = [], [], []
    for i, words in enumerate(per_sentence):
        counted = Counter(column[w] for w in words)
        for j, count in counted.items():
            rows.append(i)
            cols.append(j)
            data.append(count)
            tf[j] += count
            candidate_tf[j] += count * candidate[i]
            index_sum[j] += count * index_of[i]
            sentences[j] += 1
            lead1[j] += index_of[i] == 0
            lead3[j] += index_of[i] < 3
            first_index[j] = min(first_index[j], index_of[i])
            best_centrality[j] = max(best_centrality[j], centrality[i])
            best_corroboration[j] = max(best_corroboration[j], corroboration[i])
            articles[j].add(article_of[i])
            if index_of[i] < 3:
                lead_articles[j].add(article_of[i])
        for word in re.findall(r"\w+", texts[i])[1:]:
            if word[0].isupper():
                j = column.get(stem(fold(word)))
                if j is not None:
                    capitalised[j] += 1
    stop = np.array([w in STOPWORDS for w in vocabulary], float)
    features = (
        np.column_stack(
            [
                stop,
                np.log1p(tf),
                np.array([len(articles[j]) for j in range(n)]) / n_articles,
                np.full(n, min(n_articles, MOST_ARTICLES_FIT)),
                np.log1p(lead1),
                np.log1p(lead3),
                np.log1p(first_index),
                np.log1p(index_sum / np.maximum(tf, 1)),
                sentences / max(1, len(texts)),
                capitalised / np.maximum(tf, 1),
                np.array([w.isdigit() for w in vocabulary], float),
                np.array([len(w) for w in vocabulary], float),
                tf / max(1.0, tf.sum()),
                np.log1p(candidate_tf),
                best_centrality,
                best_corroboration,
                np.array([len(lead_articles[j]) for j in range(n)]) / n_articles,
            ]
        )
        if n
        else np.zeros((0, len(FEATURES)))
    )
    counts = csr_matrix((data, (rows, cols)), shape=(len(texts), n), dtype=float)
    return StoryWords(vocabulary, features, counts)


def design(features: np.ndarray) -> np.ndarray:
    """Every feature, and every feature but `stop` again for stop words apart."""
    return np.hstack([features, features[:, 1:] * features[:, :1]])


def design_names() -> list[str]:
    return [*FEATURES, *(f"stop*{name}" for name in FEATURES[1:])]


def expected_counts(
    features: np.ndarray, intercept: float = INTERCEPT, weights: np.ndarray | None = None
) -> np.ndarray:
    """Each word's expected count in a summary of the story (by the model above, or by another fit's)."""
    if weights is None:
        weights = np.array([COEFFICIENTS[name] for name in design_names()])
    return np.exp(intercept + design(features) @ weights)


def coverage_gain(counts: csr_matrix, have: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """For every sentence, how many of the words still expected it would add (a word counts up to its
    expected count)."""
    covered = np.minimum(have, expected)
    added = np.minimum(have[counts.indices] + counts.data, expected[counts.indices]) - covered[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    return np.bincount(rows, weights=added, minlength=counts.shape[0])
