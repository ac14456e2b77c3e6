"""Place newly stored articles into stories and find their reuse, incrementally.

The tracker (story centroids, MinHash index) is saved in the store together with the placements it
has made, one transaction per batch: a killed run resumes from the last saved batch, and tomorrow's
articles are placed without touching today's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from storylens.model import Article
from storylens.store import Store
from storylens.stories.tracker import Tracker

TRACKER = "tracker"
PLACE_BATCH = 200


def _saved_tracker(store: Store) -> Tracker:
    """The saved tracker, or a new one; a state saved by an older storylens cannot be read, and since
    placements are derived from the articles, they are dropped and redone rather than refused."""
    saved = store.index_state(TRACKER)
    if not saved:
        return Tracker()
    try:
        return Tracker.from_bytes(saved)
    except (ValueError, KeyError, TypeError):
        store.forget_placements()
        return Tracker()


def place_new_articles(store: Store, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Put every article that has no story yet into one; returns how many were placed."""
    tracker = _saved_tracker(store)
    todo = store.unplaced()

    @lru_cache(maxsize=4096)
    def lookup(article_id: str) -> Article:
        return store.articles_by_id([article_id])[0]

    batch = []
    for done, article_id in enumerate(todo, start=1):
        batch.append(tracker.add(lookup(article_id), lookup))
        if len(batch) >= PLACE_BATCH or done == len(todo):
            store.put_placements(batch, TRACKER, tracker.to_bytes())
            batch = []
        if on_progress:
            on_progress(done, len(todo))
    return len(todo)
