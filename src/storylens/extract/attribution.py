"""The cue of a quote: the reporting verb (or phrase: `according to`, `in the words of`) that quoted words
attach to in the parse, and its speaker (the subject, the passive agent, a name in apposition)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storylens.extract.cues import (
    FEMALE_PRONOUNS,
    ISSUING_VERBS,
    MALE_PRONOUNS,
    MESSAGE_NOUNS,
    NAMING_FORMS,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    QUOTE_VERBS,
    SAYING_NOUNS,
    SPEECH_VERBS,
    speech_lemma,
)
from storylens.extract.lines import end_before, line_start, paragraph_break_between
from storylens.extract.quote_marks import QuotedSpan
from storylens.extract.speakers import described_by_age, named_modal
from storylens.extract.terms import NOUN_MODIFIER_DEPS
from storylens.nlp import text_of

# `Cue.via` of a quotation that a verb of naming gives its subject (`called the plan "a disaster"`).
NAMED = "named"
# Verbs in the parse that a quote may climb through to reach its cue (not across other speakers).
WALK_UP_LIMIT = 8

# `Said Ellis: "..."`, `Replied Senator Berg: "..."`: a verb of saying put first, the speaker, the quotation.
# The parser often takes such a verb for part of a name, so the order of the words is read instead.
_INVERTED_LEAD_IN = re.compile(
    r"(?:^|[.!?][\"\u201d\u2019]?\s+)([A-Z][a-z]+)\s+([^.!?:,\"\u201c\u201d\n]{1,60}?)\s*[:,]\s*$", re.MULTILINE
)


@dataclass
class Cue:
    text: str  # lemma or phrase: "say", "call on", "according to"
    start: int
    end: int
    speaker_token: Token | None  # None only for the second half of a split quote
    depth: int | None = None  # parse edges from the quoted words up to the cue; None if found by position
    via: str | None = None  # the relation of the quoted words to the word above them


def cue_for(doc: Doc, first: int, last: int, masks: tuple[list[bool], list[bool]], span: QuotedSpan) -> Cue | None:
    """The reporting verb a quoted token range [first, last) hangs on, in order of reliability."""
    in_quote, in_speech = masks
    inside = range(first, last)
    # 1. Walk up from the quoted words to the nearest cue verb outside quotation marks.
    best: tuple[int, Cue] | None = None
    index = _CueIndex.of(doc, in_quote)
    asides = index.asides()
    for tok in doc[first:last]:
        node, depth, below = tok.head, 1, tok
        while node.i not in inside and depth <= WALK_UP_LIMIT:
            aside = asides.get(node.i)
            aside = aside if aside is not None and aside.i < first else None
            cue = (
                verb_cue(node, in_quote)
                or _characterized_as(node, below, in_quote)
                or (verb_cue(aside, in_quote) if aside is not None else None)
            )
            if cue is not None and not _across_paragraphs(doc, cue, span):
                if best is None or depth < best[0]:
                    cue.depth, cue.via = depth, _relation_above(tok, node)
                    best = (depth, cue)
                break
            if node.head is node:
                break
            node, depth, below = node.head, depth + 1, node
    if best is not None:
        return _second_saying(doc, best[1], first, last, in_quote)
    # 2. The quote holds the cue verb itself: `X and Y "agreed not to use force"`.
    for tok in doc[first:last]:
        if tok.lemma_ in SPEECH_VERBS and tok.pos_ == "VERB":
            subject = subject_of(tok)
            if subject is not None and subject.i < first:
                return Cue(tok.lemma_, tok.idx, tok.idx + len(tok), subject)
    # 3. `according to X`, `in the words of X` in the same sentence, or in the last one of a quotation of several
    #    (`"A. B," according to X.`); the phrase reports the clause it modifies, quoted words and all.
    opening, closing = index.sentence(first), index.sentence(last - 1)
    phrases = index.phrases(opening) or (index.phrases(closing) if closing.start != opening.start else [])
    for tok in (doc[i] for i in phrases):
        cue = according_to(tok) or _in_the_words_of(tok)
        if cue is not None and not _across_paragraphs(doc, cue, span):
            clause = tok.head if tok.lower_ == "according" else tok.head.head
            outer = next((t for t in doc[first:last] if t.head.i not in inside), None)
            if outer is not None and clause.left_edge.i <= first and last - 1 <= clause.right_edge.i:
                cue.depth, cue.via = 1, _relation_above(outer, clause)
            return cue
    # 4. A cue elsewhere in the sentence, or in a short next sentence (`"Stop!" he shouted.`),
    #    or a lead-in sentence ending in a colon (`He said:`). The parser may split a quotation into
    #    several sentences (`"A. B," X said.`), so the sentences of its first and last words both count.
    for part in _neighbour_sentences(doc, first, last, index):
        candidates = [
            c
            for c in (verb_cue(doc[i], in_quote) for i in index.verbs(part) if i not in inside)
            if c is not None and _nothing_between(doc, first, last, c, in_speech, span)
        ]
        if candidates:
            return min(candidates, key=lambda c: abs(c.start - doc[first].idx))
    # 5. The speaker and the verb right after the closing mark, whatever the parse made of them.
    # 6. A clause ending in a colon introduces the quotation of its subject, with or without a verb
    #    of saying (`The ministry was blunt: "..."`), or the verb comes first (`Said Ellis: "..."`).
    # 7. A clause of several words quoted under a verb of any kind whose subject is a person
    #    (`X snapped, "..."`, `X ordered the board to "stop the dredging until ..."`).
    # 8. `called Florida's standards "strong."`: a verb of naming, what it names and the quoted name, read from
    #    the order of the words (the parser often hangs the name elsewhere).
    return (
        _tag_after(doc, span, in_quote)
        or _colon_lead_in(doc, span, in_quote)
        or _message_lead_in(doc, span, in_quote)
        or _inverted_lead_in(doc, span, in_quote)
        or _person_verb_above(doc, first, last, span, in_quote)
        or _naming_cue(doc, span, in_quote)
    )


def _second_saying(doc: Doc, cue: Cue, first: int, last: int, in_quote: list[bool]) -> Cue:
    """`He said that A and said that B is "weak as a gull."`, `said Berg, who said there were "too many ..."`: the
    parser hangs the quotation's closing stop on the first verb; a second verb of saying, conjoined to it or in a
    clause on its speaker, whose words hold the quotation, says it."""
    verb = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if verb is None or len(verb) != 1:
        return cue
    words = [t for t in doc[first:last] if not (t.is_punct or t.is_space)]
    second = [c for c in verb[0].children if c.dep_ == "conj"]
    if cue.speaker_token is not None:
        second += [c for c in cue.speaker_token.children if c.dep_ == "relcl"]
    for other in (c for c in second if first > c.i and c.lemma_.lower() in SPEECH_VERBS):
        if words and all(other.left_edge.i <= t.i <= other.right_edge.i for t in words):
            found = verb_cue(other, in_quote)
            if found is not None:
                found.depth, found.via = cue.depth, cue.via
                return found
    return cue


# What may stand between a verb of naming and the quotation: a short noun phrase (`the Saudis`, `AP's report a`).
_NAMED_MAX_TOKENS = 6
_NAMED_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM", "PART"})


def naming_verb(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Token | None:
    """The verb of naming, with a subject, a short noun phrase before the quotation opens: `he called Rubio
    "Little Marco"`, `calling the deal a "$25 billion mistake."`."""
    opening = doc.char_span(span.open_start, span.close_end, alignment_mode="expand")
    if opening is None or opening.start == 0:
        return None
    named: list[Token] = []
    for i in range(opening.start - 1, max(-1, opening.start - 2 - _NAMED_MAX_TOKENS), -1):
        tok = doc[i]
        if in_quote[i] or tok.is_space:
            return None
        if tok.text in NAMING_FORMS and (tok.pos_ == "VERB" or tok.text.endswith(("ed", "ing"))):  # not `brand`
            return tok if _names_actively(tok) and any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in named) else None
        if tok.pos_ not in _NAMED_POS and tok.text not in ("\u2019", "'"):
            return None
        named.append(tok)
    return None


def _names_actively(verb: Token) -> bool:
    """`called` in the active voice: not after `be` (`was called a "traitor"`), and as a participle only after
    `have`, with a subject, or after a name and its description between commas (`Beruff, a Scott ally,
    called`), which the parse often tags so; `The mayor, long called the city's "fixer,"` is named by others."""
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.lemma_ == "be":
        return False
    if verb.tag_ != "VBN" or (before is not None and before.lemma_ == "have"):
        return True
    if any(c.dep_ == "nsubj" for c in verb.children):  # `Ann Roe called Berg ...`, tagged a participle
        return True
    if before is None or before.text != ",":
        return False
    opening = next((j for j in range(verb.i - 2, max(-1, verb.i - 10), -1) if doc[j].text == ","), None)
    return opening is not None and opening > 0 and doc[opening - 1].pos_ == "PROPN"


def _clause_on_subject(verb: Token) -> bool:
    """A verb the parse hung on a noun as a clause (acl) right after it, or after its description between commas:
    `a man yelled`, `Beruff, a Scott ally, called`; not `The mayor, long called ...`, a phrase on the mayor."""
    if verb.dep_ != "acl" or verb.head.pos_ not in ("NOUN", "PROPN") or verb.head.i >= verb.i:
        return False
    before = verb.doc[verb.i - 1]
    between = verb.doc[verb.head.i + 1 : verb.i]
    described = len(between) > 2 and between[0].text == "," == before.text  # `Beruff, a Scott ally, called`
    return before.i == verb.head.i or (described and not any(t.pos_ in ("VERB", "AUX", "ADV") for t in between))


def _naming_cue(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    verb = naming_verb(doc, span, in_quote)
    if verb is None:
        return None
    subject = subject_of(verb) if verb.pos_ == "VERB" else None
    if subject is None and verb.head.dep_ in ("nsubj", "ROOT") and _clause_on_subject(verb):
        subject = verb.head  # `Beruff, a Scott ally, called ...` parsed as a phrase on the name
    subject = subject or _name_before_apposition(verb, in_quote) or _phrase_right_before(verb, in_quote)
    if subject is None or in_quote[subject.i] or subject.i > verb.i:
        return None
    return Cue(verb.lemma_.lower(), verb.idx, verb.idx + len(verb), subject, 1, NAMED)


def _tag_after(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    """`"You winning?" she said, but he was drifting off`: a quotation that ends in a comma, a question or an
    exclamation mark and is followed at once by a speaker and a verb of saying (`she said`, `Ellis said`, `the
    email read`; for a quoted sentence, a person and any verb that ends the tag: `Berg shot back.`) or the verb and
    a name (`said Ellis`, `reacted Ellis.`) is theirs, read from the order of the words: the parser may have cut
    the quotation off as a sentence of its own and hung the verb on a later clause."""
    text = text_of(doc)
    if not text[span.start : span.end].rstrip().endswith((",", "?", "!")):
        return None
    after = doc.char_span(span.close_end, min(len(text), span.close_end + 120), alignment_mode="expand")
    if after is None or not after or after[0].is_space:  # a tag on the next line belongs to something else
        return None
    words = [t for t in after[:12] if not in_quote[t.i]]
    if len(words) < 2 or words[0].i != after[0].i:
        return None
    first = words[0]
    saying = _is_verb_of_saying(first) or _reads(first)
    if saying or (_speech_like(text, span) and first.tag_ == "VBD"):
        names = _name_run(words[1:]) or _message_after(words[1:])  # `said Ellis`, `read the email`
        # any other verb only when a person's name ends the sentence (`reacted Ellis.`, not `visited Paris,`), or
        # one the recognizer knows as a person's is described after it (`beamed Ann Roe of Velmor, who ...`)
        following = words[len(names) + 1].text if len(words) > len(names) + 1 else ""
        person = bool(names) and names[-1].ent_type_ == "PERSON"
        ends = (following == "." and names[-1].ent_type_ not in _NOT_SPEAKERS) or (person and following in (",", "of"))
        if not names or not (saying or ends):
            return None
        return Cue(first.lemma_.lower(), first.idx, first.idx + len(first), names[-1])
    names, rest = _speaker_before_verb(words)
    if not names or not rest:
        return None
    verb = rest[0]
    any_verb = _speech_like(text, span) and _tag_verb(verb) and (_is_person(names[-1]) or _can_speak(names[-1]))
    # the parse may take a verb in the present for a noun (`the Saudis state in the paper`): its form tells
    said = _is_verb_of_saying(verb) or _reads(verb) or _verb_as_noun(verb)
    if not (said or any_verb):
        return None
    return Cue(speech_lemma(verb.text) or verb.lemma_.lower(), verb.idx, verb.idx + len(verb), names[-1])


def _verb_as_noun(tok: Token) -> bool:
    """`the Saudis state in the white paper`: a verb of saying in the present that the tagger took for a noun,
    known by its form and by what follows (not a noun: `the Ohio state board`, `Treasury estimates show`)."""
    following = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    free = following is None or following.pos_ in ("ADP", "PUNCT", "ADV", "SPACE")
    return tok.is_lower and speech_lemma(tok.text) is not None and free


# What the recognizer labels a name that cannot be a tag's speaker (`"Go Home," toured Europe.`).
_NOT_SPEAKERS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT", "WORK_OF_ART", "PRODUCT"})


def _speaker_before_verb(words: list[Token]) -> tuple[list[Token], list[Token]]:
    """The words that name a speaker at the head of a tag, and the words after them: a pronoun, a name, a name
    after a determiner (see `_described_speaker`), with an age passed over (`Ramos, 58, told`)."""
    if words[0].tag_ == "PRP" and _can_speak(words[0]):
        return words[:1], words[1:]
    names = _name_run(words)
    if not names:
        return _described_speaker(words) if words[0].lower_ in ("the", "a", "an") else ([], [])
    rest = words[len(names) :]
    if [t.text for t in rest[:1] + rest[2:3]] == [",", ","] and rest[1].like_num:
        rest = rest[3:]  # `Ramos, 58, told AFP`
    return names, rest


def _described_speaker(words: list[Token]) -> tuple[list[Token], list[Token]]:
    """A speaker named after a determiner: `the 43-year-old`, `the Saudis`, `an angry Hollande`, a message (`the
    email`), or a name in apposition to a description (`the presumptive Green nominee, Ann Roe,`)."""
    old = next((t for t in words[1:6] if t.lower_ == "old"), None)
    aged = described_by_age(old) if old is not None else None
    if aged is not None and aged.start == words[0].i:  # `the 43-year-old asked`
        return words[: len(aged)], words[len(aged) :]
    at = next((k for k in range(1, len(words)) if not (words[k].pos_ == "ADJ" and words[k].is_lower)), len(words))
    names = _name_run(words[at:])
    end = at + len(names)
    following = words[end] if end < len(words) else None
    modifies = following is not None and following.is_lower and following.pos_ in ("NOUN", "ADJ")
    if modifies and not _verb_as_noun(following):
        names = []  # the name modifies a noun: `the Green nominee`, `the GOP presidential nominee`
    if not names:
        names = _message_after(words)
        end = len(names)
    if names:
        return names, words[end:]
    comma = next((k for k, t in enumerate(words[:8]) if t.text == ","), None)
    run = _name_run(words[comma + 1 :]) if comma is not None else []
    closing = (comma or 0) + 1 + len(run)
    if run and closing < len(words) and words[closing].text == ",":
        return run, words[closing + 1 :]
    return _common_noun_speaker(words)


# Words of a description before its head noun (`a voice-over`, `the senior White House official`).
_DESCRIPTION_POS = frozenset({"ADJ", "NOUN", "PROPN", "NUM", "PUNCT"})
_PLACE_PREPOSITIONS = frozenset({"in", "for", "at", "of", "from", "on"})


def _common_noun_speaker(words: list[Token]) -> tuple[list[Token], list[Token]]:
    """`the document states`, `a voice-over in the ad states`: a noun phrase after a determiner, with at most a
    short phrase of place (`in the ad`, `for the campaign`) before the verb, when the parse lost the tag's
    subject. Its head noun speaks if the verb that follows is one of saying (the caller's test)."""
    head = 1
    while head < min(len(words), 7) and words[head].pos_ in _DESCRIPTION_POS and words[head].text not in ",.(":
        head += 1
    if head == 1 or words[head - 1].pos_ != "NOUN":
        return [], []
    rest = head
    if rest < len(words) and words[rest].lower_ in _PLACE_PREPOSITIONS:
        end = rest + 1
        while (
            end < min(len(words), rest + 5)
            and words[end].pos_ in _DESCRIPTION_POS | {"DET"}
            and not _verb_as_noun(words[end])
        ):
            end += 1
        if end > rest + 1 and words[end - 1].pos_ in ("NOUN", "PROPN", "ADJ"):
            rest = end
    return words[:head], words[rest:]


def _reads(verb: Token) -> bool:
    """`read`, `reads`: what a message says (`the email read`, `read the statement`)."""
    return verb.lower_ in ("read", "reads")


def _message_after(words: list[Token]) -> list[Token]:
    """`the email`, `a statement`: a message named at the head of `words`, as its words."""
    determiner = len(words) >= 2 and words[0].lower_ in ("the", "a", "an", "his", "her", "their", "its")
    return words[:2] if determiner and words[1].lemma_.lower() in MESSAGE_NOUNS else []


# A quotation of this many words (opening with a capital, for a frame of punctuation) is speech wherever its
# frame or the verb above it says so; shorter ones may be terms.
SENTENCE_MIN_WORDS = 4


def _speech_like(text: str, span: QuotedSpan) -> bool:
    content = text[span.start : span.end]
    return len(content.split()) >= SENTENCE_MIN_WORDS and content[:1].isupper()


def _tag_verb(verb: Token) -> bool:
    """`"...," Berg began.`, `"...," she shot back.`: a verb (not an auxiliary: `"Who flew first?" Earhart was.`)
    in the past or present tense right after the speaker that ends the tag, with a particle or an adverb at most
    (its sentence ends, or goes on after a comma, a semicolon or `and`): the frame `"Sentence," X verbed.` tells of
    words said, whatever the verb."""
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):  # right after a name, `barked` is past
        return False
    after = verb.i + 1
    if after < len(verb.doc) and verb.doc[after].tag_ in ("RP", "RB"):  # `shot back`
        after += 1
    following = verb.doc[after] if after < len(verb.doc) else None
    return following is None or following.text in (".", ",", ";", "and", "but") or following.is_space


