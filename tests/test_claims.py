"""Numeric claims from small hand-written articles."""

from __future__ import annotations

import pytest

from storylens import nlp
from storylens.extract.claims import extract_claims

ARTICLE = (
    "Officials said more than 1,200 people had been evacuated from the valley on Monday. "
    "The three-day storm also destroyed about 40 homes, according to the regional fire service. "
    "Rescuers searched an area of over 15 kilometers (9 miles) along the river. "
    "In 2019, a similar flood left two people dead. "
    "The talks lasted two hours. "
    "Hundreds of volunteers arrived from Article 5 towns."
)


@pytest.fixture(scope="module")
def claims():
    doc = next(nlp.annotate([ARTICLE]))
    return extract_claims(doc)


def by_text(claims, fragment):
    found = [c for c in claims if fragment in c.text]
    assert found, f"no claim with {fragment!r} in {[c.text for c in claims]}"
    return found[0]


def test_offsets_index_the_text(claims):
    assert claims
    for claim in claims:
        assert ARTICLE[claim.start : claim.end] == claim.text


def test_digits_with_qualifier_quantity_and_speaker(claims):
    claim = by_text(claims, "1,200")
    assert claim.value == 1200
    assert claim.qualifier == "more than"
    assert "people" in claim.quantity and "evacuated" in claim.quantity
    assert claim.attributed_to == "Officials"


def test_according_to_attribution_and_about(claims):
    claim = by_text(claims, "40")
    assert claim.value == 40
    assert claim.qualifier == "about"
    assert "homes" in claim.quantity
    assert claim.attributed_to == "the regional fire service"


def test_hyphenated_duration_in_words(claims):
    claim = by_text(claims, "three-day")
    assert claim.value == "3 days"
    assert claim.unit == "days"
    assert "storm" in claim.quantity


def test_distance_and_its_conversion_are_two_claims(claims):
    km = by_text(claims, "15 kilometers")
    assert (km.value, km.unit, km.qualifier) == (15, "km", "over")
    miles = by_text(claims, "9 miles")
    assert (miles.value, miles.unit) == (9, "miles")


def test_number_words(claims):
    claim = by_text(claims, "two people")
    assert claim.value == 2
    assert "dead" in claim.quantity


def test_plain_duration(claims):
    assert by_text(claims, "two hours").value == "2 hours"


def test_round_number_words_are_kept_as_phrases(claims):
    assert by_text(claims, "Hundreds").value == "hundreds"


def test_years_days_and_section_numbers_are_not_claims(claims):
    values = [c.value for c in claims]
    assert 2019 not in values
    assert 5 not in values


def test_ages_dates_and_the_two_sides():
    text = "The 45-year-old driver, who arrived two days ago, met the two sides on May 3 at 10:30 a.m."
    claims = extract_claims(next(nlp.annotate([text])))
    assert [c.value for c in claims] == []


def test_an_age_after_a_name_is_that_person_s_and_a_part_of_a_whole_is_not_a_claim():
    text = "Police found Mira Kestrel, 48, and Tobin Vail, 61, at the house. Garrard completed 28 of 41 passes."
    claims = extract_claims(next(nlp.annotate([text])))
    assert [(c.value, c.quantity) for c in claims[:2]] == [(48, "age of Mira Kestrel"), (61, "age of Tobin Vail")]
    assert [c.value for c in claims[2:]] == [41]


def test_scores_records_and_series_labels_are_not_claims():
    text = "The Saints lost 30-7 in Week 15, and the champion's record is now 52-3. Police counted 40 cars."
    claims = extract_claims(next(nlp.annotate([text])))
    assert [c.value for c in claims] == [40]


def test_scaled_numbers():
    text = "The firm won a 1.2-billion-euro contract, and 2.5 million people voted."
    claims = extract_claims(next(nlp.annotate([text])))
    assert [c.value for c in claims] == [1_200_000_000, 2_500_000]
    assert "people" in claims[1].quantity
