"""Text reuse: alignment kinds and spans, candidate index, near-duplicates, saving and loading."""

from __future__ import annotations

import gc
import io
import sys
from dataclasses import replace
from datetime import date

import numpy as np

from stories_fixtures import ALL, BRIDGE_1, BRIDGE_2, BRIDGE_3, VOTE_1
from storylens.model import Article
from storylens.stories import ReuseIndex, ReuseParams, Tracker, align
from storylens.stories.align import AlignParams
from storylens.stories.reuse import INDEX_PARTS, IndexRows

PIER = "Engineer Mira Kestrel said cracks in the central pier had been reported in January."


def _span(article: Article, start: int, end: int) -> str:
    return article.text[start:end]


def test_identical_sentence_is_verbatim_with_exact_spans() -> None:
    found = [r for r in align(BRIDGE_1, BRIDGE_2) if r.kind == "verbatim"]
    assert len(found) == 1
    assert _span(BRIDGE_1, found[0].a_start, found[0].a_end) == PIER
    assert _span(BRIDGE_2, found[0].b_start, found[0].b_end) == PIER
    assert found[0].similarity == 1.0


def test_edited_sentence_is_near() -> None:
    edited = Article(
        id="edited",
        text="Officials were quiet. Engineer Mira Kestrel said cracks in the main pier were reported in January!",
    )
    found = align(BRIDGE_1, edited)
    assert [r.kind for r in found] == ["near"]
    assert _span(edited, found[0].b_start, found[0].b_end).startswith("Engineer Mira Kestrel")
    assert 0.6 <= found[0].similarity < 1.0


def test_reworded_sentence_is_paraphrase() -> None:
    reworded = Article(
        id="reworded",
        text="Once the Harlow Bridge had collapsed, four people were saved from the Tamsin River by rescue crews.",
    )
    found = align(BRIDGE_2, reworded)
    assert [r.kind for r in found] == ["paraphrase"]
    assert _span(BRIDGE_2, found[0].a_start, found[0].a_end).startswith("Rescuers pulled four people")


def test_a_fact_restated_with_other_words_for_the_count_is_paraphrase() -> None:
    """`people dead` / `lives`, `war` / `conflict`: one count class, so the restated toll is found."""
    before = Article(id="before", text="The ministers met in Corvel. That war left 4,200 people dead in the valley.")
    after = Article(id="after", text="Talks resumed on Monday in Corvel. The conflict claimed some 4,200 lives.")
    found = align(before, after)
    assert [r.kind for r in found] == ["paraphrase"]
    assert _span(after, found[0].b_start, found[0].b_end) == "The conflict claimed some 4,200 lives."


def test_the_same_people_named_is_not_the_same_statement() -> None:
    a = Article(id="a", text="Mayor Tobin Vail of Orvand said the Harlow Bridge would reopen by the summer.")
    b = Article(id="b", text="Opposition members asked Mayor Tobin Vail of Orvand to resign over the Harlow Bridge.")
    assert [r.kind for r in align(a, b, AlignParams(paraphrase_min_common=0, paraphrase_min_rare=0))] == ["paraphrase"]
    assert align(a, b) == []


def test_unrelated_articles_share_nothing() -> None:
    assert align(BRIDGE_1, VOTE_1) == []


def test_earlier_article_is_a_and_first() -> None:
    earlier = replace(BRIDGE_2, published="2025-04-01")
    found = align(BRIDGE_1, earlier, paraphrase=False)
    assert found and all(r.a == "bridge2" and r.first == "bridge2" for r in found)
    undated = align(replace(BRIDGE_1, published=None), BRIDGE_2, paraphrase=False)
    assert all(r.first is None for r in undated)


def test_consecutive_reused_sentences_merge_into_one_span() -> None:
    a = Article(id="a", text=BRIDGE_1.text)
    b = Article(id="b", text="Unrelated opening words about nothing at all here. " + BRIDGE_1.text[:200])
    found = align(a, b, paraphrase=False)
    assert len(found) == 1 and found[0].a_start == 0 and found[0].kind == "verbatim"


