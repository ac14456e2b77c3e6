"""Quotes and speakers on small hand-written articles, one quoting style per test."""

from __future__ import annotations

import pytest

from storylens import nlp
from storylens.extract.lines import line_end, line_start
from storylens.extract.quotes import extract_quotes, find_quoted_spans, opens_mid_sentence
from storylens.model import Quote


@pytest.fixture(scope="module")
def quotes_in():
    pipeline = nlp.load()

    def run(text: str) -> list[Quote]:
        found = extract_quotes(pipeline(text))
        for q in found:  # every item can be highlighted in its article
            assert text[q.start : q.end] == q.text
            if q.speaker is not None:
                assert " ".join(text[q.speaker_start : q.speaker_end].split()) == q.speaker
        return found

    return run


def direct(quotes: list[Quote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes if q.kind == "direct"]


def test_straight_quotes_with_trailing_pronoun_attribution(quotes_in):
    text = 'Maria Lopez, the mayor, visited the shelter. "We will rebuild every house," she said.'
    [quote] = [q for q in quotes_in(text) if q.kind == "direct"]
    assert (quote.text, quote.speaker, quote.cue) == ("We will rebuild every house,", "Maria Lopez", "say")
    assert text[quote.source_start : quote.source_end] == "she"
    assert text[quote.cue_start : quote.cue_end] == "said"


def test_curly_quotes_lead_in_with_colon_multi_sentence(quotes_in):
    text = "Finance Minister Tomas Berg said: \u201cThe budget is balanced. Nobody will lose a pension.\u201d"
    assert direct(quotes_in(text)) == [
        ("The budget is balanced. Nobody will lose a pension.", "Finance Minister Tomas Berg")
    ]


def test_single_curly_quotes_with_inverted_attribution(quotes_in):
    text = "\u2018The bridge is safe for lorries again,\u2019 said the engineer Ana Costa."
    [(words, speaker)] = direct(quotes_in(text))
    assert words == "The bridge is safe for lorries again,"
    assert "Ana Costa" in speaker


def test_guillemets_and_an_organisation_as_speaker(quotes_in):
    text = "\u00abWe are ready for talks at any level,\u00bb the foreign ministry said in a statement."
    assert direct(quotes_in(text)) == [("We are ready for talks at any level,", "the foreign ministry")]


def test_split_quote_gives_both_halves_the_same_speaker(quotes_in):
    text = '"The river rose in minutes," Governor Paul Jensen said, "and the old dam could not hold."'
    assert direct(quotes_in(text)) == [
        ("The river rose in minutes,", "Governor Paul Jensen"),
        ("and the old dam could not hold.", "Governor Paul Jensen"),
    ]


def test_partial_quote_inside_a_sentence(quotes_in):
    text = 'The dockers\' union expressed "wholehearted support" for the strikers on Monday.'
    found = quotes_in(text)
    assert direct(found) == [("wholehearted support", "The dockers' union")]
    assert [q.cue for q in found if q.kind == "direct"] == ["express"]


def test_partial_quote_in_reported_clause_is_also_given_as_mixed(quotes_in):
    text = 'A statement from the presidency said the talks had been "frank and useful" for both sides.'
    found = quotes_in(text)
    assert direct(found) == [("frank and useful", "the presidency")]
    [mixed] = [q for q in found if q.kind == "mixed"]
    assert mixed.text == 'the talks had been "frank and useful" for both sides'


def test_reported_speech_without_quotation_marks(quotes_in):
    text = "The health ministry said 40 people had been taken to hospital overnight."
    [quote] = quotes_in(text)
    assert (quote.kind, quote.text, quote.speaker, quote.cue) == (
        "indirect",
        "40 people had been taken to hospital overnight",
        "The health ministry",
        "say",
    )


def test_according_to(quotes_in):
    text = "The talks broke up after two hours, according to state television."
    [quote] = quotes_in(text)
    assert (quote.kind, quote.speaker, quote.cue) == ("indirect", "state television", "according to")
    assert quote.text.startswith("The talks broke up after two hours")


def test_floating_quote_paragraph_continues_the_previous_speaker(quotes_in):
    text = (
        "Mayor Lena Ortiz thanked the volunteers on Tuesday.\n\n"
        '"They worked through the night," she said.\n\n'
        '"Without them the school would have flooded too. I will not forget it."'
    )
    found = direct(quotes_in(text))
    assert found == [
        ("They worked through the night,", "Lena Ortiz"),
        ("Without them the school would have flooded too. I will not forget it.", "Lena Ortiz"),
    ]


def test_quote_carried_over_two_paragraphs_takes_the_cue_at_its_end(quotes_in):
    text = (
        "The coach spoke to reporters after the match.\n\n"
        "\u201cWe played badly in the first half and we know it.\n\n"
        "\u201cAfter the break we found our rhythm again,\u201d said Ben Harlow, the coach."
    )
    assert [speaker for _, speaker in direct(quotes_in(text))] == ["Ben Harlow", "Ben Harlow"]


def test_pronouns_follow_gender_and_recency(quotes_in):
    text = (
        "Senator Anna Kovac met Mr. John Miller in the capital on Friday. "
        "He said the bridge would reopen in May. "
        "She said the money for it had not yet been found."
    )
    found = [(q.speaker, q.text) for q in quotes_in(text)]
    assert found == [
        ("John Miller", "the bridge would reopen in May"),
        ("Anna Kovac", "the money for it had not yet been found"),
    ]


def test_passive_agent_is_the_speaker(quotes_in):
    text = 'The plan was described as "reckless" by the opposition leader Dana Wirth.'
    [(words, speaker)] = direct(quotes_in(text))
    assert words == "reckless"
    assert speaker.endswith("Dana Wirth")


def test_scare_quotes_and_titles_are_not_quotes(quotes_in):
    text = 'The so-called "peace dividend" never arrived. She read "War and Peace" twice.'
    assert direct(quotes_in(text)) == []


def test_a_format_character_before_a_mark_is_not_a_word():
    """`\u202a` (left-to-right embedding) and zero-width spaces print nothing: a paragraph that starts with one and
    then a closing mark typed for an opening one still opens a quotation."""
    text = '\u202a\u201dThe dam has to be rebuilt. It is old,\u201d said Jon Krall.\n\n\u200b"We stay," said Ida Renn.'
    spans = [s.text(text) for s in find_quoted_spans(text)]
    assert spans == ["The dam has to be rebuilt. It is old,", "We stay,"]


def test_a_format_character_after_the_verb_hides_nothing(quotes_in):
    text = "The harbour master said,\u200b \u201cThe boats go out again on Monday.\u201d"
    assert direct(quotes_in(text)) == [("The boats go out again on Monday.", "The harbour master")]


def test_a_mark_glued_to_the_colon_after_a_name(quotes_in):
    text = (
        'Rep. Ann Kolar (D-Md.):"I have not seen that figure anywhere in the harbour report."\n\n'
        'Former harbour master Ines Duarte:"We took it from the survey the divers made in May."'
    )
    assert direct(quotes_in(text)) == [
        ("I have not seen that figure anywhere in the harbour report.", "Rep. Ann Kolar"),
        ("We took it from the survey the divers made in May.", "Former harbour master Ines Duarte"),
    ]


def test_a_speaker_line_with_a_title_the_recognizer_takes_for_a_body(quotes_in):
    text = 'Harbour Commission Chair Margaret Okafor: "The wall will hold until the spring tides."'
    assert direct(quotes_in(text)) == [
        ("The wall will hold until the spring tides.", "Harbour Commission Chair Margaret Okafor")
    ]


def test_a_headline_naming_someone_before_other_words_gives_no_speaker(quotes_in):
    for text in (
        "Margaret Okafor Hammers Harbour Commission CEO: \u2018You Should Resign Today.\u2019",
        "Margaret Okafor Praises Harbour Board\u2019s Chair Jon Krall: \u2018A Very Good Harbour Master\u2019",
    ):
        assert direct(quotes_in(text)) == [], text


def test_a_person_named_by_age_in_the_tag(quotes_in):
    text = "Jon Krall sold his boat last week.\n\n\u201cWhere would I fish now?\u201d the 71-year-old asked."
    [quote] = [q for q in quotes_in(text) if q.kind == "direct"]
    assert (quote.text, quote.speaker) == ("Where would I fish now?", "Jon Krall")
    assert text[quote.source_start : quote.source_end] == "the 71-year-old"


def test_quotation_marks_are_paired_per_paragraph():
    text = 'He said \u201cyes.\n\nLater it\u2019s \u2018fine\u2019 and "done" here.'
    spans = [(text[s.start : s.end], s.open_to_paragraph_end) for s in find_quoted_spans(text)]
    assert spans == [("yes.", True), ("fine", False), ("done", False)]


def test_speech_act_with_its_object_and_a_directive(quotes_in):
    text = "The port authority denied the accusation. The minister urged both unions to return to work."
    found = [(q.kind, q.speaker, q.cue, q.text) for q in quotes_in(text)]
    assert found == [
        ("indirect", "The port authority", "deny", "the accusation"),
        ("indirect", "The minister", "urge", "both unions to return to work"),
    ]


def test_cue_is_not_taken_from_across_another_quote(quotes_in):
    text = (
        '"I heard the siren at two," said Karl Baum, a baker. "Then the water came in."\n'
        '"We had minutes," Mayor Ida Renn said.'
    )
    assert direct(quotes_in(text)) == [
        ("I heard the siren at two,", "Karl Baum"),
        ("Then the water came in.", "Karl Baum"),
        ("We had minutes,", "Mayor Ida Renn"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'The inspector was called a fraud by rival builders for selling "miracle" roof tiles.',
        'Governor Rosa Lind told the radio show "Good Morning Valley" that the dam would hold.',
        'Her deputy, Thomas "Tommy" Hale, agreed.',
        'By Anna Kowalski\n"The flood came at night and took the lower town with it."',
        'Among the films he directed, "Jaws" was his favourite, he said.',
        'Berg was told not to say, "We lost the vote."',
    ],
    ids=[
        "scare quote under a speech verb",
        "titled work",
        "nickname",
        "byline above a quote",
        "a title after a relative clause and a comma",
        "words someone was told not to say",
    ],
)
def test_quoted_words_nobody_is_said_to_say(quotes_in, text):
    assert direct(quotes_in(text)) == []


def test_quote_split_over_sentences_by_the_parser_keeps_its_speaker(quotes_in):
    text = (
        "The vote was close.\n\n"
        '"She would be a fine judge. Not good, fine. One of the sharpest minds on the bench," '
        "Rep. Alma Ruiz (D-Ore.) said in an interview."
    )
    [(words, speaker)] = direct(quotes_in(text))
    assert words.startswith("She would be a fine judge.")
    assert speaker.endswith("Alma Ruiz")


def test_quote_followed_by_a_long_attribution_sentence(quotes_in):
    text = (
        '"This is the year we win the county!" '
        'The candidate\'s sister, school board member Jana "JJ" Holt of Millbrook, shouted to the crowd.'
    )
    [(words, speaker)] = direct(quotes_in(text))
    assert words == "This is the year we win the county!"
    assert "sister" in speaker


def test_colon_lead_in_at_the_end_of_the_paragraph_before(quotes_in):
    text = (
        '"The harbour is closed," Captain Ivo Marek said on Monday.\n\n'
        "Harbour director Helen Strand told the council:\n\n"
        '"We expect the first ships back within a week, if the weather holds."'
    )
    assert direct(quotes_in(text)) == [
        ("The harbour is closed,", "Captain Ivo Marek"),
        ("We expect the first ships back within a week, if the weather holds.", "Harbour director Helen Strand"),
    ]


def test_speaker_named_on_a_line_of_its_own(quotes_in):
    text = (
        '"Nobody told us the road would close," said farmer Otto Brandt.\n\n'
        "Greta Lindqvist, county engineer:\n"
        '"The road was closed because the bridge failed its inspection."\n\n'
        '"We will open a detour across the old ferry road by Friday."\n'
        "\u2014 Paul Ferreira, deputy mayor"
    )
    found = quotes_in(text)
    assert [speaker for _, speaker in direct(found)] == ["farmer Otto Brandt", "Greta Lindqvist", "Paul Ferreira"]
    assert [q.cue for q in found if q.kind == "direct"][1] == ":"


@pytest.mark.parametrize(
    ("lead_in", "speaker"),
    [
        ("The city may have to borrow to pay for the repairs, Treasurer Lars Dahl said. ", "Treasurer Lars Dahl"),
        ("In a statement on Monday, the Harbour Authority was blunt:\n\n", "the Harbour Authority"),
    ],
    ids=["after reported speech", "colon lead-in without a verb of saying"],
)
def test_quote_takes_the_speaker_of_the_words_before_it_not_the_previous_quote(quotes_in, lead_in, speaker):
    text = '"We are ready," Mayor Ida Renn said.\n\n' + lead_in + '"Nobody will cross the bridge until it is safe."'
    assert direct(quotes_in(text)) == [
        ("We are ready,", "Mayor Ida Renn"),
        ("Nobody will cross the bridge until it is safe.", speaker),
    ]


def test_as_someone_put_it_attributes_the_quote_without_a_mixed_item(quotes_in):
    text = 'The plan was, as the auditor put it in her report, "a bridge built on sand."'
    found = quotes_in(text)
    assert direct(found) == [("a bridge built on sand.", "the auditor")]
    assert [q.kind for q in found] == ["direct"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'The ministry said it was running a "routine" check of the border posts.',
            [("routine", "The ministry")],
        ),
        (
            'After saying her knee was "too swollen to bend," the runner was taken to hospital.',
            [("too swollen to bend,", "the runner")],
        ),
        (
            'A rival, Jon Bell, likened the budget to "a leaking bucket" - a jab that stung.',
            [("a leaking bucket", "Jon Bell")],
        ),
        (
            'The mayor acknowledged that there were still "some problems" with the pumps.\n\n'
            '"The water came from the north side, and nobody could stop it," a resident, Lea Brun, told us.',
            [
                ("some problems", "The mayor"),
                ("The water came from the north side, and nobody could stop it,", "Lea Brun"),
            ],
        ),
        (
            'Senator Oona Reyes wrote on her page: "THE COUNT IS NOT OVER!"',
            [("THE COUNT IS NOT OVER!", "Senator Oona Reyes")],
        ),
        ('In the words of one council member, the plan is "a bad joke."', [("a bad joke.", "one council member")]),
        ('Lena Ortiz spoke for an hour. The plan is, in her words, "a bad joke."', [("a bad joke.", "Lena Ortiz")]),
        (
            '"We will win in November," is how Senator Karl Berg put it.',
            [("We will win in November,", "Senator Karl Berg")],
        ),
        (
            'The rally ended at noon. "We will win in November." That was the message from Senator Karl Berg '
            "to the crowd of farmers who came from three counties.",
            [("We will win in November.", "Senator Karl Berg")],
        ),
        ('Berg has repeatedly called for a "complete and total" review.', [("complete and total", "Berg")]),
        (
            "Although there is no such overlap with Duarte's team, a Town Hall aide who spoke anonymously to discuss "
            'internal strategy said Wednesday, "Certainly there are discussions between the Town Hall and the Duarte '
            'campaign."',
            [("Certainly there are discussions between the Town Hall and the Duarte campaign.", "a Town Hall aide")],
        ),
        (
            "But much of the hearing was so subdued that Mr. Berg was prompted to say, "
            '"So far, I cannot believe how civil it has been up here."',
            [("So far, I cannot believe how civil it has been up here.", "Mr. Berg")],
        ),
    ],
    ids=[
        "short quote in a reported clause",
        "gerund before a passive clause",
        "liken, a common noun beside a name",
        "a cue in another paragraph does not claim the quote",
        "words in capitals are shouted, not a title",
        "in the words of",
        "in her words",
        "is how X put it",
        "that was the message from X",
        "a short quote on the object of the cue's preposition",
        "a speaker the parse left in apposition to a word before the verb",
        "the one prompted to say it says it",
    ],
)
def test_who_said_the_quoted_words(quotes_in, text, expected):
    assert direct(quotes_in(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected", "cues"),
    [
        (
            'The harbour council issued a statement calling the closure "a breach of the port charter" on Monday.',
            [("a breach of the port charter", "The harbour council")],
            ["call"],
        ),
        (
            '"We rebuilt the school in a year," Mayor Ida Renn said, going on to say that the town had spent '
            '"forty years waiting for a bridge that never came."',
            [
                ("We rebuilt the school in a year,", "Mayor Ida Renn"),
                ("forty years waiting for a bridge that never came.", "Mayor Ida Renn"),
            ],
            ["say", "say"],
        ),
        (
            '"We will fix the roads," Mayor Ida Renn said, adding: "Nobody will pay more tax for it."',
            [("We will fix the roads,", "Mayor Ida Renn"), ("Nobody will pay more tax for it.", "Mayor Ida Renn")],
            ["say", "add"],
        ),
    ],
    ids=["a statement calling", "going on to say", "adding"],
)
def test_the_verb_of_saying_nearest_the_quote_is_its_cue(quotes_in, text, expected, cues):
    found = [q for q in quotes_in(text) if q.kind == "direct"]
    assert direct(found) == expected
    assert [q.cue for q in found] == cues
    # a second verb of saying starts an attribution of its own: the two quotes do not share a cue
    assert len({q.cue_start for q in found}) == len(found)


def test_a_name_the_tagger_took_for_a_verb_still_speaks():
    """`Rosen openly admires ...` with `Rosen` tagged as a verb, as the tagger does with some names."""
    from spacy.tokens import Doc

    pipeline = nlp.load()
    words = ["Rosen", "admires", "the", "governor", "as", "a", '"', "strong", "leader", '"', ".", "Rosen", "left", "."]
    spaces = [True, True, True, True, True, True, False, True, False, False, True, True, False, False]
    heads = [1, 1, 3, 1, 1, 8, 8, 8, 4, 1, 1, 12, 12, 12]
    deps = ["nsubj", "ROOT", "det", "dobj", "prep", "det", "punct", "amod", "pobj", "punct", "punct"]
    deps += ["nsubj", "ROOT", "punct"]
    pos = ["VERB", "VERB", "DET", "NOUN", "ADP", "DET", "PUNCT", "ADJ", "NOUN", "PUNCT", "PUNCT", "PROPN"]
    pos += ["VERB", "PUNCT"]
    lemmas = ["Rosen", "admire", "the", "governor", "as", "a", '"', "strong", "leader", '"', ".", "Rosen"]
    lemmas += ["leave", "."]
    ents = ["B-PERSON"] + ["O"] * 10 + ["B-PERSON", "O", "O"]
    doc = Doc(pipeline.vocab, words, spaces, pos=pos, heads=heads, deps=deps, lemmas=lemmas, ents=ents)
    doc[1].tag_, doc[12].tag_ = "VBZ", "VBD"
    assert [(q.text, q.speaker) for q in extract_quotes(doc) if q.kind == "direct"] == [("strong leader", "Rosen")]


def test_a_gerund_subject_before_the_attribution_is_part_of_what_was_said(quotes_in):
    found = quotes_in('Raising taxes, the mayor said, "would be a mistake."')
    assert [q.text for q in found if q.kind == "mixed"] == ['Raising taxes, the mayor said, "would be a mistake."']


def test_a_verb_with_its_own_object_frames_nothing(quotes_in):
    found = quotes_in('Speaking at a rally on Wednesday, Berg called Duarte, his rival, an ISIS "co-founder."')
    assert direct(found) == [("co-founder.", "Berg")]
    assert not any(q.text.startswith("Speaking") for q in found)


def test_an_attribution_set_off_by_commas_reports_its_whole_sentence(quotes_in):
    text = 'The dock workers, the harbour chief said at the hearing, were "well paid," earning more than teachers.'
    found = quotes_in(text)
    assert direct(found) == [("well paid,", "the harbour chief")]
    [mixed] = [q for q in found if q.kind == "mixed"]
    assert mixed.text.startswith("The dock workers, the harbour chief said")
    assert mixed.text.endswith("earning more than teachers")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ('Asked whether she would sell the mill, Ines Duarte said, "Probably."', "Probably."),
        ('Asked on Monday whether the ferry would run, the harbour chief shook her head and said, "No."', "No."),
        (
            'She said the ferry had not run, and when asked whether it would run on Monday, she said, "I hope not."',
            "I hope not.",
        ),
    ],
)
def test_a_short_answer_after_a_verb_and_a_comma_is_said_and_the_lead_in_is_not(quotes_in, text, answer):
    found = quotes_in(text)
    assert [said for said, _ in direct(found)] == [answer]
    assert not any(q.kind == "mixed" and q.text.startswith("Asked") for q in found)


