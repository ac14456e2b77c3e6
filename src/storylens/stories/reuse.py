"""Which earlier articles might share passages with a new one, and which is a near-exact copy.

Candidate retrieval the way passim does it, with MinHash LSH: every sentence of at least a few
words gets a MinHash signature over its word 3-grams, cut into bands; two articles whose sentences
collide in a band are a candidate pair, to be aligned by `storylens.stories.align.align`. A band
bucket that fills up (boilerplate: "All rights reserved.") stops taking new members, so common
sentences do not make every pair a candidate. Whole articles also get a MinHash over word 5-grams,
banded the same way (fewer, longer bands), which finds near-exact duplicates (`duplicate_of`).

Buckets are also cut by time (`window_days`): an article is filed under its band keys in its own time
window and meets the articles of that window and of the windows just before and after it, so two articles
at most `window_days` apart always meet (up to twice that apart may). Reuse is news copying news: what the
windows cost is copy of a passage months old; what they buy is that a bucket's cap is reached per window,
not once for all time, and that an engine which shuffles the buckets (on Ray) sends a new article only the
saved rows of its own windows. An article without a date is taken to be of the time of the dated article
that arrived last before it (news arrives roughly in order: a feed, a crawl, a folder of one week); before
any dated article, in a window of its own, which the dated articles after it also meet.

A band collision is checked against the rest of the two sentences' signatures before it counts
(`verify`): the chance that two unrelated sentences collide in some band is small but constant,
and each newcomer meets every earlier sentence, so unchecked collisions grow with the corpus and
alignment time grows with its square. One byte per signature value is kept for the check.

Memory is kept in forms Python's garbage collector does not walk (a dict of ints, arrays): with
millions of lists, sets or tuples in the index, every full collection walks them all, and full
collections become slower as the corpus grows.

The state (signatures, band buckets) is kept in `ReuseIndex`, so that tomorrow's articles are compared with
today's without re-reading them. It is saved in two pieces: what the story tracker reads as it places
articles (`meta`: which article has which position, which are copies) and the buckets and signatures, as
rows (`IndexRows`) cut into partitions by band key. Each save adds the rows of the articles placed since the
last one, so an engine that finds candidates elsewhere (on Ray) never needs the whole index in one process.
The texts themselves are not kept: the caller hands them to `align`.
"""

from __future__ import annotations

import io
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np

from storylens.model import Article
from storylens.sentences import split_sentences as sentences
from storylens.stories.features import published_day, words

_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_FORMAT = 4  # saved-state layout; 3 had no time windows, 2 was one blob of the whole index, 1 had no prints
INDEX_PARTS = 16  # partitions of the saved index: sentence rows by band key, signatures by article position
PART_ROWS = 1 << 20  # rows of each kind in one stored piece of a partition: about 45 MB of sentences
# odd 64-bit multipliers that mix a band's rows into one key (wrapping multiplication)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)


@dataclass
class ReuseParams:
    shingle: int = 3  # word n-gram size for sentence signatures
    bands: int = 8
    rows: int = 3  # P(candidate) = 1 - (1 - J**rows) ** bands: 0.66 at J=0.5, 0.97 at J=0.7, per sentence
    min_words: int = 5
    bucket_cap: int = 50  # a bucket with this many sentences is boilerplate: it stops growing and matching
    verify: int = 9  # signature values (of bands * rows) two colliding sentences must share; chosen on planted dev
    doc_shingle: int = 5
    doc_perm: int = 64
    doc_bands: int = 5  # 5 x 12, as datasketch's MinHashLSH picks for J 0.81: P(candidate) 0.81 at J 0.9, 0.98 at 0.95
    doc_rows: int = 12
    duplicate: float = 0.9  # estimated Jaccard of word 5-grams above which an article is a near-exact copy
    seed: int = 1
    window_days: int | None = 30  # articles meet within this many days (see the module's comment); None: always


@dataclass
class Candidates:
    """What the index says about a newly added article."""

    article_id: str
    duplicate_of: str | None = None
    similar: list[str] = field(default_factory=list)  # earlier articles sharing a sentence, most shared first


_TOKEN_HASHES: dict[str, int] = {}  # a plain dict, emptied when full: an LRU's bookkeeping costs more than crc32
_TOKEN_HASHES_MAX = 1_000_000


