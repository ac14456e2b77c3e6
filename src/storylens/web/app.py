"""The FastAPI app: pages for people, `/api/` for programs, both reading the store; writes need the token."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storylens.store import Store
from storylens.web import api, pages
from storylens.web.cache import PageCache
from storylens.web.config import ServeConfig
from storylens.web.jobs import Jobs
from storylens.web.reading import Stores
from storylens.web.render import render
from storylens.web.security import Guard
from storylens.web.watcher import start_watching

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


def create_app(config: ServeConfig, jobs: Jobs | None = None) -> Guard:
    """The app over the store `config.db` (checked, migrated and indexed here, once)."""
    with Store(config.db) as store:
        store.index_missing()
    app = FastAPI(
        title="storylens",
        version=_version(),
        description="Stories, articles, entities and search over a storylens store. Writes need "
        "`Authorization: Bearer TOKEN`.",
        docs_url=None,  # the stock docs page loads scripts from a CDN: /docs renders the spec here instead
        redoc_url=None,
    )
    app.state.config = config
    app.state.stores = Stores(config.db)
    app.state.pages = PageCache()
    app.state.jobs = jobs or Jobs(config.db)
    if config.watch:
        app.state.watching = start_watching(config.watch, config.db, app.state.jobs, config.watch_every_s)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        page = render("error.html.j2", status=exc.status_code, detail=exc.detail)
        return HTMLResponse(page, status_code=exc.status_code, headers=exc.headers)

    hosts = ["*"] if config.public else LOOPBACK_HOSTS  # a page elsewhere cannot reach us through DNS rebinding
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    return Guard(app, config.max_request_bytes, config.writes_per_minute)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storylens")
    except PackageNotFoundError:
        return "0"
