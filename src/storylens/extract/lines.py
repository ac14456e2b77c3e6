"""Speakers named on a line of their own, as pages, pull quotes and transcripts set them out:

    Maria Lopez, mayor of Springfield:
    "We will rebuild every house."

    "We will rebuild every house."
    — Maria Lopez, mayor of Springfield

    "We will rebuild every house." — Maria Lopez

No verb of saying links such a name to the quotation; the layout does.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from storylens.nlp import text_of

# A name line is short: a name, perhaps a title or an office after a comma.
NAME_LINE_MAX_TOKENS = 12
DASHES = "\u2014\u2013\u2015-"
# Lines that name someone who did not say the quotation: the writer, the photographer.
NOT_SPEAKER_LINE_STARTS = ("by ", "photo", "image", "credit", "source", "written by", "reporting by")
# A blank line parts paragraphs; a single line break may only be the wrapping of plain text.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def speaker_line(doc: Doc, open_start: int, close_end: int) -> tuple[Span, int | None] | None:
    """The person named on the line just before a quotation that opens its line, or after a dash right
    after the quotation, on its line or the next; with the index of the mark that attributes (a colon
    ending the name line, or the dash), if any."""
    text = text_of(doc)
    line_break = line_start(text, open_start) - 1
    if line_break >= 0 and not text[line_break:open_start].strip():
        end = line_break
        while end > 0 and text[end - 1].isspace():  # blank lines between the name and the quotation
            end -= 1
        name = _name_in_line(doc, line_start(text, end), end)
        if name is not None:
            colon = end - 1 if text[end - 1 : end] == ":" else None
            return name, colon
    end_of_line = line_end(text, close_end)
    after = text[close_end:end_of_line]
    if after.strip()[:1] in DASHES and after.strip():  # `"We have the votes." — Karl Berg`, on the same line
        dash = close_end + len(after) - len(after.lstrip())
        name = _name_in_line(doc, dash + 1, end_of_line) or _signature(doc, dash + 1, end_of_line)
        if name is not None:
            return name, dash
    if end_of_line < len(text) and not after.strip():
        start = end_of_line
        while start < len(text) and text[start].isspace():
            start += 1
        if text[start : start + 1] in DASHES and start < len(text):
            name = _name_in_line(doc, start + 1, line_end(text, start))
            if name is not None:
                return name, start
    return None


def _signature(doc: Doc, start: int, end: int) -> Span | None:
    """The words after a quotation's dash when they are nothing but a name in capitals (`― Beck Pimentel`),
    which the recognizer may not know for a person: two to five capitalised words and initials."""
    line = doc.char_span(start, end, alignment_mode="expand")
    if line is None:
        return None
    words = [t for t in line if not t.is_space and t.text != "."]
    if not 2 <= len(words) <= 5 or not all(t.is_title or (t.is_upper and len(t) <= 2) for t in words):
        return None
    return doc[words[0].i : words[-1].i + 1]


def _name_in_line(doc: Doc, start: int, end: int) -> Span | None:
    """The person a short line without a verb names, when the line begins with that name (or with a
    title before it)."""
    line = doc.char_span(start, end, alignment_mode="expand")
    if line is None:
        return None
    words = [t for t in line if not t.is_space]
    if not words or len(words) > NAME_LINE_MAX_TOKENS or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    if line.text.strip().lower().startswith(NOT_SPEAKER_LINE_STARTS):
        return None
    persons = [e for e in doc.ents if e.label_ == "PERSON" and line.start <= e.start and e.end <= line.end]
    if not persons:
        return None
    name = persons[0]
    before_name = [t for t in words if t.i < name.start]
    if any(not (t.is_title or t.is_punct) for t in before_name):
        return None  # the name is not what the line is about: `Speech notes for Maria Lopez`
    return name


def line_start(text: str, at: int) -> int:
    """Where the line holding position `at` begins (just after the last line break before `at`)."""
    breaks = _line_breaks(text)
    k = bisect.bisect_left(breaks, at)
    return breaks[k - 1] + 1 if k else 0


def line_end(text: str, at: int) -> int:
    """The first line break at or after `at`, or the end of the text."""
    breaks = _line_breaks(text)
    k = bisect.bisect_left(breaks, at)
    return breaks[k] if k < len(breaks) else len(text)


@lru_cache(maxsize=8)
def _line_breaks(text: str) -> list[int]:
    """Positions of the line breaks, found once per text: searching back and forth from every quote and clause
    made one long paragraph quadratic. (A text's hash is kept with it, so a lookup does not read it again.)"""
    return [i for i, ch in enumerate(text) if ch == "\n"]


def paragraph_break_between(text: str, start: int, end: int) -> bool:
    """Whether a blank line stands in text[start:end] (searched in place, not copied)."""
    return _PARAGRAPH_BREAK.search(text, start, end) is not None
