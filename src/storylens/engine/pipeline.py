"""`storylens analyze`: from stored articles to everything the report shows, story by story.

The expensive parts are kept in the store and reused: spaCy parses (engine/parse.py), story
placements and reuse alignments (engine/stories.py). What is computed here from them (quotes,
claims, dates, entities, comparisons, summaries) is cheap enough to redo on every run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storylens import nlp
from storylens.compare.claims import ClaimGroup, StatedClaim, compare_claims, stated_claims
from storylens.compare.entities import group_entities
from storylens.compare.framing import find_framing
from storylens.compare.quote_variants import find_quote_variants
from storylens.compare.timeline import TimelineEvent, build_timeline
from storylens.engine.parse import parse_missing, stored_docs
from storylens.engine.stories import place_new_articles
from storylens.extract.claims import extract_claims
from storylens.extract.dates import extract_dates, reference_date, story_anchor
from storylens.extract.mentions import extract_mentions
from storylens.extract.quotes import extract_quotes
from storylens.model import (
    Article,
    ArticleFacts,
    Entity,
    Framing,
    Originality,
    QuoteVariantGroup,
    Reuse,
    SummarySentence,
)
from storylens.store import Store
from storylens.stories.originality import story_originality
from storylens.summarize import summarize

Progress = Callable[[str, int, int], None]


@dataclass
class StoryAnalysis:
    id: str
    articles: list[Article]  # in arrival order
    duplicate_of: dict[str, str]
    facts: dict[str, ArticleFacts]
    entities: list[Entity]
    reuse: list[Reuse]
    originality: dict[str, Originality]
    timeline: list[TimelineEvent]
    summary: list[SummarySentence]
    claims: list[StatedClaim] = field(default_factory=list)
    framing: list[Framing] = field(default_factory=list)
    quote_variants: list[QuoteVariantGroup] = field(default_factory=list)

    @property
    def originals(self) -> list[Article]:
        """The articles that count: near-exact copies are shown but never counted twice."""
        return [a for a in self.articles if a.id not in self.duplicate_of]


@dataclass
class Analysis:
    stories: list[StoryAnalysis]
    claim_groups: list[ClaimGroup]


def analyze(
    store: Store,
    ids: list[str],
    *,
    model: str | None = None,
    processes: int | None = None,
    budget_words: int = 120,
    progress: Progress | None = None,
) -> Analysis:
    """Analyse the stories that the articles `ids` belong to (all of each story's articles)."""

    def tell(stage: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(stage, done, total)) if progress else None

    place_new_articles(store, on_progress=tell("stories"))
    placements = store.placements()
    story_ids = list(dict.fromkeys(placements[i][0] for i in ids if i in placements))
    members = store.story_members(story_ids)
    articles = {a.id: a for a in store.articles_by_id([a for s in story_ids for a in members[s]])}
    parse_missing(store, list(articles.values()), model=model, processes=processes, on_progress=tell("parse"))

    stories = []
    for done, story_id in enumerate(story_ids, start=1):
        story_articles = [articles[a] for a in members[story_id]]
        duplicates = {a.id: placements[a.id][1] for a in story_articles if placements[a.id][1]}
        # one story's parses at a time: memory stays that of the biggest story, not of the archive
        docs = stored_docs(store, story_articles, model=model)
        facts = {a.id: extract_facts(a.id, docs[a.id]) for a in story_articles}
        stories.append(_analyze_story(store, story_id, story_articles, duplicates, docs, facts, budget_words, model))
        if progress:
            progress("compare", done, len(story_ids))
    story_of = {a.id: s.id for s in stories for a in s.articles}
    all_claims = [c for s in stories for c in s.claims]
    return Analysis(stories, compare_claims(all_claims, story_of, [r for s in stories for r in s.reuse]))


def article_label(article: Article) -> str:
    """How a person tells the article apart: its outlet, else the file it came from."""
    if article.source:
        return article.source
    return os.path.basename(article.path.rstrip("/")) if article.path else article.id[:8]


def extract_facts(article_id: str, doc: Doc) -> ArticleFacts:
    """What one article says, from its parse alone (dates need the story and come later)."""
    return ArticleFacts(
        article_id=article_id,
        quotes=extract_quotes(doc),
        claims=extract_claims(doc),
        mentions=extract_mentions(doc),
    )


def _framing(originals: list[Article], docs: dict[str, Doc], model: str | None) -> list[Framing]:
    if len(originals) < 2:
        return []
    pipeline = nlp.load(model)
    titles = {a.id: pipeline(a.title) for a in originals if a.title}  # headlines are short: parsed here
    return find_framing(originals, {a.id: docs[a.id] for a in originals}, titles=titles)


def _analyze_story(
    store: Store,
    story_id: str,
    story_articles: list[Article],
    duplicate_of: dict[str, str],
    docs: dict[str, Doc],
    facts: dict[str, ArticleFacts],
    budget_words: int,
    model: str | None,
) -> StoryAnalysis:
    originals = [a for a in story_articles if a.id not in duplicate_of]
    own_facts = {a.id: facts[a.id] for a in story_articles}
    # relative dates resolve against each article's own date, else the story's
    anchor = story_anchor(reference_date(docs[a.id], a.published) for a in originals)
    for art in originals:
        own_facts[art.id].dates = extract_dates(docs[art.id], art.published, anchor=anchor)
    reuse = store.reuse_among([a.id for a in story_articles])
    texts = {a.id: a.text for a in originals}
    entities = group_entities({a.id: own_facts[a.id].mentions for a in originals}, texts)
    alignments = [((r.a, r.a_start, r.a_end), (r.b, r.b_start, r.b_end)) for r in reuse]
    claims = [c for a in originals for c in stated_claims(a.id, a.text, own_facts[a.id].claims, article_label(a))]
    return StoryAnalysis(
        id=story_id,
        articles=story_articles,
        duplicate_of=duplicate_of,
        facts=own_facts,
        entities=entities,
        reuse=reuse,
        originality=story_originality(story_articles, reuse, duplicate_of, own_facts),
        timeline=build_timeline(originals, {a.id: own_facts[a.id].dates for a in originals}),
        summary=summarize(originals, budget_words=budget_words, alignments=alignments),
        claims=claims,
        framing=_framing(originals, docs, model),
        quote_variants=find_quote_variants(originals, {a.id: own_facts[a.id].quotes for a in originals}),
    )
