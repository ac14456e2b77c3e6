"""Who a subject refers to: the noun phrase a reader would name, with pronouns resolved.

No coreference model is available offline, so pronouns are resolved the classic way (Hobbs-like
recency over the parse): the nearest earlier person mention outside quotation marks, preferring the
subject of a preceding sentence, with gender from titles (Mr, Ms, ...) and from earlier pronouns.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from storylens.extract.cues import (
    CALENDAR_WORDS,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    MALE_PRONOUNS,
    MALE_TITLES,
    MESSAGE_NOUNS,
    NEUTER_PRONOUNS,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    speech_lemma,
)
from storylens.extract.lines import paragraph_break_between
from storylens.nlp import text_of

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
NOMINAL_TAGS = ("PROPN", "NOUN", "PRON", "NUM", "ADJ", "X")
NAMED = ("PERSON", "ORG", "NORP", "GPE")
PERSONAL_POSSESSIVES = ("his", "her", "their", "its")
NP_RIGHT_DEPS = ("compound", "flat", "nmod", "prep", "nummod", "case", "cc", "conj", "pobj", "appos")
LOOKBACK_SENTENCES = 6


@dataclass
class Speaker:
    """`text`/`start`/`end`: the name a reader would give (offsets of that mention in the text);
    `source_start`/`source_end`: the words in this attribution that point at the speaker."""

    text: str
    start: int
    end: int
    source_start: int
    source_end: int
    head: Token

    def __post_init__(self) -> None:
        self.text = " ".join(self.text.split())  # a name hard-wrapped in the text (`Dana\nEllis`) reads as one


@dataclass
class _Person:
    key: str  # surname, lowercased: the token that later mentions repeat
    token: Token
    is_subject: bool


@dataclass
class SpeakerResolver:
    """Per-document index of person mentions, built once and used for every attribution."""

    doc: Doc
    quoted: list[tuple[int, int]]  # character spans inside quotation marks
    persons: list[_Person] = field(default_factory=list)
    fullest: dict[str, Span] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    sents: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sents = list(self.doc.sents)
        self.quoted = sorted(self.quoted)
        self._quote_starts = [start for start, _ in self.quoted]
        self._reach = list(itertools.accumulate((end for _, end in self.quoted), max))
        keys: set[str] = set()
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and not self._in_quote(ent.start_char):
                name = _strip_titles(ent)
                if name is not None:
                    self._note_name(name)
                    keys.add(name[-1].lower_)
        for tok in self.doc:
            if tok.pos_ == "PROPN" and _titled(tok) and not self._in_quote(tok.idx):
                keys.add(tok.lower_)
        for tok in self.doc:
            if tok.lower_ in keys and tok.pos_ == "PROPN" and not self._in_quote(tok.idx):
                # only the last token of a name: "Nikol Pashinyan" is one mention, not two
                if tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ in keys:
                    continue
                self.persons.append(_Person(tok.lower_, tok, _subject_like(tok)))
                title_gender = _title_gender(tok)
                if title_gender:
                    self.gender.setdefault(tok.lower_, title_gender)
        # persons come in text order: a pronoun's candidates are found by bisection, not a pass over all of them
        self._person_at = [p.token.i for p in self.persons]
        self._sent_index = {sent.start: i for i, sent in enumerate(self.sents)}

    def _in_quote(self, char: int) -> bool:
        # inside a span iff the furthest end among the spans starting at or before `char` lies beyond it
        k = bisect.bisect_right(self._quote_starts, char) - 1
        return k >= 0 and char < self._reach[k]

    def _note_name(self, name: Span) -> None:
        key = name[-1].lower_
        best = self.fullest.get(key)
        if best is None or len(name.text) > len(best.text):
            self.fullest[key] = name

    def _mistagged_name(self, tok: Token) -> bool:
        """A word the tagger took for a verb or an adverb that the article names as a person elsewhere (`said
        Skelly`), or a subject that is a named entity (`Trump openly admires ...`)."""
        if not tok.is_title:
            return False
        return tok.lower_ in self.fullest or (tok.dep_ in SUBJECTS and tok.ent_type_ in NAMED) or named_modal(tok)

    def is_person(self, tok: Token) -> bool:
        return tok.lower_ in self.fullest or _titled(tok) or tok.ent_type_ == "PERSON"

    # -- the speaker of a cue --------------------------------------------------------------------

    def speaker(self, head: Token, previous: Speaker | None = None) -> Speaker | None:
        """The speaker that `head` (a subject, agent or `according to` object) refers to."""
        if head.tag_ in ("WP", "WDT"):
            if head.head.dep_ != "relcl":
                return self._relative_speaker(head, previous)
            head = head.head.head
        if head.lemma_.lower() in MESSAGE_NOUNS:
            owner = _message_owner(head)
            if owner is not None:
                head = owner
        head = _named_in_apposition(head)
        low = head.lower_
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            return self._resolve_person_pronoun(head, previous)
        if (described := described_by_age(head)) is not None:
            return self._resolve_description(described)
        if low in PLURAL_PRONOUNS or low in NEUTER_PRONOUNS:
            return self._resolve_other_pronoun(head, previous)
        if low == "you" or not (head.pos_ in NOMINAL_TAGS or self._mistagged_name(head)):
            return None
        span = noun_phrase(head)
        if len(span) == 1 and head.lower_ in self.fullest:  # a bare surname: name the person fully
            full = self.fullest[head.lower_]
            return Speaker(full.text, full.start_char, full.end_char, span.start_char, span.end_char, head)
        return Speaker(span.text, span.start_char, span.end_char, span.start_char, span.end_char, head)

    def _relative_speaker(self, pronoun: Token, previous: Speaker | None) -> Speaker | None:
        """`the Department which reported ...` with the clause parsed onto the main verb: the noun right before
        `which` is the speaker, and the pronoun stays the word that points at it."""
        before = pronoun.doc[pronoun.i - 1] if pronoun.i > 0 else None
        if before is not None and before.text == "," and before.i > 0:
            before = pronoun.doc[before.i - 1]
        if before is None or before.pos_ not in ("NOUN", "PROPN"):
            return None
        found = self.speaker(before, previous)
        end = pronoun.idx + len(pronoun)
        return None if found is None else replace(found, source_start=pronoun.idx, source_end=end)

    def _resolve_person_pronoun(self, pron: Token, previous: Speaker | None) -> Speaker:
        want = "m" if pron.lower_ in MALE_PRONOUNS else "f"
        found = self._antecedent(pron, want)
        if found is None:
            return Speaker(pron.text, pron.idx, pron.idx + len(pron), pron.idx, pron.idx + len(pron), pron)
        self.gender.setdefault(found.key, want)
        full = self.fullest.get(found.key)
        span = full if full is not None else noun_phrase(found.token)
        return Speaker(span.text, span.start_char, span.end_char, pron.idx, pron.idx + len(pron), found.token)

    def _resolve_description(self, description: Span) -> Speaker:
        """`the 71-year-old`: the person last named before, of either gender; the description points at them."""
        found = self._antecedent(description.root, None)
        span = description if found is None else self.fullest.get(found.key) or noun_phrase(found.token)
        start, end = description.start_char, description.end_char
        return Speaker(
            span.text, span.start_char, span.end_char, start, end, found.token if found else description.root
        )

    def _antecedent(self, pron: Token, want: str | None) -> _Person | None:
        """Nearest compatible person: earlier in the same sentence, else the subject of the closest
        preceding sentence that has one; a person known to have the pronoun's gender goes first."""
        sent_start = pron.sent.start
        sents = self.sents
        index = self._sent_index[sent_start]
        windows = [(sent_start, pron.i)] + [
            (s.start, s.end) for s in reversed(sents[max(0, index - LOOKBACK_SENTENCES) : index])
        ]
        for number, (start, end) in enumerate(windows):
            inside = [p for p in self._persons_between(start, end) if self._may_be(p, want)]
            known = [p for p in inside if want is not None and self.gender.get(p.key) == want]
            for group in (known, inside):
                if not group:
                    continue
                subjects = [p for p in group if p.is_subject]
                if number == 0:
                    return group[-1]
                return subjects[0] if subjects else group[-1]
        for k in range(bisect.bisect_left(self._person_at, pron.i) - 1, -1, -1):
            if self._may_be(self.persons[k], want):
                return self.persons[k]
        return None

    def _may_be(self, person: _Person, want: str | None) -> bool:
        """Whether the person may be of gender `want` (any, for None)."""
        return want is None or self.gender.get(person.key, want) == want

    def _persons_between(self, start: int, end: int) -> list[_Person]:
        return self.persons[bisect.bisect_left(self._person_at, start) : bisect.bisect_left(self._person_at, end)]

    def _resolve_other_pronoun(self, pron: Token, previous: Speaker | None) -> Speaker:
        """they/it: the nearest earlier subject that is not a person and agrees in number
        (`The ministry said ... It added`), searched like a person's antecedent."""
        plural = pron.lower_ in PLURAL_PRONOUNS
        sents = self.sents
        index = self._sent_index[pron.sent.start]
        for sent in [pron.sent] + list(reversed(sents[max(0, index - 3) : index])):
            for tok in reversed([t for t in sent if t.i < pron.i and t.dep_ in SUBJECTS]):
                if tok.pos_ not in ("NOUN", "PROPN") or self._in_quote(tok.idx) or self.is_person(tok):
                    continue
                if _is_plural(tok) == plural:
                    span = noun_phrase(tok)
                    return Speaker(span.text, span.start_char, span.end_char, pron.idx, pron.idx + len(pron), tok)
        return Speaker(pron.text, pron.idx, pron.idx + len(pron), pron.idx, pron.idx + len(pron), pron)


