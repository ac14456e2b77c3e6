"""Reports appear whole or not at all: a run killed while writing leaves the previous report as it was.

A file is written under a temporary name in its own folder, then renamed over the old one (a rename
within a file system is atomic). A report folder that is storylens's own is built beside it and
swapped in; see `replace_folder`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

# in a report folder storylens made: the folder may be replaced whole, as no file of anyone else's is in it
OWN_MARK = ".storylens-report"


def _temporary(path: Path, kind: str) -> Path:
    # a hidden sibling: same folder, so same file system; a run killed mid-write leaves only this behind
    return path.with_name(f".{path.name}.{kind}-{secrets.token_hex(4)}")


@contextlib.contextmanager
def atomic_open(path: str | Path) -> Iterator[TextIO]:
    """A text file to write `path` through: renamed over `path` if the block ends, removed if it raises."""
    path = Path(os.path.realpath(path))  # through a symlink to its file, which keeps its permissions
    tmp = _temporary(path, "tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the usual permissions, after the umask
    try:
        if path.exists():
            os.chmod(fd, stat.S_IMODE(path.stat().st_mode))
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    with atomic_open(path) as out:
        out.write(text)


def is_own_folder(folder: Path) -> bool:
    """Whether `folder` may be replaced whole: new, empty, or marked as a storylens report folder.

    Never a symlink or a folder holding the working directory: replacing either would pull it from under its user.
    """
    if not folder.exists():
        return True
    if folder.is_symlink() or not folder.is_dir() or Path.cwd().resolve().is_relative_to(folder.resolve()):
        return False
    return (folder / OWN_MARK).is_file() or not any(folder.iterdir())


def new_folder(folder: Path) -> Path:
    """An empty hidden sibling of `folder` to build its replacement in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    build = _temporary(folder, "new")
    build.mkdir()
    (build / OWN_MARK).write_text("storylens writes this folder; each run replaces it whole.\n", encoding="utf-8")
    return build


def replace_folder(build: Path, folder: Path) -> bool:
    """Put the finished `build` in place of `folder`; False (and `build` removed) if the file system refuses.

    Two renames: the old folder out of the way, the new one in. A kill between the two leaves
    no `folder` but both complete versions beside it, under hidden names.
    """
    old = _temporary(folder, "old")
    try:
        if folder.exists():
            folder.rename(old)
        build.rename(folder)
    except OSError:
        if old.exists() and not folder.exists():
            old.rename(folder)
        shutil.rmtree(build, ignore_errors=True)
        return False
    shutil.rmtree(old, ignore_errors=True)
    return True
