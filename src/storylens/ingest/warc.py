"""WARC and WARC.gz web archives: every HTML response becomes an article."""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storylens.ingest.decode import decode_text
from storylens.ingest.html import html_to_article
from storylens.ingest.sources import RawInput
from storylens.model import Article, InputError, Skipped


def read_warc(raw: RawInput, options: dict) -> Iterator[Article | Skipped]:
    found = 0
    try:
        for record in ArchiveIterator(io.BytesIO(raw.data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower() or record.http_headers.get_statuscode() != "200":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            found += 1
            name = f"{raw.name}#{url or found}"
            try:
                html = decode_text(record.content_stream().read(), _charset(ctype))
                yield html_to_article(html, name=name, url=url)
            except InputError as err:
                yield Skipped(name, str(err))
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as err:
        raise InputError(f"corrupt or truncated web archive after {found} pages: {err}") from None
    if not found:
        raise InputError("web archive holds no HTML responses")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None
