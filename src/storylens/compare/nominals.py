"""Words for acts and groups: the nouns, verbs and adjectives by which articles name one event or one group.

Outlets that report one event rarely retell it in the same sentence: one writes `Azerbaijan launched an
anti-terror operation`, another `Azerbaijan's rapid offensive`, a third `the assault`; one says the minister
`resigned`, another that he `stepped down`, a headline that he `quits`. Sentence alignment cannot pair
such wordings and the small model's word vectors do not know them for one thing, so a small generic
lexicon of kinds of acts and groups that news names in many ways (an attack, leaving office, an
investigation, industrial action, a failure, an arrest; protesters, armed groups) says which words name
the same kind; within one story the words of one kind name the same thing. No word in it is a name.

Each use is kept with the words that describe it (`24-hour offensive`, `swift military operation`),
without the names around it (`Azerbaijan's`, `Azerbaijani`), and credited by lemma: `fails` in a headline
and `failed` in the text are one wording.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storylens.nlp import text_of

# -- the lexicon: kind of act or group -> the words that name it -----------------------------------

ATTACK, LEAVING_OFFICE, INVESTIGATION, INDUSTRIAL_ACTION, FAILURE, ARREST, PROTESTERS, ARMED_GROUP = (
    "attack",
    "leaving office",
    "investigation",
    "industrial action",
    "failure",
    "arrest",
    "protesters",
    "armed group",
)

NOUNS = {
    ATTACK: {
        "offensive", "counteroffensive", "counter-offensive", "assault", "attack", "counterattack", "raid",
        "incursion", "invasion", "onslaught", "bombardment", "bombing", "shelling", "blitz", "airstrike",
        "crackdown", "operation", "strike",
    },
    LEAVING_OFFICE: {"resignation", "exit", "departure", "ouster", "step-down", "abdication"},
    INVESTIGATION: {"investigation", "probe", "inquiry", "enquiry", "inquest"},
    INDUSTRIAL_ACTION: {"strike", "walkout", "stoppage", "shutdown", "lockout", "go-slow", "sit-in", "work-to-rule"},
    FAILURE: {"failure", "collapse", "malfunction", "rupture", "breakdown"},
    ARREST: {"arrest", "detention"},
    PROTESTERS: {"protester", "protestor", "demonstrator", "rioter", "mob", "marcher", "agitator", "hooligan"},
    ARMED_GROUP: {
        "separatist", "rebel", "insurgent", "militant", "fighter", "guerrilla", "guerilla", "terrorist",
        "secessionist", "militia", "militiaman", "paramilitary", "jihadist",
    },
}  # fmt: skip
# Verbs, with the particle or object that makes them the act (`step down`, `give way`).
VERBS = {
    ATTACK: {"attack", "invade", "raid", "storm", "shell", "bomb"},
    LEAVING_OFFICE: {"resign", "quit", "step down", "stand down", "step aside"},
    INVESTIGATION: {"investigate", "probe"},
    INDUSTRIAL_ACTION: {"strike", "walk out"},
    FAILURE: {"fail", "collapse", "give way", "burst", "malfunction", "buckle", "rupture"},
    ARREST: {"arrest", "detain", "apprehend"},
}
ADJECTIVES = {FAILURE: {"faulty", "defective"}}

# `operation` and `strike` name an attack only with a military word; a `rescue operation` is not one.
NEEDS_MILITARY_WORD = {"operation", "strike"}
MILITARY_WORDS = re.compile(
    r"military|terror|insurgen|army|armed|combat|air|missile|drone|rocket|artillery|naval|ground|punitive|special"
)
# Words of the attack kind that also name a crime, an illness or a police action: a `sexual assault`, a
# `heart attack`, a `police raid` (said in the describing words or in the sentence) are not attacks.
NOT_AN_ATTACK = re.compile(
    r"\b(?:sexual|sexually|indecent|aggravated|domestic|verbal|physical|child|police|arrest|arrested|charged|"
    r"charges|court|heart|panic|asthma|cyber|hacker|hackers)\b",
    re.IGNORECASE,
)
# An `arrest` of the heart is no arrest.
NOT_AN_ARREST = re.compile(r"\b(?:cardiac|heart|respiratory|cardiopulmonary)\b", re.IGNORECASE)
# `exit` and `departure` name leaving office only when a person or an office holder leaves.
NEEDS_PERSON = {"exit", "departure"}
OFFICE_HOLDERS = {
    "minister", "president", "premier", "chancellor", "governor", "mayor", "leader", "chief", "head", "director",
    "chairman", "chairwoman", "chair", "secretary", "executive", "ceo", "manager", "coach", "commissioner",
    "spokesman", "spokeswoman", "official", "deputy", "speaker", "judge", "prosecutor", "general", "commander",
}  # fmt: skip
# Describing words that do not choose how to name the act: `the first walkout`, `a planned strike`.
PLAIN_MODIFIERS = {
    "first", "second", "third", "last", "latest", "new", "recent", "planned", "further", "possible", "ongoing",
    "previous", "same", "other", "such", "own", "whole", "full", "initial", "current", "apparent", "direct",
    "major", "big", "large", "small", "late", "early", "next", "final", "future", "past", "several", "many",
    "separate", "sure", "certain", "various", "similar", "different", "single", "double", "only", "main",
}  # fmt: skip
MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "nummod", "hmod"}
NAME_TYPES = {"PERSON", "NORP", "GPE", "ORG", "LOC", "FAC"}
_QUOTES = "\"“”‘’«»'"
# `24-hour`, `six-week`, `day-long`: how long an act lasts, said in its name
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_NUMBER_WORDS |= {"nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 24 * 7, "month": 24 * 30, "year": 24 * 365}
_DURATION = re.compile(rf"\b(\d+|{'|'.join(_NUMBER_WORDS)})?-?({'|'.join(_HOURS)})(?:-long)?\b(?=\s)")


@dataclass(frozen=True)
class Act:
    """One use of a word for an act or a group: `kind` from the lexicon, `key` the lemmas of the wording
    (`24-hour offensive`, `step down`), `phrase` as written, `start`/`end` in the parsed text, and whether
    that text is the article's headline."""

    article: str
    kind: str
    key: str
    phrase: str
    start: int
    end: int
    in_title: bool = False
    word: str = ""  # the lexicon's word: `offensive`, `step down`


