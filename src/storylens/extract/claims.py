"""Numeric claims: a number in an article, its qualifier and unit, what it counts, and who says so.

Number words are read with `number-parser`; the rest comes from the spaCy parse. Numbers that are
not claims about the story are skipped: calendar years, days of the month, decades, times of day,
ages (`45-year-old`, `aged 45`: they describe a person, not an event), ordinals, labels such as
`Article 5` or `Flight 370`, and durations that only locate an event in time (`two days ago`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from number_parser import parse_number as _parse_number
from spacy.tokens import Doc, Span, Token

from storylens.model import Claim


@lru_cache(maxsize=65_536)
def parse_number(words: str) -> int | float | None:
    """number-parser's `parse_number`, remembered: it rebuilds its word tables on every call (~3 ms)."""
    return _parse_number(words)


# Words that hedge or bound a number, longest first so that `more than` wins over `than`.
QUALIFIERS = sorted(
    [
        "more than", "less than", "fewer than", "no fewer than", "no less than", "no more than",
        "at least", "at most", "up to", "upwards of", "as many as", "as few as", "as much as",
        "over", "under", "well over", "just over", "just under", "nearly", "almost", "about",
        "around", "some", "roughly", "approximately", "an estimated", "estimated", "close to",
        "exactly", "only", "just", "barely", "below", "above", "in excess of", "a maximum of", "a minimum of",
    ],
    key=lambda q: -len(q.split()),
)  # fmt: skip

TIME_UNITS = {
    "second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks",
    "month": "months", "year": "years", "decade": "decades", "century": "centuries",
}  # fmt: skip

# unit word (lower-case, singular or abbreviation) -> (unit as reported, what such a unit measures)
MEASURE_UNITS = {
    **{w: ("km", "distance") for w in ("km", "kilometer", "kilometre", "kilometers", "kilometres")},
    **{w: ("miles", "distance") for w in ("mile", "miles", "mi")},
    **{w: ("m", "distance") for w in ("meter", "metre", "meters", "metres")},
    **{w: ("ft", "distance") for w in ("foot", "feet", "ft")},
    **{w: ("tonnes", "weight") for w in ("ton", "tons", "tonne", "tonnes")},
    **{w: ("kg", "weight") for w in ("kg", "kilogram", "kilograms", "kilogramme")},
    **{w: ("hectares", "area") for w in ("hectare", "hectares", "ha")},
    **{w: ("acres", "area") for w in ("acre", "acres")},
    **{w: ("litres", "volume") for w in ("liter", "litre", "liters", "litres")},
    **{w: ("barrels", "volume") for w in ("barrel", "barrels")},
    **{w: ("%", "share") for w in ("%", "percent", "pct")},
    **{w: ("degrees", "temperature") for w in ("degree", "degrees")},
    **{w: ("USD", "money") for w in ("$", "dollar", "dollars", "us$")},
    **{w: ("EUR", "money") for w in ("€", "euro", "euros")},
    **{w: ("GBP", "money") for w in ("£", "sterling")},
    **{w: ("JPY", "money") for w in ("¥", "yen")},
    **{w: ("RUB", "money") for w in ("₽", "ruble", "rubles", "rouble", "roubles")},
}
CURRENCY_SYMBOLS = {"$", "€", "£", "¥", "₽", "us$"}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
# Round-number words used without an exact figure: `hundreds of thousands`, `dozens`.
VAGUE_PLURALS = {"dozens", "scores", "hundreds", "thousands", "tens", "millions", "billions"}
VAGUE_BEFORE_UNIT = {"several", "few", "many"}  # only vague when they count time or measure units
_MAY_START = VAGUE_PLURALS | VAGUE_BEFORE_UNIT | {"a"}  # words a number may start with (`a dozen`)

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
CLOCK_WORDS = {"a.m.", "p.m.", "am", "pm", "o'clock", "gmt", "utc", "hrs", "h"}
LABEL_WORDS = {"no", "no.", "number", "#", "page", "chapter", "section", "article", "paragraph", "clause", "item"}
# Capitalised words a number follows as a label of one in a series: `Week 15`, `Game 7`, `Round 3`.
SERIES_WORDS = {"week", "game", "round", "day", "stage", "phase", "lap", "match", "episode", "season", "level"}

