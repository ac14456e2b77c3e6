"""Agreement and conflict between numbers about the same thing, on hand-made claims."""

from __future__ import annotations

from dataclasses import replace

from storylens.compare.claims import StatedClaim, compare_claims
from storylens.model import Claim, Reuse


def stated(cid: str, article: str, value, quantity: str, sentence: str, *, qualifier=None, unit=None, by=None):
    start = int(cid[1:]) * 100  # claims of one article stand at different places
    claim = Claim(text=str(value), start=start, end=start + 1, value=value, quantity=quantity, unit=unit,
                  qualifier=qualifier, attributed_to=by)  # fmt: skip
    return StatedClaim(cid, article, claim, sentence, source=f"Outlet {article}")


def verdicts(groups) -> dict[frozenset, str]:
    return {frozenset(g.claims): g.verdict for g in groups}


def test_qualified_figures_agree_and_plain_ones_conflict():
    claims = [
        stated("a1", "A", 200, "people killed", "The assault claimed 200 lives, separatists said."),
        stated("b1", "B", 200, "killed", "At least 200 were killed in the assault.", qualifier="at least"),
        stated(
            "a2",
            "A",
            "2 hours",
            "duration of talks",
            "The talks in Corvel lasted about two hours.",
            qualifier="about",
            unit="hours",
            by="state media",
        ),  # fmt: skip
        stated(
            "a3",
            "A",
            "several hours",
            "duration of talks",
            "The talks in Corvel ended after several hours.",
            unit="hours",
            by="the presidency",
        ),  # fmt: skip
    ]
    groups = compare_claims(claims)
    found = verdicts(groups)
    assert found[frozenset({"a1", "b1"})] == "agree"
    assert found[frozenset({"a2", "a3"})] == "conflict"  # one article setting two sources' figures side by side
    [sources] = [g for g in groups if g.evidence == "two sources"]
    # two sources may measure differently: the report says they differ, not that one of them is false
    assert " differs from " in sources.explanation and "cannot both be true" not in sources.explanation


def test_one_voice_giving_two_figures_speaks_of_two_things():
    claims = [
        stated("a1", "A", 6.9, "assists", "Marlow averaged 6.9 assists last season."),
        stated("a2", "A", 4.2, "assists", "Marlow averaged 4.2 assists in his first year."),
    ]
    assert compare_claims(claims) == []


def test_figures_that_are_not_a_toll_conflict_only_in_one_sentence_retold():
    """Yards, prices, seasons belong to a subject: another game's or player's figure is no contradiction."""
    claims = [
        stated("a1", "A", 329, "yards", "Garrard threw for 329 yards."),
        stated("b1", "B", 162, "yards", "Quinn was 10 of 22 for 162 yards."),
        stated("c1", "C", 364, "yards", "David Garrard threw for 364 yards."),
    ]
    assert compare_claims(claims) == []
    retold = Reuse(a="A", a_start=90, a_end=140, b="C", b_start=90, b_end=150, similarity=0.8, kind="near")
    (group,) = compare_claims(claims, reuse=[retold])
    assert set(group.claims) == {"a1", "c1"} and group.evidence == "retold"
    assert "the same sentence in both" in group.explanation
    as_paraphrase = replace(retold, kind="paraphrase")  # too loose to say the figures count one thing
    assert compare_claims(claims, reuse=[as_paraphrase]) == []


def test_a_retold_figure_conflicts_however_far_apart_unless_the_text_is_garbled():
    """Values far apart usually count different things; in one sentence copied from article to article they are
    the same figure, one of them wrong (a million for a billion), unless the text lost a character."""
    claims = [
        stated("a1", "A", 4_000_000, "spend crowns", "The council will spend 4 million crowns on the bridge."),
        stated("b1", "B", 4_000_000_000, "spend crowns", "The council will spend 4 billion crowns on the bridge."),
    ]
    assert compare_claims(claims) == []
    retold = Reuse(a="A", a_start=90, a_end=160, b="B", b_start=90, b_end=160, similarity=0.95, kind="near")
    (group,) = compare_claims(claims, reuse=[retold])
    assert group.verdict == "conflict" and group.evidence == "retold"
    garbled = [
        stated("a1", "A", 41, "served months", "He served 41 / 2 months in prison.", unit="months"),
        stated("b1", "B", 4, "served months", "He served 4\ufffd months in prison.", unit="months"),
    ]
    assert compare_claims(garbled, reuse=[retold]) == []


def test_the_best_founded_conflict_comes_first():
    claims = [
        stated("a1", "A", 2, "people killed", "Two people were killed in Velmor."),
        stated("b1", "B", 4, "people died", "Four people died in Velmor."),
        stated("c1", "C", 88, "yards", "The longest drive covered 88 yards."),
        stated("d1", "D", 71, "yards", "The longest drive went 71 yards."),
    ]
    retold = Reuse(a="C", a_start=90, a_end=140, b="D", b_start=90, b_end=150, similarity=0.8, kind="near")
    assert [g.evidence for g in compare_claims(claims, reuse=[retold])] == ["retold", "toll"]


