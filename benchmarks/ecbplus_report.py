"""`analyze` on all 982 ECB+ articles, real news with no gold for numbers or word choices: judged by hand.

One run of ingest + analyze (throughput printed), then two parts of its report are scored against hand
judgements made by reading what it reported (so these are development figures, not held out):
- conflicts between numbers (`gold/ecbplus_conflicts.json`: pairs of claims, by ECB+ document id and
  character offset, whether they state one fact with different figures, and why). A reported conflict (a
  group of figures) is right when a labelled pair in it states one fact, wrong when its labelled pairs do
  not, unlabelled when it holds no labelled pair;
- framing groups in the stories storylens built (`gold/ecbplus_framing_stories.json`: the phrases of a
  group, whether they name one thing or act of the story, and why).
Precision is over what was judged; what has no judgement yet is counted: judge it when it appears
(`--list` prints it).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.stories_quality import bcubed
from storylens.engine.analyze import analyze, analyzed_stories
from storylens.engine.local import ingest
from storylens.model import AnalysisSettings
from storylens.report.build import build_report
from storylens.store import Store

REPO = Path(__file__).resolve().parents[1]
ECB = REPO.parent / "shared" / "corpora" / "ecbplus" / "ecbplus_docs.jsonl"
GOLD = REPO / "benchmarks" / "gold"

Claim = tuple[str, int]  # ECB+ document id, character offset of the claim in the article text


def run_analyze() -> tuple[dict, dict[str, str], dict]:
    """The report on all of ECB+, article id -> ECB+ document id, and a row of throughput and of how the
    stories compare with ECB+'s gold event clusters (BCubed, in file order: all splits, one stream)."""
    docs = [json.loads(line) for line in ECB.read_text().splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecbplus.jsonl"
        path.write_text("".join(json.dumps({k: d[k] for k in ("title", "text", "url")}) + "\n" for d in docs))
        with Store(Path(tmp) / "bench.db") as store:
            started = time.perf_counter()
            ingest([str(path)], store)
            ids = store.ids_for_paths([str(path)])
            report = build_report(*analyzed_stories(store, analyze(store, ids, AnalysisSettings()).stories, ids))
            seconds = time.perf_counter() - started
    speed = {"articles": len(docs), "seconds": round(seconds, 1), "articles_per_s": round(len(docs) / seconds, 1)}
    # article id -> ECB+ document id, through the record number in its path (`file#N`, from 1)
    doc_of = {a["id"]: docs[int(a["path"].rsplit("#", 1)[1]) - 1]["id"] for a in report["articles"]}
    gold = {d["id"]: d["gold_cluster"] for d in docs}
    predicted = {doc_of[a["id"]]: a["story"] for a in report["articles"]}
    p, r, f1 = bcubed(predicted, {doc: gold[doc] for doc in predicted})
    speed |= {"stories": len(report["stories"]), "gold_clusters": len(set(gold.values()))}
    speed |= {"bcubed_p": round(p, 3), "bcubed_r": round(r, 3), "bcubed_f1": round(f1, 3)}
    return report, doc_of, speed


def _key(pair) -> tuple[Claim, Claim]:
    return tuple(sorted((tuple(pair[0]), tuple(pair[1]))))  # type: ignore[return-value]


def score_conflicts(report: dict, doc_of: dict[str, str], console: Console, listing: bool) -> list[dict]:
    labels = {_key((x["a"], x["b"])): x for x in json.loads((GOLD / "ecbplus_conflicts.json").read_text())["conflicts"]}
    claims = {c["id"]: c for story in report["stories"] for c in story["claims"]}
    texts = {doc_of[a["id"]]: a["text"] for a in report["articles"]}

    def where(claim_id: str) -> Claim:
        return doc_of[claims[claim_id]["article"]], claims[claim_id]["start"]

    conflicts, seen = [], set()
    for story in report["stories"]:
        for conflict in story["conflicts"]:  # once, however many stories show it
            members = frozenset(where(i) for i in conflict["claims"])
            if members not in seen:
                seen.add(members)
                inside = [x for k, x in labels.items() if k[0] in members and k[1] in members]
                conflicts.append({**conflict, "pair": [where(i) for i in conflict["pair"]], "labels": inside})
    rows = []
    for evidence in (*sorted({c["evidence"] for c in conflicts}), "all"):
        mine = [c for c in conflicts if evidence in ("all", c["evidence"])]
        judged = [any(x["same_fact"] for x in c["labels"]) for c in mine if c["labels"]]
        rows.append(
            {
                "evidence": evidence,
                "conflicts_reported": len(mine),
                "labelled": len(judged),
                "same_fact": sum(judged),
                "precision_of_labelled": round(sum(judged) / len(judged), 3) if judged else None,
                "unlabelled": len(mine) - len(judged),
            }
        )
    reported = {_key((x["a"], x["b"])) for c in conflicts for x in c["labels"]}
    rows[-1]["labels"] = len(labels)
    rows[-1]["labelled_same_fact_not_reported"] = sum(
        1 for k, x in labels.items() if x["same_fact"] and k not in reported
    )
    if listing:
        for c in (c for c in conflicts if not c["labels"]):
            console.print(f"[bold]{c['evidence']}[/]: {c['explanation']}")
            for doc, at in c["pair"]:
                console.print(f"  {doc} {at}: …{texts[doc][max(0, at - 100) : at + 60]!r}…")
    _print(console, "Conflicts on ECB+ (982 articles), judged by hand", rows)
    return [{"part": "conflicts", **row} for row in rows]


def score_framing(report: dict, console: Console, listing: bool) -> dict:
    judged = {
        tuple(g["phrases"]): g["same_thing"]
        for g in json.loads((GOLD / "ecbplus_framing_stories.json").read_text())["groups"]
    }
    groups = {}  # phrases -> story title, once however many stories show it
    for story in report["stories"]:
        for framing in story["framing"]:
            groups.setdefault(tuple(sorted(v["phrase"] for v in framing["variants"])), story["title"])
    verdicts = [judged[g] for g in groups if g in judged]
    if listing:
        for phrases, title in groups.items():
            if phrases not in judged:
                console.print(f"[bold]{title[:60]}[/]: {' | '.join(phrases)}")
    row = {
        "part": "framing",
        "stories_with_framing": sum(1 for s in report["stories"] if s["framing"]),
        "groups": len(groups),
        "judged": len(verdicts),
        "one_thing": sum(verdicts),
        "precision_of_judged": round(sum(verdicts) / len(verdicts), 3) if verdicts else None,
        "not_judged": len(groups) - len(verdicts),
    }
    _print(console, "Framing groups in the stories built from ECB+, judged by hand", [row])
    return row


def _print(console: Console, title: str, rows: list[dict]) -> None:
    table = Table(title=title, title_justify="left")
    for key in rows[-1]:
        table.add_column(key.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(key, "")) for key in rows[-1]))
    console.print(table)


def main(listing: bool = False) -> list[dict]:
    console = Console(width=200)
    report, doc_of, speed = run_analyze()
    _print(console, "ingest + analyze on ECB+: speed (2 processes for parsing) and stories", [speed])
    rows = [{"part": "speed", **speed}]
    rows += score_conflicts(report, doc_of, console, listing)
    rows.append(score_framing(report, console, listing))
    return rows


if __name__ == "__main__":
    main(listing="--list" in sys.argv)