def test_index_finds_candidates_and_near_duplicates() -> None:
    index = ReuseIndex()
    assert index.add(BRIDGE_1).similar == []
    assert index.add(VOTE_1).similar == []
    assert index.add(BRIDGE_2).similar == ["bridge1"]
    copy = replace(
        BRIDGE_1,
        id="bridge1-copy",
        text=BRIDGE_1.text.replace("boats from Wednesday.", "boats from Wednesday, it said."),
    )
    assert index.add(copy).duplicate_of == "bridge1"
    assert index.add(BRIDGE_3).duplicate_of is None


# Two sentences (14 and 17 word trigrams) that share one six-word run, 4 trigrams: Jaccard 4/27;
# and an edited copy of the first (one word changed, 3 trigrams lost: Jaccard 11/17).
HARBOUR = Article(
    id="harbour",
    text="Dockworkers at Pellin harbour unloaded grain ships through a long wet night before the strike began.",
)
MARKET = Article(
    id="market",
    text="Traders in Voss said a long wet night before the autumn fair had flooded every stall near the river.",
)
HARBOUR_EDITED = Article(
    id="harbour-edited",
    text="Dockworkers at Pellin harbour unloaded grain barges through a long wet night before the strike began.",
)


def test_band_collisions_are_checked_against_the_whole_signature() -> None:
    # one-row bands make a shared trigram a likely collision (24 draws at 4/27: P(none) about 0.02);
    # the check asks for 9 of 24 values in common, which 4/27 rarely reaches and 11/17 almost always does
    loose, checked = ReuseParams(bands=24, rows=1, verify=0), ReuseParams(bands=24, rows=1, verify=9)
    unchecked = ReuseIndex(loose)
    unchecked.add(HARBOUR)
    assert unchecked.add(MARKET).similar == ["harbour"]
    index = ReuseIndex(checked)
    index.add(HARBOUR)
    assert index.add(MARKET).similar == []
    assert index.add(HARBOUR_EDITED).similar == ["harbour"]


BOILERPLATE = "Readers can send tips to the newsroom at any hour through the secure form on our website."
OPENINGS = [
    "Farmers near Ostrel counted hail damage across the barley fields on Monday morning.",
    "The Quarry Lane library will stay shut while builders replace its leaking copper roof.",
    "Two rival chess clubs in Brannock agreed to merge after a long winter of falling membership.",
]


def test_full_bucket_stops_matching() -> None:
    # the same closing line in three articles: with room for two sentences per bucket, the third
    # article finds the line's buckets full (boilerplate) and gets no candidates; with room for three it does
    articles = [Article(id=f"site{i}", text=f"{opening} {BOILERPLATE}") for i, opening in enumerate(OPENINGS)]
    for cap, expected in ((2, []), (3, ["site1", "site0"])):
        index = ReuseIndex(ReuseParams(bucket_cap=cap))
        assert index.add(articles[0]).similar == []
        assert index.add(articles[1]).similar == ["site0"]
        assert sorted(index.add(articles[2]).similar) == sorted(expected)


def test_index_holds_nothing_the_garbage_collector_walks() -> None:
    # millions of lists or tuples in the buckets made every full collection slower as the corpus grew
    index = ReuseIndex()
    for article in [*ALL, replace(BRIDGE_1, id="again-1"), replace(BRIDGE_1, id="again-2")]:
        index.add(article)
    assert max(index.buckets.depth) >= 3  # bridge1's sentences are filed three times over
    gc.collect()
    assert not gc.is_tracked(index.buckets.head) and not gc.is_tracked(index.doc_buckets.head)


def _saved_and_loaded(tracker: Tracker, saves: list[list[tuple[int, int, bytes]]]) -> Tracker:
    """The tracker as a later run loads it: its state, and the parts of every save so far."""
    saves.append(tracker.save_rows()[1])
    return Tracker.from_bytes(tracker.to_bytes(), lambda upto: [p for save in saves[:upto] for _, _, p in save])


