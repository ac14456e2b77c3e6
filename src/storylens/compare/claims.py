"""Agreement and conflict between numeric claims about the same quantity.

Two claims are about the same quantity when what they count means the same (the same head words, or
words of one casualty/displacement/arrest class: `killed`, `dead`, `lives`), in the same dimension
(both counts, or both durations...), in similar context (the words around them), and their values are
within an order of magnitude: `200 lives` and `30,000 people dead` are different wars, not a
disagreement. Each value becomes an interval from its qualifier (`at least 200` is [200, inf),
`about two hours` is [1.8, 2.2] hours, `several hours` is [3, 9]); claims agree when their intervals
meet, and conflict when two of them cannot both be true.

A conflict needs more than that: a toll of the story's event (deaths, injured, displaced, arrested) may
conflict across its articles, but other figures belong to a subject (a player's yards, a laptop's
price), so two of them are shown as a conflict only when two outlets tell one sentence with different
figures (passages the stories stage aligned as copied or edited), or one article sets two sources'
figures against each other. Each conflict says which of these it rests on (`evidence`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from storylens.intervals import Intervals
from storylens.model import Claim, ClaimGroup, Reuse, StatedClaim
from storylens.sentences import split_sentences
from storylens.stories.features import COUNT_CLASS_OF, STOPWORDS, capitalised_runs, content_stems, fold

_TIME_UNITS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 730, "year": 8760}
_DISTANCE_UNITS = {"km": 1.0, "kilometer": 1.0, "kilometre": 1.0, "mile": 1.609, "m": 0.001, "meter": 0.001,
                   "metre": 0.001}  # fmt: skip
# Vague amounts as intervals, in the claim's own unit.
# Plurals are read loosely, as a reader does: "thousands fled" does not contradict "more than 10,000".
_VAGUE = {"several": (3, 9), "a few": (2, 5), "few": (2, 5), "dozens": (12, 999), "hundreds": (100, 9_999),
          "thousands": (1_000, 99_999), "tens of thousands": (10_000, 999_999),
          "hundreds of thousands": (100_000, 9_999_999), "millions": (1e6, 999e6)}  # fmt: skip
# Qualifiers as (low factor, high factor) around the value.
_QUALIFIERS = {
    "at least": (1, math.inf), "more than": (1, math.inf), "over": (1, math.inf), "above": (1, math.inf),
    "upwards of": (1, math.inf), "just over": (1, 1.2), "up to": (0, 1), "at most": (0, 1), "less than": (0, 1),
    "fewer than": (0, 1), "under": (0, 1), "below": (0, 1), "nearly": (0.85, 1), "almost": (0.85, 1),
    "about": (0.9, 1.1), "around": (0.9, 1.1), "roughly": (0.9, 1.1), "approximately": (0.9, 1.1),
    "some": (0.85, 1.15), "an estimated": (0.85, 1.15), "estimated": (0.85, 1.15),
}  # fmt: skip
# words that say how something is counted, not what: they never make two quantities the same
_GENERIC_QUANTITY_WORDS = {"duration", "distance", "count", "number", "total", "people", "claim", "estimat", "hold"}
_COUNT_CLASSES = set(COUNT_CLASS_OF.values())  # tolls of an event: its story says what they are about
MAX_RATIO = 3.0  # values further apart than this are taken to count different things
MIN_DISTINCTIVE = 20  # figures below this (two dams, three bids) recur by chance
# Two different values are only called a conflict when what they count is closely the same (Jaccard of the
# quantity words) or their sentences share context: otherwise they are more likely different quantities.
MIN_QUANTITY_OVERLAP = 0.5
MIN_CONTEXT = 0.12


class Comparable(StatedClaim):
    """A stated claim with what the comparison works out about it once (its words, context, names, keys)."""

    @cached_property
    def words(self) -> set[str]:
        return _quantity_words(self)

    @cached_property
    def context(self) -> set[str]:
        return _context(self)

    @cached_property
    def names(self) -> set[str]:
        """The words of the names its sentence mentions: what the number is about, when a toll is not."""
        return {word for run in capitalised_runs(self.sentence) for word in run.split()}

    @cached_property
    def dimension(self) -> str:
        return _dimension(self.claim)

    @cached_property
    def interval(self) -> tuple[float, float]:
        return _interval(self.claim)

    @cached_property
    def stated(self) -> float | None:
        return figure(self.claim)

    @cached_property
    def block_keys(self) -> set[tuple]:
        """Two claims can only be one quantity if they share one of these (see `_same_quantity`)."""
        keys = {(self.dimension, word) for word in self.words}
        if self.stated is not None and self.stated >= MIN_DISTINCTIVE:
            keys.add((self.dimension, "#", self.stated))
        return keys


def stated_claims(article_id: str, text: str, claims: list[Claim], source: str | None) -> list[StatedClaim]:
    """Wrap an article's claims with ids and the sentence each stands in."""
    spans = split_sentences(text)
    out = []
    for n, claim in enumerate(claims):
        sentence = next((text[s.start : s.end] for s in spans if s.start <= claim.start < s.end), claim.text)
        out.append(StatedClaim(f"{article_id}:c{n}", article_id, claim, sentence, source))
    return out


