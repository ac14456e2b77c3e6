"""Quotes and their speakers, found with rules over the dependency parse.

The approach of textacy's `direct_quotations`, Citron and GenderGapTracker: find quotation marks
in the text, then attach each quoted span to a reporting verb (the cue) by walking up the parse from
the quoted words; the cue's subject (or passive agent, or the object of `according to`) is the
speaker, resolved through pronouns by `speakers.SpeakerResolver`. A quote paragraph with no cue
continues the previous speaker. Reported speech without marks is the clausal complement of a verb
of saying (`the ministry said all weapons were to be surrendered`).

This module pairs the quoted spans with their cues and speakers; the marks are found in `quote_marks`, the
cue and its speaker in `attribution`, reported speech in `reported`.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from spacy.tokens import Doc, Token

from storylens.extract.attribution import NAMED, Cue, cue_for, naming_verb, nearer_saying, subject_of, verb_cue
from storylens.extract.cues import (
    MESSAGE_NOUNS,
    QUOTE_VERBS,
    SAYING_ALOUD_VERBS,
    SPEECH_VERBS,
    VOICE_WORDS,
)
from storylens.extract.lines import end_before, line_start, speaker_line
from storylens.extract.quote_marks import QuotedSpan, find_quoted_spans
from storylens.extract.reported import reported_speech, trim_clause, within_paragraph
from storylens.extract.speakers import Speaker, SpeakerResolver
from storylens.extract.terms import is_quoted_term, is_title_or_name
from storylens.model import Quote
from storylens.nlp import text_of

# A cue-less quote continues the previous speaker only if it looks like speech, not a scare quote.
FLOATING_MIN_WORDS = 4
# Punctuation that opens the writer's aside after a partial quote.
ASIDE_MARKS = frozenset({"-", "\u2013", "\u2014", "--", ";", "("})
# Characters between the halves of a split quote: `"A," said the minister of finance, "B."`
SPLIT_GAP = 80
# Reports read before a quoted term for the one that holds it: reports nest a few deep in one sentence at most.
NESTED_REPORTS = 4


def extract_quotes(doc: Doc) -> list[Quote]:
    """Direct quotes (with speakers) and reported speech in one parsed article, in text order."""
    text = text_of(doc)
    marked = find_quoted_spans(text)
    resolver = SpeakerResolver(doc, [(s.start, s.end) for s in marked])
    in_quote = _quoted_token_mask(doc, [(s.open_start, s.close_end) for s in marked])
    for span in marked:
        span.introduced = _introduced(doc, span, in_quote)
    # titles and names in quotation marks are words of their sentence, not quotations
    spans = [
        s
        for s in marked
        if s.introduced or _predicate_word(doc, s) or not is_title_or_name(s.text(text), opens_mid_sentence(text, s))
    ]
    in_speech = _quoted_token_mask(doc, [(s.open_start, s.close_end) for s in spans])
    direct = _direct_quotes(doc, spans, resolver, (in_quote, in_speech))
    reported = reported_speech(doc, direct, resolver, in_quote)
    direct += _terms_in_reports(doc, [s for s in spans if s.term], reported)
    return sorted(direct + reported, key=lambda q: (q.start, q.kind))


def _terms_in_reports(doc: Doc, terms: list[QuotedSpan], reported: list[Quote]) -> list[Quote]:
    """`She said she would ask Biden to lead a "cancer moonshot" initiative`: a quoted term inside a clause reported
    by a verb of saying is the speaker's word (of the outermost report that holds it, among the few that start
    just before it); the clause holds quoted words (`mixed`)."""
    found = []
    by_start = sorted(reported, key=lambda r: r.start)
    starts = [r.start for r in by_start]
    for span in terms:
        k = bisect.bisect_right(starts, span.open_start)
        # a report may end just inside the closing mark of the term that ends it
        holding = [r for r in by_start[max(0, k - NESTED_REPORTS) : k] if span.close_end <= r.end + 1]
        report = min(holding, key=lambda r: r.start, default=None)
        if report is None:
            continue
        report.kind = "mixed"
        text = text_of(doc)[span.start : span.end]
        found.append(replace(report, text=text, start=span.start, end=span.end, kind="direct"))
    return found


# -- direct quotes ---------------------------------------------------------------------------------


def _direct_quotes(
    doc: Doc, spans: list[QuotedSpan], resolver: SpeakerResolver, masks: tuple[list[bool], list[bool]]
) -> list[Quote]:
    """`masks`: which tokens stand inside any quotation marks, and which inside a quotation that
    may be speech (not a title or a name)."""
    quotes: list[Quote] = []
    mixed_given: dict[tuple, Quote] = {}
    previous: tuple[Quote, Speaker, QuotedSpan] | None = None  # last attributed quote, its speaker, its marks
    in_quote = masks[0]
    cues = _chain_cues(doc, spans, masks)
    for span, cue in zip(spans, cues, strict=True):
        if span.term or (cue is None and span.paragraph == -1):
            continue
        speaker = resolver.speaker(cue.speaker_token, previous[1] if previous else None) if cue else None
        if cue is not None and speaker is not None:
            speaker = _cut_at_cue(doc, speaker, cue)
            quote = _quote(doc, span, "direct", speaker, cue)
            for mixed in _argument_with_quote(doc, span, cue, speaker, quote):
                _add_mixed(quotes, mixed, mixed_given)
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


def _predicate_word(doc: Doc, span: QuotedSpan) -> bool:
    """`she was "Disgraceful!"`, `the judge was "Velmorian."`: one capitalized adjective said of the subject is a
    word someone chose, not a title or a name."""
    words = [t for t in doc.char_span(span.start, span.end, alignment_mode="expand") or () if t.is_alpha]
    return len(words) == 1 and words[0].pos_ == "ADJ" and words[0].dep_ in ("acomp", "attr")


def _cut_at_cue(doc: Doc, speaker: Speaker, cue: Cue) -> Speaker:
    """`a voice-over in the ad states`, the verb tagged as a noun: a speaker's name ends before its cue."""
    if not speaker.start < cue.start < speaker.end:
        return speaker
    end = speaker.start + len(text_of(doc)[speaker.start : cue.start].rstrip())
    name = text_of(doc)[speaker.start : end]
    return replace(speaker, text=name, end=end, source_end=min(speaker.source_end, end))


