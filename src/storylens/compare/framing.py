"""Framing: the different words the articles of one story choose for the same thing.

Three sources of wordings of one thing:
1. Two articles that tell the same fact in nearly the same sentence show their word choices where the
   sentences differ: `halting traffic at Lorvania's largest port` / `... biggest port`, `The separatists
   agreed` / `The Karabakh Armenians agreed`. Sentences are paired across articles (TF-IDF cosine over
   content lemmas) and diffed token by token; a short substituted stretch between shared anchors, content
   words on both sides, is a pair of variants (spelling, inflection, numbers and function words are not
   framing and are dropped).
2. Names a text gives as another name: `Stepanakert (Khankendi)`, `Velmor, ... known as Old Velmor`.
3. Words for acts and groups (`compare.nominals`): `anti-terror operation`, `rapid offensive`, `assault`;
   `resigned`, `stepped down`, `quits`, `exit`: uses of one kind of act or group in the story's texts
   and headlines, found wherever they are, not only in sentences that align.
Pairs merge transitively into groups, one per thing. Each variant is credited to the articles that use
it: by lemma for the words of (3), by a whole-word search of texts and headlines for the others, skipping
occurrences inside a longer variant of the same group and names only given in passing (`known as Old Velmor`).
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import numpy as np
from rapidfuzz.distance import Levenshtein
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.tokens import Doc, Span, Token

from storylens.compare.nominals import Act, acts_in, group_acts, shown_phrase
from storylens.extract.cues import QUOTE_VERBS
from storylens.intervals import Intervals
from storylens.model import Article, Framing, FramingVariant
from storylens.nlp import text_of
from storylens.sentences import split_sentences
from storylens.unionfind import UnionFind

# Sentences this similar (cosine of content-lemma TF-IDF) tell the same fact; chosen on karabakh.
SENTENCE_SIMILARITY = 0.5
# A substituted stretch longer than this on either side is a rewrite, not a word choice.
MAX_VARIANT_TOKENS = 3
# A sentence is paired with at most this many sentences of each other article.
MAX_PAIRED = 3
# A sentence meets every later article's sentences; in a story of more later articles than this (a wire story
# and its hundreds of reprints) it keeps only its MAX_ARTICLES_MET x MAX_PAIRED most similar ones. A reworded
# copy is still met by the articles that come late, and by its own sentences.
MAX_ARTICLES_MET = 64
ROWS_AT_ONCE = 256
# Sentences longer than this are not diffed for substitutions.
MAX_DIFF_TOKENS = 200
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
    articles: list[Article],
    docs: dict[str, Doc],
    *,
    similarity: float = SENTENCE_SIMILARITY,
    titles: dict[str, Doc] | None = None,
) -> list[Framing]:
    """The framing differences among the articles of one story, the most widely used groups first.

    `docs` maps every article id -> its spaCy Doc, `titles` article id -> its headline's Doc (parsed by
    the same pipeline); headlines without one are left out.
    """
    titles = _headlines(articles, titles)
    sentences = [(a.id, span) for a in articles for span in _sentence_spans(docs[a.id])]
    pairs: list[tuple[str, str]] = []
    for left, right in _similar_sentence_pairs(sentences, similarity):
        pairs.extend(_substitutions(left, right))
    texts = [a.text for a in articles]
    pairs = [(x, y) for x, y in pairs if not any(_bracket_names_another(p, texts) for p in (x, y))]
    for article in articles:
        pairs.extend(_declared_other_names(docs[article.id], texts))
    acts = [act for a in articles for act in acts_in(docs[a.id], a.id)]
    acts += [act for aid, doc in titles.items() for act in acts_in(doc, aid, in_title=True)]
    wordings = _Wordings({a.id: a.text for a in articles}, {a.id: a.title for a in articles if a.id in titles})
    for x, y in pairs:
        wordings.link(wordings.searched(x), wordings.searched(y))
    for group in group_acts(acts):
        nodes = [wordings.used(uses) for uses in _by_key(group)]
        for node in nodes[1:]:
            wordings.link(nodes[0], node)
    framings = [_framing(component) for component in wordings.components()]
    framings = [f for f in framings if len(f.variants) > 1]
    return sorted(framings, key=lambda f: (-len({a for v in f.variants for a in v.articles}), f.about))


def _headlines(articles: list[Article], titles: dict[str, Doc] | None) -> dict[str, Doc]:
    """Headlines name things in few words and often differently (`Kovric quits`); a headline that is
    also the text's first line is already in the text."""
    given = titles or {}
    return {a.id: given[a.id] for a in articles if a.id in given and a.title and not _opens_text(a)}


