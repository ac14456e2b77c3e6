"""Quotation marks in every common style, paired paragraph by paragraph (`find_quoted_spans`)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

DOUBLE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u2039": "\u203a"}  # “ „ « ‹
SINGLE_OPEN = {"\u2018": "\u2019", "'": "'"}  # ‘ '
CLOSING_MARKS = frozenset("\"\u201d\u2019\u00bb\u203a'")
MAX_SINGLE_QUOTE = 400  # a single-quoted passage longer than this is more likely apostrophes
# Two apostrophes typed for a double quotation mark (`''We must not overreact,'' he said.`), the form of
# newspaper archives and wire exports that carry no typographic quotes.
TWO_APOSTROPHES = "''"
# Characters that print nothing (a left-to-right embedding, a zero-width space: Unicode category Cf): a mark after
# one stands where it would stand without it.
FORMAT_CHARACTERS = frozenset(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
FORMAT_CHARACTER_CLASS = "[" + "".join(map(re.escape, sorted(FORMAT_CHARACTERS))) + "]"  # as a regex
_FORMAT_CHARACTER = re.compile(FORMAT_CHARACTER_CLASS)
_OPENS_AFTER = "([{\u2014\u2013-/"
# A writer may quote a term inside a quotation with the same double marks (`“... calls “hell” than ...”`).
NESTED_MAX_WORDS = 4
_DOUBLE_MARK = re.compile('["\u201c\u201d]')


@dataclass
class QuotedSpan:
    """The words between a pair of quotation marks: content [start, end), marks included [open_start, close_end)."""

    open_start: int
    start: int
    end: int
    close_end: int
    paragraph: int
    starts_paragraph: bool
    open_to_paragraph_end: bool = False  # no closing mark: the quotation goes on in the next paragraph
    term: bool = False  # a quoted term, not speech (see `terms`)
    introduced: bool = False  # a colon or a verb of saying and a comma stand right before it (see `quotes`)

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pairs of quotation marks in every common style, paragraph by paragraph.

    A quote still open at the end of its paragraph runs to that end: the news convention for a
    quotation continued in the next paragraph, which reopens the marks without closing them.
    Straight double quotes open after a space or bracket and close otherwise, and so do two apostrophes
    typed for one. Single quotes count only outside double quotes, opening before a letter and closing where
    an apostrophe could not.
    """
    spans: list[QuotedSpan] = []
    offset, number = 0, 0
    text = _FORMAT_CHARACTER.sub(" ", text)  # one for one, so offsets hold
    for paragraph in text.split("\n"):
        if paragraph.strip():  # blank lines do not count: paragraphs 3 and 4 are neighbours
            spans.extend(_spans_in_paragraph(paragraph, offset, number))
            number += 1
        offset += len(paragraph) + 1
    return spans


def _spans_in_paragraph(par: str, offset: int, number: int) -> list[QuotedSpan]:
    found: list[QuotedSpan] = []
    marks = _MarkIndex(par)
    lead = len(par) - len(par.lstrip())  # marks at or before this open the paragraph
    opened: tuple[int, str] | None = None  # (index of the opening mark, the marks that close it)
    i = 0
    while i < len(par):
        ch = par[i]
        before = par[i - 1] if i else " "
        after = par[i + 1] if i + 1 < len(par) else " "
        if opened is None:
            if ch in DOUBLE_OPEN:
                opened = (i, DOUBLE_OPEN[ch])
            elif _opens_two_apostrophes(par, i, before):
                opened = (i, TWO_APOSTROPHES)
                i += 2
                continue
            elif ch == '"' and _may_open(before, after):
                opened = (i, '"\u201d')
            elif (
                ch == "\u201d"
                and before.isspace()
                and (after.isalnum() or par[i + 1 : i + 3].lstrip()[:1] in ("\u2026", "."))
            ):
                opened = (i, '"\u201d')  # a closing mark typed where an opening one belongs (`” … what`)
            elif ch in SINGLE_OPEN and (before.isspace() or before in "([{\u2014\u2013") and after.isalnum():
                close = _single_close(par, i + 1, SINGLE_OPEN[ch])
                if close is not None:
                    found.append(_span(par, offset, number, i, close, lead))
                    i = close + 1
                    continue
        elif opened[1] == TWO_APOSTROPHES:
            if _closes_two_apostrophes(par, i):
                found.append(_span(par, offset, number, opened[0], i, lead, width=2))
                opened = None
                i += 2
                continue
            if ch in DOUBLE_OPEN:
                opened = (i, DOUBLE_OPEN[ch])  # a stray `''` followed by a real quote: restart here
        elif ch in opened[1] or (ch == '"' and ('"' in opened[1] or marks.mismatched_close(i, opened[1]))):
            found.append(_span(par, offset, number, opened[0], i, lead))
            opened = None
        elif ch == "\u201c" and opened[1] == "\u201d" and _closes_like(par, i):
            found.append(_span(par, offset, number, opened[0], i, lead))  # `“Apparently not,“ he said`
            opened = None
        elif ch in DOUBLE_OPEN and ch not in opened[1]:
            if ch == par[opened[0]]:
                nested = _nested_close(par, i, opened[1])
            else:  # `"... isn't about “Equal Justice Under Law” anymore.`: a term in the other style
                carried = par[opened[0]] == '"' and opened[0] <= lead  # a straight quotation opening the paragraph
                nested = _nested_close(par, i, DOUBLE_OPEN[ch], outer='"') if carried else None
            if nested is not None:
                i = nested + 1  # `“... what he calls “hell” than ...”`: a term quoted inside the quotation
                continue
            opened = (i, DOUBLE_OPEN[ch])  # an unclosed mark followed by a new quote: restart here
        i += 1
    if opened is not None:
        end = len(par.rstrip())
        found.append(_span(par, offset, number, opened[0], end, lead, width=2 if opened[1] == TWO_APOSTROPHES else 1))
        found[-1].open_to_paragraph_end = True
        found[-1].close_end = offset + end
    return [s for s in found if s.end > s.start]


