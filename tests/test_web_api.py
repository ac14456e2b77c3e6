"""The HTTP API of `storylens serve`, over a real loopback server: the contract, search, writes and limits."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from markupsafe import escape

from storylens.engine.analyze import result_row
from storylens.model import StoryResult
from storylens.report.json import validate
from storylens.store import Store, browse
from storylens.store.codec import decode
from storylens.web.config import ServeConfig
from web_fixtures import TOKEN, copy_store, get, get_json, multipart, request, served, wait_for_job

NEW_ARTICLE = (
    "Investigators said on Wednesday that an electrical fault in a conveyor motor started the fire that gutted "
    "the Ostra grain terminal in Qelvik at the weekend. Fire chief Marta Ilves said 40 firefighters had fought "
    "the blaze and that 3 workers were treated for smoke.\n\n"
    '"The motor overheated and the dust did the rest," Ilves said. Harbour director Pavo Lind said the terminal, '
    "which handles about 200,000 tonnes of grain a year, would reopen to shipping on Tuesday as planned."
)


@pytest.fixture(scope="module")
def site(web_store, tmp_path_factory):
    """A read-mostly server over a copy of the analysed store."""
    db = copy_store(web_store, tmp_path_factory.mktemp("api") / "api.db")
    with served(ServeConfig(db, token=TOKEN, writes_per_minute=1000)) as base:
        yield base


def test_story_list_has_the_contract_fields_newest_first(site):
    status, headers, body = get(f"{site}/api/stories")
    stories = json.loads(body)
    assert status == 200 and int(headers["x-total-count"]) == len(stories) == 5
    assert all(s["id"] and s["title"] and s["articles"] for s in stories)
    newest = [s["last_published"] for s in stories]
    assert newest == sorted(newest, reverse=True)
    flood = next(s for s in stories if "Kessel Dam" in s["title"])
    assert len(flood["articles"]) == 6 and "Valley Courier" in flood["sources"]


def test_story_list_filters_by_source_and_date_and_pages(site):
    by_source = get_json(f"{site}/api/stories?source=Valley%20Courier")
    assert [s["title"] for s in by_source] == ["Kessel Dam gate fails: Velmor under water as thousands flee"]
    since = get_json(f"{site}/api/stories?since=2026-03-04")
    assert since and all(s["last_published"] >= "2026-03-04" for s in since)
    assert len(since) < 5
    first, second = get_json(f"{site}/api/stories?limit=2"), get_json(f"{site}/api/stories?limit=2&offset=2")
    assert len(first) == len(second) == 2 and not {s["id"] for s in first} & {s["id"] for s in second}
    status, _, _ = get(f"{site}/api/stories?since=yesterday")
    assert status == 422


def test_a_story_is_the_schemas_record_and_its_report_validates(site):
    story_id = get_json(f"{site}/api/stories?source=Valley%20Courier")[0]["id"]
    story = get_json(f"{site}/api/stories/{story_id}")
    report = get_json(f"{site}/api/stories/{story_id}/report")
    validate(report)
    assert report["stories"] == [story]
    assert story["id"] == story_id and story["summary"] and story["quotes"]
    article = get_json(f"{site}/api/articles/{story['articles'][0]}")
    assert article["story"] == story_id and article["text"]


def test_unknown_ids_are_404_with_a_reason(site):
    for path in ("/api/stories/story-nope", "/api/articles/nope", "/api/entities/ent-nope", "/api/jobs/nope"):
        status, _, body = get(site + path)
        assert status == 404 and "nope" in json.loads(body)["detail"], path


def test_search_finds_articles_quotes_and_entities_with_highlighted_snippets(site):
    hits = get_json(f"{site}/api/search?q=flood%20wall")
    assert hits, "a quote of the sample asks for a flood wall"
    quote = next(h for h in hits if h["kind"] == "quote")
    assert quote["story"] and quote["article"]
    marked = [quote["snippet"][s:e].lower() for s, e in quote["highlights"]]
    assert "flood" in marked and "wall" in marked
    people = get_json(f"{site}/api/search?q=Ilves")
    assert any(h["kind"] == "entity" and h["entity"] for h in people)
    # a word typed with * is a prefix, and what else FTS5 would read as syntax is only words
    assert get_json(f"{site}/api/search?q=evacuat*") and not get_json(f"{site}/api/search?q=evacuat")
    assert get_json(f"{site}/api/search?q=%22%28%2A%5E") == []
    syntax = get_json(f"{site}/api/search?q=flood%20AND%20(%20NEAR%20wall*")
    assert syntax == [] or all(h["highlights"] for h in syntax)


def test_an_entity_lists_its_stories_names_and_quotes(site):
    hit = next(h for h in get_json(f"{site}/api/search?q=Marta%20Ilves") if h["kind"] == "entity")
    entity = get_json(f"{site}/api/entities/{hit['entity']}")
    assert "Marta Ilves" in entity["names"]
    assert [s["title"] for s in entity["stories"]][0].startswith("Qelvik grain terminal fire")
    assert any("nobody was badly hurt" in q["text"] for q in entity["quotes"])


def test_writes_need_the_configured_token(site):
    body, ctype = multipart([("a.txt", NEW_ARTICLE.encode())])
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"}):
        status, answer, _ = request(f"{site}/api/articles", body, {"Content-Type": ctype, **headers})
        assert status == 401 and answer["www-authenticate"] == "Bearer", headers


def test_a_server_without_a_token_takes_no_writes(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "ro.db")
    body, ctype = multipart([("a.txt", NEW_ARTICLE.encode())])
    with served(ServeConfig(db)) as base:
        status, _, answer = request(f"{base}/api/articles", body, {"Content-Type": ctype, "Authorization": "Bearer "})
    assert status == 401 and "no token configured" in json.loads(answer)["detail"]


def test_an_upload_is_stored_under_a_server_name_and_updates_its_story(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "up.db")
    config = ServeConfig(db, token=TOKEN)
    body, ctype = multipart([("../../../outside.txt", NEW_ARTICLE.encode())])
    with served(config) as base:
        before = next(s for s in get_json(f"{base}/api/stories") if "Qelvik" in s["title"])
        status, _, answer = request(
            f"{base}/api/articles", body, {"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"}
        )
        assert status == 202
        job = wait_for_job(base, json.loads(answer)["job"])
        after = get_json(f"{base}/api/stories/{before['id']}")
    assert job["status"] == "done" and job["stored"] == 1 and job["stories"] == [before["id"]]
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert [p.name for p in config.upload_dir.iterdir()] == [f"{job['id']}-1.txt"]
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_story_page_shows_an_uploaded_article_once_its_story_is_analysed_again(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "page.db")
    body, ctype = multipart([("motor.txt", NEW_ARTICLE.encode())])
    with served(ServeConfig(db, token=TOKEN)) as base:
        story = next(s for s in get_json(f"{base}/api/stories") if "Qelvik" in s["title"])
        first, again = get(f"{base}/stories/{story['id']}")[2], get(f"{base}/stories/{story['id']}")[2]
        status, _, answer = request(
            f"{base}/api/articles", body, {"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"}
        )
        assert status == 202 and wait_for_job(base, json.loads(answer)["job"])["status"] == "done"
        status, headers, after = get(f"{base}/stories/{story['id']}")
    assert first == again and b"The motor overheated" not in first
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"The motor overheated" in after and f"{len(story['articles']) + 1} articles".encode() in after


def test_a_story_page_follows_its_links_to_other_stories_written_by_another_process(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "links.db")
    with closing(sqlite3.connect(db)) as conn:
        linked, other = conn.execute("SELECT story_id, other FROM story_links ORDER BY story_id").fetchone()
    with served(ServeConfig(db)) as base:
        before = get(f"{base}/stories/{linked}")[2]
        with Store(db) as store:  # as a later `analyze` does when the two stories no longer share a figure
            store.put_links([other], [])
        after = get(f"{base}/stories/{linked}")[2]
    assert b"(another story)" in before and b"(another story)" not in after


def test_story_and_article_pages_follow_a_new_analysis_stored_by_another_process(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "again.db")
    with served(ServeConfig(db)) as base:
        story = next(s for s in get_json(f"{base}/api/stories") if "Qelvik" in s["title"])
        quote = next(q for q in get_json(f"{base}/api/stories/{story['id']}")["quotes"] if q["kind"] == "direct")
        in_story = f"<blockquote>\u201c{escape(quote['text'])}\u201d".encode()
        in_article = f'<blockquote id="q-{quote["start"]}">'.encode()
        story_page, article_page = f"{base}/stories/{story['id']}", f"{base}/articles/{quote['article']}"
        before = get(story_page)[2], get(article_page)[2], get(story_page)[2], get(article_page)[2]
        with Store(db) as store:  # the story analysed again, and found to hold one quote less
            result = decode(StoryResult, store.results([story["id"]])[story["id"]])
            facts = result.facts[quote["article"]]
            facts.quotes = [q for q in facts.quotes if (q.start, q.text) != (quote["start"], quote["text"])]
            (settings,) = store.conn.execute("SELECT settings FROM story_results WHERE story_id = ?", (story["id"],))
            inputs = store.result_inputs([story["id"]])[story["id"]]
            store.put_results([result_row(story["id"], result, inputs, settings[0])])
        after = get(story_page)[2], get(article_page)[2]
    assert before[:2] == before[2:] and in_story in before[0] and in_article in before[1]
    assert in_story not in after[0] and in_article not in after[1]


def test_json_records_can_be_posted_and_bad_bodies_are_refused_with_a_reason(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "json.db")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    record = {"title": "Qelvik terminal fire was electrical", "source": "Harbour Watch", "text": NEW_ARTICLE}
    with served(ServeConfig(db, token=TOKEN)) as base:
        status, _, answer = request(
            f"{base}/api/articles", json.dumps([record]).encode(), {"Content-Type": "application/json", **auth}
        )
        assert status == 202
        assert wait_for_job(base, json.loads(answer)["job"])["stored"] == 1
        status, _, answer = request(f"{base}/api/articles", b"{not json", {"Content-Type": "application/json", **auth})
        assert status == 400 and "not JSON" in json.loads(answer)["detail"]
        status, _, _ = request(f"{base}/api/articles", b"text", {"Content-Type": "text/plain", **auth})
        assert status == 415


def test_request_size_and_write_rate_are_limited(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "limits.db")
    with served(ServeConfig(db, token=TOKEN, max_request_bytes=2000, writes_per_minute=3)) as base:
        big, ctype = multipart([("big.txt", b"word " * 1000)])
        status, _, _ = request(f"{base}/api/articles", big, {"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"})
        assert status == 413
        statuses = [request(f"{base}/api/articles", b"{}", {"Content-Type": "application/json"})[0] for _ in range(3)]
        assert statuses == [401, 401, 429]  # the refused big body counted as the first write


def test_every_answer_carries_a_strict_content_security_policy(site):
    for path in ("/", "/api/stories", "/nope", "/static/app.css"):
        _, headers, _ = get(site + path)
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"


def test_a_page_asked_for_under_another_host_name_is_refused(site):
    status, _, _ = get(f"{site}/", headers={"Host": "attacker.example"})
    assert status == 400


def test_openapi_spec_and_docs_are_served_from_the_app(site):
    spec = get_json(f"{site}/openapi.json")
    assert {"/api/stories", "/api/stories/{story_id}", "/api/search", "/api/articles", "/api/jobs/{job_id}"} <= set(
        spec["paths"]
    )
    status, _, page = get(f"{site}/docs")
    assert status == 200 and b"/api/search" in page and b"cdn" not in page.lower()


def test_a_store_from_before_the_web_app_is_indexed_when_served(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "old.db")
    with closing(sqlite3.connect(db)) as conn, conn:
        for table in ("story_list", "story_sources", "quotes", "entities"):
            conn.execute(f"DELETE FROM {table}")
    with served(ServeConfig(db)) as base:
        assert len(get_json(f"{base}/api/stories")) == 5
    with closing(sqlite3.connect(db)) as conn:
        assert browse.search(conn, "flood wall")


def test_storylens_serve_starts_on_loopback_and_answers(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "cli.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STORYLENS_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-m", "storylens.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                stories = get_json(f"http://127.0.0.1:{port}/api/stories")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("storylens serve did not answer")
        assert len(stories) == 5
        body, ctype = multipart([("a.txt", NEW_ARTICLE.encode())])
        status, _, _ = request(f"http://127.0.0.1:{port}/api/articles", body, {"Content-Type": ctype})
        assert status == 401
    finally:
        server.terminate()
        server.wait(30)


@pytest.mark.parametrize(
    ("args", "reason"),
    [(["--host", "0.0.0.0"], "not a loopback address"), (["--token", "short"], "at least 16 characters")],
)
def test_storylens_serve_refuses_a_public_address_or_a_weak_token_without_being_told(tmp_path, args, reason):
    done = subprocess.run(
        [sys.executable, "-m", "storylens.cli", "serve", "--db", str(tmp_path / "x.db"), *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 2 and reason in done.stderr


def test_a_server_given_a_folder_to_watch_reads_what_arrives_in_it(web_store, tmp_path):
    db = copy_store(web_store, tmp_path / "watch.db")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with served(ServeConfig(db, watch=inbox, watch_every_s=0.5)) as base:
        story = next(s for s in get_json(f"{base}/api/stories") if "Qelvik" in s["title"])
        (inbox / "cause.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if len(get_json(f"{base}/api/stories/{story['id']}")["articles"]) > len(story["articles"]):
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the watched file did not reach its story")


def test_without_the_web_extra_the_cli_works_and_serve_says_how_to_install_it(tmp_path):
    blocked = tmp_path / "blocked"
    for name in ("fastapi", "uvicorn"):
        (blocked / name).mkdir(parents=True)
        (blocked / name / "__init__.py").write_text(f'raise ImportError("No module named {name}")\n')
    env = {**os.environ, "PYTHONPATH": str(blocked), "COLUMNS": "200"}
    cli = [sys.executable, "-m", "storylens.cli"]
    assert subprocess.run([*cli, "--help"], capture_output=True, text=True, env=env, timeout=60).returncode == 0
    done = subprocess.run([*cli, "serve", "--db", str(tmp_path / "x.db")], capture_output=True, text=True, env=env,
                          timeout=60)  # fmt: skip
    assert done.returncode == 2 and "pip install 'storylens[web]'" in done.stderr
