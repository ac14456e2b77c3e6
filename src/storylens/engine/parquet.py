"""`storylens load DIR`: bring the story results that `analyze --engine ray --parquet DIR` wrote into the store.

On a cluster, the workers write their results as Parquet files next to each other (a shared folder or an
object store) instead of sending them all through one process into one SQLite file; loading them is one
sequential read here. The stories must be the store's own: placement, which names the stories, stays in
the store the run used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storylens.engine.links import link
from storylens.errors import StorylensError
from storylens.store import Store

STORIES = "stories"  # the folder under DIR that holds the story results
LOAD_BATCH = 64  # stories per transaction
COLUMNS = ("story_id", "inputs", "version", "settings", "result", "errors", "names", "model", "new_ids", "new_parses")


@dataclass
class LoadSummary:
    files: int = 0
    stories: int = 0
    parses: int = 0
    # (file or story, reason) of what was not loaded
    skipped: list[tuple[str, str]] = field(default_factory=list)


def load_results(
    store: Store, folder: str | Path, on_progress: Callable[[int, int], None] | None = None
) -> LoadSummary:
    """Store every story result and parse in the Parquet files under `folder`/stories, then link the stories.
    A file that cannot be read, or a story this store does not have, is skipped with the reason."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise StorylensError("reading Parquet needs pyarrow: pip install 'storylens[ray]'") from err
    root = Path(folder) / STORIES
    files = sorted(root.rglob("*.parquet")) if root.is_dir() else []
    if not files:
        raise StorylensError(f"{folder}: no story results here (expected Parquet files in {root}/, as written by "
                             f"`storylens analyze --engine ray --parquet {folder}`)")  # fmt: skip
    summary = LoadSummary()
    known = set(store.story_ids())
    for done, file in enumerate(files, start=1):
        try:
            reader = pq.ParquetFile(file)
            missing = [c for c in COLUMNS if c not in reader.schema_arrow.names]
            if missing:
                raise ValueError(f"not a file of story results: no column {', '.join(missing)}")
            for batch in reader.iter_batches(batch_size=LOAD_BATCH, columns=list(COLUMNS)):
                _store_batch(store, batch.to_pylist(), known, summary)
        except (OSError, ValueError) as err:  # pyarrow's errors are both: a damaged or foreign file
            summary.skipped.append((str(file), f"{type(err).__name__}: {err}"))
            continue
        summary.files += 1
        if on_progress:
            on_progress(done, len(files))
    unlinked = store.unlinked()
    if unlinked:
        link(store, unlinked)
    return summary


def _store_batch(store: Store, rows: list[dict], known: set[str], summary: LoadSummary) -> None:
    ours = []
    for row in rows:
        if row["story_id"] in known:
            ours.append(row)
        else:
            summary.skipped.append((row["story_id"], "no such story in this store (loaded into another store?)"))
    for row in ours:
        parses = list(zip(row["new_ids"], row["new_parses"], strict=True))
        if parses:
            store.put_annotations(row["model"], parses)
            summary.parses += len(parses)
    results = [tuple(row[c] for c in COLUMNS[:6]) + (set(row["names"]),) for row in ours]
    store.put_results(results)
    summary.stories += len(results)