# Verbs that attribute a statement to a source; `according to` is handled on its own.
REPORTING_VERBS = {
    "say", "tell", "claim", "report", "announce", "estimate", "state", "add", "confirm", "insist", "allege",
    "note", "warn", "write", "declare", "assert", "explain", "reveal", "show", "indicate", "suggest", "count",
    "put", "acknowledge", "admit", "argue", "believe", "stress", "tweet", "post", "quote", "cite", "record",
}  # fmt: skip
# Reporting verbs whose direct object is itself the figure (`the ministry reported 200 deaths`).
OBJECT_REPORTING_VERBS = {"report", "estimate", "count", "put", "record", "confirm"}
SPEAKER_PRONOUNS = {"he", "she", "they"}

_DIGITS = re.compile(r"^\d[\d,]*(\.\d+)?$")
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")


def extract_claims(doc: Doc) -> list[Claim]:
    """Every numeric claim in `doc`, in text order."""
    claims = []
    # a number can only start at a token that looks like one or is a word _number_run knows: one pass
    # over the tokens instead of a token object per position
    starts = [t.i for t in doc if t.like_num or t.text[:1].isdigit() or t.lower_ in _MAY_START]
    i = 0
    for start in starts:
        if start < i:
            continue
        i = start
        run = _number_run(doc, i)
        if run is None:
            i += 1
            continue
        first, end = run
        claim = _claim_for(doc, first, end)
        if claim is not None:
            claims.append(claim)
        i = end
    return claims


# -- finding numbers -------------------------------------------------------------------------------


def _is_number_token(tok: Token) -> bool:
    low = tok.lower_
    if low in VAGUE_PLURALS:
        return True
    if _DIGITS.match(tok.text):
        return True
    if tok.like_num and not tok.text[0].isdigit():
        return parse_number(low) is not None  # `first` is like_num but an ordinal
    return False


def _number_run(doc: Doc, i: int) -> tuple[int, int] | None:
    """The token range [start, end) of the number starting at token i, or None."""
    tok = doc[i]
    if not _is_number_token(tok) and not (tok.lower_ == "a" and i + 1 < len(doc) and doc[i + 1].lower_ == "dozen"):
        if tok.lower_ in VAGUE_BEFORE_UNIT and _unit_after(doc, i + 1) in TIME_UNITS:
            return i, i + 1
        return None
    end = i + 1
    while end < len(doc):
        nxt = doc[end]
        low = nxt.lower_
        if low in SCALES and low not in {"m", "k"} or low == "dozen":
            end += 1
        elif low == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in SCALES and len(doc[end + 1]) > 2:
            end += 2  # `1.2-billion-crown contract`
        elif _is_number_token(nxt) and not nxt.text[0].isdigit() and not doc[end - 1].text[0].isdigit():
            end += 1  # `one hundred twenty`
        elif (
            low in {"and", "-"}
            and end + 1 < len(doc)
            and not doc[end - 1].text[0].isdigit()
            and _is_number_token(doc[end + 1])
            and not doc[end + 1].text[0].isdigit()
        ):
            end += 2  # `one hundred and twenty`, `twenty-four`
        elif low == "of" and end + 1 < len(doc) and doc[end + 1].lower_ in VAGUE_PLURALS:
            end += 2  # `hundreds of thousands`
        else:
            break
    return i, end


def _value(tokens: Span) -> float | str | None:
    words = [t.lower_ for t in tokens]
    if words[0] in VAGUE_PLURALS or words[0] in VAGUE_BEFORE_UNIT:
        return " ".join(words)
    if words[:2] == ["a", "dozen"]:
        return 12
    if _DIGITS.match(tokens[0].text):
        number = float(tokens[0].text.replace(",", ""))
        for word in words[1:]:
            number *= SCALES.get(word, 12 if word == "dozen" else 1)
        return number
    return parse_number(" ".join(words))


def _unit_after(doc: Doc, j: int) -> str | None:
    """The unit word right after a number (skipping the hyphen of `24-hour`), as a key of the tables."""
    if j < len(doc) and doc[j].text == "-":
        j += 1
    if j >= len(doc):
        return None
    low, lemma = doc[j].lower_, doc[j].lemma_.lower()
    if lemma in TIME_UNITS:
        return lemma
    if low in TIME_UNITS:
        return low
    if low == "per" and j + 1 < len(doc) and doc[j + 1].lower_ == "cent":
        return "%"
    if low in MEASURE_UNITS and low not in CURRENCY_SYMBOLS:
        return low
    return None


# -- what is not a claim ---------------------------------------------------------------------------