def test_a_relative_clause_of_saying_does_not_report_the_sentence_around_it(quotes_in):
    text = (
        "Her speech was the centerpiece of a ceremony featuring guests like Ana Ruiz and Ivo Brandt, "
        "who joked of the museum, ''I haven't seen it yet, but I'm going to.''"
    )
    found = quotes_in(text)
    assert [q.text for q in found if q.kind == "direct"] == ["I haven't seen it yet, but I'm going to."]
    assert not any(q.text.startswith("Her speech") for q in found)


def test_two_partial_quotes_in_one_clause_give_that_clause_once(quotes_in):
    text = 'The mayor acknowledged that there are still "some people" who feel that way, "but not many."'
    found = quotes_in(text)
    assert [q.text for q in found if q.kind == "mixed"] == [
        'there are still "some people" who feel that way, "but not many."'
    ]
    assert direct(found) == [("some people", "The mayor"), ("but not many.", "The mayor")]


@pytest.mark.parametrize(
    "aside", ["a charge the council denies", "part of a long feud with the council", "the third such remark"]
)
def test_a_noun_phrase_after_a_partial_quote_is_the_writers_aside(quotes_in, aside):
    found = quotes_in(f'Ines Duarte says the harbour plan is "a bad joke," {aside}.')
    assert [q.text for q in found if q.kind == "mixed"] == ['the harbour plan is "a bad joke,"']


