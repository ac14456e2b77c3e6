"""Quote variants: one statement as several articles carry it, with what differs."""

from __future__ import annotations

from storylens.compare.quote_variants import MAX_JOINED_CHARS, find_quote_variants
from storylens.model import Article, Quote


def _quote(article: Article, words: str, speaker: str | None, kind: str = "direct") -> Quote:
    start = article.text.index(words)
    return Quote(text=words, start=start, end=start + len(words), kind=kind, speaker=speaker)


A = Article(id="a", text='"The bridge is safe; we checked every bolt," engineer Mara Lind said on Monday.')
B = Article(id="b", text='"The bridge is safe, we checked every bolt," Lind said.')
C = Article(id="c", text='Lind told reporters: "The bridge is sound, we checked each bolt."')
D = Article(id="d", text="The bridge is safe and every bolt was checked. Traffic resumed at noon.")


def test_punctuation_only_difference_is_flagged_without_word_changes():
    quotes = {
        "a": [_quote(A, "The bridge is safe; we checked every bolt,", "Mara Lind")],
        "b": [_quote(B, "The bridge is safe, we checked every bolt,", "Lind")],
    }
    [group] = find_quote_variants([A, B], quotes)
    assert [v.article for v in group.variants] == ["a", "b"]
    assert group.variants[1].punctuation is True
    assert group.variants[1].added == [] and group.variants[1].dropped == []
    assert group.reworded is True and group.unattributed is False


def test_changed_words_are_shown():
    quotes = {
        "a": [_quote(A, "The bridge is safe; we checked every bolt,", "Mara Lind")],
        "c": [_quote(C, "The bridge is sound, we checked each bolt.", "Lind")],
    }
    [group] = find_quote_variants([A, C], quotes)
    variant = next(v for v in group.variants if v.article == "c")
    assert sorted(variant.added) == ["each", "sound"]
    assert sorted(variant.dropped) == ["every", "safe"]


def test_a_plain_sentence_stating_the_quote_is_an_unattributed_restatement():
    quotes = {"a": [_quote(A, "The bridge is safe; we checked every bolt,", "Mara Lind")], "d": []}
    [group] = find_quote_variants([A, D], quotes)
    restated = group.variants[1]
    assert (restated.article, restated.kind, restated.speaker) == ("d", "unattributed", None)
    assert restated.text == "The bridge is safe and every bolt was checked."
    assert group.unattributed is True


def test_identical_copies_and_unrelated_quotes_give_no_group():
    same = Article(id="same", text='"The bridge is safe; we checked every bolt," Lind said.')
    other = Article(id="other", text='"Ticket prices will rise in spring," the mayor said.')
    quotes = {
        "a": [_quote(A, "The bridge is safe; we checked every bolt,", "Mara Lind")],
        "same": [_quote(same, "The bridge is safe; we checked every bolt,", "Lind")],
        "other": [_quote(other, "Ticket prices will rise in spring,", "the mayor")],
    }
    assert find_quote_variants([A, same, other], quotes) == []


def test_split_quote_halves_are_joined_before_comparing():
    split = Article(id="split", text='"The bridge is safe," Lind said, "we checked every bolt."')
    quotes = {
        "c": [_quote(C, "The bridge is sound, we checked each bolt.", "Lind")],
        "split": [_quote(split, "The bridge is safe,", "Lind"), _quote(split, "we checked every bolt.", "Lind")],
    }
    [group] = find_quote_variants([C, split], quotes)
    joined = next(v for v in group.variants if v.article == "split")
    assert (joined.start, joined.end) == (1, len(split.text) - 1)


def test_a_page_of_chained_quotes_is_not_joined_into_one_statement():
    # `"...," she said and "...," she said and ...`: every gap is short, but a page is not one quote
    pieces = [f"piece {i} of the harbour plan went ahead despite protests," for i in range(400)]
    text = " ".join(f'"{piece}" Ellis said and' for piece in pieces)
    page = Article(id="page", text=text)
    copy = Article(id="copy", text=f'Ellis said: "{pieces[200]}"')
    quotes = {
        "page": [_quote(page, piece, "Ellis") for piece in pieces],
        "copy": [_quote(copy, pieces[200], "Ellis")],
    }
    groups = find_quote_variants([page, copy], quotes)
    units = [v for g in groups for v in g.variants if v.article == "page"]
    assert units and all(v.end - v.start <= MAX_JOINED_CHARS for v in units)


def test_quotes_grouped_a_block_at_a_time_are_the_components_of_the_pairwise_relation(monkeypatch):
    # the grouping counts shared stems for blocks of rows at once; it must give the connected components of
    # `_same_statement` over every pair of quotes in different articles, however the blocks are cut
    import random

    from storylens.compare import quote_variants as qv

    rng = random.Random(5)
    words = ["bridge", "safe", "bolt", "checked", "river", "ferry", "closed", "repair", "weeks", "council"]
    units = [
        qv._Unit(
            f"article{rng.randrange(4)}", n, n + 1, "", rng.choice(["direct", "indirect"]),
            rng.choice(["Mara Lind", "Lind", "Ivo Brandt", None]), rng.sample(words, rng.randint(1, 5)),
        )
        for n in range(120)
    ]  # fmt: skip
    parent = list(range(len(units)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, a in enumerate(units):
        for j, b in enumerate(units[i + 1 :], i + 1):
            if a.article != b.article and qv._same_statement(a, b):
                parent[root(i)] = root(j)
    components: dict[int, set[int]] = {}
    for k in range(len(units)):
        components.setdefault(root(k), set()).add(units[k].start)
    expected = sorted(sorted(c) for c in components.values())
    monkeypatch.setattr(qv, "_one_per_article", lambda group: group)  # compare whole components
    for rows in (7, 512):
        monkeypatch.setattr(qv, "ROWS_AT_ONCE", rows)
        assert sorted(sorted(u.start for u in group) for group in qv._group_quotes(units)) == expected
    assert 1 < len(expected) < len(units)  # some quotes joined, not all into one
