"""Online story clustering on small hand-written articles."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from conftest import KARABAKH
from stories_fixtures import ALL, BRIDGE_1, BRIDGE_2, BRIDGE_3, VOTE_1, VOTE_2, dated_stream
from storylens.ingest import read_inputs
from storylens.model import Article
from storylens.stories import ClusterParams, StoryIndex
from storylens.stories.cluster import FEATURES, ArrivalTerms, Candidate, arrival_terms
from storylens.stories.features import article_terms, dateline_date, event_terms, mentioned_years


def _partition(index: StoryIndex) -> set[frozenset[str]]:
    return {frozenset(ids) for ids in index.all_members().values()}


GOLD_BRIDGE = {"bridge1", "bridge2", "bridge3"}
GOLD = {frozenset(GOLD_BRIDGE), frozenset({"vote1", "vote2"})}


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
    newcomer = replace(VOTE_1, id="newcomer")
    assert [c.features for c in resumed.candidates(resumed.prepare(newcomer))] == [
        c.features for c in whole.candidates(whole.prepare(newcomer))
    ]


def test_article_outside_the_time_window_starts_a_new_story() -> None:
    index = StoryIndex(ClusterParams(window_days=7))
    index.assign(BRIDGE_1)
    later = replace(BRIDGE_2, id="bridge-next-year", published="2026-04-02")
    assert index.assign(later) == "story-bridge-next-year"


def test_closed_story_is_searched_only_by_undated_and_late_articles() -> None:
    """A story long past its window leaves the index dated arrivals search; an undated article, or one dated
    in the story's own time that arrives late, may still belong to it, so they search the closed stories too."""
    index = StoryIndex()
    index.assign(BRIDGE_1)
    index.assign(VOTE_1)
    for article in (BRIDGE_3, VOTE_2, replace(VOTE_1, id="vote-june")):  # two months on: bridge1's story closes
        index.assign(replace(article, published="2025-06-01"))
    assert "story-bridge1" not in index.stories and index.closed.get("story-bridge1")[0].closed
    dated = replace(BRIDGE_2, id="dated", published="2025-06-02")
    assert "story-bridge1" not in {c.story_id for c in index.candidates(index.prepare(dated))}
    undated = replace(BRIDGE_2, id="undated", published=None)
    assert "story-bridge1" in {c.story_id for c in index.candidates(index.prepare(undated))}
    resumed = StoryIndex.from_state(json.loads(json.dumps(index.state())))
    assert "story-bridge1" in resumed.closed.held and "story-bridge1" not in resumed.postings["harlow"]
    late = replace(BRIDGE_2, id="late", published=BRIDGE_1.published)
    assert resumed.assign(late) == "story-bridge1"
    assert resumed.members("story-bridge1") == ["bridge1", "late"] and resumed.closed.get("story-bridge1")[0].size == 2


def test_an_article_or_two_dated_years_ahead_close_no_story() -> None:
    """Stories close when the latest articles' days pass their window; articles with a wrong date at the end of
    the calendar are too few to move that time on, so today's stories stay open."""
    index = StoryIndex()
    index.assign(BRIDGE_1)
    for n in range(2):
        index.assign(replace(VOTE_1, id=f"vote-9999-{n}", published="9999-12-31"))
    index.assign(VOTE_2)
    assert index.newest == date.fromisoformat(VOTE_2.published).toordinal()
    assert index.assign(BRIDGE_2) == "story-bridge1" and "story-bridge1" in index.stories


def test_a_state_saved_before_stories_closed_goes_on_and_closes_them() -> None:
    """A story index saved before stories could close (every story open, no latest days) loads, closes the
    stories past their window as time moves on, and places what follows as an index that always closed them."""
    first, *rest = dated_stream()
    always, legacy = StoryIndex(), StoryIndex()
    for article in first:
        always.assign(article)
        legacy.assign(article)
    state = json.loads(json.dumps(legacy.state()))
    del state["latest"]
    for story in state["stories"]:
        del story["closed"]
    legacy = StoryIndex.from_state(state)
    assert legacy.closed.held == {} and len(legacy.stories) > len(always.stories)
    for article in (a for run in rest for a in run):
        assert legacy.assign(article) == always.assign(article), article.id
    assert legacy.stories.keys() == always.stories.keys() and legacy.closed.held.keys() == always.closed.held.keys()


