"""Framing: word choices found where two outlets tell one fact in nearly one sentence."""

from __future__ import annotations

from collections import Counter

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from storylens import nlp
from storylens.compare.framing import (
    MAX_DIFF_TOKENS,
    MAX_PAIRED,
    SENTENCE_SIMILARITY,
    _content_lemmas,
    _sentence_spans,
    _similar_sentence_pairs,
    _substitutions,
    find_framing,
)
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
    pipeline = nlp.load()
    docs = {a.id: pipeline(a.text) for a in articles}
    return find_framing(articles, docs, titles={a.id: pipeline(a.title) for a in articles if a.title})


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


# -- words for acts and groups: the same event named differently, found wherever the articles say it ------

RAID_WIRE = Article(
    id="wire",
    text=(
        "Talks opened in Corvale on Friday after Norland launched a counter-terrorism operation in the hills.\n"
        "The rebels agreed to a truce that halted Norland's 48-hour offensive."
    ),
)
RAID_DAILY = Article(
    id="daily",
    text=(
        "Talks opened in Corvale on Friday, days after Norland's swift assault on the hills.\n"
        "Aid groups said the assault had cut off three villages."
    ),
)
RAID_WEEKLY = Article(
    id="weekly",
    title="Norland ends lightning offensive",
    text="A rescue operation reached the villages on Saturday. Residents described the bombardment as relentless.",
)


def _groups(framings) -> list[set[str]]:
    return [{v.phrase for v in f.variants} for f in framings]


def test_different_names_for_one_attack_are_one_group_with_their_describing_words_and_without_names():
    framings = _framing([RAID_WIRE, RAID_DAILY, RAID_WEEKLY])
    attack = next(g for g in _groups(framings) if "swift assault" in g)
    # `Norland's` is whose attack it is, not how it is named; `48-hour`, `swift`, `lightning` are word choices
    assert attack == {
        "counter-terrorism operation",
        "48-hour offensive",
        "swift assault",
        "assault",
        "lightning offensive",
        "bombardment",
    }


def test_a_rescue_operation_is_not_an_attack():
    framings = _framing([RAID_WIRE, RAID_DAILY, RAID_WEEKLY])
    assert not any("rescue operation" in g for g in _groups(framings))


def test_a_headline_word_is_credited_to_its_article_and_verb_forms_are_one_wording():
    one = Article(id="one", text="Transport Minister Ilse Varro resigned on Monday after a week of pressure.")
    two = Article(
        id="two",
        title="Varro quits over rail contract",
        text="Ilse Varro stepped down as transport minister on Monday.",
    )
    three = Article(id="three", title="Varro resigns", text="The minister's exit leaves the cabinet short of allies.")
    variants = _variants(_framing([one, two, three]))
    assert variants["resigned"] == ["one", "three"]  # `resigns` in three's headline is the same wording
    assert variants["quits"] == ["two"]
    assert variants["stepped down"] == ["two"]
    assert variants["exit"] == ["three"]


def test_a_departure_of_residents_is_not_leaving_office():
    one = Article(
        id="one", text="Mayor Ilse Varro resigned on Monday. A mass departure of residents followed the flood."
    )
    two = Article(id="two", text="Mayor Ilse Varro stepped down on Monday as the town emptied.")
    groups = _groups(_framing([one, two]))
    assert {"resigned", "stepped down"} in groups
    assert not any("departure" in g for g in groups)


def test_an_event_of_another_length_is_another_event():
    one = Article(id="one", text="Dockers began a 24-hour stoppage on Monday and threatened a two-week strike in May.")
    two = Article(id="two", text="The 24-hour walkout closed the harbour on Monday.")
    groups = _groups(_framing([one, two]))
    assert {"24-hour stoppage", "24-hour walkout"} in groups
    assert not any("two-week strike" in g for g in groups)


def test_words_for_crimes_and_illness_are_not_attacks_or_arrests():
    one = Article(id="one", text="The singer died of cardiac arrest. Police charged him with sexual assault last year.")
    two = Article(id="two", text="The singer died of heart failure. He was detained in a separate attack case.")
    groups = _groups(_framing([one, two]))
    assert not any({"cardiac arrest", "detained"} & g for g in groups)
    assert not any("sexual assault" in g for g in groups)


def test_a_name_against_a_description_or_a_general_word_is_not_framing():
    one = Article(id="one", text="The Talvik Q7 went on sale in Oslo on Tuesday, and buyers queued overnight for it.")
    two = Article(id="two", text="The smartphone went on sale in Oslo on Tuesday, and people queued overnight for it.")
    assert _framing([one, two]) == []


def test_a_bracketed_name_the_story_also_uses_on_its_own_is_another_thing():
    one = Article(id="one", text="Coach Ryn Osk (Harlow) was fired on Monday after a losing season.")
    two = Article(id="two", text="Coach Ryn Osk was fired on Monday after a losing season, Harlow said.")
    assert _framing([one, two]) == []


