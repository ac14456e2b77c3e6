"""Helpers for the hostile-input tests: the CLI in a subprocess, its peak memory, raw HTTP servers."""

from __future__ import annotations

import contextlib
import http.server
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

# hang detection only: a healthy run of any case here takes a few seconds
HANG_S = 120

# runs a command and prints the peak resident memory (KiB) of its largest descendant
_PEAK = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)"
)


def storylens(
    *args: str, env: dict | None = None, measure: bool = False, wrap: list[str] | None = None
) -> subprocess.CompletedProcess:
    """The CLI in a subprocess; `subprocess.TimeoutExpired` (a hang) fails the test."""
    cmd = [*(wrap or []), sys.executable, "-m", "storylens.cli", *args]
    if measure:
        cmd = [sys.executable, "-c", _PEAK, *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=HANG_S, errors="replace",
                          env={**os.environ, "COLUMNS": "250", **(env or {})})  # fmt: skip


def peak_mb(run: subprocess.CompletedProcess) -> float:
    return int(run.stderr.strip().splitlines()[-1]) / 1024


def stored_paths(db: str) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT path FROM article_paths"))


Route = Callable[[http.server.BaseHTTPRequestHandler], None]


@contextmanager
def http_server(routes: dict[str, Route], host: str = "127.0.0.1") -> Iterator[str]:
    """A real HTTP server on `host`; each route writes its own raw answer. Yields the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                route(self)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