def test_index_terms_are_chosen_again_as_the_stream_grows() -> None:
    """The first story was indexed when every word looked equally rare; at 8 articles its terms are re-chosen."""
    index = StoryIndex()
    index.assign(BRIDGE_1)
    first_terms = list(index.stories["story-bridge1"].indexed)
    for n in range(7):
        index.assign(replace(VOTE_1, id=f"vote-copy-{n}", text=VOTE_1.text + f" Item {n}."))
    assert index.refreshed_at == 8
    assert index.stories["story-bridge1"].indexed != first_terms


def test_near_duplicate_joins_its_original_without_counting_twice() -> None:
    index = StoryIndex()
    index.assign(BRIDGE_1)
    index.assign(VOTE_1)
    df_before = dict(index.df)
    copy = replace(VOTE_1, id="vote1-copy")
    assert index.assign(copy, duplicate_of="vote1") == index.story_of("vote1")
    assert index.df == df_before and index.n_docs == 2


def _terms_of(index: StoryIndex):  # noqa: ANN202
    by_id = {a.id: a for a in ALL}
    return lambda article_id: arrival_terms(by_id[article_id], index.params)


def test_the_end_of_a_run_seats_articles_that_came_before_their_story_had_formed() -> None:
    """Placed with a threshold no article passes, every article is a story of its own, and all are unsure;
    the second look, with the usual threshold, gives each the story it belongs to and drops the emptied ones."""
    index = StoryIndex(ClusterParams(threshold=1.0))
    for article in ALL:
        index.assign(article)
    index.assign(replace(BRIDGE_1, id="bridge1-copy"), duplicate_of="bridge1")
    assert len(index.all_members()) == len(ALL) and index.unsure == [a.id for a in ALL]
    index.params.threshold = ClusterParams().threshold
    moved = index.reseat(_terms_of(index), copies={"bridge1-copy": "bridge1"})
    assert _partition(index) == {frozenset(GOLD_BRIDGE | {"bridge1-copy"}), frozenset({"vote1", "vote2"})}
    assert moved["bridge1-copy"] == moved["bridge1"] == index.story_of("bridge2")  # a copy follows its original
    assert set(index.stories) == set(index.all_members()) and index.unsure == []
    assert sum(s.size for s in index.stories.values()) == len(ALL)  # copies still count in no centroid


def test_only_articles_placed_unsurely_get_a_second_look_and_the_list_is_saved() -> None:
    index = StoryIndex()
    for article in ALL:
        index.assign(article)
    sure = [a.id for a in ALL if a.id not in index.unsure]
    assert "bridge1" in index.unsure and "vote1" in index.unsure  # they started their stories
    assert StoryIndex.from_state(json.loads(json.dumps(index.state()))).unsure == index.unsure
    index.reseat(_terms_of(index))
    assert _partition(index) == GOLD and index.unsure == [] and all(a in index.article_story for a in sure)


def test_a_second_look_leaves_an_article_that_fits_its_own_story_best() -> None:
    index = StoryIndex()
    for article in ALL:
        index.assign(article)
    centroid = dict(index.stories[index.story_of("bridge1")].terms)
    assert index.reseat(_terms_of(index)) == {}
    after = index.stories[index.story_of("bridge1")].terms
    assert after.keys() == centroid.keys() and all(math.isclose(after[t], centroid[t]) for t in centroid)


# -- event features and the learned join model ----------------------------------------------------------

