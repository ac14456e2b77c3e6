"""Jinja2 for the pages: the web templates, and the report's story body they share; everything escaped."""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from storylens.report.highlight import segments_html
from storylens.report.safe import safe_href
from storylens.store.browse import HIT_END, HIT_START


@cache
def _env() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [jinja2.PackageLoader("storylens.web", "templates"), jinja2.PackageLoader("storylens.report", "templates")]
    )
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["marked"] = segments_html
    env.filters["hit"] = hit_html
    return env


def render(template: str, **context: object) -> str:
    return _env().get_template(template).render(**context)


def hit_html(snippet: str) -> Markup:
    """A search snippet escaped, with its matched words in <mark>."""
    text = str(escape(snippet))
    return Markup(text.replace(HIT_START, '<mark class="hit">').replace(HIT_END, "</mark>"))


def plain(snippet: str) -> str:
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


def static_text(name: str) -> str:
    return (resources.files("storylens.web") / "static" / name).read_text(encoding="utf-8")
