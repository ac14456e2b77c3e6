"""Rich tables a person reads in the terminal. Pure rendering: they take records, return renderables.

Every cell that holds data is a `terminal_text`: never read as markup, no control characters.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from storylens.engine.local import IngestSummary
from storylens.model import Skipped
from storylens.report.build import story_title
from storylens.report.safe import terminal_text
from storylens.store import Store


def ingest_summary_table(summary: IngestSummary, *, total_in_store: int, db: str) -> Table:
    table = Table(title="Ingest summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("inputs", str(summary.inputs))
    table.add_row("articles read", str(summary.read))
    table.add_row("stored (new)", f"[green]{summary.stored}[/]")
    table.add_row("duplicates (already stored)", str(summary.duplicates))
    table.add_row("skipped", f"[red]{len(summary.skipped)}[/]" if summary.skipped else "0")
    table.add_row(terminal_text(f"articles in {db}"), str(total_in_store))
    return table


def skipped_table(skipped: list[Skipped], limit: int = 50) -> Table:
    reasons = Counter(s.reason.split(":")[0] for s in skipped)
    table = Table(title=f"Skipped {len(skipped)} input(s)", title_justify="left", title_style="red")
    table.add_column("input", overflow="fold")
    table.add_column("reason", overflow="fold")
    for item in skipped[:limit]:
        table.add_row(terminal_text(item.path), terminal_text(item.reason))
    if len(skipped) > limit:
        common = ", ".join(f"{r} ({n})" for r, n in reasons.most_common(3))
        table.add_row(f"... and {len(skipped) - limit} more", terminal_text(common))
    return table


def article_table(store: Store, *, limit: int, root: str | None = None) -> Table:
    total = store.count_articles()
    table = Table(title=f"{total} article(s) in the store", title_justify="left")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("source", style="cyan")
    table.add_column("published", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("words", justify="right")
    table.add_column("read from", overflow="fold", style="dim")
    for index, art in enumerate(store.articles()):
        if index >= limit:
            table.add_row("...", "", "", f"{total - limit} more: storylens list --limit {total}", "", "")
            break
        paths = [art.path, *art.extra_paths]
        shown = [os.path.relpath(p, root) if root and p and not p.startswith("http") else p for p in paths]
        table.add_row(
            terminal_text(art.id[:10]), terminal_text(art.source) if art.source else "[dim]-[/]",
            terminal_text(art.published[:10]) if art.published else "[dim]-[/]",
            terminal_text(art.title) if art.title else "[dim](no title)[/]", str(len(art.text.split())),
            terminal_text("\n".join(filter(None, shown))),
        )  # fmt: skip
    return table


class Column(NamedTuple):
    header: str
    narrowest: int  # the width under which the column is not worth showing
    ratio: int | None = None  # its share of the width left by the others, when rows do not fit; None: numbers
    optional: bool = False  # left out when the terminal is too narrow
    style: str = ""
    wrap: bool = False  # long text that wraps rather than ends in an ellipsis


@dataclass
class FittedTable:
    """A table whose every row stays on one line at any terminal width.

    When rows are wider than the terminal, the optional columns go (the last first) until the
    rest fit at their narrowest, and the text columns share what the numbers leave, ending in an
    ellipsis. A wide terminal shows everything in full.
    """

    title: str
    columns: list[Column]
    rows: list[list[Text]] = field(default_factory=list)
    lines: bool = False  # a rule between rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        keep = [True] * len(self.columns)
        natural = [max([len(c.header), *(r[i].cell_len for r in self.rows)]) for i, c in enumerate(self.columns)]
        fits = self._width(keep, natural) <= options.max_width
        for index in reversed(range(len(self.columns))):
            if fits or self._width(keep, [c.narrowest for c in self.columns]) <= options.max_width:
                break
            keep[index] = not self.columns[index].optional
        table = Table(title=self.title, title_justify="left", expand=not fits, show_lines=self.lines)
        for column, kept in zip(self.columns, keep, strict=True):
            if kept:
                shape = {"ratio": column.ratio, "overflow": "fold" if column.wrap else "ellipsis"}
                table.add_column(column.header, style=column.style, no_wrap=not column.wrap,
                                 **(shape if column.ratio else {"justify": "right"}))  # fmt: skip
        for row in self.rows:
            table.add_row(*(cell for cell, kept in zip(row, keep, strict=True) if kept))
        yield table

    @staticmethod
    def _width(keep: list[bool], widths: list[int]) -> int:
        """The table's width with these columns, each with its border and padding."""
        return 1 + sum(3 + width for width, kept in zip(widths, keep, strict=True) if kept)


