"""Small articles written for the tests, and builders for the formats storylens reads."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HARBOUR = (
    "Dock workers at Port Calder walked off the job on Monday, halting traffic at the "
    "country\u2019s second-busiest harbour.\n\n"
    "\u201cWe will not load a single ship until the contract is signed,\u201d union leader "
    "Mara Elling told reporters outside the gates.\n\n"
    "The harbour authority said about 40 vessels were waiting offshore."
)
BRIDGE = (
    "Engineers closed the Tavin river bridge on Tuesday after inspectors found cracks in two "
    "of its supporting piers.\n\n"
    "The regional transport office said the crossing, used by 12,000 vehicles a day, would stay "
    "shut for at least three weeks."
)
ORCHARD = (
    "A late frost destroyed more than half of the apricot blossom in the Selva valley, growers "
    "said on Wednesday.\n\n"
    "\u201cWe have not seen anything like it in thirty years,\u201d said grower Ines Ottavi."
)


def html_page(title: str, body: str, *, site: str = "The Calder Courier", published: str = "2026-03-02T08:00:00Z",
              url: str = "https://www.calder-courier.test/news/strike") -> str:  # fmt: skip
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1><p class="byline">By Tomas Reyes</p>{paras}</article>
<footer>Copyright The Calder Courier. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{p}</p>" for p in body.split("\n\n"))


def rss_feed(items: list[tuple[str, str, str, str]], *, title: str = "Calder Wire") -> str:
    """items: (title, link, RFC 822 date, body)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<content:encoded><![CDATA[{_paragraphs(body)}]]></content:encoded></item>"
        for t, link, d, body in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://calder-wire.test/</link><description>wire</description>"
        f"{entries}</channel></rss>"
    )


def atom_feed(entries: list[tuple[str, str, str, str]]) -> str:
    """entries: (title, link, ISO date, summary)."""
    body = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id><updated>{d}</updated>'
        f"<summary>{s}</summary></entry>"
        for t, link, d, s in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Selva Daily</title><id>urn:selva</id><updated>2026-03-04T00:00:00Z</updated>{body}</feed>"
    )


def warc_bytes(pages: list[tuple[str, str]], *, gzip: bool) -> bytes:
    """A web archive holding an HTML response for each (url, html), plus a non-HTML response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for url, html in pages + [("https://calder-courier.test/logo.png", "")]:
        ctype = "image/png" if url.endswith(".png") else "text/html; charset=utf-8"
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        payload = io.BytesIO(html.encode("utf-8") if html else b"\x89PNG\r\n")
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    return buffer.getvalue()
