"""SIGKILL at random moments of `storylens ingest` and `storylens analyze`, then the checks of a crash.

The corpus: the bundled sample, the karabakh articles and Multi-News documents as one JSONL (about 60
articles, enough for analyze to start its worker pool). An uninterrupted `analyze --json` in a fresh
store gives the reference report and the run's duration. Then each trial, in a fresh store, starts the
real command in its own process group and SIGKILLs it at a seeded random moment of that duration:

- analyze trials kill `storylens analyze` anywhere from ingest to the last write, then re-run it;
- ingest trials kill `storylens ingest`, then run `analyze` to completion.

Half the trials are killed at a random moment of the command's uninterrupted duration; the other half
wait until the store shows a chosen step begun or done (the first article stored, the first placement,
parse or story result, every story result), then kill after a random further delay. Without these the
short steps (ingest's commits, the story stage, the last writes) would rarely be hit: on a loaded
machine most timed ingest kills land while Python is still starting.

Checks per trial: `PRAGMA integrity_check` of the killed store is "ok"; no process is left (none in the
killed command's process group, none whose command line names the store) once a grace period is over;
the re-run exits 0; its JSON report equals the reference apart from `generated_at`.

STORYLENS_BENCH_KILLS sets the number of trials (default 100, half of each kind).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rich.console import Console

from benchmarks.gold import CORPORA
from benchmarks.run import table

KILLS = int(os.environ.get("STORYLENS_BENCH_KILLS", "100"))
MULTINEWS_DOCS = 45  # with the sample and karabakh: about 60 articles, past analyze's pool threshold of 40
SEED = 20240612
GRACE_S = 3.0  # workers must be gone this long after their parent was killed
TIMEOUT_FACTOR = 6  # a run may take this many times the reference before it counts as hung
TIMEOUT_MIN_S = 60.0
GATE_DELAY_S = 0.3  # a gated kill comes up to this long after its step shows in the store
POLL_S = 0.01


@dataclass
class Trial:
    kind: str  # "analyze" or "ingest": the command killed
    kill_after_s: float
    finished_before_kill: bool = False
    had_workers: bool = False  # the killed process had child processes
    stage: str = ""  # how far the killed run had got, from what its store holds
    integrity_ok: bool = False
    orphans: list[str] = field(default_factory=list)
    rerun_ok: bool = False
    identical: bool = False
    gate: str = ""  # the store content the kill waited for, if any
    note: str = ""


def write_corpus(folder: Path) -> Path:
    """The sample, the karabakh articles and MULTINEWS_DOCS Multi-News documents under `folder`."""
    corpus = folder / "corpus"
    with resources.as_file(resources.files("storylens") / "sample") as sample:
        shutil.copytree(sample, corpus / "sample")
    (corpus / "karabakh").mkdir()
    for article in sorted((CORPORA / "karabakh").glob("*.txt")):  # not gold.json: it is the answers
        shutil.copy(article, corpus / "karabakh" / article.name)
    docs = []
    with open(CORPORA / "multinews_sample" / "mds_sample.jsonl", encoding="utf-8") as rows:
        for n, line in enumerate(rows):
            for k, doc in enumerate(json.loads(line)["documents"]):
                docs.append({"text": doc.strip(), "url": f"https://multinews.test/{n}/{k}"})
    lines = (json.dumps(d) + "\n" for d in docs[:MULTINEWS_DOCS])
    (corpus / "multinews.jsonl").write_text("".join(lines), encoding="utf-8")
    return corpus


def command(kind: str, corpus: Path, db: Path, report: Path) -> list[str]:
    cmd = [sys.executable, "-m", "storylens.cli", kind, str(corpus), "--db", str(db)]
    # ingest: a few articles per transaction, so that kills fall between many commits, not in one
    return cmd + (["--json", str(report)] if kind == "analyze" else ["--batch-size", "2"])


def run_to_end(cmd: list[str], timeout: float) -> tuple[int | None, str]:
    """Exit code (None on timeout, the process group then killed) and the end of stderr."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err[-2000:]
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        return None, f"timed out after {timeout:.0f} s"


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (Linux)."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listed:
                found.extend(int(c) for c in listed.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found


def leftovers(group: int, marker: str) -> list[tuple[int, str]]:
    """Live processes (zombies aside) in process group `group` or whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # after "(comm)": state, ppid, pgrp, ...
            with open(f"/proc/{entry}/cmdline", "rb") as raw:
                cmdline = raw.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if fields[0] != "Z" and (int(fields[2]) == group or marker in cmdline):
            found.append((int(entry), cmdline))
    return found


def wait_for_no_leftovers(group: int, marker: str, grace: float = GRACE_S) -> list[tuple[int, str]]:
    """What is still running after `grace` seconds (empty as soon as nothing is)."""
    deadline = time.monotonic() + grace
    while (found := leftovers(group, marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def integrity(db: Path) -> str:
    if not db.exists():
        return "ok"  # killed before the store was created: nothing to damage
    conn = sqlite3.connect(db, timeout=30)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as err:
        return f"{type(err).__name__}: {err}"
    finally:
        conn.close()


# what each step leaves in the store, in the order analyze gets there (parses are made during placement)
STEPS = (("ingest", "articles"), ("place", "placements"), ("parse", "annotations"), ("stories", "story_results"))


def counts(db: Path) -> dict[str, int]:
    found = {}
    if db.exists():
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as conn:
            for _, name in STEPS:
                try:
                    found[name] = conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                except sqlite3.DatabaseError:
                    found[name] = 0
    return found


def stage_reached(db: Path, complete: dict[str, int]) -> str:
    """The step a killed run was in: the first whose rows are not all in the store."""
    held = counts(db)
    if not held.get("articles"):
        return "start"
    return next((step for step, name in STEPS if held[name] < complete[name]), "link/report")


def comparable(report: Path) -> dict | None:
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    data.pop("generated_at", None)
    return data


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


# the steps a gated kill waits for: a table of the store holding at least this many rows
GATES = {
    "ingest": (("articles", 1), ("articles", "half")),
    "analyze": (("placements", 1), ("annotations", 1), ("story_results", 1), ("story_results", "all")),
}


def gate_rows(table_name: str, wanted: int | str, complete: dict[str, int]) -> int:
    whole = complete[table_name]
    return {"all": whole, "half": max(1, whole // 2)}.get(wanted, wanted)


def wait_for_rows(proc: subprocess.Popen, db: Path, table_name: str, rows: int, timeout: float) -> bool:
    """Whether the store held `rows` rows of `table_name` while `proc` still ran."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if counts(db).get(table_name, 0) >= rows:
            return True
        time.sleep(POLL_S)
    return False


def kill_trial(
    kind: str,
    when: tuple[float, tuple[str, int] | None],
    corpus: Path,
    folder: Path,
    reference: dict,
    complete: dict[str, int],
    timeout: float,
) -> Trial:
    """Start `kind` in a fresh store, SIGKILL it `when` = (seconds, after rows of a table show in the
    store, or from the start), check, re-run `analyze`."""
    delay, gate = when
    trial = Trial(kind, 0.0, gate=f"{gate[0]} >= {gate[1]}" if gate else "")
    folder.mkdir()
    db, report = folder / "store.db", folder / "report.json"
    cmd = command(kind, corpus, db, report)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if gate and not wait_for_rows(proc, db, *gate, timeout):
            raise subprocess.TimeoutExpired(cmd, 0)  # the step never showed: kill now
        proc.wait(timeout=delay)
        trial.finished_before_kill = True
    except subprocess.TimeoutExpired:
        trial.had_workers = bool(children(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must notice by themselves
        proc.wait()
    trial.kill_after_s = round(time.monotonic() - started, 2)
    left = wait_for_no_leftovers(proc.pid, str(db))
    trial.orphans = [f"{pid}: {cmdline[:160]}" for pid, cmdline in left]
    for pid, _ in left:  # a found orphan is reported, then ended so that the next trial starts clean
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    checked = integrity(db)
    trial.integrity_ok = checked == "ok"
    if not trial.integrity_ok:
        trial.note = f"integrity_check: {checked[:300]}"
        shutil.copy(db, folder.parent / f"corrupt-{folder.name}.db")  # kept for a look
    else:
        trial.stage = stage_reached(db, complete)
        if kind == "ingest" and trial.stage not in ("start", "ingest"):
            trial.stage = "after ingest"  # every article stored: killed while ending
    report.unlink(missing_ok=True)
    code, err = run_to_end(command("analyze", corpus, db, report), timeout)
    trial.rerun_ok = code == 0
    if not trial.rerun_ok:
        trial.note += f" re-run exit {code}: {err.strip()[-300:]}"
    trial.identical = trial.rerun_ok and comparable(report) == reference
    if trial.rerun_ok and not trial.identical:
        kept = folder.parent / f"differs-{folder.name}.json"
        shutil.copy(report, kept)
        trial.note += f" report differs: {kept}"
    return trial


def summary_row(name: str, trials: list[Trial]) -> dict:
    killed = [t for t in trials if not t.finished_before_kill]
    return {
        "killed": name,
        "trials": len(trials),
        "integrity_ok": sum(t.integrity_ok for t in trials),
        "reruns_completed": sum(t.rerun_ok for t in trials),
        "reports_identical": sum(t.identical for t in trials),
        "orphans_found": sum(len(t.orphans) for t in trials),
        "median_s_to_kill": round(statistics.median(t.kill_after_s for t in killed), 2) if killed else "",
        "killed_with_workers": sum(t.had_workers for t in killed),
        "finished_before_kill": len(trials) - len(killed),
        "gated": sum(bool(t.gate) for t in killed),
        "killed_in": ", ".join(f"{s} {n}" for s, n in Counter(t.stage for t in killed).items()),
    }


def main(kills: int = KILLS, seed: int = SEED) -> list[dict]:
    console = Console(width=200)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="storylens-kill-") as tmp:
        root = Path(tmp)
        corpus = write_corpus(root)
        # the uninterrupted runs: the reference report and how long each command takes
        durations = {}
        for kind in ("ingest", "analyze"):
            folder = root / f"reference-{kind}"
            folder.mkdir()
            started = time.perf_counter()
            code, err = run_to_end(command(kind, corpus, folder / "store.db", folder / "report.json"), 900)
            durations[kind] = time.perf_counter() - started
            if code != 0:
                raise SystemExit(f"the uninterrupted {kind} failed (exit {code}): {err}")
        reference = comparable(root / "reference-analyze" / "report.json")
        complete = counts(root / "reference-analyze" / "store.db")
        articles = complete["articles"]
        console.print(
            f"{articles} articles, {len(reference['stories'])} stories; uninterrupted ingest "
            f"{durations['ingest']:.1f} s, analyze {durations['analyze']:.1f} s"
        )
        timeout = max(TIMEOUT_MIN_S, TIMEOUT_FACTOR * durations["analyze"])
        trials: list[Trial] = []
        for n in range(kills):
            kind = "analyze" if n % 2 == 0 else "ingest"
            if n // 2 % 2 == 0:  # anywhere from the start to near the end (runs vary: not past 0.8 of one)
                when = (rng.uniform(0.02, 0.8) * durations[kind], None)
            else:
                table_name, wanted = rng.choice(GATES[kind])
                when = (rng.uniform(0, GATE_DELAY_S), (table_name, gate_rows(table_name, wanted, complete)))
            trial = kill_trial(kind, when, corpus, root / f"trial-{n:03}", reference, complete, timeout)
            trials.append(trial)
            flags = "ok" if trial.integrity_ok and trial.identical and not trial.orphans else "FAILED"
            console.print(
                f"[dim]{n + 1}/{kills} {kind} killed at {trial.kill_after_s:.2f} s"
                f"{' (had finished)' if trial.finished_before_kill else ''}"
                f"{f' (once {trial.gate})' if trial.gate else ''}"
                f"{' with workers' if trial.had_workers else ''} in {trial.stage or '?'}: {flags}[/] {trial.note}"
            )
            for orphan in trial.orphans:
                console.print(f"  [red]orphan[/] {orphan}")
            shutil.rmtree(root / f"trial-{n:03}", ignore_errors=True)
            kept = sorted(p.name for p in root.glob("*-trial-*"))
            if kept:  # failures are kept outside the temporary folder, to reproduce
                keep = Path(tempfile.gettempdir()) / "storylens-kill-failures"
                keep.mkdir(exist_ok=True)
                for name in kept:
                    shutil.move(root / name, keep / name)
                console.print(f"  kept in {keep}: {', '.join(kept)}")
    rows = [summary_row(kind, [t for t in trials if t.kind == kind]) for kind in ("analyze", "ingest")]
    rows.append(summary_row("all", trials))
    console.print(table(f"SIGKILL at random moments (seed {seed}), then integrity, orphans, a re-run", rows))
    return rows


if __name__ == "__main__":
    main()