def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


def _token_hashes(tokens: list[str]) -> np.ndarray:
    cache = _TOKEN_HASHES
    if len(cache) > _TOKEN_HASHES_MAX:
        cache.clear()
    out = []
    for token in tokens:
        h = cache.get(token)
        if h is None:
            h = cache[token] = _token_hash(token)
        out.append(h)
    return np.array(out, dtype=np.uint64)


@lru_cache(maxsize=8)
def _permutations(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    a = rng.randint(1, int(_PRIME), size=n, dtype=np.uint64)
    b = rng.randint(0, int(_PRIME), size=n, dtype=np.uint64)
    return a, b


def _shingle_hashes(tokens: list[str], n: int) -> np.ndarray:
    """32-bit hashes of the word n-grams of `tokens`, combined from per-token hashes (vectorized)."""
    h = _token_hashes(tokens)
    if len(h) < n:
        return h[:0]
    out = np.zeros(len(h) - n + 1, dtype=np.uint64)
    for k in range(n):
        out = (out * np.uint64(1_000_003) + h[k : len(h) - n + 1 + k]) & _MASK32
    return out


def _minhash(hashes: np.ndarray, perm: tuple[np.ndarray, np.ndarray], groups: np.ndarray) -> np.ndarray:
    """MinHash signatures (one row per group of consecutive shingles, starting at `groups`)."""
    a, b = perm
    values = ((hashes[None, :] * a[:, None] + b[:, None]) % _PRIME) & _MASK32  # (perm, shingles)
    return np.minimum.reduceat(values, groups, axis=1).T  # (groups, perm)


@dataclass
class Signed:
    """An article's MinHash signatures, a function of its text alone (`sign`)."""

    doc: np.ndarray  # (doc_perm,) over word 5-grams of the whole text
    sentences: np.ndarray  # (sentences, bands * rows), one row per sentence of at least `min_words` words


def sign(text: str, params: ReuseParams) -> Signed:
    """The signatures `ReuseIndex.add` files an article under; computed anywhere, before the article is added."""
    p = params
    hashes = _shingle_hashes(words(text), p.doc_shingle)
    if len(hashes) == 0:
        hashes = np.array([_token_hash(text)], dtype=np.uint64)
    doc = _minhash(hashes, _permutations(p.doc_perm, p.seed + 1), np.array([0]))[0]
    chunks, starts, total = [], [], 0
    for sentence in sentences(text):
        tokens = words(sentence.text)
        if len(tokens) < p.min_words:
            continue
        hashes = _shingle_hashes(tokens, p.shingle)
        starts.append(total)
        chunks.append(hashes)
        total += len(hashes)
    if not chunks:
        return Signed(doc, np.zeros((0, p.bands * p.rows), dtype=np.uint64))
    return Signed(doc, _minhash(np.concatenate(chunks), _permutations(p.bands * p.rows, p.seed), np.array(starts)))


UNDATED = -(1 << 40)  # the time window of the articles without a date
_WINDOW_MIX = np.uint64(0xD6E8FEB86659FD93)


def window_of(day: int | None, params: ReuseParams, last: int) -> tuple[int, int]:
    """(the time window an article with this `published_day` is filed in, the window of the last dated article
    so far) given `last`, that of the last dated article before it (`UNDATED` if none): the module's comment.
    All in window 0 without windows."""
    if params.window_days is None:
        return 0, last
    window = last if day is None else day // params.window_days
    return window, (last if day is None else window)


def met_windows(window: int, params: ReuseParams) -> tuple[int, ...]:
    """The windows whose articles an article of `window` meets: its own first, then the ones before and after,
    and that of the undated articles that came before any dated one."""
    if params.window_days is None or window == UNDATED:
        return (window,)
    return window, window - 1, window + 1, UNDATED


def windowed(keys: np.ndarray, window: int | np.ndarray) -> np.ndarray:
    """Band keys (int64) made keys of buckets of one time window; window 0 leaves them as they are."""
    mixed = np.asarray(window, dtype=np.int64).astype(np.uint64) * _WINDOW_MIX >> np.uint64(2)
    return (keys.astype(np.uint64) ^ mixed).astype(np.int64)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 62-bit key per signature and band: the band's rows and its number, mixed."""
    blocks = signatures.reshape(len(signatures), bands, rows)
    keys = np.arange(bands, dtype=np.uint64)[None, :] * _MIX[-1]
    for r in range(rows):
        keys = (keys ^ blocks[:, :, r]) * _MIX[r % (len(_MIX) - 1)]
    return keys >> np.uint64(2)


def sentence_keys(signatures: np.ndarray, params: ReuseParams) -> np.ndarray:
    """(sentences, bands) band keys of sentence signatures."""
    return band_keys(signatures, params.bands, params.rows)


def doc_keys(signature: np.ndarray, params: ReuseParams) -> list[int]:
    """The band keys of an article's whole-text signature."""
    head = signature[: params.doc_bands * params.doc_rows].reshape(1, -1)
    return band_keys(head, params.doc_bands, params.doc_rows)[0].tolist()


def prints(signatures: np.ndarray) -> np.ndarray:
    """The low byte of each signature value: what `verify` compares of two colliding sentences."""
    return (signatures & np.uint64(0xFF)).astype(np.uint8)


def verified(new: np.ndarray, old: np.ndarray, params: ReuseParams) -> np.ndarray:
    """Which colliding sentence pairs (rows of prints) share enough signature values to count."""
    return (new == old).sum(axis=1) >= params.verify


def most_shared(owners: Iterable[int]) -> list[int]:
    """The earlier articles of the verified collisions (in the order they were met), most collisions first
    (ties: the first met first)."""
    return [owner for owner, _ in Counter(owners).most_common()]


def candidates(article_id: str, duplicate_of: str | None, similar: list[str]) -> Candidates:
    """What the index tells of an article: the article it copies, and the others it shares sentences with
    (most shared first; not the one it copies, whose reuse is all of it)."""
    return Candidates(article_id, duplicate_of, [s for s in similar if s != duplicate_of])


def doc_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of two whole-text signatures."""
    return float(np.mean(a == b))


def pick_duplicate(similar: Iterable[tuple[int, float]], params: ReuseParams) -> int | None:
    """Of (earlier article, similarity) in increasing article order, the one an article copies: the most
    similar at or above `duplicate` (ties: the latest)."""
    best, best_sim = None, params.duplicate
    for other, sim in similar:
        if sim >= best_sim:
            best, best_sim = other, sim
    return best


def bucket_kept(cap: int) -> int:
    """How many items an LSH bucket of this cap keeps (`_Buckets.put`): each meets all kept before it, and
    those after them meet nothing and are not kept. A second item always starts a chain, whatever the cap."""
    return max(cap, 2)


def _by_slot(part: np.ndarray, window: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """(partition, window) -> the indices of the rows in it, in row order (one sort, not a scan per slot)."""
    if not len(part):
        return {}
    order = np.lexsort((window, part))  # stable: rows keep their order within a slot
    slots = np.stack((part[order], window[order]), axis=1)
    starts = np.flatnonzero(np.any(slots[1:] != slots[:-1], axis=1)) + 1
    firsts = slots[np.r_[0, starts]].tolist()
    return {(p, w): rows for (p, w), rows in zip(firsts, np.split(order, starts), strict=True)}


@dataclass
class IndexRows:
    """The index as saved: one row per sentence band a bucket keeps (band key, article position, the sentence's
    number in its article, band, the sentence's prints, the article's time window), and one per article with
    its whole-text signature and time window. Sorted by (key, window) and then by (owner, sentence, band), a
    bucket's rows are in the order they were filed."""

    key: np.ndarray  # int64, the band key (not `windowed`)
    owner: np.ndarray  # int32
    sentence: np.ndarray  # int32
    band: np.ndarray  # int32
    prints: np.ndarray  # uint8, (rows, bands * rows)
    window: np.ndarray  # int64
    doc_owner: np.ndarray  # int32
    doc: np.ndarray  # uint64, (articles, doc_perm)
    doc_window: np.ndarray  # int64

    def to_parts(self, parts: int = INDEX_PARTS) -> list[tuple[int, int, bytes]]:
        """(partition, time window, bytes) for the rows of each partition (sentences by key, signatures by
        article) in each window, in pieces of at most `PART_ROWS` rows of each kind (a store's value has a
        size limit)."""
        sentence_rows = _by_slot(self.key % parts, self.window)
        doc_rows = _by_slot(self.doc_owner % parts, self.doc_window)
        none = np.empty(0, dtype=np.int64)
        out = []
        for part, window in sorted(sentence_rows.keys() | doc_rows.keys()):
            rows, docs = sentence_rows.get((part, window), none), doc_rows.get((part, window), none)
            for first in range(0, max(len(rows), len(docs)), PART_ROWS):
                r, d = rows[first : first + PART_ROWS], docs[first : first + PART_ROWS]
                buffer = io.BytesIO()
                np.savez(buffer, key=self.key[r], owner=self.owner[r], sentence=self.sentence[r], band=self.band[r],
                         prints=self.prints[r], window=self.window[r], doc_owner=self.doc_owner[d], doc=self.doc[d],
                         doc_window=self.doc_window[d])  # fmt: skip
                out.append((part, window, buffer.getvalue()))
        return out

    @classmethod
    def from_bytes(cls, data: bytes) -> IndexRows:
        arrays = np.load(io.BytesIO(data))
        found = {name: arrays[name] for name in _ROW_TYPES if name in arrays}
        # saved before time windows (format 3): all in window 0, the window of an index without windows
        found.setdefault("window", np.zeros(len(found["key"]), np.int64))
        found.setdefault("doc_window", np.zeros(len(found["doc_owner"]), np.int64))
        return cls(**found)

    @classmethod
    def joined(cls, parts: Iterable[IndexRows], params: ReuseParams) -> IndexRows:
        parts = list(parts) or [cls.empty(params)]
        return cls(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in _ROW_TYPES})

    @classmethod
    def empty(cls, params: ReuseParams) -> IndexRows:
        width = params.bands * params.rows
        arrays = {name: np.zeros(0, kind) for name, kind in _ROW_TYPES.items()}
        arrays["prints"], arrays["doc"] = np.zeros((0, width), np.uint8), np.zeros((0, params.doc_perm), np.uint64)
        return cls(**arrays)


