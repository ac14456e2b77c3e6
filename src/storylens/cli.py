"""`storylens ingest | list | demo`: parses arguments and calls the engine, the store and the views."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from storylens.engine.local import BATCH_SIZE, IngestSummary, Reader, ingest
from storylens.errors import ModelError, StoreError, StorylensError
from storylens.ingest.skipped import write_skipped
from storylens.model import AnalysisSettings
from storylens.report.files import write_all
from storylens.report.json import write as write_json
from storylens.report.safe import markup
from storylens.store import Store
from storylens.views import (
    article_table,
    conflict_table,
    failed_table,
    ingest_summary_table,
    not_articles_table,
    skipped_table,
    stored_story_table,
    story_table,
)

if TYPE_CHECKING:
    from storylens.engine.analyze import AnalyzeSummary, WorkersFor

DEFAULT_DB = os.environ.get("STORYLENS_DB", "storylens.db")
# more inputs than this get a progress bar
PROGRESS_MIN_INPUTS = 3
INSTALL_WEB = "pip install 'storylens[web]'"
SKIPPED_SHOWN = 50  # skipped inputs listed in the terminal; --skipped FILE gets them all

EXIT_CODES = """\b
Exit codes:
  0  every input was read
  2  the command line is wrong
  3  some inputs were skipped (each is listed with the reason); the rest is stored
  4  nothing could be read
  5  the store file cannot be used"""

err_console = Console(stderr=True)
console = Console()

db_option = click.option(
    "--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="SQLite store file (or set STORYLENS_DB).",
)  # fmt: skip
skipped_option = click.option(
    "--skipped", "skipped_path", type=click.Path(dir_okay=False),
    help="Write every skipped input and its reason to this file (tab-separated).",
)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storylens")
def main() -> None:
    """Turn a pile of news articles from many outlets into an honest picture of each story."""


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--max-size", default=100.0, show_default=True, help="Skip inputs larger than this many MB.")
@click.option(
    "--field", "fields", multiple=True, metavar="NAME=FIELD",
    help="For JSON inputs: read NAME (text, title, url, published, source) from FIELD. Repeatable.",
)  # fmt: skip
@click.option("--jobs", type=int, default=None, help="Worker processes (default: one per core).")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Articles stored per transaction.")
@skipped_option
def ingest_cmd(
    paths: tuple[str, ...], db: str, max_size: float, fields: tuple[str, ...], jobs: int | None, batch_size: int,
    skipped_path: str | None,
) -> None:  # fmt: skip
    """Read files, folders (recursively), feeds, web archives and http(s) URLs into the store.

    Reads plain text and Markdown, HTML, JSON and JSON Lines, RSS and Atom, WARC(.gz).
    The same text read twice is stored once, with every path it was read from.
    """
    mapping = _parse_fields(fields)
    summary = _run_ingest(list(paths), db, max_bytes=int(max_size * 1024 * 1024), fields=mapping, jobs=jobs,
                          batch_size=batch_size, skipped_path=skipped_path)  # fmt: skip
    sys.exit(summary.exit_code)


main.add_command(ingest_cmd, name="ingest")


@main.command(
    epilog=EXIT_CODES + "\n  3  also: the analysis of some story failed in a step (listed, and in the report)"
)
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the report as JSON to this file.")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), help="Write JSON, Markdown and HTML per story here."
)
@click.option("--model", default=None, help="spaCy pipeline (package name or path); default en_core_web_sm.")
@click.option("--budget", default=120, show_default=True, help="Words in each story's summary.")
@click.option("--max-size", default=100.0, show_default=True, help="Skip inputs larger than this many MB.")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: one per core).")
@click.option("--window", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="An article joins a story only within this many days of it (default 7).")  # fmt: skip
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where parsing and the story stage run: processes here, or Ray (pip install 'storylens[ray]').",
)
@click.option(
    "--address",
    default=None,
    metavar="ADDR",
    help="With --engine ray: the Ray cluster to join (e.g. 10.0.0.5:6379); default: start Ray here.",
)
@click.option(
    "--parquet",
    "parquet_dir",
    default=None,
    metavar="DIR",
    help="With --engine ray: workers write story results to Parquet files in DIR (a folder or URI they can all "
    "reach) instead of the store; `storylens load DIR` brings them in.",
)
@skipped_option
def analyze(
    paths: tuple[str, ...], db: str, json_path: str | None, out_dir: str | None, model: str | None, budget: int,
    max_size: float, jobs: int | None, window: int | None, engine: str, address: str | None,
    parquet_dir: str | None, skipped_path: str | None,
) -> None:  # fmt: skip
    """Read PATHS into the store, then find their stories, reuse, quotes, numbers, conflicts and summaries.

    The report covers every story the given articles belong to. Each story's analysis is kept in the
    store: a second run on the same files analyses nothing, and new files redo only the stories they join.
    """
    settings = AnalysisSettings(model=model, jobs=jobs, budget_words=budget, window_days=window)
    workers_for = _engine(engine, address, parquet_dir)
    reader = None
    if workers_for is not None:  # Ray reads many small inputs on its workers too
        from storylens.engine.ray_read import ray_reader

        reader = ray_reader(address, settings.jobs)
    summary = _run_ingest(list(paths), db, max_bytes=int(max_size * 1024 * 1024), fields={}, jobs=settings.jobs,
                          batch_size=settings.batch_size, skipped_path=skipped_path, reader=reader)  # fmt: skip
    if summary.read == 0:
        sys.exit(summary.exit_code)
    with _open_store(db) as store:
        ids = store.ids_for_paths(paths)
        run = _run_analysis(store, ids, settings, workers_for)
        if parquet_dir:
            console.print(f"Story results in [bold]{markup(parquet_dir)}/[/]; bring them into the store with "
                          f"`storylens load {markup(parquet_dir)} --db {markup(db)}`")  # fmt: skip
            sys.exit(summary.exit_code)
        report = _report(store, run.stories, ids)
    _show_report(report)
    _write_reports(report, json_path, out_dir)
    sys.exit(summary.exit_code or (3 if run.failed else 0))


@main.command(name="report")
@db_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the report as JSON to this file.")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), help="Write JSON, Markdown and HTML per story here."
)
@click.option(
    "--story", "story_ids", multiple=True, metavar="ID",
    help="Only this story: its id as `storylens stories` shows it, or the start of it. Repeatable.",
)  # fmt: skip
def report_cmd(db: str, json_path: str | None, out_dir: str | None, story_ids: tuple[str, ...]) -> None:
    """Write reports of the stories analysed in the store, without analysing anything.

    Stories whose articles changed since they were analysed are reported as they were then; run
    `storylens analyze` on the new files to bring them up to date.
    """
    with _open_store(db, existing=True) as store:
        known = store.story_ids()
        chosen = _choose_stories(known, story_ids)
        report = _report(store, chosen, [])
    if not report["stories"]:
        err_console.print("[red]error:[/] no analysed story to report; run `storylens analyze PATH...` first")
        sys.exit(4)
    _show_report(report)
    _write_reports(report, json_path, out_dir)


@main.command(name="stories")
@db_option
@click.option("--limit", default=50, show_default=True, help="Show at most this many stories.")
def stories_cmd(db: str, limit: int) -> None:
    """List the stories in the store, the latest first: size, sources, whether they are analysed."""
    with _open_store(db, existing=True) as store:
        console.print(stored_story_table(store, limit=limit))


@main.command(name="watch")
@click.argument("target", type=click.Path(exists=True))
@db_option
@click.option("--every", default="10m", show_default=True, help="How often to poll: 90s, 10m, 2h.")
@click.option("--once", is_flag=True, help="Poll once, read and analyse what changed, and stop.")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: one per core).")
def watch_cmd(target: str, db: str, every: str, once: bool, jobs: int | None) -> None:
    """Poll the feed and page URLs listed in TARGET (one a line), or the files of folder TARGET, and read and
    analyse only what is new.

    URLs are asked for conditionally (ETag, Last-Modified); a source that fails is tried again later, less
    often after each failure in a row, while the others go on. Only the stories new articles join are
    analysed again.
    """
    from storylens.engine.watch import parse_every, poll, watched_sources

    try:
        seconds = parse_every(every)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--every") from None
    sources = watched_sources(Path(target))
    if not sources:
        raise click.BadParameter(f"{target} lists no source to watch", param_hint="TARGET")
    spool = Path(db).with_name(Path(db).name + ".watch")
    settings = AnalysisSettings(jobs=jobs)
    while True:
        with _open_store(db) as store:
            polled = poll(store, sources, spool, seconds)
        for source, reason in polled.errors:
            err_console.print(f"[yellow]{markup(source)}[/]: {markup(reason)} (tried again later)")
        updated = 0
        if polled.changed:
            _run_ingest(polled.changed, db, max_bytes=100 * 1024 * 1024, fields={}, jobs=jobs)
            with _open_store(db) as store:
                updated = len(_run_analysis(store, store.ids_for_paths(polled.changed), settings).stories)
        console.print(
            f"{len(polled.changed)} changed, {polled.unchanged} unchanged, {polled.waiting} waiting after errors, "
            f"{len(polled.errors)} failed; {updated} stories brought up to date"
        )
        if once:
            sys.exit(3 if polled.errors else 0)
        time.sleep(seconds)


@main.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--token", envvar="STORYLENS_TOKEN", default=None,
    help="Token every write (adding articles) needs, sent as `Authorization: Bearer TOKEN` (or set "
    "STORYLENS_TOKEN). Without one the server takes no writes.",
)  # fmt: skip
@click.option("--public", is_flag=True, help="Allow listening on an address other than loopback.")
@click.option("--max-upload", default=20.0, show_default=True, help="Largest request body, in MB.")
@click.option(
    "--watch", "watch_target", type=click.Path(exists=True),
    help="Poll the URLs listed in this file (one a line), or the files of this folder, as `storylens watch` does.",
)  # fmt: skip
@click.option("--every", default="10m", show_default=True, help="How often --watch polls: 90s, 10m, 2h.")
def serve_cmd(
    db: str, host: str, port: int, token: str | None, public: bool, max_upload: float, watch_target: str | None,
    every: str,
) -> None:  # fmt: skip
    """Serve the stories in the store as a web app with an HTTP API (needs the `web` extra)."""
    try:
        from storylens.web.config import ServeConfig, is_loopback
        from storylens.web.server import serve
    except ImportError as err:
        err_console.print(f"[red]error:[/] the web app needs the `web` extra ({markup(err)}): {markup(INSTALL_WEB)}")
        sys.exit(2)
    if not is_loopback(host) and not public:
        raise click.BadParameter(
            f"{host} is not a loopback address: anyone who can reach it could read the store; add --public "
            "if that is what you want",
            param_hint="--host",
        )
    if token is not None and len(token) < 16:
        raise click.BadParameter("use a token of at least 16 characters", param_hint="--token")
    _open_store(db).close()  # a damaged or foreign file is a clear error before the server starts
    from storylens.engine.watch import parse_every

    try:
        every_s = parse_every(every)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--every") from None
    config = ServeConfig(
        Path(db), token=token, max_request_bytes=int(max_upload * 1024 * 1024), public=public,
        watch=Path(watch_target) if watch_target else None, watch_every_s=every_s,
    )  # fmt: skip
    serve(config, host, port)


@main.command(name="export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv", show_default=True,
              help="File format of the tables (parquet needs the [parquet] extra).")  # fmt: skip
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the tables.")
@click.option("--table", "tables", multiple=True, metavar="NAME",
              help="Only this table (articles, stories, entities, quotes, claims, claim_groups, "
                   "claim_group_members, reuse). Repeatable.")  # fmt: skip
@click.option("--datasette", is_flag=True, help="Also write datasette-metadata.json, labelling the store's tables.")
def export_cmd(db: str, fmt: str, out_dir: str, tables: tuple[str, ...], datasette: bool) -> None:
    """Write the analysed stories in the store as flat tables, one file per table, whose ids join.

    Articles, stories, entities, quotes, claims, agreements and conflicts (claim_groups and their
    claim_group_members) and reuse alignments, with the JSON report's field names.
    """
    from storylens.errors import ExportError
    from storylens.export.datasette import write_store_metadata
    from storylens.export.files import write_tables
    from storylens.export.tables import TABLES, report_rows

    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise click.BadParameter(f"no table {unknown[0]!r}; the tables are {', '.join(TABLES)}", param_hint="--table")
    with _open_store(db, existing=True) as store:
        report = _report(store, store.story_ids(), [])
    if not report["stories"]:
        err_console.print("[red]error:[/] no analysed story to export; run `storylens analyze PATH...` first")
        sys.exit(4)
    rows = {name: table for name, table in report_rows(report).items() if not tables or name in tables}
    try:
        written = write_tables(rows, fmt, out_dir)
    except ExportError as err:
        err_console.print(f"[red]error:[/] {markup(err)}")
        sys.exit(2)
    for path in written:
        console.print(f"{len(rows[path.stem]):>6} rows  {markup(str(path))}", soft_wrap=True)
    if datasette:
        metadata = write_store_metadata(db, out_dir)
        console.print(f"Browse the store: [bold]datasette {markup(db)} -m {markup(str(metadata))}[/]", soft_wrap=True)


def _choose_stories(known: list[str], wanted: tuple[str, ...]) -> list[str]:
    if not wanted:
        return known
    chosen = []
    for prefix in wanted:
        matches = [s for s in known if s.startswith(prefix) or s.removeprefix("story-").startswith(prefix)]
        if len(matches) != 1:
            why = "no story" if not matches else f"{len(matches)} stories"
            raise click.BadParameter(f"{why} with id {prefix!r}; `storylens stories` lists them", param_hint="--story")
        chosen.append(matches[0])
    return chosen


def _engine(name: str, address: str | None, parquet_dir: str | None) -> WorkersFor | None:
    """The engine's `workers_for`, None for the local one; a missing Ray is told before anything is read."""
    if name == "local":
        for option, given in (("--address", address), ("--parquet", parquet_dir)):
            if given:
                raise click.BadParameter(f"{option} is for --engine ray", param_hint=option)
        return None
    from storylens.engine.ray import RayNotInstalled, import_ray, ray_workers

    try:
        import_ray()
    except RayNotInstalled as err:
        err_console.print(f"[red]error:[/] {markup(err)}")
        sys.exit(2)
    return ray_workers(address, parquet_dir)