def _add_mixed(quotes: list[Quote], mixed: Quote, given: dict[tuple, Quote]) -> None:
    """Two partial quotes in one reported clause (`that there are "some" who do, "but not many"`) give
    that clause once, as far as it reaches. `given`: the mixed items so far by (cue, start)."""
    same = given.get((mixed.cue_start, mixed.start))
    if same is None:
        quotes.append(mixed)
        given[(mixed.cue_start, mixed.start)] = mixed
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
        cue = cue_for(doc, tokens.start, tokens.end, masks, span) if ok else None
        cue = nearer_saying(doc, cue, span, masks[0]) if cue is not None else None
        if not ok:
            span.paragraph = -1  # nothing to attribute
        elif not span.introduced and is_quoted_term(
            span.text(text), opens_mid_sentence(text, span), cue and cue.depth, cue and cue.via
        ):
            span.term, cue = True, None
        cues.append(cue)
    chain: list[int] = []
    for i, span in enumerate(spans):
        chain.append(i)
        carried_on = (
            span.open_to_paragraph_end
            and i + 1 < len(spans)
            and spans[i + 1].starts_paragraph
            and _mark_style(text[span.open_start]) == _mark_style(text[spans[i + 1].open_start])
        )
        if not carried_on:
            later = next((cues[j] for j in reversed(chain) if cues[j] is not None), None)
            for j in chain:
                if cues[j] is None and j != chain[-1]:
                    cues[j] = later
            chain = []
    return cues


_SAME_STYLE = {"\u201e": "\u201c", "\u201d": "\u201c", "\u2039": "\u00ab"}  # „ ” ‹ open as “ “ « do


def _mark_style(mark: str) -> str:
    """A quotation carried on into the next paragraph reopens with the marks it opened with; a paragraph
    opening with another style starts a quotation of its own (an excerpt in straight marks, then a curly quote)."""
    return _SAME_STYLE.get(mark, mark)