def comparable(claims: Iterable[StatedClaim]) -> list[Comparable]:
    """Claims ready to compare; comparing the same claims many times (against other stories) prepares them once."""
    return [
        c if isinstance(c, Comparable) else Comparable(c.id, c.article, c.claim, c.sentence, c.source) for c in claims
    ]


def compare_claims(
    claims: list[StatedClaim], story_of: dict[str, str] | None = None, reuse: Iterable[Reuse] = ()
) -> list[ClaimGroup]:
    """Groups of two or more claims about one quantity, each with a verdict.

    With `story_of` (article id -> story id), claims from different stories are grouped only when
    they agree (background facts retold across stories); a different number in another story is
    more likely another event than a contradiction. `reuse` (passages the stories stage aligned) tells
    which figures stand in the same sentence told by two outlets.
    """
    story_of = story_of or {}
    aligned = _Alignments(reuse)
    groups: list[list[Comparable]] = []
    # a claim joins a group only if it is the same quantity as every member, so as its first one:
    # groups are looked up by their first member's block keys instead of trying them all
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for item in comparable(claims):
        candidates = sorted({g for key in item.block_keys for g in by_key.get(key, [])})
        home = next(
            (
                g
                for g in candidates
                if all(_same_quantity(item, o, story_of, aligned) for o in _checked(groups[g], item, story_of))
            ),
            None,
        )
        if home is None:
            groups.append([item])
            for key in item.block_keys:
                by_key[key].append(len(groups) - 1)
        else:
            groups[home].append(item)
    out = []
    for members in groups:
        if len(members) < 2:
            continue
        verdict, explanation, evidence, pair = _verdict(members, aligned)
        if _one_article(members) and verdict == "agree":
            continue  # one article repeating itself (or converting units) is no comparison
        if evidence == "same subject":
            continue  # two figures whose sentences only share a name: on real news mostly two things (two games)
        out.append(ClaimGroup(_about(members), [m.id for m in members], verdict, explanation, evidence, pair))
    # the best-founded conflicts first: the ones a reader should check first
    return sorted(out, key=lambda g: EVIDENCE.index(g.evidence) if g.evidence else len(EVIDENCE))


# A claim joins a group when it is the same quantity as every member; in a group of more members (one figure
# in hundreds of reprints) a claim of the group's story is checked against the first and the latest half.
CHECKED_MEMBERS = 64


def _checked(members: list[Comparable], item: Comparable, story_of: dict[str, str]) -> list[Comparable]:
    """The members a claim must be the same quantity as. A claim from another story is checked against every
    member: it joins only a group it agrees with all through, and a figure it contradicts may stand anywhere."""
    if len(members) <= CHECKED_MEMBERS or story_of.get(item.article) != story_of.get(members[0].article):
        return members
    half = CHECKED_MEMBERS // 2
    return members[:half] + members[-half:]