@pytest.mark.parametrize(
    "lead_in",
    ["Mayor Ida Renn kept her remarks short.", 'Mayor Ida Renn called the storm "brutal" and kept her remarks short.'],
    ids=["plain", "with a partial quote"],
)
def test_a_quote_after_a_sentence_telling_of_someones_words_is_theirs(quotes_in, lead_in):
    text = (
        '"The pier is gone," said harbour master Olaf Lund.\n\n'
        + lead_in
        + '\n\n"We will rebuild the pier before the summer, whatever it costs."'
    )
    last = [q for q in quotes_in(text) if q.kind == "direct"][-1]
    assert (last.speaker, last.cue) == ("Mayor Ida Renn", "keep")


def test_a_report_speaks_through_the_verb_that_gives_its_content(quotes_in):
    text = 'A report by the harbour board found that the pier had been "neglected for a decade and left to rot."'
    assert direct(quotes_in(text)) == [("neglected for a decade and left to rot.", "the harbour board")]


def test_a_coordination_the_parse_cut_short_stays_in_the_mixed_item():
    """The medium English model parses `said "small savings" and a fee would pay` as an object and
    a separate clause; what was said runs on to the clause."""
    pipeline = nlp.load()
    text = 'Though she said "small savings" and a new fee would pay for the pier, the mayor gave no figure.'
    doc = pipeline(text)
    said, savings, fee, pay = (next(t for t in doc if t.text == w) for w in ("said", "savings", "fee", "pay"))
    savings.head, savings.dep_ = said, "dobj"
    fee.head, fee.dep_ = pay, "nsubj"
    [mixed] = [q for q in extract_quotes(doc) if q.kind == "mixed"]
    assert mixed.text == 'small savings" and a new fee would pay for the pier'


def test_a_day_the_recognizer_ran_into_a_name_is_not_part_of_it():
    from spacy.tokens import Span

    pipeline = nlp.load()
    text = 'Gen. Olaf Brandt Wednesday visited the troops. Wednesday, he said the army had "no plans to leave."'
    doc = pipeline(text)
    doc.ents = [Span(doc, 1, 4, label="PERSON")]  # `Olaf Brandt Wednesday`, as the medium model finds it
    [quote] = [q for q in extract_quotes(doc) if q.kind == "direct"]
    assert quote.speaker == "Olaf Brandt"