def _introduced(doc: Doc, span: QuotedSpan, in_quote: list[bool]) -> bool:
    """A colon right before the quotation (`Her message was simple: "Show Up."`), or a verb and a comma
    (`Priebus said, "Probably."`, `someone shouted, "Cruz,"`), introduces words said, whatever their capitals, if
    the verb is one of saying or takes the quoted words; a relative clause does not (`the film he directed,
    "Jaws,"`). So do a verb of naming (`called Rubio "Little Marco"`) and a verb of the voice (see `_voiced`)."""
    text = text_of(doc)
    at = end_before(text, span.open_start)
    if text[at - 1 : at] == ":":
        return True
    if naming_verb(doc, span, in_quote) is not None and not _complement_follows(doc, span):
        return True  # `he called Rubio "Little Marco"`: the name is his words
    if text[at - 1 : at] != ",":
        return _voiced(doc, span, at)
    comma = doc.char_span(at - 1, at, alignment_mode="expand")
    if comma is None or comma.start == 0:
        return False
    verb = doc[comma.start - 1]
    aloud = verb.lemma_.lower() in SAYING_ALOUD_VERBS | VOICE_WORDS  # `when a boy shouted, "..."`, parsed as relcl
    if verb.pos_ != "VERB" or (verb.dep_ == "relcl" and not aloud):
        return False
    quoted = doc.char_span(span.start, span.end, alignment_mode="expand")
    return verb.lemma_.lower() in QUOTE_VERBS or (quoted is not None and any(t.head.i == verb.i for t in quoted))


def _complement_follows(doc: Doc, span: QuotedSpan) -> bool:
    """`called Spielberg's "Jaws" a masterpiece`, `called the show "Succession" her favorite`: the quoted words are
    in the object, and the name given follows them."""
    after = doc.char_span(span.close_end, min(len(text_of(doc)), span.close_end + 40), alignment_mode="expand")
    first = next((t for t in after or () if not t.is_space), None)
    return first is not None and first.pos_ in ("DET", "PRON")


def _voiced(doc: Doc, span: QuotedSpan, at: int) -> bool:
    """`a man yelled "Stay there!"`, `chanting "Dump Trump."`, `chants of "Lock her up!"`: words right after a verb
    (or noun) of the voice, or an exclamation or question right after a verb of saying aloud, are words said."""
    before = doc.char_span(at - 1, at, alignment_mode="expand")
    if before is None:
        return False
    word = before[0] if before[0].lower_ != "of" or before.start == 0 else doc[before.start - 1]
    lemma = word.lemma_.lower()
    if lemma in VOICE_WORDS:
        return True
    exclaimed = text_of(doc)[span.start : span.end].rstrip().endswith(("!", "?"))
    return exclaimed and word.pos_ == "VERB" and lemma in SAYING_ALOUD_VERBS


def opens_mid_sentence(text: str, span: QuotedSpan) -> bool:
    """The quotation opens after words of its sentence, not at a paragraph's or sentence's start."""
    starts = line_start(text, span.open_start)
    at = end_before(text, span.open_start, starts, "\"\u201d\u2019'")
    return at > starts and text[at - 1] not in ".!?:;"


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
    at = end_before(text, span.open_start)
    if at == 0 or text[at - 1] not in ".!?":
        return None
    last = doc.char_span(at - 1, at, alignment_mode="expand")
    if last is None:
        return None
    sent = [t for t in last[0].sent if t.idx < span.open_start]
    quoting = any(in_quote[t.i] for t in sent)  # then only a verb telling of words, outside the marks, counts
    verbs = [
        t
        for t in sent
        if t.pos_ == "VERB"
        and not in_quote[t.i]
        and ((_reports_clause(t) and not quoting) or _tells_of_words(t) or _says_alone(t, in_quote))
        and not any(c.dep_ == "neg" for c in t.children)  # `He didn't suggest retaliation.` reports nothing
    ]
    if not verbs:
        return None
    cut = {t.i for t in sent}
    heads = [v for v in verbs if v.head.i not in cut or v.head.i == v.i]  # `Smith said Jones told ...`: Smith
    verb = (heads or verbs)[-1]
    if _reports_clause(verb) or _says_alone(verb, in_quote):
        return verb_cue(verb, in_quote)
    subject = subject_of(verb)
    if subject is None or in_quote[subject.i]:
        return None
    return Cue(verb.lemma_.lower(), verb.idx, verb.idx + len(verb), subject)


def _reports_clause(verb: Token) -> bool:
    return verb.lemma_.lower() in SPEECH_VERBS and any(c.dep_ == "ccomp" for c in verb.children)


