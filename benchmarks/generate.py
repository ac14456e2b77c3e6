"""Generated news-like articles for speed benchmarks: varied, deterministic, never real text."""

from __future__ import annotations

import json
import random
from pathlib import Path

PLACES = ["Port Calder", "Tavin", "Selva", "Northmere", "Ostrava Bay", "Kelmar", "Vantor", "Dunmore", "Ayrholt"]
PEOPLE = ["Mara Elling", "Tomas Reyes", "Ines Ottavi", "Jon Haskel", "Priya Nand", "Olek Brandt", "Sade Okoro"]
ORGS = ["the harbour authority", "the transport office", "the council", "the growers' union", "the ministry"]
VERBS = ["said", "told reporters", "announced", "warned", "confirmed"]
THINGS = ["the bridge", "the new tariff", "the water supply", "the strike", "the budget", "the rail line"]
OUTCOMES = ["would reopen next week", "had cost more than expected", "was under review", "could be delayed",
            "needed urgent repairs", "had been approved by a narrow vote"]  # fmt: skip


def sentence(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} that {rng.choice(THINGS)} {rng.choice(OUTCOMES)}."
    if kind == 1:
        return f"In {rng.choice(PLACES)}, {rng.choice(ORGS)} said {rng.randint(2, 90_000):,} people were affected."
    if kind == 2:
        return f'"We expect {rng.choice(THINGS)} {rng.choice(OUTCOMES)}," {rng.choice(PEOPLE)} {rng.choice(VERBS)}.'
    return f"Officials in {rng.choice(PLACES)} met on day {rng.randint(1, 28)} to discuss {rng.choice(THINGS)}."


def article(rng: random.Random, index: int, paragraphs: int = 6) -> dict:
    body = "\n\n".join(" ".join(sentence(rng) for _ in range(3)) for _ in range(paragraphs))
    return {
        "title": f"{rng.choice(PLACES)}: {rng.choice(THINGS)} {rng.choice(OUTCOMES)} ({index})",
        "text": f"Report {index}. " + body,
        "url": f"https://outlet{index % 17}.test/news/{index}",
        "published": f"2026-03-{1 + index % 28:02d}T{index % 24:02d}:00:00Z",
    }


def write_jsonl(path: Path, count: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(article(rng, i)) + "\n")
    return path


def write_html(folder: Path, count: int, seed: int = 2) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        art = article(rng, i)
        paras = "".join(f"<p>{p}</p>" for p in art["text"].split("\n\n"))
        nav = "".join(f'<li><a href="/s/{n}">Section {n}</a></li>' for n in range(12))
        (folder / f"page{i:05}.html").write_text(
            f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{art["title"]}</title>
<meta property="og:site_name" content="Outlet {i % 17}"><link rel="canonical" href="{art["url"]}">
<meta property="article:published_time" content="{art["published"]}"></head><body>
<header><ul>{nav}</ul></header>
<main><article><h1>{art["title"]}</h1><p class="byline">By Staff</p>{paras}</article>
<aside><h3>Most read</h3><ul>{nav}</ul></aside></main>
<footer>All rights reserved. Newsletter.</footer></body></html>""",
            encoding="utf-8",
        )
    return folder
