"""Parse articles with spaCy once and keep the parse in the store; later runs load it instead."""

from __future__ import annotations

import os
from collections.abc import Callable

from spacy.tokens import Doc

from storylens import nlp
from storylens.model import Article
from storylens.store import Store

PARSE_BATCH = 64
# below this many texts, starting worker processes costs more than it saves
PROCESS_THRESHOLD = 200


def parsed_docs(
    store: Store,
    articles: list[Article],
    *,
    model: str | None = None,
    processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Doc]:
    """A Doc for every article: parsed now if the store has none for this pipeline, else loaded."""
    pipeline = nlp.load(model)
    key = nlp.pipeline_id(pipeline)
    todo = set(store.unparsed([a.id for a in articles], key))
    docs: dict[str, Doc] = {}
    for aid, data in store.annotations(key, [a.id for a in articles if a.id not in todo]).items():
        docs[aid] = nlp.doc_from_bytes(pipeline, data)
    pending = [a for a in articles if a.id in todo]
    workers = processes or os.cpu_count() or 1
    workers = workers if len(pending) >= PROCESS_THRESHOLD else 1
    batch: list[tuple[str, Doc]] = []
    done = len(docs)
    parsed = nlp.annotate((a.text for a in pending), model=model, processes=workers, batch_size=PARSE_BATCH)
    for art, doc in zip(pending, parsed, strict=True):
        docs[art.id] = doc
        batch.append((art.id, doc))
        if len(batch) >= PARSE_BATCH * 4:
            _save(store, key, batch)
        done += 1
        if on_progress:
            on_progress(done, len(articles))
    _save(store, key, batch)
    return docs


def _save(store: Store, key: str, batch: list[tuple[str, Doc]]) -> None:
    if batch:
        store.put_annotations(key, [(aid, nlp.doc_to_bytes(doc)) for aid, doc in batch])
        batch.clear()