def test_saved_and_loaded_index_continues_like_one_run() -> None:
    """Saved after one article and again after two, in parts: the loaded index finds what one run finds."""
    by_id = {a.id: a for a in ALL}
    whole = ReuseIndex()
    results = [whole.add(a) for a in ALL]
    first, saves = Tracker(), []
    first.add(ALL[0], by_id.__getitem__)
    _saved_and_loaded(first, saves)
    first.add(ALL[1], by_id.__getitem__)
    resumed = _saved_and_loaded(first, saves).reuse
    assert len(saves) == 2 and all(saves)
    assert [resumed.add(a) for a in ALL[2:]] == results[2:]
    # a save's parts hold its own articles only, cut by band key
    assert {p for p, _, _ in saves[1]} <= set(range(INDEX_PARTS)) and len(saves[1]) > 1
    assert set(IndexRows.from_bytes(saves[1][0][2]).owner.tolist()) <= {1}


def test_tracker_round_trip_gives_the_same_placements() -> None:
    by_id = {a.id: a for a in ALL}
    whole = Tracker()
    expected = [whole.add(a, by_id.__getitem__) for a in ALL]
    first = Tracker()
    for article in ALL[:3]:
        first.add(article, by_id.__getitem__)
    resumed = _saved_and_loaded(first, [])
    assert [resumed.add(a, by_id.__getitem__) for a in ALL[3:]] == expected[3:]
    assert any(r.kind == "verbatim" for p in expected for r in p.reuse)


def test_a_tracker_loaded_without_its_rows_knows_positions_and_copies() -> None:
    """What an engine that finds candidates elsewhere loads: no buckets, but every article's position."""
    by_id = {a.id: a for a in ALL}
    tracker = Tracker()
    for article in ALL:
        tracker.add(article, by_id.__getitem__)
    tracker.save_rows()
    light = Tracker.from_bytes(tracker.to_bytes())
    assert light.reuse.position == tracker.reuse.position and light.reuse.duplicates == tracker.reuse.duplicates
    assert len(light.reuse.buckets) == 0 and light.reuse.saves == 1


FLOOD_1 = Article(
    id="flood1",
    text="Flood water covered the town of Brisk on Monday. Town residents watched the water of the flood rise "
    "near the old mill. By noon the flood had reached the town hall, and residents saw water in the square. "
    "Residents of the town left by boat as the flood water rose. "
    "The mayor said the levee had failed after three days of rain.",
)
FLOOD_2 = Article(
    id="flood2",
    text="The flood in the town of Brisk is the worst in decades. Flood water kept residents away from the "
    "town school on Friday. Many residents fear the water will return to the town with the next flood. "
    "According to the mayor, three days of rain made the levee fail.",
)


def test_sentences_sharing_only_the_storys_background_are_not_a_paraphrase() -> None:
    """`residents`, `town`, `flood`, `water` fill both articles: two sentences sharing only them state
    different facts, while the levee sentences share what was done (failed after three days of rain)."""
    found = align(FLOOD_1, FLOOD_2)
    pairs = [(_span(FLOOD_1, r.a_start, r.a_end), _span(FLOOD_2, r.b_start, r.b_end)) for r in found]
    assert pairs == [
        (
            "The mayor said the levee had failed after three days of rain.",
            "According to the mayor, three days of rain made the levee fail.",
        )
    ]
    # alone, without the articles around them, the two background sentences do read as one statement
    alone_1 = Article(id="alone1", text="Town residents watched the water of the flood rise near the old mill.")
    alone_2 = Article(id="alone2", text="Flood water kept residents away from the town school on Friday.")
    assert [r.kind for r in align(alone_1, alone_2)] == ["paraphrase"]


