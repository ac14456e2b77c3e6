"""Framing: word choices found where two outlets tell one fact in nearly one sentence."""

from __future__ import annotations

from storylens import nlp
from storylens.compare.framing import find_framing
from storylens.model import Article

WIRE = Article(
    id="wire",
    text=(
        "About 900 nurses walked out at the Harlow General Hospital on Friday, closing wards at the region's "
        "largest hospital for a one-day protest over staffing.\n"
        "The strikers marched to the town hall of Dunmere (Dunmara) in the afternoon."
    ),
)
LOCAL = Article(
    id="local",
    text=(
        "About 900 nurses walked out at the Harlow General Hospital on Friday, closing wards at the region's "
        "biggest hospital for a one-day stoppage over staffing.\n"
        "The strikers marched to the town hall of Dunmere in the afternoon."
    ),
)


def _framing(articles: list[Article]):
    docs = {a.id: nlp.load()(a.text) for a in articles}
    return find_framing(articles, docs)


def _variants(framings) -> dict[str, list[str]]:
    return {v.phrase: v.articles for f in framings for v in f.variants}


def test_substituted_words_become_variants_of_one_thing_with_their_articles():
    framings = _framing([WIRE, LOCAL])
    groups = [{v.phrase for v in f.variants} for f in framings]
    assert {"largest", "biggest"} in groups
    assert {"protest", "stoppage"} in groups
    assert _variants(framings)["largest"] == ["wire"]
    assert _variants(framings)["biggest"] == ["local"]


def test_a_parenthesized_other_name_is_a_variant_and_its_plain_use_is_counted_apart():
    variants = _variants(_framing([WIRE, LOCAL]))
    assert variants["Dunmere (Dunmara)"] == ["wire"]
    assert variants["Dunmere"] == ["local"]  # the wire's `Dunmere` sits inside its longer variant


def test_a_former_name_given_in_passing_is_not_counted_as_the_outlets_choice():
    old = Article(id="old", text="Floodwater reached Upper Carrow on Sunday. Rescue boats reached the square by noon.")
    new = Article(
        id="new",
        text="Floodwater reached Carrow, a town that was known as Upper Carrow until 1990, on Sunday.",
    )
    variants = _variants(_framing([old, new]))
    assert variants["Upper Carrow"] == ["old"]
    assert variants["Carrow"] == ["new"]


def test_numbers_spellings_and_different_names_are_not_framing():
    one = Article(id="one", text="Officials in Tarvos said 40 people were hurt in the storm, and the neighbors helped.")
    two = Article(
        id="two", text="Officials in Melrin said 45 people were hurt in the storm, and the neighbours helped."
    )
    assert _framing([one, two]) == []


def test_two_sentences_of_one_article_are_not_compared():
    twice = Article(
        id="twice",
        text="The council approved the largest budget on Monday.\nThe council approved the biggest budget on Monday.",
    )
    assert _framing([twice]) == []
