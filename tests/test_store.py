"""The store: one SQLite file that survives being killed and never changes on a re-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from samples import BRIDGE, HARBOUR
from storylens.engine.local import ingest
from storylens.ingest.normalize import article_id
from storylens.store import Store
from storylens.store.db import migrations


def snapshot(db_path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


def test_wal_schema_version_and_search(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == migrations()[-1][0] >= 1
    store.add_articles([])  # an empty batch is fine


def test_same_text_from_two_paths_is_stored_once_with_both(store, tmp_path):
    (tmp_path / "a.txt").write_text(HARBOUR)
    # the same article saved by another tool: straight quotes, other line breaks and spacing
    (tmp_path / "b.txt").write_text(HARBOUR.replace("\u201c", '"').replace("\u201d", '"').replace("\n\n", "\r\n\r\n  "))
    summary = ingest([str(tmp_path)], store)
    assert (summary.read, summary.stored, summary.duplicates) == (2, 1, 1)
    (art,) = store.articles()
    assert sorted([art.path, *art.extra_paths]) == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert art.id == article_id(HARBOUR)
    assert store.search("harbour")[0][0] == art.id


def test_rerun_changes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(HARBOUR)
    (tmp_path / "in" / "b.txt").write_text(BRIDGE)
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([str(tmp_path / "in")], store)
    first = snapshot(db)
    with Store(db) as store:
        again = ingest([str(tmp_path / "in")], store)
    assert (again.stored, again.duplicates) == (0, 2)
    assert snapshot(db) == first


def _write_jsonl_inputs(folder, files: int, per_file: int) -> list[str]:
    """Distinct generated articles; returns their ids in the order ingest reads them."""
    folder.mkdir()
    ids = []
    for f in range(files):
        rows = []
        for r in range(per_file):
            text = f"Report {f}-{r}. The council of district {f} met on day {r} and voted {r % 7} to {f % 5}. " * 3
            rows.append(json.dumps({"text": text, "title": f"Council vote {f}-{r}"}))
            ids.append(article_id(text.strip()))
        (folder / f"part{f:03}.jsonl").write_text("\n".join(rows))
    return ids


def test_sigkill_mid_run_leaves_a_consistent_store_that_the_next_run_completes(tmp_path):
    ids = _write_jsonl_inputs(tmp_path / "in", files=80, per_file=500)
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "storylens.cli", "ingest", str(tmp_path / "in"), "--db", str(db),
           "--batch-size", "250", "--jobs", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.monotonic() + 120
    while committed < 1000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    committed = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                pass  # schema not created yet
    assert proc.poll() is None, "the run ended before it could be killed; give it more input"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY seq")]
        paths = conn.execute("SELECT COUNT(*) FROM article_paths").fetchone()[0]
    assert 1000 <= len(stored) < len(ids)
    assert len(stored) % 250 == 0  # whole batches only
    assert stored == ids[: len(stored)]  # exactly the batches committed before the kill
    assert paths == len(stored)

    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        final = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY seq")]
    assert final == ids


def test_a_newer_store_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "future.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    result = subprocess.run(
        [sys.executable, "-m", "storylens.cli", "list", "--db", str(db)], capture_output=True, text=True
    )
    assert result.returncode == 5 and "upgrade storylens" in result.stderr