def acts_in(doc: Doc, article: str, *, in_title: bool = False) -> list[Act]:
    """Every use in `doc` of a word the lexicon knows, with the words that describe it."""
    found = []
    for token in doc:
        kind_and_tokens = _noun_act(token) or _verb_act(token) or _adjective_act(token)
        if kind_and_tokens is None:
            continue
        kind, tokens, word = kind_and_tokens
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        phrase = text_of(doc)[start:end].strip(_QUOTES)
        phrase = re.sub(rf"[{_QUOTES}]", "", phrase) if len(tokens) > 1 else phrase
        found.append(Act(article, kind, _key(tokens), phrase, start, end, in_title, word))
    return found


def group_acts(acts: list[Act]) -> list[list[Act]]:
    """The uses of one story grouped by kind, kept where the articles word that kind differently."""
    by_kind: dict[str, list[Act]] = defaultdict(list)
    for act in acts:
        by_kind[act.kind].append(act)
    groups = []
    for uses in by_kind.values():
        uses = _one_duration(uses)
        articles_by_key: dict[str, set[str]] = defaultdict(set)
        for act in uses:
            articles_by_key[act.key].add(act.article)
        all_articles = set().union(*articles_by_key.values())
        # framing is a choice between outlets: two words (not one word described two ways: `inquiry`,
        # `independent inquiry`), and not every article using every wording
        two_words = len({act.word[:6] for act in uses}) > 1  # `investigate` and `investigation` are one word
        if two_words and len(all_articles) > 1 and any(a != all_articles for a in articles_by_key.values()):
            groups.append(uses)
    return groups


def _one_duration(uses: list[Act]) -> list[Act]:
    """Wordings of one event agree on how long it lasts: beside a `24-hour shutdown`, a `24-hour walkout`
    and a `stoppage`, the `six-week strike` is another event (the one threatened), and is left out."""
    durations = Counter(d for d in {(a.key, _duration(a.key)) for a in uses} if d[1])
    by_duration = Counter(duration for _, duration in durations)
    if len(by_duration) < 2:
        return uses
    (top, n), (_, m) = by_duration.most_common(2)
    if n == m:
        return uses  # no telling which is the event the others name
    return [a for a in uses if _duration(a.key) in (0, top)]


