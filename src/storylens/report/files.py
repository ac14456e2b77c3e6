"""`analyze --out DIR`: JSON, Markdown and HTML for each story, and an index page.

The folder is complete or untouched. One storylens made (or a new or empty one) is built beside
itself and swapped in whole, so pages of stories from an earlier run do not linger. Into any other
folder, which may hold a person's own files, each file is written atomically and `index.html` last;
nothing else there is removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from storylens.report import atomic, html, markdown
from storylens.report.json import write

ID_CHARS = 64  # enough for any id storylens makes (`story-` and a hash); longer ids rely on the collision check


def story_files(stories: list[dict]) -> dict[str, str]:
    """Each story id -> the stem of its files, the title's words and the whole id: unique, whatever the case."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for story in stories:
        words = re.sub(r"[^a-z0-9]+", "-", story["title"].lower()).strip("-")[:50].strip("-") or "story"
        stem = base = f"{words}-{re.sub(r'[^A-Za-z0-9]+', '-', story['id']).strip('-')[:ID_CHARS]}"
        n = 1
        while stem.lower() in taken:  # ids that differ only in case or punctuation (`a/b`, `a?b`)
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.lower())
        stems[story["id"]] = stem
    return stems


def story_report(report: dict, story: dict) -> dict:
    """The report cut down to one story, its articles and those of claims it compares: the same schema."""
    wanted = set(story["articles"]) | {c["article"] for c in story["claims"]}
    return {**report, "articles": [a for a in report["articles"] if a["id"] in wanted], "stories": [story]}


def write_all(report: dict, out_dir: str | Path) -> list[Path]:
    """Every file is validated as it is written (`report.json.write`). Returns index.html first."""
    out = Path(out_dir)
    if atomic.is_own_folder(out):
        build = atomic.new_folder(out)
        names = _write_files(report, build)
        if atomic.replace_folder(build, out):
            return [out / name for name in names]
    out.mkdir(parents=True, exist_ok=True)
    return [out / name for name in _write_files(report, out)]


def _write_files(report: dict, out: Path) -> list[str]:
    stems = story_files(report["stories"])
    written = []
    for story in report["stories"]:
        stem = stems[story["id"]]
        one = story_report(report, story)
        write(one, str(out / f"{stem}.json"))
        atomic.write_text(out / f"{stem}.md", markdown.render_story(one, story))
        atomic.write_text(out / f"{stem}.html", html.render_story(one, story))
        written += [f"{stem}.{ext}" for ext in ("json", "md", "html")]
    write(report, str(out / "report.json"), stories_checked=True)
    atomic.write_text(out / "index.html", html.render_index(report, {i: f"{s}.html" for i, s in stems.items()}))
    return ["index.html", "report.json", *written]
