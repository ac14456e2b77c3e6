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


@lru_cache(maxsize=200_000)
def _weight2(stem: str) -> float:
    """Squared weight of a stem. Figures anchor a fact: two passages giving the same number most
    likely report the same thing, so a number counts double."""
    return NUMBER_WEIGHT**2 if any(c.isdigit() for c in stem) else 1.0


def _norm2(stems: frozenset[str]) -> float:
    return sum(_weight2(s) for s in stems)


def _paraphrase_similarity(a: frozenset[str], b: frozenset[str], na: float = 0.0, nb: float = 0.0) -> tuple[float, int]:
    """Weighted cosine of two sets of content stems (norms may be passed in), and how many they share."""
    shared = a & b
    if not shared:
        return 0.0, 0
    na, nb = na or _norm2(a), nb or _norm2(b)
    return sum(_weight2(s) for s in shared) / (na * nb) ** 0.5, len(shared)


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
        for j, count in shared.items():
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


def _runs(units, used: set[int], window: int) -> list[tuple[list[int], frozenset[str], float]]:
    out = []
    for start in range(len(units)):
        if start in used:
            continue
        stems: frozenset[str] = frozenset()
        idx: list[int] = []
        for k in range(start, min(len(units), start + window)):
            if k in used:
                break
            idx = idx + [k]
            stems = stems | units[k].stems
            out.append((idx, stems, _norm2(stems)))
    return out


def _background(ua, ub) -> Counter[str]:
    """In how many sentences of the two articles each stem occurs: a stem found all over both articles is
    the story's background (its place, its people, its topic), not what one passage states."""
    return Counter(s for unit in (*ua, *ub) for s in unit.stems)


def _incidence(runs_a, runs_b, spread: Counter[str], sentences: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0/1 matrices (runs, stems) of both sides over the stems of both, and each stem's squared weight:
    figures count double, and a stem weighs less the more sentences of the two articles hold it (IDF)."""
    vocabulary: dict[str, int] = {}
    cells = [
        [(r, vocabulary.setdefault(s, len(vocabulary))) for r, (_, stems, _) in enumerate(runs) for s in stems]
        for runs in (runs_a, runs_b)
    ]
    matrices = []
    for runs, found in zip((runs_a, runs_b), cells, strict=True):
        matrix = np.zeros((len(runs), len(vocabulary)))
        if found:
            rows, cols = zip(*found, strict=True)
            matrix[list(rows), list(cols)] = 1.0
        matrices.append(matrix)
    # a stem in just the two compared sentences is as rare as one in a single sentence: hence spread - 1
    idf = np.array([np.log((1 + sentences) / max(1, spread[s] - 1)) for s in vocabulary])
    return matrices[0], matrices[1], np.array([_weight2(s) for s in vocabulary]) * idf**2


def _paraphrases(ua, ub, used_a, used_b, params: AlignParams) -> list[tuple[float, str, list[int], list[int]]]:
    runs_a = _runs(ua, used_a, params.paraphrase_window)
    runs_b = _runs(ub, used_b, params.paraphrase_window)
    if not runs_a or not runs_b:
        return []
    # every run of a against every run of b at once, as matrix products over the stems of both
    # (the same weighted cosine as _paraphrase_similarity: weights are 1 or 4, so the sums are exact)
    spread = _background(ua, ub)
    in_a, in_b, weights = _incidence(runs_a, runs_b, spread, len(ua) + len(ub))
    shared = in_a @ in_b.T
    norms = np.outer((in_a * weights).sum(axis=1), (in_b * weights).sum(axis=1))
    sims = ((in_a * weights) @ in_b.T) / np.sqrt(np.maximum(norms, 1e-12))  # a run of stop words only has norm 0
    scored = []
    for x, y in zip(*np.nonzero((shared >= params.paraphrase_min_shared) & (sims >= params.paraphrase)), strict=True):
        (ia, stems_a, _), (ib, stems_b, _) = runs_a[x], runs_b[y]
        names_a = frozenset().union(*(ua[i].names for i in ia))
        names_b = frozenset().union(*(ub[i].names for i in ib))
        if names_a and names_b and not names_a & names_b:
            continue  # each names its people and none in common: two people doing or saying a like thing
        names = names_a | names_b
        if len(stems_a & stems_b - names) < params.paraphrase_min_common:
            continue  # only names in common: the same people named is not the same statement
        if sum(spread[s] <= params.paraphrase_rare for s in stems_a & stems_b - names) < params.paraphrase_min_rare:
            continue  # only background and names in common: the story's place, people and topic, not what was done
        sim = float(sims[x, y])
        # prefer single sentences: a longer run must earn its place with a higher score
        scored.append((sim - 0.02 * (len(ia) + len(ib) - 2), sim, ia, ib))
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
