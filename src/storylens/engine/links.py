"""Figures that analysed stories agree on with each other, found when a story is analysed and kept in the
store for both stories, so that a report reads them instead of comparing stories again."""

from __future__ import annotations

from collections.abc import Callable

from storylens.compare.claims import Comparable, comparable
from storylens.compare.related import MIN_SHARED_NAMES, shared_figures
from storylens.model import AnalyzedStory, CrossStoryAgreement, StatedClaim, StoryLinks, StoryResult
from storylens.store import Store
from storylens.store.codec import decode, encode


def link(store: Store, redone: list[str], on_progress: Callable[[int, int], None] | None = None) -> None:
    """Link the stories just analysed with the analysed stories that share their names; a story's links are
    redone whenever it or the other story is."""
    claims: dict[str, list[Comparable]] = {}
    rows: dict[tuple[str, str], bytes] = {}
    for done, story_id in enumerate(redone, start=1):
        others = store.stories_sharing_names(story_id, MIN_SHARED_NAMES)
        missing = [s for s in [story_id, *others] if s not in claims]
        claims |= {s: comparable(decode(StoryResult, data).claims) for s, data in store.results(missing).items()}
        names = store.story_names([story_id, *others])
        for other in others:
            groups = shared_figures(story_id, claims[story_id], other, claims[other], names[story_id] & names[other])
            for this, that in ((story_id, other), (other, story_id)):
                theirs = {c.id: c for c in claims[that]}
                shown = [
                    CrossStoryAgreement(g, that, [_plain(theirs[c]) for c in g.claims if c in theirs]) for g in groups
                ]
                if shown:
                    rows[(this, that)] = encode(StoryLinks(this, that, shown))
        if on_progress:
            on_progress(done, len(redone))
    store.put_links(redone, [(a, b, data) for (a, b), data in rows.items()])


def add_links(store: Store, analysed: list[AnalyzedStory]) -> None:
    """Give each story the figures it agrees on with other stories, with the articles they stand in."""
    links = store.links([a.story.id for a in analysed])
    for item in analysed:
        for data in links.get(item.story.id, []):
            item.related += decode(StoryLinks, data).agreements
    wanted = {c.article for item in analysed for agreement in item.related for c in agreement.claims}
    articles = {a.id: a for a in store.articles_by_id(sorted(wanted))}
    for item in analysed:
        for agreement in item.related:
            agreement.articles = [articles[i] for i in dict.fromkeys(c.article for c in agreement.claims)]


def _plain(claim: StatedClaim) -> StatedClaim:
    """The record as stored, without what the comparison worked out about it."""
    return StatedClaim(claim.id, claim.article, claim.claim, claim.sentence, claim.source)