def _age_of(doc: Doc, start: int, end: int) -> str | None:
    """The name before a bare number set off by commas (`Robyn Mendes, 48, and`): the news convention for
    an age, which is then a claim about that person, not a count to set against other numbers."""
    if start < 2 or doc[start - 1].text != ",":
        return None
    if not (end >= len(doc) or doc[end].text in {",", ".", ";", ")"} or doc[end].lower_ in {"and", "who", "was", "is"}):
        return None
    first = last = start - 2
    while (
        first >= 0 and doc[first].text[0].isupper() and (doc[first].ent_type_ == "PERSON" or doc[first].pos_ == "PROPN")
    ):
        first -= 1
    return doc[first + 1 : last + 1].text if first < last else None


def _in_score(doc: Doc, start: int, end: int) -> bool:
    """The number is one side of a score or a record written with hyphens (`30-7`, `45-7-2`)."""

    def glued(left: int) -> bool:  # doc[left] "-" doc[left + 2], written without spaces, digits around
        if left < 0 or left + 2 >= len(doc) or doc[left + 1].text != "-":
            return False
        around = doc[left].text[-1:].isdigit() and doc[left + 2].text[:1].isdigit()
        return around and not doc[left].whitespace_ and not doc[left + 1].whitespace_

    return glued(start - 2) or glued(end - 1)


def _not_a_claim(doc: Doc, start: int, end: int, unit: str | None, unit_index: int | None) -> bool:
    first, last = doc[start], doc[end - 1]
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    text = first.text
    if end - start == 1 and _YEAR.match(text) and unit is None and not _counts_plural_noun(doc, end):
        return True  # a calendar year
    if (before is not None and before.lower_.rstrip(".") in MONTHS) or (after is not None and after.lower_ in MONTHS):
        return True  # a day of the month
    if after is not None and after.lower_ == "of" and end + 1 < len(doc) and doc[end + 1].lower_ in MONTHS:
        return True
    if after is not None and after.lower_ in CLOCK_WORDS or ":" in text or "/" in text:
        return True  # a time of day, a date such as 9/11
    if last.ent_type_ in {"ORDINAL"} or re.match(r"^\d+(st|nd|rd|th)$", text.lower()):
        return True
    if unit == "year" and unit_index is not None:
        nxt = doc[unit_index + 1 : unit_index + 3]
        if any(t.lower_ == "old" for t in nxt) or (before is not None and before.lower_ in {"aged", "age"}):
            return True  # an age
    if before is not None and before.lower_ in {"aged", "age"}:
        return True
    if after is not None and after.lower_ == "of" and end + 1 < len(doc) and doc[end + 1].like_num:
        return True  # `28 of 41 passes`, `four of their first five`: a part, the whole is the claim
    is_relative_date = unit_index is not None and unit_index + 1 < len(doc) and doc[unit_index + 1].lower_ == "ago"
    if unit in TIME_UNITS and is_relative_date:
        return True  # `two days ago`: a date, handled by extract_dates
    if before is not None and (before.lower_ in LABEL_WORDS or (before.text == "No" and text[0].isdigit())):
        return True  # `Article 5`, `No. 10`
    if before is not None and before.is_title and before.lower_ in SERIES_WORDS and text[0].isdigit():
        return True  # `Week 15`
    if _in_score(doc, start, end):
        return True  # `a 30-7 loss`, a `52-3` record
    labels_name = first.dep_ in {"nummod", "appos", "compound", "npadvmod"} and first.head.i == start - 1
    if labels_name and before.is_title and before.pos_ == "PROPN" and text[0].isdigit() and unit is None:
        return True  # a label: `Flight 370`, `Resolution 2334`
    if first.ent_type_ in {"ORG", "PRODUCT", "LAW", "FAC", "EVENT", "WORK_OF_ART", "PERSON", "GPE"}:
        return True  # part of a name: `COVID-19`, `Boeing 737`, `G20`
    referring = before is not None and (before.lower_ in {"the", "both", "these", "those"} or before.tag_ == "PRP$")
    small_word = end - start == 1 and not text[0].isdigit() and (parse_number(first.lower_) or 10) < 10
    if referring and small_word and unit is None:
        return True  # `the two sides`: a reference to a known set, not a count
    pronoun_one = first.dep_ != "nummod" or (after is not None and after.lower_ in {"of", "another"})
    if first.lower_ == "one" and end - start == 1 and unit is None and pronoun_one:
        return True  # `one of them`, `one another`: a pronoun, not a count
    return bool(text.endswith("s") and text[:-1].isdigit())  # a decade, `1990s`


