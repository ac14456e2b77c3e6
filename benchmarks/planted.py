"""Synthetic articles with planted text reuse, for measuring reuse recall/precision and speed at scale.

Words are pseudo-words drawn from a Zipf-like distribution over a large made-up vocabulary, so two
unrelated articles do not share long word n-grams by chance; each story has its own topical words
and names, so story clustering has something to find. Some articles copy passages (2-4 sentences)
from an earlier article of the same story, or now and then of another story: `verbatim`, `edited`
(a word changed, punctuation and spelling touched in each sentence) or `reordered` (the copied
sentences in another order). Every planted sentence pair is recorded with its character spans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from storylens.model import Article

_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_FUNCTION_TEXT = "the of and to in a that for on with as by at from was is has were said will"
_FUNCTION = _FUNCTION_TEXT.split()


@dataclass
class Planted:
    source: str
    target: str
    mode: str  # verbatim | edited | reordered
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # (src span, dst span)


@dataclass
class Corpus:
    articles: list[Article]
    story_of: dict[str, str]
    planted: list[Planted]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random, general: list[str], topic: list[str], names: list[str]) -> str:
    out = []
    for _ in range(rng.randint(12, 24)):
        roll = rng.random()
        if roll < 0.3:
            out.append(rng.choice(_FUNCTION))
        elif roll < 0.42:
            out.append(rng.choice(topic))
        elif roll < 0.46:
            out.append(rng.choice(names))
        else:
            out.append(general[min(len(general) - 1, int(rng.paretovariate(0.6)) - 1)])
    text = " ".join(out)
    if rng.random() < 0.3:
        text += ", " + " ".join(rng.choice(general) for _ in range(3))
    return text[0].upper() + text[1:] + "."


def _edit(rng: random.Random, sentence: str, general: list[str]) -> str:
    words = sentence[:-1].split(" ")
    i = rng.randrange(len(words))
    words[i] = rng.choice(general)  # a word changed
    j = rng.randrange(len(words))
    words[j] = words[j] + "," if not words[j].endswith(",") else words[j][:-1]  # punctuation
    k = rng.randrange(len(words))
    if len(words[k]) > 4:
        words[k] = words[k][:-1]  # a spelling change
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def generate(n_articles: int, seed: int = 7, story_size: tuple[int, int] = (2, 12), reuse_rate: float = 0.3) -> Corpus:
    rng = random.Random(seed)
    general = list(dict.fromkeys(_word(rng) for _ in range(60_000)))
    articles: list[Article] = []
    story_of: dict[str, str] = {}
    planted: list[Planted] = []
    sentences_of: dict[str, list[tuple[int, int, str]]] = {}
    by_story: dict[str, list[str]] = {}
    day = 0
    while len(articles) < n_articles:
        story = f"g{len(by_story)}"
        topic = [_word(rng) for _ in range(150)]
        names = [_word(rng).capitalize() + " " + _word(rng).capitalize() for _ in range(6)]
        day += rng.random() < 0.2
        by_story[story] = []
        for _ in range(rng.randint(*story_size)):
            if len(articles) >= n_articles:
                break
            aid = f"p{len(articles):06d}"
            body = [_sentence(rng, general, topic, names) for _ in range(rng.randint(8, 16))]
            plant = None
            if (by_story[story] or articles) and rng.random() < reuse_rate:
                pool = by_story[story] if by_story[story] and rng.random() < 0.9 else [a.id for a in articles[-500:]]
                source = rng.choice(pool)
                src = sentences_of[source]
                length = min(len(src), rng.randint(2, 4))
                at = rng.randrange(len(src) - length + 1)
                chosen = list(range(at, at + length))
                mode = rng.choice(["verbatim", "edited", "reordered"])
                order = chosen[:]
                if mode == "reordered":
                    while order == chosen:
                        rng.shuffle(order)
                copied = [src[i][2] if mode != "edited" else _edit(rng, src[i][2], general) for i in order]
                insert_at = rng.randint(0, len(body))
                body[insert_at:insert_at] = copied
                plant = (source, mode, order, insert_at)
            spans, text, pos = [], [], 0
            for s in body:
                spans.append((pos, pos + len(s), s))
                text.append(s)
                pos += len(s) + 1
            article = Article(
                id=aid, text=" ".join(text), title=None, published=(date(2024, 1, 1) + timedelta(days=day)).isoformat()
            )
            articles.append(article)
            story_of[aid] = story
            by_story[story].append(aid)
            sentences_of[aid] = spans
            if plant:
                source, mode, order, insert_at = plant
                record = Planted(source, aid, mode)
                for offset, i in enumerate(order):
                    s0, s1, _ = sentences_of[source][i]
                    d0, d1, _ = spans[insert_at + offset]
                    record.pairs.append(((s0, s1), (d0, d1)))
                planted.append(record)
    return Corpus(articles, story_of, planted)