def _opens_text(article: Article) -> bool:
    return bool(article.title) and article.text.lstrip().startswith(article.title.strip())


def _by_key(uses: list[Act]) -> list[list[Act]]:
    by_key: dict[str, list[Act]] = defaultdict(list)
    for act in uses:
        by_key[act.key].append(act)
    return list(by_key.values())


def _sentence_spans(doc: Doc) -> list[Span]:
    spans = []
    for sentence in split_sentences(text_of(doc)):
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
    wordings = [_words(span) for _, span in sentences]  # once per sentence, not once per pair
    # framing is what outlets choose, so each article's sentences meet only the later articles' (they come
    # grouped by article), a few hundred rows at a time: long articles never make a square matrix. Rows are
    # L2-normalised: a dot product is the cosine.
    matrix = TfidfVectorizer(analyzer=lambda bag: bag, sublinear_tf=True).fit_transform(bags)
    bounds = _article_bounds(sentences)
    for n, (first, last) in enumerate(bounds):
        for top in range(first, last, ROWS_AT_ONCE):
            similar = (matrix[top : min(top + ROWS_AT_ONCE, last)] @ matrix[last:].T).toarray()
            keep = similar >= threshold
            for begin, end in bounds[n + 1 :]:
                _keep_most_similar(similar[:, begin - last : end - last], keep[:, begin - last : end - last])
            if len(bounds) - n - 1 > MAX_ARTICLES_MET:  # hundreds of reprints: the closest sentences only
                _keep_most_similar(np.where(keep, similar, -1.0), keep, MAX_ARTICLES_MET * MAX_PAIRED)
            for i, j in zip(*np.nonzero(keep), strict=True):
                if wordings[top + i] != wordings[last + j]:
                    yield sentences[top + i][1], sentences[last + j][1]


def _article_bounds(sentences: list[tuple[str, Span]]) -> list[tuple[int, int]]:
    """Where each article's run of sentences starts and ends."""
    starts = [i for i in range(len(sentences)) if i == 0 or sentences[i][0] != sentences[i - 1][0]]
    return list(zip(starts, starts[1:] + [len(sentences)], strict=True))


def _keep_most_similar(similar: np.ndarray, keep: np.ndarray, most: int = MAX_PAIRED) -> None:
    """Keeps (in place) only each sentence's `most` most similar sentences of one other article (a fact is
    told once or twice per article, and a page of look-alike sentences must not pair all with all), or of
    all later articles."""
    if similar.shape[1] > most:
        best = np.argpartition(-similar, most - 1, axis=1)[:, :most]
        mask = np.zeros_like(keep)
        np.put_along_axis(mask, best, True, axis=1)
        keep &= mask


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span if not t.is_punct]


# -- substitutions ---------------------------------------------------------------------------------


def _substitutions(left: Span, right: Span) -> list[tuple[str, str]]:
    """Pairs of phrases that fill the same slot in two sentences saying the same thing."""
    if len(left) > MAX_DIFF_TOKENS or len(right) > MAX_DIFF_TOKENS:
        return []  # a list or page the splitter could not cut: diffing it token by token is quadratic
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
    if any(_is_name(side) and not _group_name(side) for side in (side_a, side_b)):
        # two names in one slot are two referents (`Azerbaijan's` / `Armenia's Defense Ministry`); a name and
        # a description (`the Q10` / `the smartphone`) say who, not how: only a people's name is a choice
        # of words (`Karabakh Armenians` / `separatists`)
        return None
    if any(_clause_inside(side) for side in (side_a, side_b)):
        return None  # `customers transform` / `clients improve`: two slots at once
    if any(_light(side) for side in (side_a, side_b)):
        return None  # `taken` / `died`, `person` / `physician`, `yesterday` / `morning`: no choice of name
    if _pos_class(side_a) != _pos_class(side_b) or _same_word(side_a, side_b):
        return None
    if not _same_slot(side_a, side_b):
        return None
    if _pos_class(side_a) == "V" and all(t.lemma_ in QUOTE_VERBS for t in side_a + side_b if t.pos_ == "VERB"):
        return None  # `said` / `told`: attribution style is the quote stage's business
    return _phrase(side_a), _phrase(side_b)