def _closes_like(par: str, i: int) -> bool:
    """An opening mark typed where a closing one belongs: after a word or punctuation, before a space or the end."""
    after = par[i + 1 : i + 2]
    return not par[i - 1].isspace() and (after == "" or after.isspace())


def _may_open(before: str, after: str) -> bool:
    """A straight mark opens after a space (the paragraph's start reads as one) or a bracket or dash, or right
    after a colon and before a word (`Ann Roe:"We ...`)."""
    return before.isspace() or before in _OPENS_AFTER or (before == ":" and after.isalnum())


def _opens_two_apostrophes(par: str, i: int, before: str) -> bool:
    """`''` after a space or bracket and before a word: a quotation opens."""
    after = par[i + 2 : i + 3]
    return par.startswith(TWO_APOSTROPHES, i) and _may_open(before, after) and after.strip() != ""


def _closes_two_apostrophes(par: str, i: int) -> bool:
    """`''` not inside a word (`don''t`), and the last two of a run of apostrophes: a quotation closes."""
    after = par[i + 2 : i + 3]
    return par.startswith(TWO_APOSTROPHES, i) and after != "'" and not after.isalnum()


def _nested_close(par: str, i: int, closers: str, outer: str | None = None) -> int | None:
    """Where a quotation opened at `i` inside another closes, when it is a short term (at most NESTED_MAX_WORDS
    words) and the next double mark after it closes the outer quotation (`outer`, by default the same marks),
    or, for an outer straight quotation, none follows but words do (it goes on in the next paragraph); else None (an
    unclosed mark followed by quotations of their own)."""
    if len(closers) != 1:
        return None
    close = par.find(closers, i + 1)
    if close < 0 or len(par[i + 1 : close].split()) > NESTED_MAX_WORDS:
        return None
    after = _DOUBLE_MARK.search(par, close + 1)  # the outer quotation closes next, before any other opens
    if after is None:  # words of the outer quotation must follow, or the term is the paragraph's own quotation
        return close if outer == '"' and any(c.isalnum() for c in par[close + 1 :]) else None
    return close if after.group() == (outer or closers) else None


class _MarkIndex:
    """Where a paragraph's closing marks and its straight marks that may open stand, for `mismatched_close`;
    found once per paragraph, the first time a straight mark meets a curly quotation."""

    def __init__(self, par: str) -> None:
        self.par = par
        self._closing: dict[str, list[int]] | None = None
        self._straight: list[int] = []

    def _index(self) -> dict[str, list[int]]:
        if self._closing is None:
            self._closing = {c: [j for j, ch in enumerate(self.par) if ch == c] for c in "\u201d\u201c\u00bb\u203a"}
            self._straight = [j for j, ch in enumerate(self.par) if ch == '"']
        return self._closing

    def mismatched_close(self, i: int, closers: str) -> bool:
        """A straight double quote where a curly one opened (copy pasted together from two styles) closes the
        quote if it stands where a closing mark does, and no proper closing mark follows, or the next one closes
        a quotation that the next straight mark opens (`“A," X said. "B.”`, not `“The words "no" and "yes"
        ...”`, where the next straight mark is closed by a straight one)."""
        if self.par[i - 1].isspace():
            return False
        closing = self._index()
        next_close = min(self._after(closing.get(c, []), i) for c in closers)
        if next_close == len(self.par):
            return True
        opening = self._after(self._straight, i)
        return (
            opening < next_close
            and _may_open(self.par[opening - 1], self.par[opening + 1 : opening + 2])
            and self._after(self._straight, opening) > next_close
        )

    def _after(self, positions: list[int], i: int) -> int:
        at = bisect.bisect_right(positions, i)
        return positions[at] if at < len(positions) else len(self.par)


def _single_close(par: str, start: int, closers: str) -> int | None:
    for j in range(start, min(len(par), start + MAX_SINGLE_QUOTE)):
        if par[j] in closers and (j + 1 == len(par) or not par[j + 1].isalnum()) and par[j - 1] != " ":
            return j
    return None


def _span(par: str, offset: int, number: int, open_at: int, close_at: int, lead: int, width: int = 1) -> QuotedSpan:
    """Content without the marks (`width` characters each) and without surrounding spaces."""
    start, end = open_at + width, close_at
    while start < end and par[start].isspace():
        start += 1
    while end > start and par[end - 1].isspace():
        end -= 1
    close_end = min(close_at + width, len(par))
    return QuotedSpan(offset + open_at, offset + start, offset + end, offset + close_end, number, open_at <= lead)
