"""JSON Lines and JSON arrays of article records, with field names a user can map."""

from __future__ import annotations

import json
from collections.abc import Iterator

from storylens.ingest.article import build_article
from storylens.ingest.decode import decode_text
from storylens.ingest.html import html_to_article
from storylens.ingest.metadata import iso_date
from storylens.ingest.sources import RawInput
from storylens.model import Article, InputError, Skipped

# each field we need, and the names exports commonly give it, first match wins
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "published_at", "date_publish", "pubDate", "datetime"),
    "source": ("source", "outlet", "site_name", "sitename", "publisher", "domain"),
}


def read_records(raw: RawInput, options: dict) -> Iterator[Article | Skipped]:
    text = decode_text(raw.data, raw.charset)
    fields = {**DEFAULT_FIELDS, **{k: (v,) for k, v in options.get("fields", {}).items()}}
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
        numbered = enumerate(records, start=1)
    elif stripped.startswith("{") and raw.name.endswith(".json"):
        try:
            numbered = enumerate([json.loads(text)], start=1)
        except json.JSONDecodeError as err:
            raise InputError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    else:
        numbered = _json_lines(text)
    for number, record in numbered:
        name = f"{raw.name}#{number}"
        if isinstance(record, Skipped):
            yield Skipped(name, record.reason)
            continue
        try:
            yield _record_to_article(record, name, fields)
        except InputError as err:
            yield Skipped(name, str(err))


def _json_lines(text: str) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as err:
            yield number, Skipped("", f"malformed JSON on line {number}: {err.msg}")


def _record_to_article(record: object, name: str, fields: dict[str, tuple[str, ...]]) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"expected an object with a text field, found {type(record).__name__}")
    values = {key: next((record[n] for n in names if record.get(n)), None) for key, names in fields.items()}
    if not isinstance(values["text"], str) or not values["text"].strip():
        wanted = ", ".join(fields["text"])
        raise InputError(f"no text field (looked for: {wanted}; map another with --field text=NAME)")
    fmt = "html" if values["text"].lstrip().startswith("<") else "record"
    if fmt == "html":  # an export that kept the page: the record's own fields win over the page's
        article = html_to_article(values["text"], name=name, url=_str(values["url"]))
        article.title = _str(values["title"]) or article.title
        article.source = _str(values["source"]) or article.source
        article.published = iso_date(values["published"]) or article.published
        return article
    return build_article(
        values["text"],
        path=name,
        fmt=fmt,
        title=_str(values["title"]),
        url=_str(values["url"]),
        source=_str(values["source"]),
        published=values["published"],
    )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
