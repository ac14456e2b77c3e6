"""Align two articles sentence by sentence: which passages of one reappear in the other, and how.

Kinds (the report's `kind`):
- `verbatim`: the same words in the same order (case, accents and punctuation aside);
- `near`: the same sentence with edits: spelling, punctuation, a word or a clause changed;
- `paraphrase`: the same content in other words, judged on the content words two passages share, each
  weighted by how few sentences of the two articles hold it: a paraphrase shares the fact (who, what was
  done or counted, the figure), not the story's background vocabulary (no model ships offline that would
  do better, see docs/offline-packages.md).

Sentences are the unit (passim aligns n-gram anchors; news reuse is sentence-shaped, and sentence
spans are what a reader wants highlighted). Consecutive matched sentences are merged into one span.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz.distance import Indel
from scipy import sparse

from storylens.model import Article, Reuse
from storylens.sentences import Sentence
from storylens.sentences import split_sentences as sentences
from storylens.stories.features import COUNT_CLASS_OF, WORD, content_stems, fold, stem, words


@dataclass
class AlignParams:
    min_words: int = 5  # shorter sentences ("He said.") are not evidence of reuse
    near: float = 0.6  # word-level similarity for `near` (see _near_similarity); chosen on planted data
    # IDF-weighted content-word cosine for `paraphrase` (IDF over the sentences of the two articles: the story's
    # background weighs little); chosen on the dev part of benchmarks/gold/paraphrase_pairs.json
    paraphrase: float = 0.3
    paraphrase_min_shared: int = 3  # content words two paraphrased passages must share at least
    # ... of which at least this many are not names: the same people named is not the same statement
    paraphrase_min_common: int = 2
    # what a passage states is in the stems few sentences of the two articles hold: a paraphrase must share
    # at least this many stems found in at most `paraphrase_rare` sentences of both articles together
    paraphrase_min_rare: int = 1
    paraphrase_rare: int = 3
    paraphrase_window: int = 2  # paraphrases may split or merge sentences: compare runs of up to this many


@dataclass
class _Unit:
    """One sentence prepared for comparison."""

    sentence: Sentence
    tokens: list[str]
    joined: str

    @cached_property
    def stems(self) -> frozenset[str]:
        # only paraphrase matching needs stems, and most alignments (LSH candidates) skip it; words of one
        # count class (`dead`, `lives`; `war`, `conflict`) are one stem, as restated facts swap them
        stems = content_stems(self.sentence.text)
        return frozenset("~" + COUNT_CLASS_OF[s] if s in COUNT_CLASS_OF else s for s in stems)

    @cached_property
    def names(self) -> frozenset[str]:
        """Stems of the capitalised words after the first: names, as far as a paraphrase check needs."""
        tokens = WORD.findall(self.sentence.text)[1:]
        return frozenset(stem(fold(t)) for t in tokens if t[0].isupper())

    @cached_property
    def trigrams(self) -> list[tuple[str, ...]]:
        return [tuple(self.tokens[k : k + 3]) for k in range(len(self.tokens) - 2)]


@lru_cache(maxsize=2048)
def _units(text: str) -> tuple[_Unit, ...]:
    """Sentences prepared once per text: an article is aligned with many newcomers."""
    out = []
    for sentence in sentences(text):
        tokens = words(sentence.text)
        out.append(_Unit(sentence, tokens, " ".join(tokens)))
    return tuple(out)


@lru_cache(maxsize=2048)
def _trigram_index(text: str, min_words: int) -> dict[tuple[str, ...], list[int]]:
    """Word trigram -> sentences of `text` holding it; cached: a newcomer is aligned with each of its candidates."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, unit in enumerate(_units(text)):
        if len(unit.tokens) >= min_words:
            for trigram in unit.trigrams:
                index[trigram].append(i)
    return dict(index)


def _near_similarity(a: _Unit, b: _Unit) -> float:
    """Word-level similarity that tolerates a dropped or added clause: the mean of the normalized
    Indel similarity over the two texts and the share of the shorter one found in order in the longer."""
    whole = Indel.normalized_similarity(a.tokens, b.tokens)
    shorter, longer = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    kept = (len(shorter.tokens) + len(longer.tokens) - Indel.distance(shorter.tokens, longer.tokens)) / 2
    return (whole + kept / max(1, len(shorter.tokens))) / 2


NUMBER_WEIGHT = 2.0
# A sentence is compared word by word with at most this many sentences of the other article, those sharing
# the most trigrams with it: it is matched to one at most, and two pages of look-alike sentences (a list of
# figures in one template) must not compare all with all.
NEAR_CANDIDATES = 8


