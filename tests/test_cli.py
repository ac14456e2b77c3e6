"""The commands a person runs, as subprocesses: the demo, the progress bar, listing the store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import REPO
from samples import BRIDGE

SAMPLE_GOLD = REPO / "benchmarks" / "gold" / "sample_gold.json"


def storylens(*args: str, cwd=None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storylens.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **env},
    )


def test_demo_stores_every_distinct_sample_article(tmp_path):
    gold = json.loads(SAMPLE_GOLD.read_text())
    refs = set(gold["titles"])
    distinct = len(refs) - len(gold["duplicates"])
    result = storylens("demo", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert f"{distinct} article(s) in the store" in result.stdout
    # a title the gold gives, shown in the table
    assert gold["titles"]["07_brask_port_strike.html"] in result.stdout
    again = storylens("demo", "--db", str(tmp_path / "demo.db"))
    assert re.search(r"stored \(new\)\s*│\s*0\s*│", again.stdout)
    assert re.search(r"duplicates \(already stored\)\s*│\s*17\s*│", again.stdout)


def test_progress_bar_is_drawn_on_a_terminal(tmp_path):
    (tmp_path / "in").mkdir()
    for n in range(12):
        (tmp_path / "in" / f"a{n}.txt").write_text(f"Item {n}. " + BRIDGE)
    result = storylens("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "s.db"), FORCE_COLOR="1", TERM="xterm")
    assert result.returncode == 0
    assert "12/12" in result.stderr and "ingest" in result.stderr


def test_list_shows_titles_and_paths(tmp_path):
    (tmp_path / "bridge.txt").write_text("Tavin bridge shut after cracks found\n\n" + BRIDGE)
    storylens("ingest", str(tmp_path / "bridge.txt"), "--db", str(tmp_path / "s.db"))
    listed = storylens("list", "--db", str(tmp_path / "s.db"))
    assert "Tavin bridge shut after cracks found" in listed.stdout and "bridge.txt" in listed.stdout


def test_commands_that_read_a_store_refuse_a_path_with_no_store_and_create_none(tmp_path):
    """A mistyped --db is named as such, not answered with an empty store left behind."""
    missing = tmp_path / "typo.db"
    for args in (["report"], ["stories"], ["list"], ["export", "--out", str(tmp_path / "tables")]):
        done = storylens(*args, "--db", str(missing))
        assert done.returncode == 4, (args, done.stderr)
        assert "no store at" in done.stderr and "storylens ingest" in done.stderr
        assert not missing.exists()
    assert not (tmp_path / "tables").exists()