def test_different_wars_are_not_a_contradiction():
    claims = [
        stated("a1", "A", 200, "lives", "The assault claimed 200 lives."),
        stated("b1", "B", 30000, "people dead", "The first war left 30,000 people dead."),
    ]
    assert compare_claims(claims) == []


def test_a_different_toll_from_another_side_conflicts_and_names_who_said_it():
    claims = [
        stated("a1", "A", 2, "people killed", "Two people were killed, officials said.", by="officials"),
        stated("b1", "B", 4, "people died", "Four people had died, hospital staff said.", by="hospital staff"),
    ]
    (group,) = compare_claims(claims)
    assert group.verdict == "conflict"
    assert "officials" in group.explanation and "hospital staff" in group.explanation
    assert "Outlet A" in group.explanation and "Outlet B" in group.explanation


def test_other_stories_only_share_agreements():
    story_of = {"A": "s1", "B": "s2"}
    same = [stated("a1", "A", 120000, "Armenians living", "Up to 120,000 Armenians live there.", qualifier="up to"),
            stated("b1", "B", 120000, "Armenians living", "The 120,000 Armenians living there.")]  # fmt: skip
    assert verdicts(compare_claims(same, story_of)) == {frozenset({"a1", "b1"}): "agree"}
    different = [stated("a1", "A", 2, "people killed", "Two people were killed in the clash."),
                 stated("b1", "B", 4, "people killed", "Four people were killed in the clash.")]  # fmt: skip
    assert compare_claims(different, story_of) == []


def test_converted_units_agree_and_numbers_in_one_sentence_do_not_conflict():
    claims = [
        stated("a1", "A", 34, "distance of motorway", "The 34-kilometre motorway.", unit="km"),
        stated("b1", "B", 21, "distance of motorway", "The 21-mile motorway.", unit="miles"),
        stated("c1", "C", 58, "seats", "The party holds only 58 of 140 seats."),
        stated("c2", "C", 140, "seats", "The party holds only 58 of 140 seats."),
    ]
    found = verdicts(compare_claims(claims))
    assert found == {frozenset({"a1", "b1"}): "agree"}


def test_the_same_figure_in_other_words_is_one_quantity():
    claims = [
        stated("a1", "A", 300, "homes", "The river flooded about 300 homes.", qualifier="about"),
        stated("b1", "B", 300, "houses swamped", "The water swamped about 300 houses.", qualifier="about"),
    ]
    assert verdicts(compare_claims(claims, {"A": "s", "B": "s"})) == {frozenset({"a1", "b1"}): "agree"}


def test_a_count_word_far_from_the_figure_does_not_make_it_a_toll():
    """`the arrest of a 19-year-old, saying he was one of three who hit him`: three is not a number of arrests."""
    claims = [
        stated("a1", "A", 3, "count", "Police announced an arrest, saying the teenager was one of 3 who hit him."),
        stated("b1", "B", 5, "people arrested", "Five people were arrested after the attack."),
        stated("c1", "C", 4, "count", "The number of people arrested rose to 4 on Friday."),
    ]
    assert verdicts(compare_claims(claims)) == {frozenset({"b1", "c1"}): "conflict"}


def test_a_bare_figure_counts_what_the_nearest_count_word_says():
    """`30 dead and 55 wounded, 15 critically`: the 15 are wounded, not dead."""
    claims = [
        stated("a1", "A", 15, "count", "The UN confirmed 30 dead and 55 wounded, 15 critically."),
        stated("b1", "B", 42, "people killed", "The hospital said 42 people were killed."),
    ]
    assert compare_claims(claims) == []


def test_a_figure_from_another_story_stays_out_of_a_large_group_it_contradicts_anywhere():
    # a group of hundreds of reprints is checked on its first and latest members for a claim of its own
    # story; one from another story must still agree with every member, the one in the middle included
    def toll(article: str, value: int) -> StatedClaim:
        sentence = f"Officials said {value} people were killed in the flood."
        text = f"{value} people were killed"
        at = sentence.index(text)
        return StatedClaim(f"{article}:c0", article, Claim(text, at, at + len(text), float(value), "people killed"),
                           sentence, None)  # fmt: skip

    claims = [toll(f"a{k:02d}", 350 if k == 35 else 300) for k in range(70)] + [toll("b", 300)]
    story_of = {f"a{k:02d}": "flood" for k in range(70)} | {"b": "other"}
    groups = compare_claims(claims, story_of)
    assert [g.verdict for g in groups] == ["conflict"]
    assert len(groups[0].claims) == 70 and "b:c0" not in groups[0].claims
