"""Cut an article's text into segments, each marked with the kinds of spans that cover it.

Spans may overlap (a quote inside a reused passage); segments are the pieces between every span
boundary, so each piece can carry all the marks that apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # css class: quote, reuse, claim, cited ...
    title: str = ""
    anchor: str | None = None  # an id to link to, set on the segment where the span starts


@dataclass
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """The pieces of `text` between every span boundary, each with the marks covering it (in `marks` order).

    One sweep over the boundaries, keeping the marks open at each: a story page cuts thousands of pieces."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, m in enumerate(valid):
        opening.setdefault(m.start, []).append(i)
        closing.setdefault(m.end, []).append(i)
    open_now: set[int] = set()
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        open_now.difference_update(closing.get(start, ()))
        starting = opening.get(start, [])
        open_now.update(starting)
        covering = [valid[i] for i in sorted(open_now)]
        out.append(
            Segment(
                text=text[start:end],
                kinds=sorted({m.kind for m in covering}),
                titles=[m.title for m in covering if m.title],
                anchors=[valid[i].anchor for i in starting if valid[i].anchor],
            )
        )
    return out


def segments_html(parts: list[Segment]) -> Markup:
    """Segments as HTML: each marked piece in a <mark> with its kinds as classes and its titles as tooltip,
    an empty <span id> where an anchor starts; all text escaped. (Built here, not in a template loop: a story
    page has thousands of pieces.)"""
    out = []
    for seg in parts:
        out.extend(f'<span id="{_escape(anchor)}"></span>' for anchor in seg.anchors)
        if seg.kinds:
            kinds, titles = _escape(" ".join(seg.kinds)), _escape("; ".join(seg.titles))
            out.append(f'<mark class="{kinds}" title="{titles}">{_escape(seg.text)}</mark>')
        else:
            out.append(_escape(seg.text))
    return Markup("".join(out))


def _escape(text: str) -> str:
    """What `markupsafe.escape` makes of a str, without a Markup object per piece (most of a page's escaping)."""
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )
