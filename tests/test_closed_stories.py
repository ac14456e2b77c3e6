"""Stories past their time window leave the story index's memory for the store and come back when needed:
placement with them in the store is the placement with them in memory."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from storylens.engine import stories as placement
from storylens.engine.stories import TRACKER, place_new_articles, saved_tracker
from storylens.model import Article
from storylens.stories import closed
from storylens.stories.tracker import Tracker

SYLLABLES = ("ka", "lo", "mer", "vin", "tas", "dro", "pel", "quo", "ran", "sil", "tor", "ube", "zen", "fa")
DAY_ONE = date(2025, 1, 1)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _stream(seed: int = 7) -> list[list[Article]]:
    """Three runs of made-up news: 30 events over 120 days (3 or 4 articles each over two days, in date
    order), then, in the last run, articles on long-past events arriving late (dated in their event's time)
    or undated."""
    rng = random.Random(seed)
    events = []
    for n in range(30):
        place, person = _word(rng, 3).title(), _word(rng, 2).title() + " " + _word(rng, 3).title()
        words = [_word(rng, 2) for _ in range(8)]
        events.append((n, DAY_ONE + timedelta(days=4 * n), place, person, words))

    def article(event: tuple, k: int, day: date | None) -> Article:
        n, _, place, person, words = event
        picked = rng.sample(words, 6)
        text = (
            f"The {picked[0]} of {place} was {picked[1]} on {(day or DAY_ONE).strftime('%A')}, officials said. "
            f"{person} said the {picked[2]} and the {picked[3]} in {place} would {picked[4]} the town. "
            f"Residents of {place} told reporters the {picked[5]} had never been seen there before."
        )
        title = f"{place} {picked[0]} {picked[1]}"
        return Article(id=f"e{n}-{k}", title=title, text=text, published=day.isoformat() if day else None)

    stream = [article(e, k, e[1] + timedelta(days=k // 2)) for e in events for k in range(3 + e[0] % 2)]
    late = [article(events[n], 9, events[n][1]) for n in (2, 5, 11)]
    undated = [article(events[n], 8, None) for n in (3, 7, 20)]
    return [stream[:40], stream[40:], late + undated + [article(events[29], 7, events[29][1])]]


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
    runs = _stream()
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
    runs = _stream()
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
