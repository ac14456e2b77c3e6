"""Framing: the different words the articles of one story choose for the same thing.

Two articles that tell the same fact in nearly the same sentence show their word choices where the
sentences differ: `halting traffic at Lorvania's largest port` / `... biggest port`, `The separatists
agreed` / `The Karabakh Armenians agreed`. So:
1. pair sentences across the story's articles that say the same thing (TF-IDF cosine over content lemmas);
2. diff each pair token by token; a short substituted stretch between shared anchors, content words on
   both sides, is a candidate pair of variants (spelling, inflection, numbers and function words are not
   framing and are dropped); a parenthesized other name after a name (`Stepanakert (Khankendi)`) too;
3. merge the pairs transitively into groups, one per thing;
4. attribute every variant to each article that uses it: a whole-word search of the texts, skipping
   occurrences inside a longer variant of the same group and names only given in passing
   (`known as Old Velmor`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from spacy.tokens import Doc, Span, Token

from storylens.extract.cues import QUOTE_VERBS
from storylens.model import Article, Framing, FramingVariant
from storylens.sentences import split_sentences

# Sentences this similar (cosine of content-lemma TF-IDF) tell the same fact; chosen on karabakh.
SENTENCE_SIMILARITY = 0.5
# A substituted stretch longer than this on either side is a rewrite, not a word choice.
MAX_VARIANT_TOKENS = 3
# Content tokens that must match on each side of a substitution within this many tokens (the slot).
ANCHOR_WINDOW = 3
# Two words this close in spelling (normalized Levenshtein similarity) are one word spelled two ways.
SPELLING_SIMILARITY = 0.75
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}
# What a text says before a name it gives only in passing: `known as Old Velmor`, `formerly X`.
_IN_PASSING = re.compile(
    r"(?:known\s+as|called|named|formerly|previously|also|spelled|spelt|referred\s+to\s+as)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def find_framing(
    articles: list[Article], docs: dict[str, Doc] | None = None, *, similarity: float = SENTENCE_SIMILARITY
) -> list[Framing]:
    """The framing differences among the articles of one story, the most widely used groups first.

    `docs` maps article id -> its spaCy Doc (parsed with `storylens.nlp`); articles without one are parsed here.
    """
    docs = _parse_missing(articles, docs or {})
    sentences = [(a.id, span) for a in articles for span in _sentence_spans(docs[a.id])]
    pairs: list[tuple[str, str]] = []
    for left, right in _similar_sentence_pairs(sentences, similarity):
        pairs.extend(_substitutions(left, right))
    for article in articles:
        pairs.extend(_declared_other_names(docs[article.id]))
    groups = _merge(pairs)
    texts = {a.id: a.text for a in articles}
    framings = [_framing(group, texts) for group in groups]
    framings = [f for f in framings if len(f.variants) > 1]
    return sorted(framings, key=lambda f: (-len({a for v in f.variants for a in v.articles}), f.about))


def _parse_missing(articles: list[Article], docs: dict[str, Doc]) -> dict[str, Doc]:
    missing = [a for a in articles if a.id not in docs]
    if not missing:
        return docs
    from storylens import nlp  # parsing here only when the caller has no Docs

    parsed = dict(docs)
    for article, doc in zip(missing, nlp.annotate(a.text for a in missing), strict=True):
        parsed[article.id] = doc
    return parsed


def _sentence_spans(doc: Doc) -> list[Span]:
    spans = []
    for sentence in split_sentences(doc.text):
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and len(span) > 3:
            spans.append(span)
    return spans


def _content_lemmas(span: Span) -> list[str]:
    return [t.lemma_.lower() for t in span if t.pos_ in CONTENT_POS or t.like_num]


def _similar_sentence_pairs(sentences: list[tuple[str, Span]], threshold: float) -> Iterable[tuple[Span, Span]]:
    """Sentence pairs that say the same thing with some difference; identical wording has nothing to show."""
    if len(sentences) < 2:
        return
    bags = [_content_lemmas(span) for _, span in sentences]
    matrix = TfidfVectorizer(analyzer=lambda bag: bag, sublinear_tf=True).fit_transform(bags)
    similar = cosine_similarity(matrix)
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if sentences[i][0] == sentences[j][0]:
                continue  # a headline and its lead say the same thing twice; framing is what outlets choose
            if similar[i, j] >= threshold and _words(sentences[i][1]) != _words(sentences[j][1]):
                yield sentences[i][1], sentences[j][1]


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span if not t.is_punct]


# -- substitutions ---------------------------------------------------------------------------------


def _substitutions(left: Span, right: Span) -> list[tuple[str, str]]:
    """Pairs of phrases that fill the same slot in two sentences saying the same thing."""
    a, b = list(left), list(right)
    matcher = difflib.SequenceMatcher(a=[_key(t) for t in a], b=[_key(t) for t in b], autojunk=False)
    found = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace":
            pair = _substituted_phrases(a, i1, i2, b, j1, j2)
        elif op in ("delete", "insert"):
            pair = _other_name(a, i1, i2, b, j1) if op == "delete" else _other_name(b, j1, j2, a, i1)
        else:
            continue
        if pair:
            found.append(pair)
    return found


def _key(token: Token) -> str:
    return token.lower_.replace("’", "'")


def _substituted_phrases(a: list[Token], i1: int, i2: int, b: list[Token], j1: int, j2: int) -> tuple[str, str] | None:
    side_a, side_b = _whole_words(_trim(a[i1:i2])), _whole_words(_trim(b[j1:j2]))
    if not side_a or not side_b or len(side_a) > MAX_VARIANT_TOKENS or len(side_b) > MAX_VARIANT_TOKENS:
        return None
    if not _anchored(a, i1, i2, b, j1, j2):
        return None
    if not all(_is_wording(side) for side in (side_a, side_b)):
        return None
    if all(t.pos_ == "PROPN" for t in side_a + side_b):
        return None  # two names in one slot are two referents (`Azerbaijan's` / `Armenia's Defense Ministry`)
    if _pos_class(side_a) != _pos_class(side_b) or _same_word(side_a, side_b):
        return None
    if not _same_slot(side_a, side_b):
        return None
    if _pos_class(side_a) == "V" and all(t.lemma_ in QUOTE_VERBS for t in side_a + side_b if t.pos_ == "VERB"):
        return None  # `said` / `told`: attribution style is the quote stage's business
    return _phrase(side_a), _phrase(side_b)


def _same_slot(side_a: list[Token], side_b: list[Token]) -> bool:
    """The two stretches play one role in their sentences: same relation to a head with the same lemma."""

    def slot(side: list[Token]) -> tuple[str, str]:
        inside = {t.i for t in side}
        root = next((t for t in side if t.head.i not in inside or t.head == t), side[-1])
        return root.dep_, root.head.lemma_.lower() if root.head != root else ""

    return slot(side_a) == slot(side_b)


def _is_wording(side: list[Token]) -> bool:
    """A choice of words: some content word, and no numbers (differing numbers are the claims stage's)."""
    return any(t.pos_ in CONTENT_POS for t in side) and not any(t.like_num or t.pos_ == "NUM" for t in side)


def _whole_words(tokens: list[Token]) -> list[Token]:
    """Grow a stretch to whole hyphenated words: `terror` in `anti-terror` becomes `anti-terror`."""
    if not tokens:
        return tokens
    doc = tokens[0].doc
    first, last = tokens[0].i, tokens[-1].i
    while (
        first >= 2 and doc[first - 1].text in "-–" and not doc[first - 2].whitespace_ and not doc[first - 1].whitespace_
    ):
        first -= 2
    while (
        last + 2 < len(doc)
        and doc[last + 1].text in "-–"
        and not doc[last].whitespace_
        and not doc[last + 1].whitespace_
    ):
        last += 2
    return list(doc[first : last + 1])


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop determiners, punctuation and other function words at the edges of a substituted stretch."""
    keep = list(tokens)
    while keep and _function_word(keep[0]):
        keep.pop(0)
    while keep and _function_word(keep[-1]):
        keep.pop()
    return keep


def _function_word(token: Token) -> bool:
    return token.is_punct or token.is_stop or token.pos_ in {"DET", "ADP", "CCONJ", "PART", "AUX", "PRON"}


def _anchored(a: list[Token], i1: int, i2: int, b: list[Token], j1: int, j2: int) -> bool:
    """Both sentences share a content word just before and just after the stretch, or the same sentence edge."""

    def shared(side_a: list[Token], side_b: list[Token]) -> bool:
        words_a = {_key(t) for t in side_a if not t.is_stop and not t.is_punct}
        words_b = {_key(t) for t in side_b if not t.is_stop and not t.is_punct}
        return bool(words_a & words_b)

    def same(side_a: list[Token], side_b: list[Token]) -> bool:
        return [_key(t) for t in side_a] == [_key(t) for t in side_b]

    before = same(a[:i1], b[:j1]) or shared(a[max(0, i1 - ANCHOR_WINDOW) : i1], b[max(0, j1 - ANCHOR_WINDOW) : j1])
    after = same(a[i2:], b[j2:]) or shared(a[i2 : i2 + ANCHOR_WINDOW], b[j2 : j2 + ANCHOR_WINDOW])
    return before and after


def _same_word(side_a: list[Token], side_b: list[Token]) -> bool:
    """One wording in two spellings or forms: `neighbors`/`neighbours`, `has said`/`had said`, `terror`/`terrorist`."""
    lemmas_a = " ".join(t.lemma_.lower() for t in side_a)
    lemmas_b = " ".join(t.lemma_.lower() for t in side_b)
    plain_a, plain_b = _plain(side_a), _plain(side_b)
    if lemmas_a == lemmas_b or plain_a == plain_b:
        return True
    shorter, longer = sorted((plain_a, plain_b), key=len)
    if len(shorter) >= 5 and longer.startswith(shorter):
        return True  # a derived form of the same word
    return Levenshtein.normalized_similarity(plain_a, plain_b) >= SPELLING_SIMILARITY


def _plain(tokens: list[Token]) -> str:
    return re.sub(r"[\s\-–']+", "", "".join(t.lower_ for t in tokens))


def _pos_class(tokens: list[Token]) -> str:
    """What kind of words the stretch is, by its last content word: a name/noun, a verb or a modifier."""
    head = [t for t in tokens if t.pos_ in CONTENT_POS][-1]
    return {"PROPN": "N", "NOUN": "N", "VERB": "V", "ADJ": "A", "ADV": "A"}[head.pos_]


def _other_name(tokens: list[Token], i1: int, i2: int, other: list[Token], j: int) -> tuple[str, str] | None:
    """`Stepanakert (Khankendi)` in one sentence where the other has `Stepanakert`: a name and its other name."""
    dropped = tokens[i1:i2]
    if len(dropped) < 3 or dropped[0].text != "(" or dropped[-1].text != ")" or i1 == 0:
        return None
    name_end = tokens[i1 - 1]
    if name_end.pos_ != "PROPN" or not all(t.pos_ == "PROPN" for t in dropped[1:-1]):
        return None
    if j == 0 or _key(other[j - 1]) != _key(name_end):
        return None
    name = _name_ending_at(tokens, i1 - 1)
    return _phrase(name + dropped), _phrase(name)


def _declared_other_names(doc: Doc) -> list[tuple[str, str]]:
    """Names a text itself gives as another name of a place or body: `Velmor, ... known as Old Velmor until 1998`,
    `Stepanakert (Khankendi)`. Both become variants; who uses which as the name decides the framing."""
    pairs = []
    for pattern in (_PARENTHESIZED_NAME, _PASSIVE_NAMING):
        for match in pattern.finditer(doc.text):
            # an all-capitals code in brackets is an agency or an abbreviation, not another name: `(MPA)`
            other = doc.char_span(match.start("other"), match.end("other"), alignment_mode="expand")
            if other is None or other.text.isupper() or not all(t.pos_ == "PROPN" for t in other):
                continue
            name_end = _last_name_before(doc, doc.char_span(match.start(), match.end(), alignment_mode="expand").start)
            if name_end is None:
                continue
            name = _name_ending_at(list(doc), name_end.i)
            if pattern is _PARENTHESIZED_NAME:  # `Stepanakert (Khankendi)` is itself a way of naming the place
                pairs.append((doc.text[name[0].idx : match.end() + 1], _phrase(name)))
            elif _norm(_phrase(name)) != _norm(other.text):
                pairs.append((_phrase(name), other.text))
    return pairs


_NAME = r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,2}"
# `Stepanakert (Khankendi)`: a parenthesized name right after a name.
_PARENTHESIZED_NAME = re.compile(rf"(?<=\w) \((?P<other>{_NAME})(?=\))")
# `that was known as Old Velmor`, `which is also called X`: the passive keeps `Vasko called Delmar` out.
_PASSIVE_NAMING = re.compile(
    rf"\b(?:was|were|is|are|been|being|formerly|previously|once|also)\s+(?:known\s+as|called|named)\s+(?P<other>{_NAME})"
)


def _last_name_before(doc: Doc, end: int) -> Token | None:
    """The last token of the nearest proper name that ends at or before token `end`, in the same sentence."""
    for i in range(end - 1, max(-1, end - 12), -1):
        if doc[i].pos_ == "PROPN":
            return doc[i]
        if doc[i].is_sent_start or doc[i].text in ".;":
            return None
    return None


def _name_ending_at(tokens: list[Token], last: int) -> list[Token]:
    first = last
    while first > 0 and tokens[first - 1].pos_ == "PROPN":
        first -= 1
    return tokens[first : last + 1]


def _phrase(tokens: list[Token]) -> str:
    """The stretch as the article spells it, spacing included."""
    doc = tokens[0].doc
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


# -- groups and who uses what ----------------------------------------------------------------------


def _merge(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components over variant pairs, keyed case-insensitively."""
    parent: dict[str, str] = {}
    surface: dict[str, Counter[str]] = defaultdict(Counter)

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for x, y in pairs:
        kx, ky = _norm(x), _norm(y)
        surface[kx][x] += 1
        surface[ky][y] += 1
        parent[find(kx)] = find(ky)
    components: dict[str, list[str]] = defaultdict(list)
    for key in surface:
        components[find(key)].append(surface[key].most_common(1)[0][0])
    return [sorted(c) for c in components.values()]


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("’", "'")).strip().casefold()


