"""The rest of PolNeAR's dev compartment, as a second quote dev set beside the bundled 28-article sample.

PolNeAR (Newell, Margolin and Ruths, LREC 2018; github.com/networkdynamics/PolNeAR, no licence: research use
only, nothing of it is kept here) has 84 dev articles; `../shared/corpora/polnear_sample` holds 28 of them.
This turns a local copy of the repository into the sample's JSON-lines shape for the other 56 (the
alphabetically first annotator of each, as the sample was made), so that rules tuned on the sample can be
checked on dev articles they were not written against. The test compartment is never read.

Run: .venv/bin/python -m benchmarks.polnear_dev PATH_TO_POLNEAR OUT.jsonl
then STORYLENS_POLNEAR_DEV_EXTRA=OUT.jsonl make bench ONLY=quotes adds a "polnear dev, rest" row.
With `--train`, OUT.jsonl gets the 840 train articles instead (for finding shapes the dev set is too small to
show; score them with `score_polnear`). An annotation file that cannot be read is reported and skipped.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.quotes_quality import DIRECT_MARKS, POLNEAR


def attributions(ann: str, text: str) -> list[dict]:
    """brat standoff lines (`T` spans, possibly discontiguous, and `E` events) as the sample's attributions."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in ann.splitlines():
        if line.startswith("T"):
            tid, kind_and_spans = line.split("\t")[:2]
            spans[tid] = [tuple(map(int, part.split())) for part in kind_and_spans.split(" ", 1)[1].split(";")]
    out = []
    for line in ann.splitlines():
        if not line.startswith("E"):
            continue
        eid, roles_text = line.split("\t")[:2]
        roles: dict[str, list[str]] = defaultdict(list)
        for role, tid in (part.split(":") for part in roles_text.split()[1:]):
            roles[re.sub(r"\d+$", "", role)].append(tid)

        def role_spans(role: str, roles: dict = roles) -> list[dict]:
            return [{"start": s, "end": e, "text": text[s:e]} for t in roles[role] for s, e in spans[t]]

        contents = role_spans("Content")
        out.append({"id": eid, "sources": role_spans("Source"), "cue": role_spans("Cue"), "contents": contents,
                    "has_source": bool(roles["Source"]),
                    "is_direct": any(mark in c["text"] for c in contents for mark in DIRECT_MARKS)})  # fmt: skip
    return out


def convert(repo: Path, compartment: str = "dev") -> list[dict]:
    sampled = {json.loads(line)["id"] for line in (POLNEAR / "polnear_dev_sample.jsonl").open(encoding="utf-8")}
    annotators: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((repo / "data" / compartment / "attributions").glob("*.ann")):
        annotators[ann.stem.rsplit("_", 1)[0]].append(ann)
    records = []
    for article, anns in sorted(annotators.items()):
        text_path = repo / "data" / compartment / "text" / f"{article}.txt"
        key = f"polnear:{compartment}:{article}"
        if key in sampled or not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        try:
            found = attributions(sorted(anns)[0].read_text(encoding="utf-8"), text)
        except ValueError as error:  # a malformed standoff line
            print(f"skipped {sorted(anns)[0].name}: {error}", file=sys.stderr)
            continue
        records.append({"id": key, "split": compartment, "text": text, "attributions": found})
    return records


if __name__ == "__main__":
    records = convert(Path(sys.argv[1]), "train" if "--train" in sys.argv[3:] else "dev")
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    print(f"{len(records)} articles, {sum(len(r['attributions']) for r in records)} attributions -> {sys.argv[2]}")
