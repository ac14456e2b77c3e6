"""Cut an article's text into segments, each marked with the kinds of spans that cover it.

Spans may overlap (a quote inside a reused passage); segments are the pieces between every span
boundary, so each piece can carry all the marks that apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in valid if m.start <= start and end <= m.end]
        out.append(
            Segment(
                text=text[start:end],
                kinds=sorted({m.kind for m in covering}),
                titles=[m.title for m in covering if m.title],
                anchors=[m.anchor for m in valid if m.anchor and m.start == start],
            )
        )
    return out
