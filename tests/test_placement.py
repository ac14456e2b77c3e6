"""Placement into stories saved in the store: batches, the end of a run's second look, a resumed run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stories_fixtures import ALL, BRIDGE_1
from storylens.engine import stories as placement
from storylens.engine.stories import TRACKER, place_new_articles, saved_tracker, with_moves
from storylens.model import Reuse
from storylens.stories.reuse import INDEX_PARTS
from storylens.stories.tracker import Placed

COPY = replace(BRIDGE_1, id="bridge1-copy", path="copy.txt")


def test_placements_in_the_store_are_the_saved_trackers_after_batches(store, monkeypatch):
    monkeypatch.setattr(placement, "PLACE_BATCH", 2)  # several saved batches before the run's second look
    store.add_articles([*ALL, COPY])
    assert place_new_articles(store) == len(ALL) + 1
    tracker = saved_tracker(store)
    placed = store.placements()
    assert {a: s for a, (s, _) in placed.items()} == tracker.stories.article_story
    assert tracker.stories.unsure == []  # looked at again, and the list saved empty
    assert placed["bridge1-copy"] == (placed["bridge1"][0], "bridge1")
    assert store.unplaced() == [] and place_new_articles(store) == 0


def test_a_move_of_an_article_from_an_earlier_batch_rewrites_only_its_story(store):
    store.add_articles([*ALL, COPY])
    reuse = Reuse("bridge1", 0, 10, "bridge2", 0, 10, 1.0, "verbatim", "bridge1")
    store.put_placements([Placed("bridge1", "story-a"), Placed("bridge2", "story-a", reuse=[reuse])], TRACKER, b"")
    store.put_placements([Placed("bridge1-copy", "story-a", "bridge1")], TRACKER, b"")
    batch = [Placed("vote1", "story-b")]
    rows = with_moves(batch, {"bridge1": "story-c", "bridge1-copy": "story-c", "vote1": "story-c"},
                      {"bridge1-copy": "bridge1"})  # fmt: skip
    store.put_placements(rows, TRACKER, b"")
    placed = store.placements()
    assert placed["bridge1"] == ("story-c", None) and placed["bridge1-copy"] == ("story-c", "bridge1")
    assert placed["vote1"] == ("story-c", None) and placed["bridge2"] == ("story-a", None)
    assert store.conn.execute("SELECT COUNT(*) FROM reuse").fetchone()[0] == 1  # the earlier batch's reuse stays


def test_a_run_that_dies_mid_way_leaves_its_unsure_articles_to_the_next_run(store, monkeypatch):
    monkeypatch.setattr(placement, "PLACE_BATCH", 2)
    store.add_articles([*ALL, COPY])

    def die_after_three(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt  # as a run stopped mid-way: the batches saved so far stay

    with pytest.raises(KeyboardInterrupt):
        place_new_articles(store, die_after_three)
    left = saved_tracker(store).stories.unsure
    assert left and set(left) <= set(store.placements())  # saved with the placements they belong to
    place_new_articles(store)
    tracker = saved_tracker(store)
    assert tracker.stories.unsure == [] and store.unplaced() == []
    assert {a: s for a, (s, _) in store.placements().items()} == tracker.stories.article_story


def _index(store) -> tuple:  # noqa: ANN001 (a Store)
    """The saved reuse index as the next run loads it: positions, copies, buckets and signatures."""
    index = saved_tracker(store).reuse
    buckets = {k: index.buckets.get(k) for k in index.buckets.head}
    docs = {k: index.doc_buckets.get(k) for k in index.doc_buckets.head}
    arrays = [getattr(index, n).view().tobytes() for n in ("sentence_article", "sentence_prints", "doc_signatures")]
    return index.article_ids, index.duplicates, buckets, docs, arrays


def test_runs_of_a_few_articles_each_leave_the_index_of_one_run_in_few_parts(tmp_path, monkeypatch):
    """As a watched feed runs: each run saves its own parts, and a run that finds many rewrites them."""
    from storylens.store import Store

    monkeypatch.setattr(placement, "COMPACT_PARTS", 2 * INDEX_PARTS)
    with Store(tmp_path / "one.db") as store:
        store.add_articles([*ALL, COPY])
        place_new_articles(store)
        whole = _index(store)
    with Store(tmp_path / "many.db") as store:
        counts = []
        for article in [*ALL, COPY]:
            store.add_articles([article])
            place_new_articles(store)
            counts.append(store.count_index_parts(TRACKER)[0])
        assert max(counts) > 2 * INDEX_PARTS and counts[-1] <= 3 * INDEX_PARTS  # rewritten on the way
        assert saved_tracker(store).reuse.saves == len(ALL) + 1
        assert _index(store) == whole


def test_the_parts_of_a_save_killed_before_its_state_are_never_read(store):
    store.add_articles(ALL[:3])
    place_new_articles(store)
    before = _index(store)
    saves = saved_tracker(store).reuse.saves
    # what a run killed after storing its index rows leaves: parts its state never counted
    store.add_index_parts(TRACKER, saves + 1, [(0, 0, b"not an index part")])
    assert _index(store) == before
    store.add_articles(ALL[3:])
    place_new_articles(store)  # its save drops them
    assert (
        store.conn.execute("SELECT COUNT(*) FROM index_parts WHERE data = ?", (b"not an index part",)).fetchone()[0]
        == 0
    )


def test_the_saved_index_is_cut_by_time_window_and_read_by_window(store):
    """A run reads only the index parts of the windows its articles meet (and parts saved before windows)."""
    from stories_fixtures import dated_stream
    from storylens.stories.reuse import IndexRows

    store.add_articles([a for run in dated_stream() for a in run])
    place_new_articles(store)
    saves = saved_tracker(store).reuse.saves
    windows = [w for (w,) in store.conn.execute("SELECT DISTINCT window FROM index_parts ORDER BY window")]
    assert len(windows) >= 4
    for window in windows:
        rows = [IndexRows.from_bytes(p) for p in store.index_parts(TRACKER, saves, {window})]
        assert rows and all(set(r.window.tolist()) | set(r.doc_window.tolist()) == {window} for r in rows)
    everything = sum(len(IndexRows.from_bytes(p).key) for p in store.index_parts(TRACKER, saves))
    assert everything == sum(len(IndexRows.from_bytes(p).key) for p in store.index_parts(TRACKER, saves, windows))
    store.conn.execute("UPDATE index_parts SET window = NULL WHERE window = ?", (windows[0],))  # saved before windows
    assert (
        len(list(store.index_parts(TRACKER, saves, {windows[1]})))
        == store.conn.execute(
            "SELECT COUNT(*) FROM index_parts WHERE window IS NULL OR window = ?", (windows[1],)
        ).fetchone()[0]
    )
