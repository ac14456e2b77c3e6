"""`/api/`: the records of the JSON report (report.schema.json's shapes), search, and adding articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from starlette.datastructures import UploadFile

from storylens.store import browse
from storylens.web.jobs import Job
from storylens.web.reading import article_report, story_report, titled
from storylens.web.render import plain
from storylens.web.security import bearer, token_matches
from storylens.web.uploads import UploadError, save_files, save_records

router = APIRouter(prefix="/api", tags=["api"])
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
MAX_PAGE = 500
MAX_OFFSET = 2**62  # SQLite integers are 64-bit
# query parameters the list endpoints and pages share
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Since = Annotated[str | None, Query(pattern=ISO_DAY, description="newest article on or after")]
Until = Annotated[str | None, Query(pattern=ISO_DAY, description="newest article on or before")]
Source = Annotated[str | None, Query(max_length=500)]


@router.get("/stories")
def list_stories(
    request: Request,
    response: Response,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
    source: Source = None,
) -> list[dict]:
    """Analysed stories, newest and largest first; the total is in the `X-Total-Count` header."""
    store = request.app.state.stores.get()
    rows, total = browse.stories(store.conn, limit=limit, offset=offset, since=since, until=until, source=source)
    members = store.story_members([r.id for r in rows])
    response.headers["X-Total-Count"] = str(total)
    return [
        {
            "id": r.id, "title": r.title, "articles": [a for a, _ in members.get(r.id, [])], "sources": r.sources,
            "conflicts": r.conflicts, "quotes": r.quotes, "first_published": r.first_published,
            "last_published": r.last_published, "updated_at": r.updated_at,
        }
        for r in titled(store, rows)
    ]  # fmt: skip


@router.get("/stories/{story_id}")
def get_story(request: Request, story_id: str) -> dict:
    """One story's record, as in the JSON report's `stories`."""
    return story_report(request.app.state.stores.get(), story_id)["stories"][0]


@router.get("/stories/{story_id}/report")
def get_story_report(request: Request, story_id: str) -> dict:
    """One story's whole report (its story, its articles with their texts), valid against the report schema."""
    return story_report(request.app.state.stores.get(), story_id)


@router.get("/articles")
def list_articles(
    request: Request,
    response: Response,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict]:
    """Articles in arrival order, newest first, without their texts; the total is in `X-Total-Count`."""
    conn = request.app.state.stores.get().conn
    response.headers["X-Total-Count"] = str(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    rows = conn.execute(
        "SELECT a.id, a.title, a.url, a.source, a.published, a.first_path, p.story_id FROM articles a "
        "LEFT JOIN placements p ON p.article_id = a.id ORDER BY a.seq DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    keys = ("id", "title", "url", "source", "published", "path", "story")
    return [dict(zip(keys, r, strict=True)) for r in rows]


@router.get("/articles/{article_id}")
def get_article(request: Request, article_id: str) -> dict:
    """One article's record, as in the JSON report's `articles`, with its text."""
    report = article_report(request.app.state.stores.get(), article_id)
    return next(a for a in report["articles"] if a["id"] == article_id)


@router.get("/entities/{entity_id}")
def get_entity(request: Request, entity_id: str) -> dict:
    """A person, organisation or place across stories: the names it goes by, its stories, its quotes."""
    info = browse.entity(request.app.state.stores.get().conn, entity_id)
    if info is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return {
        "id": info.id, "name": info.name, "type": info.type, "names": info.names,
        "stories": [{"id": s.id, "title": s.title, "articles": s.articles} for s in info.stories],
        "quotes": info.quotes,
    }  # fmt: skip


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="words to find in articles, quotes and entities")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict]:
    """Articles, quotes and entities matching every word (`word*`: any word it starts), best first. `snippet` is
    plain text; `highlights` are the [start, end) of the matched words in it."""
    hits = browse.search(request.app.state.stores.get().conn, q, limit)
    return [
        {"kind": h.kind, "article": h.article, "story": h.story, "title": h.title, "entity": h.entity,
         "snippet": plain(h.snippet), "highlights": _highlights(h.snippet), "start": h.start, "end": h.end}
        for h in hits
    ]  # fmt: skip


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["file"],
                }
            },
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}


@router.post("/articles", status_code=202, openapi_extra=_UPLOAD_BODY)
async def add_articles(request: Request, authorization: Annotated[str | None, Header()] = None) -> dict:
    """Add articles: files in any format `storylens ingest` reads (multipart field `file`, repeatable), or JSON
    article records. They are read and analysed in the background; poll the job."""
    check_token(request, bearer(authorization))
    files = await received_files(request)
    job = submit(request, files)
    return {"job": job.id, "status": job.status, "url": f"/api/jobs/{job.id}", "page": f"/jobs/{job.id}"}


@router.get("/jobs/{job_id}")
def get_job(request: Request, job_id: str) -> dict:
    """A job's progress: queued, reading, analysing, done or failed; the stories its articles joined."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return job.record()


def check_token(request: Request, given: str | None) -> None:
    if not token_matches(request.app.state.config.token, given):
        why = "a valid token is needed" if request.app.state.config.token else "writes are off (no token configured)"
        raise HTTPException(401, f"{why}: send Authorization: Bearer TOKEN", headers={"WWW-Authenticate": "Bearer"})


async def received_files(request: Request) -> list[tuple[str, bytes]] | bytes:
    """The files of a multipart body, or a JSON body as bytes."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        return await request.body()
    if not ctype.startswith("multipart/form-data"):
        raise HTTPException(415, "send multipart/form-data with a `file` field, or application/json records")
    try:
        form = await request.form()
    except Exception as err:  # a malformed multipart body
        raise HTTPException(400, f"the multipart body cannot be read ({err})") from None
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
    if not files:
        raise HTTPException(400, "no file: send each file in a multipart field named `file`")
    return [(f.filename or "", await f.read()) for f in files]


def submit(request: Request, files: list[tuple[str, bytes]] | bytes) -> Job:
    jobs, folder = request.app.state.jobs, request.app.state.config.upload_dir
    job_id = jobs.new_id()
    try:
        if isinstance(files, bytes):
            paths, names = save_records(folder, job_id, files), ["JSON records"]
        else:
            paths, names = save_files(folder, job_id, files), [name for name, _ in files]
    except UploadError as err:
        raise HTTPException(400, str(err)) from None
    return jobs.submit(job_id, names, paths)


def _highlights(snippet: str) -> list[list[int]]:
    from storylens.store.browse import HIT_END, HIT_START

    out, position, start = [], 0, 0
    for ch in snippet:
        if ch == HIT_START:
            start = position
        elif ch == HIT_END:
            out.append([start, position])
        else:
            position += 1
    return out