@pytest.mark.parametrize(
    "text",
    [
        'Officials at the port said in a statement that the closure was "temporary and necessary."',
        'The harbour master told reporters that the closure was "temporary and necessary."',
    ],
    ids=["where", "to whom"],
)
def test_a_mixed_item_is_the_reported_clause_not_where_or_to_whom_it_was_said(quotes_in, text):
    [mixed] = [q for q in quotes_in(text) if q.kind == "mixed"]
    assert mixed.text == 'the closure was "temporary and necessary."'


@pytest.mark.parametrize(
    "text",
    ['According to the mayor, the town is "on its knees."', 'The town is "on its knees," according to the mayor.'],
    ids=["before", "after"],
)
def test_according_to_makes_short_quoted_words_in_its_clause_speech(quotes_in, text):
    found = quotes_in(text)
    assert [(words.rstrip(",."), speaker) for words, speaker in direct(found)] == [("on its knees", "the mayor")]
    assert [q.kind for q in found if q.kind != "direct"] == ["mixed"]


def test_a_quotation_introduced_by_a_colon_is_not_also_a_mixed_item(quotes_in):
    text = (
        'The minister told parliament: "We have no choice." Opposition leader Karl Berg replied: "There is always one."'
    )
    found = quotes_in(text)
    assert [q.kind for q in found] == ["direct", "direct"]
    assert [speaker for _, speaker in direct(found)] == ["The minister", "Opposition leader Karl Berg"]


def test_a_reported_clause_ending_in_a_quote_ends_with_its_closing_mark(quotes_in):
    text = 'The new budget plan for the coming year was "dead on arrival," the mayor said on Monday.'
    [mixed] = [q for q in quotes_in(text) if q.kind == "mixed"]
    assert mixed.text == 'The new budget plan for the coming year was "dead on arrival,"'


def test_a_name_after_a_dash_on_the_quotations_line_is_its_speaker(quotes_in):
    text = 'The vote is on Friday.\n\n"We have the votes." \u2014 Senator Karl Berg, on Tuesday'
    [quote] = [q for q in quotes_in(text) if q.kind == "direct"]
    assert (quote.text, quote.speaker, quote.cue) == ("We have the votes.", "Karl Berg", "\u2014")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Mayor Ida Renn spoke last. Her message to voters was simple: "Show up on Tuesday."',
            [("Show up on Tuesday.", "Ida Renn")],
        ),
        ('The senator put it bluntly: "This bill is dead."', [("This bill is dead.", "The senator")]),
    ],
    ids=["a short sentence in capitals, a message's owner", "a person named by office"],
)
def test_colon_introduced_quotes_take_the_lead_ins_speaker(quotes_in, text, expected):
    found = quotes_in(text)
    assert direct(found) == expected
    assert [q.cue for q in found] == [":"]


def test_a_curly_quote_closed_by_a_straight_mark_ends_there(quotes_in):
    """Copy pasted from two styles: the quotation ends at the straight mark, not at the end of the paragraph."""
    text = '\u201cThe deal should not be signed," Chairman Ola Brek said in a statement, adding that it was rushed.'
    assert direct(quotes_in(text)) == [("The deal should not be signed,", "Chairman Ola Brek")]


def test_a_closing_mark_typed_at_the_start_of_a_quotation_opens_it(quotes_in):
    text = "Readers wrote in.\n\n\u201dHe represents our greatest shame.\u201d \u2015 Mara Lind"
    assert direct(quotes_in(text)) == [("He represents our greatest shame.", "Mara Lind")]
    text = "Obama spoke next.\n\n\u201d \u2026 what I learned from these families is that words matter,\u201d he said."
    assert direct(quotes_in(text)) == [("\u2026 what I learned from these families is that words matter,", "Obama")]


def test_a_name_after_a_dash_is_the_speaker_even_when_the_recognizer_misses_it(quotes_in):
    text = (
        "Readers wrote in.\n\n\u201cI am so ashamed of this race.\u201d\u2015 Jacklyn Ashbee\n"
        "\u201cHe must stop insulting us.\u201d\u2015 Carla Sanz."
    )
    assert direct(quotes_in(text)) == [
        ("I am so ashamed of this race.", "Jacklyn Ashbee"),
        ("He must stop insulting us.", "Carla Sanz"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('When she asked, I laughed and said, "I do not believe in ghosts."', ("I do not believe in ghosts.", "I")),
        (
            'Protesters marching through the streets chanted "What curfew?" until 2 a.m.',
            ("What curfew?", "Protesters"),
        ),
        (
            "Experts say the plan is regressive. Said Ellis: \u201cI don\u2019t get the sense she cares.\u201d",
            ("I don\u2019t get the sense she cares.", "Ellis"),
        ),
        (
            "Experts say the plan is regressive.\n\nSaid Ellis: \u201cI don\u2019t get the sense she cares.\u201d",
            ("I don\u2019t get the sense she cares.", "Ellis"),
        ),
    ],
    ids=["the writer speaks", "a chant", "the verb put first", "the verb opening a paragraph"],
)
def test_speech_the_writer_reports_or_a_crowd_chants(quotes_in, text, expected):
    assert direct(quotes_in(text)) == [expected]


def test_according_to_reports_its_clause_when_the_parse_hangs_it_on_the_name(quotes_in):
    text = (
        "The campaign asked for a fact check. "
        "According to radio host Dale Moran, the move reeks of \u201cfear\u201d and panic."
    )
    mixed = [q.text for q in quotes_in(text) if q.kind == "mixed"]
    assert mixed == ["the move reeks of \u201cfear\u201d and panic"]


@pytest.mark.parametrize(
    ("text", "expected", "speaker"),
    [
        (
            "Reporters checked Senator Ola Brek\u2019s claim that there have been \u201cthousands of shootings\u201d "
            "in the city this year.",
            "there have been \u201cthousands of shootings\u201d in the city this year",
            "Senator Ola Brek",
        ),
        (
            "The mayor\u2019s warning that the dam was \u201cclose to failing\u201d went unheeded.",
            "the dam was \u201cclose to failing\u201d",
            "The mayor",
        ),
    ],
    ids=["claim", "warning"],
)
def test_the_owner_of_a_claim_says_the_clause_it_carries(quotes_in, text, expected, speaker):
    found = quotes_in(text)
    assert [q.text for q in found if q.kind == "mixed"] == [expected]
    assert {q.speaker for q in found} == {speaker}


def test_a_told_clause_parsed_under_the_wrong_word_begins_at_its_that(quotes_in):
    text = 'He also told one of his young assistants on a regular basis that "terror is the answer."'
    found = quotes_in(text)
    assert direct(found) == [("terror is the answer.", "He")]
    assert [q for q in found if q.kind == "mixed"] == []


def test_whoever_casts_someone_as_the_quoted_words_uses_them(quotes_in):
    text = "Senate leader Ada Pask has been pounding the governor as a \u201ccon artist\u201d for weeks."
    assert direct(quotes_in(text)) == [("con artist", "Senate leader Ada Pask")]
    for unowned in ('He worked as a "consultant" for the firm.', 'She served as "acting director" until May.'):
        assert direct(quotes_in(unowned)) == []


def test_quotation_marks_in_a_huge_paragraph_are_paired_in_one_pass():
    """Hostile text: a paragraph of 300,000 marks in each troublesome shape (a straight close inside a curly
    quote whose proper close comes at the end, closing marks in the place of opening ones, tiny quotes). A
    pairing that looked ahead or back through the paragraph for each mark would run for hours."""
    n = 300_000
    curly_with_straight = "\u201c" + 'ab" ' * n + "\u201d"
    assert len(find_quoted_spans(curly_with_straight)) == 1
    closing_as_opening = " \u201dx \u201d" * n
    assert len(find_quoted_spans(closing_as_opening)) == n
    tiny = " \u201cx\u201d " * n
    assert len(find_quoted_spans(tiny)) == n


def test_a_verb_inside_the_speakers_phrase_stays_in_it(quotes_in):
    found = quotes_in('The newly elected mayor said "We will rebuild the bridge."')
    assert direct(found) == [("We will rebuild the bridge.", "The newly elected mayor")]