QUAKE_2019 = Article(
    id="quake2019",
    title="Strong earthquake shakes Velbria province, 14 dead",
    text=(
        "March 4, 2019\n"
        "A magnitude 6.2 earthquake struck Velbria province on Monday, killing 14 people and flattening homes "
        "in the mountain town of Orsk. Governor Ilse Marten said rescuers were searching the rubble of a school. "
        "The quake was felt in the provincial capital, where hospitals treated dozens of injured residents. "
        "Aftershocks rattled the province through the night and thousands slept outdoors."
    ),
)
QUAKE_2019_FOLLOW_UP = Article(
    id="quake2019b",
    title="Orsk buries its dead after Velbria earthquake",
    text=(
        "March 5, 2019\n"
        "Families in Orsk buried the 14 victims of the magnitude 6.2 earthquake on Tuesday as Governor Ilse Marten "
        "promised to rebuild the school that collapsed in Velbria province. Rescuers ended their search of the "
        "rubble and aftershocks eased, but thousands of residents still slept outdoors in the mountain town."
    ),
)
QUAKE_2024 = Article(
    id="quake2024",
    title="Strong earthquake shakes Velbria province, 9 dead",
    text=(
        "October 17, 2024\n"
        "A magnitude 5.8 earthquake struck Velbria province on Thursday, killing 9 people and flattening homes "
        "in the river town of Dessau. Governor Paul Ostrov said rescuers were searching the rubble of a market. "
        "Power lines came down along the Lessa valley and the main bridge to Dessau was closed to traffic. "
        "Engineers will inspect dams upstream before residents are allowed back."
    ),
)


def test_dateline_date_reads_the_date_at_the_top_only() -> None:
    assert dateline_date("July 29,2011 | 10:57 pm\nWarren Jeffs was convicted.") == "2011-07-29"
    assert dateline_date("Tue, 02 Jul 2013 12:28 CDT\nA quake hit Aceh.") == "2013-07-02"
    assert dateline_date("Updated: November 11,2011 20:09 IST") == "2011-11-11"
    assert dateline_date("The strike ended on Monday.") is None
    assert dateline_date("x" * 200 + " July 29, 2011") is None  # deep in the text: not a dateline


def test_mentioned_years_skips_other_numbers() -> None:
    assert mentioned_years("Since 2004, 30,000 people and 2,400 workers; May 03,2013; 20145 items") == ["2004", "2013"]


def test_event_terms_add_prefixed_features_of_the_lead() -> None:
    terms = event_terms("Quake hits Aceh", "A 6.1 magnitude earthquake struck on Tuesday, July 2, 2013, killing 22.")
    for term in ("h:earthquake", "l:aceh", "y:2013", "w:tuesday", "d:07-02", "n:6.1", "#:22"):
        assert terms[term] >= 1, term
    assert "#:2013" not in terms  # a year is not a number to compare
    assert terms["earthquake"] == article_terms("Quake hits Aceh", "A 6.1 magnitude earthquake struck.")["earthquake"]


def test_look_alike_event_of_another_year_starts_its_own_story() -> None:
    index = StoryIndex()
    first = index.assign(QUAKE_2019)
    assert index.assign(QUAKE_2024) != first
    assert index.assign(QUAKE_2019_FOLLOW_UP) == first


def test_the_body_cosine_alone_merges_the_look_alikes() -> None:
    """The same three articles with the first version's join rule: what the event features are for."""
    index = StoryIndex(ClusterParams(weights=None, threshold=0.22))
    first = index.assign(QUAKE_2019)
    assert index.assign(QUAKE_2024) == first


def test_follow_up_naming_the_next_day_joins() -> None:
    index = StoryIndex()
    index.assign(QUAKE_2019)
    candidates = index.candidates(index.prepare(QUAKE_2019_FOLLOW_UP))
    assert len(candidates) == 1
    when = candidates[0].features[FEATURES.index("when")]
    days = candidates[0].features[FEATURES.index("days")]
    assert when == pytest.approx(1 / 3)  # Monday, then Tuesday: one day apart
    assert days == pytest.approx(1 - math.log(2) / math.log(31))  # datelines one day apart
    assert candidates[0].score >= index.params.threshold