def test_sentence_pairs_are_every_similar_pair_across_articles_in_text_order():
    # compared block by block (an article against the later ones): the same pairs as the full matrix
    pipeline = nlp.load()
    texts = {
        "a": "The council approved the largest budget on Monday. Nurses walked out at the hospital.",
        "b": "The council approved the biggest budget on Monday. The mayor left. Nurses walked out at the clinic.",
        "c": "Nurses walked out at the big hospital. The council approved the budget on Monday.",
    }
    sentences = [(aid, span) for aid, text in texts.items() for span in _sentence_spans(pipeline(text))]
    matrix = TfidfVectorizer(analyzer=lambda bag: bag, sublinear_tf=True).fit_transform(
        [_content_lemmas(span) for _, span in sentences]
    )
    similar = cosine_similarity(matrix)
    expected = [
        (sentences[i][1].text, sentences[j][1].text)
        for i in range(len(sentences))
        for j in range(i + 1, len(sentences))
        if sentences[i][0] != sentences[j][0] and similar[i, j] >= SENTENCE_SIMILARITY
    ]
    found = [(x.text, y.text) for x, y in _similar_sentence_pairs(sentences, SENTENCE_SIMILARITY)]
    assert found == expected and len(found) >= 3


def test_a_page_long_sentence_is_not_diffed():
    pipeline = nlp.load()
    words = " ".join(["harbour", "plans"] * (MAX_DIFF_TOKENS // 2))
    left = pipeline(f"The council approved the largest budget and {words}.")[:]
    right = pipeline(f"The council approved the biggest budget and {words}.")[:]
    assert _substitutions(left[:10], right[:10]) == [("largest", "biggest")]
    assert _substitutions(left, right) == []


def test_a_page_of_look_alike_sentences_pairs_each_with_its_few_closest_not_all_with_all():
    pipeline = nlp.load()
    ports = ["Harlow", "Dunmere", "Corvale", "Lindell", "Portside", "Velmor", "Norland", "Tarrow"]
    texts = {
        aid: " ".join(f"About {n} nurses walked out at the {port} hospital on {day}." for n, port in enumerate(ports))
        for aid, day in (("a", "Friday"), ("b", "Monday"))
    }
    sentences = [(aid, span) for aid, text in texts.items() for span in _sentence_spans(pipeline(text))]
    pairs = list(_similar_sentence_pairs(sentences, 0.1))
    per_sentence = Counter(left.start for left, _ in pairs)
    assert len(per_sentence) == len(ports) and max(per_sentence.values()) == MAX_PAIRED
    # each sentence's closest, the same hospital's, is among them
    partners = {(left.text.split()[7], right.text.split()[7]) for left, right in pairs}
    assert all((port, port) in partners for port in ports)


def test_a_phrase_is_found_where_its_first_word_stands_as_a_search_of_the_whole_text_finds_it():
    # phrases are tried only where their first word starts (a story has hundreds of phrases); that must find
    # what a case-blind whole-word search of every text finds, non-overlapping, in text order
    import random
    import re

    from storylens.compare.framing import _IN_PASSING, _occurrences, _WordStarts

    rng = random.Random(3)
    words = ["the", "The", "THE", "Old", "old", "Velmor", "dam", "dam’s", "dam's", "(Velmor)", "rebuilt", "built"]
    texts = {f"t{k}": " ".join(rng.choice(words) for _ in range(300)) for k in range(3)}
    texts["t3"] = "the the the dam\n\nknown as Old Velmor, the old  velmor dam"
    for phrase in ["the", "the the", "old velmor", "dam's", "dam’s", "(Velmor)", "built", "Old Velmor dam"]:
        escaped = [re.escape(w) for w in phrase.replace("’", "'").split()]
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(escaped).replace("'", "['’]") + r"(?!\w)", re.IGNORECASE)
        searched = [
            (article, m.start(), m.end())
            for article, text in texts.items()
            for m in pattern.finditer(text)
            if not _IN_PASSING.search(text[max(0, m.start() - 40) : m.start()])
        ]
        assert _occurrences(phrase, _WordStarts(texts)) == searched, phrase
    assert _occurrences("the the", _WordStarts({"x": "the the the"})) == [("x", 0, 7)]


def test_a_word_choice_is_found_among_hundreds_of_reprints():
    # past MAX_ARTICLES_MET later articles a sentence keeps only its closest sentences of them all: the one
    # rewording among the copies is still found
    from storylens.compare.framing import MAX_ARTICLES_MET

    reprints = [Article(id=f"copy{k:03d}", text=WIRE.text) for k in range(MAX_ARTICLES_MET + 20)]
    articles = [WIRE, *reprints, LOCAL]
    variants = _variants(_framing(articles))
    assert variants["biggest"] == ["local"]
    assert len(variants["largest"]) == len(articles) - 1
