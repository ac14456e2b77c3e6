"""The rows the web app lists and searches (migration 005) stay in step with the stored analyses."""

from __future__ import annotations

from storylens.store import Store, browse
from web_fixtures import copy_store


def _counts(store: Store) -> tuple[int, ...]:
    tables = ("story_list", "story_sources", "quotes", "entities")
    return tuple(store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)


def test_storing_an_analysis_again_replaces_its_rows_and_keeps_fts_sound(web_store, tmp_path):
    with Store(copy_store(web_store, tmp_path / "s.db")) as store:
        before = _counts(store)
        story_id = store.story_ids()[0]
        data = store.results([story_id])[story_id]
        store.put_results([(story_id, "x", 1, "s", data, 0, set())])
        assert _counts(store) == before
        for fts in ("quotes_fts", "entities_fts", "articles_fts"):
            store.conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")  # raises when out of step
        assert browse.search(store.conn, "flood wall")


def test_the_story_list_reads_title_sources_and_dates_from_the_articles(web_store, tmp_path):
    with Store(copy_store(web_store, tmp_path / "s.db")) as store:
        rows, total = browse.stories(store.conn, limit=10)
        flood = next(r for r in rows if "Kessel Dam" in (r.title or ""))
        assert total == 5 and flood.articles == 6 and flood.conflicts >= 1
        assert flood.sources == sorted(flood.sources) and "Valley Courier" in flood.sources
        assert flood.first_published <= flood.last_published
        assert browse.stories(store.conn, source="Valley Courier")[1] == 1
        assert browse.stories(store.conn, until="2026-03-01")[1] == 1  # only the Dunvarrow story ends before


def test_forgetting_placements_forgets_the_listed_rows_too(web_store, tmp_path):
    with Store(copy_store(web_store, tmp_path / "s.db")) as store:
        store.forget_placements()
        assert _counts(store) == (0, 0, 0, 0)
        assert {h.kind for h in browse.search(store.conn, "Ilves")} == {"article"}  # articles stay stored
