"""Which earlier articles might share passages with a new one, and which is a near-exact copy.

Candidate retrieval the way passim does it, with MinHash LSH: every sentence of at least a few
words gets a MinHash signature over its word 3-grams, cut into bands; two articles whose sentences
collide in a band are a candidate pair, to be aligned by `storylens.stories.align.align`. A band
bucket that fills up (boilerplate: "All rights reserved.") stops taking new members, so common
sentences do not make every pair a candidate. Whole articles also get a MinHash over word 5-grams
in a datasketch `MinHashLSH`, which finds near-exact duplicates (`duplicate_of`).

The state (signatures, band buckets) is kept in `ReuseIndex`, which round-trips through
`to_bytes()` / `from_bytes()`, so that tomorrow's articles are compared with today's without
re-reading them. The texts themselves are not kept: the caller hands them to `align`.
"""

from __future__ import annotations

import io
import json
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from storylens.model import Article
from storylens.stories.features import sentences, words

_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass
class ReuseParams:
    shingle: int = 3  # word n-gram size for sentence signatures
    bands: int = 8
    rows: int = 3  # P(candidate) = 1 - (1 - J**rows) ** bands: 0.66 at J=0.5, 0.97 at J=0.7, per sentence
    min_words: int = 5
    bucket_cap: int = 50  # a bucket with this many sentences is boilerplate: it stops growing and matching
    doc_shingle: int = 5
    doc_perm: int = 64
    duplicate: float = 0.9  # estimated Jaccard of word 5-grams above which an article is a near-exact copy
    seed: int = 1


@dataclass
class Candidates:
    """What the index says about a newly added article."""

    article_id: str
    duplicate_of: str | None = None
    similar: list[str] = field(default_factory=list)  # earlier articles sharing at least one sentence band


@lru_cache(maxsize=500_000)
def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


def _permutations(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    a = rng.randint(1, int(_PRIME), size=n, dtype=np.uint64)
    b = rng.randint(0, int(_PRIME), size=n, dtype=np.uint64)
    return a, b


def _shingle_hashes(tokens: list[str], n: int) -> np.ndarray:
    """32-bit hashes of the word n-grams of `tokens`, combined from per-token hashes (vectorized)."""
    h = np.fromiter((_token_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
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


class ReuseIndex:
    """Incremental candidate index for text reuse and near-duplicate detection."""

    def __init__(self, params: ReuseParams | None = None) -> None:
        self.params = params or ReuseParams()
        p = self.params
        self._sentence_perm = _permutations(p.bands * p.rows, p.seed)
        self._doc_perm = _permutations(p.doc_perm, p.seed + 1)
        self.article_ids: list[str] = []
        self.position: dict[str, int] = {}
        self.buckets: dict[int, int | list[int]] = {}  # band key -> article position(s) (articles are what we need)
        self.doc_signatures: list[np.ndarray] = []
        self.duplicates: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=p.duplicate * 0.9, num_perm=p.doc_perm)

    def __len__(self) -> int:
        return len(self.article_ids)

    def add(self, article: Article) -> Candidates:
        """Register `article` and return its candidates among the articles added before it."""
        if article.id in self.position:
            return Candidates(article.id, self.duplicates.get(article.id))
        p = self.params
        pos = len(self.article_ids)
        self.article_ids.append(article.id)
        self.position[article.id] = pos

        doc_signature = self._doc_signature(article.text)
        self.doc_signatures.append(doc_signature)
        duplicate_of = self._find_duplicate(doc_signature)
        if duplicate_of:
            self.duplicates[article.id] = duplicate_of
        else:
            self._lsh.insert(article.id, MinHash(num_perm=p.doc_perm, hashvalues=doc_signature, scheme="legacy"))

        hits: Counter = Counter()
        for key in self._band_keys(article.text):
            members = self.buckets.get(key)
            if members is None:
                self.buckets[key] = pos  # most buckets hold one sentence: a plain int, no list
                continue
            if isinstance(members, int):
                if members != pos:
                    hits[members] += 1
                    self.buckets[key] = [members, pos]
                continue
            if len(members) >= p.bucket_cap:
                continue
            for other in members:
                if other != pos:
                    hits[other] += 1
            if members[-1] != pos:
                members.append(pos)
        similar = [self.article_ids[other] for other, _ in hits.most_common()]
        if duplicate_of:
            similar = [s for s in similar if s != duplicate_of]
        return Candidates(article.id, duplicate_of, similar)

    # -- signatures ---------------------------------------------------------------------------------

    def _doc_signature(self, text: str) -> np.ndarray:
        hashes = _shingle_hashes(words(text), self.params.doc_shingle)
        if len(hashes) == 0:
            hashes = np.array([_token_hash(text)], dtype=np.uint64)
        return _minhash(hashes, self._doc_perm, np.array([0]))[0]

    def _find_duplicate(self, signature: np.ndarray) -> str | None:
        if not self.article_ids[:-1]:
            return None
        best, best_sim = None, self.params.duplicate
        for other in self._lsh.query(MinHash(num_perm=self.params.doc_perm, hashvalues=signature, scheme="legacy")):
            sim = float(np.mean(self.doc_signatures[self.position[other]] == signature))
            if sim >= best_sim:
                best, best_sim = other, sim
        return best

    def _band_keys(self, text: str) -> list[int]:
        p = self.params
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
            return []
        signatures = _minhash(np.concatenate(chunks), self._sentence_perm, np.array(starts))
        keys = set()
        for band in range(p.bands):
            block = signatures[:, band * p.rows : (band + 1) * p.rows]
            for row in block:
                keys.add(hash((band, *row.tolist())) & 0x7FFFFFFFFFFFFFFF)
        return list(keys)

    # -- persistence --------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        keys = np.fromiter(self.buckets.keys(), dtype=np.int64, count=len(self.buckets))
        lists = [[v] if isinstance(v, int) else v for v in self.buckets.values()]
        lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
        members = np.fromiter((m for v in lists for m in v), dtype=np.int64, count=int(lengths.sum()))
        meta = {"params": asdict(self.params), "article_ids": self.article_ids, "duplicates": self.duplicates}
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            keys=keys,
            lengths=lengths,
            members=members,
            doc_signatures=np.array(self.doc_signatures, dtype=np.uint64).reshape(-1, self.params.doc_perm),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ReuseIndex:
        arrays = np.load(io.BytesIO(data))
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        index = cls(ReuseParams(**meta["params"]))
        index.article_ids = meta["article_ids"]
        index.position = {a: i for i, a in enumerate(index.article_ids)}
        index.duplicates = meta["duplicates"]
        offsets = np.concatenate([[0], np.cumsum(arrays["lengths"])])
        members = arrays["members"].tolist()
        index.buckets = {int(k): members[offsets[i] : offsets[i + 1]] for i, k in enumerate(arrays["keys"].tolist())}
        index.doc_signatures = list(arrays["doc_signatures"])
        for article_id, signature in zip(index.article_ids, index.doc_signatures, strict=True):
            if article_id not in index.duplicates:
                index._lsh.insert(
                    article_id, MinHash(num_perm=index.params.doc_perm, hashvalues=signature, scheme="legacy")
                )
        return index
