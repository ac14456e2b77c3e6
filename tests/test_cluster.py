"""Online story clustering on small hand-written articles."""

from __future__ import annotations

import json
from dataclasses import replace

from stories_fixtures import ALL, BRIDGE_1, BRIDGE_2, VOTE_1
from storylens.stories import ClusterParams, StoryIndex


def _partition(index: StoryIndex) -> set[frozenset[str]]:
    return {frozenset(ids) for ids in index.all_members().values()}


GOLD = {frozenset({"bridge1", "bridge2", "bridge3"}), frozenset({"vote1", "vote2"})}


def test_articles_form_their_two_stories() -> None:
    index = StoryIndex()
    for article in ALL:
        index.assign(article)
    assert _partition(index) == GOLD
    assert index.story_of("bridge3") == index.story_of("bridge1") != index.story_of("vote2")


def test_story_id_is_named_after_its_first_article() -> None:
    index = StoryIndex()
    assert index.assign(BRIDGE_1) == "story-bridge1"
    assert index.assign(BRIDGE_2) == "story-bridge1"


def test_order_of_arrival_does_not_change_the_stories() -> None:
    for order in (ALL[::-1], ALL[2:] + ALL[:2], [ALL[4], ALL[1], ALL[0], ALL[3], ALL[2]]):
        index = StoryIndex()
        for article in order:
            index.assign(article)
        assert _partition(index) == GOLD


def test_saved_and_loaded_index_continues_like_one_run() -> None:
    whole = StoryIndex()
    for article in ALL:
        whole.assign(article)
    first = StoryIndex()
    for article in ALL[:2]:
        first.assign(article)
    resumed = StoryIndex.from_state(json.loads(json.dumps(first.state())))
    for article in ALL[2:]:
        resumed.assign(article)
    assert resumed.article_story == whole.article_story
    assert resumed.df == whole.df


def test_article_outside_the_time_window_starts_a_new_story() -> None:
    index = StoryIndex(ClusterParams(window_days=7))
    index.assign(BRIDGE_1)
    later = replace(BRIDGE_2, id="bridge-next-year", published="2026-04-02")
    assert index.assign(later) == "story-bridge-next-year"


def test_near_duplicate_joins_its_original_without_counting_twice() -> None:
    index = StoryIndex()
    index.assign(BRIDGE_1)
    index.assign(VOTE_1)
    df_before = dict(index.df)
    copy = replace(VOTE_1, id="vote1-copy")
    assert index.assign(copy, duplicate_of="vote1") == index.story_of("vote1")
    assert index.df == df_before and index.n_docs == 2
