"""Articles added through the app, read and analysed one job at a time in a background thread, with
progress a page or an API client can poll."""

from __future__ import annotations

import queue
import threading
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from storylens.engine.local import ingest
from storylens.model import AnalysisSettings
from storylens.store import Store

KEPT_JOBS = 1000  # finished jobs remembered for polling; older ones are forgotten


@dataclass
class Job:
    id: str
    files: list[str]  # the names the client gave, for display only
    status: str = "queued"  # queued | reading | analysing | done | failed
    phase: str = ""
    done: int = 0
    total: int = 0
    read: int = 0
    stored: int = 0
    skipped: list[dict] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    error: str | None = None
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def record(self) -> dict:
        return asdict(self)


class Jobs:
    """One worker thread: jobs write to the store one after another, so two never race for its lock."""

    def __init__(self, db: Path, settings: AnalysisSettings | None = None) -> None:
        self.db = db
        self.settings = settings or AnalysisSettings()
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue[tuple[Job, list[Path]]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def new_id(self) -> str:
        return uuid.uuid4().hex[:16]

    def submit(self, job_id: str, names: list[str], paths: list[Path]) -> Job:
        job = Job(job_id, names)
        with self.lock:
            self.jobs[job.id] = job
            for old in list(self.jobs)[:-KEPT_JOBS]:
                if self.jobs[old].status in ("done", "failed"):
                    del self.jobs[old]
            if self.thread is None:
                self.thread = threading.Thread(target=self._work, name="storylens-jobs", daemon=True)
                self.thread.start()
        self.queue.put((job, paths))
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def wait(self, timeout: float | None = None) -> None:
        """Until every submitted job has finished (for tests and the watcher)."""
        self.queue.join() if timeout is None else _join(self.queue, timeout)

    def _work(self) -> None:
        while True:
            job, paths = self.queue.get()
            try:
                run_job(job, self.db, paths, self.settings)
            except Exception as err:  # the job fails, the server and the next job go on
                job.status, job.error = "failed", f"{type(err).__name__}: {err}"
                traceback.print_exc()
            finally:
                self.queue.task_done()


def run_job(job: Job, db: Path, paths: list[Path], settings: AnalysisSettings) -> None:
    """Read the files into the store, then analyse the stories their articles join (only those)."""
    from storylens.engine.analyze import analyze

    def progress(phase: str, done: int, total: int) -> None:
        job.phase, job.done, job.total = phase, done, total

    names = [str(p) for p in paths]
    with Store(db) as store:
        job.status = "reading"
        summary = ingest(names, store, jobs=1, on_progress=lambda done, s: progress("read", done, len(names)))
        job.read, job.stored = summary.read, summary.stored
        job.skipped = [{"input": _shown_name(s.path, paths, job.files), "reason": s.reason} for s in summary.skipped]
        ids = store.ids_for_paths(names)
        if ids:
            job.status = "analysing"
            job.stories = analyze(store, ids, settings, progress=progress).stories
    job.status = "done"


def _shown_name(path: str, paths: list[Path], names: list[str]) -> str:
    """The client's name for a skipped input: the stored name means nothing to them."""
    for stored, name in zip(paths, names, strict=False):
        if path.startswith(str(stored)):
            return name + path[len(str(stored)) :]
    return Path(path).name


def _join(q: queue.Queue, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while q.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.05)
