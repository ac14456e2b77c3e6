"""`analyze --engine ray`: placement, the parse and the per-story stage as Ray Data `map_batches` over the
same functions the local engine runs, on one machine or a Ray cluster.

This process (the driver) keeps the store: it reads what each task needs (texts, stored parses) and writes
what comes back. Workers never touch the store, so a worker on another machine needs no access to it.
Placement's per-article work and its candidate search run on Ray, its order-dependent decisions here
(`engine.ray_place`). Each Ray worker process loads the spaCy pipeline once, on its first batch, and keeps it
for the batches that follow, the parse's and the story stage's alike: Ray reuses its worker processes from one
task to the next, so a second pool of actors loading the pipeline again is not needed. A worker that dies
(killed, out of memory) is replaced by Ray and its batch tried again, a bounded number of times.

New articles are parsed while the driver places them, as with the local engine: a thread streams the
parses back into the store as the workers hand them over.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator

from storylens.engine.parquet import STORIES
from storylens.engine.pool import PARSE_CHUNK, WORKER_DIED, Finished
from storylens.engine.stage import story_stage
from storylens.model import AnalysisSettings, StageError, Story, StoryResult
from storylens.store import Store
from storylens.store.codec import decode, encode

INSTALL = "the Ray engine needs Ray, an optional part of storylens: pip install 'storylens[ray]'"
PARSE_BLOCK = 128  # articles per block of the parse dataset (a task parses it PARSE_CHUNK at a time)
STORY_BLOCK_ARTICLES = 32  # articles per story batch: a few stories, or one big one, per task
# a task whose worker process dies is tried this many more times (in another worker); then its stories are given
# one task each, and a story that still kills its worker is recorded as failed in the `worker` step
TASK_RETRIES = 2
# Ray's shared-memory object store, when this process starts Ray: batches stream through it, so it need not
# hold the archive (what does not fit spills to disk)
OBJECT_STORE_BYTES = 512 * 1024 * 1024


class RayNotInstalled(ImportError):
    pass


class _NoFalseAlarm(logging.Filter):
    """Ray Data warns that a dataset "will hang" when it starts while other tasks hold every CPU; here it
    only waits for them (placement's datasets beside the parse), so the warning would alarm for nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "does not have any available CPUs" not in record.getMessage()


def import_ray():  # noqa: ANN201 (the module, when it is installed)
    """Ray, with its usage statistics off; a clear error saying how to install it when it is not."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")  # not a line per dataset on the terminal
    # Ray is started or joined by `connect` only: a call that comes after `ray.shutdown` (a thread still
    # winding down on Ctrl-C) fails rather than starting a Ray of its own
    os.environ.setdefault("RAY_ENABLE_AUTO_CONNECT", "0")
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise RayNotInstalled(INSTALL) from err
    return ray


def connect(address: str | None, jobs: int | None) -> bool:
    """Join the Ray cluster at `address`, else start Ray here with `jobs` CPUs (default: all). Nothing is done
    when this process is connected already; True when this call connected it."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    logging.getLogger("ray").setLevel(logging.WARNING)
    # storylens shows its own progress: Ray Data's notice that its bars are off is noise on the terminal
    logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)
    logging.getLogger("ray.data.dataset").addFilter(_NoFalseAlarm())
    logging.getLogger("ray.data._internal.stats").setLevel(logging.ERROR)  # Ray Data's own metrics, not ours
    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        cpus = jobs or os.cpu_count() or 1
        # address "local": a Ray of its own, even where another Ray runs on this machine (ray.init would join it)
        ray.init(
            address="local",
            num_cpus=cpus,
            include_dashboard=False,
            object_store_memory=OBJECT_STORE_BYTES,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    return True


@contextlib.contextmanager
def data_options(**options: object) -> Iterator[None]:
    """Ray Data's options (`DataContext`, `preserve_order` among its execution options) set for a block of
    code and put back after it."""
    import ray.data

    context = ray.data.DataContext.get_current()
    where = {name: context.execution_options if name == "preserve_order" else context for name in options}
    kept = {name: getattr(where[name], name) for name in options}
    for name, value in options.items():
        setattr(where[name], name, value)
    try:
        yield
    finally:
        for name, value in kept.items():
            setattr(where[name], name, value)


def map_tasks(dataset, work: Callable, tasks: int, batch_size: int | None = None, **kwargs: object):  # noqa: ANN001, ANN201 (ray Datasets)
    """`work(batch, **kwargs)` over `dataset` as Ray tasks, `tasks` at a time at most, each on one CPU. A task
    whose worker dies is tried again in another, `TASK_RETRIES` times: a killed worker costs time, not results."""
    import ray.data

    with warnings.catch_warnings():
        # Ray 2.60 takes `max_retries` only among `ray_remote_args`, which it warns are to be renamed
        warnings.simplefilter("ignore", DeprecationWarning)
        return dataset.map_batches(
            work, fn_kwargs=kwargs, batch_size=batch_size, batch_format="pyarrow",
            compute=ray.data.TaskPoolStrategy(size=tasks), num_cpus=1, max_retries=TASK_RETRIES,
        )  # fmt: skip


def ray_workers(address: str | None = None, parquet: str | None = None):  # noqa: ANN201 (an analyze.WorkersFor)
    """The `workers_for` of `analyze` that runs on Ray: the cluster at `address`, else Ray started here. With
    `parquet` (a folder or URI every worker can write to), story results go to Parquet files there rather than
    through this process into the store; `storylens load` brings them in."""

    if parquet and "://" not in parquet:  # a folder: the workers' working folder is not this one
        parquet = os.path.abspath(parquet)

    def start(store: Store, settings: AnalysisSettings) -> RayWorkers:
        return RayWorkers(store, settings, address, parquet)

    return start


class RayWorkers:
    """The parse and the story stage on Ray, with the interface of `engine.pool.Workers`."""

    def __init__(self, store: Store, settings: AnalysisSettings, address: str | None, parquet: str | None) -> None:
        self.ray = import_ray()
        self.parquet = parquet
        self.written = 0  # stories whose results went to Parquet
        self.store, self.settings = store, settings
        self.parse_seconds = 0.0
        self.parsed = 0
        self._parsing: threading.Thread | None = None
        self._stop_parsing = threading.Event()  # set when the run ends early (Ctrl-C, an error)
        self._to_parse: list[str] = []
        self._connected_here = False  # whoever connected this process to Ray disconnects it
        self._pipeline_id: str | None = None
        self.address = address

    def _connect(self) -> None:
        """Ray is started (or joined) on first use: a run with nothing to parse or analyse starts nothing."""
        self._connected_here = connect(self.address, self.settings.jobs) or self._connected_here

    def _workers(self) -> int:
        """One task at a time per CPU of the cluster (or `--jobs` of them)."""
        return self.settings.jobs or max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def pipeline_id(self) -> str:
        """The pipeline's name and version, which stored parses are kept under (the driver loads it once)."""
        if self._pipeline_id is None:
            from storylens import nlp

            self._pipeline_id = nlp.pipeline_id(nlp.load(self.settings.model))
        return self._pipeline_id

    def _map(self, tables: list, work: Callable, batch_size: int | None, **kwargs: object):  # noqa: ANN202 (a Dataset)
        """`work(batch, model, **kwargs)` over these blocks as Ray tasks, one per CPU at most."""
        import ray.data

        tasks = min(self._workers(), len(tables))
        return map_tasks(ray.data.from_arrow(tables), work, tasks, batch_size, model=self.settings.model, **kwargs)

    # -- parse ------------------------------------------------------------------------------------

    def start_parsing(self, ids: list[str]) -> None:
        """Parse these articles on Ray while the caller goes on; their parses are stored as they come. When
        placement follows (`place`), the parse starts once placement's own Ray work is through: the parse
        tasks hold every CPU until the parse ends."""
        self._to_parse = ids

    def _start_parsing(self) -> None:
        ids, self._to_parse = self._to_parse, []
        if not ids:
            return
        todo = self.store.unparsed(ids, self.pipeline_id())
        if not todo:
            return
        self._connect()
        chunks = (todo[i : i + PARSE_BLOCK] for i in range(0, len(todo), PARSE_BLOCK))
        tables = [_articles_table(self.store.articles_by_id(chunk)) for chunk in chunks]
        parses = self._map(tables, parse_batch, PARSE_CHUNK)
        self._parsing = threading.Thread(target=self._store_parses, args=(parses,), name="ray-parses", daemon=True)
        self._parsing.start()

    def _store_parses(self, parses) -> None:  # noqa: ANN001 (a ray Dataset)
        try:
            with Store(self.store.path, check=False) as store:  # this thread's own connection
                for batch in parses.iter_batches(batch_format="pyarrow", batch_size=None):
                    if self._stop_parsing.is_set():
                        break  # leaving the loop shuts the dataset down: its tasks are cancelled
                    rows = list(zip(batch["id"].to_pylist(), batch["parse"].to_pylist(), strict=True))
                    store.put_annotations(self.pipeline_id(), rows)
                    self.parsed += len(rows)
                    self.parse_seconds += sum(batch["seconds"].to_pylist())
        except Exception:  # what failed here is parsed again in the story stage, and recorded there
            pass

    # -- placement into stories ----------------------------------------------------------------------

    def place(self, store: Store, on_progress: Callable[[int, int], None] | None, window_days: int | None) -> int:
        """Placement with the per-article work and the LSH candidates on Ray (`engine.ray_place`)."""
        from storylens.engine.ray_place import place_on_ray

        if not store.unplaced():
            return 0
        self._connect()
        return place_on_ray(store, self._workers(), on_progress, window_days, ready=self._start_parsing,
                            busy=self._still_parsing)  # fmt: skip

    def _still_parsing(self) -> bool:
        return self._parsing is not None and self._parsing.is_alive()

    def finish_parsing(self) -> Iterator[int]:
        self._start_parsing()  # if placement did not start it
        if self._parsing is not None:
            self._parsing.join()
            self._parsing = None
            yield 1

    # -- the story stage --------------------------------------------------------------------------

    def run_stories(self, tasks: Iterable[tuple[Story, int]], articles: int) -> Iterator[Finished]:
        """Each story through `story_stage` on Ray, with its stored parses; the new parses are stored here.
        The stories of a batch that failed `TASK_RETRIES` times go again one per task; a story that fails
        alone is recorded as failed in the `worker` step (and tried again next run)."""
        stories: dict[str, Story] = {}
        blocks, block = [], []
        for story, _budget in tasks:  # the budget is the settings', which every task is given
            stories[story.id] = story
            block.append(story)
            if sum(len(s.articles) for s in block) >= STORY_BLOCK_ARTICLES:
                blocks.append(block)
                block = []
        if block:
            blocks.append(block)
        if not blocks:
            return
        self._connect()
        if self.parquet:
            self._write_parquet([self._stories_table(b) for b in blocks])
            self.written += len(stories)
            return
        done: set[str] = set()
        yield from self._stories_on_ray(blocks, stories, done)
        alone = [[s] for b in blocks if len(b) > 1 for s in b if s.id not in done]  # innocent until tried alone
        yield from self._stories_on_ray(alone, stories, done)
        for story_id, story in stories.items():
            if story_id not in done:
                tries = TASK_RETRIES + 1
                why = f"its Ray worker failed {tries} times (died, or the cluster went away); tried again next run"
                died = StageError(WORKER_DIED, why)
                yield story, StoryResult(story_id, errors=[died]), {}, 0

    def _stories_on_ray(
        self, blocks: list[list[Story]], stories: dict[str, Story], done: set[str]
    ) -> Iterator[Finished]:
        """The story stage over these blocks; the stories of a block whose task failed are left out of `done`
        (Ray Data drops a failed block and goes on with the others)."""
        if not blocks:
            return
        tables = [self._stories_table(b) for b in blocks]
        results = self._map(tables, story_batch, None, budget_words=self.settings.budget_words)
        try:
            with data_options(max_errored_blocks=-1):  # a failed block is dropped and the others go on
                for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
                    for row in batch.to_pylist():
                        story = stories[row["story"]]
                        parses = list(zip(row["new_ids"], row["new_parses"], strict=True))
                        if parses:
                            self.store.put_annotations(self.pipeline_id(), parses)
                        seconds = {"parse": row["parse_s"], "stage": row["stage_s"]}
                        done.add(story.id)
                        yield story, decode(StoryResult, row["result"]), seconds, len(parses)
        except self.ray.exceptions.RayError:
            pass  # a cluster that went away: what is not done is recorded as failed

    def _write_parquet(self, tables: list) -> None:
        """The story stage with each worker writing its results as Parquet files (`parquet`/stories/)."""
        from storylens.engine.analyze import settings_key

        rows = self._map(tables, story_batch, None, budget_words=self.settings.budget_words).map_batches(
            stored_rows, fn_kwargs={"key": settings_key(self.settings), "model": self.pipeline_id()},
            batch_format="pyarrow", batch_size=None,
        )  # fmt: skip
        rows.write_parquet(f"{self.parquet.rstrip('/')}/{STORIES}")

    def _stories_table(self, stories: list[Story]):  # noqa: ANN202 (a pyarrow Table)
        import pyarrow as pa

        from storylens.engine.analyze import inputs_hash, settings_key

        key = settings_key(self.settings)
        stored = self.store.annotations(self.pipeline_id(), [a.id for s in stories for a in s.articles])
        return pa.table(
            {
                "story": pa.array([encode(s) for s in stories], pa.binary()),
                "inputs": [inputs_hash(s, key) for s in stories],
                "parse_ids": [[a.id for a in s.articles if a.id in stored] for s in stories],
                "parses": pa.array(
                    [[stored[a.id] for a in s.articles if a.id in stored] for s in stories], pa.list_(pa.binary())
                ),
            }
        )

    def close(self) -> None:
        if self._parsing is not None:  # the run ended before its parse did (Ctrl-C, an error): stop it
            self._stop_parsing.set()
            self._parsing.join()
        if self._connected_here and self.ray.is_initialized():
            self.ray.shutdown()  # stops Ray if it was started here; leaves a cluster it joined running

    def __enter__(self) -> RayWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _articles_table(articles: list):  # noqa: ANN202 (a pyarrow Table)
    import pyarrow as pa

    return pa.table({"id": [a.id for a in articles], "text": [a.text for a in articles]})


# -- on the workers -------------------------------------------------------------------------------------

_pipelines: dict = {}  # in a Ray worker process: the spaCy pipeline by name, loaded on its first batch


def _pipeline(model: str | None):  # noqa: ANN202 (a spaCy Language)
    if model not in _pipelines:
        from storylens import nlp

        _pipelines[model] = nlp.load(model)
    return _pipelines[model]


def parse_batch(batch, model: str | None):  # noqa: ANN001, ANN201 (pyarrow Tables)
    """Parses a batch of articles: (id, text) -> (id, parse bytes), with the seconds the batch took."""
    import pyarrow as pa

    from storylens.engine.parse import docs_from
    from storylens.model import Article

    pipeline = _pipeline(model)
    started = time.perf_counter()
    texts = zip(batch["id"].to_pylist(), batch["text"].to_pylist(), strict=True)
    articles = [Article(id=i, text=t) for i, t in texts]
    _, parses = docs_from(pipeline, articles, {})
    seconds = [time.perf_counter() - started] + [0.0] * (len(parses) - 1)
    return pa.table(
        {
            "id": [i for i, _ in parses],
            "parse": pa.array([p for _, p in parses], pa.binary()),
            "seconds": pa.array(seconds, pa.float64()),
        }
    )


def story_batch(batch, model: str | None, budget_words: int):  # noqa: ANN001, ANN201 (pyarrow Tables)
    """`story_stage` over a batch of stories, each with its stored parses: the encoded result and the parses
    it made."""
    import pyarrow as pa

    pipeline = _pipeline(model)
    out: dict[str, list] = {k: [] for k in ("story", "result", "new_ids", "new_parses", "parse_s", "stage_s")}
    columns = (batch[name].to_pylist() for name in ("story", "parse_ids", "parses"))
    for data, ids, parses in zip(*columns, strict=True):
        story = decode(Story, data)
        stored = dict(zip(ids, parses, strict=True))
        made: list[tuple[str, bytes]] = []
        result, seconds, _ = story_stage(
            pipeline, story, budget_words, stored=lambda wanted, s=stored: s, keep=made.extend
        )
        out["story"].append(story.id)
        out["result"].append(encode(result))
        out["new_ids"].append([i for i, _ in made])
        out["new_parses"].append([p for _, p in made])
        out["parse_s"].append(seconds.get("parse", 0.0))
        out["stage_s"].append(seconds.get("stage", 0.0))
    return pa.table(
        {
            "story": out["story"],
            "inputs": batch["inputs"],
            "result": pa.array(out["result"], pa.binary()),
            "new_ids": pa.array(out["new_ids"], pa.list_(pa.string())),
            "new_parses": pa.array(out["new_parses"], pa.list_(pa.binary())),
            "parse_s": pa.array(out["parse_s"], pa.float64()),
            "stage_s": pa.array(out["stage_s"], pa.float64()),
        }
    )


def stored_rows(batch, key: str, model: str):  # noqa: ANN001, ANN201 (pyarrow Tables)
    """The story stage's output as the store keeps it (`analyze.result_row`), with the parses it made: the
    rows of the Parquet files that `storylens load` reads."""
    import pyarrow as pa

    from storylens.engine.analyze import result_row

    rows = [
        result_row(story, decode(StoryResult, result), inputs, key)
        for story, result, inputs in zip(*(batch[c].to_pylist() for c in ("story", "result", "inputs")), strict=True)
    ]
    return pa.table(
        {
            "story_id": [r[0] for r in rows],
            "inputs": [r[1] for r in rows],
            "version": pa.array([r[2] for r in rows], pa.int64()),
            "settings": [r[3] for r in rows],
            "result": pa.array([r[4] for r in rows], pa.binary()),
            "errors": pa.array([r[5] for r in rows], pa.int64()),
            "names": pa.array([sorted(r[6]) for r in rows], pa.list_(pa.string())),
            "model": [model] * len(rows),
            "new_ids": batch["new_ids"],
            "new_parses": batch["new_parses"],
        }
    )