def _is_name(side: list[Token]) -> bool:
    """A name by its tag, its entity label or its capital inside a sentence (`Chargers general manager`)."""
    return all(t.pos_ == "PROPN" or t.ent_type_ in _NAMED or (t.is_title and not t.is_sent_start) for t in side)


_NAMED = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}


def _group_name(side: list[Token]) -> bool:
    """A name of a people: `Karabakh Armenians`, `Kurds` (a team or a company is a referent, not a wording)."""
    last = side[-1]
    return last.ent_type_ == "NORP" or (not last.ent_type_ and last.tag_ == "NNPS")


# Words too general to be a way of naming something: light verbs, general nouns.
LIGHT_WORDS = {
    "take", "make", "have", "get", "give", "do", "go", "come", "put", "set", "keep", "know", "see", "become", "be",
    "person", "people", "thing", "man", "woman", "one", "way", "time", "lot", "part", "kind", "group", "place",
}  # fmt: skip
_TIME_OR_AMOUNT = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


def _light(side: list[Token]) -> bool:
    content = [t for t in side if t.pos_ in CONTENT_POS]
    return all(t.lemma_.lower() in LIGHT_WORDS or t.ent_type_ in _TIME_OR_AMOUNT for t in content)


def _clause_inside(side: list[Token]) -> bool:
    """Words related as subject, object or clause to each other, or coordinated: more than one phrase."""
    inside = {t.i for t in side}
    clausal = {"nsubj", "nsubjpass", "dobj", "ccomp", "xcomp", "advcl", "relcl", "conj", "cc", "attr", "acomp"}
    return any(t.dep_ in clausal and t.head.i in inside for t in side)


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
    if len(shorter) >= 5 and len(os.path.commonprefix([plain_a, plain_b])) >= 0.75 * len(shorter):
        return True  # `investigated` / `investigation`
    if len(shorter) >= 5 and sorted(plain_a) == sorted(plain_b):
        return True  # `metres` / `meters`, `centre` / `center`
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


