"""WARC and WARC.gz web archives: every HTML response becomes an article."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storylens.ingest.decode import decode_text
from storylens.ingest.html import html_to_article
from storylens.ingest.sources import DEFAULT_MAX_BYTES, RawInput
from storylens.ingest.streams import SizeLimitError, over_limit
from storylens.model import Article, InputError, Skipped


def read_warc(raw: RawInput, options: dict) -> Iterator[Article | Skipped]:
    found = 0
    limit = options.get("max_bytes", DEFAULT_MAX_BYTES)
    try:
        # the stream is already decompressed and capped: a record cannot expand past --max-size
        for record in ArchiveIterator(raw.stream()):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower() or record.http_headers.get_statuscode() != "200":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            found += 1
            name = f"{raw.name}#{url or found}"
            try:
                body = record.content_stream().read(limit + 1)  # an HTTP Content-Encoding expands here
                if len(body) > limit:
                    raise InputError("the page is " + over_limit(limit))
                html = decode_text(body, _charset(ctype))
                yield html_to_article(html, name=name, url=url)
            except InputError as err:
                yield Skipped(name, str(err))
    except SizeLimitError as err:
        raise InputError(f"stopped after {found} pages: the archive is {err}") from None
    # warcio fails with AttributeError or TypeError on some malformed headers (a record without a URI)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, AttributeError, TypeError) as err:
        raise InputError(f"corrupt or truncated web archive after {found} pages: {err}") from None
    if not found:
        raise InputError("web archive holds no HTML responses")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None
