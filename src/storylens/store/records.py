"""Records to and from the JSON kept in the store; unknown keys from an older or newer run are ignored."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

from storylens.model import ArticleFacts, Claim, DateMention, Mention, Quote

T = TypeVar("T")


def to_json(record: Any) -> str:
    return json.dumps(dataclasses.asdict(record), ensure_ascii=False, separators=(",", ":"))


def _build(cls: type[T], data: dict) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def facts_from_json(text: str) -> ArticleFacts:
    data = json.loads(text)
    return ArticleFacts(
        article_id=data["article_id"],
        quotes=[_build(Quote, q) for q in data.get("quotes", [])],
        claims=[_build(Claim, c) for c in data.get("claims", [])],
        dates=[_build(DateMention, d) for d in data.get("dates", [])],
        mentions=[_build(Mention, m) for m in data.get("mentions", [])],
    )
