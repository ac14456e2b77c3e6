"""Quotes and their speakers, found with rules over the dependency parse.

The approach of textacy's `direct_quotations`, Citron and GenderGapTracker: find quotation marks
in the text, then attach each quoted span to a reporting verb (the cue) by walking up the parse from
the quoted words; the cue's subject (or passive agent, or the object of `according to`) is the
speaker, resolved through pronouns by `speakers.SpeakerResolver`. A quote paragraph with no cue
continues the previous speaker. Reported speech without marks is the clausal complement of a verb
of saying (`the ministry said all weapons were to be surrendered`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storylens.extract.cues import (
    DIRECTIVE_VERBS,
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    MESSAGE_NOUNS,
    OBJECT_IS_CONTENT,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    QUOTE_VERBS,
    SPEECH_VERBS,
)
from storylens.extract.lines import speaker_line
from storylens.extract.speakers import Speaker, SpeakerResolver
from storylens.extract.terms import NOUN_MODIFIER_DEPS, is_quoted_term, is_title_or_name
from storylens.model import Quote
from storylens.nlp import text_of

# Verbs in the parse that a quote may climb through to reach its cue (not across other speakers).
WALK_UP_LIMIT = 8
# A cue-less quote continues the previous speaker only if it looks like speech, not a scare quote.
FLOATING_MIN_WORDS = 4
# A reported clause mostly made of one direct quote is that quote, not a separate `mixed` item.
MOSTLY_QUOTED = 0.7
MIN_REPORTED_TOKENS = 3
# Punctuation that opens the writer's aside after a partial quote.
ASIDE_MARKS = frozenset({"-", "\u2013", "\u2014", "--", ";", "("})
# Characters between the halves of a split quote: `"A," said the minister of finance, "B."`
SPLIT_GAP = 80


@dataclass
class Cue:
    text: str  # lemma or phrase: "say", "call on", "according to"
    start: int
    end: int
    speaker_token: Token | None  # None only for the second half of a split quote
    depth: int | None = None  # parse edges from the quoted words up to the cue; None if found by position
    via: str | None = None  # the relation of the quoted words to the word above them


def extract_quotes(doc: Doc) -> list[Quote]:
    """Direct quotes (with speakers) and reported speech in one parsed article, in text order."""
    text = text_of(doc)
    marked = find_quoted_spans(text)
    resolver = SpeakerResolver(doc, [(s.start, s.end) for s in marked])
    in_quote = _quoted_token_mask(doc, [(s.open_start, s.close_end) for s in marked])
    # titles and names in quotation marks are words of their sentence, not quotations
    spans = [
        s for s in marked if _introduced(text, s) or not is_title_or_name(s.text(text), opens_mid_sentence(text, s))
    ]
    in_speech = _quoted_token_mask(doc, [(s.open_start, s.close_end) for s in spans])
    direct = _direct_quotes(doc, spans, resolver, (in_quote, in_speech))
    reported = _reported_speech(doc, direct, resolver, in_quote)
    return sorted(direct + reported, key=lambda q: (q.start, q.kind))


# -- quotation marks -------------------------------------------------------------------------------

DOUBLE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u2039": "\u203a"}  # “ „ « ‹
SINGLE_OPEN = {"\u2018": "\u2019", "'": "'"}  # ‘ '
CLOSING_MARKS = frozenset("\"\u201d\u2019\u00bb\u203a'")
MAX_SINGLE_QUOTE = 400  # a single-quoted passage longer than this is more likely apostrophes


@dataclass
class QuotedSpan:
    """The words between a pair of quotation marks: content [start, end), marks included [open_start, close_end)."""

    open_start: int
    start: int
    end: int
    close_end: int
    paragraph: int
    starts_paragraph: bool
    open_to_paragraph_end: bool = False  # no closing mark: the quotation goes on in the next paragraph
    term: bool = False  # a quoted term, not speech (see `terms`)

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pairs of quotation marks in every common style, paragraph by paragraph.

    A quote still open at the end of its paragraph runs to that end: the news convention for a
    quotation continued in the next paragraph, which reopens the marks without closing them.
    Straight double quotes open after a space or bracket and close otherwise. Single quotes count
    only outside double quotes, opening before a letter and closing where an apostrophe could not.
    """
    spans: list[QuotedSpan] = []
    offset, number = 0, 0
    for paragraph in text.split("\n"):
        if paragraph.strip():  # blank lines do not count: paragraphs 3 and 4 are neighbours
            spans.extend(_spans_in_paragraph(paragraph, offset, number))
            number += 1
        offset += len(paragraph) + 1
    return spans


