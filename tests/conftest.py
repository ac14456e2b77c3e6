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


HAVE_CORPORA = (KARABAKH / "gold.json").exists()
# CI sets this: there the corpora are beside the checkout, and a corpus test that does not run is a failure
REQUIRE_CORPORA = os.environ.get("STORYLENS_REQUIRE_CORPORA") == "1"
WHY_SKIPPED = (
    f"needs the real corpora, not found at {CORPORA}: put the project's shared/ folder beside the checkout "
    "(or set STORYLENS_CORPORA to its corpora folder) to run it"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: reads the real corpora with hand-made answers (../shared/corpora)")
    if REQUIRE_CORPORA and not HAVE_CORPORA:
        raise pytest.UsageError(f"STORYLENS_REQUIRE_CORPORA=1 but the real corpora are missing: {WHY_SKIPPED}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAVE_CORPORA:
        return
    skip = pytest.mark.skip(reason=WHY_SKIPPED)
    for item in items:
        if item.get_closest_marker("corpus"):
            item.add_marker(skip)


_skipped: list[str] = []  # node ids of the corpus tests that did not run


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "corpus" in report.keywords:
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _skipped:
        return
    if REQUIRE_CORPORA:
        terminalreporter.write_line(
            f"{len(_skipped)} corpus tests skipped although STORYLENS_REQUIRE_CORPORA=1: " + ", ".join(_skipped[:10]),
            red=True,
        )
    else:
        terminalreporter.write_line(f"{len(_skipped)} corpus tests skipped: {WHY_SKIPPED}", yellow=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if REQUIRE_CORPORA and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
