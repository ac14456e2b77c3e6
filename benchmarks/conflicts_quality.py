"""Conflicts between numbers on real news that has no gold for them: all 982 ECB+ articles, judged by hand.

The conflicts `analyze` reports on ECB+ were read and labelled (`gold/ecbplus_conflicts.json`: pairs of
claims, by ECB+ document id and character offset, whether they state one fact with different figures, and
why). A reported conflict (a group of figures) is right when a labelled pair in it states one fact, wrong
when its labelled pairs do not, unlabelled when it holds no labelled pair. This prints the precision over
the labelled conflicts, per kind of evidence, and how many have no label yet: label those when they
appear (`--list` prints the pair each one shows, with its sentences).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storylens.engine.local import ingest
from storylens.engine.pipeline import analyze
from storylens.report.build import build_report
from storylens.store import Store

REPO = Path(__file__).resolve().parents[1]
ECB = REPO.parent / "shared" / "corpora" / "ecbplus" / "ecbplus_docs.jsonl"
LABELS = REPO / "benchmarks" / "gold" / "ecbplus_conflicts.json"

Claim = tuple[str, int]  # ECB+ document id, character offset of the claim in the article text


def reported_conflicts() -> tuple[list[dict], dict[str, str]]:
    """Every conflict `analyze` reports on ECB+ (once, however many stories show it), with its claims and
    the pair it shows as (document id, offset); and document id -> the text as stored (what offsets index)."""
    docs = [json.loads(line) for line in ECB.read_text().splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecbplus.jsonl"
        path.write_text("".join(json.dumps({k: d[k] for k in ("title", "text", "url")}) + "\n" for d in docs))
        with Store(Path(tmp) / "bench.db") as store:
            started = time.perf_counter()
            ingest([str(path)], store)
            report = build_report(analyze(store, store.ids_for_paths([str(path)])))
            seconds = time.perf_counter() - started
    print(f"ingest + analyze of {len(docs)} articles: {seconds:.1f} s, {len(docs) / seconds:.1f} articles/s")
    # article id -> ECB+ document id, through the record number in its path (`file#N`, from 1)
    doc_of = {a["id"]: docs[int(a["path"].rsplit("#", 1)[1]) - 1]["id"] for a in report["articles"]}
    claims = {c["id"]: c for story in report["stories"] for c in story["claims"]}

    def where(claim_id: str) -> Claim:
        return doc_of[claims[claim_id]["article"]], claims[claim_id]["start"]

    seen, out = set(), []
    for story in report["stories"]:
        for conflict in story["conflicts"]:
            members = frozenset(where(i) for i in conflict["claims"])
            if members not in seen:
                seen.add(members)
                pair = tuple(sorted(where(i) for i in conflict["pair"]))
                out.append({"claims": members, "pair": pair, **{k: conflict[k] for k in ("evidence", "explanation")}})
    return out, {doc_of[a["id"]]: a["text"] for a in report["articles"]}


def _key(pair) -> tuple[Claim, Claim]:
    return tuple(sorted((tuple(pair[0]), tuple(pair[1]))))  # type: ignore[return-value]


def main(list_unlabelled: bool = False) -> list[dict]:
    console = Console(width=200)
    labels = {_key((x["a"], x["b"])): x for x in json.loads(LABELS.read_text())["conflicts"]}
    conflicts, texts = reported_conflicts()
    for c in conflicts:  # the labelled pairs inside each reported conflict
        c["labels"] = [x for k, x in labels.items() if k[0] in c["claims"] and k[1] in c["claims"]]
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
    missed = [k for k, x in labels.items() if x["same_fact"] and k not in reported]
    rows[-1]["labelled_same_fact_not_reported"] = len(missed)
    if list_unlabelled:
        for c in conflicts:
            if not c["labels"]:
                console.print(f"[bold]{c['evidence']}[/]: {c['explanation']}")
                for doc, at in c["pair"]:
                    console.print(f"  {doc} {at}: …{texts[doc][max(0, at - 100) : at + 60]!r}…")
    table = Table(title="Conflicts on ECB+ (982 articles), judged by hand", title_justify="left")
    for key in rows[-1]:
        table.add_column(key.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(key, "")) for key in rows[-1]))
    console.print(table)
    return rows


if __name__ == "__main__":
    main(list_unlabelled="--list" in sys.argv)