def _duration(key: str) -> float:
    """Hours said in a wording (`24-hour shutdown` and `day-long strike` are both 24), 0 when none is."""
    match = _DURATION.search(key)
    if not match:
        return 0
    count = match.group(1) or "1"
    return (int(count) if count.isdigit() else _NUMBER_WORDS[count]) * _HOURS[match.group(2)]


def shown_phrase(uses: list[Act]) -> str:
    """How a wording is shown: its commonest form in the articles' texts (`failed` over a headline's `fails`)."""
    body = [a.phrase for a in uses if not a.in_title] or [a.phrase for a in uses]
    return Counter(body).most_common(1)[0][0]


# -- recognizing a use ------------------------------------------------------------------------------


def _lemma(token: Token) -> str:
    return (token.lemma_ if token.pos_ != "PROPN" else token.text).lower().strip(_QUOTES)


def _noun_act(token: Token) -> tuple[str, list[Token], str] | None:
    # an adjective in a noun's place is a noun the tagger missed: `ends lightning offensive`
    as_noun = token.pos_ == "ADJ" and token.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj")
    if token.pos_ not in ("NOUN", "PROPN") and not as_noun:
        return None
    lemma = _noun_lemma(token)
    kinds = [kind for kind, words in NOUNS.items() if lemma in words]
    if not kinds:
        return None
    modifiers = _modifiers(token)
    if lemma in NEEDS_MILITARY_WORD:
        military = any(MILITARY_WORDS.search(t.lower_) for t in modifiers)
        kinds = [k for k in kinds if (k == ATTACK) == military]
    if ATTACK in kinds and NOT_AN_ATTACK.search(token.sent.text):
        kinds.remove(ATTACK)
    if ARREST in kinds and NOT_AN_ARREST.search(token.doc[max(0, token.i - 3) : token.i].text):
        kinds.remove(ARREST)
    if lemma == "failure" and any(c.lower_ in ("to", "of") for c in token.rights):
        return None  # `a failure to act`, `a failure of maintenance`: a judgment, not the thing failing
    if lemma in NEEDS_PERSON and not _left_by_a_person(token):
        return None
    if not kinds:
        return None
    return kinds[0], modifiers + [token], lemma


def _noun_lemma(token: Token) -> str:
    lemma = _lemma(token)
    if token.pos_ == "PROPN" and lemma.endswith("s") and lemma[:-1] in _ALL_NOUNS:
        return lemma[:-1]  # a headline's capitalized plural: `Rioters`
    return lemma


def _verb_act(token: Token) -> tuple[str, list[Token], str] | None:
    if token.pos_ != "VERB":
        return None
    lemma = _lemma(token)
    if lemma not in _VERB_HEADS:
        return None  # most verbs: looked up before their children are
    extra = [c for c in token.children if c.dep_ in ("prt", "advmod", "dobj") and c.i > token.i]
    for kind, verbs in VERBS.items():
        for verb in verbs:
            head, _, rest = verb.partition(" ")
            if head != lemma:
                continue
            if rest:
                completing = [c for c in extra if c.lower_ == rest]
                if completing:
                    return kind, [token, completing[0]], verb
            elif not _excluded_verb_use(token, lemma, kind):
                return kind, [token], verb
    return None


def _excluded_verb_use(token: Token, lemma: str, kind: str) -> bool:
    """Uses of a lexicon verb that are not the act: `failed to agree`, `struck a deal`, `broke out`."""
    deps = {c.dep_ for c in token.children}
    if lemma == "fail" and deps & {"xcomp", "ccomp", "dobj"}:
        return True
    if lemma == "strike" and "dobj" in deps:
        return True
    if kind == ATTACK and NOT_AN_ATTACK.search(token.sent.text):
        return True
    return any(c.dep_ in ("prt", "advmod") and c.lower_ in ("down", "out", "off", "aside") for c in token.children)


def _adjective_act(token: Token) -> tuple[str, list[Token], str] | None:
    """`the faulty spillway gate`: the adjective with the thing it describes."""
    if token.pos_ != "ADJ" or token.dep_ != "amod" or token.head.i < token.i:
        return None
    for kind, words in ADJECTIVES.items():
        if _lemma(token) in words:
            return kind, list(token.doc[token.i : token.head.i + 1]), _lemma(token)
    return None


