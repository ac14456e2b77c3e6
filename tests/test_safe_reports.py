"""Reports built from hostile data: only http(s) links are links, Markdown carries no HTML, one file per story."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt
from markupsafe import escape

from storylens.report.files import write_all
from storylens.report.highlight import Mark, segments, segments_html
from storylens.report.safe import safe_href
from test_report import CHROMIUM, hand_built_report

HOSTILE_URLS = [
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    " JavaScript:alert(1)",
    "\x01javascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.test/no-scheme",
    "https:evil",
]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name in {"href", "src", "xlink:href", "action"}]


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def _with_urls(urls: list[str]) -> dict:
    report = hand_built_report()
    template = report["articles"][0]
    for n, url in enumerate(urls):
        report["articles"].append({**template, "id": f"u{n:02d}", "url": url, "title": f"Record {n}"})
        report["stories"][0]["articles"].append(f"u{n:02d}")
    return report


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_safe_href_refuses_what_is_not_an_absolute_http_link(url):
    assert safe_href(url) is None


def test_safe_href_keeps_http_and_https_links():
    assert safe_href("https://news.test/a?b=1#c") == "https://news.test/a?b=1#c"
    assert safe_href(" HTTP://news.test/a\n") == "HTTP://news.test/a"


def test_html_links_only_http_and_shows_the_rest_as_text(tmp_path):
    files = write_all(_with_urls([*HOSTILE_URLS, "https://news.test/story"]), tmp_path)
    for page in (p for p in files if p.suffix == ".html"):
        for href in parsed(page.read_text()).hrefs:
            scheme = urlsplit(href).scheme
            assert scheme in {"http", "https"} or (not scheme and not href.startswith("//")), (page.name, href)
    story = next(p for p in files if p.suffix == ".html" and p.name != "index.html").read_text()
    assert parsed(story).hrefs.count("https://news.test/story") == 1
    assert "vbscript:msgbox(1)" in story and "data:text/html,&lt;script&gt;" in story  # shown, as text


def test_pages_forbid_scripts_with_a_content_security_policy(tmp_path):
    files = write_all(hand_built_report(), tmp_path)
    for page in (p for p in files if p.suffix == ".html"):
        head = page.read_text().split("</head>")[0]
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in head, page.name
        assert "script-src" not in head  # falls back to default-src 'none': no script at all


MARKUP = '<script>alert("md")</script> [click](javascript:alert(1)) ![x](https://evil.test/t.png) <b>bold</b>'


def test_markdown_renders_hostile_text_as_text(tmp_path):
    report = hand_built_report()
    story = report["stories"][0]
    story["title"] = "Strike " + MARKUP
    report["articles"][1]["source"] = "Outlet <img src=x onerror=alert(1)>"
    story["summary"][0]["text"] += " " + MARKUP + "\n\n[ref]: javascript:alert(2)\n<script>alert(3)</script>"
    story["quotes"][0]["text"] = MARKUP
    story["conflicts"][0]["explanation"] = MARKUP
    story["timeline"][0]["text"] = "a \\" + MARKUP  # a backslash must not unescape the bracket after it
    md = next(p for p in write_all(report, tmp_path) if p.suffix == ".md").read_text()
    html = MarkdownIt("commonmark").render(md)  # raw HTML allowed, as CommonMark renderers do
    tags = set(parsed(html).tags)
    assert not tags & {"script", "img", "a", "b"}, tags
    assert html.count("&lt;script&gt;alert(&quot;md&quot;)&lt;/script&gt; [click](javascript:alert(1))") == 5
    assert "[ref]: javascript:alert(2)" in html  # a definition is not made from a line of data
    assert "[1] Calder Wire" in md  # the citation labels stay readable in the file itself


def _colliding_report(count: int) -> dict:
    report = hand_built_report()
    base = report["stories"][0]
    report["stories"] = []
    # same title, the same first characters of every id, and ids that differ only by case or punctuation
    ids = [f"story-wire01{n:04d}" for n in range(count - 4)] + ["story-AB", "story-ab", "story-a/b", "story-a?b"]
    for n, story_id in enumerate(ids):
        story = copy.deepcopy(base)
        story["id"] = story_id
        story["summary"][0]["text"] = f"Summary number {n}."
        report["stories"].append(story)
    return report


def test_every_story_has_its_own_files_and_the_index_links_each_once(tmp_path):
    report = _colliding_report(42)
    files = write_all(report, tmp_path)
    pages = [p for p in tmp_path.iterdir() if p.suffix == ".html" and p.name != "index.html"]
    assert len(pages) == 42 and len({p.name.lower() for p in pages}) == 42
    assert len([p for p in files if p.suffix == ".md"]) == 42 and len(list(tmp_path.glob("*.md"))) == 42
    linked = [h for h in parsed((tmp_path / "index.html").read_text()).hrefs]
    assert sorted(linked) == sorted(p.name for p in pages)
    shown = {json.loads(p.with_suffix(".json").read_text())["stories"][0]["summary"][0]["text"] for p in pages}
    assert shown == {f"Summary number {n}." for n in range(42)}  # no page overwrote another


def test_chromium_finds_no_live_script_link_and_runs_no_injected_script(tmp_path):
    assert CHROMIUM, "Debian's chromium is needed for this test: apt-get install chromium (make browser does it)"
    files = write_all(_with_urls(HOSTILE_URLS), tmp_path / "out")
    page = next(p for p in files if p.suffix == ".html" and p.name != "index.html")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip

    def dom(path) -> str:
        run = subprocess.run([CHROMIUM, *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True,
                             timeout=120)  # fmt: skip
        assert "</html>" in run.stdout, run.stderr
        return run.stdout

    rendered = dom(page)
    assert "Where the sources disagree" in rendered
    for href in parsed(rendered).hrefs:
        assert urlsplit(href).scheme in {"", "http", "https"}, href
    # were data ever to slip through as markup, the page's policy keeps it from running
    injected = '<script>document.title = "ran"</script><img src="x" onerror="document.title = \'ran\'">'
    html = page.read_text()
    (page.parent / "injected.html").write_text(html.replace("<body>", "<body>" + injected, 1))
    assert "<title>ran</title>" not in dom(page.parent / "injected.html")
    # the same page without the policy runs it: the check above can fail
    without = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert without != html
    (page.parent / "open.html").write_text(without.replace("<body>", "<body>" + injected, 1))
    assert "<title>ran</title>" in dom(page.parent / "open.html")


def test_highlighted_text_is_escaped_as_jinja_escapes_it():
    text = '<script>x=\'1\'</script> & "quoted" <b onclick="y">'
    marks = [Mark(0, 8, "quote", 'said "<b>"', anchor="s1-'a'"), Mark(5, 30, "claim", "1 & 2 <i>")]
    pieces = segments(text, marks)
    by_hand = "".join(
        "".join(f'<span id="{escape(a)}"></span>' for a in p.anchors)
        + (
            f'<mark class="{escape(" ".join(p.kinds))}" title="{escape("; ".join(p.titles))}">{escape(p.text)}</mark>'
            if p.kinds
            else str(escape(p.text))
        )
        for p in pieces
    )
    assert segments_html(pieces) == by_hand and "<script>" not in by_hand and "'1'" not in by_hand