@pytest.mark.parametrize("tag", ["she asked", "Ellis asked", "asked Ellis"])
def test_a_speaker_tag_right_after_the_marks_holds_when_the_parse_hangs_it_elsewhere(quotes_in, tag):
    """The parser cuts the short question off as a sentence and hangs the tag on the later `said`: the
    order of the words (marks, speaker, verb) still attributes it, and the tag is nobody's reported words."""
    text = (
        f"Dana Ellis waved at the stage.\n\n\u201cStill awake?\u201d {tag}, but the drummer was drifting off "
        "again, and as the singer went on about \u201chow the night was young,\u201d Ellis said yes, yes, yes."
    )
    found = quotes_in(text)
    assert ("Still awake?", "Dana Ellis") in direct(found)
    assert not any("drummer" in q.text for q in found)


def test_a_paragraph_opening_with_other_marks_does_not_carry_an_excerpt_on(quotes_in):
    """An excerpt set off in straight marks left open paragraph after paragraph, then a curly quotation with
    its own speaker: the excerpt stays the magazine's; only marks of the same style carry a quotation on."""
    text = (
        "The magazine described the night at length:\n\n"
        '"The first time she heard the band, in June, Dana Ellis was new to the city.\n\n'
        '"Dana Ellis thought the whole evening was a waste. She was tired, sure. Bored, certainly. But not angry.\n\n'
        "\u201cIt never crossed my mind to leave early,\u201d she said a week later, and the reason was the band."
    )
    by_words = {q.text: q.cue for q in quotes_in(text) if q.kind == "direct"}
    assert (
        by_words[
            "Dana Ellis thought the whole evening was a waste. She was tired, sure. Bored, certainly. But not angry."
        ]
        == "describe"
    )
    assert by_words["It never crossed my mind to leave early,"] == "say"


def test_a_speaker_name_never_runs_across_a_paragraph_break(quotes_in):
    """A live blog's timestamp paragraphs: the parser runs the sentence on from the heading above, yet the
    speaker is the name in the quote's own paragraph."""
    text = (
        "The Latest: Ellis urges supporters to watch polling places.\n\n"
        "HARBOURTON (AP) \u2014 The Latest on the city council race (all times EDT):\n\n11:15 a.m.\n\n"
        "Dana Ellis is once again questioning the integrity of the city voting system, encouraging her "
        "supporters to visit polling places on Election Day to make sure everything is \u201con the up and up.\u201d"
    )
    assert direct(quotes_in(text)) == [("on the up and up.", "Dana Ellis")]


def test_where_a_quotation_stands_in_a_huge_paragraph_is_read_without_copying_it():
    """Hostile text: 200,000 quotations in one paragraph of 3 MB. Reading what precedes each by copying the
    text before it (as `text[:start].rstrip()` did) would move terabytes; line bounds and the character
    before a mark are found by bisection and by reading back over white space only."""
    n = 200_000
    text = "Intro line\n" + '. "Why?" she said, "How"' * n + "\nlast line"
    spans = find_quoted_spans(text)
    assert len(spans) == 2 * n
    assert sum(opens_mid_sentence(text, s) for s in spans) == n  # `said, "How"`, not `. "Why?"`
    assert {line_start(text, s.open_start) for s in spans} == {len("Intro line\n")}
    assert {line_end(text, s.close_end) for s in spans} == {len(text) - len("\nlast line")}


def test_a_lead_in_parsed_under_the_tag_after_the_quote_is_not_reported_speech(quotes_in):
    """`X scolded him: "...," she said`, the lead-in hung under `said`: it frames the quotation, it is
    not something she is reported to have said."""
    text = (
        "Independent Sen. Ada Pask (I-Vt.) scolded him: \u201cThe engineering community is almost united against "
        "you on the safety of the three bridges you called \u2018flawless,\u2019\u201d she said."
    )
    found = quotes_in(text)
    assert [q.kind for q in found] == ["direct"]
    assert found[0].speaker == "Ada Pask"


def test_a_report_of_someone_telling_a_quotation_stays_the_reporters(quotes_in):
    """Only a tag after its quotation frames it; a verb that introduces a quotation inside a reported clause
    leaves that clause the outer speaker's report."""
    found = quotes_in('Smith said the minister told him "there will be no deal this year."')
    assert ("there will be no deal this year.", "the minister") in direct(found)
    assert [(q.text, q.speaker) for q in found if q.kind == "mixed"] == [
        ('the minister told him "there will be no deal this year."', "Smith")
    ]


def test_a_line_wrapped_inside_a_sentence_keeps_its_subject(quotes_in):
    """Plain text wrapped at a fixed width breaks lines inside a sentence: only a blank line parts paragraphs."""
    found = quotes_in("The mayor of the\ncity said on Friday that the bridge would reopen next month.")
    assert [(q.kind, q.speaker) for q in found] == [("indirect", "The mayor of the city")]


def test_a_run_on_page_of_tags_gives_no_clause_that_runs_to_its_end(quotes_in):
    """Hostile text: one sentence of 300 `"...," she said and` the parser chains into each other. Every tag's
    clause would hold the rest of the page (quadratic in time and in output); a verb spanning more than a
    sentence's worth of words reports nothing, and each quotation is still hers."""
    text = "Dana Ellis spoke. " + "And \u201cnothing ever happens here,\u201d she said " * 300
    found = quotes_in(text)
    assert sum(q.kind == "direct" for q in found) == 300
    assert all(len(q.text) < 2_000 for q in found)


def test_a_name_wrapped_over_two_lines_is_one_name_and_a_time_is_not_part_of_it(quotes_in):
    text = (
        "The port will reopen on Friday, said harbour master Dana\nEllis on Monday.\n\n"
        '"We are ready for the ships," Ellis said.'
    )
    reported, direct = quotes_in(text)
    assert reported.speaker == "harbour master Dana Ellis" and reported.kind == "indirect"
    assert direct.speaker == "Dana Ellis" and direct.kind == "direct"


def test_which_in_a_clause_the_parser_hung_on_the_main_verb_is_the_noun_before_it(quotes_in):
    text = (
        "To settle the question, they turned to the Harbour Police Department which reported "
        "\u201c2,521 shooting incidents\u201d in the city between January 1 and September 18."
    )
    direct = next(q for q in quotes_in(text) if q.kind == "direct")
    assert direct.speaker == "the Harbour Police Department"


def test_two_apostrophes_typed_for_a_double_quote_mark_a_quotation(quotes_in):
    text = (
        "The minister argued there was little point in answering now. ''We must not overreact to campaign "
        "rhetoric,'' he told reporters.\n\nIt's a 'fine' line, and he didn''t cross it."
    )
    found = quotes_in(text)
    direct = [q for q in found if q.kind == "direct"]
    assert [q.text for q in direct] == ["We must not overreact to campaign rhetoric,"]
    assert text[direct[0].start - 2 : direct[0].start] == "''"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("''We don''t overreact,'' he said.", ["We don''t overreact,"]),  # a pair inside a word does not close
        ("The key is '' and then \u201cHello,\u201d she said.", ["Hello,"]),  # a stray pair opens nothing
        ("(''Yes,'' he said.)", ["Yes,"]),
    ],
)
def test_two_apostrophes_close_outside_words_and_a_stray_pair_opens_nothing(text, quoted):
    assert [span.text(text) for span in find_quoted_spans(text)] == quoted


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # a term quoted inside a quotation with the same marks stays inside it
        (
            "\u201cI\u2019d rather live in what he calls \u201chell\u201d than here.\u201d \u2015 Ana Ruiz",
            ["I\u2019d rather live in what he calls \u201chell\u201d than here."],
        ),
        # an unclosed mark and then a quotation of its own: the quotation
        ("He wrote \u201cwe will see. \u201cNot now,\u201d she said.", ["Not now,"]),
        # an unclosed mark (or one closed by a straight mark), then short quotations of their own
        (
            '\u201cWe are ready," Smith said. Jones called it \u201ca bluff\u201d and Brown said \u201cno\u201d.',
            ["a bluff", "no"],
        ),
        # an unclosed mark, then two quotations: the first is no term inside the unclosed one
        (
            "\u201cWe lost. \u201cWe will come back next year,\u201d she said. \u201cSoon.\u201d",
            ["We will come back next year,", "Soon."],
        ),
    ],
)
def test_a_term_quoted_inside_a_quotation_with_the_same_marks_stays_inside(text, quoted):
    assert [span.text(text) for span in find_quoted_spans(text)] == quoted


