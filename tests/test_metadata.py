"""What a reader infers: source, byline, title and dates; what cannot be known stays None."""

from __future__ import annotations

import pytest

from conftest import KARABAKH
from storylens.ingest import read_inputs
from storylens.ingest.article import build_article
from storylens.ingest.metadata import iso_date, source_from_url


def karabakh(prefix: str):
    path = next(KARABAKH.glob(f"{prefix}_*.txt"))
    return next(read_inputs([str(path)]))


@pytest.mark.corpus
def test_credit_line_with_agency_names_the_source():
    art = karabakh("001")
    assert art.source == "AFP"
    assert art.byline == "Khalil Wakim, with AFP"
    assert "with AFP" not in art.text  # the byline is metadata, not body text
    assert art.title is None  # starts with a sentence, not a headline


@pytest.mark.corpus
def test_headline_on_first_line_is_title():
    art = karabakh("002")
    assert art.title == "Nagorno-Karabakh: Azerbaijan meets with Armenian separatists"
    assert not art.text.startswith("Nagorno-Karabakh:")


@pytest.mark.corpus
def test_unknown_stays_none():
    art = karabakh("000")
    assert art.source is None and art.published is None and art.title is None and art.url is None


def test_trailing_credit_and_dateline():
    credit = build_article("Rain fell on the capital for a third day.\n\nRivers rose.\n\n(MPA)", path=None, fmt="text")
    assert credit.source == "MPA"
    dateline = build_article("PORT AVERY (Meridian Press) - Rain fell for a third day.", path=None, fmt="text")
    assert dateline.source == "Meridian Press"
    measure = build_article("The road runs 200 kilometers (125 miles)\n\nIt is new.", path=None, fmt="text")
    assert measure.source is None  # a parenthesis with a number is not a credit
    transcript = build_article(
        "WALLACE: Will he debate again?\n\nPENCE: He will, and —.\n\n(CROSSTALK.)\n\nWALLACE: Thank you.",
        path=None,
        fmt="text",
    )
    assert transcript.source is None  # a stage direction between a transcript's lines is not a credit
    at_end = build_article(
        "Rain fell on the capital. Rivers rose. (Meridian Press)\n\nMore rain is due.", path=None, fmt="text"
    )
    assert at_end.source == "Meridian Press"
    signed = build_article("By Jane Doe\n\nRain fell on the capital.\n\nRivers rose.\n\n(AFP)", path=None, fmt="text")
    assert signed.byline == "By Jane Doe" and signed.source == "AFP"  # the credit still ends the text


def test_source_from_url_and_dates():
    assert source_from_url("https://www.calder-courier.test/a/b") == "calder-courier.test"
    assert source_from_url(None) is None
    assert iso_date("Mon, 02 Mar 2026 09:30:00 GMT") == "2026-03-02T09:30:00+00:00"
    assert iso_date("2026-03-02") == "2026-03-02"
    assert iso_date("sometime last spring") is None


def test_byline_naming_an_outlet_or_a_role():
    body = "\n\nRain fell on the capital for a third day.\n\nRivers rose."
    assert build_article("By Ilse Marek, Valley Courier" + body, path=None, fmt="text").source == "Valley Courier"
    staff = build_article("By Jane Doe, Staff Writer" + body, path=None, fmt="text")
    assert staff.source is None and staff.byline == "By Jane Doe, Staff Writer"
    assert "Staff Writer" not in staff.text
