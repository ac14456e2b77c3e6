"""Bad input is reported by name with a reason; the rest of the batch goes on; the store keeps what it had."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from samples import BRIDGE, HARBOUR, ORCHARD, html_page
from storylens.engine.local import ingest
from storylens.ingest import read_inputs
from storylens.model import Article, Skipped


def storylens(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, env={
        **os.environ, "COLUMNS": "200"})  # fmt: skip


@pytest.fixture
def bad_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Bridge closed after cracks found\n\n" + BRIDGE)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("   \n\n  ")
    (folder / "photo.jpg.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (folder / "cut.txt.gz").write_bytes(gzip.compress(HARBOUR.encode() * 20)[:60])
    (folder / "broken.json").write_text('[{"text": "Unclosed')
    (folder / "lines.jsonl").write_text(json.dumps({"text": ORCHARD}) + "\n{not json\n")
    (folder / "feed.rss").write_text("<?xml version='1.0'?><rss><channel><title>x</title><item><title>")
    (folder / "huge.txt").write_text("word " * 300_000)
    (folder / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    return folder


def test_each_bad_input_is_named_and_the_rest_goes_on(bad_folder):
    items = list(read_inputs([str(bad_folder), str(bad_folder / "missing.txt")], max_bytes=1_000_000))
    articles = [i for i in items if isinstance(i, Article)]
    reasons = {os.path.basename(i.path): i.reason for i in items if isinstance(i, Skipped)}
    assert sorted(os.path.basename(a.path) for a in articles) == ["good.txt", "lines.jsonl#1"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert "binary" in reasons["photo.jpg.txt"]
    assert "truncated gzip" in reasons["cut.txt.gz"]
    assert "malformed JSON" in reasons["broken.json"]
    assert "malformed JSON on line 2" in reasons["lines.jsonl#2"]
    assert "malformed feed" in reasons["feed.rss#1"]
    assert "over the size limit" in reasons["huge.txt"] and "--max-size" in reasons["huge.txt"]
    assert "no article text" in reasons["menu.html"]
    assert "cannot read" in reasons["dangling.txt"] or "no such file" in reasons["dangling.txt"]
    assert reasons["missing.txt"] == "no such file or folder"


def test_cp1252_and_latin1_text_read_correctly(tmp_path):
    text = (
        "Caf\u00e9 owners in Mar\u00eda\u2019s town said \u201cno\u201d to the \u20ac5 fee \u2013 again."
        "\n\nThey met on Friday."
    )
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    latin = "Les r\u00e9sidents de la vall\u00e9e ont protest\u00e9 contre la fermeture de l'\u00e9cole du village."
    page = html_page("Fermeture", latin + "\n\n" + latin).replace('charset="utf-8"', 'charset="utf-8"')
    (tmp_path / "misdeclared.html").write_bytes(page.encode("latin-1"))  # declares utf-8, is latin-1
    items = {os.path.basename(a.path): a for a in read_inputs([str(tmp_path)])}
    assert items["cp1252.txt"].text == text
    assert "r\u00e9sidents de la vall\u00e9e" in items["misdeclared.html"].text


def test_failed_inputs_change_nothing_already_stored(store, bad_folder, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text(HARBOUR)
    ingest([str(first)], store)
    before = rows(store)
    summary = ingest([str(bad_folder)], store, max_bytes=1_000_000)
    assert summary.stored == 2 and len(summary.skipped) == 10
    after = rows(store)
    assert set(before) <= set(after)  # every row that was there is there unchanged
    assert summary.exit_code == 3


def rows(store) -> set[tuple]:
    articles = store.conn.execute("SELECT * FROM articles").fetchall()
    return set(articles) | set(store.conn.execute("SELECT * FROM article_paths").fetchall())


def test_exit_codes_and_summary(tmp_path, bad_folder):
    db = str(tmp_path / "s.db")
    some = storylens("ingest", str(bad_folder), "--db", db, "--max-size", "1")
    assert some.returncode == 3, some.stderr
    assert "stored (new)" in some.stdout and "truncated gzip" in some.stderr and "cut.txt.gz" in some.stderr
    none = storylens("ingest", str(bad_folder / "empty.txt"), "--db", db)
    assert none.returncode == 4
    ok = storylens("ingest", str(bad_folder / "good.txt"), "--db", db)
    assert ok.returncode == 0
    helptext = storylens("ingest", "--help").stdout
    assert "Exit codes" in helptext and "some inputs were skipped" in helptext


def test_store_that_is_not_a_database_is_refused(tmp_path):
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes, not a database " * 100)
    result = storylens("ingest", str(tmp_path), "--db", str(not_db))
    assert result.returncode == 5 and "not a storylens database" in result.stderr
    assert not_db.read_text().startswith("these are my notes")