# -- same quantity ---------------------------------------------------------------------------------


def _one_article(members: list[Comparable]) -> bool:
    return len({m.article for m in members}) == 1


def _quantity_words(item: Comparable) -> set[str]:
    """What the claim counts, as stems, with words of one class (`killed`, `dead`) made one."""
    words = {COUNT_CLASS_OF.get(s, s) for s in content_stems(item.claim.quantity)} - _GENERIC_QUANTITY_WORDS
    if not words and _dimension(item.claim) == "count":
        # `put the number of evacuees at just over 3,000`, `the death toll rose to three`: words next to
        # the number say what is counted (a distance or a duration in a sentence about deaths is not a toll:
        # `died after falling 150 metres`; nor is a count further off: `the arrest of one of three`)
        if _NAMES_A_COUNT.search(item.sentence):
            words = {COUNT_CLASS_OF[s] for s in content_stems(item.sentence) if s in COUNT_CLASS_OF}
        else:  # the nearest count word: in `30 dead and 55 wounded, 15 critically`, 15 are wounded
            words = set(_nearest_class(item)[:1])
    return words


# A sentence that names the count it gives a figure for: `the number of people killed rose to three`.
_NAMES_A_COUNT = re.compile(r"\b(number|toll|tally|total|figure)\b", re.IGNORECASE)


def _nearest_class(item: Comparable, words: int = 5) -> list[str]:
    """Count classes of the words within `words` of the claim in its sentence, nearest first."""
    at = item.sentence.find(item.claim.text)
    if at < 0:
        return []
    before = item.sentence[:at].split()[-words:][::-1]
    after = item.sentence[at + len(item.claim.text) :].split()[:words]
    # interleave by distance: the word right after, the word right before, then one further each way
    by_distance = [w for pair in zip(after + [""] * words, before + [""] * words, strict=False) for w in pair if w]
    return [COUNT_CLASS_OF[s] for w in by_distance for s in content_stems(w) if s in COUNT_CLASS_OF]


def _dimension(claim: Claim) -> str:
    unit = _unit_key(claim.unit)
    if unit in _TIME_UNITS:
        return "time"
    if unit in _DISTANCE_UNITS:
        return "distance"
    return unit or "count"


def _unit_key(unit: str | None) -> str | None:
    if not unit:
        return None
    key = unit.lower().rstrip(".")
    return key[:-1] if key.endswith("s") and key[:-1] in _TIME_UNITS | _DISTANCE_UNITS else key


def _same_quantity(a: Comparable, b: Comparable, story_of: dict[str, str], aligned: _Alignments) -> bool:
    if a.dimension != b.dimension or (a.article == b.article and a.claim.start == b.claim.start):
        return False
    ia, ib = a.interval, b.interval
    if _same_distinctive_value(a, b, story_of):
        return True  # `about 300 homes` / `about 300 houses` in one story: other words, the same figure
    wa, wb = a.words, b.words
    if not wa & wb:
        return False
    if _ratio(*ia, *ib) > MAX_RATIO and not _retold_figure(a, b, aligned):
        return False
    if _overlap(ia, ib, _tolerance(a.claim, b.claim)):
        return True  # the same kind of thing, with values that fit together
    if story_of.get(a.article) != story_of.get(b.article) or (a.article == b.article and a.sentence == b.sentence):
        return False  # two numbers in one sentence are parts, totals or comparisons, not a contradiction
    if a.article == b.article:
        if not _two_sources(a.claim, b.claim):
            return False  # one voice giving two numbers is speaking of two things (two players, two models)
    elif not wa & wb & _COUNT_CLASSES and not (aligned.retold(a, b) or a.names & b.names):
        return False  # not an event's toll, one sentence retold, or one named subject: two players' yards
    return _jaccard(wa, wb) >= MIN_QUANTITY_OVERLAP or _jaccard(a.context, b.context) >= MIN_CONTEXT


