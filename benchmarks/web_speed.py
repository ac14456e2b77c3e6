"""The web app under load: 10,000 stories in the store, `storylens serve` in its own process, and a bounded
load (CONCURRENCY requests at a time) from this process over loopback.

The store is generated: the bundled sample is analysed for real, then its four analysed stories are copied
into 10,000 stories with articles of their own (new ids, dates spread over two years, a line added to each
text), each stored with its analysis through `Store.put_results`, as `analyze` stores them. Per endpoint:
requests/s, p50 and p99 latency (one request at a time, then 2 and 4); the bar is a story page's p99 under
100 ms, for stories picked at random (few asked for twice); a second row asks for 50 stories only, whose
pages the server keeps. Then the server's memory. Each row gives the machine's load average as it ended,
and the server's CPU time per request (user + system, from /proc): p99 on a shared machine says as much
about the others' work as about ours, the CPU time only about ours.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from rich.console import Console

from benchmarks.run import table
from storylens.engine.analyze import analyze
from storylens.engine.local import ingest
from storylens.model import ANALYSIS_VERSION, AnalysisSettings, Reuse
from storylens.store import Store

STORIES = int(os.environ.get("STORYLENS_BENCH_WEB_STORIES", "10000"))
CONCURRENCY = (1, 2, 4)  # one at a time, one request per core of the benchmark machine, and twice that
# a folder to keep the generated store in and reuse (generating 10,000 stories takes minutes)
KEEP = os.environ.get("STORYLENS_BENCH_WEB_KEEP")
REQUESTS = int(os.environ.get("STORYLENS_BENCH_WEB_REQUESTS", "600"))  # per endpoint
WARMUP = 30
POPULAR = 50  # stories most requests of the second story page row ask for
BAR_STORY_P99_MS = 100.0
SEARCH_WORDS = ["flood", "dam", "minister", "strike", "evacuated", "council", "port", "probe", "Velmor", "wall"]


@dataclass
class _Placed:
    article_id: str
    story: str
    duplicate_of: str | None
    reuse: list[Reuse]


def build(folder: Path, stories: int) -> tuple[Path, list[str]]:
    """A store of `stories` stories copied from the analysed sample; the story ids."""
    template_db = folder / "template.db"
    with resources.as_file(resources.files("storylens") / "sample") as sample, Store(template_db) as store:
        ingest([str(sample)], store, jobs=1)
        analyze(store, store.ids_for_paths([str(sample)]), AnalysisSettings(jobs=1))
        templates = _templates(store)
    db = folder / "web.db"
    ids = []
    start = datetime(2024, 1, 1)
    with Store(db) as store:
        for n in range(stories):
            template = templates[n % len(templates)]
            when = start + timedelta(hours=n * 1.7)
            ids.append(_copy(store, template, n, when))
    return db, ids


def _templates(store: Store) -> list[dict]:
    out = []
    for story_id in store.story_ids():
        members = store.story_members([story_id])[story_id]
        articles = {a.id: a for a in store.articles_by_id(a for a, _ in members)}
        out.append({
            "id": story_id, "members": members, "articles": articles,
            "reuse": store.reuse_within([story_id]).get(story_id, []),
            "result": zlib.decompress(store.results([story_id])[story_id]).decode("utf-8"),
        })  # fmt: skip
    return out


def _copy(store: Store, template: dict, n: int, when: datetime) -> str:
    renamed = {old: hashlib.sha1(f"{n}:{old}".encode()).hexdigest()[:16] for old in template["articles"]}
    story_id = "story-" + hashlib.sha1(f"{n}:{template['id']}".encode()).hexdigest()[:16]
    articles = [
        replace(a, id=renamed[a.id], text=a.text + f"\n\nEdition {n}.", path=f"generated/{n}/{renamed[a.id]}",
                extra_paths=[], published=(when + timedelta(minutes=k)).isoformat(timespec="minutes"),
                title=f"{a.title} ({n})" if a.title else None)
        for k, a in enumerate(template["articles"].values())
    ]  # fmt: skip
    store.add_articles(articles)
    reuse = [replace(r, a=renamed[r.a], b=renamed[r.b], first=renamed.get(r.first)) for r in template["reuse"]]
    placed = [
        _Placed(renamed[a], story_id, renamed.get(dup), [r for r in reuse if r.b == renamed[a]])
        for a, dup in template["members"]
    ]
    store.put_placements(placed, "web-bench", b"")
    result = template["result"].replace(template["id"], story_id)
    for old, new in renamed.items():
        result = result.replace(old, new)
    encoded = zlib.compress(result.encode("utf-8"), 6)
    store.put_results([(story_id, f"bench-{n}", ANALYSIS_VERSION, "bench", encoded, 0, set())])
    return story_id


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, every thread included."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(base: str, paths: list[str], concurrency: int) -> dict:
    """Fetch every path, `concurrency` at a time; latencies in ms, and requests per second over the run."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    queue = list(reversed(paths))

    def worker() -> None:
        nonlocal failures
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=60) as answer:
                    answer.read()
                    ok = answer.status == 200
            except OSError:
                ok = False
            spent = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(spent)
                failures += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(paths), "failed": failures, "requests_per_s": round(len(paths) / wall, 1),
        "p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
    }  # fmt: skip


