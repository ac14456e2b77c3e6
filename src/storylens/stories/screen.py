"""Screening a pile before stories are built: is this text a news article at all?

Scraped piles bring home text that is not news: one line of site boilerplate, a navigation menu,
a cookie wall, a web-archive crawl notice, a tweet embed, a paywall or error page, numbers only,
another language. Such text must not become a story of its own (nor break the analysis of one), yet a
person should see that it was left out and why. `not_news_reason` says why in a few words, or
returns None for text that reads as a news article.

The rules are general shapes of prose, not word lists of any corpus: a news article has words, most
of its characters are letters in the Latin alphabet, it uses English function words (storylens
analyses English), it has at least one sentence of running prose, and scraper boilerplate is not
most of what it says. Real news can be very short (one wire sentence, "Film star Ada Lowe, swimming
champion, dies at 88"), so length alone never marks a text that has a sentence of prose.
Thresholds were chosen on dev splits (ECB+ dev, Multi-News clusters 1-25, tests/junk/dev);
benchmarks/screen_quality.py reports them on the held-out splits.
"""

from __future__ import annotations

import re
import unicodedata

# words are runs of letters (with inner apostrophes or hyphens): "O'Brien", "hit-and-run"; not "2:49"
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
# sentences end at . ! ? (and a closing quote), at a line break, or at a menu separator
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\s*\n\s*|\s+[|\u2022\u00b7>\u203a\u00bb]\s+")
_TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")

# the most common English function words; other languages that use the Latin alphabet share few of them
# fmt: off
_ENGLISH = frozenset({
    "the", "of", "and", "to", "a", "in", "that", "for", "on", "with", "from", "this", "by", "at", "he", "she",
    "his", "her", "they", "their", "it", "its", "be", "are", "were", "has", "have", "had", "been", "not", "but",
    "or", "which", "who", "would", "will", "said", "an", "as", "was", "is", "after", "about", "out", "up", "than",
    "more", "we", "you",
})
# words that give a sentence the shape of a clause: auxiliaries, modals and reporting verbs
_VERBISH = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would",
    "can", "could", "may", "might", "must", "should", "shall", "says", "said", "say", "told", "tells",
})
# fmt: on

MIN_WORDS = 5  # "Page not found." and "Skip to main content" are not news; ECB+'s shortest wire items have 6 words
MIN_LETTER_SHARE = 0.5  # of non-space characters; news text is ~80% letters, tables of figures far less
MAX_OTHER_SCRIPT = 0.5  # share of letters outside the Latin alphabet (Cyrillic, CJK, Arabic, ...)
ENGLISH_MIN_WORDS = 12  # lowercase words; below this the function-word share is too noisy to call a language
MIN_ENGLISH_SHARE = 0.12  # of lowercase words; English news runs at 30-45% of these words, other languages far less
MENU_MIN_ITEMS = 4
MENU_FRAGMENT_SHARE = 0.6  # a text is a menu when most of its lines or items are short fragments ...
MENU_PROSE_SHARE = 0.3  # ... and sentences of prose are under this share of its words


# Generic notices that any scraper meets, by kind. A sentence matching one counts as boilerplate when it
# also speaks like a notice (see _NOTICE_VOICE), and the text is marked only when boilerplate outweighs the
# prose around it: an article that carries a cookie line or a "Tweet" button is still an article, and a
# news item about cookie rules or the Wayback Machine, told in the third person, is not a notice.
BOILERPLATE: dict[str, re.Pattern[str]] = {
    kind: re.compile("|".join(patterns), re.IGNORECASE)
    for kind, patterns in {
        "cookie notice": [
            r"\b(we|site|website|page) uses? cookies\b",
            r"\buse of cookies\b",
            r"\bcookie (policy|settings|preferences|notice)\b",
            r"\b(accept|reject|decline)( all)?( non-essential)? cookies\b",
            r"\bunique ids? in cookies\b",
            r"\bstore and/or access information\b",
            r"\blegitimate interests?\b",
            r"\b(our|\d+) partners (store|use|process)\b",
            r"\bwith your consent\b",
            r"\bwithdraw your consent\b",
            r"\bwe value your privacy\b|\byour privacy matters\b",
        ],
        "enable JavaScript notice": [
            r"\b(enable|turn on|activate)\s+javascript\b",
            r"\bjavascript\b[^.]*\b(enabled|disabled|turned off|is off|required|requires|not support)",
            r"\bdoes not support javascript\b",
        ],
        "web archive crawl notice": [
            r"\bcrawl(s|ed|er|ing)?\b",
            r"\bwayback machine\b",
            r"\bwarc files?\b",
            r"\bseed (list|urls?)\b",
            r"\b(captured|archived) by the internet archive\b",
            r"\barchived (pages|copies)\b",
            r"\babout this capture\b",
        ],
        "tweet embed": [
            r"\btweets?\b[^.]*\blocation\b",
            r"\blocation\b[^.]*\btweets?\b",
            r"\bembed(ded)? (this )?tweet\b",
            r"\bcopy link to tweet\b",
            r"\btweet is unavailable\b",
            r"\bview on twitter\b",
            r"\bother tweets\b",
            r"\bnew to twitter\b",
            r"\bpic\.twitter\.com/",
            r"\(@\w+\)\s+\w+ \d{1,2}, \d{4}",  # the attribution line of an embed: "Name (@handle) June 9, 2018"
        ],
        "paywall notice": [
            r"\bsubscribe (now |today )?(to (continue|keep) reading|for unlimited)\b",
            r"\b(continue|keep) reading\b",
            r"\bsubscribers only\b|\bavailable to subscribers\b|\balready a subscriber\b",
            r"\bfree articles?\b",
            r"\bfree trial\b",
            r"\bpremium members?\b",
            r"\bunlimited (digital )?access\b",
        ],
        "error page": [
            r"^\s*(404|403|500|502|503)\b",
            r"\b(page|file) (was )?not found\b",
            r"\b(page|resource) you (requested|were looking for|are looking for)\b",
            r"\bcould not find the page\b",
            r"\baccess (is )?denied\b",
            r"\b403 forbidden\b|^\s*forbidden\s*$",
            r"\bmay have been (moved|removed|deleted)\b",
            r"\b(return|go back) to the home ?page\b",
            r"\bcheck the (address|url|spelling)\b",
            r"\bnot (authorized|authorised|permitted) to (access|view)\b",
            r"\bdo not have permission to access\b",
            r"\brequest (was )?blocked\b",
            r"\bsomething went wrong\b",
            r"\btry again later\b",
            r"\b(video|feature|content) is (not available|unavailable)\b",
            r"\bwhen the video has been rented\b",
        ],
        "copyright line": [r"\bcopyright\b|\u00a9|\ball rights reserved\b"],
    }.items()
}


