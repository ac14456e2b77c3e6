"""The per-story stage is pure, its results are kept in the store, and only changed stories are redone."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from conftest import KARABAKH
from storylens import nlp
from storylens.analysis import analyze_story
from storylens.engine.analyze import analyze, analyzed_stories
from storylens.engine.local import ingest
from storylens.model import AnalysisSettings, Article, Story, StoryInput, StoryResult
from storylens.report.build import build_report
from storylens.store import Store
from storylens.store.codec import decode, encode
from storylens.store.db import migrations

SAMPLE = str(resources.files("storylens") / "sample")

STRIKE_A = Article(
    id="a",
    title="Port Calder dockers strike",
    source="The Calder Courier",
    text=(
        "Dock workers at Port Calder walked off the job on Monday, halting traffic at the harbour.\n\n"
        "\u201cWe will not load a single ship until the contract is signed,\u201d union leader Mara Elling told "
        "reporters outside the gates.\n\n"
        "Police said 12 people were injured when strikers and security guards clashed at the north gate."
    ),
)
STRIKE_B = Article(
    id="b",
    source="Harbour Wire",
    text=(
        "Dock workers at Port Calder walked off the job on Monday, halting traffic at the harbour.\n\n"
        "\u201cWe will not load a single ship until the contract is signed,\u201d said union leader Mara Elling.\n\n"
        "Hospital staff said 31 people were injured in the clashes at the north gate of the port."
    ),
)


def storylens(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, env=env)


def _input(*articles: Article) -> StoryInput:
    pipeline = nlp.load()
    docs = {a.id: pipeline(a.text) for a in articles}
    titles = {a.id: pipeline(a.title) for a in articles if a.title}
    return StoryInput(Story("s1", list(articles)), docs, titles, budget_words=60)


def test_the_stage_is_a_pure_function_of_its_input():
    given = _input(STRIKE_A, STRIKE_B)
    loads = nlp.load.cache_info()
    first, second = analyze_story(given), analyze_story(given)
    assert nlp.load.cache_info() == loads  # no pipeline loaded inside
    assert first == second and not first.errors
    speakers = {q.speaker for f in first.facts.values() for q in f.quotes if q.kind == "direct"}
    assert speakers and all("Mara Elling" in s for s in speakers)
    assert first.summary and all(s.sources for s in first.summary)
    conflict = [g for g in first.claim_groups if g.verdict == "conflict"]
    assert len(conflict) == 1 and "12" in conflict[0].explanation and "31" in conflict[0].explanation
    assert decode(StoryResult, encode(first)) == first  # what the store keeps is what the stage returned


def test_a_failing_step_is_recorded_and_the_others_still_run():
    given = _input(STRIKE_A, STRIKE_B)
    del given.docs["b"]  # b's parse is missing: every step that needs it fails, the rest is whole
    result = analyze_story(given)
    stages = [e.stage for e in result.errors]
    assert any(s.startswith("extract b") for s in stages) and "framing" in stages
    assert result.facts["a"].quotes and result.summary
    assert all("KeyError" in e.error for e in result.errors)


def _analyze(store: Store, paths: list[str]):
    ingest(paths, store)
    return analyze(store, store.ids_for_paths(paths), AnalysisSettings(jobs=1))


def test_nothing_new_analyses_nothing_and_a_new_article_redoes_only_its_story(tmp_path):
    names = sorted(os.listdir(SAMPLE))
    held_back = next(n for n in names if n.startswith("04"))  # an article of the dam story
    first = [os.path.join(SAMPLE, n) for n in names if n != held_back]
    with Store(tmp_path / "s.db") as store:
        run = _analyze(store, first)
        assert run.analysed == len(run.stories) == 4 and run.current == 0
        stamps = dict(store.conn.execute("SELECT story_id, analyzed_at FROM story_results"))
        again = _analyze(store, first)
        assert (again.analysed, again.parsed, again.current) == (0, 0, 4)
        grown = _analyze(store, [*first, os.path.join(SAMPLE, held_back)])
        assert grown.analysed == 1 and grown.parsed == 1
        after = dict(store.conn.execute("SELECT story_id, analyzed_at FROM story_results"))
        changed = [s for s in stamps if after[s] != stamps[s]]
        dam_story = store.placements(store.ids_for_paths([os.path.join(SAMPLE, held_back)]))
        assert changed == [next(iter(dam_story.values()))[0]]


def test_report_and_stories_read_the_store_without_analysing(tmp_path):
    db = str(tmp_path / "s.db")
    analysed = storylens("analyze", SAMPLE, "--db", db, "--json", str(tmp_path / "a.json"))
    assert analysed.returncode == 0, analysed.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM annotations")  # a report needs no parse: it reads stored results
    reported = storylens("report", "--db", db, "--json", str(tmp_path / "r.json"), "--out", str(tmp_path / "out"))
    assert reported.returncode == 0, reported.stderr
    a, r = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("a", "r"))
    a.pop("generated_at"), r.pop("generated_at")
    assert a["stories"] and a == r
    one = a["stories"][0]["id"]
    single = storylens("report", "--db", db, "--story", one[:14], "--json", str(tmp_path / "one.json"))
    assert single.returncode == 0, single.stderr
    assert [s["id"] for s in json.loads((tmp_path / "one.json").read_text())["stories"]] == [one]
    listed = storylens("stories", "--db", db)
    assert listed.returncode == 0 and "4 stories in the store" in listed.stdout
    assert len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", listed.stdout)) == 4  # each with its analysis time
    unknown = storylens("report", "--db", db, "--story", "nope")
    assert unknown.returncode == 2 and "no story with id 'nope'" in unknown.stderr


def test_a_story_that_fails_is_listed_and_the_run_goes_on(tmp_path):
    db = str(tmp_path / "s.db")
    rss = os.path.join(SAMPLE, "wire.rss")
    ingested = storylens("ingest", SAMPLE, "--db", db)
    assert ingested.returncode == 0, ingested.stderr
    with Store(db) as store:
        victim = store.ids_for_paths([rss])[0]
        key = nlp.pipeline_id(nlp.load())
        store.put_annotations(key, [(victim, b"\x78 not a parse")])  # a damaged stored parse
    result = storylens("analyze", SAMPLE, "--db", db, "--json", str(tmp_path / "r.json"))
    assert result.returncode == 3, result.stderr
    assert "with a failed step" in result.stdout and "parse" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    failed = [s for s in report["stories"] if s["errors"]]
    assert len(failed) == 1 and victim in failed[0]["articles"] and failed[0]["errors"][0]["stage"] == "parse"
    assert all(s["summary"] for s in report["stories"] if not s["errors"])


def test_an_old_store_is_upgraded_and_keeps_what_it_held(tmp_path):
    db = tmp_path / "old.db"
    with Store(tmp_path / "new.db") as new:  # articles and their story as an older storylens left them
        ingest([os.path.join(SAMPLE, "wire.rss")], new)
        analyze(new, [a.id for a in new.articles()], AnalysisSettings(jobs=1))
        placed = new.placements()
    with sqlite3.connect(db) as conn:
        for version, _name, sql in migrations():
            if version <= 3:
                conn.executescript(sql)
        conn.execute("PRAGMA user_version = 3")
        conn.execute(f"ATTACH DATABASE '{tmp_path / 'new.db'}' AS new")
        for table in ("articles", "article_paths", "annotations", "placements", "reuse", "indexes"):
            conn.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
        conn.commit()
        conn.execute("DETACH DATABASE new")
    with Store(db) as store:
        assert store.schema_version == max(v for v, _, _ in migrations())
        assert store.placements() == placed and store.count_articles() == len(placed)
        run = analyze(store, [a.id for a in store.articles()], AnalysisSettings(jobs=1))
        assert run.parsed == 0 and run.analysed == len(set(s for s, _ in placed.values()))  # parses kept


@pytest.mark.corpus
def test_links_a_killed_run_left_undone_are_made_by_the_next(tmp_path):
    with Store(tmp_path / "s.db") as store:
        _analyze(store, [str(KARABAKH)])
        links = dict(store.conn.execute("SELECT story_id || other, groups FROM story_links"))
        assert links  # the two karabakh stories share figures
        # as if the run had been killed after storing results and before linking
        store.conn.execute("DELETE FROM story_links")
        store.conn.execute("UPDATE story_results SET linked = 0")
        again = _analyze(store, [str(KARABAKH)])
        assert again.analysed == 0
        assert dict(store.conn.execute("SELECT story_id || other, groups FROM story_links")) == links


@pytest.mark.corpus
def test_a_story_reads_the_same_whatever_else_is_in_the_store(tmp_path):
    """Unrelated stories analysed before or alongside change nothing in a story's report."""

    def karabakh_stories(db: Path, paths: list[str]) -> list[dict]:
        with Store(db) as store:
            ingest(paths, store)
            ids = store.ids_for_paths(paths)
            run = analyze(store, ids, AnalysisSettings(jobs=1))
            report = build_report(*analyzed_stories(store, run.stories, ids))
            mine = set(store.ids_for_paths([str(KARABAKH)]))
        return sorted((s for s in report["stories"] if set(s["articles"]) & mine), key=lambda s: s["id"])

    alone = karabakh_stories(tmp_path / "alone.db", [str(KARABAKH)])
    along = karabakh_stories(tmp_path / "along.db", [SAMPLE, str(KARABAKH)])
    assert len(alone) == 2 and alone == along
    assert any(a.get("other_story") for s in alone for a in s["agreements"])  # the two karabakh stories link


