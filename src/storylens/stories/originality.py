"""Originality: how much of an article is its own within its story, and what only it adds.

An article's content is its sentences. A sentence is its own when
- no reuse span (verbatim, near or paraphrase) pairs it with a peer: another article of the story
  not published after it (with no dates, every other article), and
- it brings a new fact anchor: a name (capitalised run), a figure or quoted words that no peer has
  (a sentence without any anchor is its own only when no peer came before).
The second rule is what catches a rewrite: reworded sentences escape lexical matching, but they
add no name, number or quote of their own (a fact without any of these is rare in news).
The score is the share of the article's sentence characters that are its own.
"""

from __future__ import annotations

import re

from storylens.intervals import Intervals
from storylens.model import Article, ArticleFacts, Originality, Reuse
from storylens.sentences import split_sentences as sentences
from storylens.stories.features import capitalised_runs, words

MIN_WORDS = 4  # a sentence shorter than this (a dateline, a credit) is not content either way


def _counts_against(article: Article, other: Article | None) -> bool:
    """Reuse with `other` takes away from `article` unless dates show `other` came later."""
    if other is None:
        return False
    if article.published and other.published:
        return other.published <= article.published
    return True


_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{3,}?)[\"“”«»]")


def _anchors(text: str) -> list[str]:
    """Names, figures and quoted words of a sentence, each as folded words joined by spaces."""
    found = [" ".join(words(run)) for run in capitalised_runs(text)]
    found += [w for w in words(text) if any(c.isdigit() for c in w)]
    found += [" ".join(words(q)) for q in _QUOTED.findall(text) if len(words(q)) >= 3]
    return [a for a in found if a]


def _word_line(article: Article) -> str:
    return " ".join(words(article.text))


def _covered(article: Article, peers: dict[str, Article], reuse: list[Reuse]) -> list[tuple[int, int]]:
    spans = []
    for item in reuse:
        if item.a == article.id and _counts_against(article, peers.get(item.b)):
            spans.append((item.a_start, item.a_end))
        elif item.b == article.id and _counts_against(article, peers.get(item.a)):
            spans.append((item.b_start, item.b_end))
    return spans


def originality(
    article: Article,
    peers: list[Article],
    reuse: list[Reuse],
    facts: ArticleFacts | None = None,
    word_lines: dict[str, str] | None = None,
) -> Originality:
    """Originality of `article` among `peers` (the other articles of its story), given the reuse
    spans found between them (`Reuse` records involving other pairs are ignored).

    With `facts`, quotes and numeric claims whose words no peer contains are listed as its own.
    `word_lines`: article id -> its words joined, when read already (a story reads every article again as
    an earlier peer of each later one).
    """
    by_id = {p.id: p for p in peers if p.id != article.id}
    covered = Intervals((start, end, None) for start, end in _covered(article, by_id, reuse))
    earlier = [p for p in by_id.values() if _counts_against(article, p)]
    lines = word_lines if word_lines is not None else {p.id: _word_line(p) for p in earlier}
    peer_text = " " + " | ".join(lines[p.id] for p in earlier) + " "
    total = own_chars = 0
    own_sentences = []
    for sentence in sentences(article.text):
        if len(words(sentence.text)) < MIN_WORDS:
            continue
        size = sentence.end - sentence.start
        overlap = sum(
            min(end, sentence.end) - max(start, sentence.start)
            for start, end, _ in covered.overlapping(sentence.start, sentence.end)
        )
        total += size
        anchors = _anchors(sentence.text)
        new_anchor = any(f" {a} " not in peer_text for a in anchors) if anchors else not earlier
        if overlap < size / 2 and new_anchor:
            own_chars += size
            own_sentences.append((sentence.start, sentence.end))
    score = own_chars / total if total else 1.0
    own_quotes, own_numbers = [], []
    if facts is not None:
        for quote in facts.quotes:
            if " " + " ".join(words(quote.text)) + " " not in peer_text:
                own_quotes.append((quote.start, quote.end))
        for claim in facts.claims:
            figures = [w for w in words(claim.text) if any(c.isdigit() for c in w)]
            if figures and not any(f" {f} " in peer_text for f in figures):
                own_numbers.append((claim.start, claim.end))
    return Originality(article.id, round(score, 4), own_sentences, own_quotes, own_numbers)


def story_originality(
    members: list[Article],
    reuse: list[Reuse],
    duplicate_of: dict[str, str] | None = None,
    facts: dict[str, ArticleFacts] | None = None,
) -> dict[str, Originality]:
    """Originality of every article of one story. A near-exact copy (`duplicate_of`) scores 0 and is
    left out of the others' peers, so that a copied article does not count twice."""
    duplicate_of = duplicate_of or {}
    facts = facts or {}
    originals = [m for m in members if m.id not in duplicate_of]
    out = {m.id: Originality(m.id, 0.0) for m in members if m.id in duplicate_of}
    word_lines = {m.id: _word_line(m) for m in originals}
    for member in originals:
        out[member.id] = originality(member, originals, reuse, facts.get(member.id), word_lines)
    return out
