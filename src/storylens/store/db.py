"""A small repository layer over sqlite3.

Every write happens in one transaction per batch, so a run killed at any moment leaves the batches
it committed and nothing of the one it was writing. The schema evolves through numbered SQL files
in this folder (`NNN_name.sql`), applied in order and recorded in `PRAGMA user_version`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storylens.model import Article

_ARTICLE_COLUMNS = "id, text, title, url, source, published, byline, format, first_path"


class StoreError(Exception):
    """The store file cannot be used; the message says why and what to do."""


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every `NNN_*.sql` file shipped with the package, in order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """An open store file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist; create it or choose another --db")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path} is not a storylens database or is damaged ({err})") from None

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        known = migrations()
        current = self.schema_version
        newest = known[-1][0] if known else 0
        if current > newest:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this storylens ({newest}); upgrade storylens"
            )
        for version, _name, sql in known:
            if version <= current:
                continue
            try:  # one transaction per migration, so a failed one leaves the previous version
                self.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;")
            except sqlite3.OperationalError:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if self.schema_version < version:  # not a concurrent run that migrated first
                    raise

    # -- writing --------------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> BatchResult:
        """Store a batch in one transaction. A text already stored only gains the new path."""
        result = BatchResult()
        with self._transaction() as cur:
            seq = cur.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
            for art in articles:
                paths = [p for p in [art.path, *art.extra_paths] if p]
                cur.execute(
                    f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}, seq) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (art.id, art.text, art.title, art.url, art.source, art.published, art.byline,
                     art.fmt, art.path, seq + 1),
                )  # fmt: skip
                if cur.rowcount:
                    seq += 1
                    result.stored += 1
                else:
                    result.duplicates += 1
                cur.executemany(
                    "INSERT OR IGNORE INTO article_paths (article_id, path) VALUES (?, ?)",
                    [(art.id, p) for p in paths],
                )
        return result

    # -- reading --------------------------------------------------------------------------------
    def count_articles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def articles(self) -> Iterator[Article]:
        """All articles in arrival order, each with every path it was read from."""
        paths: dict[str, list[str]] = {}
        for article_id, path in self.conn.execute("SELECT article_id, path FROM article_paths ORDER BY path"):
            paths.setdefault(article_id, []).append(path)
        rows = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq")
        for aid, text, title, url, source, published, byline, fmt, first_path in rows:
            others = [p for p in paths.get(aid, []) if p != first_path]
            yield Article(
                id=aid, text=text, path=first_path, url=url, title=title, source=source,
                published=published, byline=byline, fmt=fmt, extra_paths=others,
            )  # fmt: skip

    def articles_by_id(self, ids: Iterable[str]) -> list[Article]:
        wanted = set(ids)
        return [a for a in self.articles() if a.id in wanted]

    def ids_for_paths(self, paths: Iterable[str]) -> list[str]:
        """Ids of the articles read from these inputs (a file, or its records `file#N`), in arrival order."""
        found: dict[str, int] = {}
        for path in paths:
            rows = self.conn.execute(
                "SELECT p.article_id, a.seq FROM article_paths p JOIN articles a ON a.id = p.article_id "
                "WHERE p.path = ? OR p.path GLOB ?",
                (path, _glob_escape(path.rstrip("/")) + "[#/]*"),
            )
            found.update(rows)
        return sorted(found, key=found.__getitem__)

    # -- annotations and facts ----------------------------------------------------------------
    def missing(self, table: str, ids: Iterable[str], model: str) -> list[str]:
        """Which of these articles have no row in `annotations` or `facts` for this model."""
        assert table in ("annotations", "facts")
        have = {r[0] for r in self.conn.execute(f"SELECT article_id FROM {table} WHERE model = ?", (model,))}
        return [i for i in ids if i not in have]

    def put(self, table: str, model: str, rows: Iterable[tuple[str, bytes | str]]) -> None:
        """Store a batch of annotations or facts in one transaction."""
        assert table in ("annotations", "facts")
        column = "doc" if table == "annotations" else "data"
        with self._transaction() as cur:
            cur.executemany(
                f"INSERT OR REPLACE INTO {table} (article_id, model, {column}) VALUES (?, ?, ?)",
                [(aid, model, value) for aid, value in rows],
            )

    def get(self, table: str, model: str, ids: Iterable[str]) -> dict[str, bytes | str]:
        assert table in ("annotations", "facts")
        column = "doc" if table == "annotations" else "data"
        wanted = list(ids)
        out: dict[str, bytes | str] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT article_id, {column} FROM {table} WHERE model = ? AND article_id IN ({marks})", (model, *part)
            )
            out.update(rows)
        return out

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str | None]]:
        """Article ids and titles matching a full-text query, best first."""
        rows = self.conn.execute(
            "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return list(rows)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
