"""A figure from another story is shown only where the two stories are about the same thing."""

from __future__ import annotations

from storylens import nlp
from storylens.analysis import analyze_story
from storylens.compare.claims import comparable
from storylens.compare.related import entity_keys, shared_figures
from storylens.model import Article, Story, StoryInput, StoryResult


def _analysed(story_id: str, *texts: str) -> StoryResult:
    pipeline = nlp.load()
    articles = [Article(id=f"{story_id}-{n}", text=t, source=f"Outlet {n}") for n, t in enumerate(texts)]
    return analyze_story(StoryInput(Story(story_id, articles), {a.id: pipeline(a.text) for a in articles}))


def _shared(a: StoryResult, b: StoryResult) -> list:
    return shared_figures(
        "s1", comparable(a.claims), "s2", comparable(b.claims), entity_keys(a.entities) & entity_keys(b.entities)
    )


TALKS = (
    "Officials from Veldran and Moravia met in Kessport on Monday to resume peace talks.\n\n"
    "Veldran and Moravia have fought two wars over the Ostra valley since 1991, and about 30,000 people "
    "were killed in the first of them."
)
CLASHES = (
    "Troops from Veldran shelled villages in the Ostra valley on Friday, Moravia's defence ministry said.\n\n"
    "The two countries have fought two wars over the Ostra valley, in which about 30,000 people were killed."
)
FILMS = (
    "Critics from Lisbon and Oslo met at the Tivoli cinema on Monday.\n\n"
    "The jury picked 10 films for the autumn festival, which opens on Thursday with a comedy."
)
RECIPES = (
    "A baker from Lisbon who moved to Oslo opened a stall at the Tivoli market.\n\n"
    "She shared 10 films of her kitchen, each showing one cake made with rye flour."
)


def test_a_background_fact_retold_by_two_stories_of_one_conflict_links_them():
    groups = _shared(_analysed("s1", TALKS), _analysed("s2", CLASHES))
    quantities = " ".join(g.about for g in groups)
    assert groups and all(g.verdict == "agree" for g in groups)
    assert "kill" in quantities or "war" in quantities


def test_the_same_bare_count_in_stories_about_other_things_links_nothing():
    films, recipes = _analysed("s1", FILMS), _analysed("s2", RECIPES)
    assert any("film" in c.claim.quantity for c in films.claims)  # both stories do count films
    assert any("film" in c.claim.quantity for c in recipes.claims)
    shared = entity_keys(films.entities) & entity_keys(recipes.entities)
    assert len(shared) >= 2  # they share names: what keeps them apart is that the figures are not tied to them
    assert _shared(films, recipes) == []


def test_either_story_first_gives_the_same_groups():
    talks, clashes = _analysed("s1", TALKS), _analysed("s2", CLASHES)
    names = entity_keys(talks.entities) & entity_keys(clashes.entities)
    one = shared_figures("s1", comparable(talks.claims), "s2", comparable(clashes.claims), names)
    other = shared_figures("s2", comparable(clashes.claims), "s1", comparable(talks.claims), names)
    assert one == other
