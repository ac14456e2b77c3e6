"""Entity alias merging: the mentions of one story's articles grouped into entities.

Surface forms are first pooled by a folded key (case, diacritics, `the`, periods: `Erdoğan` = `Erdogan`,
`U.S.` = `US`), then merged when
- one is a spelling variant of the other, word by word (`Pashinian`/`Pashinyan`: edit distance 1),
  unless the difference is an inflection at the end (`Armenia`/`Armenian`, `Aliyev`/`Aliyeva`);
- one is a person's surname and the other that person's full name (`Aliyev` -> `Ilham Aliyev`), when
  only one full name in the story ends that way;
- one place or organization name ends the other (`Karabakh` in `Nagorno-Karabakh`), unless the rest
  is itself a name in the story (`Karabakh Armenians` stays apart from `Armenians`);
- a text says they are the same (`Stepanakert (Khankendi)`, `X, formerly known as Y`, `also called`).
Labels of the small model are noisy, so an entity's type is the majority over all of its mentions.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from functools import cached_property

from rapidfuzz.distance import Levenshtein

from storylens.intervals import Intervals
from storylens.model import Entity, Mention, Quote
from storylens.unionfind import UnionFind

PLACE_LIKE = {"GPE", "LOC", "FAC", "ORG"}
# Endings that make a different word, not a different spelling: demonyms, plurals, feminine surnames.
INFLECTIONS = {"a", "n", "s", "i", "an", "ia", "ns", "es", "is", "ian", "ans"}
# What a text says to give another name for the same thing: `X, formerly known as Y`.
_OTHER_NAME = re.compile(
    r"^\s*,?\s*(?:or\s+|formerly\s+|previously\s+|also\s+|now\s+|locally\s+|officially\s+|better\s+)?"
    r"(?:known\s+as|called|named|spelled|spelt|referred\s+to\s+as)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PARENTHESIS_OPEN = re.compile(r"^\s*\(\s*$")
_PARENTHESIZED_NAME = re.compile(r"^\s*\(\s*((?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*){0,3})\s*\)")


def fold(name: str) -> str:
    """The key that spelling, case and diacritics do not change: `the U.S.` -> `us`, `Erdoğan` -> `erdogan`."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[’']s$", "", plain).replace(".", "")
    plain = re.sub(r"^the\s+", "", plain)
    return re.sub(r"[\s\-–]+", " ", plain).strip()


def group_entities(mentions_by_article: dict[str, list[Mention]], texts: dict[str, str] | None = None) -> list[Entity]:
    """Entities of one story, most mentioned first.

    `texts` (article id -> Article.text) lets the texts' own alias statements merge names:
    `Stepanakert (Khankendi)`; without it those are left to the spelling rules.
    """
    if texts:
        mentions_by_article = _with_missed_surnames(mentions_by_article, texts)
    nodes = _pool(mentions_by_article)
    extra_surfaces = _text_aliases(mentions_by_article, texts or {}, nodes)
    for key, (surface, label, article) in extra_surfaces.items():
        node = nodes.setdefault(key[1], _Node(key[1]))
        node.surfaces[surface] += 0  # a name only given in passing still counts as an alias
        node.labels[label] += 0
        node.articles.add(article)
    union = UnionFind(nodes)
    for a, b in extra_surfaces:
        union.join(a, b)
    _merge_by_spelling(nodes, union)
    return _entities(nodes, union)


