"""Originality: a rewrite of its story scores lowest; a copy scores 0; own sentences are listed."""

from __future__ import annotations

from dataclasses import replace

from stories_fixtures import BRIDGE_1, BRIDGE_2, BRIDGE_3
from storylens.model import ArticleFacts, Claim, Quote
from storylens.stories import Tracker, originality, story_originality


def _story_reuse(articles):
    by_id = {a.id: a for a in articles}
    tracker = Tracker()
    placed = [tracker.add(a, by_id.__getitem__) for a in articles]
    return [r for p in placed for r in p.reuse], {p.article_id: p.duplicate_of for p in placed if p.duplicate_of}


def test_rewrite_scores_lowest_in_its_story() -> None:
    undated = [replace(a, published=None) for a in (BRIDGE_1, BRIDGE_2, BRIDGE_3)]
    reuse, _ = _story_reuse(undated)
    scores = story_originality(undated, reuse)
    assert scores["bridge3"].score < min(scores["bridge1"].score, scores["bridge2"].score)
    assert scores["bridge3"].score == 0.0


def test_new_sentence_with_new_name_is_own() -> None:
    reuse, _ = _story_reuse([BRIDGE_1, BRIDGE_2])
    result = originality(BRIDGE_2, [BRIDGE_1], reuse)
    own = [BRIDGE_2.text[s:e] for s, e in result.own_sentences]
    assert own == ["Mayor Tobin Vail promised a full inquiry into the Harlow Bridge inspections."]
    assert 0.0 < result.score < 0.5


def test_earlier_article_keeps_what_later_ones_copied() -> None:
    first = replace(BRIDGE_1, published="2025-04-01")
    reuse, _ = _story_reuse([first, BRIDGE_2])
    assert originality(first, [BRIDGE_2], reuse).score == 1.0


def test_copy_scores_zero_and_is_not_a_peer() -> None:
    copy = replace(
        BRIDGE_1, id="copy", text=BRIDGE_1.text.replace("boats from Wednesday.", "boats from Wednesday, it said.")
    )
    articles = [BRIDGE_1, copy, BRIDGE_2]
    reuse, duplicates = _story_reuse(articles)
    assert duplicates == {"copy": "bridge1"}
    scores = story_originality(articles, reuse, duplicates)
    assert scores["copy"].score == 0.0
    assert scores["bridge1"].score == originality(BRIDGE_1, [BRIDGE_2], reuse).score


def test_own_quotes_and_numbers_from_facts() -> None:
    facts = ArticleFacts(
        article_id="bridge2",
        quotes=[Quote(text="a full inquiry", start=10, end=24, kind="indirect")],
        claims=[
            Claim(text="four people", start=30, end=41, value=4, quantity="people rescued"),
            Claim(text="41 vans", start=50, end=57, value=41, quantity="vans"),
        ],
    )
    result = originality(BRIDGE_2, [BRIDGE_1], [], facts)
    assert result.own_quotes == [(10, 24)]
    assert result.own_numbers == [(50, 57)]
