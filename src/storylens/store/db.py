"""A small repository layer over sqlite3.

Every write happens in one transaction per batch, so a run killed at any moment leaves the batches
it committed and nothing of the one it was writing. The schema evolves through numbered SQL files
in this folder (`NNN_name.sql`), applied in order and recorded in `PRAGMA user_version`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

from storylens.errors import StoreError
from storylens.model import Article, Reuse
from storylens.store.index import INDEX_TABLES, index_story, unindexed

_ARTICLE_COLUMNS = "id, text, title, url, source, published, byline, format, first_path"


class Placement(Protocol):
    article_id: str
    story: str
    duplicate_of: str | None
    reuse: list[Reuse]


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


# a closed-story row (aliased c) of the latest version of its story up to the save given last
_LATEST = "seq = (SELECT MAX(seq) FROM closed_stories WHERE name = c.name AND story = c.story AND seq <= ?)"


class Store:
    """An open store file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path, *, check: bool = True) -> None:
        """`check=False` skips the damage check (it reads the whole file): for the workers of a run whose
        main process opened, and so checked, the same store."""
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist; create it or choose another --db")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            # damage found now is a clear error; found by the first query that meets it, a traceback
            problem = self.conn.execute("PRAGMA quick_check(1)").fetchone()[0] if check else "ok"
            if problem != "ok":
                raise sqlite3.DatabaseError(problem)
            self._migrate()
        except sqlite3.DatabaseError as err:
            if _is_disk_full(err):
                raise StoreError(f"cannot write to {self.path}: the disk is full ({err})") from None
            raise StoreError(
                f"{self.path} is not a storylens database or is damaged ({err}); "
                "restore it from a backup or choose another --db"
            ) from None

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
        for row in self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq"):
            yield _article(row, paths.get(row[0], []))

    def articles_by_id(self, ids: Iterable[str]) -> list[Article]:
        """These articles, in the order given, each with every path it was read from."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        for part in _chunks(wanted):
            marks = ",".join("?" * len(part))
            paths: dict[str, list[str]] = {}
            sql = f"SELECT article_id, path FROM article_paths WHERE article_id IN ({marks}) ORDER BY path"
            for article_id, path in self.conn.execute(sql, part):
                paths.setdefault(article_id, []).append(path)
            rows = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", part)
            for row in rows:
                found[row[0]] = _article(row, paths.get(row[0], []))
        return [found[i] for i in wanted if i in found]

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

    # -- annotations ----------------------------------------------------------------------------
    def unparsed(self, ids: Iterable[str], model: str) -> list[str]:
        """Which of these articles have no stored parse by this pipeline."""
        wanted = list(dict.fromkeys(ids))
        have: set[str] = set()
        for part in _chunks(wanted):
            sql = f"SELECT article_id FROM annotations WHERE model = ? AND article_id IN ({','.join('?' * len(part))})"
            have.update(r[0] for r in self.conn.execute(sql, (model, *part)))
        return [i for i in wanted if i not in have]

    def put_annotations(self, model: str, rows: Iterable[tuple[str, bytes]]) -> None:
        """Store a batch of parses in one transaction."""
        with self._transaction() as cur:
            cur.executemany(
                "INSERT OR REPLACE INTO annotations (article_id, model, doc) VALUES (?, ?, ?)",
                [(aid, model, doc) for aid, doc in rows],
            )

    def annotations(self, model: str, ids: Iterable[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for part in _chunks(list(ids)):
            marks = ",".join("?" * len(part))
            sql = f"SELECT article_id, doc FROM annotations WHERE model = ? AND article_id IN ({marks})"
            out.update(self.conn.execute(sql, (model, *part)))
        return out

    # -- stories and reuse ----------------------------------------------------------------------
    def index_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM indexes WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def count_placed(self) -> int:
        """Articles in a story or set aside as not articles."""
        sql = "SELECT (SELECT COUNT(*) FROM placements) + (SELECT COUNT(*) FROM not_articles)"
        return self.conn.execute(sql).fetchone()[0]

    def unplaced(self) -> list[str]:
        """Articles not yet in a story nor found not to be articles, in arrival order."""
        sql = ("SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM placements) "
               "AND id NOT IN (SELECT article_id FROM not_articles) ORDER BY seq")  # fmt: skip
        return [r[0] for r in self.conn.execute(sql)]

    def index_parts(self, name: str, upto: int, windows: Iterable[int] | None = None) -> Iterator[bytes]:
        """The parts of index `name` saved up to save `upto` (of these time `windows` only, and those saved
        without one), one at a time (the index need not fit here)."""
        sql, args = "SELECT data FROM index_parts WHERE name = ? AND seq <= ?", [name, upto]
        if windows is not None:
            chosen = sorted(windows)
            sql += f" AND (window IS NULL OR window IN ({','.join('?' * len(chosen))}))"
            args += chosen
        for (data,) in self.conn.execute(sql + " ORDER BY seq, part, window", args):
            yield data

    def index_parts_bytes(self, name: str) -> int:
        return self.conn.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM index_parts WHERE name = ?",
                                 (name,)).fetchone()[0]  # fmt: skip

    def drop_index_parts(self, name: str, first: int) -> None:
        """Drop the parts of save `first` of index `name` and later ones: a killed run's (never counted)."""
        with self._transaction() as cur:
            _drop_index_parts(cur, name, first)

    def replace_index_parts(self, name: str, seq: int, parts: Iterable[tuple[int, int, bytes]]) -> None:
        """Every part of index `name` replaced by these, as save `seq` (the same rows, in fewer parts)."""
        with self._transaction() as cur:
            cur.execute("DELETE FROM index_parts WHERE name = ?", (name,))
            _add_index_parts(cur, name, seq, parts)

    def count_index_parts(self, name: str) -> tuple[int, int]:
        """How many parts index `name` has, and how many (partition, window) they are cut by."""
        sql = "SELECT COUNT(*), COUNT(DISTINCT part || ':' || IFNULL(window, '')) FROM index_parts WHERE name = ?"
        return self.conn.execute(sql, (name,)).fetchone()

    def add_index_parts(self, name: str, seq: int, parts: Iterable[tuple[int, int, bytes]]) -> None:
        """Add parts (partition, time window, data) to save `seq` of index `name`; they count once the index
        state says so."""
        with self._transaction() as cur:
            _add_index_parts(cur, name, seq, parts)

    # closed stories: versions written by save `seq`, counted up to the save the index state says (`stories.closed`)
    def put_closed_stories(self, name: str, seq: int, stories: Mapping[str, tuple[bytes, list[str]] | None]) -> None:
        """Write (data, index terms) of closed stories, or None for a story gone, as save `seq` of index `name`."""
        ids = [(name, story, seq) for story in stories]
        terms = [(name, term, story, seq) for story, row in stories.items() if row for term in row[1]]
        with self._transaction() as cur:
            cur.executemany("DELETE FROM closed_stories WHERE name = ? AND story = ? AND seq = ?", ids)
            cur.executemany("DELETE FROM closed_terms WHERE name = ? AND story = ? AND seq = ?", ids)
            rows = [(*key, row and row[0]) for key, row in zip(ids, stories.values(), strict=True)]
            cur.executemany("INSERT INTO closed_stories (name, story, seq, data) VALUES (?, ?, ?, ?)", rows)
            cur.executemany("INSERT INTO closed_terms (name, term, story, seq) VALUES (?, ?, ?, ?)", terms)

    def closed_stories(self, name: str, upto: int, story_ids: Iterable[str]) -> dict[str, bytes]:
        """The latest version up to save `upto` of these closed stories (those that exist)."""
        out: dict[str, bytes] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = f"SELECT story, data FROM closed_stories c WHERE name = ? AND story IN ({marks}) AND {_LATEST}"
            out.update((story, data) for story, data in self.conn.execute(sql, (name, *part, upto)) if data)
        return out

    def closed_postings(
        self, name: str, upto: int, terms: list[str], at_most: int, stale: int
    ) -> dict[str, set[str] | None]:
        """term -> the closed stories whose latest version up to save `upto` is indexed under it; None for a term
        under more than `at_most` of them. `stale`: how many stories may have a second version up to `upto`."""
        marks = ",".join("?" * len(terms))
        sql = f"SELECT term, COUNT(*) FROM closed_terms WHERE name = ? AND seq <= ? AND term IN ({marks}) GROUP BY term"
        counts = dict(self.conn.execute(sql, (name, upto, *terms)))
        out: dict[str, set[str] | None] = {t: None for t, n in counts.items() if n - stale > at_most}
        wanted = [t for t in counts if t not in out]
        if wanted:
            marks = ",".join("?" * len(wanted))
            sql = f"SELECT term, story FROM closed_terms c WHERE name = ? AND term IN ({marks}) AND {_LATEST}"
            found: dict[str, set[str]] = {}
            for term, story in self.conn.execute(sql, (name, *wanted, upto)):
                found.setdefault(term, set()).add(story)
            out.update((t, stories if len(stories) <= at_most else None) for t, stories in found.items())
        return out

    def drop_closed_stories(self, name: str, first: int) -> None:
        """Drop the closed-story versions of save `first` of index `name` and later ones: a killed run's."""
        with self._transaction() as cur:
            cur.execute("DELETE FROM closed_stories WHERE name = ? AND seq >= ?", (name, first))
            cur.execute("DELETE FROM closed_terms WHERE name = ? AND seq >= ?", (name, first))

    def closed_stories_bytes(self, name: str) -> int:
        return self.conn.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM closed_stories WHERE name = ?",
                                 (name,)).fetchone()[0]  # fmt: skip

    def put_placements(
        self,
        placements: Iterable[Placement],
        index_name: str,
        index_state: bytes,
        not_articles: Iterable[tuple[str, str]] = (),
        index_parts: tuple[int, Iterable[tuple[int, int, bytes]]] | None = None,
        closed_seq: int | None = None,
    ) -> None:
        """Store where a batch of articles went, their reuse, the texts of the batch that are not articles
        (id, reason), and the index state that matches, atomically; with `index_parts` (save number, [(partition,
        window, data)]), the parts of the index that this save adds; with `closed_seq`, the save whose closed-story
        versions now count alone (the older versions of the stories it wrote are dropped)."""
        with self._transaction() as cur:
            if closed_seq is not None:
                _keep_latest_closed(cur, index_name, closed_seq)
            if index_parts is not None:
                _drop_index_parts(cur, index_name, index_parts[0])
                _add_index_parts(cur, index_name, *index_parts)
            cur.executemany("INSERT OR REPLACE INTO not_articles (article_id, reason) VALUES (?, ?)", not_articles)
            for p in placements:
                cur.execute(
                    "INSERT OR REPLACE INTO placements (article_id, story_id, duplicate_of) VALUES (?, ?, ?)",
                    (p.article_id, p.story, p.duplicate_of),
                )
                cur.executemany(
                    "INSERT OR REPLACE INTO reuse VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (r.a, r.a_start, r.a_end, r.b, r.b_start, r.b_end, r.similarity, r.kind, r.first)
                        for r in p.reuse
                    ],
                )
            cur.execute("INSERT OR REPLACE INTO indexes (name, data) VALUES (?, ?)", (index_name, index_state))

    def forget_placements(self) -> None:
        """Drop every story placement, reuse row and saved index, so that they are computed again."""
        with self._transaction() as cur:
            for table in (
                "placements",
                "reuse",
                "indexes",
                "index_parts",
                "closed_stories",
                "closed_terms",
                "story_results",
                "story_names",
                "story_links",
                *INDEX_TABLES,
            ):
                cur.execute(f"DELETE FROM {table}")

    def placements(self, ids: Iterable[str] | None = None) -> dict[str, tuple[str, str | None]]:
        """article id -> (story id, duplicate_of), of these articles or of all."""
        sql = "SELECT article_id, story_id, duplicate_of FROM placements"
        if ids is None:
            return {a: (s, d) for a, s, d in self.conn.execute(sql)}
        out = {}
        for part in _chunks(list(dict.fromkeys(ids))):
            rows = self.conn.execute(f"{sql} WHERE article_id IN ({','.join('?' * len(part))})", part)
            out.update((a, (s, d)) for a, s, d in rows)
        return out

    def story_members(self, story_ids: Iterable[str]) -> dict[str, list[tuple[str, str | None]]]:
        """story id -> (article id, the article it is a near-exact copy of) in arrival order."""
        out: dict[str, list[tuple[str, str | None]]] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = (f"SELECT p.story_id, p.article_id, p.duplicate_of FROM placements p "
                   f"JOIN articles a ON a.id = p.article_id WHERE p.story_id IN ({marks}) ORDER BY a.seq")  # fmt: skip
            for story, article, duplicate_of in self.conn.execute(sql, part):
                out.setdefault(story, []).append((article, duplicate_of))
        return out

    def story_ids(self) -> list[str]:
        """Every story, in the order their first articles arrived (the order `analyze` reports them in)."""
        sql = ("SELECT p.story_id FROM placements p JOIN articles a ON a.id = p.article_id "
               "GROUP BY p.story_id ORDER BY MIN(a.seq)")  # fmt: skip
        return [r[0] for r in self.conn.execute(sql)]

    def reuse_within(self, story_ids: Iterable[str]) -> dict[str, list[Reuse]]:
        """story id -> every reuse record between two of its articles."""
        out: dict[str, list[Reuse]] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = (f"SELECT p.story_id, r.* FROM placements p JOIN reuse r ON r.a = p.article_id "
                   f"JOIN placements q ON q.article_id = r.b AND q.story_id = p.story_id "
                   f"WHERE p.story_id IN ({marks}) ORDER BY r.a, r.a_start, r.b, r.b_start")  # fmt: skip
            for story, *row in self.conn.execute(sql, part):
                out.setdefault(story, []).append(Reuse(*row))
        return out

    def not_articles(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(article id, reason) of the texts among `ids` found not to be news articles, in arrival order."""
        out: dict[str, tuple[int, str]] = {}
        for part in _chunks(list(dict.fromkeys(ids))):
            sql = (f"SELECT n.article_id, a.seq, n.reason FROM not_articles n JOIN articles a ON a.id = n.article_id "
                   f"WHERE n.article_id IN ({','.join('?' * len(part))})")  # fmt: skip
            out.update((aid, (seq, reason)) for aid, seq, reason in self.conn.execute(sql, part))
        return [(aid, reason) for aid, (_, reason) in sorted(out.items(), key=lambda item: item[1][0])]

    # -- each story's analysis ------------------------------------------------------------------
    def result_inputs(self, story_ids: Iterable[str]) -> dict[str, str]:
        """story id -> the hash of the inputs its stored analysis was computed from."""
        return self._result_column("inputs", story_ids)

    def put_results(self, rows: Iterable[tuple[str, str, int, str, bytes, int, set[str]]]) -> None:
        """Store a batch of (story id, inputs hash, version, settings, encoded result, failed steps, entity
        names) in one transaction."""
        with self._transaction() as cur:
            for story_id, inputs, version, settings, result, errors, names in rows:
                cur.execute(
                    "INSERT OR REPLACE INTO story_results "
                    "(story_id, inputs, version, settings, result, errors, linked) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    (story_id, inputs, version, settings, result, errors),
                )
                index_story(cur, story_id, result)
                cur.execute("DELETE FROM story_names WHERE story_id = ?", (story_id,))
                cur.executemany(
                    "INSERT INTO story_names (story_id, name) VALUES (?, ?)", [(story_id, n) for n in sorted(names)]
                )

    def index_missing(self) -> int:
        """Write the list and search rows of stories analysed by an older storylens; how many there were."""
        missing = unindexed(self.conn)
        for part in _chunks(missing, 200):
            with self._transaction() as cur:
                for story_id, data in self._result_column("result", part).items():
                    index_story(cur, story_id, data)
        return len(missing)

    def story_names(self, story_ids: Iterable[str]) -> dict[str, set[str]]:
        """story id -> the folded names of its entities."""
        out: dict[str, set[str]] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            for story, name in self.conn.execute(
                f"SELECT story_id, name FROM story_names WHERE story_id IN ({marks})", part
            ):
                out.setdefault(story, set()).add(name)
        return out

    def unlinked(self) -> list[str]:
        """Stories analysed since their links to other stories were last worked out."""
        return [
            r[0] for r in self.conn.execute("SELECT story_id FROM story_results WHERE linked = 0 ORDER BY story_id")
        ]

    def put_links(self, redone: list[str], rows: Iterable[tuple[str, str, bytes]]) -> None:
        """Replace every link of the stories `redone` (either side) by `rows` (story, other, encoded), and mark
        them linked, at once."""
        with self._transaction() as cur:
            for part in _chunks(redone):
                marks = ",".join("?" * len(part))
                cur.execute(f"DELETE FROM story_links WHERE story_id IN ({marks}) OR other IN ({marks})", part + part)
                cur.execute(f"UPDATE story_results SET linked = 1 WHERE story_id IN ({marks})", part)
            cur.executemany("INSERT OR REPLACE INTO story_links (story_id, other, groups) VALUES (?, ?, ?)", rows)

    def links(self, story_ids: Iterable[str]) -> dict[str, list[bytes]]:
        """story id -> its encoded links to other stories, in the order of the other story's id."""
        out: dict[str, list[bytes]] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = f"SELECT story_id, groups FROM story_links WHERE story_id IN ({marks}) ORDER BY story_id, other"
            for story, data in self.conn.execute(sql, part):
                out.setdefault(story, []).append(data)
        return out

    def stories_sharing_names(self, story_id: str, at_least: int) -> list[str]:
        """Other analysed stories that share at least this many entity names with this one. All of them: a
        pair is linked whichever of its stories is analysed last."""
        sql = ("SELECT o.story_id FROM story_names s JOIN story_names o ON o.name = s.name "
               "WHERE s.story_id = ? AND o.story_id != s.story_id GROUP BY o.story_id HAVING COUNT(*) >= ? "
               "ORDER BY o.story_id")  # fmt: skip
        return [r[0] for r in self.conn.execute(sql, (story_id, at_least))]

    def results(self, story_ids: Iterable[str]) -> dict[str, bytes]:
        """story id -> its stored, encoded analysis (stories never analysed are missing)."""
        return self._result_column("result", story_ids)

    def result_summaries(self, story_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """story id -> (when it was analysed, how many steps failed)."""
        out: dict[str, tuple[str, int]] = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = f"SELECT story_id, analyzed_at, errors FROM story_results WHERE story_id IN ({marks})"
            out.update((story, (when, errors)) for story, when, errors in self.conn.execute(sql, part))
        return out

    def _result_column(self, column: str, story_ids: Iterable[str]) -> dict:
        out: dict = {}
        for part in _chunks(list(story_ids)):
            marks = ",".join("?" * len(part))
            sql = f"SELECT story_id, {column} FROM story_results WHERE story_id IN ({marks})"
            out.update(self.conn.execute(sql, part))
        return out

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        """One transaction; a write the file cannot take (disk full, damage) is a `StoreError`."""
        try:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself after some errors (disk full): a second rollback would fail
                if self.conn.in_transaction:
                    cur.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as err:
            if _is_disk_full(err):
                raise StoreError(
                    f"cannot write to {self.path}: the disk is full ({err}); what was stored before is kept"
                ) from None
            raise StoreError(f"cannot write to {self.path}: the store is damaged or unusable ({err})") from None

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


def _article(row: tuple, paths: list[str]) -> Article:
    aid, text, title, url, source, published, byline, fmt, first_path = row
    others = [p for p in paths if p != first_path]
    return Article(
        id=aid, text=text, path=first_path, url=url, title=title, source=source,
        published=published, byline=byline, fmt=fmt, extra_paths=others,
    )  # fmt: skip


def _is_disk_full(err: sqlite3.Error) -> bool:
    return getattr(err, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(err)


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _drop_index_parts(cur: sqlite3.Cursor, name: str, first: int) -> None:
    cur.execute("DELETE FROM index_parts WHERE name = ? AND seq >= ?", (name, first))


def _keep_latest_closed(cur: sqlite3.Cursor, name: str, seq: int) -> None:
    """Drop the versions before save `seq` of the closed stories it wrote, and the stories it found gone."""
    written = "SELECT story FROM closed_stories WHERE name = ? AND seq = ?"
    for table in ("closed_stories", "closed_terms"):
        cur.execute(f"DELETE FROM {table} WHERE name = ? AND seq < ? AND story IN ({written})", (name, seq, name, seq))
    cur.execute("DELETE FROM closed_stories WHERE name = ? AND seq = ? AND data IS NULL", (name, seq))


def _add_index_parts(cur: sqlite3.Cursor, name: str, seq: int, parts: Iterable[tuple[int, int, bytes]]) -> None:
    cur.executemany("INSERT INTO index_parts (name, seq, part, window, data) VALUES (?, ?, ?, ?, ?)",
                    [(name, seq, part, window, data) for part, window, data in parts])  # fmt: skip
