"""From the analysis records to the report dict that report.schema.json describes: one model, three renderings."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from storylens.model import Article, Entity, Quote, QuoteVariantGroup
from storylens.report.json import empty_report
from storylens.sentences import split_sentences

if TYPE_CHECKING:  # the records the engine hands over; the report never runs the engine
    from storylens.compare.claims import ClaimGroup
    from storylens.engine.pipeline import Analysis, StoryAnalysis

TITLE_WORDS = 14


def build_report(analysis: Analysis) -> dict:
    report = empty_report()
    groups_by_story: dict[str, list[ClaimGroup]] = defaultdict(list)
    story_of = {a.id: s.id for s in analysis.stories for a in s.articles}
    for group in analysis.claim_groups:
        # a group spanning stories (a background fact retold) is shown in each, with all its claims
        for story_id in dict.fromkeys(story_of[m.article] for m in group.members):
            groups_by_story[story_id].append(group)
    for story in analysis.stories:
        for art in story.articles:
            report["articles"].append(_article(art, story))
        report["stories"].append(_story(story, groups_by_story[story.id]))
    return report


def _article(art: Article, story: StoryAnalysis) -> dict:
    return {
        "id": art.id,
        "path": art.path,
        "url": art.url,
        "title": art.title,
        "source": art.source,
        "published": art.published,
        "story": story.id,
        "text": art.text,
        "originality": story.originality[art.id].score,
        "duplicate_of": story.duplicate_of.get(art.id),
        "byline": art.byline,
        "also_read_from": art.extra_paths,
    }


def _story(story: StoryAnalysis, groups: list[ClaimGroup]) -> dict:
    entities = sorted(story.entities, key=lambda e: (-e.mentions, e.name))
    own = {c.id for c in story.claims}
    foreign = [m for g in groups for m in g.members if m.id not in own]
    claims = [
        {
            "id": c.id, "article": c.article, "quantity": c.claim.quantity, "value": c.claim.value,
            "unit": c.claim.unit, "qualifier": c.claim.qualifier, "attributed_to": c.claim.attributed_to,
            "text": c.claim.text, "start": c.claim.start, "end": c.claim.end,
        }
        for c in story.claims + list({m.id: m for m in foreign}.values())
    ]  # fmt: skip
    return {
        "id": story.id,
        "title": story_title(story.originals or story.articles),
        "articles": [a.id for a in story.articles],
        "entities": [_entity(e) for e in entities],
        "quotes": [_quote(q, aid, entities) for aid in _ids(story.originals) for q in _shown(story.facts[aid].quotes)],
        "claims": claims,
        "agreements": [{"about": g.about, "claims": g.claims} for g in groups if g.verdict == "agree"],
        "conflicts": [
            {"about": g.about, "claims": g.claims, "explanation": g.explanation, "evidence": g.evidence, "pair": g.pair}
            for g in groups
            if g.verdict != "agree"
        ],
        "reuse": [
            {
                "a": r.a,
                "a_start": r.a_start,
                "a_end": r.a_end,
                "b": r.b,
                "b_start": r.b_start,
                "b_end": r.b_end,
                "similarity": round(min(max(r.similarity, 0.0), 1.0), 3),
                "kind": r.kind,
                "first": r.first,
            }
            for r in story.reuse
        ],  # fmt: skip
        "framing": [
            {"about": f.about, "variants": [{"phrase": v.phrase, "articles": v.articles} for v in f.variants]}
            for f in story.framing
        ],
        "quote_variants": [_quote_variants(g) for g in story.quote_variants],
        "timeline": [
            {"date": e.date, "text": e.text, "evidence": [_span(s) for s in e.evidence]} for e in story.timeline
        ],
        "summary": [{"text": s.text, "sources": [_span(src) for src in s.sources]} for s in story.summary],
    }


def story_title(articles: list[Article]) -> str:
    """The headline of the earliest article that has one, else the opening words of the first article."""
    dated = sorted(articles, key=lambda a: a.published or "~")
    titled = next((a.title for a in dated if a.title), None)
    if titled:
        return titled
    first = split_sentences(articles[0].text)
    words = (first[0].text if first else articles[0].text).split()
    return " ".join(words[:TITLE_WORDS]) + ("\u2026" if len(words) > TITLE_WORDS else "")


def _ids(articles: list[Article]) -> list[str]:
    return [a.id for a in articles]


def _shown(quotes: list[Quote]) -> list[Quote]:
    """Mixed items repeat the words of a direct quote inside them; show each quoted word once."""
    return [q for q in quotes if q.kind != "mixed"]


def _quote(q: Quote, article_id: str, entities: list[Entity]) -> dict:
    return {
        "article": article_id, "text": q.text, "speaker": q.speaker,
        "speaker_entity": _speaker_entity(q, article_id, entities), "kind": q.kind, "cue": q.cue,
        "start": q.start, "end": q.end,
    }  # fmt: skip


def _speaker_entity(q: Quote, article_id: str, entities: list[Entity]) -> str | None:
    """The entity whose mention is the speaker's words, else one whose name forms the speaker names."""
    if q.speaker_start is not None and q.speaker_end is not None:
        # `Armenia's Prime Minister Nikol Pashinyan`: the name that ends the phrase is its head
        inside = [
            (t, e.type == "PERSON", e.id)
            for e in entities
            for a, s, t in e.spans
            if a == article_id and s < q.speaker_end and q.speaker_start < t
        ]
        if inside:
            return max(inside)[2]
    if q.speaker:
        for e in entities:
            if any(alias in q.speaker for alias in e.aliases if len(alias) > 3):
                return e.id
    return None


def _quote_variants(group: QuoteVariantGroup) -> dict:
    """One statement as several articles worded it; the first wording is the one the others are compared to."""
    return {
        "speaker": group.speaker,
        "reworded": group.reworded,
        "unattributed": group.unattributed,
        "variants": [
            {"article": v.article, "start": v.start, "end": v.end, "text": v.text, "kind": v.kind,
             "speaker": v.speaker, "added": v.added, "dropped": v.dropped, "punctuation": v.punctuation}
            for v in group.variants
        ],
    }  # fmt: skip


def _entity(e: Entity) -> dict:
    return {"id": e.id, "name": e.name, "type": e.type, "aliases": e.aliases, "articles": e.articles,
            "mentions": e.mentions}  # fmt: skip


def _span(span: tuple[str, int, int]) -> dict:
    return {"article": span[0], "start": span[1], "end": span[2]}