def described_by_age(head: Token) -> Span | None:
    """`the 71-year-old` (nothing after `old`): a person named by age alone, as a span from `the`; the parser may
    read it as a clause (`the 71-year-old asked`)."""
    doc = head.doc
    if head.lower_ != "old" or head.i + 1 < len(doc) and doc[head.i + 1].pos_ in ("NOUN", "PROPN"):
        return None
    start = head.i
    while start > 0 and (doc[start - 1].is_digit or doc[start - 1].lower_ in ("-", "year")):
        start -= 1
    if [t.lower_ for t in doc[start : head.i + 1]][-4:] != ["-", "year", "-", "old"] or not doc[start].is_digit:
        return None
    return doc[start - 1 : head.i + 1] if start > 0 and doc[start - 1].lower_ == "the" else doc[start : head.i + 1]


def _is_plural(tok: Token) -> bool:
    return tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)


def named_modal(tok: Token) -> bool:
    """`"...," May said`, `Will wrote`: a modal in capitals that does not open its sentence is a name the tagger
    took for a modal."""
    return tok.tag_ == "MD" and tok.is_title and not tok.is_sent_start


def noun_phrase(head: Token) -> Span:
    """The subject's noun phrase without trailing clauses: 'An American official, speaking ...' ->
    'An American official'; keeps titles, possessives, 'of'/'in' phrases and coordinated names."""
    doc = head.doc
    left = head.left_edge.i
    for tok in doc[left : head.i]:  # a comma or bracket on the left starts a separate phrase
        if _ends_phrase_before(tok):
            left = tok.i + 1
    right = head.i
    for child in head.rights:
        between = doc[right + 1 : child.i]
        if child.dep_ not in NP_RIGHT_DEPS or any(t.text in (",", "(", "—", ";") for t in between):
            break
        if paragraph_break_between(text_of(doc), doc[right].idx, child.right_edge.idx) or _says_when(child):
            break
        if any(t.is_quote for t in doc[child.i : child.right_edge.i + 1]):
            break  # a clause the parse hung on the name that runs into a quotation is not the name
        right = child.right_edge.i if child.dep_ != "cc" else child.i
    while right > head.i and (doc[right].is_punct or doc[right].dep_ in ("cc", "case")):
        right -= 1  # nor a possessive ending: `Trump's claim` is said by Trump
    while left < head.i and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    return doc[left : right + 1]