# A character lost in decoding, or a fraction torn apart (`served 41 / 2 months` for 4½): a figure read wrong
_ILLEGIBLE = re.compile(r"\ufffd|\d\s*/\s*\d")


def _retold_figure(a: Comparable, b: Comparable, aligned: _Alignments) -> bool:
    """The same figure of one sentence copied into another article, however far its values lie apart (`will spend
    4 million crowns` / `will spend 4 billion crowns`): one of them is wrong, unless the text itself is garbled."""
    if a.article == b.article or not aligned.retold(a, b) or _jaccard(a.words, b.words) < MIN_QUANTITY_OVERLAP:
        return False
    return not (_ILLEGIBLE.search(a.sentence) or _ILLEGIBLE.search(b.sentence))


class _Alignments:
    """Which passages of two articles the stories stage aligned as copied or edited (not paraphrased)."""

    def __init__(self, reuse: Iterable[Reuse]) -> None:
        spans: dict[tuple[str, str], list[tuple[int, int, tuple[int, int]]]] = defaultdict(list)
        for r in reuse:
            if r.kind != "paraphrase":  # a paraphrase shares too little to say its figures count one thing
                spans[(r.a, r.b)].append((r.a_start, r.a_end, (r.b_start, r.b_end)))
                spans[(r.b, r.a)].append((r.b_start, r.b_end, (r.a_start, r.a_end)))
        self.spans = {pair: Intervals(found) for pair, found in spans.items()}

    def retold(self, a: StatedClaim, b: StatedClaim) -> bool:
        """The two figures stand in one sentence copied or edited from one article into the other."""
        if (a.article, b.article) not in self.spans:
            return False
        passages = self.spans[(a.article, b.article)].overlapping(a.claim.start, a.claim.start + 1)
        return any(start <= b.claim.start < end for _, _, (start, end) in passages)


def _two_sources(a: Claim, b: Claim) -> bool:
    """Both numbers are attributed, to different sources: an article setting one figure against another."""
    return bool(a.attributed_to and b.attributed_to and fold(a.attributed_to) != fold(b.attributed_to))


def _same_distinctive_value(a: Comparable, b: Comparable, story_of: dict[str, str]) -> bool:
    """The same precise figure in two articles of one story, big enough not to recur by chance."""
    if a.article == b.article or story_of.get(a.article) != story_of.get(b.article):
        return False
    return a.stated is not None and a.stated == b.stated and a.stated >= MIN_DISTINCTIVE and a.dimension == b.dimension


def figure(claim: Claim) -> float | None:
    """The figure stated, in base units, whatever its qualifier: `about 300` -> 300, `24 hours` -> 24."""
    value = claim.value
    if isinstance(value, str):
        number = re.match(r"^([\d.]+)", value)
        if not number:
            return None  # `several hours`, `thousands`
        value = float(number.group(1))
    return float(value) * _scale(claim.unit)


def _context(item: Comparable) -> set[str]:
    """Content words of the claim's sentence, without the number and what it counts."""
    own = set(content_stems(item.claim.text)) | set(content_stems(item.claim.quantity))
    return {s for s in content_stems(item.sentence) if s not in own and s not in STOPWORDS and not s[0].isdigit()}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _ratio(low_a: float, high_a: float, low_b: float, high_b: float) -> float:
    mid_a = low_a if math.isinf(high_a) else (low_a + high_a) / 2
    mid_b = low_b if math.isinf(high_b) else (low_b + high_b) / 2
    if min(mid_a, mid_b) <= 0:
        return math.inf
    return max(mid_a, mid_b) / min(mid_a, mid_b)


# -- values ------------------------------------------------------------------------------------------