def _counts_plural_noun(doc: Doc, j: int) -> bool:
    return j < len(doc) and doc[j].tag_ in {"NNS", "NNPS"}


# -- building the claim ----------------------------------------------------------------------------


def _claim_for(doc: Doc, start: int, end: int) -> Claim | None:
    span_start = start
    unit_key = _unit_after(doc, end)
    unit_index = None
    if unit_key is not None:
        unit_index = end + 1 if doc[end].text == "-" else end
        if unit_key == "%" and doc[unit_index].lower_ == "per":
            unit_index += 1
    currency = None
    if start > 0 and doc[start - 1].lower_ in CURRENCY_SYMBOLS:
        currency = doc[start - 1].lower_
        span_start = start - 1
    if _not_a_claim(doc, start, end, unit_key, unit_index):
        return None
    value = _value(doc[start:end])
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    qualifier, span_start = _qualifier(doc, span_start)

    unit: str | None = None
    measure: str | None = None
    if unit_key in TIME_UNITS:
        unit = TIME_UNITS[unit_key]
        value = f"{value} {unit}" if isinstance(value, str) else f"{value:g} {unit}"
        if isinstance(value, str) and value.startswith(("1 ", "one ")):
            value = value[:-1] if value.endswith("s") else value
        measure = "duration"
    elif unit_key is not None:
        unit, measure = MEASURE_UNITS[unit_key]
    elif currency is not None:
        unit, measure = MEASURE_UNITS[currency]

    last_number = doc[end - 1]
    anchor = doc[unit_index] if unit_index is not None else last_number
    noun = _counted_noun(doc, anchor, unit_index is not None)
    quantity = _quantity(doc, anchor, noun, measure)
    person = _age_of(doc, start, end) if unit_key is None and currency is None else None
    if person:
        quantity = f"age of {person}"
    span_end = _span_end(doc, end if unit_index is None else unit_index + 1, noun)
    span = doc[span_start:span_end]
    return Claim(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        value=value,
        quantity=quantity,
        unit=unit,
        qualifier=qualifier,
        attributed_to=_attribution(doc, last_number),
    )


def _qualifier(doc: Doc, start: int) -> tuple[str | None, int]:
    """The qualifier ending right before token `start`, and where the claim's span then starts."""
    for qualifier in QUALIFIERS:
        words = qualifier.split()
        first = start - len(words)
        if first >= 0 and [t.lower_ for t in doc[first:start]] == words:
            if qualifier in {"just", "only", "some", "over", "under"} and doc[start].lower_ in VAGUE_PLURALS:
                return None, start
            return qualifier.removeprefix("an "), first
    return None, start


def _counted_noun(doc: Doc, anchor: Token, is_unit: bool) -> Token | None:
    """The noun the number (or its unit) counts or modifies: `120,000 ethnic Armenians` -> Armenians."""
    head = anchor.head
    if anchor.dep_ in {"nummod", "quantmod", "compound", "amod", "npadvmod", "nmod"} and head.i != anchor.i:
        while head.dep_ in {"nummod", "quantmod"} and head.head.i != head.i:
            head = head.head  # `one hundred twenty` chains
        if head.pos_ in {"NOUN", "PROPN"} and not (is_unit and head.i < anchor.i):
            return head
    for child in anchor.children:  # `thousands of people`, `six weeks of fighting`
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and objects[0].pos_ in {"NOUN", "PROPN", "VERB"}:
                return objects[0]
    return None


def _noun_phrase(noun: Token, skip: set[int]) -> str:
    """The noun with its adjective and compound modifiers and a short participle clause."""
    left = [c for c in noun.lefts if c.dep_ in {"amod", "compound", "nmod"} and c.i not in skip]
    while left and not _is_contiguous(left, noun):
        left.pop(0)
    words = [t.text for t in left] + [noun.text]
    for child in noun.rights:
        if child.dep_ == "acl" and child.tag_ in {"VBG", "VBN"}:
            clause = list(child.subtree)
            if len(clause) <= 6:
                words += [t.text for t in clause]
            else:
                words.append(child.text)
            break
    return " ".join(words)


def _is_contiguous(left: list[Token], noun: Token) -> bool:
    return left[0].i + len(left) == noun.i or all(left[k].i + 1 == left[k + 1].i for k in range(len(left) - 1))


