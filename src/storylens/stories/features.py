"""Cheap text features shared by clustering, reuse and originality: no spaCy parse, only regexes.

Clustering must keep up with 100,000 articles on two cores, so a term is a lower-cased,
accent-folded word cut down by a light suffix stripper, and an "entity" is a run of
capitalised words (a good-enough stand-in for NER when all we need is overlap).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from functools import lru_cache

from storylens.ingest.normalize import read_markup

# Words with digit groups ("30,000", "2.5") and hyphen/apostrophe compounds stay one token.
WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")
# A generic English stop list: function words and the reporting verbs every news story uses.
_STOP_TEXT = """
    a about above after again against all also although am an and another any are around as at be because been
    before being below between both but by can could did do does doing down during each either else even ever
    every few for from further had has have having he her here hers herself him himself his how however i if in
    into is it its itself just least less let like made make many may me might more most much must my myself
    near neither no nor not now of off often on once one only or other others our ours ourselves out over own
    per perhaps quite rather same several shall she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too toward towards under until up upon us
    very via was we were what when where whether which while who whom whose why will with within without would
    yet you your yours yourself yourselves said says say saying told tell according added adding reported
    reports stated week day days year years time monday tuesday wednesday thursday friday saturday sunday today
    yesterday tomorrow mr mrs ms new first last two three four five six seven eight nine ten
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def headline_words(title: str | None) -> str | None:
    """A headline as its words. Ingest reads the markup out of headlines, but a store written before it did may
    still hold some (a scraped `<title>`, a feed's `<b>`): its words (`img`, `onerror`, `alert`) are not the
    headline's, and as terms they would keep a copy of a story apart from it."""
    if not title or "<" not in title:
        return title
    return read_markup(title)


def fold(text: str) -> str:
    """Lower-case and strip accents, so that `Erdoğan` and `Erdogan` are the same word."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed, -ly): enough to meet `talks`/`talk`, `evacuated`/`evacuate`."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""), ("es", ""),
                         ("s", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + keep
    return word


# Words for the same kind of count: a generic lexicon of what news reports count. Claims are grouped by
# it, and paraphrase alignment reads `30,000 people dead` and `claimed 30,000 lives` as the same fact.
_COUNT_CLASSES = {
    "deaths": "kill killed dead death deaths die died dying lives fatality fatalities toll bodies perish",
    "injured": "wound wounded injure injured injury injuries hurt",
    "displaced": "evacuate evacuated evacuation evacuee evacuees flee fled displaced refugee refugees homeless",
    "arrested": "arrest arrested detain detained detention custody",
    "conflict": "war wars fighting fight conflict clash clashes hostilities battle combat",
}
COUNT_CLASS_OF = {stem(w): name for name, ws in _COUNT_CLASSES.items() for w in ws.split()}


def words(text: str) -> list[str]:
    """Folded word tokens in order (punctuation dropped, numbers kept)."""
    return WORD.findall(fold(text))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry content: stop words and one-letter tokens dropped."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def capitalised_runs(text: str) -> list[str]:
    """Runs of capitalised words (`Nikol Pashinyan`, `Nagorno-Karabakh`), folded; sentence-initial
    stop words (`The`, `But`) are not names, so they are dropped from a run's start."""
    runs: list[str] = []
    current: list[str] = []
    current_end = 0
    for match in WORD.finditer(text):
        token = match.group()
        if token[0].isupper():
            if current and match.start() - current_end > 1:  # punctuation between: a new run
                runs.append(" ".join(current))
                current = []
            folded = fold(token)
            if current or folded not in STOPWORDS:
                current.append(folded)
            current_end = match.end()
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


def article_terms(
    title: str | None, text: str, *, entity_weight: float = 2.0, title_weight: float = 2.0, lead_chars: int = 300
) -> Counter:
    """Term counts of one article for story clustering: content stems, plus `e:`-prefixed capitalised runs.

    Title words count `title_weight` more times, and so do words of the lead (the first `lead_chars`
    characters): headlines and leads name the event, the rest of an article is often background.
    """
    terms: Counter = Counter(content_stems(text))
    for term in content_stems(text[:lead_chars]):
        terms[term] += title_weight - 1
    for run in capitalised_runs(text):
        terms["e:" + run] += entity_weight
    if title:
        for term in content_stems(title):
            terms[term] += title_weight
        for run in capitalised_runs(title):
            terms["e:" + run] += title_weight
    return terms


