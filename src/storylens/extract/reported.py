"""Reported speech without quotation marks: the clausal complement of a verb of saying (`the ministry said
all weapons were to be surrendered`), and its speaker."""

from __future__ import annotations

import bisect
import itertools

from spacy.tokens import Doc, Token

from storylens.extract.attribution import Cue, according_to, cue_phrase, subject_of
from storylens.extract.cues import (
    DIRECTIVE_VERBS,
    OBJECT_IS_CONTENT,
    QUOTE_VERBS,
    SPEECH_VERBS,
)
from storylens.extract.lines import line_end, line_start
from storylens.extract.quote_marks import CLOSING_MARKS
from storylens.extract.speakers import Speaker, SpeakerResolver
from storylens.model import Quote
from storylens.nlp import text_of

# A reported clause mostly made of one direct quote is that quote, not a separate `mixed` item.
MOSTLY_QUOTED = 0.7
MIN_REPORTED_TOKENS = 3
# A verb whose words span more tokens than this is a parse run on across sentences, not one report.
MAX_REPORTED_TOKENS = 250


def reported_speech(doc: Doc, direct: list[Quote], resolver: SpeakerResolver, in_quote: list[bool]) -> list[Quote]:
    """Clauses governed by a verb of saying (or `according to X`) outside quotation marks."""
    found: list[Quote] = []
    previous: Speaker | None = None
    quoted = _DirectQuotes(direct)
    given_with_quote = {q.cue_start for q in direct if q.kind == "mixed"}
    # where each cue's first direct quote ends: a cue after its quotation is a tag (`"...," she said`)
    direct_cues: dict[int, int] = {}
    for q in direct:
        if q.kind == "direct" and q.cue_start is not None:
            direct_cues[q.cue_start] = min(q.end, direct_cues.get(q.cue_start, q.end))
    for tok in doc:
        if in_quote[tok.i]:
            continue
        content: list[Token] = []
        cue: Cue | None = None
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and (
            lemma in SPEECH_VERBS or lemma in DIRECTIVE_VERBS or lemma in OBJECT_IS_CONTENT
        ):
            subject = subject_of(tok)
            content = _reported_content(tok)
            if _frames_a_quote(tok, content, direct_cues, in_quote):
                content = []
            if content and subject is not None and not in_quote[subject.i]:
                cue = Cue(cue_phrase(tok), tok.idx, tok.idx + len(tok), subject)
        else:
            cue = according_to(tok)
            if cue is not None:
                to = tok.doc[tok.i + 1]
                excluded = {tok.i} | {t.i for t in to.subtree} - _clause_taken_for_apposition(to)
                clause = tok.sent if tok.head is tok else tok.head.subtree
                content = [t for t in clause if t.i not in excluded and t.sent.start == tok.sent.start]
        content = trim_clause(within_paragraph(content, tok))
        if cue is None or len(content) < (2 if lemma in OBJECT_IS_CONTENT else MIN_REPORTED_TOKENS):
            continue
        start, end = content[0].idx, content[-1].idx + len(content[-1])
        end = _past_closing_mark(text_of(doc), end, quoted)
        if cue.start in given_with_quote:
            continue  # already given with its direct quote
        kind = _reported_kind(start, end, quoted)
        if kind is None:
            continue
        speaker = resolver.speaker(cue.speaker_token, previous)
        if speaker is None:
            continue
        previous = speaker
        found.append(
            Quote(
                text=text_of(doc)[start:end],
                start=start,
                end=end,
                kind=kind,
                speaker=speaker.text,
                speaker_start=speaker.start,
                speaker_end=speaker.end,
                cue=cue.text,
                cue_start=cue.start,
                cue_end=cue.end,
                source_start=speaker.source_start,
                source_end=speaker.source_end,
            )
        )
    return found


def _frames_a_quote(verb: Token, content: list[Token], tags: dict[int, int], in_quote: list[bool]) -> bool:
    """A clause that is itself the tag of a direct quote reports nobody's words: `"You winning?" she said,
    but ..., Melanie said yes` (the clause's verb tags the quotation before it), or `X scolded him: "...," she
    said` parsed with the lead-in under `said` (a verb of saying with its own subject, outside the marks,
    frames the quotation that `said` tags). `tags`: where each cue's first direct quote ends. A clause whose
    verb introduces a quotation after it (`Smith said the minister told him "..."`) is Smith's report."""
    if any(t.head.i == verb.i and tags.get(t.idx, t.idx + 1) <= t.idx for t in content):
        return True
    return tags.get(verb.idx, verb.idx + 1) <= verb.idx and any(
        not in_quote[t.i]
        and t.pos_ == "VERB"
        and t.lemma_.lower() in QUOTE_VERBS
        and any(c.dep_ == "nsubj" for c in t.children)
        for t in content
    )


