"""`analyze --out DIR`: JSON, Markdown and HTML for each story, and an index page."""

from __future__ import annotations

import re
from pathlib import Path

from storylens.report import html, markdown
from storylens.report.json import write


def story_slug(story: dict) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", story["title"].lower()).strip("-")[:50].strip("-")
    return f"{words or 'story'}-{story['id'][:8]}"


def story_report(report: dict, story: dict) -> dict:
    """The report cut down to one story, its articles and those of claims it compares: the same schema."""
    wanted = set(story["articles"]) | {c["article"] for c in story["claims"]}
    return {**report, "articles": [a for a in report["articles"] if a["id"] in wanted], "stories": [story]}


def write_all(report: dict, out_dir: str | Path) -> list[Path]:
    """Every file is validated as it is written (`report.json.write`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written, pages = [], {}
    for story in report["stories"]:
        slug = story_slug(story)
        pages[story["id"]] = f"{slug}.html"
        one = story_report(report, story)
        write(one, str(out / f"{slug}.json"))
        (out / f"{slug}.md").write_text(markdown.render_story(one, story), encoding="utf-8")
        (out / f"{slug}.html").write_text(html.render_story(one, story), encoding="utf-8")
        written += [out / f"{slug}.{ext}" for ext in ("json", "md", "html")]
    (out / "index.html").write_text(html.render_index(report, pages), encoding="utf-8")
    write(report, str(out / "report.json"))
    return [out / "index.html", out / "report.json", *written]
