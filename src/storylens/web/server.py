"""Running the app with uvicorn (what `storylens serve` does)."""

from __future__ import annotations

import uvicorn

from storylens.web.app import create_app
from storylens.web.config import ServeConfig


def serve(config: ServeConfig, host: str, port: int) -> None:
    app = create_app(config)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)
