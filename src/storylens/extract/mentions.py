"""Named-entity mentions, trimmed to the name a reader would use, with cheap fixes of small-model NER slips.

spaCy's entities are the starting point. Each is trimmed of a leading `the`, titles (`President`) and a
trailing possessive. Labels are then corrected from evidence in the same document: a name that
follows a title is a person, a capitalized adjective is a nationality (NORP), a `person` that is the
object of `in`/`at` or names a place noun (`the capital, Stepanakert`) is a place, a surname that ends
a person's full name elsewhere is that person, and one surface form gets one label per document
(majority). Names the model missed are added where the same words were recognized elsewhere in the
document (`Pashinyan` after `Nikol Pashinyan`).
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span, Token

from storylens.model import Mention

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "LAW", "WORK_OF_ART"}
# Titles and honorifics that precede a person's name (generic English, not names).
TITLES = {
    "president", "vice", "prime", "minister", "secretary", "chancellor", "premier", "king", "queen", "prince",
    "princess", "pope", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "gen", "gen.", "general", "sen",
    "sen.", "senator", "rep", "rep.", "governor", "gov.", "mayor", "judge", "justice", "spokesperson",
    "spokesman", "spokeswoman", "ambassador", "envoy", "commander", "colonel", "col.", "lieutenant", "captain",
    "capt.", "sheikh", "emir", "ayatollah", "chief", "director", "chairman", "chairwoman", "chair", "ceo",
    "foreign", "defense", "defence", "interior", "finance", "deputy", "acting", "former", "state", "lord",
    "sir", "dame", "bishop", "archbishop", "rabbi", "imam", "officer", "sergeant", "sgt.", "professor", "prof.",
}  # fmt: skip
# Common nouns that name a kind of place: a `PERSON` standing in apposition to one is a place.
PLACE_NOUNS = {
    "capital", "city", "town", "village", "stronghold", "region", "province", "district", "enclave", "port",
    "county", "country", "republic", "island", "border", "suburb", "neighborhood", "neighbourhood", "streets",
    "street", "outskirts", "centre", "center", "residents", "mayor", "hall",
}  # fmt: skip
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "into", "across", "outside", "inside", "around", "throughout"}


def extract_mentions(doc: Doc) -> list[Mention]:
    """Named-entity mentions in `doc`, in text order, each trimmed to the name."""
    found: list[tuple[Span, str]] = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        name = _trim(ent)
        if name is None or _is_part_of_title(name):
            continue
        found.append((name, _corrected_label(name, ent.label_)))
    found = _relabel_surnames(found)
    found += _missed_repeats(doc, found)
    found = _majority_labels(found)
    found.sort(key=lambda item: item[0].start)
    return [Mention(text=s.text, start=s.start_char, end=s.end_char, label=label) for s, label in found]


def _trim(ent: Span) -> Span | None:
    """Drop a leading `the`, leading titles and a trailing possessive or punctuation."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
        start += 1
    inner_possessive = next((t.i for t in doc[start:end] if t.tag_ == "POS" and t.i < end - 1), None)
    if inner_possessive is not None:
        end = inner_possessive  # `Karabakh’s Armenian (population)`: the name is the possessor
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    while end - start > 1 and doc[start].lower_ in TITLES and doc[start].is_title and ent.label_ == "PERSON":
        start += 1
    if start >= end:
        return None
    return doc[start:end]


def _is_part_of_title(name: Span) -> bool:
    """`State` in `Secretary of State`: an office, not an organization."""
    doc = name.doc
    if name.start < 2:
        return False
    return doc[name.start - 1].lower_ in {"of", "for"} and doc[name.start - 2].lower_ in TITLES and len(name) <= 2


def _corrected_label(name: Span, label: str) -> str:
    doc = name.doc
    root = name.root
    before = doc[name.start - 1] if name.start > 0 else None
    if (
        label != "PERSON"
        and before is not None
        and before.lower_ in TITLES
        and before.is_title
        and _looks_like_name(name)
    ):
        return "PERSON"  # `President Putin` tagged as an organization
    if len(name) == 1 and root.tag_ == "JJ" and label in {"PERSON", "ORG", "GPE"}:
        return "NORP"  # `Azerbaijani officials`
    after = doc[name.end] if name.end < len(doc) else None
    if len(name) == 1 and label == "PERSON" and after is not None and after.is_title and after.lower_ in TITLES:
        return "NORP"  # `Moldovan President ...`: the word qualifies the title
    if label == "PERSON":
        if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS:
            return "GPE"  # `a rally in Yerevan`
        if root.dep_ in {"appos", "compound"} and root.head.lower_ in PLACE_NOUNS:
            return "GPE"  # `the capital, Stepanakert`
        if any(c.dep_ in {"appos", "compound"} and c.lower_ in PLACE_NOUNS for c in root.children):
            return "GPE"
        if before is not None and before.lower_ in PLACE_NOUNS:
            return "GPE"  # `the separatist stronghold Stepanakert`
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in PLACE_NOUNS:
            return "GPE"  # `the streets of Stepanakert`
        if before is not None and before.text == "," and name.start > 1 and doc[name.start - 2].lower_ in PLACE_NOUNS:
            return "GPE"  # `the capital, Stepanakert`
    return label


def _looks_like_name(name: Span) -> bool:
    return all(t.is_title or t.is_punct for t in name) and len(name) <= 4


def _relabel_surnames(found: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """A single word that ends a person's full name elsewhere in the document is that person."""
    surnames = {span[-1].text for span, label in found if label == "PERSON" and len(span) > 1}
    return [(span, "PERSON" if len(span) == 1 and span.text in surnames else label) for span, label in found]


def _missed_repeats(doc: Doc, found: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Proper nouns the model skipped although the same name was recognized elsewhere in the document."""
    known: dict[str, str] = {}
    for span, label in found:
        known.setdefault(span.text, label)
        if label == "PERSON" and len(span) > 1:
            known.setdefault(span[-1].text, "PERSON")
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    covered |= {i for ent in doc.ents for i in range(ent.start, ent.end)}
    added = []
    for token in doc:
        if token.i in covered or token.pos_ != "PROPN" or token.text not in known:
            continue
        if _in_longer_name(token):
            continue
        added.append((doc[token.i : token.i + 1], known[token.text]))
    return added


def _in_longer_name(token: Token) -> bool:
    doc = token.doc
    neighbours = [doc[j] for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc)]
    return any(n.pos_ == "PROPN" and n.is_title for n in neighbours)


def _majority_labels(found: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """One label per surface form in a document: the most frequent one (first seen on a tie)."""
    votes: dict[str, Counter] = {}
    for span, label in found:
        votes.setdefault(span.text, Counter())[label] += 1
    return [(span, votes[span.text].most_common(1)[0][0]) for span, _ in found]
