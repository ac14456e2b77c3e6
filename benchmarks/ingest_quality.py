"""How well ingest infers what a reader would: title, source and date against the sample's hand-made answers."""

from __future__ import annotations

import re

from benchmarks.gold import sample


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def same_source(found: str | None, gold: str | None) -> bool:
    """The same outlet, allowing the initials a credit line uses (MPA) and a feed's longer title."""
    if found is None or gold is None:
        return found is gold
    a, b = _norm(found), _norm(gold)
    initials = "".join(w[0] for w in b.split())
    return a in (b, initials) or b in a


def main() -> list[dict]:
    gold_set = sample()
    gold = gold_set.gold
    rows = []
    for field, answers in (("title", gold["titles"]), ("source", gold["sources"]), ("published", gold["published"])):
        right = wrong = missed = 0
        for ref, expected in answers.items():
            found = getattr(gold_set.articles[ref], field)
            if field == "source":
                ok = same_source(found, expected)
            elif field == "published":
                ok = (found or "")[:10] == (expected or "")[:10] if expected else found is None
            else:
                ok = found == expected
            right += ok
            missed += (not ok) and found is None
            wrong += (not ok) and found is not None
        rows.append(
            {
                "field": field,
                "articles": len(answers),
                "right": right,
                "missed (left empty)": missed,
                "wrong (guessed)": wrong,
                "accuracy": round(right / len(answers), 3),
            }
        )
    return rows