def main() -> list[dict]:
    console = Console(width=160)
    rng = random.Random(14)
    with tempfile.TemporaryDirectory(prefix="storylens-web-bench-") as tmp:
        folder = Path(KEEP or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"web-{STORIES}.db"
        started = time.perf_counter()
        if not db.exists():
            built, _ = build(folder, STORIES)
            built.rename(db)
        with Store(db) as store:
            story_ids = store.story_ids()
        console.print(f"{len(story_ids):,} stories ready in {time.perf_counter() - started:.0f} s "
                      f"({db.stat().st_size / 1e6:.0f} MB store)")  # fmt: skip
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens.cli", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            idle_mb, _ = _rss_mb(server.pid)
            popular = rng.sample(story_ids, POPULAR)
            endpoints = {
                "story list (/)": lambda: f"/?page={rng.randint(1, 20)}",
                "story list API": lambda: f"/api/stories?offset={rng.randint(0, STORIES - 50)}",
                "story page": lambda: f"/stories/{rng.choice(story_ids)}",
                # what readers do more often: open the stories others open (the server keeps their pages)
                f"story page, {POPULAR} stories": lambda: f"/stories/{rng.choice(popular)}",
                "story API": lambda: f"/api/stories/{rng.choice(story_ids)}",
                "search API": lambda: f"/api/search?q={rng.choice(SEARCH_WORDS)}%20{rng.choice(SEARCH_WORDS)}",
            }
            rows = []
            for concurrency in CONCURRENCY:
                for name, make in endpoints.items():
                    load(base, [make() for _ in range(WARMUP)], concurrency)
                    cpu = _cpu_seconds(server.pid)
                    row = {"endpoint": name, "stories": STORIES, "concurrency": concurrency,
                           **load(base, [make() for _ in range(REQUESTS)], concurrency),
                           "server_cpu_ms_per_request": round((_cpu_seconds(server.pid) - cpu) * 1000 / REQUESTS, 2),
                           "load_avg_1m": round(os.getloadavg()[0], 1)}  # fmt: skip
                    if name == "story page":
                        met = "met" if row["p99_ms"] < BAR_STORY_P99_MS else "MISSED"
                        row["bar"] = f"p99 < {BAR_STORY_P99_MS:.0f} ms: {met}"
                    rows.append(row)
                    console.print(row)
            now_mb, peak_mb = _rss_mb(server.pid)
            rows.append({"endpoint": "server memory", "stories": STORIES, "idle_rss_mb": round(idle_mb),
                         "rss_after_load_mb": round(now_mb), "peak_rss_mb": round(peak_mb)})  # fmt: skip
        finally:
            server.terminate()
            server.wait(30)
    console.print(table(f"storylens serve with {STORIES:,} stories, requests at a time: {CONCURRENCY}", rows))
    return rows


def _wait(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/stories?limit=1", timeout=5) as answer:
                json.loads(answer.read())
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("storylens serve did not answer within 120 s")


if __name__ == "__main__":
    main()