@pytest.mark.corpus
def test_real_articles_mixed_with_scraped_junk_give_a_report(tmp_path):
    """Everything a scraper brings home beside real news: the run completes, the junk is named with why
    and kept out of stories, the real articles form their stories."""
    junk = Path(__file__).parent / "junk" / "test"
    db, out = str(tmp_path / "s.db"), tmp_path / "r.json"
    result = storylens("analyze", str(KARABAKH), str(junk), "--db", db, "--json", str(out))
    assert result.returncode in (0, 3), result.stderr  # 3: some junk files are unreadable at ingest
    assert "Traceback" not in result.stderr
    report = json.loads(out.read_text())
    set_aside = {Path(n["path"]).name: n["reason"] for n in report["not_articles"]}
    with Store(db) as store:
        skipped_at_ingest = {p.name for p in junk.iterdir()} - {
            Path(p).name.split("#")[0] for a in store.articles() for p in [a.path, *a.extra_paths]
        }
    assert set(set_aside) | skipped_at_ingest == {p.name for p in junk.iterdir()}  # every junk item caught
    assert all(reason for reason in set_aside.values())
    story_articles = {a for s in report["stories"] for a in s["articles"]}
    assert not story_articles & {n["id"] for n in report["not_articles"]}
    assert len(report["stories"]) == 2 and len(story_articles) == 5  # karabakh's two stories, whole
    assert "kept out of stories: not news articles" in result.stdout
