"""Rendered story and article pages kept in memory, each under a fingerprint of the story rows it was made from.

A story page decodes the story's stored analysis and renders thousands of highlighted pieces: milliseconds
that a story many readers open should cost once. The fingerprint (`browse.story_fingerprint`) names every
row the page shows, read afresh on each request, so a page is made again as soon as its story is
re-analysed, gains articles or reuse, or its links to other stories change, whichever process wrote them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

MAX_BYTES = 16 * 2**20  # about 250 story pages of the bundled sample's size (UTF-8)


class PageCache:
    """The most recently used pages, as UTF-8, up to `max_bytes` in all; safe to share between threads."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[str, tuple[str, bytes]] = OrderedDict()  # key -> (fingerprint, page)
        self.lock = threading.Lock()

    def get(self, key: str, fingerprint: str | None, make: Callable[[], str]) -> bytes:
        """The page under `key` made from the rows `fingerprint` names: kept, or made now and kept. Without a
        fingerprint (nothing stored under the key) the page is made and not kept."""
        if fingerprint is None:
            return make().encode("utf-8")
        with self.lock:
            kept = self.pages.get(key)
            if kept and kept[0] == fingerprint:
                self.pages.move_to_end(key)
                return kept[1]
        page = make().encode("utf-8")
        self._put(key, fingerprint, page)
        return page

    def _put(self, key: str, fingerprint: str, page: bytes) -> None:
        if len(page) > self.max_bytes:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old:
                self.size -= len(old[1])
            self.pages[key] = (fingerprint, page)
            self.size += len(page)
            while self.size > self.max_bytes:
                _, (_, dropped) = self.pages.popitem(last=False)
                self.size -= len(dropped)
