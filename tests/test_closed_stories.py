"""Stories past their time window leave the story index's memory for the store and come back when needed:
placement with them in the store is the placement with them in memory."""

from __future__ import annotations

import pytest

from stories_fixtures import dated_stream
from storylens.engine import stories as placement
from storylens.engine.stories import TRACKER, place_new_articles, saved_tracker
from storylens.model import Article
from storylens.stories import closed
from storylens.stories.tracker import Tracker


def _in_memory(runs: list[list[Article]]) -> Tracker:
    """What `place_new_articles` does run after run, with every closed story in memory."""
    tracker, texts = Tracker(), {}
    for run in runs:
        for article in run:
            texts[article.id] = article
            tracker.add(article, texts.__getitem__)
        tracker.reseat(tracker.terms_from(texts.__getitem__))
    return tracker


@pytest.fixture
def few_held(monkeypatch):
    """Closed stories written a few at a time and barely cached, so that they are read back from the store."""
    monkeypatch.setattr(closed, "FLUSH_AT", 3)
    monkeypatch.setattr(closed, "CACHE", 2)
    monkeypatch.setattr(placement, "PLACE_BATCH", 7)


def test_closed_stories_in_the_store_place_as_in_memory(store, few_held):
    runs = dated_stream()
    memory = _in_memory(runs)
    # the stream exercises what it should: stories closed, late and undated articles joining closed ones
    assert len(memory.stories.closed) >= 20 and len(memory.stories.stories) <= 4
    late_joins = [
        a for a in ("e2-9", "e5-9", "e3-8", "e7-8") if memory.stories.story_of(a) == f"story-{a[: a.index('-')]}-0"
    ]
    assert len(late_joins) >= 3
    for run in runs:
        store.add_articles(run)
        place_new_articles(store)
    placed = {a: s for a, (s, _) in store.placements().items()}
    assert placed == memory.stories.article_story
    tracker = saved_tracker(store)
    assert len(tracker.stories.closed) == 0 and len(tracker.stories.stories) == len(memory.stories.stories)
    for story_id, story in memory.stories.closed.held.items():
        stored, members = tracker.stories.closed.get(story_id)
        assert (stored, members) == (story, memory.stories.closed.members_of[story_id])
    # one version of each closed story is left, of the stories that exist
    count = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT story) FROM closed_stories").fetchone()
    assert count == (len(memory.stories.closed), len(memory.stories.closed))


def test_a_killed_runs_closed_stories_are_never_read(store, few_held):
    runs = dated_stream()
    store.add_articles(runs[0] + runs[1])
    place_new_articles(store)
    tracker = saved_tracker(store)
    some = sorted(tracker.stories.closed.store.read(["story-e0-0", "story-e1-0"]))
    assert some == ["story-e0-0", "story-e1-0"]
    # a run killed after writing closed stories of its save, before its state: a changed story, one gone
    store.put_closed_stories(TRACKER, tracker.reuse.saves + 1, {"story-e0-0": None, "story-e1-0": (b"x", ["zz"])})
    resumed = saved_tracker(store)
    assert sorted(resumed.stories.closed.store.read(["story-e0-0", "story-e1-0"])) == some
    assert not any(resumed.stories.closed.search(["zz"], 10).values())
