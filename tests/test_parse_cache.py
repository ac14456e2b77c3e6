"""Each article is parsed once per pipeline: a second run loads the stored parse."""

from __future__ import annotations

from samples import BRIDGE, HARBOUR, ORCHARD
from storylens import nlp
from storylens.engine.local import ingest
from storylens.engine.parse import docs_for


def test_second_run_parses_nothing_and_gets_the_same_docs(store, tmp_path):
    for name, text in (("a.txt", HARBOUR), ("b.txt", BRIDGE), ("c.txt", ORCHARD)):
        (tmp_path / name).write_text(text)
    ingest([str(tmp_path)], store)
    articles = list(store.articles())
    pipeline = nlp.load()
    first, new = docs_for(store, pipeline, articles)
    assert sorted(aid for aid, _ in new) == sorted(a.id for a in articles)  # all parsed the first time
    store.put_annotations(nlp.pipeline_id(pipeline), new)
    second, again = docs_for(store, pipeline, articles)
    assert again == []  # nothing was parsed
    for art in articles:
        assert [t.text for t in second[art.id]] == [t.text for t in first[art.id]]
        assert [(e.text, e.label_) for e in second[art.id].ents] == [(e.text, e.label_) for e in first[art.id].ents]
        assert [t.dep_ for t in second[art.id]] == [t.dep_ for t in first[art.id]]
    assert store.unparsed([a.id for a in articles], nlp.pipeline_id(pipeline)) == []


def test_parses_are_stored_compressed_and_plain_ones_still_load():
    model = nlp.load()
    doc = model(HARBOUR)
    plain = doc.to_bytes(exclude=["tensor", "user_data"])
    stored = nlp.doc_to_bytes(doc)
    assert len(stored) * 3 < len(plain)
    for data in (stored, plain):  # a store written before compression keeps working
        loaded = nlp.doc_from_bytes(model, data)
        assert [(t.text, t.lemma_, t.dep_) for t in loaded] == [(t.text, t.lemma_, t.dep_) for t in doc]
