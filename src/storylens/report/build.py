"""From the analysis records to the report dict that report.schema.json describes: one model, three renderings."""

from __future__ import annotations

from storylens.compare.entities import SpeakerEntities
from storylens.model import AnalyzedStory, Article, Entity, Quote, QuoteVariantGroup
from storylens.report.json import empty_report
from storylens.sentences import split_sentences

TITLE_WORDS = 14


def build_report(stories: list[AnalyzedStory], not_articles: list[tuple[Article, str]] = ()) -> dict:
    """The report of these stories; `not_articles` are texts read with them that are not news (with why)."""
    report = empty_report()
    for analyzed in stories:
        for art in analyzed.story.articles:
            report["articles"].append(_article(art, analyzed.story.id, analyzed))
        report["stories"].append(_story(analyzed))
    listed = {a["id"] for a in report["articles"]}
    for analyzed in stories:  # articles of other stories whose figures a story's agreements show
        for link in analyzed.related:
            for art in link.articles:
                if art.id not in listed:
                    listed.add(art.id)
                    report["articles"].append(_article(art, link.story, None))
    report["not_articles"] = [
        {"id": a.id, "path": a.path, "title": a.title, "reason": reason} for a, reason in not_articles
    ]
    return report


def _article(art: Article, story_id: str, analyzed: AnalyzedStory | None) -> dict:
    """An article of the report; `analyzed` is None for an article of another story that is not reported."""
    originality = analyzed.result.originality.get(art.id) if analyzed else None
    return {
        "id": art.id,
        "path": art.path,
        "url": art.url,
        "title": art.title,
        "source": art.source,
        "published": art.published,
        "story": story_id,
        "text": art.text,
        "originality": originality.score if originality else 1.0,  # not known: counted as its own
        "duplicate_of": analyzed.story.duplicate_of.get(art.id) if analyzed else None,
        "byline": art.byline,
        "also_read_from": art.extra_paths,
    }


def _story(analyzed: AnalyzedStory) -> dict:
    story, result = analyzed.story, analyzed.result
    entities = sorted(result.entities, key=lambda e: (-e.mentions, e.name))
    groups = result.claim_groups
    claims = [
        {
            "id": c.id, "article": c.article, "quantity": c.claim.quantity, "value": c.claim.value,
            "unit": c.claim.unit, "qualifier": c.claim.qualifier, "attributed_to": c.claim.attributed_to,
            "text": c.claim.text, "start": c.claim.start, "end": c.claim.end,
        }
        for c in result.claims + [c for link in analyzed.related for c in link.claims]
    ]  # fmt: skip
    originals = _ids(story.originals)
    speaker_entity = SpeakerEntities(entities)
    return {
        "id": story.id,
        "title": story_title(story.originals or story.articles),
        "articles": [a.id for a in story.articles],
        "entities": [_entity(e) for e in entities],
        "quotes": [
            _quote(q, aid, speaker_entity)
            for aid in originals
            for q in _shown(result.facts[aid].quotes if aid in result.facts else [])
        ],
        "claims": claims,
        "agreements": [{"about": g.about, "claims": g.claims} for g in groups if g.verdict == "agree"]
        + [{"about": r.group.about, "claims": r.group.claims, "other_story": r.story} for r in analyzed.related],
        "conflicts": [
            {
                "about": g.about,
                "claims": g.claims,
                "explanation": g.explanation,
                "evidence": g.evidence,
                "pair": list(g.pair) if g.pair else None,
            }
            for g in groups
            if g.verdict != "agree"
        ],  # fmt: skip
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
            for f in result.framing
        ],
        "quote_variants": [_quote_variants(g) for g in result.quote_variants],
        "timeline": [
            {"date": e.date, "text": e.text, "evidence": [_span(s) for s in e.evidence]} for e in result.timeline
        ],
        "summary": [{"text": s.text, "sources": [_span(src) for src in s.sources]} for s in result.summary],
        "errors": [{"stage": e.stage, "error": e.error} for e in result.errors],
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


def _quote(q: Quote, article_id: str, speaker_entity: SpeakerEntities) -> dict:
    return {
        "article": article_id, "text": q.text, "speaker": q.speaker,
        "speaker_entity": speaker_entity(q, article_id), "kind": q.kind, "cue": q.cue,
        "start": q.start, "end": q.end,
    }  # fmt: skip


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
