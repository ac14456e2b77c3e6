"""The in-memory cache of rendered pages: a page is made again when its fingerprint changes, and the least
recently used pages go first when the cache is full."""

from __future__ import annotations

from storylens.web.cache import PageCache


def test_a_page_is_made_once_per_fingerprint():
    cache, made = PageCache(), []

    def make(text: str):
        return lambda: made.append(text) or text

    assert cache.get("s1", "v1", make("first")) == b"first"
    assert cache.get("s1", "v1", make("not made")) == b"first"
    assert cache.get("s1", "v2", make("second")) == b"second"
    assert cache.get("s1", None, make("unstored")) == b"unstored"
    assert made == ["first", "second", "unstored"]


def test_the_least_recently_used_pages_go_when_the_cache_is_full():
    cache = PageCache(max_bytes=10)
    for key in ("a", "b", "c"):
        cache.get(key, "v", lambda key=key: key * 4)
    cache.get("b", "v", lambda: "remade")  # b is kept, and now the most recently used
    cache.get("d", "v", lambda: "dddd")
    assert list(cache.pages) == ["b", "d"] and cache.size == 8
    assert cache.get("b", "v", lambda: "remade") == b"bbbb"
    assert cache.get("x", "v", lambda: "x" * 11) == b"x" * 11 and "x" not in cache.pages
