"""The pages: server-rendered HTML that reads without JavaScript; /static/app.js only adds to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from storylens.report.html import css, render_story_body
from storylens.store import Store, browse
from storylens.web import api
from storylens.web.reading import article_page, article_report, story_report, titled
from storylens.web.render import render, static_text

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
LAST_VISIT = "storylens_last_visit"


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    source: api.Source = None,
    since: api.Since = None,
    until: api.Until = None,
) -> Response:
    """Newest and largest first; stories analysed since the reader's last visit are marked."""
    store = request.app.state.stores.get()
    source = source or None
    rows, total = browse.stories(
        store.conn, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, since=since or None, until=until or None,
        source=source,
    )  # fmt: skip
    last_visit = request.cookies.get(LAST_VISIT)
    changed = browse.changed_since(store.conn, last_visit) if last_visit else 0
    html = render(
        "index.html.j2", rows=titled(store, rows), total=total, page=page, pages=-(-total // PAGE_SIZE),
        source=source, since=since, until=until, last_visit=last_visit, changed=changed,
    )  # fmt: skip
    response = HTMLResponse(html)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    response.set_cookie(LAST_VISIT, now, max_age=365 * 86400, httponly=True, samesite="strict")
    return response


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> str:
    store = request.app.state.stores.get()
    hits = browse.search(store.conn, q, 50) if q.strip() else []
    stories = browse.story_rows(store.conn, sorted({h.story for h in hits if h.story}))
    return render("search.html.j2", q=q, hits=hits, stories=titled(store, list(stories.values())))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    store = request.app.state.stores.get()

    def make() -> str:
        report = story_report(store, story_id)
        story = report["stories"][0]
        return render("story.html.j2", story=story, body=render_story_body(report, story, links=True))

    return _kept(request, store, f"story {story_id}", story_id, make)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_view(request: Request, article_id: str) -> Response:
    store = request.app.state.stores.get()

    def make() -> str:
        report = article_report(store, article_id)
        return render("article.html.j2", p=article_page(report, article_id))

    placed = store.placements([article_id]).get(article_id)
    return _kept(request, store, f"article {article_id}", placed[0] if placed else None, make)


def _kept(request: Request, store: Store, key: str, story_id: str | None, make: Callable[[], str]) -> Response:
    """A page made from one story's rows, made again only when those rows change (web/cache.py), whoever
    changes them. The story's id is part of the fingerprint: an article placed in another story is shown from
    that story's rows."""
    fingerprint = browse.story_fingerprint(store.conn, story_id) if story_id else None
    return HTMLResponse(request.app.state.pages.get(key, fingerprint and f"{story_id} {fingerprint}", make))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> str:
    store = request.app.state.stores.get()
    info = browse.entity(store.conn, entity_id)
    if info is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    titled(store, info.stories)
    return render("entity.html.j2", e=info, titles={s.id: s.title for s in info.stories})


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> str:
    return render("sources.html.j2", sources=browse.sources(request.app.state.stores.get().conn))


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> str:
    return render("upload.html.j2", writable=bool(request.app.state.config.token))


@router.post("/upload")
async def upload(request: Request) -> Response:
    """The upload form's target: the token comes in the form (a browser form cannot set a header)."""
    try:
        form = await request.form()
    except Exception as err:  # not a form, or a malformed one
        raise HTTPException(400, f"the form cannot be read ({err})") from None
    token = form.get("token")
    api.check_token(request, token if isinstance(token, str) else None)
    files = [(f.filename or "", await f.read()) for f in form.getlist("file") if isinstance(f, UploadFile)]
    if not files or not any(content for _, content in files):
        raise HTTPException(400, "choose a file to upload")
    job = api.submit(request, files)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> str:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    rows = browse.story_rows(request.app.state.stores.get().conn, job.stories) if job.stories else {}
    return render("job.html.j2", job=job, stories=titled(request.app.state.stores.get(), list(rows.values())))


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> str:
    return render("docs.html.j2", spec=request.app.openapi())


@router.get("/static/{name}")
def static(name: str) -> Response:
    kinds = {"app.css": "text/css", "app.js": "text/javascript"}
    if name not in kinds:
        raise HTTPException(404, f"no static file {name!r}")
    text = static_text("app.css").replace("/*BASE*/", css()) if name == "app.css" else static_text(name)
    return Response(text, media_type=kinds[name], headers={"Cache-Control": "public, max-age=3600"})
