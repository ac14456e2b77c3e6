"""Quote variants: one statement as the articles of a story report it, with what differs between them.

Outlets copy a quote with other punctuation (`not easy; it goes` / `not easy, it goes`), other words
(`left with what` / `left in what`), as reported speech, or as a plain sentence with no speaker at all
(a derivative article turning `the ombudsman said "the streets ... are filled with displaced people"`
into `The streets ... are filled with displaced, hungry and frightened people.`).

Statements are compared by their content words, stemmed crudely by truncation so that `displaced`,
`displacement` or `engineers`/`engineer` meet without a model: two quotes in different articles are one
statement when most of the shorter one's content words are in the other; a sentence elsewhere with no
quotation marks and no attribution that holds most of a direct quote's content words restates it.
Only groups with something to show are returned: a wording difference or an unattributed restatement.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storylens.model import Article, Quote, QuoteVariant, QuoteVariantGroup
from storylens.sentences import split_sentences

# Two quotes are one statement when this share of the shorter one's content words is in the other ...
SAME_STATEMENT = 0.6
# ... and they share at least this many (short quotes sharing fewer must be whole and have one speaker).
MIN_SHARED = 3
# A plain sentence restates a quote when it holds this share of the quote's content words, and this many.
RESTATEMENT = 0.6
MIN_RESTATED = 4
# Halves of one quote split by its attribution: `"A," she said, "B."`
SPLIT_GAP = 80
# ... within this many characters: a page of `"...," she said and "...," she said` is not one statement,
# and joining it piece by piece would copy and re-read the growing text at every piece.
MAX_JOINED_CHARS = 3000
STEM_LENGTH = 5
# Words this alike (normalized Levenshtein similarity) are one word spelled two ways: not a rewording.
SPELLING_SIMILARITY = 0.8
_WORD = re.compile(r"\w+(?:[-–'’]\w+)*")
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")


@dataclass
class _Unit:
    """A quote (split halves joined) or a sentence, with its content stems."""

    article: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    stems: list[str]
    joined: bool = False  # halves of a split quote: its punctuation between them is ours, not the article's

    @cached_property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)


def find_quote_variants(articles: list[Article], quotes_by_article: dict[str, list[Quote]]) -> list[QuoteVariantGroup]:
    """Groups of quotes across the articles of one story that report one statement, in text order of their
    first article; each group flags rewording (with the differing words) and unattributed restatements."""
    texts = {a.id: a.text for a in articles}
    units = [u for a in articles for u in _quote_units(a.id, a.text, quotes_by_article.get(a.id, []))]
    groups = _group_quotes(units)
    for group in groups:
        group.extend(_restatements(group, articles, quotes_by_article))
    found = [_variant_group(group, texts) for group in groups if len({u.article for u in group}) > 1]
    return [g for g in found if g.reworded or g.unattributed]


# -- units -----------------------------------------------------------------------------------------


def _quote_units(article_id: str, text: str, quotes: list[Quote]) -> list[_Unit]:
    units: list[_Unit] = []
    for quote in sorted(quotes, key=lambda q: q.start):
        previous = units[-1] if units else None
        if (
            previous is not None
            and quote.kind == "direct"
            and previous.kind == "direct"
            and quote.speaker == previous.speaker
            and 0 <= quote.start - previous.end <= SPLIT_GAP
            and quote.end - previous.start <= MAX_JOINED_CHARS
            and "\n" not in text[previous.end : quote.start]
        ):
            joined = f"{previous.text.rstrip()} {quote.text.lstrip()}"
            units[-1] = _Unit(
                article_id, previous.start, quote.end, joined, "direct", quote.speaker, list(_stems(joined)), True
            )
            continue
        units.append(
            _Unit(article_id, quote.start, quote.end, quote.text, quote.kind, quote.speaker, list(_stems(quote.text)))
        )
    return [u for u in units if u.stems]


@lru_cache(maxsize=65_536)  # called per word: the words of a story repeat
def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold().replace("’", "'")


def _words(text: str) -> list[str]:
    """Folded words, hyphens dropped so that `arch-rival` and `archrival` are one word."""
    return [re.sub("[-–]", "", w) for w in _WORD.findall(_fold(text))]


@lru_cache(maxsize=16_384)  # a story's sentences are compared with every quote of it
def _stems(text: str) -> tuple[str, ...]:
    """Content words cut to their first letters: a stemmer that needs no model and no language data.

    Names are left out (a capital inside the text): the story's names are in every article, so sharing
    them says nothing about sharing a statement."""
    found = []
    for match in _WORD.finditer(text):
        word = re.sub("[-–]", "", _fold(match.group()))
        if match.start() > 0 and match.group()[0].isupper() and not _opens_sentence(text, match.start()):
            continue
        if word not in ENGLISH_STOP_WORDS and not word.isdigit():
            found.append(word[:STEM_LENGTH])
    return tuple(found)


def _opens_sentence(text: str, at: int) -> bool:
    return bool(re.search(r"(?:^|[.!?:;\n][\"'“”‘’«»]?\s*|[\"“‘«]\s*)$", text[max(0, at - 4) : at]))


# -- grouping --------------------------------------------------------------------------------------


def _same_statement(a: _Unit, b: _Unit) -> bool:
    shorter, longer = sorted((a, b), key=lambda u: len(u.stem_set))
    shared = shorter.stem_set & longer.stem_set
    share = len(shared) / len(shorter.stem_set)
    if share >= SAME_STATEMENT and len(shared) >= MIN_SHARED:
        return True
    # `constructive and positive` and `constructive`: a short quote, whole in the other, from one speaker
    return share == 1.0 and a.kind == b.kind == "direct" and _same_speaker(a.speaker, b.speaker)


def _same_speaker(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    words_a = {w[:STEM_LENGTH] for w in _words(a) if w not in ENGLISH_STOP_WORDS}
    words_b = {w[:STEM_LENGTH] for w in _words(b) if w not in ENGLISH_STOP_WORDS}
    return bool(words_a & words_b)


def _group_quotes(units: list[_Unit]) -> list[list[_Unit]]:
    """Connected components of the same-statement relation (`_same_statement`) across articles (never within
    one). The stems two quotes share are counted for a block of rows at a time (a page of one speaker's
    look-alike quotes pairs all with all): no pair is visited one by one in Python."""
    if not units:
        return []
    stems = sparse.csr_matrix(_stem_matrix(units))
    sizes = np.diff(stems.indptr)  # distinct stems per unit
    article = np.unique([u.article for u in units], return_inverse=True)[1]
    labels = np.arange(len(units))
    for top in range(0, len(units), ROWS_AT_ONCE):
        shared = (stems[top : top + ROWS_AT_ONCE] @ stems.T).tocoo()
        i, j, count = shared.row + top, shared.col, shared.data
        keep = (j > i) & (article[i] != article[j])
        i, j, count = i[keep], j[keep], count[keep]
        smaller = np.minimum(sizes[i], sizes[j])
        same = (count / smaller >= SAME_STATEMENT) & (count >= MIN_SHARED)
        for k in np.nonzero((count == smaller) & ~same)[0]:  # a short quote whole in the other
            a, b = units[i[k]], units[j[k]]
            same[k] = a.kind == b.kind == "direct" and _same_speaker(a.speaker, b.speaker)
        same &= labels[i] != labels[j]  # pairs whose quotes are one statement already need no joining
        labels = _joined(labels, i[same], j[same])
    components: dict[int, list[_Unit]] = {}
    for label, unit in zip(labels.tolist(), units, strict=True):
        components.setdefault(label, []).append(unit)
    # a unit that joined through another's article counterpart keeps one wording per article: the best one
    return [_one_per_article(c) for c in components.values()]


ROWS_AT_ONCE = 512


def _stem_matrix(units: list[_Unit]) -> sparse.coo_matrix:
    """0/1 matrix (units, stems)."""
    vocabulary: dict[str, int] = {}
    cells = [(i, vocabulary.setdefault(s, len(vocabulary))) for i, u in enumerate(units) for s in u.stem_set]
    rows, cols = zip(*cells, strict=True)
    return sparse.coo_matrix((np.ones(len(cells)), (rows, cols)), shape=(len(units), len(vocabulary)))


def _joined(labels: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Component labels once the pairs (i, j) are joined to the components `labels` already holds."""
    if not len(i):
        return labels
    n = len(labels)
    # units are nodes 0..n-1, each tied to a node n + its label: a component stays whole as pairs join it
    rows, cols = np.concatenate([np.arange(n), i]), np.concatenate([n + labels, j])
    edges = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(2 * n, 2 * n))
    components = connected_components(edges, directed=False)[1][:n]
    return np.unique(components, return_inverse=True)[1]  # numbered below n, to name label nodes next time


