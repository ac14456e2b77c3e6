"""The worker processes of `analyze`: each loads the spaCy pipeline once and opens the store.

Workers parse articles and store the parses themselves (one transaction per batch; SQLite serialises
writers), so that parsing runs while the main process places articles into stories. Then they run the
per-story stage and hand each result back. For a small job everything runs in this process instead:
starting workers, each loading spaCy, would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from storylens.engine.stage import UNAVAILABLE, story_stage
from storylens.engine.stories import place_new_articles
from storylens.engine.workers import die_with_parent
from storylens.model import StageError, Story, StoryResult
from storylens.store import Store

PARSE_CHUNK = 8  # articles a worker parses and stores per task
IN_FLIGHT_PER_WORKER = 4  # story tasks queued per worker: enough to keep it busy, few enough to bound memory
WORKER_DIED = "worker"
RETRIED = {WORKER_DIED, UNAVAILABLE}

# (story, its result, seconds per phase, parses made)
Finished = tuple[Story, StoryResult, dict[str, float], int]


class Workers:
    """`jobs` worker processes for the store `db` and the pipeline `model`, started for the first piece of
    work of at least `threshold` articles; smaller work, and all work when `jobs` is 1, runs in this process."""

    def __init__(self, db: str, model: str | None, jobs: int, threshold: int = 0) -> None:
        self.db, self.model, self.jobs, self.threshold = db, model, jobs, threshold
        self.pool: ProcessPoolExecutor | None = None
        self.parsing: list[Future] = []
        self.parse_seconds = 0.0
        self.parsed = 0  # parses made in the background

    def _ready(self, articles: int) -> bool:
        """Starts the workers, or loads the pipeline here, on first use: a run with nothing to do loads none.
        True when the work goes to worker processes."""
        if self.pool is None and self.jobs > 1 and articles >= self.threshold:
            self._start()
        if self.pool is None and _worker.get("for") != (self.db, self.model):
            _start_worker(self.db, self.model)
        return self.pool is not None

    def _start(self) -> None:
        args = (self.db, self.model, os.getpid())
        self.pool = ProcessPoolExecutor(self.jobs, initializer=_start_worker, initargs=args)

    def start_parsing(self, ids: list[str]) -> None:
        """Parse and store these articles in the background (at once, in this process, without workers)."""
        chunks = [ids[i : i + PARSE_CHUNK] for i in range(0, len(ids), PARSE_CHUNK)]
        if not chunks:
            return
        if self._ready(len(ids)):
            self.parsing = [self.pool.submit(_parse_in_worker, chunk) for chunk in chunks]
            return
        for chunk in chunks:
            # what fails here fails again in the story stage, and is recorded there
            with contextlib.suppress(Exception):
                self._count(_parse_in_worker(chunk))

    def place(self, store: Store, on_progress: Callable[[int, int], None] | None, window_days: int | None) -> int:
        """Placement into stories runs in this process, while the workers parse."""
        return place_new_articles(store, on_progress, window_days)

    def finish_parsing(self) -> Iterator[int]:
        """Waits for the background parses; yields the number of chunks done as they finish. A worker that
        died leaves its articles unparsed: the story stage parses them."""
        broken = False
        for done, future in enumerate(_as_done(self.parsing), start=1):
            try:
                self._count(future.result())
            except BrokenProcessPool:
                broken = True
            except Exception:  # what failed here fails again in the story stage, and is recorded there
                pass
            yield done
        self.parsing = []
        if broken:  # once, however many parses the dead pool took with it
            self._restart()

    def run_stories(self, tasks: Iterable[tuple[Story, int]], articles: int) -> Iterator[Finished]:
        """Each (story, summary budget) through the stage, as they finish, with a bounded queue. A worker that
        dies (killed, out of memory) fails the stories in flight, with that as their error, and a new pool
        takes the rest."""
        queue = iter(tasks)
        first = next(queue, None)
        if first is None:
            return
        if not self._ready(articles):
            for story, budget in [first, *queue]:
                yield story, *_analyze_in_worker(story, budget)
            return
        queue = iter([first, *queue])
        running: dict[Future, Story] = {}
        more = True
        while more or running:
            while more and len(running) < self.jobs * IN_FLIGHT_PER_WORKER:
                task = next(queue, None)
                if task is None:
                    more = False
                    break
                running[self.pool.submit(_analyze_in_worker, *task)] = task[0]
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            lost = [f for f in finished if isinstance(f.exception(), BrokenProcessPool)]
            for future in finished:
                if future not in lost:
                    yield running.pop(future), *future.result()
            if lost:  # the pool is gone: every story still in it fails this time, and is tried next run
                died = StageError(WORKER_DIED, f"the worker process died ({lost[0].exception()}); tried again next run")
                for story in list(running.values()):
                    yield story, StoryResult(story.id, errors=[died]), {}, 0
                running.clear()
                self._restart()

    def _count(self, done: tuple[float, int]) -> None:
        self.parse_seconds += done[0]
        self.parsed += done[1]

    def _restart(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_jobs(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


def _as_done(futures: list[Future]) -> Iterator[Future]:
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from finished


# -- in the worker process --------------------------------------------------------------------------

_worker: dict = {}


def _start_worker(db: str, model: str | None, parent: int | None = None) -> None:
    """Once per worker process: the pipeline and a connection to the store; a worker dies with `parent`."""
    from storylens import nlp

    if parent is not None:
        die_with_parent(parent)
    _worker["pipeline"] = nlp.load(model)
    # in-process runs may come from several threads (the web app's jobs), and a connection is its thread's
    if _worker.get("for", (None,))[0] != db or _worker.get("thread") != threading.get_ident():
        if "store" in _worker:
            with contextlib.suppress(sqlite3.ProgrammingError):  # opened by another thread: closed when dropped
                _worker["store"].close()
        _worker["store"] = Store(db, check=parent is None)  # a worker's parent checked the file
    _worker["for"] = (db, model)
    _worker["thread"] = threading.get_ident()


def _parse_in_worker(ids: list[str]) -> tuple[float, int]:
    """Parse and store the articles among `ids` the store has no parse of; the seconds it took, how many."""
    from storylens import nlp
    from storylens.engine.parse import docs_for, store_parses

    started = time.perf_counter()
    store: Store = _worker["store"]
    pipeline = _worker["pipeline"]
    _, new = docs_for(store, pipeline, store.articles_by_id(store.unparsed(ids, nlp.pipeline_id(pipeline))))
    store_parses(store, pipeline, new)
    return time.perf_counter() - started, len(new)


def _analyze_in_worker(story: Story, budget_words: int) -> tuple[StoryResult, dict[str, float], int]:
    from storylens import nlp
    from storylens.engine.parse import store_parses

    pipeline, store = _worker["pipeline"], _worker["store"]
    return story_stage(
        pipeline,
        story,
        budget_words,
        stored=lambda ids: store.annotations(nlp.pipeline_id(pipeline), ids),
        keep=lambda new: store_parses(store, pipeline, new),
    )
