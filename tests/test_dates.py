"""Date expressions resolved against publication dates, the text's own anchor, or a story anchor."""

from __future__ import annotations

import pytest

from storylens import nlp
from storylens.extract.dates import extract_dates, reference_date, story_anchor

# 2024-03-14 is a Thursday.
DATED = (
    "The council met on Thursday, March 14, 2024, after protests late Tuesday. "
    "Its chair resigned last month and a new budget is due in September. "
    "Prices rose this week, and the mayor will visit on Monday. "
    "The bridge was built in 1998."
)
UNDATED = "Protesters gathered on Wednesday. The strike began last month."


@pytest.fixture(scope="module")
def docs():
    return dict(zip(["dated", "undated"], nlp.annotate([DATED, UNDATED]), strict=True))


def values(mentions):
    return {m.text: m.value for m in mentions}


def test_offsets_index_the_text(docs):
    for mention in extract_dates(docs["dated"]):
        assert DATED[mention.start : mention.end] == mention.text


def test_text_anchor_resolves_relative_dates(docs):
    found = values(extract_dates(docs["dated"]))
    assert found["Thursday, March 14, 2024"] == "2024-03-14"
    assert found["late Tuesday"] == "2024-03-12"
    assert found["last month"] == "2024-02"
    assert found["this week"] == "2024-W11"
    assert found["1998"] == "1998"


def test_future_tense_looks_forward(docs):
    found = values(extract_dates(docs["dated"]))
    assert found["Monday"] == "2024-03-18"
    assert found["September"] == "2023-09"  # a bare month is read as the latest one up to the anchor


def test_publication_date_beats_the_text(docs):
    mentions = extract_dates(docs["dated"], published="2024-03-20T08:00:00")
    tuesday = next(m for m in mentions if m.text == "late Tuesday")
    assert (tuesday.value, tuesday.anchor) == ("2024-03-19", "published")


def test_unanchored_relative_dates_stay_unresolved(docs):
    mentions = extract_dates(docs["undated"])
    assert [(m.text, m.value) for m in mentions] == [("Wednesday", None), ("last month", None)]


def test_story_anchor_from_other_articles(docs):
    anchor = story_anchor([reference_date(docs["dated"]), None, "2024-03-16"])
    assert anchor == "2024-03-14"
    found = extract_dates(docs["undated"], anchor=anchor)
    assert [(m.value, m.anchor) for m in found] == [("2024-03-13", "story"), ("2024-02", "story")]


def test_lower_case_may_is_not_a_month():
    doc = next(nlp.annotate(["Officials may decide in May 2025."]))
    assert [(m.text, m.value) for m in extract_dates(doc)] == [("May 2025", "2025-05")]


@pytest.mark.parametrize(
    ("published", "next_week", "yesterday"), [("9999-12-31", None, "9999-12-30"), ("0001-01-01", "0001-W02", None)]
)
def test_a_relative_date_past_the_calendar_is_left_unresolved(published: str, next_week, yesterday) -> None:
    """A hostile publication date at either end of the calendar: the day before or the week after it does not
    exist, and is left unresolved instead of failing the story's dates."""
    doc = next(nlp.annotate(["The plan will be reviewed next week, the council said yesterday, on 4 March 2025."]))
    found = {m.text: m.value for m in extract_dates(doc, published)}
    assert found == {"next week": next_week, "yesterday": yesterday, "4 March 2025": "2025-03-04"}