class _Node:
    """All mentions whose surface folds to one key."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.surfaces: Counter[str] = Counter()
        self.labels: Counter[str] = Counter()
        self.articles: set[str] = set()
        self.spans: list[tuple[str, int, int]] = []

    @cached_property  # read only once pooling is done; the pairwise merges ask for it often
    def label(self) -> str:
        return self.labels.most_common(1)[0][0]

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())


def _with_missed_surnames(
    mentions_by_article: dict[str, list[Mention]], texts: dict[str, str]
) -> dict[str, list[Mention]]:
    """A person's surname alone where the tagger missed it (`Sokal said`, in an article that never gives
    the full name), when exactly one full name in the story ends with it and it is not tagged as
    something else anywhere."""
    fulls: dict[str, set[str]] = defaultdict(set)
    other_labels: set[str] = set()
    for mentions in mentions_by_article.values():
        for m in mentions:
            words = m.text.split()
            if m.label == "PERSON" and len(words) > 1 and words[-1][:1].isupper():
                fulls[words[-1]].add(fold(m.text))
            elif len(words) == 1 and m.label != "PERSON":
                other_labels.add(m.text)
    surnames = [
        name for name, owners in fulls.items() if len(owners) == 1 and len(name) >= 4 and name not in other_labels
    ]
    if not surnames:
        return mentions_by_article
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, surnames)) + r")\b")
    out = {}
    for article, mentions in mentions_by_article.items():
        taken = Intervals((m.start, m.end, None) for m in mentions)
        found = [
            Mention(hit.group(1), hit.start(), hit.end(), "PERSON")
            for hit in pattern.finditer(texts.get(article, ""))
            if not taken.overlapping(hit.start(), hit.end())
        ]
        out[article] = sorted(mentions + found, key=lambda m: m.start)
    return out


def _pool(mentions_by_article: dict[str, list[Mention]]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for article, mentions in mentions_by_article.items():
        for mention in mentions:
            key = fold(mention.text)
            if not key:
                continue
            node = nodes.setdefault(key, _Node(key))
            node.surfaces[mention.text] += 1
            node.labels[mention.label] += 1
            node.articles.add(article)
            node.spans.append((article, mention.start, mention.end))
    return nodes


def _text_aliases(
    mentions_by_article: dict[str, list[Mention]], texts: dict[str, str], nodes: dict[str, _Node]
) -> dict[tuple[str, str], tuple[str, str, str]]:
    """Pairs of keys a text itself declares the same, with the surface, label and article of the second."""
    pairs: dict[tuple[str, str], tuple[str, str, str]] = {}
    for article, text in texts.items():
        mentions = sorted(mentions_by_article.get(article, []), key=lambda m: m.start)
        for i, first in enumerate(mentions):
            after = text[first.end :]
            found = _PARENTHESIZED_NAME.match(after)
            if found and not _is_dateline(text, first, after[found.end() :]):
                second = found.group(1)
                labels = {first.label, nodes.get(fold(second), _Node("")).label if fold(second) in nodes else None}
                if not ({"ORG"} & labels and labels & {"GPE", "LOC", "PERSON"}):
                    pairs[(fold(first.text), fold(second))] = (second, first.label, article)
                continue
            if i + 1 < len(mentions):
                second_mention = mentions[i + 1]
                between = text[first.end : second_mention.start]
                if _OTHER_NAME.match(between) and not _PARENTHESIS_OPEN.match(between):
                    pairs[(fold(first.text), fold(second_mention.text))] = (second_mention.text, first.label, article)
    return pairs


def _is_dateline(text: str, mention: Mention, rest: str) -> bool:
    """`YEREVAN (AFP) —`: a place and an agency at the head of a story, not two names of one thing."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    return mention.start - line_start < 3 or bool(re.match(r"^\s*[-—–:]", rest))


def _merge_by_spelling(nodes: dict[str, _Node], union: UnionFind) -> None:
    keys = sorted(nodes, key=lambda k: (-len(k.split()), -nodes[k].count, k))
    # Candidate pairs come from blocks, so that a story of hundreds of names is not compared all to all:
    # spelling variants share their word count and the start or the end of their last word.
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        blocks[(len(words), "^", words[-1][:2])].append(key)
        blocks[(len(words), "$", words[-1][-3:])].append(key)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if union.find(a) != union.find(b) and _same_by_spelling(nodes[a], nodes[b]):
                    union.join(a, b)
    # A surname alone goes to the one full name it ends, spelled exactly or as a variant.
    full_names: dict[tuple, set[str]] = defaultdict(set)
    for key in keys:
        if nodes[key].label == "PERSON" and len(key.split()) > 1 and key.split()[0] not in nodes:
            for block in (("^", key.split()[-1][:2]), ("$", key.split()[-1][-3:])):
                full_names[block].add(key)  # `Karabakh Armenians` (a place first) is no person's name
    for key in keys:
        if len(key.split()) != 1 or nodes[key].label != "PERSON":
            continue
        candidates = full_names[("^", key[:2])] | full_names[("$", key[-3:])]
        fulls = sorted(full for full in candidates if _variant(full.split()[-1], key))
        if fulls and len({union.find(full) for full in fulls}) == 1:
            union.join(key, fulls[0])
    by_initials: dict[str, list[str]] = defaultdict(list)
    by_last_word: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        if len(words) > 1:
            by_initials["".join(w[0] for w in words if w not in {"of", "and", "the", "for"})].append(key)
            by_last_word[words[-1]].append(key)
    for a in keys:
        # An acronym of a longer name: `U.S.` and `United States`.
        for b in by_initials.get(a, []) if " " not in a else []:
            if union.find(a) != union.find(b) and _acronym_of(a, b) and _compatible(nodes[a].label, nodes[b].label):
                union.join(a, b)
        # A place or organization whose name ends a longer one: `Karabakh` in `Nagorno-Karabakh`.
        for b in by_last_word.get(a.split()[-1], []):
            if a != b and union.find(a) != union.find(b) and _ends_name(nodes[a], nodes[b], nodes):
                union.join(a, b)