@lru_cache(maxsize=200_000)
def _weight2(stem: str) -> float:
    """Squared weight of a stem. Figures anchor a fact: two passages giving the same number most
    likely report the same thing, so a number counts double."""
    return NUMBER_WEIGHT**2 if any(c.isdigit() for c in stem) else 1.0


def align(a: Article, b: Article, params: AlignParams | None = None, *, paraphrase: bool = True) -> list[Reuse]:
    """Reused passages between `a` and `b`, as span pairs; `a` is the earlier article when dates say so."""
    params = params or AlignParams()
    if a.published and b.published and b.published < a.published:
        a, b = b, a
    ua, ub = _units(a.text), _units(b.text)
    matches: list[tuple[float, str, list[int], list[int]]] = []

    # 1. verbatim and near: sentence pairs sharing enough words, best first, each sentence used once
    # candidates: sentence pairs sharing at least two word trigrams (an edit every few words is a rewrite)
    trigrams_b = _trigram_index(b.text, params.min_words)  # b is usually the newcomer: its index is reused
    scored = []
    for i, x in enumerate(ua):
        if len(x.tokens) < params.min_words:
            continue
        shared = Counter(j for trigram in x.trigrams for j in set(trigrams_b.get(trigram, ())))
        for j, count in shared.most_common(NEAR_CANDIDATES):
            y = ub[j]
            if count < 2 and x.joined != y.joined:
                continue
            if x.joined == y.joined:
                scored.append((1.0, "verbatim", i, j))
                continue
            sim = _near_similarity(x, y)
            if sim >= params.near:
                scored.append((sim, "near", i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for sim, kind, i, j in sorted(scored, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append((sim, kind, [i], [j]))

    # 2. paraphrase: among the rest, runs of 1..window sentences sharing most content words
    if paraphrase:
        matches.extend(_paraphrases(ua, ub, used_a, used_b, params))

    return _merge(a, b, ua, ub, matches)


def _runs(units, used: set[int], window: int) -> list[list[int]]:
    """Every run of 1..window consecutive sentences that are not matched yet."""
    out = []
    for start in range(len(units)):
        run: list[int] = []
        for k in range(start, min(len(units), start + window)):
            if k in used:
                break
            run = [*run, k]
            out.append(run)
    return out


def _run_stems(units, runs: list[list[int]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """0/1 matrix (runs, stems): a run holds the stems of its sentences."""
    cells = [(i, vocabulary[s]) for i, unit in enumerate(units) for s in unit.stems]
    rows, cols = zip(*cells, strict=True) if cells else ((), ())
    by_sentence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(vocabulary)))
    members = [(r, k) for r, run in enumerate(runs) for k in run]
    run_rows, sentence_cols = zip(*members, strict=True)
    of_run = sparse.csr_matrix((np.ones(len(members)), (run_rows, sentence_cols)), shape=(len(runs), len(units)))
    stems = (of_run @ by_sentence).tocsr()
    stems.data[:] = 1.0  # a stem in two sentences of a run is still one stem of the run
    stems.sort_indices()  # sums over a row's stems in one order: the same float sums in every process
    return stems


def _background(ua, ub) -> Counter[str]:
    """In how many sentences of the two articles each stem occurs: a stem found all over both articles is
    the story's background (its place, its people, its topic), not what one passage states."""
    return Counter(s for unit in (*ua, *ub) for s in unit.stems)


def _weights(vocabulary: dict[str, int], spread: Counter[str], sentences: int) -> np.ndarray:
    """Each stem's squared weight: figures count double, and a stem weighs less the more sentences of the
    two articles hold it (IDF; a stem in just the two compared sentences is as rare as one in a single
    sentence: hence spread - 1)."""
    idf = np.array([np.log((1 + sentences) / max(1, spread[s] - 1)) for s in vocabulary])
    return np.array([_weight2(s) for s in vocabulary]) * idf**2


# Runs of one article compared with all runs of the other at once: two pages of one template share stems
# in every pair of runs, and the products below hold one entry per such pair.
RUNS_AT_ONCE = 1024


def _shared_pairs(
    in_a: sparse.csr_matrix, in_b: sparse.csr_matrix, weights: np.ndarray, min_shared: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(run of a, run of b, weighted stems in common) for every pair of runs sharing at least `min_shared`
    stems, in row order (the scores break ties by it). Both products have the same entries, in the same order
    once sorted (every weight is positive: its IDF counts the two articles' sentences), so the weighted one is
    read where the count is enough rather than sampled pair by pair."""
    weighted_a = in_a.multiply(weights).tocsr()
    found = []
    for top in range(0, in_a.shape[0], RUNS_AT_ONCE):
        rows = slice(top, top + RUNS_AT_ONCE)
        counts = (in_a[rows] @ in_b.T).tocsr()
        sums = (weighted_a[rows] @ in_b.T).tocsr()
        counts.sort_indices()
        sums.sort_indices()
        enough = counts.data >= min_shared
        xs = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[enough] + top
        found.append((xs, counts.indices[enough], sums.data[enough]))
    return tuple(np.concatenate(part) for part in zip(*found, strict=True))  # type: ignore[return-value]


def _paraphrases(ua, ub, used_a, used_b, params: AlignParams) -> list[tuple[float, str, list[int], list[int]]]:
    runs_a = _runs(ua, used_a, params.paraphrase_window)
    runs_b = _runs(ub, used_b, params.paraphrase_window)
    if not runs_a or not runs_b:
        return []
    # every run of a against every run of b at once, as sparse products over the stems of both
    spread = _background(ua, ub)
    # in sorted order, not the order sets give (it changes with each process's string hashing): near-equal
    # scores must compare the same way wherever the alignment runs
    vocabulary = {s: n for n, s in enumerate(sorted(spread))}
    in_a, in_b = _run_stems(ua, runs_a, vocabulary), _run_stems(ub, runs_b, vocabulary)
    weights = _weights(vocabulary, spread, len(ua) + len(ub))
    norms_a, norms_b = in_a @ weights, in_b @ weights
    xs, ys, weighted = _shared_pairs(in_a, in_b, weights, params.paraphrase_min_shared)
    sims = weighted / np.sqrt(np.maximum(norms_a[xs] * norms_b[ys], 1e-12))
    scored = []
    for x, y, sim in zip(xs, ys, sims, strict=True):
        if sim < params.paraphrase:
            continue
        ia, ib = runs_a[x], runs_b[y]
        stems_a = frozenset().union(*(ua[i].stems for i in ia))
        stems_b = frozenset().union(*(ub[i].stems for i in ib))
        names_a = frozenset().union(*(ua[i].names for i in ia))
        names_b = frozenset().union(*(ub[i].names for i in ib))
        if names_a and names_b and not names_a & names_b:
            continue  # each names its people and none in common: two people doing or saying a like thing
        names = names_a | names_b
        if len(stems_a & stems_b - names) < params.paraphrase_min_common:
            continue  # only names in common: the same people named is not the same statement
        if sum(spread[s] <= params.paraphrase_rare for s in stems_a & stems_b - names) < params.paraphrase_min_rare:
            continue  # only background and names in common: the story's place, people and topic, not what was done
        # prefer single sentences: a longer run must earn its place with a higher score
        scored.append((sim - 0.02 * (len(ia) + len(ib) - 2), float(sim), ia, ib))
    out = []
    taken_a, taken_b = set(), set()
    for _, sim, ia, ib in sorted(scored, key=lambda s: s[0], reverse=True):
        if taken_a.isdisjoint(ia) and taken_b.isdisjoint(ib):
            taken_a.update(ia)
            taken_b.update(ib)
            out.append((sim, "paraphrase", ia, ib))
    return out


def _merge(a: Article, b: Article, ua, ub, matches) -> list[Reuse]:
    """Join matches that continue each other in both articles (same kind) into one span pair."""
    matches.sort(key=lambda m: (m[2][0], m[3][0]))
    merged: list[list] = []
    for sim, kind, ia, ib in matches:
        last = merged[-1] if merged else None
        if last and last[1] == kind and ia[0] == last[2][-1] + 1 and ib[0] == last[3][-1] + 1:
            last[0].append(sim)
            last[2].extend(ia)
            last[3].extend(ib)
        else:
            merged.append([[sim], kind, list(ia), list(ib)])
    known = bool(a.published and b.published and a.published != b.published)
    out = []
    for sims, kind, ia, ib in merged:
        out.append(
            Reuse(
                a=a.id,
                a_start=ua[ia[0]].sentence.start,
                a_end=ua[ia[-1]].sentence.end,
                b=b.id,
                b_start=ub[ib[0]].sentence.start,
                b_end=ub[ib[-1]].sentence.end,
                similarity=round(min(1.0, sum(sims) / len(sims)), 4),
                kind=kind,
                first=a.id if known else None,
            )
        )
    return out
