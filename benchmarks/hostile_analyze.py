"""`storylens analyze` on articles shaped to make the analysis quadratic: time, peak memory, and that it ends.

Each shape once grew with the square of its size somewhere in the story stage (or, for the long text, failed
its story): a page of chained quotes, a page of dash-signed quotes, articles of thousands of look-alike
sentences, of figures, of a few speakers' quotes, a text over spaCy's 1,000,000-character limit, one wire
story in 1,200 reprints (it also split into three stories), a run of marks without a space (the tokenizer's
quadratic), and one sentence of thousands of quoted terms (each read the whole clause for an aside). Each runs
beside a normal article, which must be stored and reported too (so a shape analysed as one story shows 2 stories).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.measure import run_measured

NORMAL = (
    "Harbour plan approved\n\nThe council of Harbourtown approved the harbour plan on Monday, Mayor Dana Ellis "
    'said. "It is a good day for the port," she said.\n'
)
WORDS = ["council", "harbour", "plan", "budget", "mayor", "port", "ship", "dock", "workers", "union", "strike", "road"]
SUBJECTS = ["The council", "The mayor", "Workers at the port", "The union", "Residents of the town"]
ACTS = ["agreed to", "voted to", "refused to", "promised to", "planned to"]
OBJECTS = ["build a new bridge", "close the old school", "hire more nurses", "repair the dock road", "raise the budget"]
NAMES = ["Dana Ellis", "Omar Haddad", "Lena Berg", "Tom Reyes", "Ana Silva"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(ACTS)} {rng.choice(OBJECTS)} in {rng.randint(1990, 2030)}."


def chained_quotes(rng: random.Random) -> dict[str, str]:
    page = " ".join(f'"{_words(rng, 8)}," she said and' for _ in range(4000))
    return {"chained.txt": f"Port council meets\n\nBy Dana Ellis\n\n{page} left.\n"}


def dash_signed(rng: random.Random) -> dict[str, str]:
    page = " ".join(f'"{_words(rng, 10)}." - Mayor Dana Ellis of Harbourtown' for _ in range(3000))
    return {"dashes.txt": f"Mayor speaks\n\n{page}\n"}


def look_alike_sentences(rng: random.Random) -> dict[str, str]:
    return {
        f"alike{k}.txt": "Harbour budget vote\n\n"
        + "\n\n".join(" ".join(_sentence(rng) for _ in range(5)) for _ in range(2000))
        for k in range(2)
    }


def figures(rng: random.Random) -> dict[str, str]:
    def line() -> str:
        return f"The council said {rng.randint(1, 900)} workers and {rng.randint(1, 90)} ships were in port."

    return {f"figures{k}.txt": "Harbour budget vote\n\n" + "\n\n".join(line() for _ in range(4000)) for k in range(2)}


def five_speakers_quotes(rng: random.Random) -> dict[str, str]:
    def line() -> str:
        return f'"{_words(rng, 9)}," said {rng.choice(NAMES)} of Harbourtown.'

    return {f"quotes{k}.txt": "Harbour budget vote\n\n" + "\n\n".join(line() for _ in range(4000)) for k in range(2)}


def over_the_parse_limit(rng: random.Random) -> dict[str, str]:
    paragraphs = (" ".join(_sentence(rng) for _ in range(5)) for _ in range(4000))
    return {"long.txt": "Harbour vote\n\n" + "\n\n".join(paragraphs) + "\n"}


def wire_reprints(rng: random.Random) -> dict[str, str]:
    """One wire story in 1,200 outlets, each adding a line of its own; half cut a line and repeat another, edited
    (so some lose their own line and some are exact copies)."""
    wire = [_sentence(rng) for _ in range(5)]
    files = {}
    for k in range(1200):
        lines = list(wire)
        lines.insert(
            rng.randrange(6), f"The Gazette {k} said {rng.randint(2, 900)} people near the {rng.choice(WORDS)} watched."
        )
        if rng.random() < 0.5:
            repeated, cut = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[cut] = lines[repeated].replace("The", "A")
        files[f"reprint{k:04d}.txt"] = "Harbour budget vote\n\n" + "\n\n".join(lines) + "\n"
    return files


def marks_without_a_space(rng: random.Random) -> dict[str, str]:
    """An article whose every paragraph ends in a run of 6,000 quotation marks and colons without a space (two
    fifths of its characters): the tokenizer strips such a run one mark at a time."""
    paragraphs = (" ".join(_sentence(rng) for _ in range(200)) + " " + '":' * 3000 for _ in range(10))
    return {"marks.txt": "Harbour vote\n\n" + "\n\n".join(paragraphs) + "\n"}


def one_sentence_of_terms(rng: random.Random) -> dict[str, str]:
    """Paragraphs that open a straight quotation and hold 3,000 curly quoted terms in one sentence: every term
    climbed to the one clause that holds them all, and read all its words for an aside (`, X said,`)."""

    def paragraph() -> str:
        return '"' + " ".join(f"the \u201c{_words(rng, 2)}\u201d {_words(rng, 1)}" for _ in range(3000))

    paragraphs = (paragraph() for _ in range(4))
    return {"terms.txt": "Harbour vote\n\n" + "\n\n".join(paragraphs) + "\n"}


SHAPES: dict[str, Callable[[random.Random], dict[str, str]]] = {
    "page of chained quotes (260 KB)": chained_quotes,
    "page of dash-signed quotes (290 KB)": dash_signed,
    "2 x 10,000 look-alike sentences": look_alike_sentences,
    "2 x 4,000 sentences of figures": figures,
    "2 x 4,000 quotes of five speakers": five_speakers_quotes,
    "one 1.35 MB text (over spaCy's limit)": over_the_parse_limit,
    "one wire story in 1,200 reprints": wire_reprints,
    "10 runs of 6,000 marks without a space": marks_without_a_space,
    "4 sentences of 3,000 quoted terms": one_sentence_of_terms,
}


def run_shape(name: str, make: Callable[[random.Random], dict[str, str]], folder: Path) -> dict:
    files = make(random.Random(1)) | {"normal.txt": NORMAL}
    inputs, db, out = folder / "in", folder / "store.db", folder / "out"
    inputs.mkdir()
    for file, text in files.items():
        (inputs / file).write_text(text, encoding="utf-8")
    storylens = str(Path(sys.executable).with_name("storylens"))
    run = run_measured([storylens, "analyze", "--db", str(db), "--jobs", "2", "--out", str(out), str(inputs)])
    stored = stories = 0
    if db.exists():  # a run that failed early leaves no store
        with sqlite3.connect(db) as con:
            stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            stories = con.execute("SELECT count(DISTINCT story_id) FROM placements").fetchone()[0]
    return {
        "shape": name,
        "input MB": round(sum(len(t.encode()) for t in files.values()) / 1e6, 2),
        "exit": run.returncode,
        "articles stored": f"{stored}/{len(files)}",
        "stories": stories,
        "report written": (out / "index.html").exists(),
        "seconds": round(run.seconds, 1),
        "peak MB": round(run.peak_rss_mb),
    }


def main() -> list[dict]:
    from rich.console import Console

    from benchmarks.run import table

    rows = []
    for name, make in SHAPES.items():
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(run_shape(name, make, Path(tmp)))
    Console(width=200).print(table(f"analyze on hostile shapes ({os.cpu_count()} cores, --jobs 2)", rows))
    return rows


if __name__ == "__main__":
    main()