def test_years_that_disagree_are_a_conflict() -> None:
    index = StoryIndex()
    index.assign(QUAKE_2019)
    features = index.candidates(index.prepare(QUAKE_2024))[0].features
    assert features[FEATURES.index("years_conflict")] == 1.0
    assert features[FEATURES.index("lead_numbers_conflict")] == 1.0  # 6.2 and 14 against 5.8 and 9
    assert features[FEATURES.index("days")] == -1.0  # five years apart


def test_state_saved_before_the_join_model_keeps_joining_on_the_cosine() -> None:
    old = StoryIndex(ClusterParams(weights=None, threshold=0.22))
    old.assign(BRIDGE_1)
    state = json.loads(json.dumps(old.state()))
    del state["params"]["weights"]
    for story in state["stories"]:
        del story["seen_first"], story["seen_last"]
    resumed = StoryIndex.from_state(state)
    assert resumed.params.weights is None
    assert resumed.assign(BRIDGE_2) == "story-bridge1"


def test_weights_must_match_the_features() -> None:
    with pytest.raises(ValueError):
        ClusterParams(weights=(0.0, 1.0))


# -- long articles and look-alike rounds of talks -------------------------------------------------------

TALKS_HELD = Article(
    id="talks1",
    title=None,
    text=(
        "Delegations from Norvalia and Ostrand met in the border town of Kessin on Thursday for their first "
        "direct talks since the ceasefire. Mediator Anika Ferreira said both sides agreed to exchange prisoners."
    ),
)
OTHER_ROUND = Article(
    id="talks2",
    title=None,
    text=(
        "Norvalia and Ostrand held talks on Monday in Lisbrook, hosted by envoy Tomas Reinholt, weeks after "
        "fighting along their border. Foreign ministers Carl Mavrin and Petra Losk attended."
    ),
)


def test_names_new_to_a_story_are_measured_by_weight() -> None:
    index = StoryIndex()
    index.assign(TALKS_HELD)
    features = index.candidates(index.prepare(OTHER_ROUND))[0].features
    new_names = features[FEATURES.index("new_lead_names")]
    assert 0.5 < new_names < 1.0  # Lisbrook, Reinholt, Mavrin, Losk are new; Norvalia and Ostrand are not
    assert 0.0 <= features[FEATURES.index("top_terms")] < 1.0


def test_top_terms_are_the_share_of_the_article_heads_the_story_holds() -> None:
    index = StoryIndex()
    index.assign(TALKS_HELD)
    reprint = replace(TALKS_HELD, id="talks1-reprint")
    features = index.candidates(index.prepare(reprint))[0].features
    assert features[FEATURES.index("top_terms")] == 1.0  # its heaviest words are all the story's own
    assert features[FEATURES.index("new_lead_names")] == 0.0
    assert index.candidates(index.prepare(OTHER_ROUND))[0].features[FEATURES.index("top_terms")] < 0.5


def test_a_weak_join_is_refused_when_the_leads_days_are_far_apart() -> None:
    index = StoryIndex()
    when = FEATURES.index("when")
    apart = tuple(-1.0 if i == when else 0.0 for i in range(len(FEATURES)))
    near = tuple(1.0 if i == when else 0.0 for i in range(len(FEATURES)))
    weak = (index.params.threshold + index.params.day_conflict_below) / 2
    assert not index._joins(Candidate("story-a", apart, weak))
    assert index._joins(Candidate("story-a", near, weak))
    assert index._joins(Candidate("story-a", apart, index.params.day_conflict_below))  # a sure join stands
    assert not index._joins(Candidate("story-a", near, index.params.threshold / 2))