def _spans_in_paragraph(par: str, offset: int, number: int) -> list[QuotedSpan]:
    found: list[QuotedSpan] = []
    opened: tuple[int, str] | None = None  # (index of the opening mark, the marks that close it)
    i = 0
    while i < len(par):
        ch = par[i]
        before = par[i - 1] if i else " "
        after = par[i + 1] if i + 1 < len(par) else " "
        if opened is None:
            if ch in DOUBLE_OPEN:
                opened = (i, DOUBLE_OPEN[ch])
            elif ch == '"' and (before.isspace() or before in "([{\u2014\u2013-/" or i == 0):
                opened = (i, '"\u201d')
            elif ch in SINGLE_OPEN and (before.isspace() or before in "([{\u2014\u2013") and after.isalnum():
                close = _single_close(par, i + 1, SINGLE_OPEN[ch])
                if close is not None:
                    found.append(_span(par, offset, number, i, close))
                    i = close + 1
                    continue
        elif ch in opened[1] or (ch == '"' and '"' in opened[1]):
            found.append(_span(par, offset, number, opened[0], i))
            opened = None
        elif ch in DOUBLE_OPEN and ch not in opened[1]:
            opened = (i, DOUBLE_OPEN[ch])  # an unclosed mark followed by a new quote: restart here
        i += 1
    if opened is not None:
        end = len(par.rstrip())
        found.append(_span(par, offset, number, opened[0], end))
        found[-1].open_to_paragraph_end = True
        found[-1].close_end = offset + end
    return [s for s in found if s.end > s.start]


def _single_close(par: str, start: int, closers: str) -> int | None:
    for j in range(start, min(len(par), start + MAX_SINGLE_QUOTE)):
        if par[j] in closers and (j + 1 == len(par) or not par[j + 1].isalnum()) and par[j - 1] != " ":
            return j
    return None


def _span(par: str, offset: int, number: int, open_at: int, close_at: int) -> QuotedSpan:
    """Content without the marks and without surrounding spaces."""
    start, end = open_at + 1, close_at
    while start < end and par[start].isspace():
        start += 1
    while end > start and par[end - 1].isspace():
        end -= 1
    close_end = min(close_at + 1, len(par))
    return QuotedSpan(
        offset + open_at, offset + start, offset + end, offset + close_end, number, not par[:open_at].strip()
    )


# -- direct quotes ---------------------------------------------------------------------------------


def _direct_quotes(
    doc: Doc, spans: list[QuotedSpan], resolver: SpeakerResolver, masks: tuple[list[bool], list[bool]]
) -> list[Quote]:
    """`masks`: which tokens stand inside any quotation marks, and which inside a quotation that
    may be speech (not a title or a name)."""
    quotes: list[Quote] = []
    previous: tuple[Quote, Speaker, QuotedSpan] | None = None  # last attributed quote, its speaker, its marks
    in_quote = masks[0]
    cues = _chain_cues(doc, spans, masks)
    for span, cue in zip(spans, cues, strict=True):
        if span.term or (cue is None and span.paragraph == -1):
            continue
        speaker = resolver.speaker(cue.speaker_token, previous[1] if previous else None) if cue else None
        if cue is not None and speaker is not None:
            quote = _quote(doc, span, "direct", speaker, cue)
            for mixed in _argument_with_quote(doc, span, cue, speaker, quote):
                _add_mixed(quotes, mixed)
        elif (on_line := _speaker_on_line(doc, span)) is not None:
            speaker, quote = on_line
        elif (reported := _reported_just_before(doc, span, in_quote)) is not None:
            speaker = resolver.speaker(reported.speaker_token, previous[1] if previous else None)
            if speaker is None:
                continue
            quote = _quote(doc, span, "direct", speaker, reported)
        elif previous is not None and _continues(doc, span, previous[0], previous[2]):
            speaker = previous[1]
            split = previous[0].cue_start is not None and span.open_start - previous[2].close_end <= SPLIT_GAP
            quote = _quote(doc, span, "direct", speaker, _previous_cue(previous[0]) if split else None)
        else:
            continue  # a scare quote, a title or a term: nobody is said to say it
        quotes.append(quote)
        previous = (quote, speaker, span)
    return quotes