def _framing(phrases: list[str], texts: dict[str, str]) -> Framing:
    hits = {p: _occurrences(p, texts) for p in phrases}
    # an occurrence inside a longer variant's occurrence is that variant's (`Stepanakert` in `Stepanakert (Khankendi)`)
    for p in phrases:
        longer = [q for q in phrases if q != p and len(q) > len(p)]
        hits[p] = [
            (aid, s, e)
            for aid, s, e in hits[p]
            if not any(aid == a2 and s2 <= s and e <= e2 for q in longer for a2, s2, e2 in hits[q])
        ]
    variants = [
        FramingVariant(phrase=p, articles=sorted({aid for aid, _, _ in hits[p]}), spans=hits[p])
        for p in phrases
        if hits[p]
    ]
    variants.sort(key=lambda v: (-len(v.articles), v.phrase))
    about = variants[0].phrase if variants else phrases[0]
    return Framing(about=about, variants=variants)


def _occurrences(phrase: str, texts: dict[str, str]) -> list[tuple[str, int, int]]:
    words = [re.escape(w) for w in re.split(r"[\s]+", phrase.replace("’", "'").strip())]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words).replace("'", "['’]") + r"(?!\w)", re.IGNORECASE)
    found = []
    for article_id, text in texts.items():
        for match in pattern.finditer(text):
            if not _IN_PASSING.search(text[max(0, match.start() - 40) : match.start()]):
                found.append((article_id, match.start(), match.end()))
    return found