def _past_closing_mark(text: str, end: int, direct: _DirectQuotes) -> int:
    """A reported clause that ends with the last word of a direct quote (`was "dead on arrival,"` parsed
    without its comma and mark) ends with that quote's closing mark."""
    for q in reversed(direct.overlapping(end - 1, end)):
        if q.start < end <= q.end and not text[end : q.end].strip(".,;:!?"):
            return q.end + 1 if text[q.end : q.end + 1] in CLOSING_MARKS else q.end
    return end


def _reported_content(verb: Token) -> list[Token]:
    """What a verb of saying reports: its clausal complement; the object of a speech act
    (`denied the allegation`); the object and infinitive of a directive (`urged both sides to
    return`); or, where the parser took a clause for an object (`said some 800 residents spent the
    night`), that object with its clause."""
    if verb.right_edge.i - verb.left_edge.i > MAX_REPORTED_TOKENS:
        return []  # a run-on parse (a page of `"...," she said and ...`): no clause, and no quadratic walk
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    comp = next((c for c in children if c.dep_ == "ccomp"), None)
    if comp is not None:
        return list(comp.subtree)
    obj = next((c for c in children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON")), None)
    if lemma in DIRECTIVE_VERBS:
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        if xcomp is None:
            xcomp = next((g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None)
        return [t for part in (obj, xcomp) if part is not None for t in part.subtree] if xcomp is not None else []
    if obj is not None and lemma in OBJECT_IS_CONTENT and obj.pos_ == "NOUN":
        return list(obj.subtree)
    if obj is not None and any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in obj.children):
        return list(obj.subtree) if lemma in ("say", "claim", "insist", "argue", "add", "state") else []
    return []


def _clause_taken_for_apposition(to: Token) -> set[int]:
    """`According to X, the move reeks of ...` parsed with the clause as an apposition of X: its words run
    from after the comma to the end of the sentence, and they are what X said, not part of X's name."""
    for name in (c for c in to.children if c.dep_ == "pobj"):
        for appos in (c for c in name.children if c.dep_ == "appos"):
            words = list(appos.subtree)
            sentence_end = max(t.i for t in appos.sent if not (t.is_punct or t.is_space))
            if to.doc[words[0].i - 1].text == "," and words[-1].i >= sentence_end:
                return {t.i for t in words}
    return set()


def within_paragraph(tokens: list[Token], anchor: Token) -> list[Token]:
    """What a cue reports stays in its paragraph, however the parser joined paragraphs."""
    text = text_of(anchor.doc)
    start, end = line_start(text, anchor.idx), line_end(text, anchor.idx)
    return [t for t in tokens if start <= t.idx < end]


def trim_clause(tokens: list[Token]) -> list[Token]:
    """The reported words only: no complementizer `that`, no punctuation at the edges."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("mark", "cc") and tokens[0].lower_ == "that"):
        tokens = tokens[1:]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "cc"):
        tokens = tokens[1:]
    while tokens and ((tokens[-1].is_punct and not tokens[-1].is_quote) or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


class _DirectQuotes:
    """The direct quotes in text order, to find those a clause overlaps without a pass over all of them (an
    article of thousands of quotes stays linear)."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = sorted((q for q in quotes if q.kind == "direct"), key=lambda q: q.start)
        self.starts = [q.start for q in self.quotes]
        self.reach = list(itertools.accumulate((q.end for q in self.quotes), max))

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotes starting before `end` and ending after `start`, the last first."""
        found = []
        k = bisect.bisect_left(self.starts, end) - 1
        while k >= 0 and self.reach[k] > start:
            if self.quotes[k].end > start:
                found.append(self.quotes[k])
            k -= 1
        return found


def _reported_kind(start: int, end: int, direct: _DirectQuotes) -> str | None:
    """`indirect`, `mixed` when the clause contains quoted words, None when it is just a direct quote."""
    covered = sum(min(end, q.end) - max(start, q.start) for q in direct.overlapping(start, end))
    if covered == 0:
        return "indirect"
    return None if covered >= MOSTLY_QUOTED * (end - start) else "mixed"
