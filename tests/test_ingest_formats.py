"""Every input format storylens reads, read into articles with what a reader would infer."""

from __future__ import annotations

import gzip
import json

from samples import BRIDGE, HARBOUR, ORCHARD, atom_feed, html_page, rss_feed, warc_bytes
from storylens.ingest import read_inputs
from storylens.model import Article, Skipped


def read(*paths) -> tuple[list[Article], list[Skipped]]:
    items = list(read_inputs([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_plain_text_headline_becomes_title(tmp_path):
    (tmp_path / "strike.txt").write_text("Port Calder dock workers walk out\n\n" + HARBOUR)
    (tmp_path / "bridge.txt").write_text(BRIDGE)  # first line is a sentence: no title
    (arts, skipped) = read(tmp_path)
    by_name = {a.path.rsplit("/", 1)[-1]: a for a in arts}
    assert not skipped
    assert by_name["strike.txt"].title == "Port Calder dock workers walk out"
    assert by_name["strike.txt"].text.startswith("Dock workers at Port Calder")
    assert by_name["bridge.txt"].title is None
    assert by_name["bridge.txt"].text.startswith("Engineers closed")


def test_markdown_heading_is_title(tmp_path):
    (tmp_path / "orchard.md").write_text("# Frost ruins apricot blossom\n\n" + ORCHARD)
    (arts, _) = read(tmp_path / "orchard.md")
    assert arts[0].title == "Frost ruins apricot blossom"
    assert "#" not in arts[0].text


def test_typography_is_kept_for_display(tmp_path):
    (tmp_path / "a.txt").write_text(HARBOUR)
    (arts, _) = read(tmp_path / "a.txt")
    assert "\u201cWe will not load" in arts[0].text
    assert "country\u2019s" in arts[0].text


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "strike.html").write_text(html_page("Dock workers walk out", HARBOUR))
    (arts, skipped) = read(tmp_path)
    assert not skipped
    art = arts[0]
    assert art.title == "Dock workers walk out"
    assert art.source == "The Calder Courier"
    assert art.url == "https://www.calder-courier.test/news/strike"
    assert art.published.startswith("2026-03-02")
    assert "We will not load a single ship" in art.text
    assert "Subscribe to our newsletter" not in art.text and "Sport" not in art.text


def test_json_lines_and_arrays_with_field_mapping(tmp_path):
    rows = [
        {"title": "Bridge shut", "text": BRIDGE, "url": "https://tavin-post.test/bridge", "published": "2026-03-03"},
        {"headline": "Frost", "body": ORCHARD, "source": "Selva Daily", "date": "2026-03-04T10:00:00+01:00"},
    ]
    (tmp_path / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (tmp_path / "export.json").write_text(json.dumps([{"story": HARBOUR, "outlet_name": "Harbour FM"}]))
    items = list(read_inputs([str(tmp_path / "export.jsonl")]))
    assert [a.path.rsplit("/", 1)[-1] for a in items] == ["export.jsonl#1", "export.jsonl#2"]
    assert items[0].source == "tavin-post.test"  # inferred from the URL host
    assert items[0].published == "2026-03-03"
    assert items[1].title == "Frost" and items[1].source == "Selva Daily"
    assert items[1].published == "2026-03-04T10:00:00+01:00"
    # unknown field names are refused with a way out, then read once mapped
    skipped = list(read_inputs([str(tmp_path / "export.json")]))
    assert isinstance(skipped[0], Skipped) and "--field text=" in skipped[0].reason
    mapped = list(read_inputs([str(tmp_path / "export.json")], fields={"text": "story", "source": "outlet_name"}))
    assert mapped[0].source == "Harbour FM" and mapped[0].text.startswith("Dock workers")


def test_a_record_holding_a_whole_page_keeps_its_own_date_and_outlet(tmp_path):
    page = html_page("Dock workers walk out", HARBOUR, published="")
    record = {"content": page, "published": "2026-03-02T07:00:00Z", "source": "Harbour FM"}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n")
    (art,) = read_inputs([str(tmp_path / "pages.jsonl")])
    assert art.published.startswith("2026-03-02T07:00") and art.source == "Harbour FM"
    assert art.fmt == "html" and "Subscribe to our newsletter" not in art.text


def test_rss_full_content_and_atom_summary(tmp_path):
    (tmp_path / "wire.rss").write_text(
        rss_feed([("Dock strike", "https://calder-wire.test/1", "Mon, 02 Mar 2026 09:30:00 GMT", HARBOUR)])
    )
    (tmp_path / "selva.atom").write_text(
        atom_feed([("Frost", "https://selva.test/frost", "2026-03-04T07:00:00Z", ORCHARD.replace("\u201c", "&quot;"))])
    )
    (arts, skipped) = read(tmp_path)
    assert not skipped
    rss = next(a for a in arts if a.path.endswith("wire.rss#1"))
    assert rss.title == "Dock strike" and rss.url == "https://calder-wire.test/1"
    assert rss.published.startswith("2026-03-02T09:30")
    assert "harbour authority said about 40 vessels" in rss.text  # the full content, not a teaser
    atom = next(a for a in arts if a.path.endswith("selva.atom#1"))
    assert atom.source == "Selva Daily" and "apricot blossom" in atom.text


def test_warc_and_warc_gz(tmp_path):
    pages = [
        ("https://calder-courier.test/strike", html_page("Dock workers walk out", HARBOUR)),
        ("https://tavin-post.test/bridge", html_page("Bridge shut", BRIDGE, site="Tavin Post")),
    ]
    (tmp_path / "crawl.warc").write_bytes(warc_bytes(pages, gzip=False))
    (tmp_path / "crawl2.warc.gz").write_bytes(warc_bytes(pages[:1], gzip=True))
    (arts, skipped) = read(tmp_path)
    assert not skipped
    assert len(arts) == 3  # the PNG response is not an article
    assert {a.source for a in arts} == {"The Calder Courier", "Tavin Post"}
    assert all("#https://" in a.path for a in arts)


def test_plain_gzip_file_is_decompressed(tmp_path):
    (tmp_path / "bridge.txt.gz").write_bytes(gzip.compress(BRIDGE.encode()))
    (arts, skipped) = read(tmp_path)
    assert not skipped and arts[0].text.startswith("Engineers closed")


def test_urls_of_a_page_and_a_feed(serve):
    page = serve("news/strike", html_page("Dock workers walk out", HARBOUR))  # no extension: sniffed
    feed = serve(
        "feed.xml", rss_feed([("Bridge shut", "https://tavin-post.test/b", "Tue, 03 Mar 2026 10:00:00 GMT", BRIDGE)])
    )
    (arts, skipped) = read(page, feed)
    assert not skipped
    assert arts[0].path == page and "single ship" in arts[0].text
    assert arts[1].path == feed + "#1" and arts[1].title == "Bridge shut"


def test_url_errors_are_named(serve):
    missing = serve("nothing-here.html")
    (arts, skipped) = read(missing, "http://127.0.0.1:9/closed-port")
    assert not arts
    assert "HTTP 404" in skipped[0].reason
    assert "did not answer" in skipped[1].reason


def test_a_script_inside_an_html_headline_is_not_part_of_the_title(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Port strike ends</title></head><body><h1>Port <i>strike</i> "
        "<script>alert(1)</script> ends</h1><p>Ships left the harbour at Calder on Monday after the strike.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    (arts, skipped) = read(tmp_path)
    assert not skipped
    [article] = arts
    assert article.title == "Port strike ends"
    assert "alert" not in article.text


def test_markup_a_headline_carries_as_text_is_read_not_shown(tmp_path):
    """A <title> is not parsed for tags, and feeds and exports escape them: the title a reader sees has none."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Roe &lt;b&gt;closes&lt;/b&gt; the pier <b>today</b> <script>alert(1)</script>"
        "</title></head><body><p>Ships left the harbour at Calder on Monday after the strike ended.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    export = tmp_path / "export.jsonl"
    record = {"title": "AT&amp;T <i>buys</i> the <!-- x -->pier", "text": "Ships left the harbour at Calder today."}
    export.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (arts, skipped) = read(page, export)
    assert not skipped
    assert sorted(a.title for a in arts) == ["AT&T buys the pier", "Roe closes the pier today"]
