"""The in-process engine: reads inputs with a process pool and stores them batch by batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from storylens.engine.workers import die_with_parent
from storylens.ingest import read_one
from storylens.ingest.sources import DEFAULT_MAX_BYTES, expand, is_url
from storylens.model import Article, Skipped
from storylens.store import Store

BATCH_SIZE = 500
# below this many inputs, starting worker processes costs more than it saves
POOL_THRESHOLD = 32
# a file bigger than this is read in this process rather than in a worker (see `read_all`)
STREAM_HERE_BYTES = 16 * 1024 * 1024


@dataclass
class IngestSummary:
    inputs: int = 0
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: everything read; 3: some inputs skipped; 4: nothing could be read."""
        if not self.skipped:
            return 0
        return 4 if self.read == 0 else 3


Progress = Callable[[int, "IngestSummary"], None]
# reads inputs (names, max_bytes, fields, jobs) and yields what each holds, in input order
Reader = Callable[[list[str], int, dict, int | None], Iterator[Iterable[Article | Skipped]]]


def ingest(
    paths: list[str],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fields: dict[str, str] | None = None,
    jobs: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_progress: Progress | None = None,
    reader: Reader | None = None,
) -> IngestSummary:
    """Read every input under `paths` into the store, one transaction per batch of articles.

    `on_start(total_inputs)` and `on_progress(inputs_done, summary)` let a caller draw progress; `reader`
    reads the inputs (default: `read_all`, here and in a process pool).
    """
    summary = IngestSummary()
    names: list[str] = []
    for item in expand(paths):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
        else:
            names.append(item)
    summary.inputs = len(names) + len(summary.skipped)
    if on_start:
        on_start(len(names))
    batch: list[Article] = []
    read = reader or read_all
    for done, results in enumerate(read(names, max_bytes, fields or {}, jobs), start=1):
        for item in results:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            summary.read += 1
            batch.append(item)
            if len(batch) >= batch_size:
                _commit(store, batch, summary)
        if on_progress:
            on_progress(done, summary)
    _commit(store, batch, summary)
    return summary


def _commit(store: Store, batch: list[Article], summary: IngestSummary) -> None:
    if batch:
        result = store.add_articles(batch)
        summary.stored += result.stored
        summary.duplicates += result.duplicates
        batch.clear()


def read_all(names: list[str], max_bytes: int, fields: dict, jobs: int | None) -> Iterator[Iterable]:
    """Results per input, in input order; in worker processes when there are many inputs.

    An input's results are streamed when it is read here; a worker sends them back as one list,
    so a big file is read here even with a pool, its articles stored batch by batch as they come.
    """
    options = {"fields": fields}
    stream = partial(read_one, max_bytes=max_bytes, options=options)
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(names) < POOL_THRESHOLD:
        yield from map(stream, names)
        return
    big = {name for name in names if is_big(name)}
    reader = partial(_read_to_list, max_bytes=max_bytes, options=options)
    with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        small = pool.map(reader, [name for name in names if name not in big], chunksize=8)
        for name in names:
            yield stream(name) if name in big else next(small)


def is_big(name: str) -> bool:
    try:
        return not is_url(name) and os.stat(name).st_size > STREAM_HERE_BYTES
    except OSError:
        return False


def _read_to_list(name: str, *, max_bytes: int, options: dict) -> list[Article | Skipped]:
    return list(read_one(name, max_bytes=max_bytes, options=options))
