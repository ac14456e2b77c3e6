"""Byte streams that never trust a declared size: every read stops at the size limit.

Files, gzip members (all of them, not only the first) and HTTP bodies are read through `Capped`,
so `--max-size` bounds what an input yields after decompression, whatever its header or file
system entry claims.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from typing import BinaryIO

from storylens.model import InputError


class SizeLimitError(InputError):
    """An input yields more bytes than the size limit allows."""


class Capped:
    """Reads from `raw` and raises `SizeLimitError` once more than `limit` bytes came out of it."""

    def __init__(self, raw: BinaryIO, limit: int, *, gzipped: bool = False) -> None:
        self._raw = raw
        self._limit = limit
        self._count = 0
        self._gzipped = gzipped

    def read(self, size: int | None = -1) -> bytes:
        return self._take(self._raw.read, size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._take(self._raw.readline, size)

    def close(self) -> None:
        self._raw.close()

    def _take(self, read: Callable[[int], bytes], size: int | None) -> bytes:
        room = self._limit + 1 - self._count  # one byte past the limit tells "over" from "exactly"
        want = room if size is None or size < 0 else min(size, room)
        try:
            chunk = read(want) if want > 0 else b""
        except EOFError:
            raise InputError("truncated gzip file: the archive ends before its data does") from None
        except (zlib.error, gzip.BadGzipFile) as err:
            raise InputError(f"corrupt gzip data: {err}") from None
        self._count += len(chunk)
        if self._count > self._limit:
            once = " once decompressed" if self._gzipped else ""
            raise SizeLimitError(f"more than {_mb(self._limit)} MB{once}: {_RAISE}")
        return chunk


def capped(raw: BinaryIO, limit: int) -> Capped:
    """`raw` (seekable) as a capped stream, decompressed first if it is gzip."""
    gzipped = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    return Capped(gzip.GzipFile(fileobj=raw) if gzipped else raw, limit, gzipped=gzipped)


class Prefixed:
    """`head` (already read from `rest`) followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: Capped) -> None:
        self._head = io.BytesIO(head)
        self._rest = rest

    def read(self, size: int | None = -1) -> bytes:
        chunk = self._head.read(size)
        if size is None or size < 0:
            return chunk + self._rest.read()
        return chunk or self._rest.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        line = self._head.readline(size)
        if line.endswith(b"\n") or (size is not None and 0 <= size <= len(line)):
            return line
        return line + self._rest.readline(-1 if size is None or size < 0 else size - len(line))


_RAISE = "over the size limit (raise it with --max-size)"


def over_limit(limit: int) -> str:
    return f"over the size limit of {_mb(limit)} MB (raise it with --max-size)"


def too_big(size: int, limit: int) -> str:
    return f"{size / 1e6:.1f} MB is " + over_limit(limit)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f}"