def _add_mixed(quotes: list[Quote], mixed: Quote) -> None:
    """Two partial quotes in one reported clause (`that there are "some" who do, "but not many"`) give
    that clause once, as far as it reaches."""
    same = next(
        (q for q in quotes if q.kind == "mixed" and (q.cue_start, q.start) == (mixed.cue_start, mixed.start)), None
    )
    if same is None:
        quotes.append(mixed)
    elif mixed.end > same.end:
        same.end, same.text = mixed.end, mixed.text


def _chain_cues(doc: Doc, spans: list[QuotedSpan], masks: tuple[list[bool], list[bool]]) -> list[Cue | None]:
    """The cue of each quoted span. A quotation carried over several paragraphs (left open at each
    paragraph's end) is one quotation: when only a later part names its cue, every part gets it."""
    cues: list[Cue | None] = []
    text = text_of(doc)
    for span in spans:
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        ok = tokens is not None and any(t.is_alpha for t in tokens)
        cue = _cue_for(doc, tokens.start, tokens.end, masks, span) if ok else None
        cue = _nearer_saying(doc, cue, span, masks[0]) if cue is not None else None
        if not ok:
            span.paragraph = -1  # nothing to attribute
        elif is_quoted_term(span.text(text), opens_mid_sentence(text, span), cue and cue.depth, cue and cue.via):
            span.term, cue = True, None
        cues.append(cue)
    chain: list[int] = []
    for i, span in enumerate(spans):
        chain.append(i)
        carried_on = span.open_to_paragraph_end and i + 1 < len(spans) and spans[i + 1].starts_paragraph
        if not carried_on:
            later = next((cues[j] for j in reversed(chain) if cues[j] is not None), None)
            for j in chain:
                if cues[j] is None and j != chain[-1]:
                    cues[j] = later
            chain = []
    return cues


def _introduced(text: str, span: QuotedSpan) -> bool:
    """A colon right before the quotation introduces words said (`Her message was simple: "Show Up."`),
    whatever their capitals."""
    return text[: span.open_start].rstrip().endswith(":")


def opens_mid_sentence(text: str, span: QuotedSpan) -> bool:
    """The quotation opens after words of its sentence, not at a paragraph's or sentence's start."""
    before = text[text.rfind("\n", 0, span.open_start) + 1 : span.open_start].rstrip()
    before = before.rstrip("\"\u201d\u2019'")
    return bool(before) and before[-1] not in ".!?:;"


def _continues(doc: Doc, span: QuotedSpan, previous: Quote, previous_span: QuotedSpan) -> bool:
    """A quote with no cue of its own goes on with the previous speaker when it is the second half
    of a split quote (`"A," he said, "B."`) or speech-like (long, starts like a sentence) right after."""
    if span.paragraph == previous_span.paragraph and span.open_start - previous_span.close_end <= SPLIT_GAP:
        gap = text_of(doc)[previous_span.close_end : span.open_start]
        if previous.cue_start is not None and previous_span.close_end <= previous.cue_start < span.open_start:
            return True
        if gap.strip() in ("", ",", ";", "...", "\u2026"):
            return True
    content = text_of(doc)[span.start : span.end]
    n_words = len(content.split())
    starts_sentence = content[:1].isupper() or span.starts_paragraph
    return n_words >= FLOATING_MIN_WORDS and starts_sentence and span.paragraph - previous_span.paragraph <= 1


