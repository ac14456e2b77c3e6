"""`storylens watch`: conditional polling of URLs (a real loopback HTTP server), changed files in a folder,
backing off from a failing source while the others go on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from hostile import http_server
from storylens.engine.watch import parse_every, poll, watched_sources
from storylens.store.watched import load

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Watch</title>
<item><title>{title}</title><link>https://harbour.example/{n}</link><pubDate>Mon, 06 Apr 2026 09:00:00 GMT</pubDate>
<description>{text}</description></item></channel></rss>"""
TEXT = (
    "Fire crews in the port town of Qelvik fought a blaze at the Ostra grain terminal through the night, "
    "the harbour authority said. At least 40 firefighters were sent and 3 workers were treated for smoke. "
)


def test_a_url_is_read_again_only_when_it_changed(store, serve, tmp_path):
    url = serve("feed.xml", FEED.format(title="Terminal fire", n=1, text=TEXT * 3))
    spool = tmp_path / "spool"
    first = poll(store, [url], spool, every_s=0.001)
    assert len(first.changed) == 1 and first.changed[0].startswith(str(spool))
    state = load(store.conn, [url])[url]
    assert state.last_modified  # the server's validator, sent back next time
    time.sleep(0.01)
    second = poll(store, [url], spool, every_s=0.001)
    assert second.changed == [] and second.unchanged == 1  # 304 Not Modified
    path = tmp_path / "www" / "feed.xml"
    path.write_text(FEED.format(title="Terminal fire: cause found", n=2, text=TEXT * 4), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))  # the server's Last-Modified has a resolution of seconds
    time.sleep(0.01)
    third = poll(store, [url], spool, every_s=0.001)
    assert len(third.changed) == 1 and b"cause found" in Path(third.changed[0]).read_bytes()


def test_a_failing_source_backs_off_while_the_others_go_on(store, serve, tmp_path):
    good, bad = serve("ok.xml", FEED.format(title="t", n=1, text=TEXT)), serve("missing.xml")
    started = time.time()
    result = poll(store, [bad, good], tmp_path / "spool", every_s=60)
    assert [source for source, _ in result.errors] == [bad] and "404" in result.errors[0][1]
    assert len(result.changed) == 1
    states = load(store.conn, [bad, good])
    assert states[bad].failures == 1 and states[bad].next_poll >= started + 120  # twice the interval
    assert states[good].failures == 0 and states[good].next_poll < states[bad].next_poll
    again = poll(store, [bad, good], tmp_path / "spool", every_s=60)
    assert again.waiting == 2 and not again.errors  # neither is due yet


def test_a_folder_gives_new_and_changed_files_only(store, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    assert poll(store, watched_sources(folder), tmp_path / "spool", 60).changed == [str(folder / "a.txt")]
    (folder / "b.txt").write_text(TEXT * 2, encoding="utf-8")
    result = poll(store, watched_sources(folder), tmp_path / "spool", 60)
    assert result.changed == [str(folder / "b.txt")] and result.unchanged == 0 and result.waiting == 1


def test_a_sources_file_lists_urls_and_skips_comments(tmp_path):
    listed = tmp_path / "feeds.txt"
    listed.write_text("# wires\nhttps://a.example/feed.xml\n\n  https://b.example/rss  \n", encoding="utf-8")
    assert watched_sources(listed) == ["https://a.example/feed.xml", "https://b.example/rss"]
    assert parse_every("10m") == 600 and parse_every("90s") == 90 and parse_every("2h") == 7200


def test_storylens_watch_once_reads_and_analyses_a_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "fire.txt").write_text(TEXT * 3, encoding="utf-8")
    db = tmp_path / "w.db"
    run = [sys.executable, "-m", "storylens.cli", "watch", str(folder), "--db", str(db), "--once", "--jobs", "1"]
    env = {**os.environ, "COLUMNS": "200"}
    first = subprocess.run(run, capture_output=True, text=True, timeout=300, env=env)
    assert first.returncode == 0, first.stderr
    assert "1 changed, 0 unchanged" in first.stdout and "1 stories brought up to date" in first.stdout
    second = subprocess.run(run, capture_output=True, text=True, timeout=300, env=env)
    assert "0 changed, 0 unchanged, 1 waiting" in second.stdout  # polled a moment ago: not due yet
    bad = subprocess.run([*run[:-2], "--every", "soon"], capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and "not a duration" in bad.stderr


def test_a_url_with_an_etag_is_asked_for_with_it_and_a_304_reads_nothing(store, tmp_path):
    asked: list[str | None] = []
    body = FEED.format(title="Terminal fire", n=1, text=TEXT * 3).encode()

    def feed(handler) -> None:
        asked.append(handler.headers.get("If-None-Match"))
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("ETag", '"v1"')
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with http_server({"/feed": feed}) as base:
        first = poll(store, [f"{base}/feed"], tmp_path / "spool", every_s=0.001)
        time.sleep(0.01)
        second = poll(store, [f"{base}/feed"], tmp_path / "spool", every_s=0.001)
    assert asked == [None, '"v1"']
    assert len(first.changed) == 1 and second.changed == [] and second.unchanged == 1