_ROW_TYPES = {"key": np.int64, "owner": np.int32, "sentence": np.int32, "band": np.int32, "prints": np.uint8,
              "window": np.int64, "doc_owner": np.int32, "doc": np.uint64, "doc_window": np.int64}  # fmt: skip


class _Buckets:
    """LSH buckets: key -> the items put under it, newest first, at most `cap` of them.

    Most buckets never get a second item: the dict then holds the item itself (the caller passes one
    int object for all bands of a sentence, so they share it). A bucket with more is a chain of
    entries in arrays: the dict holds -(newest entry + 1), and each entry knows its item, the entry
    before it and how many entries its chain has up to it. Only ints and arrays: nothing for the
    garbage collector to walk.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.head: dict[int, int] = {}
        self.item = array("i")
        self.before = array("i")
        self.depth = array("i")

    def __len__(self) -> int:
        return len(self.head)

    def _entry(self, item: int, before: int, depth: int) -> int:
        self.item.append(item)
        self.before.append(before)
        self.depth.append(depth)
        return -len(self.item)  # -(entry + 1)

    def put(self, key: int, item: int) -> list[int] | None:
        """File `item` (>= 0) under `key`; return the items filed there before, or None if the bucket is full."""
        head = self.head.get(key)
        if head is None:
            self.head[key] = item
            return []
        if head >= 0:  # a single item so far: start a chain
            first = -self._entry(head, -1, 1) - 1
            self.head[key] = self._entry(item, first, 2)
            return [head]
        entry = -head - 1
        if self.depth[entry] >= self.cap:
            return None
        earlier = self._walk(entry)
        self.head[key] = self._entry(item, entry, self.depth[entry] + 1)
        return earlier

    def get(self, key: int) -> list[int]:
        head = self.head.get(key)
        if head is None:
            return []
        return [head] if head >= 0 else self._walk(-head - 1)

    def open_items(self, key: int) -> list[int]:
        """The items under `key` unless the bucket is full (what `put` would meet there, without filing)."""
        head = self.head.get(key)
        if head is None or head >= 0:
            return [] if head is None else [head]
        entry = -head - 1
        return [] if self.depth[entry] >= self.cap else self._walk(entry)

    def _walk(self, entry: int) -> list[int]:
        out, item, before = [], self.item, self.before
        while entry >= 0:
            out.append(item[entry])
            entry = before[entry]
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_keys": np.fromiter(self.head.keys(), dtype=np.int64, count=len(self.head)),
            f"{prefix}_heads": np.fromiter(self.head.values(), dtype=np.int64, count=len(self.head)),
            f"{prefix}_item": np.frombuffer(self.item, dtype=np.int32),
            f"{prefix}_before": np.frombuffer(self.before, dtype=np.int32),
            f"{prefix}_depth": np.frombuffer(self.depth, dtype=np.int32),
        }

    @classmethod
    def from_sorted(cls, cap: int, keys: np.ndarray, items: np.ndarray) -> _Buckets:
        """Buckets holding these items, grouped by key (`keys` sorted, each key's items in the order they
        were filed, as many as the bucket keeps): the index `put` would have built, made in one pass."""
        buckets = cls(cap)
        if len(keys) == 0:
            return buckets
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)])
        position = np.arange(len(keys)) - np.repeat(starts, sizes)  # within its bucket
        chained = np.repeat(sizes > 1, sizes)
        entry = np.cumsum(chained) - 1  # entry number of each chained item
        last = starts + sizes - 1
        heads = np.where(sizes > 1, -(entry[last] + 1), items[last])
        buckets.head = dict(zip(keys[starts].tolist(), heads.tolist(), strict=True))
        before = np.where(position[chained] > 0, entry[chained] - 1, -1)
        for name, values in (("item", items[chained]), ("before", before), ("depth", position[chained] + 1)):
            getattr(buckets, name).frombytes(values.astype(np.int32).tobytes())
        return buckets

    @classmethod
    def from_arrays(cls, cap: int, arrays, prefix: str) -> _Buckets:
        buckets = cls(cap)
        buckets.head = dict(zip(arrays[f"{prefix}_keys"].tolist(), arrays[f"{prefix}_heads"].tolist(), strict=True))
        for name in ("item", "before", "depth"):
            getattr(buckets, name).frombytes(arrays[f"{prefix}_{name}"].astype(np.int32).tobytes())
        return buckets


class _Grow:
    """A numpy array that grows along its first axis by doubling (amortized O(1) appends)."""

    def __init__(self, dtype, width: int = 0) -> None:
        self.shape_tail = (width,) if width else ()
        self.data = np.zeros((1024, *self.shape_tail), dtype=dtype)
        self.size = 0

    def extend(self, rows: np.ndarray) -> None:
        need = self.size + len(rows)
        if need > len(self.data):
            bigger = np.zeros((max(need, 2 * len(self.data)), *self.shape_tail), dtype=self.data.dtype)
            bigger[: self.size] = self.data[: self.size]
            self.data = bigger
        self.data[self.size : need] = rows
        self.size = need

    def view(self) -> np.ndarray:
        return self.data[: self.size]


class ReuseIndex:
    """Incremental candidate index for text reuse and near-duplicate detection."""

    def __init__(self, params: ReuseParams | None = None) -> None:
        self.params = params or ReuseParams()
        p = self.params
        self.article_ids: list[str] = []
        self.position: dict[str, int] = {}
        self.buckets = _Buckets(p.bucket_cap)  # sentence band key -> sentence ids
        self.sentence_article = _Grow(np.int32)  # sentence id -> article position
        self.sentence_prints = _Grow(np.uint8, p.bands * p.rows)  # low byte of each signature value, for `verify`
        self.doc_signatures = _Grow(np.uint64, p.doc_perm)
        self.windows = array("q")  # the time window of each article added since the last save
        self.last_window = UNDATED  # that of the last dated article (`window_of`)
        self.filled_windows: set[int] = set()  # windows holding articles: only those are worth looking in
        self.duplicates: dict[str, str] = {}
        self.doc_buckets = _Buckets(1 << 30)  # article band key -> article positions (not copies)
        self.saves = 0  # how many saves the stored index has: its parts up to this one count
        self.saved_articles = 0  # articles whose rows are saved
        self._filed = {"key": array("q"), "sid": array("i"), "sentence": array("i"), "band": array("i"),
                       "window": array("q")}  # fmt: skip

    def __len__(self) -> int:
        return len(self.article_ids)

    def record(self, article_id: str, duplicate_of: str | None, day: int | None) -> None:
        """Count in an article whose candidates were found elsewhere (its rows are saved by that engine): what
        the tracker reads of the index while it places articles."""
        self.last_window = window_of(day, self.params, self.last_window)[1]
        self.position[article_id] = len(self.article_ids)
        self.article_ids.append(article_id)
        if duplicate_of:
            self.duplicates[article_id] = duplicate_of

    def add(self, article: Article) -> Candidates:
        """Register `article` and return its candidates among the articles added before it."""
        if article.id in self.position:
            return Candidates(article.id, self.duplicates.get(article.id))
        return self.add_signed(article.id, sign(article.text, self.params), published_day(article.published))

    def add_signed(self, article_id: str, signed: Signed, day: int | None) -> Candidates:
        """`add` with the article's signatures computed already (`sign`), and its `published_day`."""
        p = self.params
        pos = len(self.article_ids)
        self.article_ids.append(article_id)
        self.position[article_id] = pos
        window, self.last_window = window_of(day, p, self.last_window)
        self.windows.append(window)
        looked = [w for w in met_windows(window, p) if w == window or w in self.filled_windows]
        self.filled_windows.add(window)

        doc_signature = signed.doc
        self.doc_signatures.extend(doc_signature[None, :])
        doc_band_keys = np.array(doc_keys(doc_signature, p), dtype=np.int64)
        duplicate_of = self._find_duplicate(doc_signature, [windowed(doc_band_keys, w).tolist() for w in looked])
        if duplicate_of:
            self.duplicates[article_id] = duplicate_of
        else:
            for key in windowed(doc_band_keys, window).tolist():
                self.doc_buckets.put(key, pos)

        signatures = signed.sentences
        first = self.sentence_article.size  # sentence ids of this article: first, first + 1, ...
        self.sentence_article.extend(np.full(len(signatures), pos, dtype=np.int32))
        self.sentence_prints.extend(prints(signatures))
        owner = self.sentence_article.data  # only earlier sentences are looked up: no need to slice

        new_ids, old_ids = [], []  # colliding sentence pairs, to verify together
        filed = self._filed
        keys = sentence_keys(signatures, p).astype(np.int64)
        own, *beside = (windowed(keys, w).tolist() for w in looked)
        for sentence, (row, bucket_keys) in enumerate(zip(keys.tolist(), own, strict=True)):
            sid = first + sentence
            for band, (key, bucket_key) in enumerate(zip(row, bucket_keys, strict=True)):
                earlier = self.buckets.put(bucket_key, sid)
                if earlier is None:
                    continue  # a full bucket: not filed, so not saved
                for name, value in (("key", key), ("sid", sid), ("sentence", sentence), ("band", band),
                                    ("window", window)):  # fmt: skip
                    filed[name].append(value)
                for other in earlier:
                    if other < first:  # an earlier article's sentence (not a repeat within this one)
                        new_ids.append(sid)
                        old_ids.append(other)
                for keys_beside in beside:  # the windows before and after: only other articles are there
                    for other in self.buckets.open_items(keys_beside[sentence][band]):
                        new_ids.append(sid)
                        old_ids.append(other)
        met: list[int] = []
        if old_ids:
            old = np.array(old_ids)
            kept = verified(self.sentence_prints.data[np.array(new_ids)], self.sentence_prints.data[old], p)
            met = owner[old[kept]].tolist()
        return candidates(article_id, duplicate_of, [self.article_ids[other] for other in most_shared(met)])

    # -- signatures ---------------------------------------------------------------------------------

    def _find_duplicate(self, signature: np.ndarray, looked: list[list[int]]) -> str | None:
        """The most similar earlier article (not itself a copy) whose estimated Jaccard passes `duplicate`,
        among those under the bucket keys `looked` (its band keys in each window it meets)."""
        found: set[int] = set()
        for keys in looked:
            for key in keys:
                found.update(self.doc_buckets.get(key))
        similar = ((other, doc_similarity(self.doc_signatures.data[other], signature)) for other in sorted(found))
        best = pick_duplicate(similar, self.params)
        return None if best is None else self.article_ids[best]

    # -- persistence --------------------------------------------------------------------------------

    def meta(self) -> dict:
        """What the tracker reads of the index while it places articles; the rows are saved apart."""
        return {
            "format": _FORMAT,
            "params": asdict(self.params),
            "article_ids": self.article_ids,
            "duplicates": self.duplicates,
            "saves": self.saves,
            "last_window": self.last_window,
        }

    def new_rows(self) -> IndexRows:
        """The rows of the articles added since the last save (then counted as saved)."""
        filed = {name: np.frombuffer(values, dtype=np.int64 if values.typecode == "q" else np.int32)
                 for name, values in self._filed.items()}  # fmt: skip
        sids = filed["sid"]
        first = self.saved_articles
        windows = np.frombuffer(self.windows, dtype=np.int64).copy()
        self.saved_articles = len(self.article_ids)
        self._filed = {name: array(values.typecode) for name, values in self._filed.items()}
        self.windows = array("q")
        return IndexRows(
            key=filed["key"].copy(),
            owner=self.sentence_article.view()[sids],
            sentence=filed["sentence"].copy(),
            band=filed["band"].copy(),
            prints=self.sentence_prints.view()[sids],
            window=filed["window"].copy(),
            doc_owner=np.arange(first, self.doc_signatures.size, dtype=np.int32),
            doc=self.doc_signatures.view()[first:].copy(),
            doc_window=windows,
        )

    @classmethod
    def from_meta(cls, meta: dict) -> ReuseIndex:
        """The index without its rows: enough to place articles whose candidates are found elsewhere."""
        if meta.get("format") not in (3, _FORMAT):
            raise ValueError("saved reuse index is from an older storylens: re-run the analysis from scratch")
        params = meta["params"] if meta["format"] == _FORMAT else {**meta["params"], "window_days": None}
        index = cls(ReuseParams(**params))  # an index saved before time windows goes on without them
        index.article_ids = meta["article_ids"]
        index.position = {a: i for i, a in enumerate(index.article_ids)}
        index.duplicates = meta["duplicates"]
        index.saves = meta["saves"]
        index.last_window = meta.get("last_window", UNDATED)
        index.saved_articles = len(index.article_ids)
        return index

    @classmethod
    def from_rows(cls, meta: dict, rows: IndexRows) -> ReuseIndex:
        """The index `add` built, from its saved meta and rows. Sentence ids are numbered anew, in (article,
        sentence) order, over the sentences the buckets keep."""
        index = cls.from_meta(meta)
        p = index.params
        ids = rows.owner.astype(np.int64) << 32 | rows.sentence.astype(np.int64)
        sentence_ids, first, sids = np.unique(ids, return_index=True, return_inverse=True)
        index.sentence_article.extend((sentence_ids >> 32).astype(np.int32))
        index.sentence_prints.extend(rows.prints[first].reshape(-1, p.bands * p.rows))
        bucket_keys = windowed(rows.key, rows.window)
        filed = np.lexsort((rows.band, sids, bucket_keys))  # by bucket, then in the order they were filed
        index.buckets = _Buckets.from_sorted(p.bucket_cap, bucket_keys[filed], sids[filed])
        signatures = np.zeros((len(index.article_ids), p.doc_perm), dtype=np.uint64)
        signatures[rows.doc_owner] = rows.doc
        index.filled_windows = set(rows.doc_window.tolist())
        index.doc_signatures.extend(signatures)
        copies = {index.position[a] for a in index.duplicates}
        kept = np.array([o not in copies for o in rows.doc_owner.tolist()], dtype=bool)
        originals = rows.doc_owner[kept].astype(np.int64)
        heads = signatures[originals, : p.doc_bands * p.doc_rows]
        keys = band_keys(heads, p.doc_bands, p.doc_rows).astype(np.int64)  # (originals, doc_bands)
        keys = windowed(keys, rows.doc_window[kept][:, None])
        owners = np.repeat(originals, p.doc_bands)
        by_key = np.lexsort((owners, keys.ravel()))
        index.doc_buckets = _Buckets.from_sorted(index.doc_buckets.cap, keys.ravel()[by_key], owners[by_key])
        return index
