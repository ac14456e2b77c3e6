"""Helpers for the web app tests: an analysed store of fictional articles, and the app served by uvicorn on a
free loopback port (a real HTTP server, as `storylens serve` runs it)."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from importlib import resources
from pathlib import Path

import uvicorn

from storylens.engine.analyze import analyze
from storylens.engine.local import ingest
from storylens.ingest import read_inputs
from storylens.model import AnalysisSettings, Article
from storylens.store import Store
from storylens.web.app import create_app
from storylens.web.config import ServeConfig

TOKEN = "test-token-0123456789abcdef"

# A fictional story whose titles, sources, texts and URLs try to run script in a page or break out of an
# attribute. Each hostile piece sets `window.pwned`, so a browser test can tell whether any ran.
_HOSTILE_TEXT = (
    "Fire crews in the port town of Qelvik fought a blaze at the Ostra grain terminal through Sunday night, "
    "the harbour authority said. <script>window.pwned = 'text'</script> At least 40 firefighters were sent "
    "to the terminal, and 3 workers were treated for smoke, according to the Qelvik fire service.\n\n"
    '"We had the fire under control by dawn," said fire chief Marta Ilves. "The silo roof is gone, '
    'but nobody was badly hurt." She said the cause was not yet known. "><img src=x onerror="window.pwned=\'img\'">\n\n'
    "The terminal handles about 200,000 tonnes of grain a year. Harbour director Pavo Lind said shipping "
    "would resume on Tuesday. <a href=\"javascript:window.pwned='link'\">details</a>"
)
_HOSTILE_TEXT_2 = (
    "A fire at the Ostra grain terminal in Qelvik burned for eleven hours before crews brought it under "
    "control early on Monday, officials said. <script>window.pwned = 'text2'</script> At least 45 "
    "firefighters fought the blaze, and 3 workers were treated for smoke, the Qelvik fire service said.\n\n"
    '"The silo roof is gone, but nobody was badly hurt," fire chief Marta Ilves told reporters. '
    "Harbour director Pavo Lind said the terminal, which handles about 200,000 tonnes of grain a year, "
    "would reopen to shipping on Tuesday.\n\nInvestigators have not said what started the fire."
)
HOSTILE_RECORDS = [
    {
        "title": "Qelvik grain terminal fire <script>window.pwned='title'</script>"
        '"><img src=x onerror="window.pwned=\'t\'">',
        "source": "The Qelvik \"Courier' <script>window.pwned='source'</script>",
        "url": "javascript:window.pwned='url'",
        "published": "2026-04-05T08:00:00",
        "text": _HOSTILE_TEXT,
    },
    {
        "title": "Crews tame Ostra terminal blaze' onmouseover='window.pwned=1",
        "source": "Harbour <b>Watch</b>",
        "url": " JaVaScRiPt:window.pwned='url2'",
        "published": "2026-04-06T09:30:00",
        "text": _HOSTILE_TEXT_2,
    },
]


def build_store(folder: Path) -> Path:
    """A store with the bundled sample (fictional outlets, four stories) and the hostile story, analysed."""
    db = folder / "web.db"
    hostile = folder / "hostile.jsonl"
    hostile.write_text("\n".join(json.dumps(r) for r in HOSTILE_RECORDS) + "\n", encoding="utf-8")
    with resources.as_file(resources.files("storylens") / "sample") as sample, Store(db) as store:
        paths = [str(sample), str(hostile)]
        ingest([str(sample)], store, jobs=1)
        # ingest reads markup out of titles; a store written before it did holds the titles as they came, and
        # the app must show them as text
        articles = [a for a in read_inputs([str(hostile)]) if isinstance(a, Article)]
        for article, record in zip(articles, HOSTILE_RECORDS, strict=True):
            article.title = record["title"]
        store.add_articles(articles)
        analyze(store, store.ids_for_paths(paths), AnalysisSettings(jobs=1))
    return db


def copy_store(db: Path, to: Path) -> Path:
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(to)) as target:
        source.backup(target)
    return to


@contextmanager
def served(config: ServeConfig) -> Iterator[str]:
    """The app on a free loopback port, in a thread; yields its base URL."""
    app = create_app(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET; an error status is an answer, not an exception."""
    return request(url, headers=headers)


def request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def get_json(url: str):
    status, _, body = get(url)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str] | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body with each file in a field `file`; (body, content type)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, content in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n")  # fmt: skip
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def wait_for_job(base: str, job_id: str, timeout: float = 240) -> dict:
    """Poll a job through the API until it finishes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = get_json(f"{base}/api/jobs/{job_id}")
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")