def _one_per_article(units: list[_Unit]) -> list[_Unit]:
    best: dict[str, _Unit] = {}
    rank = {"direct": 0, "mixed": 1, "indirect": 2}
    for unit in units:
        held = best.get(unit.article)
        if held is None or (rank.get(unit.kind, 3), -len(unit.stems)) < (rank.get(held.kind, 3), -len(held.stems)):
            best[unit.article] = unit
    # the reference wording first: a direct quote, the fullest one
    return sorted(best.values(), key=lambda u: (rank.get(u.kind, 3), u.joined, -len(u.stems), u.start))


def _restatements(
    group: list[_Unit], articles: list[Article], quotes_by_article: dict[str, list[Quote]]
) -> list[_Unit]:
    """Plain sentences in articles of the story without this statement that say what a quote of it says."""
    quoted = [u for u in group if u.kind in ("direct", "mixed") and len(set(u.stems)) >= MIN_RESTATED]
    if not quoted:
        return []
    have = {u.article for u in group}
    quoted_stems = [set(unit.stems) for unit in quoted]
    found = []
    for article in articles:
        if article.id in have:
            continue
        attributed = [(q.start, q.end) for q in quotes_by_article.get(article.id, [])]
        best: tuple[float, _Unit] | None = None
        for sentence in split_sentences(article.text):
            if _QUOTE_MARKS.search(sentence.text) or any(
                s < sentence.end and sentence.start < e for s, e in attributed
            ):
                continue
            stems = set(_stems(sentence.text))
            for unit_stems in quoted_stems:
                shared = unit_stems & stems
                share = len(shared) / len(unit_stems)
                if share >= RESTATEMENT and len(shared) >= MIN_RESTATED and (best is None or share > best[0]):
                    best = (
                        share,
                        _Unit(
                            article.id, sentence.start, sentence.end, sentence.text, "unattributed", None, list(stems)
                        ),
                    )
        if best:
            found.append(best[1])
    return found


