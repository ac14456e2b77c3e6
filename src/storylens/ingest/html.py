"""HTML pages: main text and metadata with trafilatura, boilerplate dropped."""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from storylens.ingest.article import build_article
from storylens.ingest.decode import decode_text
from storylens.ingest.sources import RawInput
from storylens.model import Article, InputError

# Elements whose content is never text a reader sees (a script inside a headline is not part of it).
NOT_TEXT = ("script", "style", "noscript", "template")


def read_html(raw: RawInput, options: dict) -> Iterator[Article]:
    yield html_to_article(decode_text(raw.data, raw.charset), name=raw.name, url=raw.url)


def html_to_article(html: str, *, name: str, url: str | None) -> Article:
    """One page to one article. Malformed markup is tolerated; a page with no article text is not."""
    if "<" not in html:
        raise InputError("not HTML: no markup found")
    tree = load_html(html)
    if tree is None:
        raise InputError("the HTML could not be parsed into a page")
    # trafilatura leaves scripts out of the body but may read one into a title it takes from the <h1>
    etree.strip_elements(tree, *NOT_TEXT, with_tail=False)
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False, favor_precision=True)
    text = doc.text if doc is not None else None
    if not text or len(text.split()) < 5:
        raise InputError("no article text found in the HTML page (a menu, an index or an empty page?)")
    page_url = doc.url or url
    return build_article(
        _body(text, doc.title),
        path=name,
        fmt="html",
        title=doc.title,
        url=page_url,
        source=doc.sitename or None,
        published=doc.date,
    )


def _body(text: str, title: str | None) -> str:
    """Paragraphs apart by a blank line, as in the plain-text files, without a repeat of the headline."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if title and lines and lines[0].rstrip(".") in (title, title.split(" | ")[0]):
        lines = lines[1:]
    return "\n\n".join(lines)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry body), paragraphs kept apart."""
    text = trafilatura.extract(fragment, favor_recall=True, include_comments=False)
    if text:
        return text
    from lxml import html as lxml_html

    return lxml_html.fromstring(fragment).text_content()
