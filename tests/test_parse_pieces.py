"""Long texts are parsed in pieces and joined back into one Doc of the whole text."""

from __future__ import annotations

import pytest

from storylens import nlp
from storylens.engine.parse import headline_docs
from storylens.extract.quotes import extract_quotes
from storylens.model import Article

PARAGRAPH = (
    "Dock workers at Port Calder walked off the job on Monday. "
    '"We will not load a single ship until the contract is signed," union leader Mara Elling said.'
)


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(nlp, "PARSE_PIECE_CHARS", 400)


@pytest.mark.parametrize(
    "text",
    [
        "\n\n".join([PARAGRAPH] * 12),  # paragraphs
        " ".join([PARAGRAPH] * 12),  # one paragraph: cut after a sentence
        " ".join(["harbour"] * 300),  # no sentence end: cut at a space
        "x" * 1500,  # no space at all: cut anywhere
    ],
)
def test_pieces_join_back_into_the_text_and_stay_under_the_limit(small_pieces, text):
    pieces = nlp.parse_pieces(text)
    assert "".join(pieces) == text and len(pieces) > 1
    assert all(0 < len(p) <= nlp.PARSE_PIECE_CHARS for p in pieces)


def test_a_text_parsed_in_pieces_is_one_doc_with_the_whole_parse(small_pieces):
    text = "\n\n".join([PARAGRAPH] * 12)
    short = "A short note on the port."
    docs = list(nlp.parse(nlp.load(), [text, short, text], batch_size=4))
    assert [d.text for d in docs] == [text, short, text]
    last = docs[0][-30:]
    assert any(t.dep_ == "nsubj" for t in last) and any(t.ent_type_ for t in last)  # parsed to the end
    whole = nlp.load()(text)  # parsed at once, as below the limit
    assert [(q.start, q.end, q.speaker, q.kind) for q in extract_quotes(docs[0])] == [
        (q.start, q.end, q.speaker, q.kind) for q in extract_quotes(whole)
    ]
    assert len([q for q in extract_quotes(docs[2]) if q.kind == "direct"]) == 12


def test_a_doc_joined_from_pieces_is_stored_and_read_back_whole(small_pieces):
    text = "\n\n".join([PARAGRAPH] * 6)
    pipeline = nlp.load()
    [doc] = nlp.parse(pipeline, [text], batch_size=4)
    again = nlp.doc_from_bytes(pipeline, nlp.doc_to_bytes(doc))
    assert again.text == text
    assert [(t.dep_, t.head.i, t.ent_type_) for t in again] == [(t.dep_, t.head.i, t.ent_type_) for t in doc]
    assert [s.start for s in again.sents] == [s.start for s in doc.sents]


def test_a_headline_longer_than_a_piece_is_parsed_in_pieces(small_pieces):
    title = " ".join(["Harbour strike ends"] * 60)
    docs = headline_docs(nlp.load(), [Article(id="a", title=title, text="Dock workers returned on Monday.")])
    assert docs["a"].text == title


def test_a_long_run_without_a_space_is_cut_into_bounded_tokens():
    """The tokenizer strips a run's marks one at a time (quadratic): a run longer than LONGEST_RUN is cut
    without it, and the words around it are tokenized as usual (`don't` still reads `do not`)."""
    run = '":' * nlp.LONGEST_RUN
    text = f'Rep. Ann Roe (D-Md.):"We don\'t go."\n\n{run} and then\n\nThe mayor said, "We stay."'
    doc = nlp.load()(text)
    assert doc.text == text
    assert max(len(t) for t in doc) == nlp.LONGEST_RUN
    assert [t.text for t in doc][:10] == ["Rep.", "Ann", "Roe", "(", "D", "-", "Md.", "):", '"', "We"]
    assert [t.norm_ for t in doc if t.text == "n't"] == ["not"]
    assert [t.text for t in doc if t.idx >= text.index(run) + len(run)][:2] == ["and", "then"]
    assert [q.speaker for q in extract_quotes(doc) if q.kind == "direct"] == ["Rep. Ann Roe", "The mayor"]


def test_a_quotation_closed_by_a_long_run_keeps_its_tag():
    text = '"The harbour stays shut until spring' + "!" * (2 * nlp.LONGEST_RUN) + '" said Ola Berg.'
    doc = nlp.load()(text)
    assert doc.text == text
    assert [q.speaker for q in extract_quotes(doc) if q.kind == "direct"] == ["Ola Berg"]


def test_a_pipeline_adapted_twice_keeps_its_splits():
    pipeline = nlp.load()
    nlp.adapt_tokenizer(pipeline)
    assert not isinstance(pipeline.tokenizer.inner, nlp.BoundedTokenizer)
    assert [t.text for t in pipeline('Ann Roe:"We go."')][:5] == ["Ann", "Roe", ":", '"', "We"]
