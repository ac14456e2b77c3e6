"""Where inputs come from: files, folders walked recursively, and http(s) URLs.

Each input becomes a `RawInput` (its name as the user gave it, its content as a capped stream, and
what the transport said about it); reading its format is the job of the format modules.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from storylens.ingest.streams import Capped, Prefixed, capped, too_big
from storylens.ingest.web import fetch
from storylens.model import InputError, Skipped

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
HEAD_BYTES = 64 * 1024  # enough to tell a format by its first bytes

_NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}  # fmt: skip


class RawInput:
    """One input: its name, what the transport said about it, and its content, read on demand.

    `head` is the first bytes; `data` all of it; `lines()` streams it, so a big JSON Lines file is
    never in memory at once. Every read stops at the size limit the stream was opened with.
    """

    def __init__(
        self, name: str, data: bytes | None = None, *, stream: Capped | None = None, url: str | None = None,
        content_type: str | None = None, charset: str | None = None,
    ) -> None:  # fmt: skip
        self.name = name
        self.url = url
        self.content_type = content_type
        self.charset = charset
        self._data = data
        self._stream = stream if stream is not None else Capped(io.BytesIO(data or b""), len(data or b""))
        self._head: bytes | None = None

    @property
    def head(self) -> bytes:
        if self._head is None:
            self._head = self._data[:HEAD_BYTES] if self._data is not None else self._stream.read(HEAD_BYTES)
        return self._head

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.head + self._stream.read()
        return self._data

    def stream(self) -> Prefixed:
        """The whole content as a stream (for a reader that parses as it reads)."""
        if self._data is not None:
            return Prefixed(self._data, Capped(io.BytesIO(), 0))
        return Prefixed(self.head, self._stream)

    def lines(self) -> Iterator[bytes]:
        stream = self.stream()
        while line := stream.readline():
            yield line

    def close(self) -> None:
        self._stream.close()


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def display_name(name: str) -> str:
    """A name that can be stored and printed: bytes of a file name that are not UTF-8 become `\\xNN`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def expand(paths: list[str]) -> Iterator[str | Skipped]:
    """Every file under the given paths (folders recursively, sorted, hidden files skipped), and URLs;
    a folder that cannot be listed is a `Skipped`."""
    for path in paths:
        if is_url(path):
            yield path
        elif os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path):
            yield path
        else:
            yield Skipped(display_name(path), "no such file or folder")


def _walk(folder: str) -> Iterator[str | Skipped]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from _unlisted(errors)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)
    yield from _unlisted(errors)


def _unlisted(errors: list[OSError]) -> Iterator[Skipped]:
    for err in errors:
        why = "permission denied" if isinstance(err, PermissionError) else (err.strerror or str(err))
        yield Skipped(display_name(str(err.filename)), f"{why}: cannot list this folder")
    errors.clear()


def load(name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Open one file or URL, refusing what is not a regular file, or over the size limit."""
    if is_url(name):
        response = fetch(name, max_bytes)
        return RawInput(
            display_name(name), stream=capped(io.BytesIO(response.body), max_bytes), url=response.url,
            content_type=response.content_type, charset=response.charset,
        )  # fmt: skip
    return RawInput(display_name(name), stream=capped(_open_file(name, max_bytes), max_bytes))


def _open_file(path: str, max_bytes: int) -> BinaryIO:
    try:
        _check_regular(os.stat(path).st_mode)  # never open a FIFO or a device: reading one may block or never end
        # O_NONBLOCK: if a FIFO took the file's place since the stat, opening it does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)
            _check_regular(info.st_mode)
            if info.st_size > max_bytes:
                raise InputError(too_big(info.st_size, max_bytes))
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")
    except PermissionError:
        raise InputError("permission denied: cannot read this file") from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None


def _check_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError("is a folder")
    if not stat.S_ISREG(mode):
        kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "a special file")
        raise InputError(f"not a regular file ({kind}): not read")
