"""Place newly stored articles into stories and find their reuse, incrementally.

The tracker (story centroids, MinHash index) is saved in the store together with the placements it
has made, one transaction per batch: a killed run resumes from the last saved batch, and tomorrow's
articles are placed without touching today's. The last batch also holds the end of the run's second
look at the articles placed with little certainty (`Tracker.reseat`), which may move some of the run's
articles (never earlier runs') to another story.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from functools import lru_cache

from storylens.model import Article
from storylens.store import Store
from storylens.stories.reuse import INDEX_PARTS, IndexRows
from storylens.stories.screen import not_news_reason
from storylens.stories.tracker import Placed, Tracker

TRACKER = "tracker"
PLACE_BATCH = 200
COMPACT_PARTS = 64 * INDEX_PARTS  # parts of the saved index, beyond one per partition and window, past which
# a run rewrites them as one save


class StoredStories:
    """Where the tracker's closed stories go (`stories.closed.StoryStore`): versions written as save `seq`,
    which count once the tracker's state is saved with that save number (`commit`)."""

    def __init__(self, store: Store, seq: int) -> None:
        self.store, self.seq = store, seq
        self.written: set[str] = set()  # stories written as this save: they may have an older version too
        store.drop_closed_stories(TRACKER, seq)  # a killed run's, never counted

    def write(self, records: Mapping[str, dict | None]) -> None:
        rows = {story: _compressed(record) for story, record in records.items()}
        self.store.put_closed_stories(TRACKER, self.seq, rows)
        self.written.update(records)

    def read(self, story_ids: list[str]) -> dict[str, dict]:
        found = self.store.closed_stories(TRACKER, self.seq, story_ids)
        return {story: json.loads(zlib.decompress(data)) for story, data in found.items()}

    def search(self, terms: list[str], at_most: int) -> dict[str, set[str] | None]:
        return self.store.closed_postings(TRACKER, self.seq, terms, at_most, len(self.written))


def _compressed(record: dict | None) -> tuple[bytes, list[str]] | None:
    return (zlib.compress(json.dumps(record).encode("utf-8")), record["indexed"]) if record else None


def commit_closed(tracker: Tracker) -> int:
    """Write what the tracker holds of its closed stories (`saved_tracker` attached the store) before its
    state is saved; returns the save number to give `Store.put_placements`, after which the next one begins."""
    stored = tracker.stories.closed.store
    if not isinstance(stored, StoredStories) or stored.seq != tracker.reuse.saves:
        raise RuntimeError("the tracker's closed stories are not in step with its saves")
    tracker.stories.closed.flush()
    seq, stored.seq, stored.written = stored.seq, stored.seq + 1, set()
    return seq


def saved_tracker(store: Store, rows: bool = True) -> Tracker:
    """The saved tracker, or a new one, with its closed stories in the store; a state saved by an older
    storylens cannot be read, and since placements are derived from the articles, they are dropped and redone
    rather than refused. Without `rows`, its reuse index only knows which article has which position
    (`Tracker.from_bytes`)."""
    saved = store.index_state(TRACKER)
    tracker = Tracker()
    if saved:
        try:
            tracker = Tracker.from_bytes(saved, (lambda saves: store.index_parts(TRACKER, saves)) if rows else None)
        except (ValueError, KeyError, TypeError):
            store.forget_placements()
    tracker.stories.closed.attach(StoredStories(store, tracker.reuse.saves + 1))
    return tracker


def compact_index(store: Store, tracker: Tracker) -> None:
    """Rewrite the saved index's rows in one part per partition and window when its saves have left many more (each run
    of a watched feed adds its own): loading stays one read per part (this engine holds the whole index anyway)."""
    parts, slots = store.count_index_parts(TRACKER)
    if parts - slots <= COMPACT_PARTS:
        return
    rows = IndexRows.joined((IndexRows.from_bytes(p) for p in store.index_parts(TRACKER, tracker.reuse.saves)),
                            tracker.reuse.params)  # fmt: skip
    store.replace_index_parts(TRACKER, tracker.reuse.saves, rows.to_parts())


def save_batch(store: Store, tracker: Tracker, batch: list[Placed], set_aside: list[tuple[str, str]]) -> None:
    """A batch's placements with the tracker's state, the index rows added since the last save and the
    closed stories it holds."""
    rows, seq = tracker.save_rows(), commit_closed(tracker)
    store.put_placements(batch, TRACKER, tracker.to_bytes(), set_aside, index_parts=rows, closed_seq=seq)


def place_new_articles(
    store: Store, on_progress: Callable[[int, int], None] | None = None, window_days: int | None = None
) -> int:
    """Put every article that has no story yet into one, and set aside (with the reason) the texts that are
    not news articles: boilerplate or a scrap must neither start a story nor join one. Returns how many
    articles were looked at. `window_days` changes the time window a story accepts articles in."""
    tracker = saved_tracker(store)
    if window_days is not None:  # from now on: stories already placed keep what they have
        tracker.stories.params.window_days = window_days
    todo = store.unplaced()
    if todo:
        compact_index(store, tracker)

    @lru_cache(maxsize=4096)
    def lookup(article_id: str) -> Article:
        return store.articles_by_id([article_id])[0]

    batch, set_aside = [], []
    placed_before = store.count_placed()
    for done, article_id in enumerate(todo, start=1):
        article = lookup(article_id)
        reason = not_news_reason(article.text, article.title)
        if reason:
            set_aside.append((article_id, reason))
        else:
            batch.append(tracker.add(article, lookup))
        # the tracker's saved state grows with the archive: saved after a batch of at least a quarter of
        # what it holds, its saving stays linear in the archive (a killed run redoes one batch at most)
        if len(batch) + len(set_aside) >= max(PLACE_BATCH, (placed_before + done) // 4) or done == len(todo):
            if done == len(todo):
                batch = with_moves(batch, tracker.reseat(tracker.terms_from(lookup)), tracker.reuse.duplicates)
            save_batch(store, tracker, batch, set_aside)
            batch, set_aside = [], []
        if on_progress:
            on_progress(done, len(todo))
    return len(todo)


def with_moves(placed: list[Placed], moved: Mapping[str, str], duplicates: Mapping[str, str]) -> list[Placed]:
    """`placed` with the stories `Tracker.reseat` moved articles to, and a placement for each moved article
    placed in an earlier batch (its reuse is stored already)."""
    by_id = {p.article_id: p for p in placed}
    for article_id, story in moved.items():
        if article_id in by_id:
            by_id[article_id].story = story
        else:
            placed.append(Placed(article_id, story, duplicates.get(article_id)))
    return placed
