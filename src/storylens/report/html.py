"""One self-contained HTML file per story (inline CSS and SVG, nothing fetched), and an index page."""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from storylens.report.highlight import segments_html
from storylens.report.safe import safe_href
from storylens.report.view import story_view


@cache
def _env() -> jinja2.Environment:
    loader = jinja2.PackageLoader("storylens.report", "templates")
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["marked"] = segments_html
    return env


@cache
def css() -> str:
    """The reports' stylesheet (the web app serves it too)."""
    return (resources.files("storylens.report") / "templates" / "base.css").read_text(encoding="utf-8")


def render_story(report: dict, story: dict) -> str:
    view = story_view(report, story)
    sources = sorted({a.label for a in view.articles})
    dates = sorted(a.article["published"][:10] for a in view.articles if a.article.get("published"))
    return (
        _env()
        .get_template("story.html.j2")
        .render(
            story=story, v=view, sources=sources, dates=dates, css=css(), generated=report.get("generated_at", "")[:16]
        )
    )


def render_story_body(report: dict, story: dict, *, links: bool = False) -> Markup:
    """A story's sections without the page around them; `links` adds links to the web app's article pages."""
    view = story_view(report, story)
    return Markup(_env().get_template("story_body.html.j2").render(story=story, v=view, links=links))


def render_index(report: dict, files: dict[str, str]) -> str:
    """`files` maps a story id to the file name of its page."""
    articles = {a["id"]: a for a in report["articles"]}
    rows = [
        {
            "title": s["title"],
            "file": files[s["id"]],
            "articles": len(s["articles"]),
            "sources": sorted({articles[i].get("source") or "unknown" for i in s["articles"]}),
            "conflicts": len(s["conflicts"]),
            "quotes": len(s["quotes"]),
            "dates": len(s["timeline"]),
        }
        for s in sorted(report["stories"], key=lambda s: -len(s["articles"]))
    ]
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            stories=rows,
            article_count=len(report["articles"]),
            css=css(),
            generated=report.get("generated_at", "")[:16],
        )
    )