def _same_by_spelling(a: _Node, b: _Node) -> bool:
    if not _compatible(a.label, b.label):
        return False
    words_a, words_b = a.key.split(), b.key.split()
    if len(words_a) != len(words_b):
        return False
    if a.articles & b.articles and a.label in PLACE_LIKE:
        return False  # one text naming both `Velmor` and `Belmor` means two places, not two spellings
    if a.label == b.label == "NORP" and (a.key + "s" == b.key or b.key + "s" == a.key):
        return True  # `Armenian` and `Armenians`
    pairs = list(zip(words_a, words_b, strict=True))
    if len(pairs) > 1 and any(x == y for x, y in pairs):
        # a shared word makes a one-letter difference in a shorter one safe: `Maia Sandu`/`Maia Sandou`
        return all(x == y or _variant(x, y, min_length=4) for x, y in pairs)
    return all(_variant(x, y) for x, y in pairs) and a.key != b.key


def _variant(x: str, y: str, min_length: int = 6) -> bool:
    """Two spellings of one word: equal, or one edit apart in a long word, and not an inflection."""
    if x == y:
        return True
    shorter, longer = sorted((x, y), key=len)
    if longer.startswith(shorter) and longer[len(shorter) :] in INFLECTIONS:
        return False
    if len(shorter) < min_length:
        return False
    allowed = 1 if len(shorter) < 10 else 2
    return Levenshtein.distance(x, y) <= allowed


def _acronym_of(short: str, long: str) -> bool:
    words = [w for w in long.split() if w not in {"of", "and", "the", "for"}]
    return " " not in short and 2 <= len(short) <= 5 and len(words) > 1 and short == "".join(w[0] for w in words)


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in PLACE_LIKE and b in PLACE_LIKE)


def _ends_name(short: _Node, long: _Node, nodes: dict[str, _Node]) -> bool:
    words_short, words_long = short.key.split(), long.key.split()
    if len(words_short) >= len(words_long) or words_long[-len(words_short) :] != words_short:
        return False
    if short.label not in PLACE_LIKE or long.label not in PLACE_LIKE or len(short.key) < 4:
        return False
    rest = " ".join(words_long[: -len(words_short)])
    last = re.escape(words_short[-1])
    hyphenated = any(re.search(rf"\w[-–]{last}$", surface.casefold()) for surface in long.surfaces)
    return rest not in nodes and (hyphenated or long.label == short.label)


def _entities(nodes: dict[str, _Node], union: UnionFind) -> list[Entity]:
    groups: dict[str, list[_Node]] = defaultdict(list)
    for key, node in nodes.items():
        groups[union.find(key)].append(node)
    entities = []
    for members in groups.values():
        surfaces: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        for node in members:
            surfaces.update(node.surfaces)
            for surface in node.surfaces:
                surfaces.setdefault(surface, 0)
            labels.update(node.labels)
        name = max(surfaces, key=lambda s: (len(fold(s).split()), surfaces[s], len(s), _has_diacritics(s)))
        kind = labels.most_common(1)[0][0]
        spans = sorted(span for node in members for span in node.spans)
        entities.append(
            Entity(
                id="ent-" + hashlib.sha1(f"{kind}\t{name}".encode()).hexdigest()[:12],
                name=name,
                type=kind,
                aliases=sorted(surfaces, key=lambda s: (-surfaces[s], s)),
                articles=sorted({a for node in members for a in node.articles}),
                mentions=sum(surfaces.values()),
                spans=spans,
            )
        )
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return entities


def _has_diacritics(name: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", name))


class SpeakerEntities:
    """The entity each quote's speaker is: the mention that is the speaker's words, else an entity whose
    name forms the speaker's. Mentions are indexed per article once: an article of thousands of quotes
    must not scan every mention of the story per quote."""

    def __init__(self, entities: list[Entity]) -> None:
        self._entities = entities
        mentions: dict[str, list[tuple[int, int, tuple[bool, str]]]] = defaultdict(list)
        for e in entities:
            for article, start, end in e.spans:
                mentions[article].append((start, end, (e.type == "PERSON", e.id)))
        self._mentions = {article: Intervals(found) for article, found in mentions.items()}
        self._by_name: dict[str, str | None] = {}

    def __call__(self, q: Quote, article_id: str) -> str | None:
        if q.speaker_start is not None and q.speaker_end is not None and article_id in self._mentions:
            inside = self._mentions[article_id].overlapping(q.speaker_start, q.speaker_end)
            if inside:
                # `Armenia's Prime Minister Nikol Pashinyan`: the name that ends the phrase is its head
                return max((end, person, entity_id) for _, end, (person, entity_id) in inside)[2]
        if not q.speaker:
            return None
        if q.speaker not in self._by_name:
            self._by_name[q.speaker] = next(
                (e.id for e in self._entities if any(alias in q.speaker for alias in e.aliases if len(alias) > 3)),
                None,
            )
        return self._by_name[q.speaker]
