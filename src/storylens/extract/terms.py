"""Quoted words that are not speech: titles, names, scare quotes and other quoted terms.

News puts quotation marks around more than speech: the title of a show or a book (`told MSNBC's
"Morning Joe"`), a nickname (`Marcia "Cia" Price`), a word held at a distance (`promoting "quack"
cures`). These are short or written in title case, and no verb of saying governs them. A short
quotation is still speech when a speech verb takes it as what was said (`called the plan
"reckless"`, `expressed "wholehearted support"`, `said the talks were "frank"`).
"""

from __future__ import annotations

import re

from storylens.extract.cues import TITLE_SMALL_WORDS

# A quotation of at most this many words inside a sentence needs a speech verb above it to count as speech.
TERM_MAX_WORDS = 3
# Relations by which quoted words modify a noun rather than stand as what was said.
NOUN_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "quantmod", "appos", "det"})
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def quoted_words(content: str) -> list[str]:
    return _WORD.findall(content)


def is_title_case(content: str) -> bool:
    """`The Steve Harvey Morning Show`, `All Bets Are Off`: every word but the small ones capitalized,
    and at least two capitalized words (one capitalized word is how a quoted sentence begins). Words
    in capitals (`NBC`, or a shouted `WITCH HUNT`) neither make nor break title case."""
    words = quoted_words(content)
    capitalized = [w for w in words if w[0].isupper() and (len(w) == 1 or not w.isupper())]
    allowed = all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)
    return len(capitalized) >= 2 and allowed


def is_title_or_name(content: str, mid_sentence: bool) -> bool:
    """`The Steve Harvey Morning Show`, `Marcia "Cia" Price`: words in title case, or one capitalized
    word inside a sentence. `mid_sentence`: the quotation opens after words of its sentence."""
    words = quoted_words(content)
    return is_title_case(content) or (len(words) == 1 and mid_sentence and words[0][0].isupper())


def is_quoted_term(content: str, mid_sentence: bool, cue_depth: int | None, cue_via: str | None) -> bool:
    """A short quotation inside a sentence that no speech verb takes as what was said.

    `cue_depth`: parse edges from the quoted words up to their speech verb, None when the verb was
    found only by its position; `cue_via`: the relation of the quoted words to the word above them,
    `modifier` when they modify a noun that the speech verb does not govern.
    """
    words = quoted_words(content)
    if not words:
        return True
    if len(words) > TERM_MAX_WORDS or not mid_sentence:
        return False  # long, or a short sentence of its own: `"Never," she said.`
    return cue_depth is None or cue_via == "modifier"