def test_a_straight_mark_closes_a_curly_quote_when_the_next_curly_close_is_another_quotes(quotes_in):
    text = '\u201cThe harbour will reopen in a week," Mayor Ines Duarte said. "Boats can come back then.\u201d'
    assert direct(quotes_in(text)) == [
        ("The harbour will reopen in a week,", "Mayor Ines Duarte"),
        ("Boats can come back then.", "Mayor Ines Duarte"),
    ]


def test_a_tag_of_any_verb_after_a_sentence_quoted(quotes_in):
    text = "\u201cYou told the council the pier was safe in March,\u201d Commissioner Ola Berg began."
    assert direct(quotes_in(text)) == [("You told the council the pier was safe in March,", "Commissioner Ola Berg")]


def test_a_lead_in_of_any_verb_before_a_sentence_quoted(quotes_in):
    text = "Senator Ruth Amadi snapped, \u201cNobody on this committee has read the contract yet.\u201d"
    assert direct(quotes_in(text)) == [("Nobody on this committee has read the contract yet.", "Senator Ruth Amadi")]


def test_a_short_term_after_a_verb_that_is_not_of_saying_stays_a_term(quotes_in):
    text = "Governor Ruth Amadi toured the \u201cnew\u201d harbour on Friday."
    assert direct(quotes_in(text)) == []


def test_a_clause_quoted_under_a_verb_whose_subject_is_a_person(quotes_in):
    text = (
        "Mayor Ines Duarte visited the port on Monday. "
        "She ordered the harbour board to \u201cstop the dredging until the divers have checked the wall.\u201d"
    )
    assert direct(quotes_in(text)) == [("stop the dredging until the divers have checked the wall.", "Ines Duarte")]


def test_a_clause_under_a_person_verb_after_a_colon_is_not_theirs(quotes_in):
    text = 'Duarte: Ola Berg needs to "stop all of this dredging talk" with the board.'
    assert all(q.speaker != "Ola Berg" for q in quotes_in(text) if q.kind == "direct")


def test_a_name_then_a_colon_introduces_the_words(quotes_in):
    text = (
        "PORT REOPENS EARLY - Ines Duarte and Ola Berg: \u201cThe divers found the wall sound, "
        "so the boats can come back on Monday.\u201d"
    )
    [(words, speaker)] = direct(quotes_in(text))
    assert words.startswith("The divers found the wall sound")
    assert speaker in ("Ola Berg", "Ines Duarte and Ola Berg")


def test_names_after_a_headline_the_parser_reads_as_a_clause_introduce_the_words(quotes_in):
    for headline in ("HARBOUR WORKERS WANT MORE THAN PROMISES", "DOCKERS CARE MORE ABOUT WAGES THAN THE NEW PIER"):
        words = "We found that, across the port, the wish most often named was a fair wage."
        text = f"{headline} - Dana Ellis and Ola Berg: \u201c{words}\u201d"
        [(found, speaker)] = direct(quotes_in(text))
        assert found == words and speaker in ("Ola Berg", "Dana Ellis and Ola Berg"), text


def test_a_dash_line_after_a_quotation_names_its_speaker_known_to_the_recognizer_or_not(quotes_in):
    text = (
        "Other papers have asked for copies as well.\n\n"
        '"The harbour board taxes each boat owner twice, and the dockers pay for all of it."\n\n'
        "- Berg.\n\n"
        "Berg tends to overstate the taxes.\n\n"
        '"Great speech. She is tested. She is ready. She never quits."\n\n'
        "- Harbour Master Ines Duarte, writing after the vote.\n\nquotable."
    )
    speakers = [speaker for _, speaker in direct(quotes_in(text))]
    assert speakers[0] == "Berg" and speakers[1].endswith("Ines Duarte") and len(speakers) == 2


def test_an_excerpt_lead_in_names_its_source(quotes_in):
    for lead_in, speaker in (
        ("What that means for the harbour vote - More from Berg:", "Berg"),
        ("Not all harbour panels are created equal. From the report:", "the report"),
    ):
        text = (
            f"{lead_in} \u201cIn general, harbours with longer field periods counted their boats more carefully.\u201d"
        )
        assert [s for _, s in direct(quotes_in(text))] == [speaker], text


def test_a_sentence_of_someone_agreeing_gives_the_quotation_after_it_to_them(quotes_in):
    words = "Harbour voters are running out of time to find an alternative to Berg."
    for before, speaker in (
        ("The mayor spoke first. Tarrow University's Dana Ellis agreed.", "Tarrow University's Dana Ellis"),
        ("The mayor spoke first. Ines Duarte disagreed sharply.", "Ines Duarte"),
        ("The mayor spoke first. She agreed to a deal.", None),
    ):
        found = direct(quotes_in(f'{before} "{words}"'))
        assert found == ([(words, speaker)] if speaker else []), before


def test_the_one_who_was_quick_to_add_says_what_follows(quotes_in):
    text = "Berg was quick to add that the deal does not drop the pier. \u201cBuilding it? Not negotiable.\u201d"
    assert direct(quotes_in(text)) == [("Building it? Not negotiable.", "Berg")]


def test_it_is_fair_to_say_names_nobody(quotes_in):
    assert all(q.speaker != "It" for q in quotes_in('It is fair to say that the pier is "finished for good."'))
    text = (
        "At the harbour office, the mayor also said that it was too early to tell whether the pier was hit by a "
        'ship, and there was "no evidence" yet that it was sabotage.'
    )
    [quote] = [q for q in quotes_in(text) if q.kind == "direct"]
    assert (quote.speaker, text[quote.cue_start : quote.cue_end]) == ("the mayor", "said")


def test_a_second_verb_of_saying_says_the_quotation_in_its_clause(quotes_in):
    """The parser hangs the closing stop on the first verb; the quoted words are in the clause of a second one,
    conjoined to it or said of its speaker."""
    for text, verb in (
        (
            "He said Berg is playing the \u201charbour card\u201d and said that Duarte is \u201cweak as a gull.\u201d",
            "said",
        ),
        (
            "Mr. Berg said he did not own the five boats to burnish his brand, but agreed that the fleet had "
            "''promotional value.''",
            "agreed",
        ),
        (
            "\u201cAnn Roe is a dictator,\u201d said Berg, who said there were \u201ctoo many things to dismiss.\u201d",
            "said",
        ),
    ):
        last = [q for q in quotes_in(text) if q.kind == "direct"][-1]
        assert last.cue_start == text.rindex(verb), (text, last)


def test_a_quoted_sentence_tagged_by_a_person_and_a_verb_of_any_kind(quotes_in):
    text = (
        "Ola Berg spoke first at the harbour board.\n\n"
        "\u201cThe divers will not go down again until the wall is shored up,\u201d Berg shot back.\n\n"
        "\u201cThen the boats will wait another month in the bay,\u201d mused harbour master Ines Duarte."
    )
    assert direct(quotes_in(text)) == [
        ("The divers will not go down again until the wall is shored up,", "Ola Berg"),
        ("Then the boats will wait another month in the bay,", "harbour master Ines Duarte"),
    ]


def test_a_relative_clause_after_a_partial_quote_is_the_writers(quotes_in):
    text = (
        "Mayor Ines Duarte said the plan was \u201ca gift to the developers,\u201d which the council denied on Monday."
    )
    [mixed] = [q for q in quotes_in(text) if q.kind == "mixed"]
    assert mixed.text.startswith("the plan was")
    assert "denied" not in mixed.text


def test_an_opening_mark_typed_to_close_a_quotation(quotes_in):
    text = "\u201cNot this year,\u201c the harbour master said. \u201cThe wall needs another month.\u201d"
    assert [words for words, _ in direct(quotes_in(text))] == ["Not this year,", "The wall needs another month."]


