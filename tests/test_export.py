"""`storylens export`: the analysis as flat tables that hold what the JSON report holds and join on their ids;
the store browsed in a real Datasette with the labels `--datasette` writes."""

from __future__ import annotations

import csv
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storylens.store import Store

TABLES = ["articles", "stories", "entities", "quotes", "claims", "claim_groups", "claim_group_members", "reuse"]


def storylens(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled sample analysed into a store, and the JSON report `storylens report` writes of it."""
    folder = tmp_path_factory.mktemp("export")
    shutil.copytree(resources.files("storylens") / "sample", folder / "sample")
    db = folder / "news.db"
    done = storylens("analyze", str(folder / "sample"), "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    done = storylens("report", "--db", str(db), "--json", str(folder / "report.json"))
    assert done.returncode == 0, done.stderr[-2000:]
    return db, json.loads((folder / "report.json").read_text(encoding="utf-8"))


def _export(db: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    done = storylens("export", "--db", str(db), "--out", str(out), *args)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _counts_in_report(report: dict) -> dict[str, int]:
    """Rows each table must have: counted from the report's own lists."""
    stories = report["stories"]
    groups = [g for s in stories for g in s["agreements"] + s["conflicts"]]
    return {
        "articles": len(report["articles"]),
        "stories": len(stories),
        "entities": sum(len(s["entities"]) for s in stories),
        "quotes": sum(len(s["quotes"]) for s in stories),
        "claims": sum(len(s["claims"]) for s in stories),
        "claim_groups": len(groups),
        "claim_group_members": sum(len(g["claims"]) for g in groups),
        "reuse": sum(len(s["reuse"]) for s in stories),
    }


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def test_csv_tables_hold_as_many_rows_as_the_json_report(analysed, tmp_path):
    db, report = analysed
    _export(db, tmp_path)
    expected = _counts_in_report(report)
    assert min(expected.values()) > 0  # the sample has something in every table
    assert {name: len(_read_csv(tmp_path / f"{name}.csv")) for name in TABLES} == expected


def test_csv_values_are_the_reports(analysed, tmp_path):
    db, report = analysed
    _export(db, tmp_path)
    articles = {row["id"]: row for row in _read_csv(tmp_path / "articles.csv")}
    for art in report["articles"]:
        row = articles[art["id"]]
        assert (row["title"], row["story"], row["text"]) == (art["title"] or "", art["story"], art["text"])
        assert float(row["originality"]) == pytest.approx(art["originality"])
    entities = {(row["story"], row["id"]): row for row in _read_csv(tmp_path / "entities.csv")}
    for story in report["stories"]:
        for entity in story["entities"]:
            row = entities[(story["id"], entity["id"])]
            assert json.loads(row["aliases"]) == entity["aliases"]  # a list column is a JSON array in CSV
            assert int(row["mentions"]) == entity["mentions"]


def test_ids_join_in_duckdb(analysed, tmp_path):
    db, report = analysed
    _export(db, tmp_path)
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{tmp_path / name}.csv', header=true)")
    keys = {"articles": "id", "stories": "id", "entities": "story, id", "quotes": "story, id", "claims": "story, id",
            "claim_groups": "id", "claim_group_members": '"group", claim'}  # fmt: skip
    for name, key in keys.items():
        assert con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {name}").fetchone()[0] == 0, name
    unmatched = {
        "claims without their article": "SELECT count(*) FROM claims LEFT JOIN articles a ON a.id = claims.article "
        "WHERE a.id IS NULL",
        "quotes without their article": "SELECT count(*) FROM quotes LEFT JOIN articles a ON a.id = quotes.article "
        "WHERE a.id IS NULL",
        "members without their claim": "SELECT count(*) FROM claim_group_members m LEFT JOIN claims c "
        "ON c.story = m.story AND c.id = m.claim WHERE c.id IS NULL",
        "groups without their story": "SELECT count(*) FROM claim_groups g LEFT JOIN stories s ON s.id = g.story "
        "WHERE s.id IS NULL",
        "reuse without article b": "SELECT count(*) FROM reuse LEFT JOIN articles a ON a.id = reuse.b "
        "WHERE a.id IS NULL",
    }
    for what, sql in unmatched.items():
        assert con.execute(sql).fetchone()[0] == 0, what
    conflicts = con.execute("SELECT count(*) FROM claim_groups WHERE verdict = 'conflict'").fetchone()[0]
    assert conflicts == sum(len(s["conflicts"]) for s in report["stories"])
    sizes = dict(con.execute("SELECT story, count(*) FROM articles GROUP BY story").fetchall())
    for story in report["stories"]:
        assert sizes[story["id"]] >= len(story["articles"])


def test_parquet_and_jsonl_hold_the_same_rows_with_types(analysed, tmp_path):
    db, _ = analysed
    _export(db, tmp_path / "pq", "--format", "parquet")
    _export(db, tmp_path / "jl", "--format", "jsonl")
    for name in TABLES:
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        lines = (tmp_path / "jl" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert table.to_pylist() == [json.loads(line) for line in lines], name
    claims = pq.read_table(tmp_path / "pq" / "claims.parquet")
    assert str(claims.schema.field("start").type) == "int64"
    assert str(claims.schema.field("value_number").type) == "double"
    aliases = pq.read_table(tmp_path / "pq" / "entities.parquet").schema.field("aliases").type
    assert pa.types.is_list(aliases) and pa.types.is_string(aliases.value_type)


def test_table_option_writes_only_those_tables(analysed, tmp_path):
    db, _ = analysed
    done = _export(db, tmp_path, "--table", "claims", "--table", "claim_groups", "--format", "jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claim_groups.jsonl", "claims.jsonl"]
    assert "claims.jsonl" in done.stdout
    wrong = storylens("export", "--db", str(db), "--out", str(tmp_path), "--table", "speakers")
    assert wrong.returncode == 2 and "no table 'speakers'" in wrong.stderr


def test_parquet_without_pyarrow_says_how_to_get_it(analysed, tmp_path):
    db, _ = analysed
    # this interpreter with pyarrow made unimportable, as in an install without the [parquet] extra
    code = "import sys; sys.modules['pyarrow'] = None; from storylens.cli import main; main()"
    args = ["export", "--db", str(db), "--out", str(tmp_path), "--format", "parquet"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "pyarrow" in done.stderr and "storylens[parquet]" in done.stderr
    assert not list(tmp_path.glob("*.parquet"))


def test_a_store_with_nothing_analysed_is_refused(tmp_path):
    Store(tmp_path / "empty.db").close()  # a store, but nothing in it
    done = storylens("export", "--db", str(tmp_path / "empty.db"), "--out", str(tmp_path / "out"))
    assert done.returncode == 4 and "no analysed story" in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict | list:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_datasette_opens_the_store_and_finds_a_storys_articles(analysed, tmp_path):
    db, report = analysed
    _export(db, tmp_path, "--datasette", "--table", "stories")
    metadata = tmp_path / "datasette-metadata.json"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-m", str(metadata), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        story = max(report["stories"], key=lambda s: len(s["articles"]))
        rows = _get(f"{base}/{db.stem}/placements.json?story_id={story['id']}&_shape=array&_labels=on")
        assert {r["article_id"]["value"] for r in rows} == set(story["articles"])
        titles = {a["id"]: a["title"] for a in report["articles"]}
        for row in rows:  # a foreign key to an article shows its title (label_column in the metadata)
            assert row["article_id"]["label"] in (titles[row["article_id"]["value"]], row["article_id"]["value"])
        word = story["title"].split()[0]
        found = _get(f"{base}/{db.stem}/articles.json?_search={word}&_shape=array")  # the index the labels name
        assert set(story["articles"]) & {r["id"] for r in found}
        assert all(word.lower() in f"{r['title']} {r['text']}".lower() for r in found)
        labels = _get(f"{base}/-/metadata.json")["databases"][db.stem]["tables"]
        assert labels["placements"]["columns"]["story_id"] == "its story"
    finally:
        server.terminate()
        server.wait(timeout=30)