def _declared_other_names(doc: Doc, texts: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Names a text itself gives as another name of a place or body: `Velmor, ... known as Old Velmor until 1998`,
    `Stepanakert (Khankendi)`. Both become variants; who uses which as the name decides the framing.

    A bracketed name that the story's `texts` also use on their own names something else: the state of
    a town (`San Angelo (Texas)`), a person's team (`Eddie Jordan (Washington)`).
    """
    texts = list(texts)
    pairs = []
    for pattern in (_PARENTHESIZED_NAME, _PASSIVE_NAMING):
        for match in pattern.finditer(text_of(doc)):
            # an all-capitals code in brackets is an agency or an abbreviation, not another name: `(MPA)`
            other = doc.char_span(match.start("other"), match.end("other"), alignment_mode="expand")
            if other is None or other.text.isupper() or not all(t.pos_ == "PROPN" for t in other):
                continue
            name_end = _last_name_before(doc, doc.char_span(match.start(), match.end(), alignment_mode="expand").start)
            if name_end is None:
                continue
            name = _name_ending_at(list(doc), name_end.i)
            if pattern is _PARENTHESIZED_NAME:  # `Stepanakert (Khankendi)` is itself a way of naming the place
                bracket = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if bracket is None or name_end.i != bracket.start - 1:
                    continue  # the name ends right at the bracket
                if _used_on_its_own(other.text, texts):
                    continue
                pairs.append((text_of(doc)[name[0].idx : match.end() + 1], _phrase(name)))
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


def _bracket_names_another(phrase: str, texts: list[str]) -> bool:
    """`Eddie Jordan (Washington)` where the story also says `Washington's Eddie Jordan`: the bracket is his team."""
    match = re.search(r"\((.+)\)$", phrase)
    return bool(match) and _used_on_its_own(match.group(1), texts)


def _used_on_its_own(name: str, texts: list[str]) -> bool:
    pattern = re.compile(rf"(?<![(\w]){re.escape(name)}(?![)\w])")
    return any(pattern.search(text) for text in texts)


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
    return text_of(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


# -- groups and who uses what ----------------------------------------------------------------------


# Where a wording is used: (article id, in the headline?, start, end); offsets index the text or the headline.
Occurrence = tuple[str, bool, int, int]


class _Wordings:
    """Variant phrases of one story, where each is used, and which name the same thing (union-find)."""

    def __init__(self, texts: dict[str, str], titles: dict[str, str]) -> None:
        self.texts, self.titles = _WordStarts(texts), _WordStarts(titles)
        self.surface: dict[str, Counter[str]] = defaultdict(Counter)
        self.uses: dict[str, set[Occurrence]] = defaultdict(set)
        self.union = UnionFind()

    def searched(self, phrase: str) -> str:
        """A phrase credited where the texts and headlines spell it (a pair of substituted words, a name)."""
        key = _norm(phrase)
        if key not in self.surface:
            self.uses[key] |= {(aid, False, s, e) for aid, s, e in _occurrences(phrase, self.texts)}
            self.uses[key] |= {(aid, True, s, e) for aid, s, e in _occurrences(phrase, self.titles)}
        self.surface[key][phrase] += 1
        return key

    def used(self, uses: list[Act]) -> str:
        """A wording credited where the parse found it, in any inflection (`fails`, `failed`)."""
        key = _norm(shown_phrase(uses))
        self.surface[key][shown_phrase(uses)] += len(uses)
        self.uses[key] |= {(a.article, a.in_title, a.start, a.end) for a in uses}
        return key

    def find(self, key: str) -> str:
        return self.union.find(key)

    def link(self, x: str, y: str) -> None:
        self.union.join(x, y)

    def components(self) -> list[dict[str, set[Occurrence]]]:
        """Each group of wordings: shown phrase -> its uses."""
        groups: dict[str, dict[str, set[Occurrence]]] = defaultdict(dict)
        for key in self.surface:
            groups[self.find(key)][self.surface[key].most_common(1)[0][0]] = self.uses[key]
        return list(groups.values())


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("’", "'")).strip().casefold()


def _framing(uses: dict[str, set[Occurrence]]) -> Framing:
    # a use inside a longer variant's use is that variant's (`Stepanakert` in `Stepanakert (Khankendi)`)
    spans: dict[tuple[str, bool], list[tuple[int, int, int]]] = defaultdict(list)
    for phrase, occurrences in uses.items():
        for article, in_title, start, end in occurrences:
            spans[(article, in_title)].append((start, end, len(phrase)))
    index = {place: Intervals(found) for place, found in spans.items()}
    own = {
        phrase: [o for o in occurrences if not any(n > len(phrase) for _, _, n in index[o[:2]].covering(o[2], o[3]))]
        for phrase, occurrences in uses.items()
    }
    variants = [
        FramingVariant(
            phrase=p,
            articles=sorted({o[0] for o in occurrences}),
            spans=sorted((aid, s, e) for aid, in_title, s, e in occurrences if not in_title),
        )
        for p, occurrences in own.items()
        if occurrences
    ]
    variants.sort(key=lambda v: (-len(v.articles), v.phrase))
    about = variants[0].phrase if variants else next(iter(uses))
    return Framing(about=about, variants=variants)


_WORD = re.compile(r"\w+")


class _WordStarts:
    """Texts by article id, with where each word starts in each (read once, when first asked): a phrase is
    tried only where its first word stands. A story holds hundreds of phrases, and a case-blind search of
    every text for each read all of them hundreds of times."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self._starts: dict[str, dict[str, list[int]]] = {}

    def of(self, article_id: str, word: str) -> list[int]:
        starts = self._starts.get(article_id)
        if starts is None:
            starts = defaultdict(list)
            for match in _WORD.finditer(self.texts[article_id]):
                starts[match.group().casefold()].append(match.start())
            self._starts[article_id] = starts
        return starts.get(word.casefold(), [])


def _occurrences(phrase: str, where: _WordStarts) -> list[tuple[str, int, int]]:
    """Whole-word uses of the phrase in any case, apostrophes of either kind, any white space between words."""
    phrase = phrase.replace("’", "'").strip()
    words = [re.escape(w) for w in re.split(r"[\s]+", phrase)]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words).replace("'", "['’]") + r"(?!\w)", re.IGNORECASE)
    first = _WORD.match(phrase)
    found = []
    for article_id, text in where.texts.items():
        matches = (
            pattern.finditer(text) if first is None else _matches_at(pattern, text, where.of(article_id, first.group()))
        )
        for match in matches:
            if not _IN_PASSING.search(text[max(0, match.start() - 40) : match.start()]):
                found.append((article_id, match.start(), match.end()))
    return found


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds when every match must begin at one of `starts` (ascending)."""
    reached = 0
    for start in starts:
        if start >= reached and (match := pattern.match(text, start)) is not None:
            reached = match.end()
            yield match
