"""Where inputs come from: files, folders walked recursively, and http(s) URLs.

Each input becomes a `RawInput` (its name as the user gave it, its bytes, and what the transport
said about it); reading its format is the job of the format modules.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from storylens.model import InputError, Skipped

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
URL_TIMEOUT_S = 15
USER_AGENT = "storylens/0.1 (+offline news analysis)"


@dataclass
class RawInput:
    name: str
    data: bytes
    url: str | None = None
    content_type: str | None = None
    charset: str | None = None


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def expand(paths: list[str]) -> Iterator[str | Skipped]:
    """Every file under the given paths (folders recursively, sorted, hidden files skipped), and URLs."""
    for path in paths:
        if is_url(path):
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif os.path.exists(path):
            yield path
        else:
            yield Skipped(path, "no such file or folder")


def load(name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one file or URL into memory, refusing what is over the size limit."""
    raw = _fetch(name, max_bytes) if is_url(name) else _read_file(name, max_bytes)
    if _is_gzip(raw.data) and not name.lower().endswith(".warc.gz"):
        raw.data = _gunzip(raw.data, max_bytes)
    return raw


def _read_file(path: str, max_bytes: int) -> RawInput:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(_too_big(size, max_bytes))
        data = Path(path).read_bytes()
    except PermissionError:
        raise InputError("permission denied: cannot read this file") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None
    return RawInput(name=path, data=data)


def _fetch(url: str, max_bytes: int) -> RawInput:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_S) as response:
            data = response.read(max_bytes + 1)
            headers: Message = response.headers
            final_url = response.geturl()
    except urllib.error.HTTPError as err:
        raise InputError(f"the server answered HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise InputError(f"the URL did not answer: {reason}") from None
    if len(data) > max_bytes:
        raise InputError(_too_big(len(data), max_bytes))
    return RawInput(
        name=url,
        data=data,
        url=final_url,
        content_type=headers.get_content_type(),
        charset=headers.get_content_charset(),
    )


def _is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress, refusing truncated archives and ones that expand past the size limit."""
    decompressor = zlib.decompressobj(wbits=31)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise InputError(f"corrupt gzip data: {err}") from None
    if len(out) > max_bytes:
        raise InputError("decompressed size is over the limit: " + _too_big(len(out), max_bytes))
    if not decompressor.eof:
        raise InputError("truncated gzip file: the archive ends before its data does")
    return out


def _too_big(size: int, limit: int) -> str:
    return f"{size / 1e6:.1f} MB is over the size limit of {limit / 1e6:.1f} MB (raise it with --max-size)"
