"""The README's examples are what the commands print: each `$ storylens ...` line in a ```text block is run,
in order, in a folder holding the bundled sample as `sample/`, at 80 columns, and must print what follows it.

After changing what a command prints: `STORYLENS_UPDATE_README=1 pytest tests/test_readme.py` writes the real
output into the README (then read the diff).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from conftest import REPO

README = REPO / "README.md"
BLOCK = re.compile(r"```text\n(\$ storylens .*?)```", re.S)
# what changes from run to run: when a story was analysed
CLOCK = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?Z?)?")


def _examples(text: str) -> list[tuple[str, str]]:
    """(command, what it prints) for every command in the README's example blocks, in order."""
    out = []
    for block in BLOCK.findall(text):
        for part in re.split(r"^(?=\$ storylens )", block, flags=re.M):
            if part.strip():
                command, _, printed = part.partition("\n")
                out.append((command[2:], printed))
    return out


def _run(command: str, cwd: Path) -> str:
    env = {**os.environ, "COLUMNS": "80", "PYTHONUNBUFFERED": "1", "TERM": "dumb"}
    for name in ("FORCE_COLOR", "STORYLENS_DB", "STORYLENS_MODEL"):  # the README's commands say what they use
        env.pop(name, None)
    args = [sys.executable, "-m", "storylens.cli", *shlex.split(command)[1:]]
    done = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.stdout


def _same(text: str) -> str:
    return "\n".join(CLOCK.sub("<time>", line.rstrip()) for line in text.strip("\n").splitlines())


def test_every_example_prints_what_the_readme_shows(tmp_path):
    shutil.copytree(resources.files("storylens") / "sample", tmp_path / "sample")
    text = README.read_text(encoding="utf-8")
    examples = _examples(text)
    assert len(examples) >= 4
    update = os.environ.get("STORYLENS_UPDATE_README")
    for command, shown in examples:
        printed = _run(command, tmp_path)
        if update:
            text = text.replace(f"$ {command}\n{shown}", f"$ {command}\n{printed.rstrip()}\n", 1)
        else:
            assert _same(printed) == _same(shown), f"`{command}` prints something else than the README shows"
    if update:
        README.write_text(text, encoding="utf-8")
