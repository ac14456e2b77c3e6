"""The web app in a real browser: Playwright drives Debian's chromium (no browser download) against the app
served on a loopback port. Each page visited leaves a screenshot in test-artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from storylens.web.config import ServeConfig
from test_web_api import NEW_ARTICLE
from web_fixtures import TOKEN, copy_store, served

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
SLOW_MS = 240_000  # an upload's analysis loads spaCy in the server: give it time on a busy machine


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make browser does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(web_store, tmp_path_factory):
    db = copy_store(web_store, tmp_path_factory.mktemp("browser") / "browser.db")
    with served(ServeConfig(db, token=TOKEN)) as base:
        yield base


@pytest.fixture
def page(browser, site):
    """A fresh page that records script errors, dialogs and failed resources (a page itself may be an error
    page on purpose), and fails the test on any."""
    context = browser.new_context(base_url=site, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    opened.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    opened.on("response", lambda r: _bad_resource(r, problems))
    opened.on("console", lambda msg: _console_error(msg, problems))
    yield opened
    context.close()
    assert not problems, problems


def _bad_resource(response, problems: list[str]) -> None:
    if response.status >= 400 and response.request.resource_type != "document":
        problems.append(f"{response.status} for {response.url}")


def _console_error(message, problems: list[str]) -> None:
    # a page answered with an error status is logged as a failed resource too; responses are checked above
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console error: {message.text}")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_list_search_story_and_a_citation_opening_its_highlighted_span(page):
    page.goto("/")
    expect(page.locator("a.story-link")).to_have_count(5)
    shot(page, "story-list")
    page.fill("input[name=q]", "flood wall")
    page.press("input[name=q]", "Enter")
    expect(page.locator("mark.hit").first).to_be_visible()
    assert "flood" in page.locator("mark.hit").first.inner_text().lower()
    shot(page, "search")
    page.goto("/")
    page.click("text=Kessel Dam gate fails")
    expect(page.locator("h1")).to_contain_text("Kessel Dam gate fails")
    chip = page.locator(".summary a.chip").first
    anchor = chip.get_attribute("href")
    chip.click()
    assert page.url.endswith(anchor)
    cited = page.locator(":target + mark")
    expect(cited).to_be_visible()
    assert "cited" in cited.get_attribute("class")
    assert cited.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"  # the span stands out
    shot(page, "story-citation")


def test_a_conflict_opens_both_sentences_and_reuse_links_to_the_passages(page):
    page.goto("/")
    page.click("text=Kessel Dam gate fails")
    pair = page.locator("details.pair").first
    pair.locator("summary").click()
    sides = pair.locator(".side > div")
    expect(sides).to_have_count(2)
    assert all(text.strip() for text in sides.all_inner_texts())
    shot(page, "story-conflict")
    page.locator("#reuse ~ table a").first.click()
    expect(page.locator("#reused")).to_be_visible()
    also = page.locator(".passage li a").first
    expect(also).to_be_visible()
    target = also.get_attribute("href")
    shot(page, "article")
    also.click()
    assert page.url.endswith(target.split("#")[1])
    expect(page.locator(":target + mark")).to_be_visible()


def test_entity_and_sources_pages(page):
    page.goto("/search?q=Marta%20Ilves")
    page.locator(".hit-entity a").first.click()
    expect(page.locator("h1")).to_have_text("Marta Ilves")
    expect(page.locator("blockquote").first).to_contain_text("badly hurt")
    shot(page, "entity")
    page.goto("/sources")
    expect(page.locator("table.sources tr")).to_have_count(len(page.locator("table.sources tr").all()))
    assert page.locator("table.sources").inner_text().count("%") >= 3
    shot(page, "sources")


def test_hostile_titles_sources_texts_and_urls_run_nothing_and_link_nowhere(page):
    page.goto("/")
    hostile = page.locator("a.story-link", has_text="Qelvik grain terminal fire")
    expect(hostile).to_contain_text("<script>")  # shown as text
    visited = ["/", "/search?q=Qelvik", "/sources"]
    hostile.click()
    visited.append(page.url)
    article_links = page.locator("a", has_text="article page")
    visited += [article_links.nth(i).get_attribute("href") for i in range(article_links.count())]
    assert len(visited) == 6
    for n, url in enumerate(visited):
        page.goto(url)
        assert page.evaluate("window.pwned") is None, url
        assert page.locator("script:not([src='/static/app.js'])").count() == 0, url
        assert page.locator("img").count() == 0, url
        links = page.eval_on_selector_all(
            "a[href]", "as => as.map(a => new URL(a.getAttribute('href'), location).href)"
        )
        assert all(re.match(r"https?://", href) for href in links), url
        assert not [h for h in links if not h.startswith(page.url.split("/", 3)[0] + "//127.0.0.1")], url
        shot(page, f"hostile-{n}")


def test_upload_with_the_token_updates_its_story_and_without_it_is_refused(page, tmp_path):
    article = tmp_path / "qelvik-cause.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    page.goto("/upload")
    page.set_input_files("input[type=file]", str(article))
    page.fill("input[name=token]", "not-the-token-at-all")
    page.click("#upload button[type=submit]")
    expect(page.locator("h1")).to_have_text("401")
    expect(page.locator("p.error")).to_contain_text("valid token")
    shot(page, "upload-refused")
    page.goto("/")
    before = int(page.locator("tr", has_text="Qelvik grain terminal fire").locator("td").nth(1).inner_text())
    page.goto("/upload")
    page.set_input_files("input[type=file]", str(article))
    page.fill("input[name=token]", TOKEN)
    page.click("#upload button[type=submit]")
    expect(page.locator("#job .status")).to_have_text("done", timeout=SLOW_MS)
    shot(page, "upload-done")
    page.locator(".job-stories a").first.click()
    expect(page.locator("h1")).to_contain_text("Qelvik grain terminal fire")
    page.goto("/")
    row = page.locator("tr", has_text="Qelvik grain terminal fire")
    assert int(row.locator("td").nth(1).inner_text()) == before + 1
    expect(row.locator(".badge.new")).to_be_visible()  # changed since this reader's last visit
    shot(page, "story-list-updated")


def test_pages_read_without_javascript(browser, site):
    context = browser.new_context(base_url=site, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.click("text=Kessel Dam gate fails")
    expect(page.locator("#summary")).to_be_visible()
    expect(page.locator("article.text").first).to_be_visible()
    context.close()