def _says_when(child: Token) -> bool:
    """`on Monday`, `in March`: a time the parser hung on the name (`said Dana Ellis on Monday`)."""
    return child.dep_ == "prep" and any(t.dep_ == "pobj" and t.ent_type_ in ("DATE", "TIME") for t in child.children)


def _ends_phrase_before(tok: Token) -> bool:
    """Punctuation, a blank line (a name does not run on across paragraphs), or a verb of saying put first
    (`Said Ellis:` parsed as one name): the name begins after it."""
    punctuation = tok.text in (",", "(", "—", "–", ";", ":") or (tok.is_quote and tok.dep_ != "case")
    blank_line = tok.is_space and tok.text.count("\n") > 1
    return punctuation or blank_line or _verb_put_first(tok)


def _verb_put_first(tok: Token) -> bool:
    """A verb of saying that opens its sentence (`Said Ellis:`), which the parser may take into the name; a
    verb inside the phrase stays (`the newly elected mayor`)."""
    opens = tok.i == 0 or tok.doc[tok.i - 1].is_space or tok.doc[tok.i - 1].text in (".", "!", "?")
    return opens and tok.is_title and (tok.pos_ == "VERB" or speech_lemma(tok.text) is not None)


def _named_in_apposition(head: Token) -> Token:
    """`a resident, Lea Brun, said`: the name a common noun stands beside is the speaker's name."""
    if head.pos_ != "NOUN":
        return head
    named = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    return named if named is not None else head


