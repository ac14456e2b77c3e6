"""Shared fixtures: a store file, the real corpora beside the checkout, a loopback HTTP server."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from storylens.store import Store

REPO = Path(__file__).resolve().parents[1]
# the real corpora with hand-made answers live beside the checkout, in ../shared/corpora
CORPORA = Path(os.environ.get("STORYLENS_CORPORA", REPO.parent / "shared" / "corpora"))
KARABAKH = CORPORA / "karabakh"


def pytest_configure(config: pytest.Config) -> None:
    if not (KARABAKH / "gold.json").exists():
        raise pytest.UsageError(f"the real corpora are missing: expected {CORPORA} (or set STORYLENS_CORPORA)")


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def serve(tmp_path: Path):
    """Serve a folder on 127.0.0.1 with a real HTTP server; yields a function path -> URL."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def url(name: str, content: str | bytes | None = None) -> str:
        if content is not None:
            data = content.encode("utf-8") if isinstance(content, str) else content
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed store of fictional articles for the web app tests (built once; copy it before writing)."""
    from web_fixtures import build_store

    return build_store(tmp_path_factory.mktemp("web"))
