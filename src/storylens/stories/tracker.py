"""One object to feed arriving articles through: story assignment, duplicates, and reuse alignment.

`Tracker.add(article, lookup)` does, for each new article: near-duplicate check and reuse candidates
(`ReuseIndex`), story assignment (`StoryIndex`), then sentence alignment with the candidates and
with the latest members of its story (paraphrases rarely share enough words to be LSH candidates).
`lookup(article_id) -> Article` gives the text of an earlier article (the store keeps texts; the
index does not). The state round-trips through `to_bytes()` and `save_rows()` / `from_bytes()`. At the end of a run,
`reseat(lookup)` gives the articles placed with little certainty a second look (`StoryIndex.reseat`).

`Tracker.place(candidates, terms)` is the part of `add` that depends on the articles before: an engine that
finds candidates and counts terms elsewhere (on Ray) gives it those and aligns the pairs it names itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storylens.model import Article, Reuse
from storylens.stories.align import AlignParams, align
from storylens.stories.cluster import ArrivalTerms, ClusterParams, StoryIndex, arrival_terms
from storylens.stories.reuse import Candidates, IndexRows, ReuseIndex, ReuseParams

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
        """The state the tracker places articles with; the reuse index's rows are saved apart (`save_rows`)."""
        return json.dumps({"stories": self.stories.state(), "reuse": self.reuse.meta()}).encode("utf-8")

    def save_rows(self) -> tuple[int, list[tuple[int, int, bytes]]]:
        """(save number, [(partition, time window, bytes)]) of the index rows added since the last save, to store
        with `to_bytes()` (which then counts this save)."""
        self.reuse.saves += 1
        return self.reuse.saves, self.reuse.new_rows().to_parts()

    @classmethod
    def from_bytes(cls, data: bytes, parts: Callable[[int], Iterable[bytes]] | None = None) -> Tracker:
        """The tracker `to_bytes` saved, with the index rows `parts(saves)` gives (the stored parts of the saves
        up to this one); without them, an index that only knows which article has which position (enough when
        candidates are found elsewhere)."""
        state = json.loads(data)
        tracker = cls()
        tracker.stories = StoryIndex.from_state(state["stories"])
        if parts is None:
            tracker.reuse = ReuseIndex.from_meta(state["reuse"])
        else:
            params = ReuseParams(**state["reuse"]["params"])
            rows = IndexRows.joined((IndexRows.from_bytes(p) for p in parts(state["reuse"]["saves"])), params)
            tracker.reuse = ReuseIndex.from_rows(state["reuse"], rows)
        return tracker
