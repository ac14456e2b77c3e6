"""Text that is not a news article is marked with a reason a person can read; real news, however short, is not."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from conftest import CORPORA
from storylens.ingest import read_inputs
from storylens.ingest.article import build_article
from storylens.model import Article, InputError
from storylens.stories.screen import not_news_reason

JUNK = Path(__file__).parent / "junk"

# -- what each kind of scraped junk is told ------------------------------------------------------------------


def test_one_line_of_site_boilerplate_is_too_short():
    assert not_news_reason("The Premier Sports, Fun & Adventure Destination in the Northeast") == (
        "too short: 9 words and no sentence"
    )


def test_one_word_is_too_short():
    assert not_news_reason("Advertisement") == "too short: 1 word"


def test_empty_text():
    assert not_news_reason("  \n\n ") == "empty: no text"


def test_a_navigation_menu_has_no_sentences():
    menu = "Home\nWorld\nPolitics\nBusiness\nSport\nWeather\nContact Us"
    assert not_news_reason(menu) == "no sentences: a list of links/menu items (7 items)"
    assert not_news_reason("Home | World | Politics | Business | Sport | About Us").startswith("no sentences")


def test_a_cookie_wall():
    text = (
        "We use cookies to give you the best experience on our website. By clicking Accept you agree to "
        "the storing of cookies on your device.\n\nAccept\n\nSettings"
    )
    assert not_news_reason(text) == "boilerplate: cookie notice"


def test_a_web_archive_crawl_notice():
    text = (
        "These pages were saved by a web crawler. The crawl began from a seed list of news home pages "
        "and this crawl followed links one level deep."
    )
    assert not_news_reason(text) == "boilerplate: web archive crawl notice"


def test_a_tweet_embed():
    text = (
        "Tweet with a location\n\nYou can add your city or precise location to your Tweets. "
        "You can always delete your location history."
    )
    assert not_news_reason(text) == "boilerplate: tweet embed"
    assert not_news_reason("pic.twitter.com/x1y2z3 — A Person (@aperson) May 4, 2019") == "boilerplate: tweet embed"


def test_numbers_only():
    assert not_news_reason("1,204\n1,377\n998\n1,450") == "numbers only: no words"
    assert not_news_reason("ABC 10.2 +0.4 | DEF 7.75 -0.12 | GHI 31.09 +1.5") == (
        "mostly numbers and symbols: 76% of characters"
    )


def test_other_languages():
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss bis zum Sommer zu sanieren. "
        "Die Arbeiten sollen im April beginnen und rund drei Monate dauern."
    )
    assert not_news_reason(german) == "not English: 0% of words are common English words"
    assert not_news_reason("Правительство объявило о новых мерах поддержки.") == "not English: mostly Cyrillic script"


def test_enable_javascript_paywall_and_error_pages():
    assert not_news_reason("Please enable JavaScript to view this site.") == "boilerplate: enable JavaScript notice"
    paywall = "Subscribe to keep reading. You have used all of your free articles this month."
    assert not_news_reason(paywall) == "boilerplate: paywall notice"
    assert not_news_reason("The page you are looking for was not found.", title="404 Not Found") == (
        "boilerplate: error page"
    )
    assert not_news_reason("Access denied. You do not have permission to access this page.") == (
        "boilerplate: error page"
    )


# -- what is kept ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Film star Ada Lowe, swimming champion, dies at 88",  # a wire headline as the whole item
        "Voting in the regional election is over in Velmor.",
        "BRASK ROVERS Fired Ivo Tan, coach. Named Tom Brask head coach.",  # sports transactions, in capitals
        '"We will rebuild every house," the mayor of Velmor said on Friday.',
    ],
)
def test_real_short_news_is_kept(text):
    assert not_news_reason(text) is None


def test_an_article_with_one_cookie_line_is_kept():
    article = (
        "Thousands of people left their homes in Velmor on Tuesday after a gate at the Kessel Dam failed, "
        "officials said. The river rose by two metres in an hour and flooded the old town.\n\n"
        "We use cookies to improve your experience. Accept all\n\n"
        "Rescue teams worked through the night, and the regional governor said the dam would be inspected."
    )
    assert not_news_reason(article) is None


def test_news_about_cookies_archives_and_paywalls_is_kept():
    # notices speak to the reader ("you", "this site"); news about the same things reports in the third person
    assert (
        not_news_reason(
            "Regulators fined a search company on Thursday over cookie banners that made it harder to reject "
            "cookies than to accept them. The regulator said the site uses cookies to track visitors."
        )
        is None
    )
    assert (
        not_news_reason(
            "The Internet Archive said on Monday that its Wayback Machine had saved 800 billion pages, and that "
            "its crawl of news sites had doubled since 2020."
        )
        is None
    )
    assert (
        not_news_reason(
            "The paper said it had added 300,000 digital subscribers, as readers paid for unlimited access."
        )
        is None
    )


# -- over the junk fixtures and the real corpora -------------------------------------------------------------

EXPECTED = {  # fixture kind (file name before "__") -> how its reason starts
    "cookie": "boilerplate: cookie notice",
    "crawl": "boilerplate: web archive crawl notice",
    "tweet": "boilerplate: tweet embed",
    "paywall": "boilerplate: paywall notice",
    "error_page": "boilerplate: error page",
    "javascript": "boilerplate: enable JavaScript notice",
    "menu": "no sentences",
    "one_word": "too short",
    "one_line": ("too short", "boilerplate: copyright line"),
    "numbers": ("numbers only", "mostly numbers"),
    "non_english": "not English",
}


@pytest.mark.parametrize("path", sorted(JUNK.glob("*/*")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_junk_fixture_is_marked_or_skipped_at_ingest(path):
    kind = path.name.split("__")[0]
    for item in read_inputs([str(path)]):
        if not isinstance(item, Article):  # ingest already refuses it: no letters, or no text in the HTML
            assert kind in ("empty_html", "numbers", "javascript"), item.reason
            continue
        reason = not_news_reason(item.text, item.title)
        assert reason is not None and reason.startswith(EXPECTED[kind]), (path.name, reason)


def _record(text: str, name: str, title: str | None = None) -> Article | None:
    try:
        return build_article(text, path=name, fmt="records", title=title)
    except InputError:
        return None


def _real_articles() -> list[Article]:
    out = []
    with open(CORPORA / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as lines:
        out += [_record(d["text"], d["id"], d["title"]) for d in map(json.loads, lines)]
    for split in ("dev", "test"):
        path = CORPORA / "polnear_sample" / f"polnear_{split}_sample.jsonl"
        out += [_record(r["text"], r["id"], r.get("title")) for r in map(json.loads, path.open(encoding="utf-8"))]
    out += [a for a in read_inputs([str(CORPORA / "karabakh")]) if isinstance(a, Article)]
    with resources.as_file(resources.files("storylens") / "sample") as root:
        out += [a for a in read_inputs([str(root)]) if isinstance(a, Article)]
    return [a for a in out if a is not None]


# Multi-News documents that are whole pages of scraper boilerplate, not articles (as in
# benchmarks/screen_quality.py NOT_ARTICLES): these may be marked, no other document may
MULTINEWS_BOILERPLATE_PAGES = {
    "multinews-test-sample-000#0", "multinews-test-sample-000#2", "multinews-test-sample-001#1",
    "multinews-test-sample-002#2", "multinews-test-sample-009#1", "multinews-test-sample-016#1",
    "multinews-test-sample-017#0", "multinews-test-sample-030#0", "multinews-test-sample-033#1",
    "multinews-test-sample-034#0", "multinews-test-sample-037#0", "multinews-test-sample-038#1",
    "multinews-test-sample-038#2", "multinews-test-sample-048#2",
}  # fmt: skip


@pytest.mark.corpus
def test_no_real_article_is_marked():
    articles = _real_articles()
    assert len(articles) > 1000  # ECB+ (982), PolNeAR, karabakh and the bundled sample all read
    marked = {a.path: reason for a in articles if (reason := not_news_reason(a.text, a.title))}
    assert marked == {}


@pytest.mark.corpus
def test_only_the_boilerplate_pages_of_multi_news_are_marked():
    rows = map(json.loads, (CORPORA / "multinews_sample" / "mds_sample.jsonl").open(encoding="utf-8"))
    docs = [_record(d, f"{row['id']}#{k}") for row in rows for k, d in enumerate(row["documents"])]
    marked = {a.path for a in docs if a is not None and not_news_reason(a.text, a.title)}
    assert marked <= MULTINEWS_BOILERPLATE_PAGES
    assert len(marked) >= 12  # two crawl-settings pages ("The seed for ... was:") are still read as prose
