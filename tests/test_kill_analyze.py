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
from importlib import resources
from pathlib import Path

from conftest import CORPORA, KARABAKH

MULTINEWS_DOCS = 26  # with the sample and karabakh, past the 40 articles from which analyze starts workers


def _corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    with resources.as_file(resources.files("storylens") / "sample") as sample:
        shutil.copytree(sample, corpus / "sample")
    (corpus / "karabakh").mkdir()
    for article in KARABAKH.glob("*.txt"):
        shutil.copy(article, corpus / "karabakh" / article.name)
    docs = []
    with open(CORPORA / "multinews_sample" / "mds_sample.jsonl", encoding="utf-8") as rows:
        for n, line in enumerate(rows):
            for k, doc in enumerate(json.loads(line)["documents"]):
                docs.append({"text": doc.strip(), "url": f"https://multinews.test/{n}/{k}"})
    (corpus / "multinews.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs[:MULTINEWS_DOCS]))
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
