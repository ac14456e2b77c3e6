"""Reading the hand-made answers: karabakh (../shared/corpora) and the bundled sample, with their articles."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storylens.ingest import read_inputs
from storylens.model import Article

REPO = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("STORYLENS_CORPORA", REPO.parent / "shared" / "corpora"))
SAMPLE_GOLD = REPO / "benchmarks" / "gold" / "sample_gold.json"


@dataclass
class GoldSet:
    name: str
    gold: dict
    articles: dict[str, Article]  # gold article ref -> the article as storylens reads it


def _ref(path: str, root: Path) -> str:
    return os.path.relpath(path, root)


def karabakh() -> GoldSet:
    folder = CORPORA / "karabakh"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    by_file = {name: ref for ref, name in gold["files"].items()}
    articles = {by_file[Path(a.path).name]: a for a in read_inputs([str(folder / f) for f in gold["files"].values()])}
    return GoldSet("karabakh", gold, articles)


def sample() -> GoldSet:
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    with resources.as_file(resources.files("storylens") / "sample") as root:
        articles = {_ref(a.path, root): a for a in read_inputs([str(root)]) if isinstance(a, Article)}
    return GoldSet("sample", gold, articles)
