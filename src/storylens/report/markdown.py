"""Markdown for a terminal or a wiki: the same story view as the HTML page, as text.

Every piece of data goes through `md`: a renderer must show an article's `<script>` or `[x](javascript:...)`
as the words they are, never run or link them.
"""

from __future__ import annotations

from storylens.report.safe import md
from storylens.report.view import cite_labels, story_view


def render_story(report: dict, story: dict) -> str:
    v = story_view(report, story)
    label = cite_labels(report, v.articles, md)
    out = [f"# {md(story['title'])}", "", f"{len(v.articles)} articles:", ""]
    for a in v.articles:
        date = md((a.article.get("published") or "")[:10] or "date unknown")
        originality = f"originality {a.article['originality'] * 100:.0f}%"
        title = md(a.article.get("title") or "(no title)")
        out.append(f"{a.number}. **{md(a.label)}**, {title} ({date}, {originality})")
    out += ["", "## Summary", ""]
    for s, chips in zip(story["summary"], v.chips, strict=True):
        out.append(f"- {md(s['text'])} {''.join(f'[{n}]' for n, _ in chips)}")
    if story["conflicts"]:
        out += ["", "## Where the sources disagree", ""]
        for c in story["conflicts"]:
            out.append(f"- **{md(c['about'])}**: {md(c['explanation'])}")
            for cid in c["claims"]:
                claim = v.claims_by_id.get(cid)
                if claim:
                    out.append(f"  - {label[claim['article']]}: \u201c{md(claim['text'])}\u201d")
    if story.get("agreements"):
        out += ["", "## Where they agree", ""]
        for g in story["agreements"]:
            who = sorted({label[v.claims_by_id[c]["article"]] for c in g["claims"] if c in v.claims_by_id})
            out.append(f"- **{md(g['about'])}**: {', '.join(who)}")
    out += ["", "## Quotes by speaker", ""]
    for speaker, quotes in v.quotes_by_speaker:
        out.append(f"**{md(speaker)}**")
        for q in quotes:
            text = f"\u201c{md(q['text'])}\u201d" if q["kind"] == "direct" else f"{md(q['text'])} (reported)"
            out.append(f"- {text} ({label[q['article']]})")
        out.append("")
    if story.get("quote_variants"):
        out += ["## The same statement, worded differently", ""]
        for g in story["quote_variants"]:
            note = " (restated without a speaker)" if g["unattributed"] else ""
            out.append(f"**{md(g['speaker'] or 'no speaker named')}**{note}")
            for q in g["variants"]:
                who = label.get(q["article"], md(q["article"]))
                out.append(f"- {who}: \u201c{md(q['text'])}\u201d ({md(q['kind'])})")
            out.append("")
    if story.get("framing"):
        out += ["## Framing", ""]
        for f in story["framing"]:
            variants = "; ".join(
                f"\u201c{md(var['phrase'])}\u201d ({', '.join(label[a] for a in var['articles'] if a in label)})"
                for var in f["variants"]
            )
            out.append(f"- **{md(f['about'])}**: {variants}")
        out.append("")
    if story["timeline"]:
        out += ["## Timeline", ""]
        for e in story["timeline"]:
            out.append(f"- **{md(e['date'])}**: {md(e['text'])}")
        out.append("")
    if v.edges:
        out += ["## Who reused whose text", ""]
        for e in v.edges:
            arrow = "\u2192" if e.directed else "\u2014"
            first, second = v.articles[e.source - 1], v.articles[e.target - 1]
            kinds = md(", ".join(e.kinds))
            out.append(f"- {label[first.id]} {arrow} {label[second.id]}: {e.chars} characters ({kinds})")
    return "\n".join(out).rstrip() + "\n"