# Any kind at all, in one pass: most sentences of most texts match none, and are passed over at once.
_ANY_BOILERPLATE = re.compile("|".join(f"(?:{p.pattern})" for p in BOILERPLATE.values()), re.IGNORECASE)

# Once a text speaks as a notice of some kind, any of its sentences on that kind's topic belong to the notice.
_TOPIC: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in {
        "cookie notice": r"\bcookies?\b|\bconsent\b|\bprivacy\b|\bpartners\b|\bpersonal data\b",
        "enable JavaScript notice": r"\bjavascript\b|\bbrowser\b",
        "web archive crawl notice": r"\bcrawl|\barchiv|\bwayback\b|\bcaptur|\bseeds?\b",
        "tweet embed": r"\btweets?\b|\btwitter\b",
        "paywall notice": r"\bsubscri|\bmembers?(ship)?\b|\bfree articles?\b|\b(continue|keep) reading\b",
        "error page": r"\berror\b|\bnot found\b|\bdenied\b|\bunavailable\b|\btry again\b",
        "copyright line": r"\bcopyright\b|\u00a9|\brights reserved\b",
    }.items()
}

# A notice addresses the reader or points at the page itself ("you", "we", "please", "this site", an
# imperative such as "Subscribe today"), or is a short label ("Access Denied", "Tweet with a location");
# news reports in the third person. Embed markup and consent-framework wording count wherever they stand.
_NOTICE_VOICE = re.compile(
    r"\b(you|your|we|our|us|please|click)\b"
    r"|\b(this|these) (site|website|page|pages|url|video|tweet|content|feature|story|article|app|browser"
    r"|resource|server|crawl|crawls|capture|captures)\b"
    r"|^\W*(subscribe|sign|log|become|register|join|continue|accept|learn|add|enable|turn|follow|try|return"
    r"|check|view|embed|copy|watch)\b",
    re.IGNORECASE,
)
_UNMISTAKABLE = re.compile(
    r"pic\.twitter\.com/|\(@\w+\)\s+\w+ \d{1,2}, \d{4}|\bstore and/or access information\b|\bwarc files?\b",
    re.IGNORECASE,
)
LABEL_WORDS = 6  # a notice heading or button: "404 Not Found", "About this capture", "Subscribe to continue reading"


