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

from spacy.tokens import Doc, Span, Token

from storylens.extract.quote_marks import FORMAT_CHARACTERS
from storylens.nlp import text_of

# A name line is short: a name, perhaps a title or an office after a comma.
NAME_LINE_MAX_TOKENS = 12
NAME_LINE_MAX_CHARS = 300
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
    if line_break >= 0 and end_before(text, open_start, line_break + 1) == line_break + 1:
        end = end_before(text, line_break)  # blank lines may stand between the name and the quotation
        name = _name_in_line(doc, line_start(text, end), end)
        if name is not None:
            colon = end - 1 if text[end - 1 : end] == ":" else None
            return name, colon
    end_of_line = line_end(text, close_end)
    dash = start_after(text, close_end, end_of_line)
    if dash < end_of_line and text[dash] in DASHES:  # `"We have the votes." — Karl Berg`, on the same line
        name = _name_in_line(doc, dash + 1, end_of_line) or _signature(doc, dash + 1, end_of_line)
        if name is not None:
            return name, dash
    if end_of_line < len(text) and dash == end_of_line:
        start = start_after(text, end_of_line, len(text))
        if text[start : start + 1] in DASHES and start < len(text):
            end = line_end(text, start)  # `- Sanders.` on a line of its own names one, known to the recognizer or not
            name = _name_in_line(doc, start + 1, end) or _signature(doc, start + 1, end, min_words=1)
            if name is not None:
                return name, start
    return None


def _signature(doc: Doc, start: int, end: int, min_words: int = 2) -> Span | None:
    """The words after a quotation's dash when they are nothing but a name in capitals (`― Beck Pimentel`),
    which the recognizer may not know for a person: `min_words` to five capitalised words and initials, perhaps
    with what they are or were doing after a comma (`- Ann Roe, tweeting after the vote.`)."""
    line = _short_line(doc, start, end)
    if line is None:
        return None
    words = [t for t in line if not t.is_space and t.text != "."]
    comma = next((k for k, t in enumerate(words) if t.text == ","), None)
    if comma is not None and len(line) <= NAME_LINE_MAX_TOKENS:
        words = words[:comma]
    if not min_words <= len(words) <= 5 or not all(t.is_title or (t.is_upper and len(t) <= 2) for t in words):
        return None
    return doc[words[0].i : words[-1].i + 1]


def _name_in_line(doc: Doc, start: int, end: int) -> Span | None:
    """The person a short line without a verb names, when the line begins with that name (or with a
    title before it)."""
    line = _short_line(doc, start, end)
    if line is None:
        return None
    words = [t for t in line if not t.is_space]
    if not words or len(words) > NAME_LINE_MAX_TOKENS or line.text.strip().lower().startswith(NOT_SPEAKER_LINE_STARTS):
        return None
    name = _first_person(line)
    if name is None or any(t.pos_ in ("VERB", "AUX") and not _describes(t, name) for t in words):
        return None
    before_name = [t for t in words if t.i < name.start]
    if any(not (t.is_title or t.is_punct) for t in before_name):
        return None  # the name is not what the line is about: `Speech notes for Maria Lopez`
    return name


def _describes(verb: Token, name: Span) -> bool:
    """`— Ann Roe, tweeting after the vote`: a participle in -ing after a comma that follows the name tells what
    they were doing (not `Ann Roe, charged with bribery`, a caption)."""
    before = verb.doc[name.end : verb.i]
    return verb.tag_ == "VBG" and len(before) > 0 and before[0].text == ","


def _short_line(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens of text[start:end] when it is short enough to be a name line (a longer one is not read:
    a page of quotations with dashes stays linear)."""
    if end - start > NAME_LINE_MAX_CHARS:
        return None
    return doc.char_span(start, end, alignment_mode="expand")


def _first_person(line: Span) -> Span | None:
    """The first person the recognizer found wholly inside the line (read from the tokens, not all entities)."""
    doc = line.doc
    for tok in line:
        if tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON":
            end = tok.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            if end <= line.end:
                return Span(doc, tok.i, end, label="PERSON")
    return None


def end_before(text: str, at: int, stop: int = 0, marks: str = "") -> int:
    """Where the text before `at` ends once white space and characters that print nothing (and then any of
    `marks`) are set aside, not before `stop`: read backwards rather than by copying the text before `at`
    (quadratic over many quotations)."""
    i = at
    while i > stop and (text[i - 1].isspace() or text[i - 1] in FORMAT_CHARACTERS):
        i -= 1
    while i > stop and text[i - 1] in marks:
        i -= 1
    return i


def start_after(text: str, at: int, stop: int) -> int:
    """The first position from `at` (before `stop`) that is not white space, or `stop`."""
    i = at
    while i < stop and text[i].isspace():
        i += 1
    return i


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
def _line_breaks(text: str) -> tuple[int, ...]:
    """Positions of the line breaks, found once per text: searching back and forth from every quote and clause
    made one long paragraph quadratic. (A text's hash is kept with it, so a lookup does not read it again.)"""
    return tuple(m.start() for m in re.finditer("\n", text))


def paragraph_break_between(text: str, start: int, end: int) -> bool:
    """Whether a blank line stands in text[start:end] (searched in place, not copied)."""
    return _PARAGRAPH_BREAK.search(text, start, end) is not None
