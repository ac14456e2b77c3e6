"""Normalization for comparison, and the stable article id derived from it.

The text shown to a reader keeps its typography; only the comparison form folds quotes, dashes
and whitespace, so that the same article saved by two tools gets the same id.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",  "\ufeff": "",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_LINE_SPACES = re.compile(r"[ \t\f\v\u00a0\u2009\u202f]+")
_BLANK_RUNS = re.compile(r"\n{3,}")

_SURROGATES = re.compile("[\ud800-\udfff]")
# Markup a headline may carry as text (an HTML <title> is not parsed for tags; feeds and exports escape them):
# a comment, a script or a style with its content, then any tag.
_HIDDEN_ELEMENT = re.compile(r"<!--.*?(-->|$)|<(script|style)\b[^>]*>.*?(</\2\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>")


def storable(text: str) -> str:
    """Lone surrogates (a JSON `\\ud800`, an XML `&#xD800;`) cannot be written as UTF-8: U+FFFD instead."""
    return _SURROGATES.sub("\ufffd", text)


def clean_display_text(text: str) -> str:
    """The text a reader is shown: NFC, unified newlines, no trailing spaces, no blank-line runs."""
    text = storable(text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\u200b", "")
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def read_markup(text: str) -> str:
    """Markup carried as text (`Roe <b>calls</b> ... <script>...`) read: comments, scripts and styles go with their
    content, other tags go, character references (`AT&amp;T`) are read. A lone `<` (`rents rise < 5%`) stays."""
    return html.unescape(_TAG.sub(" ", _HIDDEN_ELEMENT.sub(" ", text)))


def display_title(title: str) -> str | None:
    """A headline as a reader is shown it: its markup read (see `read_markup`), on one line; None if nothing is
    left."""
    return _SPACES.sub(" ", clean_display_text(read_markup(title))).strip() or None


def comparison_form(text: str) -> str:
    """The form two texts are compared in: NFC, typographic quotes and dashes folded, one space."""
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


def article_id(text: str) -> str:
    """A stable id: the first 16 hex digits of the SHA-256 of the comparison form."""
    return hashlib.sha256(comparison_form(text).encode("utf-8")).hexdigest()[:16]
