"""Date expressions in an article and the calendar dates they stand for.

News dates are mostly relative (`on Thursday`, `last month`), so each article needs a reference day:
its publication date, else an anchoring date the text itself gives (`Thursday, September 21` with
`September 21, 2023`), else one taken from another article of the same story (`anchor=`). With no
reference, relative expressions are kept with `value=None` rather than guessed.

Values are ISO dates (`2023-09-21`) or coarser ISO forms: `2023-09`, `2023`, and ISO weeks
(`2023-W38`) for `this week`. Decades (`the 1990s`) are not reported: ISO has no plain form for them.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from datetime import date, timedelta

from spacy.tokens import Doc

from storylens.model import DateMention
from storylens.nlp import text_of

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
WEEKDAYS = {name: number for number, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}  # fmt: skip
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
# Words before a bare month name or year that make it a date (`in May`, not `may`).
DATE_CUES = {"in", "since", "by", "until", "till", "from", "last", "this", "next", "early", "late", "mid", "of",
             "during", "before", "after", "between", "and", "to", "through", "throughout", "around", "the"}  # fmt: skip

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
_PART = r"(?P<part>early|late|mid|earlier|later)"
_REL = r"(?P<rel>last|this|next|past|coming)"

# One pattern per kind of expression; `_resolve` knows each kind. Longer matches win overlaps.
PATTERNS = [
    ("iso", rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("mdy", rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    ("dmy", rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"),
    ("month_year", rf"\b(?:{_PART}[- ])?{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    ("month", rf"\b(?:{_PART}[- ])?(?:{_REL}\s+)?{_MONTH}\b"),
    ("weekday", rf"\b(?:{_PART}\s+)?(?:{_REL}\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("deictic", r"\b(?P<deictic>today|tonight|yesterday|tomorrow)\b"),
    ("period", rf"\b(?:{_PART}\s+)?(?:{_REL}|earlier\s+this|later\s+this)\s+(?P<period>week|weekend|month|year)\b"),
    ("ago", r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b"),
    ("year", rf"\b{_YEAR}\b(?![-–]\d|\d|s\b|'s\b)"),
]  # fmt: skip
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in PATTERNS]


def extract_dates(doc: Doc, published: str | None = None, anchor: str | None = None) -> list[DateMention]:
    """Date expressions in `doc`, resolved against `published`, else the text's own anchor, else `anchor`.

    `anchor` is an ISO date from elsewhere (for example `story_anchor` over the other articles of the
    same story); it is used only when the article has neither a publication date nor a date of its own.
    """
    matches = _find(doc)
    reference, kind = _parse_iso(published), "published"
    if reference is None:
        reference, kind = _anchor_from(doc, matches), "text"
    if reference is None:
        reference, kind = _parse_iso(anchor), "story"
    mentions = []
    for start, end, expr_kind, groups in matches:
        try:
            value, relative = _resolve(expr_kind, groups, reference, _is_future(doc, start))
        except OverflowError:  # "next week" of a publication date in year 9999: no such day, left unresolved
            value, relative = None, True
        mentions.append(
            DateMention(
                text=text_of(doc)[start:end],
                start=start,
                end=end,
                value=value,
                anchor=kind if relative and value is not None else None,
            )
        )
    return mentions


def text_anchor(doc: Doc) -> str | None:
    """The date this article's own text anchors its relative dates to (ISO), or None."""
    found = _anchor_from(doc, _find(doc))
    return found.isoformat() if found else None


def reference_date(doc: Doc, published: str | None = None) -> str | None:
    """The article's own reference day: its publication date, else its text anchor."""
    parsed = _parse_iso(published)
    return parsed.isoformat() if parsed else text_anchor(doc)


def story_anchor(reference_dates: Iterable[str | None]) -> str | None:
    """One reference day for a story's unanchored articles: the median of the others' reference days."""
    days = sorted(d for d in (_parse_iso(r) for r in reference_dates) if d is not None)
    if not days:
        return None
    return date.fromordinal(int(statistics.median_low([d.toordinal() for d in days]))).isoformat()


# -- finding expressions ---------------------------------------------------------------------------


def _find(doc: Doc) -> list[tuple[int, int, str, dict]]:
    """Non-overlapping date expressions as (start, end, kind, regex groups), longest first, in text order.
    Found once per Doc: a story's analysis asks for its articles' dates more than once."""
    found = doc.user_data.get("storylens_dates")
    if found is None:
        found = doc.user_data["storylens_dates"] = _search(doc)
    return found


def _search(doc: Doc) -> list[tuple[int, int, str, dict]]:
    text = text_of(doc)
    candidates = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            if _plausible(doc, kind, match):
                candidates.append((match.start(), match.end(), kind, match.groupdict()))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str, dict]] = []
    for cand in candidates:
        if all(cand[1] <= t[0] or cand[0] >= t[1] for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c[0])