def _message_owner(noun: Token) -> Token | None:
    """'A statement by Azerbaijan's Presidency' -> Presidency; 'the ministry's statement' -> ministry;
    'the ministry issued a statement' -> ministry."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
        if child.dep_ == "poss" and (child.pos_ in ("PROPN", "NOUN") or child.lower_ in PERSONAL_POSSESSIVES):
            return child  # `her statement`: she, resolved like any pronoun
    if noun.dep_ == "dobj":  # `the council issued a statement`: who issued it
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return None


def _strip_titles(ent: Span) -> Span | None:
    """The name without titles before it, nor a verb put first (`Said Ellis:`), nor a day or month the
    recognizer ran on into (`Smith Wednesday`)."""
    start, end = ent.start, ent.end
    while start < end and (
        ent.doc[start].lower_.rstrip(".") in PERSON_TITLES
        or not ent.doc[start].is_title
        or _verb_put_first(ent.doc[start])
    ):
        start += 1
    while end > start and ent.doc[end - 1].lower_.rstrip(".") in CALENDAR_WORDS:
        end -= 1
    return ent.doc[start:end] if start < end else None


def _titled(tok: Token) -> bool:
    """A proper noun introduced by a title: 'Mr. Smith', 'President Recep Tayyip Erdogan'."""
    if tok.lower_ in CALENDAR_WORDS or tok.ent_type_ in ("DATE", "TIME"):
        return False  # `General Smith Wednesday`: a day after the name
    i = tok.i - 1
    while i >= 0 and tok.doc[i].pos_ == "PROPN" and i > tok.i - 4:
        if tok.doc[i].lower_.rstrip(".") in PERSON_TITLES:
            return True
        i -= 1
    return i >= 0 and tok.doc[i].lower_.rstrip(".") in PERSON_TITLES


def _title_gender(tok: Token) -> str | None:
    for prev in tok.doc[max(0, tok.i - 3) : tok.i]:
        if prev.lower_ in MALE_TITLES:
            return "m"
        if prev.lower_ in FEMALE_TITLES:
            return "f"
    return None


def _subject_like(tok: Token) -> bool:
    """The name heads (or sits in the compound chain of) a clause subject."""
    while tok.dep_ in ("compound", "flat", "appos") and tok.head is not tok:
        tok = tok.head
    return tok.dep_ in SUBJECTS
