"""Rich tables a person reads in the terminal. Pure rendering: they take records, return renderables."""

from __future__ import annotations

import os
from collections import Counter

from rich.markup import escape
from rich.table import Table

from storylens.engine.local import IngestSummary
from storylens.model import Skipped
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
    table.add_row(f"articles in {db}", str(total_in_store))
    return table


def skipped_table(skipped: list[Skipped], limit: int = 50) -> Table:
    reasons = Counter(s.reason.split(":")[0] for s in skipped)
    table = Table(title=f"Skipped {len(skipped)} input(s)", title_justify="left", title_style="red")
    table.add_column("input", overflow="fold")
    table.add_column("reason", overflow="fold")
    for item in skipped[:limit]:
        table.add_row(item.path, item.reason)
    if len(skipped) > limit:
        common = ", ".join(f"{r} ({n})" for r, n in reasons.most_common(3))
        table.add_row(f"... and {len(skipped) - limit} more", common)
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
            art.id[:10], art.source or "[dim]-[/]", (art.published or "")[:10] or "[dim]-[/]",
            art.title or "[dim](no title)[/]", str(len(art.text.split())), "\n".join(filter(None, shown)),
        )  # fmt: skip
    return table


def story_table(report: dict) -> Table:
    articles = {a["id"]: a for a in report["articles"]}
    table = Table(title=f"{len(report['stories'])} stories from {len(articles)} articles", title_justify="left")
    table.add_column("story", overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("sources", overflow="fold", style="cyan")
    table.add_column("reused passages", justify="right")
    table.add_column("quotes", justify="right")
    table.add_column("conflicts", justify="right")
    table.add_column("least original", overflow="fold")
    for story in sorted(report["stories"], key=lambda s: -len(s["articles"])):
        members = [articles[i] for i in story["articles"]]
        sources = sorted({a["source"] or "unknown" for a in members})
        least = min(members, key=lambda a: a["originality"])
        name = least["source"] or os.path.basename(least["path"] or "") or least["id"][:8]
        label = f"{name} ({least['originality']:.0%})" if len(members) > 1 else ""
        conflicts = len(story["conflicts"])
        table.add_row(
            story["title"], str(len(members)), ", ".join(sources), str(len(story["reuse"])), str(len(story["quotes"])),
            f"[red]{conflicts}[/]" if conflicts else "0", label,
        )  # fmt: skip
    return table


def conflict_table(report: dict) -> Table:
    """Where the sources disagree, story by story, with who said what."""
    table = Table(title="Where the sources disagree", title_justify="left", show_lines=True)
    table.add_column("story", overflow="fold", max_width=30)
    table.add_column("about", overflow="fold", style="bold")
    table.add_column("who says what", overflow="fold")
    for story in report["stories"]:
        for conflict in story["conflicts"]:
            table.add_row(story["title"], conflict["about"], conflict["explanation"])
    return table


def failed_table(report: dict) -> Table | None:
    """The stories whose analysis failed in a step: which step, and the error, so it can be reported."""
    failed = [(s, e) for s in report["stories"] for e in s.get("errors", [])]
    if not failed:
        return None
    table = Table(title=f"{len({s['id'] for s, _ in failed})} story(ies) with a failed step "
                  "(the rest of their analysis is in the report)", title_justify="left", title_style="red")  # fmt: skip
    table.add_column("story", overflow="fold", max_width=40)
    table.add_column("step", style="bold")
    table.add_column("error", overflow="fold")
    for story, error in failed:
        table.add_row(escape(story["title"]), escape(error["stage"]), escape(error["error"]))
    return table


def not_articles_table(report: dict) -> Table | None:
    """Texts that were read but are not news articles, kept out of stories, with why."""
    set_aside = report.get("not_articles", [])
    if not set_aside:
        return None
    table = Table(title=f"{len(set_aside)} text(s) kept out of stories: not news articles", title_justify="left")
    table.add_column("read from", overflow="fold", style="dim")
    table.add_column("reason", overflow="fold")
    for item in set_aside:
        table.add_row(escape(item["path"] or item["id"][:10]), escape(item["reason"]))
    return table


def stored_story_table(store: Store, *, limit: int) -> Table:
    """The stories in the store, the latest first, and when they were analysed."""
    story_ids = store.story_ids()[::-1]
    shown = story_ids[:limit]
    members = store.story_members(shown)
    analysed = store.result_summaries(shown)
    articles = {a.id: a for a in store.articles_by_id(a for s in shown for a, _ in members.get(s, []))}
    table = Table(title=f"{len(story_ids)} story(ies) in the store", title_justify="left")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("story", overflow="ellipsis", no_wrap=True, max_width=60)
    table.add_column("articles", justify="right")
    table.add_column("sources", overflow="ellipsis", no_wrap=True, max_width=30, style="cyan")
    table.add_column("analysed", no_wrap=True)
    for story_id in shown:
        own = [articles[a] for a, _ in members.get(story_id, []) if a in articles]
        when, errors = analysed.get(story_id, (None, 0))
        status = "[dim]not yet[/]" if when is None else when[:16].replace("T", " ")
        if errors:
            status += f" [red]({errors} failed step(s))[/]"
        sources = sorted({a.source or "unknown" for a in own})
        title = next((a.title for a in own if a.title), None) or (own[0].text[:80] if own else "")
        table.add_row(story_id[:12], escape(title), str(len(own)), escape(", ".join(sources)), status)
    if len(story_ids) > limit:
        table.add_row("...", f"{len(story_ids) - limit} more: storylens stories --limit {len(story_ids)}", "", "", "")
    return table