def story_table(report: dict) -> FittedTable:
    articles = {a["id"]: a for a in report["articles"]}
    table = FittedTable(
        f"{_count(len(report['stories']), 'story', 'stories')} from {_count(len(articles), 'article', 'articles')}",
        [Column("story", 30, 4), Column("articles", 8), Column("sources", 12, 2, style="cyan"),
         Column("conflicts", 9), Column("least original", 14, 1, optional=True),
         Column("reused passages", 15, optional=True), Column("quotes", 6, optional=True)],
    )  # fmt: skip
    for story in sorted(report["stories"], key=lambda s: -len(s["articles"])):
        members = [articles[i] for i in story["articles"]]
        sources = sorted({a["source"] or "unknown" for a in members})
        least = min(members, key=lambda a: a["originality"])
        name = least["source"] or os.path.basename(least["path"] or "") or least["id"][:8]
        label = f"{least['originality']:.0%} {name}" if len(members) > 1 else ""
        conflicts = len(story["conflicts"])
        table.rows.append([
            terminal_text(story["title"], one_line=True), Text(str(len(members))),
            terminal_text(", ".join(sources), one_line=True), Text(str(conflicts), style="red" if conflicts else ""),
            terminal_text(label, one_line=True), Text(str(len(story["reuse"]))), Text(str(len(story["quotes"]))),
        ])  # fmt: skip
    return table


def conflict_table(report: dict) -> FittedTable:
    """Where the sources disagree, story by story, with who said what."""
    table = FittedTable(
        "Where the sources disagree",
        [Column("story", 12, 2), Column("about", 10, 1, style="bold", wrap=True),
         Column("who says what", 20, 3, wrap=True)],
        lines=True,
    )  # fmt: skip
    for story in report["stories"]:
        for conflict in story["conflicts"]:
            table.rows.append([
                terminal_text(story["title"], one_line=True), terminal_text(conflict["about"]),
                terminal_text(conflict["explanation"]),
            ])  # fmt: skip
    return table


def failed_table(report: dict) -> Table | None:
    """The stories whose analysis failed in a step: which step, and the error, so it can be reported."""
    failed = [(s, e) for s in report["stories"] for e in s.get("errors", [])]
    if not failed:
        return None
    stories = _count(len({s["id"] for s, _ in failed}), "story", "stories")
    title = f"{stories} with a failed step (the rest of their analysis is in the report)"
    table = Table(title=title, title_justify="left", title_style="red")
    table.add_column("story", overflow="fold", max_width=40)
    table.add_column("step", style="bold")
    table.add_column("error", overflow="fold")
    for story, error in failed:
        table.add_row(terminal_text(story["title"]), terminal_text(error["stage"]), terminal_text(error["error"]))
    return table


def not_articles_table(report: dict) -> Table | None:
    """Texts that were read but are not news articles, kept out of stories, with why."""
    set_aside = report.get("not_articles", [])
    if not set_aside:
        return None
    texts = _count(len(set_aside), "text", "texts")
    table = Table(title=f"{texts} kept out of stories: not news articles", title_justify="left")
    table.add_column("read from", overflow="fold", style="dim")
    table.add_column("reason", overflow="fold")
    for item in set_aside:
        table.add_row(terminal_text(item["path"] or item["id"][:10]), terminal_text(item["reason"]))
    return table


def stored_story_table(store: Store, *, limit: int) -> FittedTable:
    """The stories in the store, the latest first, and when they were analysed."""
    story_ids = store.story_ids()[::-1]
    shown = story_ids[:limit]
    members = store.story_members(shown)
    analysed = store.result_summaries(shown)
    articles = {a.id: a for a in store.articles_by_id(a for s in shown for a, _ in members.get(s, []))}
    table = FittedTable(
        f"{_count(len(story_ids), 'story', 'stories')} in the store",
        [Column("id", 8, style="dim"), Column("story", 24, 5), Column("articles", 8),
         Column("analysed", 16), Column("sources", 12, 2, style="cyan", optional=True)],
    )  # fmt: skip
    for story_id in shown:
        own = [articles[a] for a, _ in members.get(story_id, []) if a in articles]
        when, errors = analysed.get(story_id, (None, 0))
        status = Text("not yet", style="dim") if when is None else Text(when[:16].replace("T", " "))
        if errors:
            status.append(f" {errors} failed", style="red")
        title = story_title(own) if own else ""
        sources = ", ".join(sorted({a.source or "unknown" for a in own}))
        table.rows.append([
            Text(short_id(story_id)), terminal_text(title, one_line=True), Text(str(len(own))), status,
            terminal_text(sources, one_line=True),
        ])  # fmt: skip
    if len(story_ids) > limit:
        more = f"{len(story_ids) - limit} more: storylens stories --limit {len(story_ids)}"
        table.rows.append([Text("..."), Text(more), Text(""), Text(""), Text("")])
    return table


def short_id(story_id: str) -> str:
    """What a person types to name a story (`--story c4f036d3`): enough of its hash to tell it apart."""
    return story_id.removeprefix("story-")[:8]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
