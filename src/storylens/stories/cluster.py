"""Online story clustering: each arriving article joins the most similar story or starts a new one.

The approach of streaming news clusterers (Miranda et al. 2018; the centroid method of Google-News
style systems): a story is a centroid of term counts, similarity is the TF-IDF cosine between an
article and a centroid with IDF taken from everything seen so far, and an article joins its best
story when that cosine passes a threshold (chosen on a dev split) and its date falls in the story's
time window. Candidate stories come from an inverted index over each centroid's top terms, so an
article is compared with a handful of stories, never with all of them.

Everything the next batch needs (document frequencies, centroids, the inverted index) is in
`StoryIndex`, which round-trips through `state()` / `from_state()` (plain JSON types).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from storylens.model import Article
from storylens.stories.features import article_terms


@dataclass
class ClusterParams:
    threshold: float = 0.22  # cosine to join a story; chosen on the ECB+ dev split (benchmarks/stories_quality.py)
    window_days: int = 7  # an article joins a story only within this many days of its first/last article
    query_terms: int = 50  # the article's highest-weighted terms used to look up candidate stories
    index_terms: int = 30  # each story's highest-weighted terms kept in the inverted index
    centroid_terms: int = 300  # a centroid keeps this many terms, so memory stays flat for big stories
    max_candidates: int = 50  # stories scored exactly per article, the ones sharing most query terms
    max_posting: int = 1000  # a term in more stories' top terms than this does not tell stories apart
    entity_weight: float = 2.0
    title_weight: float = 2.0
    related: float = 0.1  # stories this close but not joined are "related": worth a look for paraphrases


@dataclass
class _Story:
    id: str
    terms: dict[str, float]  # summed, per-article L2-normalised sublinear term frequencies
    size: int = 0
    first: int | None = None  # date ordinals of the earliest and latest dated article
    last: int | None = None
    indexed: list[str] = field(default_factory=list)  # the terms under which it sits in the inverted index


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


class StoryIndex:
    """The state of online story clustering. `assign(article)` returns the article's story id."""

    def __init__(self, params: ClusterParams | None = None) -> None:
        self.params = params or ClusterParams()
        self.df: Counter = Counter()
        self.n_docs = 0
        self.stories: dict[str, _Story] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.article_story: dict[str, str] = {}
        self.story_members: dict[str, list[str]] = defaultdict(list)
        self.last_related: list[str] = []  # set by assign(): the closest other stories, best first

    # -- public -------------------------------------------------------------------------------------

    def assign(self, article: Article, *, duplicate_of: str | None = None) -> str:
        """Put `article` in a story (existing or new) and return its id; idempotent for a known article id.

        A near-duplicate (`duplicate_of`, from the reuse index) joins its original's story and is not
        counted again in the centroid or the document frequencies.
        """
        if article.id in self.article_story:
            return self.article_story[article.id]
        self.last_related = []
        if duplicate_of and duplicate_of in self.article_story:
            story_id = self.article_story[duplicate_of]
            self._record(article.id, story_id)
            return story_id
        counts = article_terms(
            article.title, article.text, entity_weight=self.params.entity_weight, title_weight=self.params.title_weight
        )
        self.n_docs += 1
        self.df.update(counts.keys())
        vector = self._weigh(counts)
        day = _day(article.published)
        scored = []
        for story_id in self._candidates(vector):
            story = self.stories[story_id]
            if self._in_window(story, day):
                scored.append((self._cosine(vector, story.terms), story_id))
            elif day is not None and story.last is not None and story.last + 2 * self.params.window_days < day:
                self._close(story)  # long over: out of the inverted index, so lookups stay short
        scored.sort(reverse=True)
        joins = bool(scored) and scored[0][0] >= self.params.threshold
        story = self.stories[scored[0][1]] if joins else self._new_story(article.id)
        self.last_related = [sid for sim, sid in scored[int(joins) :] if sim >= self.params.related]
        self._add(story, counts, day)
        self._record(article.id, story.id)
        return story.id

    def story_of(self, article_id: str) -> str | None:
        return self.article_story.get(article_id)

    def members(self, story_id: str) -> list[str]:
        """The article ids of a story, in order of arrival."""
        return list(self.story_members.get(story_id, ()))

    def all_members(self) -> dict[str, list[str]]:
        """Story id -> article ids, in order of arrival."""
        return {story_id: list(ids) for story_id, ids in self.story_members.items()}

    def state(self) -> dict:
        """Everything needed to continue later, as JSON-able types."""
        return {
            "params": vars(self.params),
            "df": dict(self.df),
            "n_docs": self.n_docs,
            "stories": [
                {"id": s.id, "terms": s.terms, "size": s.size, "first": s.first, "last": s.last, "indexed": s.indexed}
                for s in self.stories.values()
            ],
            "article_story": self.article_story,
        }

    @classmethod
    def from_state(cls, state: dict) -> StoryIndex:
        index = cls(ClusterParams(**state["params"]))
        index.df = Counter(state["df"])
        index.n_docs = state["n_docs"]
        for s in state["stories"]:
            story = _Story(s["id"], dict(s["terms"]), s["size"], s["first"], s["last"], list(s["indexed"]))
            index.stories[story.id] = story
            for term in story.indexed:
                index.postings[term].add(story.id)
        for article_id, story_id in state["article_story"].items():
            index._record(article_id, story_id)
        return index

    # -- internals ----------------------------------------------------------------------------------

    def _record(self, article_id: str, story_id: str) -> None:
        self.article_story[article_id] = story_id
        self.story_members[story_id].append(article_id)

    def _idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def _weigh(self, counts: Counter) -> dict[str, float]:
        """Sublinear TF times IDF, L2-normalised."""
        vector = {t: (1.0 + math.log(c)) * self._idf(t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _candidates(self, vector: dict[str, float]) -> list[str]:
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: self.params.query_terms]
        hits: Counter = Counter()
        for term in top:
            posting = self.postings.get(term, ())
            if len(posting) > self.params.max_posting:
                continue
            for story_id in posting:
                hits[story_id] += vector[term]
        return [story_id for story_id, _ in hits.most_common(self.params.max_candidates)]

    def _cosine(self, vector: dict[str, float], centroid: dict[str, float]) -> float:
        """Cosine between an article's TF-IDF vector and a centroid weighted with today's IDF."""
        weighted = {t: w * self._idf(t) for t, w in centroid.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        return sum(v * weighted[t] for t, v in vector.items() if t in weighted) / norm

    def _in_window(self, story: _Story, day: int | None) -> bool:
        if day is None or story.first is None:
            return True
        window = self.params.window_days
        return story.first - window <= day <= story.last + window

    def _close(self, story: _Story) -> None:
        for term in story.indexed:
            self.postings[term].discard(story.id)
        story.indexed = []

    def _new_story(self, first_article_id: str) -> _Story:
        story = _Story(id="story-" + first_article_id, terms={})
        self.stories[story.id] = story
        return story

    def _add(self, story: _Story, counts: Counter, day: int | None) -> None:
        tf = {t: 1.0 + math.log(c) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        for term, value in tf.items():
            story.terms[term] = story.terms.get(term, 0.0) + value / norm
        story.size += 1
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        ranked = sorted(story.terms, key=lambda t: story.terms[t] * self._idf(t), reverse=True)
        if len(ranked) > self.params.centroid_terms:
            for term in ranked[self.params.centroid_terms :]:
                del story.terms[term]
        new_indexed = ranked[: self.params.index_terms]
        for term in set(story.indexed) - set(new_indexed):
            self.postings[term].discard(story.id)
        for term in new_indexed:
            self.postings[term].add(story.id)
        story.indexed = new_indexed
