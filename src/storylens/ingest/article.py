"""Turn extracted text and whatever metadata a format gave into an `Article`."""

from __future__ import annotations

import re

from storylens.ingest import metadata
from storylens.ingest.normalize import article_id, clean_display_text, display_title, storable
from storylens.model import Article, InputError

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# a first line ending like this is a sentence (or a quote), not a headline
_SENTENCE_END = (".", ",", ";", ":", "\u2026", '"', "\u201d")


def split_headline(text: str) -> tuple[str | None, str]:
    """A first line that reads as a headline becomes the title; otherwise there is none.

    A headline is short, stands on its own line with body text after it, and does not end like
    a sentence. Markdown `# Title` is always a headline.
    """
    first, _, rest = text.partition("\n")
    first = first.strip()
    if first.startswith("#"):
        return first.lstrip("#").strip() or None, rest.strip()
    if not rest.strip() or not first:
        return None, text
    short = 2 <= len(first.split()) <= 25 and len(first) <= 200
    if short and not first.endswith(_SENTENCE_END) and not metadata.is_byline(first):
        return first, rest.strip()
    return None, text


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs split on blank lines, or on single newlines where the text has no blank lines."""
    parts = _PARAGRAPH_BREAK.split(text) if "\n\n" in text else text.split("\n")
    return [p.strip() for p in parts if p.strip()]


def build_article(
    text: str,
    *,
    path: str | None,
    fmt: str,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: object = None,
    find_headline: bool = False,
) -> Article:
    """Clean the text, infer what a reader would (title, byline, source), and hash it."""
    text = clean_display_text(text)
    if find_headline and title is None:
        title, text = split_headline(text)
    paras = paragraphs_of(text)
    byline = None
    # a byline is the first or the last short line of names; keep it out of the body text
    for index in (0, -1):
        if len(paras) > 1 and metadata.is_byline(paras[index]):
            byline = paras[index]
            text = _drop_paragraph(text, paras[index], first=index == 0)
            paras.pop(index)
            break
    if not text.strip() or not any(ch.isalpha() for ch in text):
        raise InputError("no article text found")
    source = source or metadata.source_from_url(url) or metadata.credited_agency(paras, byline)
    return Article(
        id=article_id(text),
        text=text,
        path=path,
        url=storable(url) if url else None,
        title=display_title(title) if title else None,
        source=storable(source).strip() if source else None,
        published=metadata.iso_date(published),
        byline=byline,
        fmt=fmt,
    )


def _drop_paragraph(text: str, para: str, *, first: bool) -> str:
    at = text.find(para) if first else text.rfind(para)
    return (text[:at] + text[at + len(para) :]).strip()
