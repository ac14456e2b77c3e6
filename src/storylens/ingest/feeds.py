"""RSS and Atom feed files: one article per entry, full content when the feed has it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser

from storylens.ingest.article import build_article
from storylens.ingest.html import html_to_text
from storylens.ingest.sources import RawInput
from storylens.model import Article, InputError, Skipped

# feedparser's loose parser raises on a character reference to a lone surrogate (&#xD800;, &#55296;)
_SURROGATE_REFS = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:55(?:29[6-9]|[3-9]\d\d)|56\d{3}|57(?:[0-2]\d\d|3[0-3]\d|34[0-3])));"
)


def read_feed(raw: RawInput, options: dict) -> Iterator[Article | Skipped]:
    feed = feedparser.parse(_SURROGATE_REFS.sub(b"&#xFFFD;", raw.data))
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(f"malformed feed: {reason}" if reason else "feed has no entries")
    feed_title = feed.feed.get("title")
    # feedparser reads much real-world junk; its complaint is worth quoting only when an entry fails
    broken = f"malformed feed ({feed.bozo_exception}); " if feed.get("bozo") else ""
    for number, entry in enumerate(feed.entries, start=1):
        name = f"{raw.name}#{number}"
        body = _entry_body(entry)
        if not body:
            yield Skipped(name, f"{broken}feed entry has neither content nor summary")
            continue
        try:
            yield build_article(
                body,
                path=name,
                fmt="feed",
                title=entry.get("title"),
                url=entry.get("link"),
                source=feed_title,
                published=entry.get("published") or entry.get("updated"),
            )
        except InputError as err:
            yield Skipped(name, str(err))


def _entry_body(entry: dict) -> str | None:
    """The full content when the feed carries it, else the summary; HTML turned into text."""
    candidates = [c.get("value") or "" for c in entry.get("content") or []] + [entry.get("summary") or ""]
    best = max(candidates, key=len, default="")
    if not best.strip():
        return None
    return html_to_text(best) if "<" in best else best
