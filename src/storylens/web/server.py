"""Running the app with uvicorn (what `storylens serve` does)."""

from __future__ import annotations

import gc

import uvicorn

from storylens.web.app import create_app
from storylens.web.config import ServeConfig


def serve(config: ServeConfig, host: str, port: int) -> None:
    app = create_app(config)
    # What is loaded by now (modules, the app, the templates' machinery) lives as long as the server: frozen, a
    # full collection no longer walks it. Unfrozen, each full collection walked every object of the process,
    # which made about one story page in a hundred take ten times as long (see benchmarks/web_speed.py).
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)