@main.command(name="load")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@db_option
def load_cmd(folder: str, db: str) -> None:
    """Bring the story results that `analyze --engine ray --parquet FOLDER` wrote into the store (the one that
    run used), and link the stories; `storylens report` then shows them."""
    from storylens.engine.parquet import load_results

    with _open_store(db) as store:
        try:
            loaded = load_results(store, folder)
        except StorylensError as err:
            err_console.print(f"[red]error:[/] {markup(err)}")
            sys.exit(4)
    for what, reason in loaded.skipped[:SKIPPED_SHOWN]:
        err_console.print(f"skipped {markup(what)}: {markup(reason)}")
    console.print(f"Loaded {loaded.stories} stories and {loaded.parses} parses from {loaded.files} Parquet files.")
    sys.exit(3 if loaded.skipped else 0)


def _run_analysis(
    store: Store, ids: list[str], settings: AnalysisSettings, workers_for: WorkersFor | None = None
) -> AnalyzeSummary:
    # imported here: spaCy and the stages take a second to import, which `ingest` and `list` need not pay
    from storylens.engine.analyze import analyze as analyze_stories
    from storylens.engine.analyze import local_workers

    with _progress() as progress:
        try:
            return analyze_stories(store, ids, settings, progress=progress, workers_for=workers_for or local_workers)
        except ModelError as err:
            err_console.print(f"[red]error:[/] {markup(err)}")
            sys.exit(5)