def _quantity(doc: Doc, anchor: Token, noun: Token | None, measure: str | None) -> str:
    skip = {t.i for t in anchor.subtree} if noun is not None and anchor.head.i == noun.i else set()
    if measure is not None:
        if noun is not None:
            return f"{measure} of {_noun_phrase(noun, skip)}"
        verb = anchor.head if anchor.head.pos_ in {"VERB", "AUX"} else anchor.head.head
        if verb.pos_ in {"VERB", "AUX"}:
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None:
                return f"{measure} of {_noun_phrase(subject, set())}"
        return measure
    if noun is None:
        nxt = doc[anchor.i + 1] if anchor.i + 1 < len(doc) else None
        if nxt is not None and (nxt.tag_ in {"VBN", "VBD"} or nxt.pos_ == "ADJ"):
            return nxt.text  # `at least 200 killed`, `400 wounded`
        head = anchor.head
        if anchor.dep_ in {"nsubj", "nsubjpass"} and head.pos_ == "VERB":
            return head.text  # `200 died`
        return "count"
    phrase = _noun_phrase(noun, skip)
    if any(c.dep_ == "acl" for c in noun.rights):
        return phrase
    if noun.head.lower_ == "of" and noun.head.head.i == anchor.i:
        noun = anchor  # `thousands of people have been evacuated`: the verb governs `thousands`
    verb = noun.head
    if verb.pos_ != "VERB" or verb.lemma_ in {"be", "have"}:
        return phrase
    if noun.dep_ == "nsubjpass" or (noun.dep_ == "nsubj" and not any(c.dep_ == "dobj" for c in verb.children)):
        return f"{phrase} {verb.text}"  # `people killed`, `people died`
    if noun.dep_ == "dobj":
        complement = next((c for c in verb.children if c.dep_ in {"oprd", "acomp", "ccomp"} and c.i > noun.i), None)
        if complement is not None and len(list(complement.subtree)) == 1:
            return f"{phrase} {complement.text}"  # `left 30,000 people dead`
        return f"{verb.text} {phrase}"  # `claimed 200 lives`
    return phrase


def _span_end(doc: Doc, end: int, noun: Token | None) -> int:
    """Extend the claim's span over the counted noun when it follows right after (`200 lives`)."""
    if noun is None or noun.i < end or noun.i - end > 3:
        return end
    between = doc[end : noun.i]
    if all(t.head.i == noun.i or t.head.i in {b.i for b in between} for t in between):
        return noun.i + 1
    return end


# -- attribution -----------------------------------------------------------------------------------


def _attribution(doc: Doc, token: Token) -> str | None:
    """Who the sentence attributes the number to: `separatists said ...`, `according to X`."""
    sentence = token.sent
    for tok in sentence:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            objects = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return _phrase(objects[0])
    came_from, node = token, token.head
    while True:
        if node.lemma_.lower() in REPORTING_VERBS and node.pos_ in {"VERB", "AUX"}:
            via_clause = came_from.dep_ in {"ccomp", "parataxis", "xcomp", "advcl", "conj"}
            via_object = came_from.dep_ == "dobj" and node.lemma_.lower() in OBJECT_REPORTING_VERBS
            if (via_clause or via_object) and came_from.i != node.i:
                subject = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subject is not None and subject.dep_ == "nsubj":
                    return _resolve_pronoun(doc, subject)
        if node.head.i == node.i:
            return None
        came_from, node = node, node.head


def _phrase(head: Token) -> str:
    """The head's phrase as written, without trailing appositions, relative clauses or punctuation."""
    dropped = {t.i for c in head.rights if c.dep_ in {"appos", "relcl", "acl", "punct", "prep"} for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in dropped and abs(t.i - head.i) <= 6]
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].is_punct:
        tokens.pop()
    return head.doc[tokens[0].i : tokens[-1].i + 1].text


def _resolve_pronoun(doc: Doc, subject: Token) -> str:
    """`he said` -> the named subject of the nearest earlier reporting verb, when there is one."""
    if subject.lower_ not in SPEAKER_PRONOUNS:
        return _phrase(subject)
    sentence = subject.sent
    for _ in range(3):
        if sentence.start == 0:
            break
        sentence = doc[sentence.start - 1].sent
        for tok in reversed(list(sentence)):
            if tok.lemma_.lower() in REPORTING_VERBS and tok.pos_ == "VERB":
                named = next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"), None)
                if named is not None:
                    return _phrase(named)
    return subject.text