def _interval(claim: Claim) -> tuple[float, float]:
    """The values the claim allows, in base units (hours, km, or the count itself)."""
    scale = _scale(claim.unit)
    value = claim.value
    if isinstance(value, str):
        text = re.sub(r"\s+", " ", value.lower())
        number = re.match(r"^([\d.]+)", text)
        vague = next((v for k, v in sorted(_VAGUE.items(), key=lambda kv: -len(kv[0])) if text.startswith(k)), None)
        if number:
            value = float(number.group(1))
        elif vague:
            return vague[0] * scale, vague[1] * scale
        else:
            return math.nan, math.nan
    low, high = _QUALIFIERS.get((claim.qualifier or "").lower(), (1, 1))
    base = float(value) * scale
    return base * low, base * high


def _scale(unit: str | None) -> float:
    key = _unit_key(unit)
    return _TIME_UNITS.get(key or "", _DISTANCE_UNITS.get(key or "", 1.0))


def _tolerance(a: Claim, b: Claim) -> float:
    """Rounding slack: a converted unit (`34 km (21 miles)`) is rounded, so allow more than for one unit."""
    return 0.05 if _unit_key(a.unit) != _unit_key(b.unit) else 0.01


def _overlap(a: tuple[float, float], b: tuple[float, float], tolerance: float = 0.01) -> bool:
    return a[0] <= b[1] * (1 + tolerance) and b[0] <= a[1] * (1 + tolerance)


# Why two figures are taken to be about one thing, strongest first, with what the explanation adds.
# "same subject" alone (the sentences share a name) is not shown as a conflict: judged by hand on real
# news it was mostly two different things (one player's season and game, two laptops' prices).
EVIDENCE = ("retold", "two sources", "toll", "same subject")
_EVIDENCE_NOTE = {
    "retold": "; the same sentence in both, with another figure",
    "two sources": "; one article sets one against the other",
}


def _evidence(a: Comparable, b: Comparable, aligned: _Alignments) -> str:
    if a.article != b.article and aligned.retold(a, b):
        return "retold"
    if a.article == b.article:
        return "two sources"
    return "toll" if a.words & b.words & _COUNT_CLASSES else "same subject"


def _verdict(members: list[Comparable], aligned: _Alignments) -> tuple[str, str, str | None, tuple[str, str] | None]:
    intervals = [m.interval for m in members]
    clashes = [
        (members[i], members[j])
        for i in range(len(members))
        for j in range(i + 1, len(members))
        if not _overlap(intervals[i], intervals[j], _tolerance(members[i].claim, members[j].claim))
    ]
    if not clashes:
        values = sorted({_say(m) for m in members})
        return "agree", f"all {len(members)} reports fit together: {', '.join(values)}", None, None
    # the pair a reader should see first: the one best shown to be about one thing, counting the same words
    strength, _, best = min(
        (EVIDENCE.index(_evidence(a, b, aligned)), -_jaccard(a.words, b.words), n) for n, (a, b) in enumerate(clashes)
    )
    evidence, (a, b) = EVIDENCE[strength], clashes[best]
    more = f" ({len(clashes) - 1} more pair(s) disagree)" if len(clashes) > 1 else ""
    note = _EVIDENCE_NOTE.get(evidence, "")
    # two sources an article quotes may measure differently (two polls): they disagree, not contradict
    verb = "differs from" if evidence == "two sources" else "cannot both be true with"
    explanation = f"{_say(a, who=True)} {verb} {_say(b, who=True)}{note}{more}"
    return "conflict", explanation, evidence, (a.id, b.id)


def _say(item: Comparable, who: bool = False) -> str:
    c = item.claim
    value = f"{c.value:,.0f}" if isinstance(c.value, float | int) and float(c.value).is_integer() else str(c.value)
    unit = f" {c.unit}" if c.unit and c.unit not in value else ""
    text = f"{c.qualifier + ' ' if c.qualifier else ''}{value}{unit}"
    if not who:
        return text
    by = f"according to {c.attributed_to}" if c.attributed_to else "unattributed"
    return f"{text} ({item.source or item.article}, {by})"


def _about(members: list[Comparable]) -> str:
    counts: dict[str, int] = {}
    for m in members:
        counts[m.claim.quantity] = counts.get(m.claim.quantity, 0) + 1
    return max(counts, key=lambda q: (counts[q], -len(q)))