def _plausible(doc: Doc, kind: str, match: re.Match) -> bool:
    """Reject matches that are words, not dates: `may`, `march`, `sat`, a count of 2000 things."""
    token = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    if token is None:
        return False
    first = token[0]
    before = doc[first.i - 1].lower_ if first.i > 0 else ""
    month = match.groupdict().get("month")
    if month and not month[0].isupper():
        return False  # month names are capitalized; `may` and `march` are not dates
    if kind in {"month", "month_year"} and month and month.lower() in {"may", "march"} and first.pos_ == "VERB":
        return False
    if kind == "month":
        return bool(first.ent_type_ == "DATE" or before in DATE_CUES or match.group("part") or match.group("rel"))
    if kind == "weekday":
        return match.group("weekday")[0].isupper()
    if kind == "year":
        nxt = doc[token[-1].i + 1] if token[-1].i + 1 < len(doc) else None
        counts_things = nxt is not None and nxt.tag_ in {"NNS", "NNPS"} and first.ent_type_ != "DATE"
        return (first.ent_type_ == "DATE" or before in DATE_CUES) and not counts_things
    if kind in {"mdy", "dmy"}:
        return 1 <= int(match.group("day")) <= 31
    return True


# -- resolving -------------------------------------------------------------------------------------


def _resolve(kind: str, g: dict, ref: date | None, future: bool) -> tuple[str | None, bool]:
    """(ISO value or None, whether the value depends on the reference day)."""
    if kind == "iso":
        return _safe_day(int(g["year"]), int(g["m"]), int(g["d"])), False
    if kind in {"mdy", "dmy"}:
        month, day = MONTHS[g["month"].lower().rstrip(".")], int(g["day"])
        if g.get("year"):
            return _safe_day(int(g["year"]), month, day), False
        if ref is None:
            return None, True
        years = [ref.year - 1, ref.year, ref.year + 1]
        best = min(years, key=lambda y: abs((_day_or_none(y, month, day) or date(y, 1, 1)) - ref))
        return _safe_day(best, month, day), True
    if kind == "month_year":
        return f"{int(g['year']):04d}-{MONTHS[g['month'].lower().rstrip('.')]:02d}", False
    if kind == "year":
        return g["year"], False
    if ref is None:
        return None, True
    if kind == "month":
        month = MONTHS[g["month"].lower().rstrip(".")]
        rel = (g.get("rel") or "").lower()
        if rel == "last":
            year = ref.year if month < ref.month else ref.year - 1
        elif rel == "next" or (future and rel != "this"):
            year = ref.year if month > ref.month or (month == ref.month and rel != "next") else ref.year + 1
        elif rel == "this":
            year = ref.year
        else:  # news reports the past: the latest such month up to the reference
            year = ref.year if month <= ref.month else ref.year - 1
        return f"{year:04d}-{month:02d}", True
    if kind == "weekday":
        return _weekday(WEEKDAYS[g["weekday"].lower()], (g.get("rel") or "").lower(), ref, future).isoformat(), True
    if kind == "deictic":
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["deictic"].lower()]
        return (ref + timedelta(days=shift)).isoformat(), True
    if kind == "period":
        return _period(g["period"].lower(), (g.get("rel") or "this").lower(), ref), True
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else NUMBER_WORDS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit in {"day", "week"}:
            return (ref - timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), True
        if unit == "month":
            months = ref.year * 12 + ref.month - 1 - n
            return f"{months // 12:04d}-{months % 12 + 1:02d}", True
        return f"{ref.year - n:04d}", True
    return None, True


def _weekday(weekday: int, rel: str, ref: date, future: bool) -> date:
    """The weekday nearest the reference in the direction news uses: past unless `next` or future tense."""
    back = (ref.weekday() - weekday) % 7
    if rel == "last":
        return ref - timedelta(days=back or 7)
    if rel == "next" or (future and rel != "this"):
        return ref + timedelta(days=(weekday - ref.weekday()) % 7 or (7 if rel == "next" else 0))
    return ref - timedelta(days=back)


def _period(period: str, rel: str, ref: date) -> str:
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
    if period in {"week", "weekend"}:
        year, week, _ = (ref + timedelta(weeks=step)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "month":
        months = ref.year * 12 + ref.month - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return f"{ref.year + step:04d}"


def _is_future(doc: Doc, char: int) -> bool:
    """Whether the clause holding this date is in the future tense (`will meet on Friday`)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return False
    verb = span[0]
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return any(c.dep_ == "aux" and c.lower_ in {"will", "'ll", "shall"} for c in verb.children)


def _anchor_from(doc: Doc, matches: list[tuple[int, int, str, dict]]) -> date | None:
    """A full date the text gives: the one whose weekday the text also uses, else the latest."""
    full = [_parse_iso(_resolve(kind, g, None, False)[0]) for _, _, kind, g in matches if kind in {"iso", "mdy", "dmy"}]
    full = [d for d in full if d is not None]
    if not full:
        return None
    weekdays_used = {WEEKDAYS[g["weekday"].lower()] for *_, g in matches if g.get("weekday")}
    preferred = [d for d in full if d.weekday() in weekdays_used]
    return max(preferred or full)


def _parse_iso(value: str | None) -> date | None:
    if not value or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    return _day_or_none(int(value[:4]), int(value[5:7]), int(value[8:10]))


def _day_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _safe_day(year: int, month: int, day: int) -> str | None:
    found = _day_or_none(year, month, day)
    return found.isoformat() if found else None
