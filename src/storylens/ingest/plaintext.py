"""Plain text and Markdown: one article per file, a headline on the first line is its title."""

from __future__ import annotations

from collections.abc import Iterator

from storylens.ingest.article import build_article
from storylens.ingest.decode import decode_text
from storylens.ingest.sources import RawInput
from storylens.model import Article


def read_text(raw: RawInput, options: dict) -> Iterator[Article]:
    text = decode_text(raw.data, raw.charset)
    yield build_article(text, path=raw.name, url=raw.url, fmt="text", find_headline=True)
