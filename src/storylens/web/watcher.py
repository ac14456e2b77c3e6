"""`storylens serve --watch FEEDS_FILE|FOLDER`: the server polls the sources itself and hands what changed to
its background jobs, so that watched news shows up as jobs like uploads do."""

from __future__ import annotations

import threading
from pathlib import Path

from storylens.engine.watch import poll, watched_sources
from storylens.store import Store
from storylens.web.jobs import Jobs


def start_watching(target: Path, db: Path, jobs: Jobs, every_s: float) -> threading.Event:
    """Poll in a daemon thread every `every_s` seconds until the returned event is set."""
    stop = threading.Event()
    spool = db.with_name(db.name + ".watch")

    def loop() -> None:
        while not stop.is_set():
            with Store(db, check=False) as store:
                polled = poll(store, watched_sources(target), spool, every_s)
            if polled.changed:
                jobs.wait()  # one round at a time: a slow analysis does not pile rounds up
                names = [f"watched: {Path(p).name}" for p in polled.changed]
                jobs.submit(jobs.new_id(), names, [Path(p) for p in polled.changed])
            stop.wait(every_s)

    threading.Thread(target=loop, name="storylens-watch", daemon=True).start()
    return stop