def _speaker_on_line(doc: Doc, span: QuotedSpan) -> tuple[Speaker, Quote] | None:
    """A quotation whose speaker is named on a line of its own or after a dash (see `lines`); a colon
    ending the name line, or the dash, is its cue."""
    found = speaker_line(doc, span.open_start, span.close_end)
    if found is None:
        return None
    name, mark = found
    speaker = Speaker(name.text, name.start_char, name.end_char, name.start_char, name.end_char, name.root)
    cue = Cue(text_of(doc)[mark], mark, mark + 1, name.root) if mark is not None else None
    quote = _quote(doc, span, "direct", speaker, cue)
    quote.source_start, quote.source_end = name.start_char, name.end_char
    return speaker, quote


def _reported_just_before(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    """`..., Schiff said. "The other factor is ..."`: a speech-like quotation right after a sentence of
    reported speech, or one that tells of someone's words (`She kept her remarks short.`), in its
    paragraph or at the end of the one before, goes on with that speaker. The parser may run that
    sentence on into the quotation, so it is cut at the opening mark."""
    text = text_of(doc)
    content = text[span.start : span.end]
    if len(content.split()) < FLOATING_MIN_WORDS or not (content[:1].isupper() or span.starts_paragraph):
        return None
    before = text[: span.open_start].rstrip()
    if not before or before[-1] not in ".!?":
        return None
    last = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if last is None:
        return None
    sent = [t for t in last[0].sent if t.idx < span.open_start]
    quoting = any(in_quote[t.i] for t in sent)  # then only a verb telling of words, outside the marks, counts
    verbs = [
        t
        for t in sent
        if t.pos_ == "VERB"
        and not in_quote[t.i]
        and ((_reports_clause(t) and not quoting) or _tells_of_words(t))
        and not any(c.dep_ == "neg" for c in t.children)  # `He didn't suggest retaliation.` reports nothing
    ]
    if not verbs:
        return None
    cut = {t.i for t in sent}
    heads = [v for v in verbs if v.head.i not in cut or v.head.i == v.i]  # `Smith said Jones told ...`: Smith
    verb = (heads or verbs)[-1]
    if _reports_clause(verb):
        return _verb_cue(verb, in_quote)
    subject = _subject(verb)
    if subject is None or in_quote[subject.i]:
        return None
    return Cue(verb.lemma_.lower(), verb.idx, verb.idx + len(verb), subject)


def _reports_clause(verb: Token) -> bool:
    return verb.lemma_.lower() in SPEECH_VERBS and any(c.dep_ == "ccomp" for c in verb.children)


def _tells_of_words(verb: Token) -> bool:
    """`She kept her remarks short`, `The ministry issued a statement`: a verb whose object is a message."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in MESSAGE_NOUNS for c in verb.children)


def _previous_cue(quote: Quote) -> Cue | None:
    return None if quote.cue is None else Cue(quote.cue, quote.cue_start or 0, quote.cue_end or 0, None)


def _argument_with_quote(doc: Doc, span: QuotedSpan, cue: Cue, speaker: Speaker, quote: Quote) -> list[Quote]:
    """`called half of Trump's supporters "deplorables"`: the cue's words around a partial quote, as
    a `mixed` item, so that a reader sees what the quoted words were said about."""
    verb = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if verb is None or len(verb) != 1 or cue.start > span.start or cue.text == "put it":
        return []
    if text_of(doc)[cue.end : span.open_start].rstrip().endswith(":"):
        return []  # `told parliament: "..."`: a whole quotation, introduced, not words inside a clause
    verb = verb[0]
    frame = _parenthetical_frame(doc, span, verb, speaker, cue)
    if frame:
        return frame
    args = [c for c in verb.rights if c.dep_ in ("dobj", "dative", "oprd", "ccomp", "xcomp", "prep", "attr", "acomp")]
    covering = [c for c in args if c.left_edge.idx < span.end and c.right_edge.idx >= span.start]
    if not covering:
        return []
    reach = covering[0]
    later = [c for c in args if c.i > reach.i]
    if later and reach.right_edge.dep_ == "cc":  # `said "reforms" and taxes would pay`: the parse cut a coordination
        reach = later[0]
    # a reported clause is what was said; `in a statement` or `told reporters` before it is not
    said = {covering[0].i, reach.i}
    tokens = [t for c in args if c.i <= reach.i and (c.i in said or reach.dep_ != "ccomp") for t in c.subtree]
    if " " in cue.text:  # `call for X`: the preposition belongs to the cue, not to what was said
        tokens = [t for t in tokens if not (t.dep_ == "prep" and t.head == verb and cue.text.endswith(t.lower_))]
    tokens = sorted(_within_paragraph(tokens, verb), key=lambda t: t.i)
    # an aside after the quote (`"burning the Constitution" - a charge that stung`) is the writer's
    aside = next((t.i for t in tokens if t.idx >= span.close_end and t.text in ASIDE_MARKS), None)
    tokens = _trim_clause([t for t in tokens if aside is None or t.i < aside])
    if not tokens:
        return []
    start, end = tokens[0].idx, max(tokens[-1].idx + len(tokens[-1]), span.close_end)
    if start >= span.open_start and end <= span.close_end:
        return []  # the argument is just the quote
    mixed = _quote(doc, span, "mixed", speaker, cue)
    mixed.start, mixed.end, mixed.text = start, end, text_of(doc)[start:end]
    return [mixed]


def _parenthetical_frame(doc: Doc, span: QuotedSpan, verb: Token, speaker: Speaker, cue: Cue) -> list[Quote]:
    """`The workers, the chief said, were "well paid," earning ...`: an attribution set off by commas
    inside the sentence it reports; the whole sentence is what was said, as a `mixed` item."""
    subject = _subject(verb)
    if (
        subject is None
        or subject.head.i != verb.i
        or subject.left_edge.i < 2
        or doc[subject.left_edge.i - 1].text != ","
    ):
        return []
    sent = [t for t in _within_paragraph(list(verb.sent), verb) if not t.is_space]
    frame = [t for t in sent if t.i < subject.left_edge.i - 1]
    if (
        not frame
        or frame[0].pos_ in ("ADP", "SCONJ", "ADV", "PUNCT")
        or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in frame)
    ):
        return []  # `On Monday, X said ...`: a lead-in, not the reported clause's subject
    after = [t for t in sent if verb.i < t.i and t.idx < span.open_start]
    if not any(t.text == "," for t in after) or not verb.idx < span.open_start < sent[-1].idx:
        return []  # no comma closing the attribution, or the quotation is not in the sentence
    tokens = _trim_clause(sent)
    mixed = _quote(doc, span, "mixed", speaker, cue)
    mixed.start, mixed.end = tokens[0].idx, max(tokens[-1].idx + len(tokens[-1]), span.close_end)
    mixed.text = text_of(doc)[mixed.start : mixed.end]
    return [mixed]


def _cue_for(doc: Doc, first: int, last: int, masks: tuple[list[bool], list[bool]], span: QuotedSpan) -> Cue | None:
    """The reporting verb a quoted token range [first, last) hangs on, in order of reliability."""
    in_quote, in_speech = masks
    inside = range(first, last)
    # 1. Walk up from the quoted words to the nearest cue verb outside quotation marks.
    best: tuple[int, Cue] | None = None
    for tok in doc[first:last]:
        node, depth = tok.head, 1
        while node.i not in inside and depth <= WALK_UP_LIMIT:
            cue = _verb_cue(node, in_quote)
            if cue is not None and not _across_paragraphs(doc, cue, span):
                if best is None or depth < best[0]:
                    cue.depth, cue.via = depth, _relation_above(tok, node)
                    best = (depth, cue)
                break
            if node.head is node:
                break
            node, depth = node.head, depth + 1
    if best is not None:
        return best[1]
    # 2. The quote holds the cue verb itself: `X and Y "agreed not to use force"`.
    for tok in doc[first:last]:
        if tok.lemma_ in SPEECH_VERBS and tok.pos_ == "VERB":
            subject = _subject(tok)
            if subject is not None and subject.i < first:
                return Cue(tok.lemma_, tok.idx, tok.idx + len(tok), subject)
    # 3. `according to X`, `in the words of X` in the same sentence; the phrase reports the clause it
    #    modifies, quoted words and all.
    sent = doc[first].sent
    for tok in sent:
        cue = _according_to(tok) or _in_the_words_of(tok)
        if cue is not None and not in_quote[tok.i]:
            clause = tok.head if tok.lower_ == "according" else tok.head.head
            outer = next((t for t in doc[first:last] if t.head.i not in inside), None)
            if outer is not None and clause.left_edge.i <= first and last - 1 <= clause.right_edge.i:
                cue.depth, cue.via = 1, _relation_above(outer, clause)
            return cue
    # 4. A cue elsewhere in the sentence, or in a short next sentence (`"Stop!" he shouted.`),
    #    or a lead-in sentence ending in a colon (`He said:`). The parser may split a quotation into
    #    several sentences (`"A. B," X said.`), so the sentences of its first and last words both count.
    for part in _neighbour_sentences(doc, first, last):
        candidates = [
            c
            for c in (_verb_cue(t, in_quote) for t in part if t.i not in inside)
            if c is not None and _nothing_between(doc, first, last, c, in_speech, span)
        ]
        if candidates:
            return min(candidates, key=lambda c: abs(c.start - doc[first].idx))
    # 5. A clause ending in a colon introduces the quotation of its subject, with or without a verb
    #    of saying (`The ministry was blunt: "..."`).
    return _colon_lead_in(doc, span, in_quote)


def _nearer_saying(doc: Doc, cue: Cue, span: QuotedSpan, in_quote: list[bool]) -> Cue:
    """`X said, suggesting questions such as "B"`, `X said, going on to say that ... "B"`: a verb of saying
    without a subject of its own, between the cue and the quotation in the same sentence, introduces
    the quotation (a new attribution by the same speaker). A split quote's aside (`"A," X said,
    referring to Y, "B"`) is not a verb of saying and leaves the quotation to the cue."""
    if cue.end > span.open_start or cue.speaker_token is None:
        return cue
    between = doc.char_span(cue.end, span.open_start, alignment_mode="contract")
    if between is None or "\n" in between.text or any(t.text in (".", "!", "?") or in_quote[t.i] for t in between):
        return cue
    for tok in reversed(between):
        if (
            tok.tag_ in ("VBG", "VB")
            and tok.lemma_.lower() in SPEECH_VERBS
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        ):
            return Cue(_cue_phrase(tok), tok.idx, tok.idx + len(tok), cue.speaker_token, cue.depth, cue.via)
    return cue


def _colon_lead_in(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> Cue | None:
    text = text_of(doc)
    before = text[: span.open_start].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None or in_quote[colon[0].i]:
        return None
    # the lead-in: from its sentence's (or line's) start to the colon; the parse may hang it on the quote
    start_char = max(colon[0].sent.start_char, text.rfind("\n", 0, colon[0].idx) + 1)
    lead_in = doc.char_span(start_char, colon[0].idx, alignment_mode="expand")
    if lead_in is None:
        return None
    inside = range(lead_in.start, lead_in.end)
    roots = [t for t in lead_in if t.head.i not in inside or t.head.i == t.i]
    verb = next((t for t in roots if t.pos_ in ("VERB", "AUX")), None)
    subject = None if verb is None else next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or in_quote[subject.i] or not _can_speak(subject):
        return None
    return Cue(":", colon[0].idx, colon[0].idx + 1, subject)


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


def _neighbour_sentences(doc: Doc, first: int, last: int) -> list[Span]:
    sent = doc[first].sent
    neighbours = [sent]
    last_sent = doc[last - 1].sent
    if last_sent.start != sent.start:
        neighbours.append(last_sent)
    if last < len(doc) and last_sent.end <= last + 2 and last_sent.end < len(doc):
        following = doc[last_sent.end].sent
        short = len(following) <= 10 and not any(t.is_quote and t.dep_ != "case" for t in following)
        if short or _bare_attribution(following):
            neighbours.append(following)
    if sent.start > 0:
        before = doc[sent.start - 1].sent
        if before[-1].text == ":" or (len(before) > 1 and before[-2].text == ":"):
            neighbours.append(before)
    return neighbours


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


def _verb_cue(tok: Token, in_quote: list[bool]) -> Cue | None:
    if tok.pos_ not in ("VERB", "AUX") or in_quote[tok.i]:
        return None
    message = _message_named(tok)
    if message is not None:  # the speaker is the message's owner, found by the resolver
        return Cue(message.lemma_.lower(), message.idx, message.idx + len(message), message)
    if tok.lemma_.lower() not in QUOTE_VERBS and not _as_put_it(tok) and not _message_reports(tok):
        return None
    subject = _subject(tok)
    if subject is not None and in_quote[subject.i]:  # `"One of the best," Rep. X said`: two subjects
        subject = next((c for c in tok.children if c.dep_ == "nsubj" and not in_quote[c.i]), None)
    if subject is None:
        subject = _subject_by_position(tok, in_quote) or _name_before_apposition(tok, in_quote)
    if subject is None:
        return None
    return Cue(_cue_phrase(tok), tok.idx, tok.idx + len(tok), subject)


def _message_reports(verb: Token) -> bool:
    """`A report released last year found that ...`: a report, a letter or a statement speaks through
    whatever verb gives its content."""
    children = list(verb.children)
    return any(c.dep_ == "ccomp" for c in children) and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in MESSAGE_NOUNS for c in children
    )


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
    the person named right before the comma-enclosed description that precedes the verb."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ == "ADV":
        i -= 1
    if i < 0 or doc[i].text != ",":
        return None
    opening = next((j for j in range(i - 1, max(-1, i - 15), -1) if doc[j].text == ","), None)
    if opening is None or opening == 0:
        return None
    name = doc[opening - 1]
    if name.ent_type_ == "PERSON" and not in_quote[name.i] and name.sent.start == verb.sent.start:
        return name
    return None


def _cue_phrase(verb: Token) -> str:
    """`call on`, `point out`: the lemma with its particle or the preposition it takes."""
    lemma = verb.lemma_.lower()
    if _as_put_it(verb):
        return "put it"
    for child in verb.children:
        call_for = lemma == "call" and child.lower_ in ("on", "for") and child.i == verb.i + 1  # not `on Monday`
        if child.dep_ == "prt" or (child.dep_ == "prep" and call_for):
            return f"{lemma} {child.lower_}"
    return lemma


def _according_to(tok: Token) -> Cue | None:
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


def _subject(verb: Token) -> Token | None:
    """Who does the saying: the subject, the passive agent (`described as X by Y`), or for a verb
    without its own subject (`..., saying:`, `and accused`), the subject of the verb it hangs on."""
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
            return max(subjects, key=lambda c: c.i) if all(c.i < node.i for c in subjects) else subjects[0]
        passive_subject = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if passive_subject is not None and node.i != verb.i and verb.dep_ in ("advcl", "pcomp"):
            return passive_subject  # `After saying X, she was taken to hospital`: she said it
        if passive_subject is not None and node.lemma_ not in ("quote", "cite"):
            return _by_phrase(node)  # `described as "reckless" by X`, with `by` parsed under "reckless"
        if passive_subject is not None:
            # `The representative was quoted as saying`: the quoted one speaks; other passives do not.
            return passive_subject if node.lemma_ in ("quote", "cite") and node is not verb else None
        if node.dep_ == "acl" and node.head.lemma_.lower() in MESSAGE_NOUNS:
            return node.head  # `issued a statement calling the test "a violation"`: the statement's owner
        if node.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "prep") or node.head is node:
            return None
        node = node.head
    return None


def _by_phrase(verb: Token) -> Token | None:
    for tok in verb.subtree:
        if tok.i > verb.i and tok.lower_ == "by" and tok.dep_ in ("prep", "agent"):
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                return pobj
    return None


def _quote(doc: Doc, span: QuotedSpan, kind: str, speaker: Speaker, cue: Cue | None) -> Quote:
    return Quote(
        text=text_of(doc)[span.start : span.end],
        start=span.start,
        end=span.end,
        kind=kind,
        speaker=speaker.text,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        cue=cue.text if cue else None,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
        source_start=speaker.source_start if cue else None,
        source_end=speaker.source_end if cue else None,
    )


def _quoted_token_mask(doc: Doc, quoted_chars: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * len(doc)
    for start, end in quoted_chars:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


# -- reported speech -------------------------------------------------------------------------------


def _reported_speech(doc: Doc, direct: list[Quote], resolver: SpeakerResolver, in_quote: list[bool]) -> list[Quote]:
    """Clauses governed by a verb of saying (or `according to X`) outside quotation marks."""
    found: list[Quote] = []
    previous: Speaker | None = None
    for tok in doc:
        if in_quote[tok.i]:
            continue
        content: list[Token] = []
        cue: Cue | None = None
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and (
            lemma in SPEECH_VERBS or lemma in DIRECTIVE_VERBS or lemma in OBJECT_IS_CONTENT
        ):
            subject = _subject(tok)
            content = _reported_content(tok)
            if content and subject is not None and not in_quote[subject.i]:
                cue = Cue(_cue_phrase(tok), tok.idx, tok.idx + len(tok), subject)
        else:
            cue = _according_to(tok)
            if cue is not None:
                to = tok.doc[tok.i + 1]
                excluded = {tok.i} | {t.i for t in to.subtree}
                clause = tok.sent if tok.head is tok else tok.head.subtree
                content = [t for t in clause if t.i not in excluded and t.sent.start == tok.sent.start]
        content = _trim_clause(_within_paragraph(content, tok))
        if cue is None or len(content) < (2 if lemma in OBJECT_IS_CONTENT else MIN_REPORTED_TOKENS):
            continue
        start, end = content[0].idx, content[-1].idx + len(content[-1])
        end = _past_closing_mark(text_of(doc), end, direct)
        if any(q.kind == "mixed" and q.cue_start == cue.start for q in direct):
            continue  # already given with its direct quote
        kind = _reported_kind(start, end, direct)
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


def _past_closing_mark(text: str, end: int, direct: list[Quote]) -> int:
    """A reported clause that ends with the last word of a direct quote (`was "dead on arrival,"` parsed
    without its comma and mark) ends with that quote's closing mark."""
    for q in direct:
        if q.kind == "direct" and q.start < end <= q.end and not text[end : q.end].strip(".,;:!?"):
            return q.end + 1 if text[q.end : q.end + 1] in CLOSING_MARKS else q.end
    return end


def _reported_content(verb: Token) -> list[Token]:
    """What a verb of saying reports: its clausal complement; the object of a speech act
    (`denied the allegation`); the object and infinitive of a directive (`urged both sides to
    return`); or, where the parser took a clause for an object (`said some 800 residents spent the
    night`), that object with its clause."""
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


def _within_paragraph(tokens: list[Token], anchor: Token) -> list[Token]:
    """What a cue reports stays in its paragraph, however the parser joined paragraphs."""
    text = text_of(anchor.doc)
    start = text.rfind("\n", 0, anchor.idx) + 1
    end = text.find("\n", anchor.idx)
    end = len(text) if end < 0 else end
    return [t for t in tokens if start <= t.idx < end]


def _trim_clause(tokens: list[Token]) -> list[Token]:
    """The reported words only: no complementizer `that`, no punctuation at the edges."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("mark", "cc") and tokens[0].lower_ == "that"):
        tokens = tokens[1:]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "cc"):
        tokens = tokens[1:]
    while tokens and ((tokens[-1].is_punct and not tokens[-1].is_quote) or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _reported_kind(start: int, end: int, direct: list[Quote]) -> str | None:
    """`indirect`, `mixed` when the clause contains quoted words, None when it is just a direct quote."""
    covered = sum(max(0, min(end, q.end) - max(start, q.start)) for q in direct if q.kind == "direct")
    if covered == 0:
        return "indirect"
    return None if covered >= MOSTLY_QUOTED * (end - start) else "mixed"