def test_two_people_named_doing_a_like_thing_are_not_a_paraphrase() -> None:
    a = Article(id="a", text="Farmer Ilsa Brandt said flooding the valley to save the dam is a bad idea.")
    b = Article(id="b", text="Councillor Oren Pask told reporters that flooding the valley to save the dam is silly.")
    assert align(a, b) == []
    c = Article(id="c", text="Brandt, who farms below the dam, thinks flooding her valley to save it is silly.")
    assert [r.kind for r in align(a, c)] == ["paraphrase"]


def test_a_bucket_keeps_its_first_items_and_each_meets_those_before_it() -> None:
    """`bucket_kept` and `_Buckets.from_sorted`, which the shuffled candidate search relies on, against `put`."""
    import numpy as np

    from storylens.stories.reuse import _Buckets, bucket_kept

    rng = np.random.default_rng(7)
    for cap in (1, 2, 3, 50):
        filed = rng.integers(0, 6, size=300)  # 300 items under 6 keys, item i filed i-th
        built = _Buckets(cap)
        kept: dict[int, list[int]] = {}
        for item, key in enumerate(filed.tolist()):
            met = built.put(key, item)
            before = kept.setdefault(key, [])
            if len(before) < bucket_kept(cap):
                assert met == before[::-1]  # all kept before it, newest first
                before.append(item)
            else:
                assert met is None
        keys = np.array(sorted(k for k, items in kept.items() for _ in items), dtype=np.int64)
        items = np.array([i for k in sorted(kept) for i in kept[k]], dtype=np.int32)
        assembled = _Buckets.from_sorted(cap, keys, items)
        for key in range(7):
            assert assembled.get(key) == built.get(key)
            assert assembled.put(key, 1000) == built.put(key, 1000)  # and it goes on as the one built by `put`


def test_a_partition_with_many_rows_is_saved_in_pieces_that_hold_them_all(monkeypatch) -> None:
    from storylens.stories import reuse

    index = ReuseIndex()
    for article in ALL:
        index.add(article)
    rows = index.new_rows()
    monkeypatch.setattr(reuse, "PART_ROWS", 3)
    parts = rows.to_parts()
    assert len(parts) > len({(p, w) for p, w, _ in parts})  # a partition in several pieces
    back = IndexRows.joined([IndexRows.from_bytes(data) for _, _, data in parts], index.params)
    order, back_order = (
        np.lexsort((rows.band, rows.sentence, rows.owner, rows.key)),
        np.lexsort((back.band, back.sentence, back.owner, back.key)),
    )
    for name in ("key", "owner", "sentence", "band", "prints"):
        assert (getattr(back, name)[back_order] == getattr(rows, name)[order]).all(), name
    assert sorted(back.doc_owner.tolist()) == list(range(len(ALL)))


def _dated(article_id: str, text: str, day: int | None) -> Article:
    """An article published `day` days after the start of a 10-day window (or undated)."""
    published = None if day is None else date.fromordinal(73_962 * 10 + day).isoformat()
    return Article(id=article_id, text=text, published=published)


def test_articles_meet_only_within_their_time_windows() -> None:
    """Windows of 10 days: articles meet those of their own window and the windows beside it (at most 10 days
    apart always, up to 19 may), newest first. An article without a date is of the time of the dated one
    before it; those before any dated article are met by all. Without windows, all meet."""
    days = {"early": None, "first": 1, "beside": 12, "apart": 32, "same": 38, "undated": None}  # windows 0 1 3 3 3
    lines = "Reporters of the {0} desk spoke with residents by the river. " + PIER + " More on {0} soon."
    articles = [_dated(name, lines.format(name), day) for name, day in days.items()]
    index = ReuseIndex(ReuseParams(window_days=10))
    met = {a.id: index.add(a).similar for a in articles}
    assert met == {"early": [], "first": ["early"], "beside": ["first", "early"], "apart": ["early"],
                   "same": ["apart", "early"], "undated": ["same", "apart", "early"]}  # fmt: skip
    always = ReuseIndex(ReuseParams(window_days=None))
    assert sorted([always.add(a).similar for a in articles][-1]) == sorted(days)[:-1]


