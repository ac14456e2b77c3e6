"""Worker processes die with their parent: a real SIGKILL of a real `storylens ingest`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from hostile import HANG_S, http_server


def trickle(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    while True:  # keeps a worker busy reading for as long as the test needs
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.update(int(c) for c in f.read().split())
    except FileNotFoundError:
        pass
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def wait_until(condition, timeout: float = HANG_S) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_ingest_workers_die_when_the_main_process_is_killed(tmp_path):
    with http_server({"/slow": trickle}) as base:
        urls = [f"{base}/slow" for _ in range(40)]  # enough inputs for the worker pool
        parent = subprocess.Popen(
            [sys.executable, "-m", "storylens.cli", "ingest", *urls, "--db", str(tmp_path / "s.db"), "--jobs", "2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers: set[int] = set()
        try:
            assert wait_until(lambda: len(workers.update(children(parent.pid)) or workers) >= 2)
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait(HANG_S)
            assert wait_until(lambda: not any(alive(w) for w in workers)), "workers outlived their parent"
        finally:
            for pid in workers:  # only the processes this test started
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            if parent.poll() is None:
                parent.kill()


def test_the_polling_fallback_also_ends_a_worker(tmp_path):
    # where prctl is unavailable, the worker notices its parent is gone by polling
    script = (
        "import multiprocessing as mp, os, time\n"
        "from storylens.engine.workers import die_with_parent\n"
        "PARENT = os.getpid()\n"
        "def work(): die_with_parent(PARENT, use_prctl=False, poll_s=0.2); time.sleep(600)\n"
        "if __name__ == '__main__':\n"
        "    p = mp.get_context('fork').Process(target=work)\n"
        "    p.start(); print(p.pid, flush=True); time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    try:
        assert alive(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(HANG_S)
        assert wait_until(lambda: not alive(worker)), "the worker outlived its parent"
    finally:
        if alive(worker):
            os.kill(worker, signal.SIGKILL)