def _modifiers(head: Token) -> list[Token]:
    """The describing words right before a noun (`swift military`, `24-hour`, `bribery`), stopping at a
    determiner, a possessive or a name: those say whose act it is, not how it is named."""
    doc = head.doc
    kept: list[Token] = []
    i = head.i - 1
    while i >= 0:
        unit = _hyphenated_word(doc, i)
        i = unit[0].i - 1
        if all(t.text in _QUOTES for t in unit):
            continue  # a describing word in quotation marks: `“anti-terrorist” operation`
        inside = {t.i for t in unit}
        root = next((t for t in unit if t.head.i not in inside), unit[-1])
        if root.head != head and root.head not in kept or root.dep_ not in MODIFIER_DEPS or not _describes(unit):
            break
        if _subtree_outside(unit, kept, head) or _inside_a_name(unit):
            break  # `ring road probe`: the road is what is probed, not a word for the probe
        kept = unit + kept
    return kept


def _describes(unit: list[Token]) -> bool:
    if any(t.ent_type_ in NAME_TYPES or t.pos_ in ("PROPN", "DET", "PRON") for t in unit):
        return False
    if len(unit) == 1 and (unit[0].like_num or unit[0].pos_ == "NUM" or unit[0].text in _QUOTES):
        return False
    if len(unit) == 1 and (unit[0].lower_ in PLAIN_MODIFIERS or unit[0].tag_ in ("JJS", "JJR", "RBR", "RBS", "VBG")):
        return False  # `deadliest`, `earlier`, `threatening`: how it compares or what it does, not its name
    return not unit[-1].lower_.endswith(("old", "ago"))  # `week-old`: its age


def _subtree_outside(unit: list[Token], kept: list[Token], head: Token) -> bool:
    inside = {t.i for t in unit} | {t.i for t in kept} | {head.i}
    return any(t.i not in inside for u in unit for t in u.subtree)


def _inside_a_name(unit: list[Token]) -> bool:
    """A noun that ends a run of nouns (`ring road`, `Brask dock`) names a thing, it does not describe the act."""
    before = unit[0].i - 1
    return unit[-1].pos_ == "NOUN" and before >= 0 and unit[0].doc[before].pos_ in ("NOUN", "PROPN")


def _hyphenated_word(doc: Doc, i: int) -> list[Token]:
    first = last = i
    """The whole hyphenated word around token i: `24-hour`, `anti-terror`."""

    def joins(hyphen: int) -> bool:  # a hyphen with no space on either side
        return doc[hyphen].text in "-–" and not doc[hyphen - 1].whitespace_ and not doc[hyphen].whitespace_

    if 0 < i < len(doc) - 1 and joins(i):
        i -= 1
    first = last = i
    while first >= 2 and joins(first - 1):
        first -= 2
    while last + 2 < len(doc) and joins(last + 1):
        last += 2
    return list(doc[first : last + 1])


def _left_by_a_person(noun: Token) -> bool:
    """`his exit`, `the minister's departure`, `the departure of Kovač`; not `a mass departure of residents`."""
    for child in noun.children:
        if child.dep_ == "poss" and _is_person(child):
            return True
        of_person = any(_is_person(obj) for obj in child.children if obj.dep_ == "pobj")
        if child.dep_ == "prep" and child.lower_ == "of" and of_person:
            return True
    return False


def _is_person(token: Token) -> bool:
    if token.pos_ == "PRON":
        return token.lower_ in ("his", "her", "he", "she")
    return token.ent_type_ == "PERSON" or token.lemma_.lower() in OFFICE_HOLDERS or token.lower_ in OFFICE_HOLDERS


def _key(tokens: list[Token]) -> str:
    """The wording by lemmas, so that `fails`/`failed` and `operation`/`operations` are one."""
    words = []
    for t in tokens:
        if t.text in _QUOTES:
            continue
        words.append(_noun_lemma(t) if t.pos_ in ("NOUN", "PROPN") else _lemma(t))
        words.append(t.whitespace_ and " ")
    return "".join(words).strip()


_ALL_NOUNS = set().union(*NOUNS.values())
_VERB_HEADS = {verb.partition(" ")[0] for verbs in VERBS.values() for verb in verbs}