def test_a_copy_is_a_duplicate_only_within_the_time_windows() -> None:
    text = f"Officials were quiet about the cause of the collapse on Friday night. {PIER} Divers searched the river."
    index = ReuseIndex(ReuseParams(window_days=10))
    index.add(_dated("original", text, 5))
    assert index.add(_dated("reprint", text, 90)).duplicate_of is None
    assert index.add(_dated("copy", text, 12)).duplicate_of == "original"


def test_a_full_bucket_in_the_window_beside_meets_nothing_and_the_next_window_starts_afresh() -> None:
    """The cap counts per window: boilerplate that filled last month's bucket is met again this month."""
    params = ReuseParams(window_days=10, bucket_cap=2)
    index = ReuseIndex(params)
    for i, opening in enumerate(OPENINGS):
        index.add(_dated(f"old{i}", f"{opening} {BOILERPLATE}", 1))  # window 0, full after two
    assert index.add(_dated("beside", f"{OPENINGS[0]} {BOILERPLATE}", 12)).similar == []  # window 1 meets 0: full
    assert index.add(_dated("later", f"{OPENINGS[1]} {BOILERPLATE}", 25)).similar == ["beside"]  # window 2


def test_an_index_saved_before_time_windows_goes_on_without_them() -> None:
    index = ReuseIndex(ReuseParams(window_days=None))
    index.add(_dated("a", f"Officials were quiet. {PIER}", 1))
    meta = {**index.meta(), "format": 3}
    meta["params"].pop("window_days")
    rows = index.new_rows()
    old = {name: getattr(rows, name) for name in ("key", "owner", "sentence", "band", "prints", "doc_owner", "doc")}
    buffer = io.BytesIO()
    np.savez(buffer, **old)  # the layout of format 3: no windows
    loaded = ReuseIndex.from_rows(meta, IndexRows.from_bytes(buffer.getvalue()))
    assert loaded.params.window_days is None
    assert loaded.add(_dated("b", f"Much later. {PIER}", 900)).similar == ["a"]


def test_pages_of_look_alike_sentences_still_pair_each_edited_sentence_with_its_source() -> None:
    # one template, many figures: every sentence shares trigrams with every other, so each is compared
    # only with the few that share the most; its own edited copy is among them
    lines = [f"The council said {n} workers and {n + 7} ships were in port on day {n}." for n in range(60)]
    edited = [line.replace("were in port", "waited in port") for line in reversed(lines)]
    a, b = Article(id="a", text=" ".join(lines)), Article(id="b", text=" ".join(edited))
    found = [r for r in align(a, b, paraphrase=False) if r.kind in ("near", "verbatim")]
    covered = [any(r.b_start <= b.text.index(e) < r.b_end for r in found) for e in edited]
    assert all(covered)


def test_runs_compared_a_block_at_a_time_give_the_alignment_of_all_at_once(monkeypatch) -> None:
    # paraphrase runs of one article meet those of the other in blocks of rows (two template pages share
    # stems in every pair of runs); where the blocks are cut must not change what is found
    align_module = sys.modules[align.__module__]  # the package exports the function under the module's name
    places = ["Alder", "Birch", "Cedar", "Dunmore", "Elmwood", "Fairhill", "Glenrock", "Hartfield", "Ivybank"]
    said = [f"Councillors in {p} approved {n + 3} new homes beside the river on Monday." for n, p in enumerate(places)]
    reworded = [
        f"On Monday the {p} council gave the go-ahead for {n + 3} houses near its river." for n, p in enumerate(places)
    ]
    a, b = Article(id="a", text=" ".join(said)), Article(id="b", text=" ".join(reversed(reworded)))
    at_once = align(a, b)
    assert [r.kind for r in at_once].count("paraphrase") >= 2
    monkeypatch.setattr(align_module, "RUNS_AT_ONCE", 4)
    assert align(a, b) == at_once
