"""`--json` and `--out` are whole or untouched: a real SIGKILL while writing leaves the previous report as it was."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from storylens.report.atomic import OWN_MARK, atomic_open
from storylens.report.files import write_all
from storylens.report.json import write
from test_report import hand_built_report

# writes a report, pausing halfway through (json: inside the JSON text; folder: before index.html), so that
# the test's SIGKILL lands mid-write every time
CHILD = """
import json, sys, time
from pathlib import Path

report = json.loads(Path(sys.argv[1]).read_text())

def pause(*args, **kwargs):
    print("paused", flush=True)
    time.sleep(300)

if sys.argv[3] == "json":
    dumps = json.dumps
    def half(obj, out, **options):
        text = dumps(obj, **options)
        out.write(text[: len(text) // 2])
        out.flush()
        pause()
    json.dump = half
    from storylens.report.json import write
    write(report, sys.argv[2])
else:
    from storylens.report import html
    html.render_index = pause
    from storylens.report.files import write_all
    write_all(report, sys.argv[2])
"""


def kill_midway(report: dict, target: Path, mode: str, tmp_path: Path) -> None:
    source = tmp_path / "next-report.json"
    source.write_text(json.dumps(report))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(source), str(target), mode], stdout=subprocess.PIPE,
                             text=True)  # fmt: skip
    try:
        assert child.stdout.readline() == "paused\n"
    finally:
        child.kill()  # SIGKILL: no handler, no cleanup runs
        child.wait(timeout=30)


def another_report() -> dict:
    report = hand_built_report()
    story = copy.deepcopy(report["stories"][0])
    report["stories"] = [{**copy.deepcopy(story), "id": f"st{n}", "title": f"Another story {n}"} for n in (2, 3)]
    return report


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_atomic_open_leaves_the_old_file_when_writing_raises(tmp_path):
    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(RuntimeError), atomic_open(target) as out:
        out.write('{"new": ')
        raise RuntimeError("disk full, say")
    assert target.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # the temporary file is gone


def test_json_report_killed_while_writing_keeps_the_previous_one(tmp_path):
    target = tmp_path / "report.json"
    write(hand_built_report(), str(target))
    before = target.read_bytes()
    kill_midway(another_report(), target, "json", tmp_path)
    assert target.read_bytes() == before and json.loads(before)["stories"][0]["id"] == "st1"
    partial = [p for p in tmp_path.iterdir() if p.name.startswith(".report.json.tmp-")]
    assert len(partial) == 1 and partial[0].stat().st_size > 0  # the kill did land mid-write, beside it


def test_out_folder_killed_while_writing_is_untouched(tmp_path):
    out = tmp_path / "out"
    write_all(hand_built_report(), out)
    before = snapshot(out)
    assert OWN_MARK in before and "index.html" in before
    kill_midway(another_report(), out, "folder", tmp_path)
    assert snapshot(out) == before
    building = [p for p in tmp_path.iterdir() if p.name.startswith(".out.new-")]
    assert len(building) == 1 and any(p.suffix == ".html" for p in building[0].iterdir())  # it was mid-build


def test_a_new_run_replaces_its_own_folder_whole(tmp_path):
    out = tmp_path / "out"
    write_all(hand_built_report(), out)
    files = write_all(another_report(), out)
    assert sorted(p.name for p in out.iterdir()) == sorted([OWN_MARK, *(p.name for p in files)])
    assert not any("dock-strike" in p.name for p in out.iterdir())  # the first run's story is gone
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing left beside it


def test_a_folder_with_other_files_keeps_them_and_is_whole_after_a_kill(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    write_all(hand_built_report(), out)
    old_index = (out / "index.html").read_bytes()
    assert not (out / OWN_MARK).exists()  # never marked: a later run must not replace this folder
    kill_midway(another_report(), out, "folder", tmp_path)
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "index.html").read_bytes() == old_index  # written last, so still the old, whole one
    for path in out.iterdir():
        if path.suffix == ".json":
            json.loads(path.read_text())
        if path.suffix == ".html":
            assert path.read_text().rstrip().endswith("</html>"), path.name
    assert {"another-story-2-st2.html", "port-calder-dock-strike-st1.html"} <= {p.name for p in out.iterdir()}


def test_writing_through_a_symlink_replaces_its_file_and_keeps_its_permissions(tmp_path):
    real = tmp_path / "kept" / "report.json"
    real.parent.mkdir()
    real.write_text("{}")
    real.chmod(0o600)
    link = tmp_path / "report.json"
    link.symlink_to(real)
    write(hand_built_report(), str(link))
    assert link.is_symlink() and json.loads(real.read_text())["stories"][0]["id"] == "st1"
    assert real.stat().st_mode & 0o777 == 0o600


def test_the_working_folder_is_written_into_never_swapped(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_all(hand_built_report(), out)  # storylens's own folder, marked
    inode = out.stat().st_ino
    monkeypatch.chdir(out)
    files = write_all(another_report(), ".")
    assert out.stat().st_ino == inode and all(p.exists() for p in files)
    assert (out / "port-calder-dock-strike-st1.html").exists()  # file by file: the earlier page stays


def test_a_story_or_a_field_that_breaks_the_schema_is_refused_though_stories_are_checked_once(tmp_path):
    # each story is validated in its own file; report.json then validates only what lies around the stories
    bad_story = copy.deepcopy(hand_built_report())
    bad_story["stories"][0]["summary"] = "not a list"
    with pytest.raises(jsonschema.ValidationError):
        write_all(bad_story, tmp_path / "a")
    bad_field = copy.deepcopy(hand_built_report())
    bad_field["generated_at"] = 7
    with pytest.raises(jsonschema.ValidationError):
        write(bad_field, str(tmp_path / "report.json"), stories_checked=True)
    assert not (tmp_path / "report.json").exists()