def _report(store: Store, story_ids: list[str], ids: list[str]) -> dict:
    """The report of these stories from the store, with the texts among `ids` that are not articles."""
    from storylens.engine.analyze import analyzed_stories
    from storylens.report.build import build_report

    return build_report(*analyzed_stories(store, story_ids, ids))


def _show_report(report: dict) -> None:
    console.print(story_table(report))
    for table in (failed_table(report), not_articles_table(report)):
        if table is not None:
            console.print(table)


def _write_reports(report: dict, json_path: str | None, out_dir: str | None) -> None:
    if json_path:
        write_json(report, json_path)
        console.print(f"JSON report: [bold]{markup(json_path)}[/]")
    if out_dir and report["stories"]:
        written = write_all(report, out_dir)
        console.print(
            f"Reports for {len(report['stories'])} stories in [bold]{markup(out_dir)}/[/]; open {markup(written[0])}"
        )


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """One bar per phase (`stories`, `analyze`), with counts and the time left."""
    with Progress(
        TextColumn("[bold]{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("eta"), TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def on_progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(phase, total=total)
            progress.update(tasks[phase], completed=done, total=total)

        yield on_progress


@main.command(name="list")
@db_option
@click.option("--limit", default=50, show_default=True, help="Show at most this many articles.")
def list_cmd(db: str, limit: int) -> None:
    """Show the articles in the store."""
    with _open_store(db, existing=True) as store:
        console.print(article_table(store, limit=limit))


@main.command()
@click.option(
    "--db", default="storylens-demo.db", show_default=True, type=click.Path(dir_okay=False),
    help="Store file the demo writes.",
)  # fmt: skip
@click.option("--out", "out_dir", default="storylens-demo", show_default=True, help="Folder for the reports.")
def demo(db: str, out_dir: str) -> None:
    """Analyse the bundled sample (fictional outlets, four stories) and write its reports."""
    with resources.as_file(resources.files("storylens") / "sample") as sample:
        console.rule("[bold]storylens demo: the bundled sample of fictional news")
        summary = _run_ingest([str(sample)], db, max_bytes=100 * 1024 * 1024, fields={}, jobs=None)
        with _open_store(db) as store:
            console.print(article_table(store, limit=100, root=str(sample)))
            ids = store.ids_for_paths([str(sample)])
            run = _run_analysis(store, ids, AnalysisSettings())
            report = _report(store, run.stories, ids)
    _show_report(report)
    console.print(conflict_table(report))
    written = write_all(report, out_dir)
    console.print(f"\nReports (JSON, Markdown, HTML) for {len(report['stories'])} stories in "
                  f"[bold]{markup(out_dir)}/[/]. Open [bold]{markup(written[0])}[/] in a browser.")  # fmt: skip
    sys.exit(summary.exit_code or (3 if run.failed else 0))


def _run_ingest(
    paths: list[str], db: str, *, max_bytes: int, fields: dict, jobs: int | None, batch_size: int = BATCH_SIZE,
    skipped_path: str | None = None, reader: Reader | None = None,
) -> IngestSummary:  # fmt: skip
    with _open_store(db) as store:
        with Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("inputs · {task.fields[stored]} new articles"), TimeElapsedColumn(),
            console=err_console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("ingest", total=None, stored=0, visible=False)

            def on_start(total: int) -> None:
                progress.update(task, total=total, visible=total > PROGRESS_MIN_INPUTS)

            def on_progress(done: int, summary: IngestSummary) -> None:
                progress.update(task, completed=done, stored=summary.stored + _pending(summary))

            try:
                summary = ingest(paths, store, max_bytes=max_bytes, fields=fields, jobs=jobs, batch_size=batch_size,
                                 on_start=on_start, on_progress=on_progress, reader=reader)  # fmt: skip
            except StoreError as err:  # disk full, or damaged under us: the batches committed before stay
                err_console.print(f"[red]error:[/] {markup(err)}")
                sys.exit(5)
        total = store.count_articles()
    console.print(ingest_summary_table(summary, total_in_store=total, db=db))
    if summary.skipped:
        err_console.print(skipped_table(summary.skipped, limit=SKIPPED_SHOWN))
    if skipped_path:
        write_skipped(summary.skipped, skipped_path)
        err_console.print(f"All {len(summary.skipped)} skipped inputs and reasons: {markup(skipped_path)}")
    elif len(summary.skipped) > SKIPPED_SHOWN:
        err_console.print(f"{SKIPPED_SHOWN} of {len(summary.skipped)} skipped inputs shown; --skipped FILE lists all")
    return summary


def _pending(summary: IngestSummary) -> int:
    """Articles read but not yet committed, so the bar does not stall between batches."""
    return summary.read - summary.stored - summary.duplicates


def _open_store(db: str, *, existing: bool = False) -> Store:
    """The store at `db`; with `existing`, for commands that only read it, a path with no file is an error
    (a mistyped --db would otherwise leave an empty store behind and report that it holds nothing)."""
    if existing and not Path(db).exists():
        made_by = f"`storylens ingest PATH... --db {markup(db)}`"
        err_console.print(f"[red]error:[/] no store at {markup(db)}; {made_by} makes one")
        sys.exit(4)
    try:
        return Store(db)
    except StoreError as err:
        err_console.print(f"[red]error:[/] {markup(err)}")
        sys.exit(5)


def _parse_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        name, sep, field = pair.partition("=")
        if not sep or name not in {"text", "title", "url", "published", "source"} or not field:
            raise click.BadParameter(f"{pair!r}: expected NAME=FIELD, NAME one of text, title, url, published, source")
        mapping[name] = field
    return mapping


if __name__ == "__main__":
    main()
