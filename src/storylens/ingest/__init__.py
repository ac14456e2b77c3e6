"""Read files, folders, feeds, archives and URLs into `Article` records.

`read_inputs` yields an `Article` or a `Skipped` for everything it is given and never raises for
one bad input: the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from storylens.ingest.feeds import read_feed
from storylens.ingest.html import read_html
from storylens.ingest.plaintext import read_text
from storylens.ingest.records import read_records
from storylens.ingest.sources import DEFAULT_MAX_BYTES, RawInput, display_name, expand, load
from storylens.ingest.warc import read_warc
from storylens.model import Article, InputError, Skipped

Reader = Callable[[RawInput, dict], Iterator[Article | Skipped]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "records": read_records,
    "feed": read_feed,
    "warc": read_warc,
}

_BY_SUFFIX = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "records", ".jsonl": "records", ".ndjson": "records",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".arc": "warc",
}  # fmt: skip
NAME_SUFFIXES = tuple(_BY_SUFFIX)  # the file name endings that choose a reader


def detect_format(raw: RawInput) -> str:
    """The reader for an input: by what its content starts with, else by its name."""
    head = raw.head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    is_xml = head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    if is_xml and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if raw.content_type:
        ctype = raw.content_type.lower()
        if "html" in ctype:
            return "html"
        if any(k in ctype for k in ("rss", "atom", "xml")):
            return "feed"
        if "json" in ctype:
            return "records"
    name = raw.name.lower().removesuffix(".gz").split("?")[0]
    for suffix, fmt in _BY_SUFFIX.items():
        if name.endswith(suffix):
            return fmt
    if head.startswith((b"{", b"[")):
        return "records"
    return "text"


def read_inputs(
    paths: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES, fields: dict[str, str] | None = None
) -> Iterator[Article | Skipped]:
    """Every article in the given paths, and a `Skipped` with a reason for each input that fails."""
    options = {"fields": fields or {}}
    for name in expand(paths):
        if isinstance(name, Skipped):
            yield name
            continue
        yield from read_one(name, max_bytes=max_bytes, options=options)


def read_one(name: str, *, max_bytes: int, options: dict) -> Iterator[Article | Skipped]:
    """Everything one input holds; a failure becomes a `Skipped` named as the input is stored."""
    raw = None
    try:
        raw = load(name, max_bytes)
        reader = READERS[detect_format(raw)]
        # a reader may fail half-way (a truncated archive): keep what it read before that
        yield from reader(raw, {**options, "max_bytes": max_bytes})
    except InputError as err:
        yield Skipped(display_name(name), str(err))
    except RecursionError:
        yield Skipped(display_name(name), "could not be parsed: nested too deeply")
    except Exception as err:  # a parser bug must not end the batch; say what broke
        yield Skipped(display_name(name), f"could not be parsed ({type(err).__name__}: {err})")
    finally:
        if raw is not None:
            raw.close()
