"""Worker processes that end with their parent.

A pool's workers are forked children; when the parent is killed (SIGKILL, OOM killer) nothing tells
them, and they go on reading or parsing for minutes. `die_with_parent` is a pool initializer:

    ProcessPoolExecutor(max_workers=n, initializer=die_with_parent, initargs=(os.getpid(),))
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, *, use_prctl: bool = True, poll_s: float = 1.0) -> None:
    """Make this process end when its parent does: the kernel's parent-death signal on Linux, else a
    thread that polls the parent id. Call it first thing in a child (a pool `initializer`).

    `parent_pid` is the parent's `os.getpid()`, taken before the fork: without it, a parent killed
    before this runs goes unnoticed. Linux sends the signal when the *thread* that forked this child
    ends, so create pools from a thread that outlives them (the main thread does).
    """
    parent = os.getppid() if parent_pid is None else parent_pid
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)
    if use_prctl and _set_parent_death_signal():
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    watcher = threading.Thread(target=_watch_parent, args=(parent, poll_s), name="die-with-parent", daemon=True)
    watcher.start()


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, poll_s: float) -> None:
    while os.getppid() == parent:  # a reparented child sees another parent id
        time.sleep(poll_s)
    os._exit(1)