def test_a_name_after_other_words_before_a_colon_is_not_the_speaker(quotes_in):
    for text in (
        "Senator Ruth Amadi on Ola Berg: \u201cHe has been a good harbour master for the fishing families.\u201d",
        "A message for Mayor Ines Duarte: \u201cStop the dredging now, before the wall gives way.\u201d",
    ):
        assert all(q.speaker not in ("Ola Berg", "Mayor Ines Duarte") for q in quotes_in(text))


def test_no_one_speaks_in_a_tag_without_a_person_or_a_verb(quotes_in):
    for text in (
        "\u201cWho was the first harbour master to sail to Tarn alone?\u201d Berg was.",
        "\u201cWhere did all the harbour money go last year?\u201d Questions remain.",
        "Two things happened: \u201cThe council raised the fees and the boats left the harbour.\u201d",
    ):
        assert direct(quotes_in(text)) == [], text


def test_straight_quoted_words_inside_a_curly_quotation_stay_inside(quotes_in):
    text = '\u201cThe words "never" and "always" do not belong in any harbour treaty,\u201d the minister said.'
    assert [words for words, _ in direct(quotes_in(text))] == [
        'The words "never" and "always" do not belong in any harbour treaty,'
    ]


def test_a_speaker_named_between_commas_before_a_verb_without_a_subject(quotes_in):
    text = (
        "In a statement to the Gazette, her senior policy adviser, Jake Sullivan, said: "
        "\u201cThe harbour board believes that the new wall is essential for the fishing fleet.\u201d"
    )
    assert direct(quotes_in(text)) == [
        ("The harbour board believes that the new wall is essential for the fishing fleet.", "Jake Sullivan")
    ]


def test_a_lead_in_that_addresses_someone_or_holds_a_bracket_inside_names_no_speaker(quotes_in):
    for text in (
        'Dear former harbour master Ines Duarte: "We will rebuild the harbour wall this spring."',
        'Ann Roe (left) and Jon Krall: "We will rebuild the harbour wall this spring."',
    ):
        assert [s for _, s in direct(quotes_in(text)) if s] == [], text


def test_a_speaker_never_runs_into_the_quotation(quotes_in):
    text = (
        "The harbour board of Tarn voted on Monday to close the old north pier. "
        'Outlet 53 reports it said, "We stay," said Ida Renn.'
    )
    for quote in quotes_in(text):
        assert quote.speaker_end <= quote.start - 1 or quote.speaker_start >= quote.end, quote.speaker


def test_a_lead_in_that_says_so_needs_only_a_noun_for_its_speaker(quotes_in):
    for text, speaker in (
        ('Hallam interjected: "So you are saying the pier will reopen in the spring?"', "Hallam"),
        (
            "The Gazette harbour columnist Ola Berg went so far as to say: "
            "\u201cThe old pier as we know it is finished.\u201d",
            "Ola Berg",
        ),
    ):
        assert [s for _, s in direct(quotes_in(text))] == [speaker], text


def test_a_verb_of_naming_gives_its_subject_the_quoted_name(quotes_in):
    text = "Ann Roe, a council ally, called the harbour plan \u201creckless.\u201d"
    found = quotes_in(text)
    assert direct(found) == [("reckless.", "Ann Roe")]
    assert [(q.text, q.speaker) for q in found if q.kind == "mixed"] == [
        ("the harbour plan \u201creckless.\u201d", "Ann Roe")
    ]
    # a name in title case is still the namer's words
    assert direct(quotes_in('Within minutes, Ann Roe called Berg "Little Ola" twice.')) == [("Little Ola", "Ann Roe")]
    for text in (
        'A short film called "Harbour Lights" opened the festival in Tarn.',
        'Ann Roe was called a "traitor" by the harbour board, which met on Monday.',
    ):
        assert [s for _, s in direct(quotes_in(text)) if s == "Ann Roe"] == [], text


def test_a_term_in_curly_marks_inside_a_straight_quotation_carried_on(quotes_in):
    text = (
        "Ines Duarte wrote to the council on Monday.\n\n"
        "Duarte stated:\n\n"
        '"The harbour board is not about \u201cFair Shares For All\u201d anymore. It is about the owners.\n\n'
        '"The latest example is the north pier."'
    )
    assert [words[:30] for words, _ in direct(quotes_in(text))] == [
        "The harbour board is not about",
        "The latest example is the nort",
    ]
    # a curly quotation that ends a paragraph opened by a stray straight mark is a quotation of its own
    text = '"Roe walked onto the pier, chanting \u201cBuild the pier!\u201d'
    assert [words for words, _ in direct(quotes_in(text))] == ["Build the pier!"]


def test_a_tag_after_a_quotation_passes_over_an_age_and_reads_a_verb_the_parse_took_for_a_noun(quotes_in):
    for text, speaker in (
        ("\u201cWe were wrong about the pier,\u201d Ines Duarte, 58, told the Gazette on Monday.", "Ines Duarte"),
        ('"Today the harbour is one of the safest in the north," the Danes state in their yearly report.', "Danes"),
    ):
        assert [s for _, s in direct(quotes_in(text))] == [speaker], text


def test_an_attribution_set_off_by_commas_reports_the_clause_beside_it(quotes_in):
    text = 'The two harbours, Ines Duarte said, now have a "golden chance" to grow.'
    assert direct(quotes_in(text)) == [("golden chance", "Ines Duarte")]


def test_a_headline_in_capitals_names_nobody(quotes_in):
    text = "Ann Roe Calls Harbour Plan \u2018A Disgrace\u2019 Over Pier Closure.\n\nThe council met on Monday."
    assert direct(quotes_in(text)) == []


def test_tags_after_a_quotation_in_the_forms_news_writes_them(quotes_in):
    for text, speaker in (
        (
            '"Will the mayor ever mention the harbour? If not he should resign!" the presumptive Green nominee, '
            "Ann Roe, tweeted Sunday after the vote.",
            "Ann Roe",
        ),
        ('"Friend, let me be blunt. I can win this seat," the email read. It went on.', "email"),
        ('"Our campaign has already changed the harbour debate," read the email.', "the email"),
        ("\u201cThe pier was safe. What is the board talking about? Is it hiding something?\u201d reacted Roe.", "Roe"),
    ):
        assert [s for _, s in direct(quotes_in(text))] == [speaker], text


def test_a_name_the_tagger_took_for_an_adverb_is_the_speaker_when_named_before(quotes_in):
    text = (
        "Bill Skelly, a harbour data clerk, vouched for both.\n\n"
        "\u201cHaving two people who understand the file is valuable,\u201d said Skelly, explaining his vote."
    )
    assert [s for _, s in direct(quotes_in(text))] == ["Bill Skelly"]


def test_lead_ins_the_parse_gets_wrong_and_a_message_before_the_quotation(quotes_in):
    for text, speaker in (
        ("Article 33 affirms: \u201cNo harbour shall turn away a boat in distress in any weather.\u201d", "Article 33"),
        (
            "Right after the storm, Ann Roe issued a statement, \u201cLast night our harbour was hit hard. "
            "It was the worst storm on this coast since 1953.\u201d",
            "Ann Roe",
        ),
    ):
        assert [s for _, s in direct(quotes_in(text))] == [speaker], text


def test_a_name_line_after_a_quotation_may_tell_what_the_speaker_was_doing(quotes_in):
    text = (
        "The vote closed at noon.\n\n"
        '"Great speech. She is tested. She is ready. That is why Ann should be our next mayor."\n\n'
        "\u2014Jon Krall, tweeting after the speech."
    )
    assert [s for _, s in direct(quotes_in(text))] == ["Jon Krall"]


def test_words_voiced_aloud_are_said_however_short_or_capitalized(quotes_in):
    for text, expected in (
        ("When Roe thanked the crew, a man yelled \u201cStay home!\u201d", [("Stay home!", "a man")]),
        ('She declared "What a Harbour Day!" and left the pier.', [("What a Harbour Day!", "She")]),
        (
            'Outside the hall, about 200 fishers held signs, chanting "Save Tarn Pier."',
            [("Save Tarn Pier.", "about 200 fishers")],
        ),
    ):
        assert direct(quotes_in(text)) == expected, text
    # a title after a verb of saying is still a title
    assert direct(quotes_in('Ann Roe wrote "The Harbour Years" in 2001.')) == []