def _is_verb_of_saying(tok: Token) -> bool:
    return tok.pos_ == "VERB" and tok.lemma_.lower() in QUOTE_VERBS


_MISTAGGED_POS = frozenset({"NOUN", "VERB", "ADV", "ADJ"})


def _name_run(tokens: list[Token]) -> list[Token]:
    """The proper nouns a token list opens with (`Dana Ellis`), at most four; a capitalized word the tagger took
    for a common noun, a verb or an adverb counts when it is a name or nothing (`"...?" Trump asked`)."""
    run = []
    for tok in tokens[:4]:
        mistagged = tok.pos_ in _MISTAGGED_POS and tok.is_title and tok.ent_type_ in ("", "PERSON", "ORG")
        mistagged = mistagged or (named_modal(tok) and tok.ent_type_ in ("", "PERSON", "ORG"))
        if tok.pos_ != "PROPN" and not mistagged:
            break
        run.append(tok)
    return run


def _inverted_lead_in(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    """`Said Ellis: "..."`: the speaker named after a verb of saying that opens the sentence."""
    text = text_of(doc)
    starts_line = line_start(text, span.open_start)
    # the verb, a name and the colon stand just before the mark: a window keeps long lines of quotes linear
    found = _INVERTED_LEAD_IN.search(text, max(starts_line, span.open_start - 100), span.open_start)
    if found is None:
        return None
    verb, who = speech_lemma(found.group(1)) or _quoting_past(doc, found.start(1), found.end(1)), found.group(2)
    speaker = doc.char_span(found.start(2), found.end(2), alignment_mode="expand")
    if verb is None or speaker is None or not (who[:1].isupper() or who.lower().startswith(("the ", "a "))):
        return None
    head = speaker[-1]
    if in_quote[head.i] or not (head.pos_ in ("PROPN", "NOUN") or _can_speak(head)):
        return None
    return Cue(verb, found.start(1), found.end(1), head)


def _quoting_past(doc: Doc, start: int, end: int) -> str | None:
    """`Continued Stone:`, `Concluded the judge:`: a verb that takes quoted words, in the past, opening a lead-in."""
    word = doc.char_span(start, end, alignment_mode="expand")
    if word is None or len(word) != 1 or not word.text.endswith("ed"):
        return None
    low = word.text.lower()  # the tagger may take the capitalized verb for a name: its form tells
    return next((c for c in (word[0].lemma_.lower(), low[:-1], low[:-2]) if c in QUOTE_VERBS), None)


def nearer_saying(doc: Doc, cue: Cue, span: QuotedSpan, in_quote: list[bool]) -> Cue:
    """`X said, suggesting questions such as "B"`, `X hailed it as "A," telling reporters that ... "B"`: a verb of
    saying without a subject of its own, between the cue (or an earlier quote) and the quotation in the same
    sentence, introduces
    the quotation (a new attribution by the same speaker). A split quote's aside (`"A," X said,
    referring to Y, "B"`) is not a verb of saying and leaves the quotation to the cue."""
    if cue.end > span.open_start or cue.speaker_token is None:
        return cue
    between = doc.char_span(cue.end, span.open_start, alignment_mode="contract")
    if between is None or "\n" in between.text or any(t.text in (".", "!", "?") for t in between):
        return cue
    for tok in reversed(between):
        if in_quote[tok.i]:  # `hailed X as "fantastic," telling reporters that ... "B"`: read back to a quote
            break
        if (
            tok.tag_ in ("VBG", "VB")
            and tok.lemma_.lower() in SPEECH_VERBS
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            and not _expletive_frame(tok)
        ):
            return Cue(cue_phrase(tok), tok.idx, tok.idx + len(tok), cue.speaker_token, cue.depth, cue.via)
    return cue


def _colon_lead_in(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    text = text_of(doc)
    at = end_before(text, span.open_start)
    if text[at - 1 : at] != ":":
        return None
    colon = doc.char_span(at - 1, at, alignment_mode="expand")
    if colon is None or in_quote[colon[0].i]:
        return None
    # the lead-in: from its sentence's (or line's) start to the colon; the parse may hang it on the quote
    start_char = max(colon[0].sent.start_char, line_start(text, colon[0].idx))
    lead_in = doc.char_span(start_char, colon[0].idx, alignment_mode="expand")
    if lead_in is None:
        return None
    inside = range(lead_in.start, lead_in.end)
    roots = [t for t in lead_in if t.head.i not in inside or t.head.i == t.i]
    verb = next((t for t in roots if t.pos_ in ("VERB", "AUX")), None)
    subject = None if verb is None else next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    saying = verb is not None and any(_is_verb_of_saying(t) for t in lead_in if t.i >= verb.i)
    if subject is None and _noun_phrase_and_verb(lead_in):
        subject, saying = _noun_before(lead_in[-1]), True  # `Article 33 affirms:`, the verb parsed as a noun
    # a lead-in that says so (`The columnist went so far as to say:`) needs only a nominal subject; any
    # other lead-in (`The ministry was blunt:`) one that can speak
    if subject is not None and not (_can_speak(subject) or (saying and subject.pos_ in ("NOUN", "PROPN"))):
        subject = None
    if subject is None:
        # `POLLS TOO EARLY - Dana Ellis and Ola Berg: "..."`, a headline the parser reads as a clause or not
        subject = _names_alone(lead_in)
        subject = subject if subject is not None and _can_speak(subject) else None
    if subject is None or in_quote[subject.i]:
        return None
    return Cue(":", at - 1, at, subject)


def _noun_phrase_and_verb(lead_in: Span) -> bool:
    """`Article 33 affirms`, `The union states`: nothing but a noun phrase and a verb of saying in the third person
    or the past (not `Among the Twitter posts`, `Read the full report`)."""
    *phrase, last = list(lead_in)
    said = last.is_lower and last.text.endswith(("s", "ed")) and speech_lemma(last.text) is not None
    return said and bool(phrase) and all(t.pos_ in ("DET", "PROPN", "NOUN", "NUM", "ADJ", "PART") for t in phrase)


def _noun_before(tok: Token) -> Token | None:
    """The noun right before `tok`, or the one a number right before it counts (`Article 33`)."""
    if tok.i == 0:
        return None
    before = tok.doc[tok.i - 1]
    if before.like_num and before.head.i < before.i:
        before = before.head
    return before if before.pos_ in ("NOUN", "PROPN") else None


def _message_lead_in(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    """`Trump issued a statement, "..."`: a message just named before a comma or colon that opens the quotation
    is its words, said by whoever issued it."""
    text = text_of(doc)
    at = end_before(text, span.open_start)
    if text[at - 1 : at] not in (",", ":"):
        return None
    mark = doc.char_span(at - 1, at, alignment_mode="expand")
    if mark is None or mark.start == 0:
        return None
    message = doc[mark.start - 1]
    if message.lemma_.lower() not in MESSAGE_NOUNS or message.dep_ != "dobj" or in_quote[message.i]:
        return None
    issued = message.head.pos_ == "VERB" and message.head.lemma_.lower() in ISSUING_VERBS
    subject = subject_of(message.head) if issued else None
    if subject is None or in_quote[subject.i] or not _can_speak(subject):
        return None
    return Cue(message.lemma_.lower(), message.idx, message.idx + len(message), subject)


def _names_alone(lead_in: Span) -> Token | None:
    """The last of the people named in a lead-in that holds nothing else after its last dash (`... - Dana Ellis
    and Ola Berg`), but for a bracket after the name (`Rep. Ann Roe (D-Md.)`) and a title the parse hangs on it
    (`Former secretary of state Ann Roe`): they are who speaks. A name after other words (`Warren on Joe Biden:`,
    `A message for Joe Biden:`) is what the words are about."""
    tokens = list(lead_in)
    if tokens and tokens[0].lower_ in _ADDRESSING:  # `Dear Ann Roe:` speaks to her
        return None
    bracket = next((k for k in range(len(tokens) - 1, max(-1, len(tokens) - 9), -1) if tokens[k].text == "("), None)
    if bracket is not None and all(")" not in t.text for t in tokens[bracket:-1]):  # it ends the lead-in
        tokens = tokens[:bracket]
    dash = max((k for k, t in enumerate(tokens) if t.text in ("-", "\u2013", "\u2014", "--")), default=-1)
    tokens = tokens[dash + 1 :]
    # an excerpt's source: `More from Ann Roe:`, `From the report:`
    first_words = [t.lower_ for t in tokens[:2]]
    start = 2 if first_words == ["more", "from"] else int(first_words[:1] == ["from"])
    if start and 0 < len(tokens) - start <= 3 and tokens[-1].lemma_.lower() in MESSAGE_NOUNS:
        return tokens[-1]  # `From the report:`
    tokens = tokens[start:]
    names: list[Token] = []
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        # the recognizer may label a name it does not know as anything, even an organisation
        named = tok.pos_ == "PROPN" or (tok.ent_type_ == "PERSON" and tok.is_alpha)  # not the `'s` after one
        if not named and tok.lower_ not in ("and", ","):
            if not names or not _titles(tokens[: k + 1], names[0]):
                return None
            break
        names.append(tok)
    person = [t for t in names if t.ent_type_ == "PERSON"]  # the last name; one the recognizer knows if any
    if not person and any(t.ent_type_ for t in names):
        return None  # no person among words the recognizer knows: a body or a place (`Port Authority CEO:`)
    speaker = person[0] if person else next((t for t in names if t.pos_ == "PROPN"), None)
    # a name that only modifies a later word is no speaker (`Elizabeth Warren Hammers Wells Fargo CEO:`)
    if speaker is not None and speaker.dep_ in ("compound", "flat") and speaker.head in names:
        return None
    return speaker


_ADDRESSING = frozenset(["dear", "to", "for", "thanks", "thank", "congratulations", "hello", "hi", "attention"])


def _titles(words: list[Token], name: Token) -> bool:
    """Words before a name that the parse hangs on it, with no verb among them: a title, not a clause. In a line
    of capitalized words the parse cannot tell a verb from a name (`Ann Roe Praises Editor Jon Krall:`), so a
    title must hold a word in lower case (`Former harbour master Ines Duarte:`)."""
    root = name
    while root.head.i != root.i and root.dep_ in ("compound", "flat") and root.head.i > root.i:
        root = root.head
    if not any(t.is_alpha and t.is_lower and not t.is_stop for t in words):
        return False
    return all(t.pos_ not in ("VERB", "AUX") and root in t.ancestors for t in words)


def _person_verb_above(doc: Doc, first: int, last: int, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    """`He commanded the party to "do the right thing and open its doors"`: a quotation of several words under a
    verb of any kind whose subject is a person is that person's words; an infinitive or a gerund without a subject
    passes to the verb above it (`wanted to show that "..."`). The last cue `cue_for` tries, after every verb of
    saying in the parse and every frame of punctuation."""
    text = text_of(doc)
    if len(text[span.start : span.end].split()) < SENTENCE_MIN_WORDS:
        return None
    outer = next((t for t in doc[first:last] if not first <= t.head.i < last), None)
    node, depth = (outer.head, 1) if outer is not None else (None, 0)
    while node is not None and depth <= WALK_UP_LIMIT and not in_quote[node.i]:
        if node.pos_ == "VERB":
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if (
                subject is None
                and node.tag_ in ("VB", "VBG")
                and node.dep_ in ("xcomp", "pcomp")
                and node.head is not node
            ):
                node, depth = node.head, depth + 1  # `talked about giving voters the right to "..."`: the verb above
                continue
            if subject is None or in_quote[subject.i] or not _is_person(subject):
                return None
            sentence_start = _CueIndex.of(doc, in_quote).sentence(node.i).start_char
            if ":" in text[sentence_start : subject.idx]:
                return None  # `Sanders: Clinton needs to "get away from ..."`: the words of whoever the colon names
            cue = Cue(node.lemma_.lower(), node.idx, node.idx + len(node), subject, depth, outer.dep_)
            return None if _across_paragraphs(doc, cue, span) else cue
        if node.head is node:
            return None
        node, depth = node.head, depth + 1
    return None


def _is_person(tok: Token) -> bool:
    """A person's name, a pronoun for people, or a capitalized word inside its sentence that the recognizer left
    untagged (a name it did not know)."""
    if tok.ent_type_ == "PERSON" or tok.lower_ in MALE_PRONOUNS | FEMALE_PRONOUNS | {"i", "we", "they"}:
        return True
    return not tok.ent_type_ and tok.is_alpha and tok.text[0].isupper() and not tok.is_sent_start


def _can_speak(tok: Token) -> bool:
    """A person, a group or a body, a pronoun for one, or a message (`the statement`)."""
    if tok.lower_ in MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.lemma_.lower() in MESSAGE_NOUNS:
        return True
    if tok.lower_ in PERSON_TITLES:  # `The senator put it bluntly:`
        return True
    return tok.pos_ == "NOUN" and any(c.ent_type_ in ("ORG", "GPE", "NORP") for c in tok.children)


def _across_paragraphs(doc: Doc, cue: Cue, span: QuotedSpan) -> bool:
    """The parser may hang a quote on a verb in another paragraph; a cue stands in the quote's own
    paragraph, or ends the one before with a colon."""
    text = text_of(doc)
    lo, hi = (cue.end, span.open_start) if cue.end <= span.open_start else (span.close_end, cue.start)
    gap = text[lo:hi]
    return "\n" in gap and not (cue.end <= span.open_start and gap.rstrip().endswith(":"))


def _relation_above(quoted: Token, cue_verb: Token) -> str:
    """How the quoted words hang below their cue: `modifier` when they modify a noun outside what
    the cue reports (`promoting "quack" cures` under `called`), else their own relation. A noun the
    cue governs, directly or through its preposition (`called North Korea's "reckless" actions`,
    `called for a "complete" review`), or one inside a reported clause (`argued that he would bring a
    "common sense" approach`) carries the speaker's words."""
    head = quoted.head
    governed = head.head.i == cue_verb.i or (head.dep_ == "pobj" and head.head.head.i == cue_verb.i)
    if quoted.dep_ not in NOUN_MODIFIER_DEPS or head.pos_ not in ("NOUN", "PROPN") or governed:
        return quoted.dep_
    node = head
    while node.i != cue_verb.i and node.head.i != node.i:
        if node.dep_ == "ccomp":
            return quoted.dep_
        node = node.head
    return "modifier"


def _neighbour_sentences(doc: Doc, first: int, last: int, index: _CueIndex) -> list[Span]:
    sent = index.sentence(first)
    neighbours = [sent]
    last_sent = index.sentence(last - 1)
    if last_sent.start != sent.start:
        neighbours.append(last_sent)
    if last < len(doc) and last_sent.end <= last + 2 and last_sent.end < len(doc):
        following = index.sentence(last_sent.end)
        short = len(following) <= 10 and not any(t.is_quote and t.dep_ != "case" for t in following)
        if short or _bare_attribution(following):
            neighbours.append(following)
    if sent.start > 0:
        before = index.sentence(sent.start - 1)
        if before[-1].text == ":" or (len(before) > 1 and before[-2].text == ":"):
            neighbours.append(before)
    return neighbours


class _CueIndex:
    """Per document: its sentences, and where in each a cue may stand, found once. Searching a sentence for
    them per quotation made one long sentence of many quotations quadratic (spaCy's `Token.sent` walks the
    sentence too)."""

    def __init__(self, doc: Doc, in_quote: list[bool]) -> None:
        self.doc, self.in_quote = doc, in_quote
        self.sents = list(doc.sents)
        self.starts = [sent.start for sent in self.sents]
        self._phrases: dict[int, list[int]] = {}
        self._verbs: dict[int, list[int]] = {}
        self._asides: dict[int, Token] | None = None

    @classmethod
    def of(cls, doc: Doc, in_quote: list[bool]) -> _CueIndex:
        index = doc.user_data.get("storylens_cue_index")
        if not isinstance(index, cls) or index.in_quote is not in_quote:
            index = doc.user_data["storylens_cue_index"] = cls(doc, in_quote)
        return index

    def sentence(self, i: int) -> Span:
        return self.sents[bisect.bisect_right(self.starts, i) - 1]

    def phrases(self, sent: Span) -> list[int]:
        """Tokens of `according to X` / `in the words of X` outside quotation marks."""
        if sent.start not in self._phrases:
            self._phrases[sent.start] = [
                t.i for t in sent if not self.in_quote[t.i] and (according_to(t) or _in_the_words_of(t))
            ]
        return self._phrases[sent.start]

    def asides(self) -> dict[int, Token]:
        """The attributions set off by commas (see `_aside`), by the index of the clause the parse hangs them on."""
        if self._asides is None:
            self._asides = {t.head.i: t for t in self.doc if _aside(t, self.in_quote)}
        return self._asides

    def verbs(self, sent: Span) -> list[int]:
        """Tokens that are a cue by themselves (a verb of saying with its speaker, a message, a saying noun)."""
        if sent.start not in self._verbs:
            self._verbs[sent.start] = [t.i for t in sent if verb_cue(t, self.in_quote) is not None]
        return self._verbs[sent.start]


def _bare_attribution(sent: Span) -> bool:
    """`Scott's niece, state Del. Marcia Price, shouted to the crowd.`: a sentence that opens with its
    speaker and whose verb of saying reports nothing of its own, so it attributes the quote before it;
    or one that names the quote as someone's message (`That was the message from X.`)."""
    root = sent.root
    if _message_named(root) is not None:
        return True
    if root.lemma_.lower() not in QUOTE_VERBS:
        return False
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    reports = any(c.dep_ in ("ccomp", "dobj", "xcomp", "oprd") for c in root.children)
    return subject is not None and subject.left_edge.i == sent.start and not reports


def _nothing_between(doc: Doc, first: int, last: int, cue: Cue, in_speech: list[bool], span: QuotedSpan) -> bool:
    """A cue found by position must not lie across a line break or another quotation (a quoted title
    or name in between does not count)."""
    lo, hi = (doc[last - 1].idx, cue.start) if cue.start > doc[first].idx else (cue.end, doc[first].idx)
    gap = text_of(doc)[lo:hi]
    lead_in = cue.start < doc[first].idx and gap.rstrip().rstrip("\"\u201c\u2018'\u00ab").rstrip().endswith(":")
    if "\n" in gap and not lead_in:  # `He said:` may stand at the end of the paragraph before
        return False
    between = doc.char_span(lo, hi, alignment_mode="contract")
    own_marks = range(span.open_start, span.close_end)
    return between is None or not any(in_speech[t.i] and t.idx not in own_marks for t in between[1:-1])


def verb_cue(tok: Token, in_quote: list[bool]) -> Cue | None:
    if tok.pos_ == "NOUN" and not in_quote[tok.i]:
        return _saying_noun(tok)
    if tok.pos_ not in ("VERB", "AUX") or in_quote[tok.i]:
        return None
    message = _message_named(tok)
    if message is not None:  # the speaker is the message's owner, found by the resolver
        return Cue(message.lemma_.lower(), message.idx, message.idx + len(message), message)
    if tok.lemma_.lower() not in QUOTE_VERBS and not _as_put_it(tok) and not _message_reports(tok):
        return None
    subject = subject_of(tok)
    if subject is not None and in_quote[subject.i]:  # `"One of the best," Rep. X said`: two subjects
        subject = next((c for c in tok.children if c.dep_ == "nsubj" and not in_quote[c.i]), None)
    if subject is None and tok.tag_ in ("VBD", "VBZ") and _clause_on_subject(tok):
        subject = tok.head  # `a man yelled "..."`: a finite verb the parse hung on its subject as a clause
    if subject is None and _expletive_frame(tok):
        return None  # `It is fair to say`, `it was too early to tell`: nobody says
    if subject is None:
        subject = (
            _name_taken_for_modal(tok)
            or _subject_by_position(tok, in_quote)
            or _name_before_apposition(tok, in_quote)
            or _phrase_right_before(tok, in_quote)
        )
    if subject is None:
        return None
    return Cue(cue_phrase(tok), tok.idx, tok.idx + len(tok), subject)


def _name_taken_for_modal(verb: Token) -> Token | None:
    """`"...," May told reporters`: a name the tagger took for a modal, in capitals right before the verb and not
    opening the sentence, is its subject."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    return before if before is not None and named_modal(before) else None


def _expletive_frame(verb: Token) -> bool:
    """An infinitive under `it is` / `there is`, directly or through an adjective (`it was too early to tell`)."""
    node = verb.head if verb.dep_ == "xcomp" else None
    if node is not None and node.dep_ == "acomp":
        node = node.head
    return (
        node is not None
        and node.lemma_ == "be"
        and any(c.dep_ in ("nsubj", "expl") and c.lower_ in ("it", "there") for c in node.children)
    )


def _aside(verb: Token, in_quote: list[bool]) -> bool:
    """`The two nations, Xi said, now have a "golden opportunity"`: a verb of saying set off by commas that the
    parse hangs beside the clause it attributes (parataxis)."""
    if verb.dep_ != "parataxis" or verb.lemma_.lower() not in SPEECH_VERBS or in_quote[verb.i]:
        return False
    doc = verb.doc
    lo, hi = verb.left_edge.i, verb.right_edge.i
    lo, hi = (lo + 1 if doc[lo].text == "," else lo), (hi - 1 if doc[hi].text == "," else hi)
    edges = (lo - 1, hi + 1)  # the parse may or may not hang the commas on the verb
    return all(0 <= i < len(doc) and doc[i].text == "," for i in edges)


def _characterized_as(verb: Token, below: Token, in_quote: list[bool]) -> Cue | None:
    """`has been pounding Trump as a "con artist"`, `rated the claim as "false"`: whoever casts someone or
    something as the quoted words is using them."""
    if verb.pos_ != "VERB" or not (below.lower_ == "as" and below.dep_ == "prep" and below.head.i == verb.i):
        return None
    if not any(c.dep_ == "dobj" for c in verb.children):
        return None  # `worked as a "consultant"`: nobody is cast as anything
    subject = subject_of(verb)
    if subject is None or in_quote[subject.i] or not _can_speak(subject):
        return None
    return Cue(cue_phrase(verb), verb.idx, verb.idx + len(verb), subject)


def _saying_noun(noun: Token) -> Cue | None:
    """`Trump's claim that there have been "thousands of shootings"`: the owner of a noun of saying says the
    `that` clause it carries."""
    if noun.lemma_.lower() not in SAYING_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp")]
    if owner is None or not any(g.dep_ == "mark" and g.lower_ == "that" for c in clauses for g in c.children):
        return None
    return Cue(noun.lemma_.lower(), noun.idx, noun.idx + len(noun), owner)


def _message_reports(verb: Token) -> bool:
    """`A report released last year found that ...`, `"...," the article read`: a report, a letter or a
    statement speaks through whatever verb gives its content, and through `read`."""
    children = list(verb.children)
    by_message = any(c.dep_ == "nsubj" and c.lemma_.lower() in MESSAGE_NOUNS for c in children)
    return by_message and (verb.lemma_ == "read" or any(c.dep_ == "ccomp" for c in children))


def _message_named(verb: Token) -> Token | None:
    """`"..." That was the message from Senator X.`: a sentence pointing back at the words as someone's
    message (statement, remarks, ...); returns the message noun, which names its owner."""
    if verb.lemma_ != "be":
        return None
    children = list(verb.children)
    if not any(c.dep_ == "nsubj" and c.lower_ in ("that", "this", "it", "those", "these") for c in children):
        return None
    for attr in (c for c in children if c.dep_ == "attr" and c.lemma_.lower() in MESSAGE_NOUNS):
        if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("from", "by", "of")) for c in attr.children):
            return attr
    return None


def _as_put_it(verb: Token) -> bool:
    """`..., as the report put it`, `"..." is how she put it`: the idiom that attributes the words next to it."""
    children = list(verb.children)
    return (
        verb.lemma_.lower() == "put"
        and any(c.dep_ == "dobj" and c.lower_ == "it" for c in children)
        and any(c.lower_ in ("as", "how") and c.dep_ in ("mark", "advmod") for c in children)
    )


def _subject_by_position(verb: Token, in_quote: list[bool]) -> Token | None:
    """When the parse misses the subject of a cue next to a quote (`"...," Tulsa police Chief Chuck
    Jordan said`, `"...," said James Acton`), the names written between the quote and the verb, or
    right after a verb that follows the closing mark. A bracket after a name (`Rep. X (D-Md.)`) is
    passed over."""
    doc = verb.doc
    i = verb.i - 1
    skipped: set[int] = set()
    while i >= 0 and not in_quote[i] and verb.i - i <= 12:
        if doc[i].text == ")":
            opening = next((j for j in range(i - 1, max(-1, i - 8), -1) if doc[j].text == "("), None)
            if opening is None:
                break
            skipped.update(range(opening, i + 1))
            i = opening - 1
            continue
        if doc[i].is_punct:
            break
        i -= 1
    if i >= 0 and in_quote[i] and i < verb.i - 1:
        names = [t for t in doc[i + 1 : verb.i] if t.pos_ in ("PROPN", "NOUN", "PRON") and t.i not in skipped]
        if names:
            return names[-1]
    if verb.i > 0 and (in_quote[verb.i - 1] or (verb.i > 1 and doc[verb.i - 1].text == "," and in_quote[verb.i - 2])):
        run: list[Token] = []
        for t in doc[verb.i + 1 : verb.i + 9]:
            if t.pos_ in ("PROPN", "NOUN") and t.ent_type_ not in ("DATE", "TIME"):
                run.append(t)
            elif run or t.is_punct:
                break
        if run:
            return run[-1]
    return None


def _name_before_apposition(verb: Token, in_quote: list[bool]) -> Token | None:
    """`Marc Morial, the chief executive of the league, forcefully told ...`, parsed without a subject:
    the person named right before the comma-enclosed description that precedes the verb, or named in it
    (`her senior adviser, Jake Sullivan, said`)."""
    doc = verb.doc
    i = _before_adverbs(verb)
    if i < 0 or doc[i].text != ",":
        return None
    opening = next((j for j in range(i - 1, max(-1, i - 15), -1) if doc[j].text == ","), None)
    if opening is None or opening == 0:
        return None
    between = doc[opening + 1 : i]
    if len(between) and all(t.ent_type_ == "PERSON" for t in between) and not in_quote[between[-1].i]:
        return between[-1]
    name = doc[opening - 1]
    if name.ent_type_ == "PERSON" and not in_quote[name.i] and name.sent.start == verb.sent.start:
        return name
    return None


def _phrase_right_before(verb: Token, in_quote: list[bool]) -> Token | None:
    """`..., a White House official who spoke anonymously to discuss strategy said Wednesday, "..."`, parsed with
    the official in apposition to a word before and the verb without a subject: the one who can speak whose
    phrase ends right before the verb."""
    doc = verb.doc
    last = _before_adverbs(verb)
    if last < 0 or doc[last].is_punct or in_quote[last] or doc[last].sent.start != verb.sent.start:
        return None
    tok = doc[last]
    while tok.right_edge.i == last and tok.i < verb.i:
        if tok.pos_ in ("NOUN", "PROPN") and (_can_speak(tok) or _told_of_as_who(tok)):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _before_adverbs(verb: Token) -> int:
    """The index of the word before the verb and any adverbs right before it (`Berg, the mayor, forcefully
    told`), -1 at the document's start."""
    i = verb.i - 1
    while i >= 0 and verb.doc[i].pos_ == "ADV":
        i -= 1
    return i


def _told_of_as_who(noun: Token) -> bool:
    """`an aide who spoke anonymously`: a noun a `who` clause tells of is a person."""
    return any(c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children) for c in noun.children)


# Verbs whose passive subject, `prompted to say`, did say it (not `asked`, `told`, `allowed` or `scheduled to say`)
_MADE_TO = frozenset({"prompt", "move", "force", "compel", "spur", "lead", "inspire", "provoke"})


def _made_to(node: Token, verb: Token) -> bool:
    """`was prompted to say`, not `was not moved to say` or `was prompted not to say`."""
    negated = any(c.dep_ == "neg" for t in (node, verb) for c in t.children)
    return node.lemma_.lower() in _MADE_TO and not negated


def _active_conjunct(verb: Token, node: Token) -> bool:
    """A finite verb of its own voice conjoined to a passive one shares its subject: `was forced into X and
    said`, not `was described by Y and said to be` (a passive participle)."""
    finite = verb.tag_ in ("VBD", "VBZ", "VBP")
    return (
        verb.dep_ == "conj"
        and verb.head.i == node.i
        and finite
        and not any(c.dep_ == "nsubjpass" for c in verb.children)
    )


def cue_phrase(verb: Token) -> str:
    """`call on`, `point out`: the lemma with its particle or the preposition it takes."""
    lemma = verb.lemma_.lower()
    if _as_put_it(verb):
        return "put it"
    for child in verb.children:
        call_for = lemma == "call" and child.lower_ in ("on", "for") and child.i == verb.i + 1  # not `on Monday`
        if child.dep_ == "prt" or (child.dep_ == "prep" and call_for):
            return f"{lemma} {child.lower_}"
    return lemma


def according_to(tok: Token) -> Cue | None:
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].lower_ != "to":
        return None
    to = tok.doc[tok.i + 1]
    objs = [c for c in list(to.children) + list(tok.children) if c.dep_ == "pobj"]
    if not objs:
        return None
    return Cue("according to", tok.idx, to.idx + len(to), objs[0])


def _in_the_words_of(tok: Token) -> Cue | None:
    """`in the words of one official`, `in her words`: the idiom that attributes the clause it modifies."""
    if tok.lower_ != "words" or tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = None if of is None else next((c for c in of.children if c.dep_ == "pobj"), None)
    if owner is None:
        return None
    return Cue("in the words of", tok.head.idx, tok.idx + len(tok), owner)


def subject_of(verb: Token) -> Token | None:
    """Who does the saying: the subject, the passive agent (`described as X by Y`), or for a verb
    without its own subject (`..., saying:`, `and accused`), the subject of the verb it hangs on."""
    if _expletive_frame(verb):
        return None
    node = verb
    for _ in range(4):
        children = list(node.children)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        if agent is not None and node.i == verb.i:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            # `The workers, the chief said, were ...` parsed with two subjects: the nearer one speaks
            subject = max(subjects, key=lambda c: c.i) if all(c.i < node.i for c in subjects) else subjects[0]
            return _in_paragraph_of(subject, node)
        passive_subject = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if passive_subject is not None and node.i != verb.i and verb.dep_ in ("advcl", "pcomp"):
            return passive_subject  # `After saying X, she was taken to hospital`: she said it
        if passive_subject is not None and verb.dep_ == "xcomp" and verb.head.i == node.i and _made_to(node, verb):
            return passive_subject  # `he was prompted to say`: he said it
        if passive_subject is not None and _active_conjunct(verb, node):
            return passive_subject  # `Trump was forced into damage control and said that ...`: he said it
        if passive_subject is not None and node.lemma_ not in ("quote", "cite"):
            return _by_phrase(node)  # `described as "reckless" by X`, with `by` parsed under "reckless"
        if passive_subject is not None:
            # `The representative was quoted as saying`: the quoted one speaks; other passives do not.
            return passive_subject if node.lemma_ in ("quote", "cite") and node is not verb else None
        if node.dep_ == "acl" and node.head.lemma_.lower() in MESSAGE_NOUNS:
            return node.head  # `issued a statement calling the test "a violation"`: the statement's owner
        if node.dep_ == "acomp" and node.head.lemma_ == "be" and node.i != verb.i:
            node = node.head  # `Berg was quick to add`, `She is careful to say`: the one who is
            continue
        if node.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "prep") or node.head is node:
            return None
        node = node.head
    return None


def _in_paragraph_of(subject: Token, verb: Token) -> Token | None:
    """The parser may run a sentence on across a paragraph break (`... (all times EDT):\n\n7 p.m.\n\nDonald
    Trump is questioning`) and take a word of the paragraph before for the subject; the name it put in
    apposition on the verb's side of the break is the subject then, or there is none."""
    if not _break_between(subject, verb):
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and not _break_between(c, verb)), None)


def _break_between(a: Token, b: Token) -> bool:
    lo, hi = sorted((a, b), key=lambda t: t.i)
    return paragraph_break_between(text_of(a.doc), lo.idx, hi.idx)


def _by_phrase(verb: Token) -> Token | None:
    for tok in verb.subtree:
        if tok.i > verb.i and tok.lower_ == "by" and tok.dep_ in ("prep", "agent"):
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                return pobj
    return None
