"""A SIGKILL of `storylens analyze` while its worker processes run: the workers end with it, the store
stays sound and the next run reports what an uninterrupted one does."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

GENERATED = 32  # with the sample's 17, past the 40 articles from which analyze starts workers

TOWNS = ["Arlen", "Bexmoor", "Caddow", "Dunmere", "Eskby", "Farrowgate", "Glenholt", "Harwick"]
EVENTS = [
    ("a fire destroyed a grain warehouse", "firefighters", "tonnes of grain were lost"),
    ("the council approved a new tram line", "councillors", "kilometres of track are planned"),
    ("a storm cut power to homes", "engineers", "homes were still without power"),
    ("teachers walked out over pay", "union members", "schools stayed closed"),
]
PEOPLE = ["Ada Marsh", "Bram Oyelaran", "Celia Voss", "Dario Penk", "Edda Sorel", "Femi Lund", "Gus Ardent"]


def _fictional_articles(count: int) -> list[dict]:
    """Short news items about made-up towns: distinct texts, several to a story, dated over two months (so
    that stories close and go to the store in the killed run)."""
    docs = []
    for n in range(count):
        town, (event, actors, figure) = TOWNS[n % len(TOWNS)], EVENTS[n % len(EVENTS)]
        person = PEOPLE[n % len(PEOPLE)]
        text = (
            f"In {town} on Monday {event}, officials said. About {120 + 7 * n} {figure}, according to the "
            f"regional office.\n\n\u201cWe are doing everything we can,\u201d said {person}, who speaks for "
            f"the {actors}. Report number {n} from the {town} desk added that {3 + n % 5} crews were at work "
            f"and that a review would follow within {10 + n} days."
        )
        docs.append({"text": text, "title": f"{town}: {event} ({n})", "url": f"https://wire.test/{n}",
                     "published": (date(2026, 3, 1) + timedelta(days=2 * n)).isoformat()})  # fmt: skip
    return docs


def _corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    with resources.as_file(resources.files("storylens") / "sample") as sample:
        shutil.copytree(sample, corpus / "sample")
    docs = _fictional_articles(GENERATED)
    (corpus / "wire.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    return corpus


def _analyze(corpus: Path, db: Path, report: Path) -> list[str]:
    return [sys.executable, "-m", "storylens.cli", "analyze", str(corpus), "--db", str(db), "--json", str(report),
            "--jobs", "2"]  # fmt: skip


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for whichever process adopted it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _report(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    report.pop("generated_at")
    return report


def test_sigkill_of_analyze_ends_its_workers_and_the_rerun_reports_as_an_uninterrupted_run(tmp_path):
    corpus = _corpus(tmp_path)
    killed_db, rerun_report = tmp_path / "killed.db", tmp_path / "rerun.json"
    cmd = _analyze(corpus, killed_db, rerun_report)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (workers := _children(proc.pid)) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert workers, "analyze started no worker processes before it ended; give it more articles"
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: the workers must end by themselves
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "worker processes outlived the killed analyze"
    finally:  # nothing left behind, whatever failed: the run and its workers are one process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    with sqlite3.connect(killed_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]

    whole_report = tmp_path / "whole.json"
    whole = subprocess.run(_analyze(corpus, tmp_path / "whole.db", whole_report), capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert whole.returncode == 0, whole.stderr[-2000:]
    assert _report(rerun_report) == _report(whole_report)
    with sqlite3.connect(tmp_path / "whole.db") as conn:  # stories closed and went to the store on the way
        assert conn.execute("SELECT COUNT(*) FROM closed_stories").fetchone()[0] > 0
