"""`storylens analyze` end to end on the bundled sample: a valid report whose every offset holds its words."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from importlib import resources

import pytest

from conftest import REPO
from storylens.report.json import validate

SAMPLE = str(resources.files("storylens") / "sample")


def storylens(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analyze")
    db, out = tmp / "s.db", tmp / "out"
    result = storylens("analyze", SAMPLE, "--db", str(db), "--json", str(tmp / "report.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return db, json.loads((tmp / "report.json").read_text()), out, result.stdout


def spans_of(story: dict) -> list[tuple[str, int, int, str | None]]:
    """(article, start, end, the words the span must hold, if the report says them)."""
    out = [(q["article"], q["start"], q["end"], q["text"]) for q in story["quotes"]]
    out += [(c["article"], c["start"], c["end"], c["text"]) for c in story["claims"]]
    out += [(r["a"], r["a_start"], r["a_end"], None) for r in story["reuse"]]
    out += [(r["b"], r["b_start"], r["b_end"], None) for r in story["reuse"]]
    out += [(s["article"], s["start"], s["end"], None) for e in story["timeline"] for s in e["evidence"]]
    out += [(s["article"], s["start"], s["end"], None) for x in story["summary"] for s in x["sources"]]
    return out


def test_report_is_valid_and_every_offset_holds_its_words(analysed):
    _, report, _, _ = analysed
    validate(report)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    checked = 0
    for story in report["stories"]:
        for article, start, end, words in spans_of(story):
            assert 0 <= start < end <= len(texts[article])
            if words is not None:
                assert texts[article][start:end] == words
            checked += 1
        for sentence in story["summary"]:
            own = sentence["sources"][0]
            assert texts[own["article"]][own["start"] : own["end"]] == sentence["text"]
    assert checked > 200


def test_the_duplicate_is_stored_once_and_every_article_has_a_story(analysed):
    _, report, _, _ = analysed
    gold = json.loads((REPO / "benchmarks" / "gold" / "sample_gold.json").read_text())
    assert len(report["articles"]) == len(gold["titles"]) - len(gold["duplicates"])
    story_ids = {s["id"] for s in report["stories"]}
    assert all(a["story"] in story_ids for a in report["articles"])
    two_paths = [a for a in report["articles"] if a["also_read_from"]]
    assert len(two_paths) == 1 and two_paths[0]["also_read_from"][0].endswith("feed_export.jsonl#1")


def test_reports_on_disk(analysed):
    _, report, out, stdout = analysed
    pages = sorted(p.name for p in out.glob("*.html"))
    assert "index.html" in pages and len(pages) == len(report["stories"]) + 1
    assert len(list(out.glob("*.md"))) == len(report["stories"])
    assert "stories from 16 articles" in stdout


def test_second_run_changes_nothing_and_is_stable(analysed, tmp_path):
    db, report, _, _ = analysed

    def dump() -> list[str]:
        with sqlite3.connect(db) as conn:
            return [line for line in conn.iterdump() if "annotations" not in line]

    before = dump()
    result = storylens("analyze", SAMPLE, "--db", str(db), "--json", str(tmp_path / "again.json"))
    assert result.returncode == 0, result.stderr
    assert dump() == before
    again = json.loads((tmp_path / "again.json").read_text())
    assert [a["id"] for a in again["articles"]] == [a["id"] for a in report["articles"]]
    assert [s["articles"] for s in again["stories"]] == [s["articles"] for s in report["stories"]]


def test_adding_articles_places_only_them(tmp_path):
    db = tmp_path / "s.db"
    first = [os.path.join(SAMPLE, n) for n in sorted(os.listdir(SAMPLE)) if n.startswith(("0", "1"))][:6]
    assert storylens("analyze", *first, "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        placed_before = dict(conn.execute("SELECT article_id, story_id FROM placements"))
    assert storylens("analyze", SAMPLE, "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        placed_after = dict(conn.execute("SELECT article_id, story_id FROM placements"))
    assert len(placed_after) > len(placed_before)
    assert {a: placed_after[a] for a in placed_before} == placed_before


def test_a_pipeline_that_is_not_installed_is_named(tmp_path):
    result = storylens("analyze", os.path.join(SAMPLE, "wire.rss"), "--db", str(tmp_path / "s.db"),
                       "--model", "en_core_web_nonexistent")  # fmt: skip
    assert result.returncode == 5
    assert "en_core_web_nonexistent" in result.stderr and "is not installed" in result.stderr


def test_a_saved_index_this_version_cannot_read_is_rebuilt(tmp_path):
    db = tmp_path / "s.db"
    wire = os.path.join(SAMPLE, "wire.rss")
    assert storylens("analyze", wire, "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE indexes SET data = ?", (b"\x00\x00\x00\x00\x00\x00\x00\x02{}not a tracker",))
    result = storylens("analyze", wire, "--db", str(db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM placements").fetchone()[0] == 2
