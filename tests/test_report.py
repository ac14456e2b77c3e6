"""The report in its three forms, from one hand-built story: JSON (schema), Markdown, HTML in a real browser."""

from __future__ import annotations

import json
import shutil
import subprocess

import jsonschema
import pytest

from samples import HARBOUR
from storylens.report.files import write_all
from storylens.report.json import validate

WIRE = HARBOUR
REWRITE = (
    "Dockers at Port Calder stopped work on Monday.\n\n"
    "\u201cWe will not load a single ship until the contract is signed,\u201d union leader Mara Elling said.\n\n"
    "More than 50 vessels were waiting offshore, a shipping agent said."
)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def hand_built_report() -> dict:
    q1 = span(WIRE, "We will not load a single ship until the contract is signed,")
    q2 = span(REWRITE, "We will not load a single ship until the contract is signed,")
    c1 = span(WIRE, "about 40 vessels were waiting offshore")
    c2 = span(REWRITE, "More than 50 vessels were waiting offshore")
    s1 = span(WIRE, "Dock workers at Port Calder walked off the job on Monday")
    s2 = span(REWRITE, "Dockers at Port Calder stopped work on Monday.")
    articles = [
        {"id": "wire01", "path": "in/wire.txt", "url": None, "title": "Port Calder strike", "source": "Calder Wire",
         "published": "2026-03-02T08:00:00", "story": "st1", "text": WIRE, "originality": 1.0, "duplicate_of": None},
        {"id": "rewr02", "path": "in/rewrite.txt", "url": None, "title": None, "source": None,
         "published": "2026-03-02T12:00:00", "story": "st1", "text": REWRITE, "originality": 0.2, "duplicate_of": None},
    ]  # fmt: skip
    story = {
        "id": "st1",
        "title": "Port Calder dock strike",
        "articles": ["wire01", "rewr02"],
        "entities": [{"id": "e1", "name": "Mara Elling", "type": "PERSON", "aliases": ["Mara Elling"],
                      "articles": ["wire01", "rewr02"], "mentions": 2}],  # fmt: skip
        "quotes": [
            {"article": "wire01", "text": WIRE[q1[0]:q1[1]], "speaker": "Mara Elling", "kind": "direct",
             "cue": "told", "start": q1[0], "end": q1[1]},
            {"article": "rewr02", "text": REWRITE[q2[0]:q2[1]], "speaker": "Mara Elling", "kind": "direct",
             "cue": "said", "start": q2[0], "end": q2[1]},
        ],  # fmt: skip
        "claims": [
            {"id": "c1", "article": "wire01", "quantity": "vessels waiting offshore", "value": 40, "qualifier": "about",
             "unit": None, "attributed_to": "the harbour authority", "text": WIRE[c1[0]:c1[1]],
             "start": c1[0], "end": c1[1]},
            {"id": "c2", "article": "rewr02", "quantity": "vessels waiting offshore", "value": 50,
             "qualifier": "more than", "unit": None, "attributed_to": "a shipping agent", "text": REWRITE[c2[0]:c2[1]],
             "start": c2[0], "end": c2[1]},
        ],  # fmt: skip
        "agreements": [],
        "conflicts": [{"about": "vessels waiting offshore", "claims": ["c1", "c2"],
                       "explanation": "about 40 (the harbour authority) against more than 50 (a shipping agent)"}],
        "reuse": [{"a": "wire01", "a_start": q1[0], "a_end": q1[1], "b": "rewr02", "b_start": q2[0], "b_end": q2[1],
                   "similarity": 1.0, "kind": "verbatim"}],  # fmt: skip
        "framing": [{"about": "the stoppage", "variants": [{"phrase": "walked off the job", "articles": ["wire01"]},
                                                           {"phrase": "stopped work", "articles": ["rewr02"]}]}],
        "timeline": [{"date": "2026-03-02", "text": "Dock workers walk off the job",
                      "evidence": [{"article": "wire01", "start": s1[0], "end": s1[1]}]}],
        "summary": [{"text": WIRE[s1[0]:s1[1]] + ", halting traffic.",
                     "sources": [{"article": "wire01", "start": s1[0], "end": s1[1]},
                                 {"article": "rewr02", "start": s2[0], "end": s2[1]}]}],
    }  # fmt: skip
    return {
        "schema": "storylens/1",
        "generated_at": "2026-03-03T10:00:00+00:00",
        "articles": articles,
        "stories": [story],
    }


def test_schema_accepts_the_report_and_rejects_a_broken_one():
    report = hand_built_report()
    validate(report)
    broken = json.loads(json.dumps(report))
    del broken["stories"][0]["summary"][0]["sources"][0]["start"]
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    broken = json.loads(json.dumps(report))
    broken["articles"][0]["originality"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


@pytest.mark.corpus
def test_the_packaged_schema_is_the_contract():
    from conftest import CORPORA
    from storylens.report.json import schema

    assert schema() == json.loads((CORPORA.parent / "docs" / "report.schema.json").read_text())


def test_write_all_gives_json_markdown_html_and_an_index(tmp_path):
    files = write_all(hand_built_report(), tmp_path)
    names = sorted(p.name for p in files)
    assert "index.html" in names and "report.json" in names
    assert sum(n.endswith(".md") for n in names) == 1 and sum(n.endswith(".html") for n in names) == 2
    story_json = json.loads(next(p for p in files if p.suffix == ".json" and p.name != "report.json").read_text())
    validate(story_json)
    md = next(p for p in files if p.suffix == ".md").read_text()
    assert "## Where the sources disagree" in md and "about 40 (the harbour authority)" in md
    assert "[1] Calder Wire \u2192 [2] rewrite.txt" in md  # the wire was first, the rewrite reused it
    page = next(p for p in files if p.suffix == ".html" and p.name != "index.html").read_text()
    assert "<script" not in page and "http://" not in page.replace("http://www.w3", "")  # self-contained
    assert 'marker-end="url(#arrow)"' in page
    assert '<mark class="quote reuse-verbatim"' in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_page_renders_in_chromium(tmp_path):
    assert CHROMIUM, "Debian's chromium is needed for this test: apt-get install chromium (make setup does it)"
    files = write_all(hand_built_report(), tmp_path / "out")
    page = next(p for p in files if p.suffix == ".html" and p.name != "index.html")
    shot = tmp_path / "page.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=120, check=False)  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 20_000
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Where the sources disagree" in dom.stdout
    assert dom.stdout.count('class="chip"') == 2  # the summary sentence cites both articles
