"""What reaches the terminal from data: brackets print as themselves, escape sequences never reach it, and
the story and conflict tables keep one line per story at 80 columns."""

from __future__ import annotations

import http.server
import json
import re
import threading

import pytest
from rich.console import Console

from samples import BRIDGE, HARBOUR, ORCHARD
from storylens.report.safe import clean
from storylens.views import conflict_table, story_table
from test_cli import storylens

BRACKETS = "Bold [/b] claim [red]about [/] the [link=http://x]bridge"
# a hidden OSC 8 hyperlink, a clear-screen (CSI 2J + home), a C1 CSI, a bell and a stray DEL
HOSTILE = "Harbour \x1b]8;;https://evil.test/\x1b\\strike\x1b]8;;\x1b\\ ends\x1b[2J\x1b[H\x9b31m now\x07\x7f"


def _reason_server(reason: str) -> tuple[http.server.HTTPServer, str]:
    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404, reason)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/story"


def test_brackets_in_paths_reasons_and_headlines_print_as_themselves(tmp_path):
    folder = tmp_path / "in" / "x["
    folder.mkdir(parents=True)
    (folder / "red].txt").write_text(f"{BRACKETS}\n\n{BRIDGE}")  # the path ends `x[/red].txt`
    (tmp_path / "in" / "y[").mkdir()
    (tmp_path / "in" / "y[" / "b].txt").write_bytes(b"\x00\x01\x02 not text")  # skipped: `y[/b].txt`
    (tmp_path / "d[").mkdir()
    db = str(tmp_path / "d[" / "b].db")  # `d[/b].db`
    server, url = _reason_server("Gone [/b] away")
    try:
        result = storylens("ingest", str(tmp_path / "in"), url, "--db", db)
    finally:
        server.shutdown()
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3  # some inputs skipped, the rest stored
    assert "d[/b].db" in result.stdout
    assert "y[/b].txt" in result.stderr and "HTTP 404 Gone [/b] away" in result.stderr
    listed = storylens("list", "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert BRACKETS in listed.stdout and "x[/red].txt" in listed.stdout


def test_analyze_prints_bracketed_titles_and_paths_and_writes_its_reports(tmp_path):
    (tmp_path / "a.txt").write_text(f"{BRACKETS}\n\n{BRIDGE}")
    (tmp_path / "r[").mkdir()
    json_path, out = tmp_path / "r[" / "b].json", tmp_path / "r[" / "red]"  # `r[/b].json`, `r[/red]`
    result = storylens("analyze", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.db"), "--json", str(json_path),
                       "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert BRACKETS in result.stdout and f"{json_path}" in result.stdout and f"{out}/" in result.stdout
    assert json.loads(json_path.read_text())["stories"][0]["title"] == BRACKETS
    assert (out / "index.html").exists()


def test_a_bracket_in_the_store_path_does_not_hide_the_store_error(tmp_path):
    (tmp_path / "not[").mkdir()
    bad = tmp_path / "not[" / "b]a.db"
    bad.write_bytes(b"this is not a SQLite file" * 100)
    result = storylens("list", "--db", str(bad))
    assert result.returncode == 5 and "Traceback" not in result.stderr, result.stderr
    assert "not[/b]a.db" in result.stderr


def test_list_prints_no_escape_sequence_from_a_headline(tmp_path):
    record = {"title": HOSTILE, "text": HARBOUR, "source": "Wire\x1b[2J", "published": "2026-03-02"}
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n")
    assert storylens("ingest", str(tmp_path / "a.jsonl"), "--db", str(tmp_path / "s.db")).returncode == 0
    listed = storylens("list", "--db", str(tmp_path / "s.db"))  # not a terminal: Rich adds no codes of its own
    assert listed.returncode == 0, listed.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", listed.stdout), repr(listed.stdout)
    assert "Harbour strike ends now" in listed.stdout and "evil.test" not in listed.stdout


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (HOSTILE, "Harbour strike ends now"),
        ("a\tb\r\nc\x00d\x1bce\x1b(Bf", "a\tb\ncdef"),  # RIS and a charset designation removed whole
        ("\x9d0;title\x9crest \x1b]0;unterminated", "rest 0;unterminated"),  # no terminator: shown, inert
    ],
)
def test_clean_removes_control_characters_and_whole_sequences(raw, shown):
    assert clean(raw) == shown
    assert clean("one\n two", newlines=False) == "one two"


def _report(titles: list[str], *, conflicts: int = 0) -> dict:
    articles, stories = [], []
    for n, title in enumerate(titles):
        ids = [f"a{n}x", f"a{n}y"]
        for i, aid in enumerate(ids):
            articles.append({"id": aid, "path": f"in/{aid}.txt", "title": title, "source": f"Outlet {i} of story {n}",
                             "originality": 1.0 - i / 2})  # fmt: skip
        explanation = "about 40 (the harbour authority) against more than 50 (a shipping agent, speaking late)"
        stories.append({"id": f"story-{n}", "title": title, "articles": ids, "reuse": [{}], "quotes": [],
                        "conflicts": [{"about": f"vessels waiting {k}", "explanation": explanation}
                                      for k in range(conflicts)]})  # fmt: skip
    return {"articles": articles, "stories": stories}


# 50 to 75 characters: too long for 80 columns beside the other columns, short enough for 200
LONG = [f"Story {n}: {text}" for n, text in enumerate([HARBOUR.split(",")[0], BRIDGE.split(" after")[0], ORCHARD[:65]])]


def _lines(table: object, width: int) -> list[str]:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    return console.export_text().splitlines()


def _below_header(lines: list[str]) -> list[str]:
    return lines[next(i for i, line in enumerate(lines) if line.startswith("┡")) + 1 :]


def _rows(lines: list[str]) -> list[list[str]]:
    """Each row under the header rule, as the lines of its first cell."""
    rows: list[list[str]] = [[]]
    for line in _below_header(lines):
        if line.startswith(("├", "└")):
            rows.append([])
        elif line.startswith("│"):
            rows[-1].append(line.split("│")[1].strip())
    return [row for row in rows if row]


@pytest.mark.parametrize("width", [80, 200])
def test_story_table_keeps_one_line_per_story(width):
    lines = _lines(story_table(_report(LONG)), width)
    assert max(len(line) for line in lines) <= width
    body = [line for line in _below_header(lines) if line.startswith("│")]
    assert len(body) == len(LONG)  # no row separators: one line per story
    for line, title in zip(body, LONG, strict=True):
        if width == 200:
            assert title in line  # a wide terminal shows the whole title
        else:
            assert title[:12] in line and title not in line and "…" in line


@pytest.mark.parametrize("width", [80, 200])
def test_conflict_table_names_each_story_on_one_line(width):
    lines = _lines(conflict_table(_report(LONG, conflicts=2)), width)
    assert max(len(line) for line in lines) <= width
    rows = _rows(lines)
    assert len(rows) == 2 * len(LONG)
    for row, title in zip(rows, [t for t in LONG for _ in range(2)], strict=True):
        assert [cell for cell in row if cell] == [row[0]]  # the story cell holds one line
        assert row[0] == title if width == 200 else (row[0].endswith("…") and title.startswith(row[0][:-1]))