def not_news_reason(text: str, title: str | None = None) -> str | None:
    """None for text that reads as a news article; else a short reason a person can read.

    >>> not_news_reason("Voting in the regional election is over in Velmor.") is None
    True
    >>> not_news_reason("The Premier Sports, Fun & Adventure Destination in the Northeast")
    'too short: 9 words and no sentence'
    """
    text = text.strip()
    if not text:
        return "empty: no text"
    chars = [ch for ch in text if not ch.isspace()]
    letters = [ch for ch in chars if ch.isalpha()]
    if not letters:
        return "numbers only: no words"
    if len(letters) / len(chars) < MIN_LETTER_SHARE:
        return f"mostly numbers and symbols: {1 - len(letters) / len(chars):.0%} of characters"
    script = _other_script(letters)
    if script:
        return f"not English: mostly {script} script"

    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]
    words = _WORD.findall(text)
    # the title takes part in spotting a notice ("404 Not Found" over a line of apology), not in the prose
    items = sentences + ([title.strip()] if title and title.strip() else [])
    boilerplate = _boilerplate_of(items)
    prose = [s for i, s in enumerate(sentences) if i not in boilerplate and _is_prose(s)]
    prose_words = sum(len(_WORD.findall(s)) for s in prose)
    by_kind: dict[str, int] = {}
    for i, kind in boilerplate.items():
        by_kind[kind] = by_kind.get(kind, 0) + max(1, len(_WORD.findall(items[i])))
    if by_kind and sum(by_kind.values()) >= prose_words:
        return f"boilerplate: {max(by_kind, key=by_kind.__getitem__)}"

    if len(words) < MIN_WORDS:
        return f"too short: {_count(len(words), 'word')}"
    fragments = [s for s in sentences if _is_fragment(s)]
    if not prose:
        if len(sentences) >= MENU_MIN_ITEMS:
            return f"no sentences: a list of links/menu items ({_count(len(sentences), 'item')})"
        return f"too short: {_count(len(words), 'word')} and no sentence"
    if (
        len(sentences) >= MENU_MIN_ITEMS
        and len(fragments) / len(sentences) >= MENU_FRAGMENT_SHARE
        and prose_words / len(words) < MENU_PROSE_SHARE
    ):
        return f"no sentences: mostly a list of links/menu items ({len(fragments)} of {len(sentences)})"

    # names are capitalised in every language: judge the language on lowercase words only
    lower = [w.lower() for w in words if w[0].islower()]
    if len(lower) >= ENGLISH_MIN_WORDS:
        english = sum(w in _ENGLISH for w in lower) / len(lower)
        if english < MIN_ENGLISH_SHARE:
            return f"not English: {english:.0%} of words are common English words"
    return None


def _is_prose(sentence: str) -> bool:
    """A sentence of running prose: several words, and the shape of a clause rather than a label.

    Either mostly lowercase words ("dies at 88", "is over in"), or a verb-like word (an auxiliary, a
    reporting verb, a past tense) in a sentence that ends like one: "Named Tom Brask head coach."
    Title Case slogans and menu labels have neither.
    """
    words = _WORD.findall(sentence)
    if len(words) < 4:
        return False
    lower = [w for w in words if w[0].islower()]
    if len(lower) >= 3 and len(lower) / len(words) >= 0.5:
        return True
    verbish = any(w.lower() in _VERBISH or (len(w) > 4 and w.lower().endswith("ed")) for w in words)
    return verbish and (bool(_TERMINAL.search(sentence.strip())) or len(lower) >= 2)


def _is_fragment(item: str) -> bool:
    """A menu-like item: a few words, no sentence punctuation at its end."""
    return len(_WORD.findall(item)) <= 4 and not _TERMINAL.search(item)


def _notice_kinds(sentences: list[str]) -> set[str]:
    """The kinds of notice the text speaks in: a sentence that matches a kind and speaks like a notice."""
    kinds = set()
    for sentence in sentences:
        if not _ANY_BOILERPLATE.search(sentence):
            continue
        kind = next((kind for kind, pattern in BOILERPLATE.items() if pattern.search(sentence)), None)
        short = len(_WORD.findall(sentence)) <= LABEL_WORDS
        if kind and (short or _NOTICE_VOICE.search(sentence) or _UNMISTAKABLE.search(sentence)):
            kinds.add(kind)
    return kinds


def _boilerplate_of(sentences: list[str]) -> dict[int, str]:
    """Which sentences are boilerplate, by index, and of what kind.

    Once a text speaks as a notice of some kind, its other sentences on that kind's topic belong to the
    notice too: after "We use cookies ...", "By clicking Accept you agree to the storing of cookies" is part of it.
    """
    kinds = _notice_kinds(sentences)
    found = {}
    for i, sentence in enumerate(sentences):
        kind = next(
            (kind for kind in kinds if BOILERPLATE[kind].search(sentence) or _TOPIC[kind].search(sentence)), None
        )
        if kind:
            found[i] = kind
    return found


def _other_script(letters: list[str]) -> str | None:
    """The script most letters are written in, when it is not the Latin alphabet."""
    if sum(not ch.isascii() for ch in letters) / len(letters) <= MAX_OTHER_SCRIPT:
        return None  # at most that many letters are not ASCII, so at most that many are not Latin
    scripts: dict[str, int] = {}
    for ch in letters:
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else "unknown"
        scripts[script] = scripts.get(script, 0) + 1
    other = {s: n for s, n in scripts.items() if s != "LATIN"}
    if sum(other.values()) / len(letters) <= MAX_OTHER_SCRIPT:
        return None
    top = max(other, key=other.__getitem__)
    return {"CJK": "Chinese/Japanese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean"}.get(
        top, top.title()
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
