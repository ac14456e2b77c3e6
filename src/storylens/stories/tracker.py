"""One object to feed arriving articles through: story assignment, duplicates, and reuse alignment.

`Tracker.add(article, lookup)` does, for each new article: near-duplicate check and reuse candidates
(`ReuseIndex`), story assignment (`StoryIndex`), then sentence alignment with the candidates and
with the latest members of its story (paraphrases rarely share enough words to be LSH candidates).
`lookup(article_id) -> Article` gives the text of an earlier article (the store keeps texts; the
index does not). The whole state round-trips through `to_bytes()` / `from_bytes()`. At the end of a run,
`reseat(lookup)` gives the articles placed with little certainty a second look (`StoryIndex.reseat`).

`Tracker.place(candidates, terms)` is the part of `add` that depends on the articles before: an engine that
finds candidates and counts terms elsewhere (on Ray) gives it those and aligns the pairs it names itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from storylens.model import Article, Reuse
from storylens.stories.align import AlignParams, align
from storylens.stories.cluster import ArrivalTerms, ClusterParams, StoryIndex, arrival_terms
from storylens.stories.reuse import Candidates, ReuseIndex, ReuseParams

Aligned = tuple[str, bool]  # an earlier article to align a new one with, and whether paraphrases count


@dataclass
class Placed:
    """Where a new article went: its story, the article it copies (if any), reuse with earlier articles."""

    article_id: str
    story: str
    duplicate_of: str | None = None
    reuse: list[Reuse] = field(default_factory=list)


class Tracker:
    def __init__(
        self,
        cluster: ClusterParams | None = None,
        reuse: ReuseParams | None = None,
        alignment: AlignParams | None = None,
        story_peers: int = 10,
        max_candidates: int = 20,
        related_stories: int = 2,
        related_peers: int = 3,
    ) -> None:
        self.stories = StoryIndex(cluster)
        self.reuse = ReuseIndex(reuse)
        self.alignment = alignment or AlignParams()
        self.story_peers = story_peers  # latest story members aligned for paraphrases
        self.max_candidates = max_candidates  # LSH candidates aligned, those sharing most sentence bands
        # background sentences are often restated across related stories: align with a few of their members
        self.related_stories = related_stories
        self.related_peers = related_peers

    def add(self, article: Article, lookup: Callable[[str], Article]) -> Placed:
        candidates = self.reuse.add(article)
        placed, others = self.place(candidates, lambda: arrival_terms(article, self.stories.params))
        for other_id, paraphrase in others:
            placed.reuse.extend(align(lookup(other_id), article, self.alignment, paraphrase=paraphrase))
        return placed

    def place(self, candidates: Candidates, terms: Callable[[], ArrivalTerms]) -> tuple[Placed, list[Aligned]]:
        """Story assignment of an article the reuse index has taken in (`candidates`), and the earlier
        articles to align it with: the part of `add` that depends on every article before it. The
        alignments themselves depend on the two texts only (`align_reuse`), so they can run anywhere."""
        article_id = candidates.article_id
        story = self.stories.assign_terms(article_id, terms, duplicate_of=candidates.duplicate_of)
        placed = Placed(article_id, story, candidates.duplicate_of)
        if candidates.duplicate_of:
            return placed, []  # a copy: its reuse is all of it, already told by duplicate_of
        peers = [m for m in self.stories.members(story) if m != article_id]
        peers = [p for p in peers if p not in self.reuse.duplicates][-self.story_peers :]
        for related in self.stories.last_related[: self.related_stories]:
            peers += self.stories.members(related)[-self.related_peers :]
        others = list(dict.fromkeys(candidates.similar[: self.max_candidates] + peers))
        return placed, [(other_id, other_id in peers) for other_id in others]

    def reseat(self, terms_of: Callable[[str], ArrivalTerms]) -> dict[str, str]:
        """The end of a run: articles placed with little certainty move, with their copies, to a story they now
        fit better (`StoryIndex.reseat`). Returns article id -> new story id of those that moved."""
        return self.stories.reseat(terms_of, self.reuse.duplicates)

    def terms_from(self, lookup: Callable[[str], Article]) -> Callable[[str], ArrivalTerms]:
        """`reseat`'s terms, counted again from the texts `lookup` gives."""
        return lambda article_id: arrival_terms(lookup(article_id), self.stories.params)

    def to_bytes(self) -> bytes:
        stories = json.dumps(self.stories.state()).encode("utf-8")
        return len(stories).to_bytes(8, "big") + stories + self.reuse.to_bytes()

    @classmethod
    def from_bytes(cls, data: bytes, alignment: AlignParams | None = None, story_peers: int = 10) -> Tracker:
        size = int.from_bytes(data[:8], "big")
        tracker = cls(alignment=alignment, story_peers=story_peers)
        tracker.stories = StoryIndex.from_state(json.loads(data[8 : 8 + size]))
        tracker.reuse = ReuseIndex.from_bytes(data[8 + size :])
        return tracker