# -- differences -----------------------------------------------------------------------------------


def _variant_group(units: list[_Unit], texts: dict[str, str]) -> QuoteVariantGroup:
    reference = units[0]
    ref_words = _words(reference.text)
    variants = []
    for unit in units:
        variant = QuoteVariant(unit.article, unit.start, unit.end, unit.text, unit.kind, unit.speaker)
        if unit is not reference:
            variant.added, variant.dropped = _word_changes(ref_words, _words(unit.text))
            variant.punctuation = (
                not variant.added
                and not variant.dropped
                and not (unit.joined or reference.joined)
                and _punctuation(reference.text) != _punctuation(unit.text)
            )
        variants.append(variant)
    reworded = any(v.added or v.dropped or v.punctuation for v in variants)
    speaker = next((u.speaker for u in units if u.speaker), None)
    return QuoteVariantGroup(
        speaker=speaker, variants=variants, reworded=reworded, unattributed=any(u.kind == "unattributed" for u in units)
    )


def _word_changes(reference: list[str], other: list[str]) -> tuple[list[str], list[str]]:
    """Words `other` has where `reference` has others or none (added), and the reverse (dropped);
    a word only spelled otherwise (`neighbors`/`neighbours`) is neither."""
    added: list[str] = []
    dropped: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=reference, b=other, autojunk=False).get_opcodes():
        if op != "equal":
            dropped.extend(reference[i1:i2])
            added.extend(other[j1:j2])
    for word in list(dropped):
        twin = next((w for w in added if Levenshtein.normalized_similarity(w, word) >= SPELLING_SIMILARITY), None)
        if twin is not None:
            dropped.remove(word)
            added.remove(twin)
    return added, dropped


def _punctuation(text: str) -> str:
    """The punctuation inside a quote, trailing marks aside (a quote's last comma belongs to its sentence)."""
    plain = text.translate(_SAME_MARK).strip().rstrip(".,;:!?\"' ")
    return re.sub(r"[\w\s]", "", plain)


# Typographic and straight quotation marks are one mark in two typefaces.
_SAME_MARK = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