def test_a_tag_may_describe_its_speaker_and_name_one_the_recognizer_took_for_a_body(quotes_in):
    text = (
        "Roe said the harbour had lost its soul: \u201cTarn is no longer Tarn,\u201d she claimed.\n"
        "\u201cTarn will always be Tarn,\u201d an angry Hollande retaliated."
    )
    assert direct(quotes_in(text))[1] == ("Tarn will always be Tarn,", "an angry Hollande")


def test_the_new_frames_leave_titles_captions_and_places_alone(quotes_in):
    for text in (
        'Critics called Spielberg\'s "Harbour Nights" a masterpiece.',
        'The mayor, long called the city\'s "fixer," resigned on Tuesday.',
        'The store pulled the Acme brand name "Classic" from its shelves.',
        'The band released "Where the tides all go," toured Europe, and split up.',
        'Among the harbour board posts:\n"He should be ashamed of what he did to the pier."',
        'The mayor ignored the email, "Please call me back as soon as you can."',
        'He mentioned "Who Framed the Harbour?" as his favourite film.',
        'Mayor Ann Roe, charged with bribery\n"It was a shakedown from day one and they all knew it."',
    ):
        assert [s for _, s in direct(quotes_in(text)) if s] == [], text
    # a stray straight mark mid-sentence does not swallow the curly quotation after it
    text = 'He was "shocked, he said. Then Roe added \u201cWe will rebuild\u201d and left.'
    assert "We will rebuild" in [words for words, _ in direct(quotes_in(text))]


def test_a_verb_of_saying_after_an_earlier_partial_quote_introduces_the_next(quotes_in):
    text = (
        "Ann Roe hailed the pier vote as \u201cfantastic,\u201d telling reporters on Friday that she thinks "
        "the plan is \u201ca great thing.\u201d"
    )
    assert [(q.text, q.cue) for q in quotes_in(text) if q.kind == "direct"] == [
        ("fantastic,", "hail"),
        ("a great thing.", "tell"),
    ]


def test_a_verb_of_saying_conjoined_to_a_passive_one_shares_its_subject(quotes_in):
    text = (
        "Late in the day, Ines Duarte was pushed into a rare round of damage control and said that her remarks had "
        'been "twisted."'
    )
    assert [q.speaker for q in quotes_in(text) if q.kind == "direct"] == ["Ines Duarte"]


def test_tags_the_parse_cut_from_their_speaker(quotes_in):
    """A name after a description of capitalized and lower-case words, a verb of saying the parse took for a noun
    after a common noun, a shout in a clause the parse hung on a place, a name the tagger took for a modal."""
    for text, speaker in (
        (
            '"Will the harbour ever reopen? If it does not, the board should resign at once!" the longtime Velmor '
            "harbour master, Ines Duarte, tweeted Sunday after the pier collapsed.",
            "Ines Duarte",
        ),
        (
            '"They know the harbour board is the only one strong enough to stop the dredging and make the port pay '
            'its fair share," a voice-over in the advert states.',
            "a voice-over in the advert",
        ),
        (
            "Late one evening in June, the quay at Velmor was ringing with its usual din of gulls from the fish market "
            'and horns from the ferry terminal, when a young docker shouted, "Boats coming, hey!"',
            "a young docker",
        ),
        ('"The pier will not be rebuilt this year and the ferries will dock at Orlek until it is," May said.', "May"),
        ('"We are not going to accept this offer at all," May told reporters on Monday.', "May"),
    ):
        assert [q.speaker for q in quotes_in(text) if q.kind == "direct"] == [speaker], text


def test_a_statement_announced_before_the_quotation_and_a_source_after_it(quotes_in):
    stated = (
        "Ola Berg, the spokesman for the Velmor dockers' union said in a statement. \"There are no ballots to "
        'recount. The strike vote was a unique event that involved more than 4,000 dockers."'
    )
    according = (
        '"The dredging of the outer basin has already begun. The new survey shows the board drew up plans for every '
        'berth in the bay," according to the harbour trust.\n\n"We will see," one docker said.'
    )
    assert [q.speaker for q in quotes_in(stated) if q.kind == "direct"] == ["Ola Berg"]
    assert [q.speaker for q in quotes_in(according) if q.kind == "direct"] == ["the harbour trust", "one docker"]


def test_a_tag_verb_the_tagger_took_for_a_participle_and_a_lead_in_opened_by_a_quoting_verb(quotes_in):
    barked = "\u201cGo back to Velmor Radio,\u201d Vasko barked and a guard escorted Ramos out."
    continued = (
        "The union will win if this vote is close. Continued Berg: \u201cSo I think it is a very real problem. And the "
        "best thing the dockers can do is to sign up a thousand new members.\u201d"
    )
    assert [(q.speaker, q.cue) for q in quotes_in(barked) if q.kind == "direct"] == [("Vasko", "bark")]
    assert [(q.speaker, q.cue) for q in quotes_in(continued) if q.kind == "direct"] == [("Berg", "continue")]


def test_one_capitalized_adjective_said_of_someone_is_a_chosen_word(quotes_in):
    for text, word in (
        ('Berg tweeted that the report was "Disgraceful!"', "Disgraceful!"),
        ('Berg added that he believed the harbour judge was "Velmorian."', "Velmorian."),
    ):
        assert [(q.text, q.speaker) for q in quotes_in(text) if q.kind == "direct"] == [(word, "Berg")], text
    assert quotes_in('She watched "Jaws" twice.') == []


def test_an_attribution_set_off_inside_the_clause_it_reports(quotes_in):
    for text, clause in (
        (
            "Instead, Berg told Velmor Radio, his plan would merely be \u201cto dredge the basin\u201d if he wins the "
            "vote.",
            "his plan would merely be \u201cto dredge the basin\u201d if he wins the vote",
        ),
        (
            'But, Duarte added, she did not support closing the quay "willy-nilly."',
            'she did not support closing the quay "willy-nilly."',
        ),
        (
            '"A big wave" swept over the sea wall built for the storm season, he said, and "everyone started running."',
            '"A big wave" swept over the sea wall built for the storm season, he said, and "everyone started running."',
        ),
    ):
        assert [q.text for q in quotes_in(text) if q.kind == "mixed"] == [clause], text


def test_a_second_that_clause_is_said_with_the_first(quotes_in):
    text = (
        "Berg said that the old pier ''could be unsafe,'' and that Duarte had struggled with the costs of the dredging."
    )
    [mixed] = [q for q in quotes_in(text) if q.kind == "mixed"]
    assert (
        mixed.text == "the old pier ''could be unsafe,'' and that Duarte had struggled with the costs of the dredging"
    )


def test_an_attribution_set_off_by_commas_far_before_the_quoted_words(quotes_in):
    text = (
        "If the vote goes badly now, she said, the board can still pass a simple repair plan later, probably with "
        '"a strong majority."'
    )
    assert [(q.text, q.cue) for q in quotes_in(text) if q.kind == "direct"] == [("a strong majority.", "say")]


def test_several_quoted_words_under_a_verb_without_a_subject_are_the_words_of_the_one_above(quotes_in):
    for text, speaker in (
        (
            'Later, Mary Johnson talked about giving dockers the right to "decide who runs the harbour and what the '
            'port should become."',
            "Mary Johnson",
        ),
        (
            'They came to the quay because they wanted to show that "the storm can\'t scare us away from the sea."',
            "they",
        ),
    ):
        assert [q.speaker for q in quotes_in(text) if q.kind == "direct"] == [speaker], text


def test_a_quoted_term_in_a_reported_clause_is_the_reporters_word(quotes_in):
    text = 'Duarte said that, if elected, she would ask Berg to lead a "harbour moonshot" plan for the quay.'
    found = [(q.kind, q.text, q.speaker) for q in quotes_in(text) if q.kind in ("direct", "mixed")]
    assert found == [
        ("mixed", 'if elected, she would ask Berg to lead a "harbour moonshot" plan for the quay', "Duarte"),
        ("direct", "harbour moonshot", "Duarte"),
    ]
    assert [q.kind for q in quotes_in('Berg said she watched "Jaws" twice.')] == ["indirect"]
