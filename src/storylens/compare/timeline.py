"""A story's timeline: every resolved date, with the sentences that support it, earliest first."""

from __future__ import annotations

from storylens.model import Article, DateMention, TimelineEvent
from storylens.sentences import split_sentences


def build_timeline(articles: list[Article], dates: dict[str, list[DateMention]]) -> list[TimelineEvent]:
    """One event per date the articles resolve, supported by every sentence that names that date.

    ISO weeks (`this week`) are left out: a reader wants days, months or years on a timeline.
    """
    events: dict[str, TimelineEvent] = {}
    for article in sorted(articles, key=lambda a: (a.published or "~", a.id)):
        sentences = split_sentences(article.text)
        for mention in dates.get(article.id, []):
            if not mention.value or "W" in mention.value:
                continue
            sentence = next((s for s in sentences if s.start <= mention.start < s.end), None)
            start, end = (sentence.start, sentence.end) if sentence else (mention.start, mention.end)
            event = events.setdefault(mention.value, TimelineEvent(mention.value, article.text[start:end].strip()))
            if (article.id, start, end) not in event.evidence:
                event.evidence.append((article.id, start, end))
    return sorted(events.values(), key=lambda e: (e.date, -len(e.evidence)))
