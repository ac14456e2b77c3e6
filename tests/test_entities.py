"""Mentions trimmed to names, and mentions across a story's articles grouped into entities."""

from __future__ import annotations

import pytest

from storylens import nlp
from storylens.compare.entities import SpeakerEntities, fold, group_entities
from storylens.extract.mentions import extract_mentions
from storylens.model import Entity, Mention, Quote

ARTICLES = {
    "a": (
        "Moldovan President Maia Sandu met Romania's Prime Minister Marcel Ciolacu in Chisinau on Friday. "
        "Sandu said the talks were useful. Protesters gathered in Bucharest."
    ),
    "b": (
        "President Maia Sandou spoke to reporters in Chișinău (Kishinev), the capital. "
        "Ciolacu later flew back to Bucharest."
    ),
}


@pytest.fixture(scope="module")
def mentions():
    docs = dict(zip(ARTICLES, nlp.annotate(ARTICLES.values()), strict=True))
    return {key: extract_mentions(doc) for key, doc in docs.items()}


def entity_with(entities, alias):
    found = [e for e in entities if alias in e.aliases]
    assert len(found) == 1, f"{alias!r} in {[e.aliases for e in entities]}"
    return found[0]


def test_mentions_are_trimmed_to_the_name(mentions):
    texts = [m.text for m in mentions["a"]]
    assert "Maia Sandu" in texts
    assert "Romania" in texts  # not `Romania's`
    for key, found in mentions.items():
        for mention in found:
            assert ARTICLES[key][mention.start : mention.end] == mention.text


def test_fold_removes_case_diacritics_and_periods():
    assert fold("Chișinău") == fold("Chisinau") == "chisinau"
    assert fold("the U.S.") == "us"


def test_spelling_variants_surnames_and_text_aliases_merge(mentions):
    entities = group_entities(mentions, ARTICLES)
    sandu = entity_with(entities, "Maia Sandu")
    assert {"Sandu", "Maia Sandou"} <= set(sandu.aliases)
    assert sandu.name in {"Maia Sandu", "Maia Sandou"}
    assert sandu.type == "PERSON"
    assert sandu.articles == ["a", "b"]
    capital = entity_with(entities, "Chisinau")
    assert {"Chișinău", "Kishinev"} <= set(capital.aliases)


def test_different_people_and_places_stay_apart(mentions):
    entities = group_entities(mentions, ARTICLES)
    assert entity_with(entities, "Bucharest").id != entity_with(entities, "Chisinau").id
    assert entity_with(entities, "Marcel Ciolacu").id != entity_with(entities, "Maia Sandu").id
    assert entity_with(entities, "Moldovan").type == "NORP"  # not a person: it qualifies `President`


def test_grouping_rules_on_hand_made_mentions():
    def m(text, label):
        return Mention(text=text, start=0, end=len(text), label=label)

    mentions = {
        "x": [m("Nagorno-Karabakh", "GPE"), m("Armenia", "GPE"), m("Ilham Aliyev", "PERSON"), m("Aliyeva", "PERSON")],
        "y": [m("Karabakh", "GPE"), m("Azerbaijan", "GPE"), m("Armenian", "NORP"), m("Armenia", "PERSON")],
    }
    entities = group_entities(mentions)
    assert set(entity_with(entities, "Karabakh").aliases) == {"Karabakh", "Nagorno-Karabakh"}
    assert entity_with(entities, "Nagorno-Karabakh").name == "Nagorno-Karabakh"
    armenia = entity_with(entities, "Armenia")
    assert (armenia.type, armenia.mentions, armenia.articles) == ("GPE", 2, ["x", "y"])
    assert armenia.id != entity_with(entities, "Azerbaijan").id
    assert armenia.id != entity_with(entities, "Armenian").id
    assert entity_with(entities, "Aliyeva").id != entity_with(entities, "Ilham Aliyev").id


def test_one_text_naming_two_look_alike_places_keeps_them_apart():
    text = "Water reached Velmor at dawn and Belmor an hour later."
    mentions = {"x": [Mention("Velmor", 14, 20, "GPE"), Mention("Belmor", 33, 39, "GPE")],
                "y": [Mention("Velmor", 0, 6, "GPE")]}  # fmt: skip
    entities = group_entities(mentions, {"x": text, "y": "Velmor is flooded."})
    assert entity_with(entities, "Velmor") is not entity_with(entities, "Belmor")


def test_a_surname_the_tagger_missed_joins_its_full_name():
    texts = {"x": "Mayor Ines Korda said the town was empty.", "y": "Korda said the water was falling."}
    mentions = {"x": [Mention("Ines Korda", 6, 16, "PERSON")], "y": []}  # the tagger found nothing in y
    korda = entity_with(group_entities(mentions, texts), "Ines Korda")
    assert "Korda" in korda.aliases and korda.articles == ["x", "y"]


def test_a_speaker_is_the_entity_whose_mention_ends_the_speaker_phrase_even_when_it_starts_long_before():
    text = "Armenia's Prime Minister Nikol Pashinyan said so. Aliyev replied. Then Mr Pashinyan left."
    pashinyan = Entity(
        "e1", "Nikol Pashinyan", "PERSON", ["Nikol Pashinyan", "Pashinyan"], ["a"], 2,
        [("a", 25, 40), ("a", 73, 82)],
    )  # fmt: skip
    armenia = Entity("e2", "Armenia", "GPE", ["Armenia"], ["a"], 1, [("a", 0, 7)])
    aliyev = Entity("e3", "Ilham Aliyev", "PERSON", ["Ilham Aliyev", "Aliyev"], ["a"], 1, [("a", 50, 56)])
    speaker_entity = SpeakerEntities([armenia, aliyev, pashinyan])

    def said_by(start: int, end: int, speaker: str | None = None) -> str | None:
        quote = Quote("so", 46, 48, "direct", speaker=speaker or text[start:end])
        quote.speaker_start, quote.speaker_end = start, end
        return speaker_entity(quote, "a")

    assert said_by(0, 40) == "e1"  # the head name, not Armenia at the phrase's start
    assert said_by(30, 40) == "e1"  # inside a mention that starts before the speaker's words
    assert said_by(50, 56) == "e3"
    assert said_by(70, 82) == "e1"
    assert speaker_entity(Quote("so", 46, 48, "direct", speaker="Aliyev"), "b") == "e3"  # by name elsewhere
    assert speaker_entity(Quote("so", 46, 48, "direct", speaker="the mayor"), "a") is None
