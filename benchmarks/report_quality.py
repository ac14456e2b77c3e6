"""The whole pipeline on the hand-made answers: `analyze` on karabakh and on the bundled sample, scored
on what the issues ask of the report: stories, claim verdicts, timeline dates, summary citations."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from benchmarks.gold import GoldSet, karabakh, sample
from storylens.engine.analyze import analyze, analyzed_stories
from storylens.engine.local import ingest
from storylens.model import AnalysisSettings
from storylens.report.build import build_report
from storylens.store import Store

console = Console()


def run_report(gold_set: GoldSet) -> tuple[dict, dict[str, str]]:
    """The report for a gold set's articles, and gold ref -> article id."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        paths = sorted({a.path.split("#")[0] for a in gold_set.articles.values()})
        ingest(paths, store)
        ids = store.ids_for_paths(paths)
        report = build_report(*analyzed_stories(store, analyze(store, ids, AnalysisSettings()).stories, ids))
    return report, {ref: a.id for ref, a in gold_set.articles.items()}


def _find(text: str, words: str) -> tuple[int, int] | None:
    at = text.find(words)
    return (at, at + len(words)) if at >= 0 else None


def score_stories(report: dict, gold: dict, ids: dict[str, str]) -> dict:
    predicted = {a["id"]: a["story"] for a in report["articles"]}
    exact = 0
    for story in gold["stories"]:
        members = {ids[r] for r in story["articles"]}
        found = {predicted[m] for m in members}
        others = {a for a, s in predicted.items() if s in found} - members
        exact += len(found) == 1 and not others
    return {"gold stories": len(gold["stories"]), "found exactly": exact, "stories predicted": len(report["stories"])}


def score_claims(report: dict, gold: dict, ids: dict[str, str]) -> dict:
    texts = {a["id"]: a["text"] for a in report["articles"]}
    claims = {c["id"]: c for s in report["stories"] for c in s["claims"]}
    group_of: dict[str, tuple[str, str]] = {}
    for story in report["stories"]:
        for verdict, groups in (("agree", story.get("agreements", [])), ("disagree", story["conflicts"])):
            for g in groups:
                for cid in g["claims"]:
                    group_of[cid] = (g["about"] + "|" + ",".join(sorted(g["claims"])), verdict)
    right, wrong = 0, []
    for group in gold["claims"]:
        found = set()
        for r in group["reports"]:
            aid = ids[r["article"]]
            where = _find(texts[aid], r["text"])
            match = next(
                (
                    c
                    for c in claims.values()
                    if c["article"] == aid and where and c["start"] < where[1] and where[0] < c["end"]
                ),
                None,
            )
            found.add(group_of.get(match["id"]) if match else None)
        ok = len(found) == 1 and None not in found and next(iter(found))[1] == group["verdict"]
        right += ok
        if not ok:
            wrong.append(group["quantity"])
    gold_conflicts = sum(g["verdict"] == "disagree" for g in gold["claims"])
    predicted_conflicts = len({g["about"] + str(g["claims"]) for s in report["stories"] for g in s["conflicts"]})
    return {"gold claim groups": len(gold["claims"]), "verdict right": right, "gold conflicts": gold_conflicts,
            "conflicts predicted": predicted_conflicts, "missed or wrong": "; ".join(wrong)}  # fmt: skip


def score_timeline(report: dict, gold: dict, ids: dict[str, str]) -> dict:
    texts = {a["id"]: a["text"] for a in report["articles"]}
    found = 0
    for event in gold["timeline"]:
        spans = [(ids[ref], _find(texts[ids[ref]], words)) for ref, words in event["evidence"]]
        hit = any(
            e["date"] == event["date"]
            and any(
                ev["article"] == aid and w and ev["start"] < w[1] and w[0] < ev["end"]
                for ev in e["evidence"]
                for aid, w in spans
            )
            for s in report["stories"]
            for e in s["timeline"]
        )
        found += hit
    return {"gold dates": len(gold["timeline"]), "found with their evidence": found}


def score_summary(report: dict) -> dict:
    """Every summary sentence cites spans that hold it: its own span is the sentence, verbatim."""
    texts = {a["id"]: a["text"] for a in report["articles"]}
    sentences = cited = holds = 0
    for story in report["stories"]:
        for s in story["summary"]:
            sentences += 1
            cited += bool(s["sources"])
            own = s["sources"][0]
            holds += texts[own["article"]][own["start"] : own["end"]] == s["text"]
    multi = sum(len({x["article"] for x in s["sources"]}) > 1 for st in report["stories"] for s in st["summary"])
    return {"summary sentences": sentences, "cited": cited, "own span holds it": holds, "cited by 2+ articles": multi}


def main() -> list[dict]:
    rows = []
    for gold_set in (karabakh(), sample()):
        report, ids = run_report(gold_set)
        row = {"corpus": gold_set.name}
        for scorer in (score_stories, score_claims, score_timeline):
            row.update(scorer(report, gold_set.gold, ids))
        row.update(score_summary(report))
        rows.append(row)
    for row in rows:
        console.print(row)
    return rows


if __name__ == "__main__":
    main()