@pytest.mark.corpus
def test_karabakh_stories_come_out_exact_in_every_arrival_order() -> None:
    """The two rounds of Armenia-Azerbaijan talks share most names and words: every one of the 120 arrival
    orders of the five articles must give the four Yevlakh articles one story and Washington its own."""
    gold = json.loads((KARABAKH / "gold.json").read_text())
    articles = sorted((a for a in read_inputs([str(KARABAKH)]) if isinstance(a, Article)), key=lambda a: a.path)
    ref = {a.id: next(r for r, name in gold["files"].items() if a.path.endswith(name)) for a in articles}
    wanted = {frozenset(s["articles"]) for s in gold["stories"]}
    by_id = {a.id: a for a in articles}
    wrong = []
    for order in itertools.permutations(articles):
        index = StoryIndex()
        for article in order:
            index.assign(article)
        index.reseat(lambda article_id, params=index.params: arrival_terms(by_id[article_id], params))
        found = {frozenset(ref[a] for a in ids) for ids in index.all_members().values()}
        if found != wanted:
            wrong.append([ref[a.id] for a in order])
    assert not wrong, f"{len(wrong)} of 120 orders wrong, e.g. {wrong[:3]}"


def test_stories_that_tie_as_candidates_come_in_the_order_of_their_ids() -> None:
    """The index's postings are sets, whose order changes with each process's hash seed: ties among the
    stories sharing an arrival's terms must not decide, or two runs of one archive would place it apart."""
    index = StoryIndex(ClusterParams(threshold=2.0, max_candidates=3))  # nothing joins: a story per article
    terms = ArrivalTerms(Counter({"flood": 3, "river": 2, "levee": 1}), None, None)
    stories = [index.assign_terms(f"article-{i:02d}", lambda: terms) for i in range(12)]
    assert len(set(stories)) == 12
    found = [c.story_id for c in index.candidates(index.prepare_terms("probe", terms))]
    assert found == sorted(stories)[:3]


def test_a_wire_story_reprinted_by_hundreds_of_outlets_stays_one_story() -> None:
    # each copy adds a line of its own (half cut one line and repeat another, as outlets trim wire copy); as the
    # story grows its shared words lose their IDF, and the join model, which saw stories of a few dozen
    # articles, must not hold hundreds of members against the next copy
    import random

    rng = random.Random(4)
    wire = [
        "The Harbourtown council voted on Monday to raise the port budget by 4 percent, officials said.",
        "Mayor Dana Ellis said the vote was close and that workers at the port would get new cranes.",
        '"We have waited ten years for this," said Omar Haddad, who leads the dock workers\' union.',
        "The plan will cost about 12 million crowns and take two years to complete, the council said.",
        "Critics said the money should go to schools instead.",
    ]
    places = [
        "river",
        "bridge",
        "ferry",
        "night",
        "crowd",
        "market",
        "winter",
        "harbour",
        "teachers",
        "nurses",
        "trains",
        "buses",
    ]
    index = StoryIndex()
    stories = set()
    for k in range(1200):
        lines = list(wire)
        at = rng.randrange(6)
        own = f"The Gazette {k} reported that {rng.randint(2, 900)} residents near the {rng.choice(places)} watched"
        lines.insert(at, f"{own} the {rng.choice(places)} debate.")
        if rng.random() < 0.5:  # some outlets cut a line and repeat another, edited
            repeated, cut = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[cut] = lines[repeated].replace("said", "stated")
        article = Article(id=f"copy{k}", title="Council raises port budget", text="\n\n".join(lines))
        stories.add(index.assign(article))
    assert len(stories) == 1


def test_markup_in_a_headline_weighs_as_its_words_only() -> None:
    # a reprint whose headline carried <img onerror> and <script> formed a story of its own beside its copies:
    # the tag words counted as headline terms. (Ingest now reads such markup out; a store written before may hold it.)
    text = "The council of Harbourtown voted on Monday to raise the port budget by four percent, officials said."
    marked = 'Council <img src=x onerror=alert(1)> raises <b>port</b> budget <script>alert("x")</script>'
    plain = Article(id="plain", title="Council raises port budget", text=text)
    hostile = Article(id="hostile", title=marked, text=text)
    assert arrival_terms(hostile, ClusterParams()).counts == arrival_terms(plain, ClusterParams()).counts