def _says_alone(verb: Token, in_quote: list[bool]) -> bool:
    """`Ann Roe agreed.`, `Berg disagreed sharply.`: a sentence of nothing but someone and a verb of saying, the
    quotation after it being what they said (not `She agreed to a deal.`)."""
    return (
        verb.dep_ == "ROOT"
        and verb.lemma_.lower() in SPEECH_VERBS
        and any(c.dep_ == "nsubj" and not in_quote[c.i] for c in verb.children)
        and all(c.dep_ in ("nsubj", "advmod", "punct", "npadvmod") or _in_message(c) for c in verb.children)
    )


def _in_message(prep: Token) -> bool:
    """`said in a statement`, `wrote in an email`: where the words were put, not what they were about."""
    return prep.dep_ == "prep" and any(c.dep_ == "pobj" and c.lemma_.lower() in MESSAGE_NOUNS for c in prep.children)


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
    text = text_of(doc)
    at = end_before(text, span.open_start, cue.end)
    if at > cue.end and text[at - 1] == ":":
        return []  # `told parliament: "..."`: a whole quotation, introduced, not words inside a clause
    verb = verb[0]
    if cue.via == NAMED:  # what was named and the name: `called the deal a "$25 billion mistake."`
        return [_spread(doc, span, "mixed", speaker, cue, doc[verb.i + 1].idx, span.close_end)]
    frame = _parenthetical_frame(doc, span, verb, speaker, cue) or _aside_in_clause(doc, span, verb, speaker, cue)
    if frame:
        return frame
    args = [c for c in verb.rights
            if c.dep_ in ("dobj", "dative", "oprd", "ccomp", "xcomp", "prep", "attr", "acomp", "acl")]  # fmt: skip
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
    if reach.dep_ == "ccomp":  # `said that A, and that B`: the parse hangs the second clause on the verb
        tokens += [t for c in verb.rights if c.i > reach.i and _second_that_clause(c) for t in c.subtree]
    if " " in cue.text:  # `call for X`: the preposition belongs to the cue, not to what was said
        tokens = [t for t in tokens if not (t.dep_ == "prep" and t.head == verb and cue.text.endswith(t.lower_))]
    tokens = sorted(within_paragraph(tokens, verb), key=lambda t: t.i)
    # `told his friends on a regular basis that "..."`, the clause parsed under the wrong word: the
    # reported clause begins at its `that`
    that = [t for t in tokens if t.lower_ == "that" and t.dep_ == "mark" and t.idx < span.open_start]
    if that and that[-1].head.right_edge.idx >= span.start:
        tokens = [t for t in tokens if t.i >= that[-1].i]
    # an aside after the quote (`"burning the Constitution" - a charge that stung`) is the writer's
    aside = next((t.i for t in tokens if t.idx >= span.close_end and _opens_aside(t)), None)
    if aside is None:
        aside = _noun_phrase_after(doc, span)
    tokens = trim_clause([t for t in tokens if aside is None or t.i < aside])
    if not tokens:
        return []
    start, end = tokens[0].idx, max(tokens[-1].idx + len(tokens[-1]), span.close_end)
    if start >= span.open_start and end <= span.close_end:
        return []  # the argument is just the quote
    return [_spread(doc, span, "mixed", speaker, cue, start, end)]


def _second_that_clause(conj: Token) -> bool:
    first = conj.left_edge
    return conj.dep_ == "conj" and first.lower_ == "that" and first.dep_ == "mark"


def _spread(doc: Doc, span: QuotedSpan, kind: str, speaker: Speaker, cue: Cue, start: int, end: int) -> Quote:
    """A quote of `kind` that reaches from `start` to `end` around the quoted words."""
    quote = _quote(doc, span, kind, speaker, cue)
    quote.start, quote.end, quote.text = start, end, text_of(doc)[start:end]
    return quote


def _noun_phrase_after(doc: Doc, span: QuotedSpan) -> int | None:
    """`says the plan is "a bad joke," a charge the council denies`, `"...," part of a long feud`: a noun
    phrase set after the comma that ends a partial quote is the writer's aside on it; where it begins."""
    text = text_of(doc)
    if not text[span.start : span.end].rstrip().endswith(",") and text[span.close_end : span.close_end + 1] != ",":
        return None
    after = doc.char_span(span.close_end, len(text), alignment_mode="expand")
    first = next((t for t in after or () if not (t.is_punct or t.is_space)), None)
    if first is None or first.pos_ not in ("DET", "NOUN", "ADJ"):
        return None
    head = first if first.pos_ == "NOUN" else first.head
    if head.pos_ != "NOUN" or head.dep_ not in ("appos", "dobj", "npadvmod", "attr") or head.idx < span.close_end:
        return None
    return first.i


