"""JSON Lines and JSON arrays of article records, with field names a user can map."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from storylens.ingest.article import build_article
from storylens.ingest.decode import decode_text, looks_binary
from storylens.ingest.html import html_to_article
from storylens.ingest.metadata import iso_date
from storylens.ingest.normalize import display_title, storable
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
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_records(raw: RawInput, options: dict) -> Iterator[Article | Skipped]:
    fields = {**DEFAULT_FIELDS, **{k: (v,) for k, v in options.get("fields", {}).items()}}
    head = raw.head.lstrip(b"\xef\xbb\xbf \t\r\n")
    one_document = head.startswith(b"[") or (head.startswith(b"{") and raw.name.removesuffix(".gz").endswith(".json"))
    # JSON Lines are read line by line: memory grows with the largest record, not with the file
    numbered = _document(raw) if one_document or raw.head.startswith(_UTF16_BOMS) else _json_lines(raw)
    found = False
    for number, record in numbered:
        found = True
        name = f"{raw.name}#{number}"
        if isinstance(record, Skipped):
            yield Skipped(name, record.reason)
            continue
        try:
            yield _record_to_article(record, name, fields)
        except InputError as err:
            yield Skipped(name, str(err))
        except Exception as err:  # an odd value in one record must not lose the records after it
            yield Skipped(name, f"could not be read ({type(err).__name__}: {err})")
    if not found:
        raise InputError("holds no records (an empty JSON array or only blank lines)")


def _document(raw: RawInput) -> Iterator[tuple[int, object]]:
    """One JSON document: an array of records or a single record."""
    text = decode_text(raw.data, raw.charset)
    if not text.lstrip().startswith(("[", "{")):  # UTF-16 JSON Lines
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield number, _parse(line, number)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    except (ValueError, RecursionError) as err:
        raise InputError(f"malformed JSON: {_why(err)}") from None
    yield from enumerate(document if isinstance(document, list) else [document], start=1)


def _json_lines(raw: RawInput) -> Iterator[tuple[int, object]]:
    if looks_binary(raw.head):
        raise InputError("binary content, not text (is this an image, a PDF or a compressed file?)")
    for number, line in enumerate(raw.lines(), start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = decode_text(line, raw.charset)
            except InputError as err:
                yield number, Skipped("", f"line {number}: {err}")
                continue
        yield number, _parse(text, number)


def _parse(line: str, number: int) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped("", f"malformed JSON on line {number}: {err.msg}")
    except (ValueError, RecursionError) as err:
        return Skipped("", f"malformed JSON on line {number}: {_why(err)}")


def _why(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if "digits" in str(err):
        return "a number with too many digits"
    return str(err)


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
        title = _str(values["title"])
        article.title = (display_title(title) if title else None) or article.title
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
    return storable(value).strip() or None if isinstance(value, str) else None