# -- event features for story clustering: when and which names/numbers ---------------------------------
#
# Look-alike stories (two rehab check-ins, two earthquakes in one country) share most of their words;
# what tells them apart is when they happened and their distinctive names and numbers. These features
# go into the same term counts as `article_terms`, under prefixes, so that a story's centroid carries
# them at no extra cost: `h:` headline/lead stems, `l:` names in the headline/lead, `y:` years, `w:` weekdays,
# `d:` month-days and `n:` numbers named in the headline/lead, `#:` numbers (not years) of the whole text.

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december")
    )
    for m in names.split()
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
# A year: four digits from 1900 to 2099 not glued to other digits ("03,2013" in a dateline still counts).
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?!\d|[.,]\d)")
# "July 29, 2011", "Aug. 2 2011", "Jul 2nd,2013"  /  "02 Jul 2013", "3 March 2026" (year optional for mentions)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*((?:19|20)\d\d)\b)?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s*((?:19|20)\d\d)\b)?", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


def mentioned_years(text: str) -> list[str]:
    """Years written in `text` (1900-2099), in order: `2013` in "July 2,2013" and in "since 2013"."""
    return _YEAR.findall(text)


def _month_days(text: str) -> list[tuple[int, int, int | None]]:
    """(month, day, year or None) for every "July 2, 2013" / "2 July" style date in `text`, in order."""
    found = []
    for match in _MONTH_DAY.finditer(text):
        month, day, year = _MONTHS.get(match.group(1).lower().rstrip(".")), int(match.group(2)), match.group(3)
        found.append((match.start(), month, day, int(year) if year else None))
    for match in _DAY_MONTH.finditer(text):
        month, day, year = _MONTHS.get(match.group(2).lower().rstrip(".")), int(match.group(1)), match.group(3)
        found.append((match.start(), month, day, int(year) if year else None))
    return [(m, d, y) for _, m, d, y in sorted(found) if m and 1 <= d <= 31]


def published_day(published: str | None) -> int | None:
    """The day (proleptic ordinal) of an ISO `published` date, None if there is none."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def dateline_date(text: str, head_chars: int = 120) -> str | None:
    """The ISO date of a dateline at the top of an article ("July 29,2011 | 10:57 pm", "Tue, 02 Jul 2013"),
    a stand-in for the publication date when the metadata has none. Only a full date with a year counts."""
    for month, day, year in _month_days(text[:head_chars]):
        if year:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def lead(text: str, chars: int = 300) -> str:
    """The first sentence or two: up to the first sentence end after `chars // 2` characters, at most `chars`."""
    cut = text[:chars]
    end = max(cut.rfind(". ", 0, chars), cut.rfind(".\n", 0, chars))
    return cut[: end + 1] if end >= chars // 2 else cut


def event_terms(
    title: str | None, text: str, *, entity_weight: float = 2.0, title_weight: float = 2.0, lead_chars: int = 300
) -> Counter:
    """`article_terms` plus the prefixed event features above (see the comment at the top of this section)."""
    terms = article_terms(title, text, entity_weight=entity_weight, title_weight=title_weight, lead_chars=lead_chars)
    head = (title + ".\n" if title else "") + lead(text, lead_chars)
    for term in content_stems(head):
        if not term[0].isdigit():
            terms["h:" + term] += 1
    for run in capitalised_runs(head):
        terms["l:" + run] += 1
    for token in words(head):
        if token[0].isdigit() and len(token) > 1 and not _YEAR.search(token):
            terms["n:" + token] += 1
    for year in mentioned_years(head):  # background years ("since the 2020 war") are mostly further down
        terms["y:" + year] += 1
    for token in words(text):
        if token[0].isdigit() and len(token) > 1 and not _YEAR.search(token):
            terms["#:" + token] += 1
    for weekday in _WEEKDAY.findall(head):
        terms["w:" + weekday.lower()] += 1
    for month, day, _ in _month_days(head):
        terms[f"d:{month:02d}-{day:02d}"] += 1
    return terms