def _opens_aside(tok: Token) -> bool:
    """A dash, bracket or semicolon, or `which`/`who` after a comma (`"sarcastic" in his comments, which raised
    concerns`, `"a gift," which the council denied`): the writer's words begin."""
    if tok.text in ASIDE_MARKS:
        return True
    before = tok.i - 1
    while before >= 0 and tok.doc[before].is_quote:
        before -= 1
    return tok.lower_ in ("which", "who") and before >= 0 and tok.doc[before].text == ","


def _parenthetical_frame(doc: Doc, span: QuotedSpan, verb: Token, speaker: Speaker, cue: Cue) -> list[Quote]:
    """`The workers, the chief said, were "well paid," earning ...`: an attribution set off by commas
    inside the sentence it reports; the whole sentence is what was said, as a `mixed` item."""
    subject = subject_of(verb)
    if (
        subject is None
        or subject.head.i != verb.i
        or verb.dep_ == "relcl"  # `Stevie Wonder, who joked, ...`: a relative clause tells of a noun, it frames nothing
        or subject.left_edge.i < 2
        or doc[subject.left_edge.i - 1].text != ","
    ):
        return []
    sent = [t for t in within_paragraph(list(verb.sent), verb) if not t.is_space]
    frame = [t for t in sent if t.i < subject.left_edge.i - 1]
    while frame and frame[0].pos_ == "CCONJ":
        frame = frame[1:]
    if (
        not frame
        or frame[0].pos_ in ("ADP", "SCONJ", "ADV", "PUNCT")
        or frame[0].tag_ == "VBN"
        or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in frame)
    ):
        return []  # `On Monday, X said ...`, `Asked about it, X said ...`: a lead-in, not the reported clause's subject
    after = [t for t in sent if verb.i < t.i and t.idx < span.open_start]
    if not any(t.text == "," for t in after) or not verb.idx < span.open_start < sent[-1].idx:
        return []  # no comma closing the attribution, or the quotation is not in the sentence
    comma = next(t for t in after if t.text == ",")
    if any(c.dep_ in ("dobj", "dative", "ccomp", "xcomp", "attr", "oprd") and c.i < comma.i for c in verb.rights):
        return []  # `Speaking at a rally, Trump called Clinton, ...`: the verb takes its own object, it frames nothing
    if not any(t.is_alpha for t in after) and text_of(doc)[span.start : span.start + 1].isupper():
        return []  # `..., Mr. Trump yelled, "Out!"`: a sentence of its own follows the attribution
    tokens = trim_clause(sent)
    mixed = _quote(doc, span, "mixed", speaker, cue)
    mixed.start, mixed.end = tokens[0].idx, max(tokens[-1].idx + len(tokens[-1]), span.close_end)
    mixed.text = text_of(doc)[mixed.start : mixed.end]
    return [mixed]


def _aside_in_clause(doc: Doc, span: QuotedSpan, verb: Token, speaker: Speaker, cue: Cue) -> list[Quote]:
    """`Instead, Trump told CNN, his policy would be "to go after them" if he wins`, `"A big truck" plowed through
    the barriers, he said, and "everyone started running."`: an attribution set off by commas inside the clause it
    reports, which the parse hangs on that clause; the clause, but for the attribution, is what was said."""
    clause = verb.head
    if verb.dep_ != "parataxis" or not clause.left_edge.idx <= span.start < clause.right_edge.idx:
        return []
    closing = min(verb.right_edge.i + 1, len(doc) - 1)
    aside = range(verb.left_edge.i, closing + (doc[closing].text == ","))  # with the comma that closes it
    tokens = trim_clause([t for t in within_paragraph(list(clause.subtree), verb) if t.i not in aside])
    if not tokens:
        return []
    opening = doc[tokens[0].i - 1] if tokens[0].i > clause.left_edge.i else None
    start = opening.idx if opening is not None and opening.is_quote else tokens[0].idx  # `"A big truck" plowed`
    end = max(tokens[-1].idx + len(tokens[-1]), span.close_end)
    if start >= span.open_start and end <= span.close_end:
        return []  # the clause is just the quotation
    return [_spread(doc, span, "mixed", speaker, cue, start, end)]


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
