"""The per-story stage: from one story's articles and their parses to everything the report shows of it.

`analyze_story` is pure: no store, no model loading, no state kept between calls, so any engine (a local
process pool, Ray) can run it where the parses are. Each step runs on its own: a step that raises leaves
its part empty and is named in `StoryResult.errors`, and the steps after it still run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc

from storylens.compare.claims import compare_claims, stated_claims
from storylens.compare.entities import group_entities
from storylens.compare.framing import find_framing
from storylens.compare.quote_variants import find_quote_variants
from storylens.compare.timeline import build_timeline
from storylens.extract.claims import extract_claims
from storylens.extract.dates import extract_dates, reference_date, story_anchor
from storylens.extract.mentions import extract_mentions
from storylens.extract.quotes import extract_quotes
from storylens.model import Article, ArticleFacts, StageError, StoryInput, StoryResult
from storylens.stories.originality import story_originality
from storylens.summarize import summarize

T = TypeVar("T")


def analyze_story(given: StoryInput) -> StoryResult:
    """Quotes, claims, entities, agreements and conflicts, quote variants, framing, timeline, summary and
    originality of one story."""
    story = given.story
    result = StoryResult(story_id=story.id)
    originals = story.originals

    def step(stage: str, run: Callable[[], T], empty: T) -> T:
        try:
            return run()
        except Exception as err:  # one story's bad step must not stop the others or the run
            result.errors.append(StageError(stage, f"{type(err).__name__}: {err}"))
            return empty

    for article in story.articles:
        result.facts[article.id] = step(
            f"extract {article.id[:10]}",
            lambda a=article: extract_facts(a.id, given.docs[a.id]),
            ArticleFacts(article.id),
        )
    facts = result.facts
    step("dates", lambda: _resolve_dates(originals, given.docs, facts), None)
    texts = {a.id: a.text for a in originals}
    result.entities = step("entities", lambda: group_entities({a: facts[a].mentions for a in texts}, texts), [])
    result.claims = step(
        "claims",
        lambda: [c for a in originals for c in stated_claims(a.id, a.text, facts[a.id].claims, article_label(a))],
        [],
    )
    result.claim_groups = step("conflicts", lambda: compare_claims(result.claims, reuse=story.reuse), [])
    result.originality = step(
        "originality", lambda: story_originality(story.articles, story.reuse, story.duplicate_of, facts), {}
    )
    result.timeline = step("timeline", lambda: build_timeline(originals, {a: facts[a].dates for a in texts}), [])
    alignments = [((r.a, r.a_start, r.a_end), (r.b, r.b_start, r.b_end)) for r in story.reuse]
    result.summary = step(
        "summary", lambda: summarize(originals, budget_words=given.budget_words, alignments=alignments), []
    )
    if len(originals) > 1:
        result.framing = step(
            "framing", lambda: find_framing(originals, {a: given.docs[a] for a in texts}, titles=given.title_docs), []
        )
    result.quote_variants = step(
        "quote variants", lambda: find_quote_variants(originals, {a: facts[a].quotes for a in texts}), []
    )
    return result


def extract_facts(article_id: str, doc: Doc) -> ArticleFacts:
    """What one article says, from its parse alone (dates need the story and come later)."""
    return ArticleFacts(
        article_id=article_id,
        quotes=extract_quotes(doc),
        claims=extract_claims(doc),
        mentions=extract_mentions(doc),
    )


def article_label(article: Article) -> str:
    """How a person tells the article apart: its outlet, else the file it came from."""
    if article.source:
        return article.source
    return os.path.basename(article.path.rstrip("/")) if article.path else article.id[:8]


def _resolve_dates(originals: list[Article], docs: dict[str, Doc], facts: dict[str, ArticleFacts]) -> None:
    """Relative dates resolve against each article's own date, else the story's (median of its articles')."""
    anchor = story_anchor(reference_date(docs[a.id], a.published) for a in originals)
    for article in originals:
        facts[article.id].dates = extract_dates(docs[article.id], article.published, anchor=anchor)
