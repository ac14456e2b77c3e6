"""`analyze` throughput against spaCy's bare `nlp.pipe`, re-runs, and scaling to 100k articles.

1. Real news: the documents of the Multi-News sample and the longest ECB+ articles (REAL_ARTICLES in
   all). Bare `nlp.pipe` over their texts with as many processes as `analyze` uses, then, in one store,
   ingest + analyze + report on 90% of them, the same again (nothing new), and all of them (10% new).
   Each figure is the median of REPEATS runs; ratios are taken within a run.
2. Generated articles at 10k and 100k (benchmarks/planted.py: stories of up to a dozen articles with
   their own names and words, and passages copied between them) through ingest + analyze with a blank
   pipeline that only splits sentences, so that what is measured is everything but the spaCy parse.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.gold import CORPORA
from benchmarks.planted import generate
from storylens import nlp
from storylens.engine.analyze import PHASES, analyze, analyzed_stories
from storylens.engine.local import ingest
from storylens.model import AnalysisSettings
from storylens.report.build import build_report
from storylens.report.json import write as write_json
from storylens.store import Store

REAL_ARTICLES = 350
REPEATS = int(os.environ.get("STORYLENS_BENCH_REPEATS", "3"))
GENERATED = tuple(int(n) for n in os.environ.get("STORYLENS_BENCH_GENERATED", "10000,100000").split(","))


def real_articles(count: int = REAL_ARTICLES) -> list[dict]:
    """Multi-News documents, then the longest ECB+ articles, `count` in all, as JSON records."""
    out = []
    with open(CORPORA / "multinews_sample" / "mds_sample.jsonl", encoding="utf-8") as rows:
        for n, line in enumerate(rows):
            for k, doc in enumerate(json.loads(line)["documents"]):
                out.append({"text": doc.strip(), "url": f"https://multinews.test/{n}/{k}"})
    ecb = [json.loads(line) for line in (CORPORA / "ecbplus" / "ecbplus_docs.jsonl").read_text().splitlines()]
    ecb.sort(key=lambda d: -len(d["text"]))
    out += [{"title": d["title"], "text": d["text"], "url": d["url"]} for d in ecb[: count - len(out)]]
    return out


def _write(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (worker pools end with their run)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(store: Store, path: str, settings: AnalysisSettings, report: Path) -> dict:
    """One `analyze` as the command line does it: ingest, analyse, report; seconds per phase, and the CPU
    seconds of the whole run (on a shared machine, wall time measures the neighbours too)."""
    cpu = _cpu_seconds()
    started = time.perf_counter()
    ingest([path], store, max_bytes=1 << 40)  # one file of the whole corpus: no size limit
    ingested = time.perf_counter()
    ids = store.ids_for_paths([path])
    run = analyze(store, ids, settings)
    analysed = time.perf_counter()
    write_json(build_report(*analyzed_stories(store, run.stories, ids)), str(report))
    done = time.perf_counter()
    seconds = {"ingest": ingested - started, **run.seconds, "report": done - analysed, "total": done - started}
    seconds["cpu"] = _cpu_seconds() - cpu
    return {"seconds": seconds, "analysed": run.analysed, "stories": len(run.stories), "parsed": run.parsed}


def real_news_round(records: list[dict], processes: int, tmp: Path) -> dict:
    held_back = records[9::10]
    first = [r for r in records if r not in held_back]
    pipeline = nlp.load()
    cpu, started = _cpu_seconds(), time.perf_counter()
    for _ in pipeline.pipe((r["text"] for r in first), n_process=processes, batch_size=16):
        pass
    bare, bare_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    settings = AnalysisSettings(jobs=processes)
    with Store(tmp / "bench.db") as store:
        run1 = _run(store, _write(tmp / "news.jsonl", first), settings, tmp / "r1.json")
        run2 = _run(store, _write(tmp / "news.jsonl", first), settings, tmp / "r2.json")
        run3 = _run(store, _write(tmp / "news.jsonl", records), settings, tmp / "r3.json")
    return {"bare": bare, "bare_cpu": bare_cpu, "first": run1, "again": run2, "more": run3, "articles": len(first),
            "added": len(held_back)}  # fmt: skip


def real_news(processes: int) -> list[dict]:
    records = real_articles()
    rounds = []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(real_news_round(records, processes, Path(tmp)))

    def median(get) -> float:
        return round(statistics.median(get(r) for r in rounds), 2)

    words = sum(len(r["text"].split()) for r in records[: rounds[0]["articles"]])
    first = rounds[0]["first"]
    rows = [
        {"run": "bare nlp.pipe", "articles": rounds[0]["articles"], "words": words, "processes": processes,
         "seconds": median(lambda r: r["bare"]), "articles_per_s": median(lambda r: r["articles"] / r["bare"]),
         "ratio_to_bare": 1.0, "cpu_s": median(lambda r: r["bare_cpu"]), "cpu_ratio_to_bare": 1.0},
        {"run": "analyze (first run)", "articles": rounds[0]["articles"], "stories": first["stories"],
         "seconds": median(lambda r: r["first"]["seconds"]["total"]),
         "articles_per_s": median(lambda r: r["articles"] / r["first"]["seconds"]["total"]),
         "ratio_to_bare": median(lambda r: r["bare"] / r["first"]["seconds"]["total"]),
         "cpu_s": median(lambda r: r["first"]["seconds"]["cpu"]),
         "cpu_ratio_to_bare": median(lambda r: r["bare_cpu"] / r["first"]["seconds"]["cpu"]),
         **{f"{p}_s": median(lambda r, p=p: r["first"]["seconds"][p]) for p in ("ingest", *PHASES, "report")}},
        {"run": "analyze again, nothing new", "articles": rounds[0]["articles"],
         "analysed": rounds[0]["again"]["analysed"],
         "seconds": median(lambda r: r["again"]["seconds"]["total"]),
         "share_of_first_run": median(lambda r: r["again"]["seconds"]["total"] / r["first"]["seconds"]["total"])},
        {"run": "analyze with 10% new articles", "articles": rounds[0]["added"],
         "stories_analysed": rounds[0]["more"]["analysed"], "of_stories": rounds[0]["more"]["stories"],
         "seconds": median(lambda r: r["more"]["seconds"]["total"]),
         "share_of_first_run": median(lambda r: r["more"]["seconds"]["total"] / r["first"]["seconds"]["total"]),
         "stage_s_per_story": median(lambda r: (r["more"]["seconds"]["parse"] + r["more"]["seconds"]["stage"])
                                     / max(1, r["more"]["analysed"]))},
    ]  # fmt: skip
    return rows


def _records(count: int) -> list[dict]:
    fields = ("title", "text", "published", "source")
    return [{k: getattr(a, k) for k in fields} for a in generate(count).articles]


def _blank_pipeline(folder: Path) -> str:
    """A pipeline that only splits sentences: the parse costs next to nothing, everything else runs."""
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.meta["name"] = "blank_sentencizer"
    blank.to_disk(folder)
    return str(folder)


def generated(processes: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        model = _blank_pipeline(Path(tmp) / "blank")
        for count in GENERATED:
            path = _write(Path(tmp) / f"gen{count}.jsonl", _records(count))
            with Store(Path(tmp) / f"gen{count}.db") as store:
                run = _run(store, str(path), AnalysisSettings(model=model, jobs=processes), Path(tmp) / "r.json")
            seconds = run["seconds"]
            rows.append({"articles": count, "stories": run["stories"], "seconds": round(seconds["total"], 1),
                         "cpu_s": round(seconds["cpu"], 1),
                         "articles_per_s": round(count / seconds["total"]),
                         **{f"{p}_s": round(seconds[p], 1) for p in ("ingest", *PHASES, "report")},
                         "peak_main_mb": _peak_mb("self"), "peak_worker_mb": _peak_mb("children")})  # fmt: skip
    if len(rows) > 1:
        rows[-1]["time_ratio_to_first"] = round(rows[-1]["seconds"] / rows[0]["seconds"], 2)
        # on a shared machine wall time measures the neighbours too; CPU seconds of the run do not
        rows[-1]["cpu_ratio_to_first"] = round(rows[-1]["cpu_s"] / rows[0]["cpu_s"], 2)
    return rows


def _peak_mb(who: str) -> int:
    """Peak resident memory of this process (VmHWM: not inherited across exec) or of its largest child."""
    if who == "self":
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def main() -> list[dict]:
    from rich.console import Console

    from benchmarks.run import table

    processes = os.cpu_count() or 1
    console = Console(width=200)
    news = real_news(processes)
    console.print(table(f"analyze on {REAL_ARTICLES} real articles vs bare nlp.pipe (median of {REPEATS})", news))
    scale = generated(processes)
    console.print(table("analyze on generated articles, blank pipeline (all but the parse)", scale))
    return news + scale


if __name__ == "__main__":
    main()
