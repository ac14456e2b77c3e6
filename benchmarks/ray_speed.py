"""The local engine against Ray on this one machine: articles/s, peak memory, seconds per stage, same report.

Corpora: generated articles (benchmarks/planted.py) at 10k and 100k with a blank pipeline that only splits
sentences, so that what is measured is everything but the spaCy parse; and 1,000 real articles (Multi-News
and the longest ECB+ articles) with the full pipeline. Each engine runs ingest + analyze + report in a
process of its own, from an empty store, with as many workers as there are cores; Ray is started by that
process (its start is part of the time). Peak memory is the largest proportional set size (PSS: shared
pages split between the processes sharing them) of that process and every process under it (worker
processes; for Ray also its raylet, object store and worker actors), sampled every half second; CPU
seconds are the user + system time of the same processes (the last sample of each), which a shared machine
does not inflate as it does wall time.

`ratio` is local seconds / Ray seconds: the bar is Ray >= 0.8 of the local speed. `docs/scaling.md`
extrapolates from the per-stage seconds.

Run one engine by hand: `python -m benchmarks.ray_speed one local|ray CORPUS.jsonl MODEL|- FOLDER`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.analyze_speed import _blank_pipeline, _records, _write, real_articles

GENERATED = tuple(int(n) for n in os.environ.get("STORYLENS_BENCH_RAY_GENERATED", "10000,100000").split(","))
REAL = int(os.environ.get("STORYLENS_BENCH_RAY_REAL", "1000"))
ENGINES = ("local", "ray")
SAMPLE_EVERY_S = 0.5
SIZES = ("text_b", "parse_b", "result_b_per_story", "tracker_b", "tracker_state_b", "closed_stories_b")
STAGES = ("start", "ingest", "place", "parse", "stage", "save", "link", "report")


def one(engine: str, corpus: str, model: str | None, folder: Path) -> dict:
    """ingest + analyze + report of `corpus` into a new store in `folder` (in the process that runs it)."""
    from storylens.engine.analyze import analyze, analyzed_stories, local_workers
    from storylens.engine.local import ingest
    from storylens.model import AnalysisSettings
    from storylens.report.build import build_report
    from storylens.report.json import write as write_json
    from storylens.store import Store

    settings = AnalysisSettings(model=model, jobs=os.cpu_count() or 1)
    started = time.perf_counter()
    workers_for = local_workers
    if engine == "ray":
        from storylens.engine.ray import connect, ray_workers

        connect(None, settings.jobs)  # what the engine would do first, timed apart
        workers_for = ray_workers()
    engine_started = time.perf_counter()
    with Store(folder / "store.db") as store:
        ingest([corpus], store, max_bytes=1 << 40)
        ingested = time.perf_counter()
        ids = store.ids_for_paths([corpus])
        run = analyze(store, ids, settings, workers_for=workers_for)
        analysed = time.perf_counter()
        write_json(build_report(*analyzed_stories(store, run.stories, ids)), str(folder / "report.json"))
        done = time.perf_counter()
        sizes = _sizes(store)
    seconds = {"start": engine_started - started, "ingest": ingested - engine_started, **run.seconds,
               "report": done - analysed, "total": done - started}  # fmt: skip
    return {"articles": len(ids), "stories": len(run.stories), "analysed": run.analysed, "seconds": seconds, **sizes}


def _sizes(store) -> dict:  # noqa: ANN001 (a Store)
    """What moves between the driver and the workers, and what the driver keeps: bytes per article of text and
    of parse, per story of result, and the tracker (story centroids, MinHash LSH index) per article."""
    from storylens.engine.stories import TRACKER

    def mean(sql: str) -> int:
        return round(store.conn.execute(sql).fetchone()[0] or 0)

    articles = store.conn.execute("SELECT COUNT(*) FROM placements").fetchone()[0] or 1
    return {
        "text_b": mean("SELECT AVG(LENGTH(CAST(text AS BLOB))) FROM articles"),
        "parse_b": mean("SELECT AVG(LENGTH(doc)) FROM annotations"),
        "result_b_per_story": mean("SELECT AVG(LENGTH(result)) FROM story_results"),
        "tracker_b": round(
            (
                len(store.index_state(TRACKER) or b"")
                + store.index_parts_bytes(TRACKER)
                + store.closed_stories_bytes(TRACKER)
            )
            / articles
        ),  # fmt: skip
        "tracker_state_b": round(len(store.index_state(TRACKER) or b"") / articles),  # open stories and ids
        "closed_stories_b": round(store.closed_stories_bytes(TRACKER) / articles),
    }


def measured(engine: str, corpus: str, model: str | None, folder: Path) -> dict:
    """`one` in a process of its own, with the peak memory of its process tree."""
    folder.mkdir(parents=True)
    command = [sys.executable, "-m", "benchmarks.ray_speed", "one", engine, corpus, model or "-", str(folder)]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    peak = [0, 0]  # the process tree's, the driver's (the process that runs `one`)
    cpu_ticks: dict[int, int] = {}
    watcher = threading.Thread(target=_watch, args=(run, peak, cpu_ticks), daemon=True)
    watcher.start()
    out, _ = run.communicate()
    watcher.join()
    if run.returncode != 0:
        raise RuntimeError(f"{engine} on {corpus} failed with exit code {run.returncode}")
    cpu_s = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mb": peak[0] // 1024, "driver_mb": peak[1] // 1024,
            "cpu_s": cpu_s}  # fmt: skip


def _watch(run: subprocess.Popen, peak: list[int], cpu_ticks: dict[int, int]) -> None:
    while run.poll() is None:
        tree = _tree(run.pid)
        peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in tree))
        peak[1] = max(peak[1], _pss_kb(run.pid))
        for pid in tree:
            cpu_ticks[pid] = max(cpu_ticks.get(pid, 0), _cpu_ticks(pid))
        time.sleep(SAMPLE_EVERY_S)


def _cpu_ticks(pid: int) -> int:
    """User + system clock ticks of one process so far (fields 14 and 15 of /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0


def _same_report(a: Path, b: Path) -> bool:
    def without_time(path: Path) -> dict:
        data = json.loads(path.read_text())
        data.pop("generated_at", None)
        return data

    return without_time(a) == without_time(b)


def compare(name: str, corpus: str, model: str | None, folder: Path) -> list[dict]:
    runs = {engine: measured(engine, corpus, model, folder / engine) for engine in ENGINES}
    rows = []
    for engine, run in runs.items():
        seconds = run["seconds"]
        rows.append({
            "corpus": name, "engine": engine, "articles": run["articles"], "stories": run["stories"],
            "seconds": round(seconds["total"], 1), "articles_per_s": round(run["articles"] / seconds["total"], 1),
            "cpu_s": round(run["cpu_s"], 1), "peak_mb": run["peak_mb"], "driver_mb": run["driver_mb"],
            **{f"{s}_s": round(seconds.get(s, 0.0), 1) for s in STAGES},
            **{k: run[k] for k in SIZES if k in run},
        })  # fmt: skip
    rows[-1]["ratio"] = round(runs["local"]["seconds"]["total"] / runs["ray"]["seconds"]["total"], 2)
    rows[-1]["cpu_ratio"] = round(runs["local"]["cpu_s"] / runs["ray"]["cpu_s"], 2)
    rows[-1]["same_report"] = _same_report(folder / "local" / "report.json", folder / "ray" / "report.json")
    return rows


def main() -> list[dict]:
    from rich.console import Console

    from benchmarks.run import table

    console = Console(width=220)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        blank = _blank_pipeline(folder / "blank")
        for count in GENERATED:
            corpus = _write(folder / f"generated{count}.jsonl", _records(count))
            rows += compare(f"generated {count:,}", corpus, blank, folder / f"g{count}")
        if REAL:
            corpus = _write(folder / "real.jsonl", real_articles(REAL))
            rows += compare(f"real {REAL:,}", corpus, None, folder / "real")
    console.print(table("local engine vs Ray on one machine (ratio: local seconds / Ray seconds)", rows))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["one"]:
        engine, corpus, model, folder = sys.argv[2:6]
        print(json.dumps(one(engine, corpus, None if model == "-" else model, Path(folder))))
    else:
        main()
