"""Hostile files and folders: each bad input is named with its reason, the good ones beside it are
stored, nothing hangs, nothing blows memory up, no traceback, the documented exit code."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
from contextlib import closing

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hostile import peak_mb, stored_paths, storylens
from samples import BRIDGE, HARBOUR, ORCHARD, html_page
from storylens.ingest import read_inputs
from storylens.model import Article, Skipped


def good_folder(tmp_path, name: str = "in"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "good.txt").write_text("Bridge closed after cracks found\n\n" + BRIDGE)
    return folder


def assert_clean(run, code: int) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.returncode == code, run.stderr


# 1 -------------------------------------------------------------------------------------------
def test_fifo_and_socket_in_a_folder_are_skipped_by_name_never_opened(tmp_path):
    folder = good_folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")  # opening this for reading would block until a writer comes
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.txt"))
        run = storylens("ingest", str(folder), "--db", str(tmp_path / "s.db"))
    assert_clean(run, 3)
    assert "pipe.txt" in run.stderr and "not a regular file (a FIFO)" in run.stderr
    assert "sock.txt" in run.stderr and "not a regular file (a socket)" in run.stderr
    assert stored_paths(str(tmp_path / "s.db")) == [str(folder / "good.txt")]


# 2 -------------------------------------------------------------------------------------------
def test_a_symlink_to_dev_zero_is_skipped_as_a_device(tmp_path):
    folder = good_folder(tmp_path)
    os.symlink("/dev/zero", folder / "zero.txt")
    run = storylens("ingest", str(folder), "/dev/zero", "--db", str(tmp_path / "s.db"), "--max-size", "1")
    assert_clean(run, 3)
    assert run.stderr.count("not a regular file (a character device)") == 2
    assert stored_paths(str(tmp_path / "s.db")) == [str(folder / "good.txt")]


def test_the_size_a_file_claims_is_not_trusted(tmp_path):
    # /proc files say they hold 0 bytes and hold more: the read itself must stop at the limit
    os.symlink("/proc/self/status", tmp_path / "status.txt")
    items = list(read_inputs([str(tmp_path / "status.txt")], max_bytes=64))
    assert isinstance(items[0], Skipped) and "over the size limit" in items[0].reason


def warc_bytes(records: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


def test_a_warc_record_that_expands_to_gigabytes_is_bounded_by_max_size(tmp_path):
    good = html_page("Dock workers walk out", HARBOUR).encode()
    # 1.5 GB of spaces compresses to a few MB; only --max-size of it may ever be read
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=1) as gz:
        gz.write(b"<html><body><p>")
        chunk = b" " * (16 * 1024 * 1024)
        for _ in range(96):
            gz.write(chunk)
    head = warc_bytes([("https://calder.test/strike", good)])
    # a hand-made record whose declared length is the whole expanded body, inside one gzip member
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://calder.test/bomb\r\n"
              b"Content-Type: application/http; msgtype=response\r\nContent-Length: 1610612751\r\n\r\n"
              b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")  # fmt: skip
    archive = tmp_path / "in" / "bomb.warc.gz"
    folder = good_folder(tmp_path)
    archive.write_bytes(head + _gzip_prefixed(record, bomb.getvalue()))
    run = storylens("ingest", str(folder), "--db", str(tmp_path / "s.db"), "--max-size", "20", measure=True)
    assert_clean(run, 3)
    assert "bomb.warc.gz" in run.stderr and "over the size limit" in run.stderr
    assert stored_paths(str(tmp_path / "s.db")) == sorted(
        [str(archive) + "#https://calder.test/strike", str(folder / "good.txt")]
    )
    assert peak_mb(run) < 400


def _gzip_prefixed(prefix: bytes, gzipped: bytes) -> bytes:
    """One gzip member holding `prefix` followed by what `gzipped` expands to, without expanding it."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) as gz:
        gz.write(prefix)
        with gzip.GzipFile(fileobj=io.BytesIO(gzipped)) as src:
            while block := src.read(16 * 1024 * 1024):
                gz.write(block)
    return out.getvalue()


# 3 -------------------------------------------------------------------------------------------
def test_jsonl_is_read_line_by_line_so_memory_does_not_grow_with_the_file(tmp_path):
    def jsonl(path, records: int) -> None:
        with open(path, "w") as out:
            for n in range(records):
                text = f"Record {n} says the harbour stayed shut. " + " ".join(f"word{n}x{i}" for i in range(2500))
                out.write(json.dumps({"text": text, "title": f"Story {n}"}) + "\n")

    jsonl(tmp_path / "small.jsonl", 10)
    jsonl(tmp_path / "big.jsonl", 2500)  # about 65 MB
    big_mb = (tmp_path / "big.jsonl").stat().st_size / 1e6
    small = storylens("ingest", str(tmp_path / "small.jsonl"), "--db", str(tmp_path / "a.db"), measure=True)
    big = storylens("ingest", str(tmp_path / "big.jsonl"), "--db", str(tmp_path / "b.db"), "--max-size", "600",
                    "--jobs", "1", measure=True)  # fmt: skip
    assert small.returncode == 0 and big.returncode == 0, big.stderr
    assert len(stored_paths(str(tmp_path / "b.db"))) == 2500
    # reading the whole file at once costs several times its size; streaming costs a batch of records
    assert peak_mb(big) - peak_mb(small) < big_mb / 2


# 5 -------------------------------------------------------------------------------------------
def test_file_names_that_are_not_utf8_are_stored_and_named(tmp_path):
    folder = good_folder(tmp_path)
    root = os.fsencode(folder)
    with open(os.path.join(root, b"caf\xe9.txt"), "w") as f:
        f.write("Harbour strike\n\n" + HARBOUR)
    open(os.path.join(root, b"vid\xe9.txt"), "w").close()
    db = str(tmp_path / "s.db")
    run = storylens("ingest", str(folder), "--db", db)
    assert_clean(run, 3)
    assert stored_paths(db) == sorted([str(folder / "caf\\xe9.txt"), str(folder / "good.txt")])
    assert "vid\\xe9.txt" in run.stderr and "empty file" in run.stderr
    listed = storylens("list", "--db", db)
    assert_clean(listed, 0)


# 7 -------------------------------------------------------------------------------------------
def test_disk_full_is_exit_5_with_the_real_reason_and_committed_batches_kept(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess_mount(mount) != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        folder = good_folder(tmp_path)
        for n in range(400):  # about 2.5 MB of distinct text for a 1 MB disk
            (folder / f"a{n:03}.txt").write_text(f"Story {n}\n\n" + f"Item {n}. " + " ".join([BRIDGE] * 15))
        db = str(mount / "s.db")
        run = storylens("ingest", str(folder), "--db", db, "--batch-size", "20")
        assert_clean(run, 5)
        assert "disk is full" in run.stderr and "cannot rollback" not in run.stderr
        with closing(sqlite3.connect(db)) as conn:  # what was committed before is intact
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 20
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=True)


def subprocess_mount(path) -> int:
    if os.geteuid() != 0:
        return 1
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True).returncode


def test_a_store_with_flipped_bytes_is_exit_5_not_a_traceback(tmp_path):
    db = tmp_path / "s.db"
    folder = good_folder(tmp_path)
    for n in range(60):
        (folder / f"a{n:02}.txt").write_text(f"Story {n}\n\n" + f"Item {n}. " + " ".join([HARBOUR] * 3))
    assert storylens("ingest", str(folder), "--db", str(db)).returncode == 0
    data = bytearray(db.read_bytes())
    page = 4096
    for at in range(3 * page, len(data) - page, page):  # every page's header but the first few
        data[at : at + 16] = bytes(b ^ 0xA5 for b in data[at : at + 16])
    db.write_bytes(bytes(data))
    for args in (["list"], ["ingest", str(folder / "good.txt")]):
        run = storylens(*args, "--db", str(db))
        assert_clean(run, 5)
        assert "damaged" in run.stderr


# 8 -------------------------------------------------------------------------------------------
def test_one_bad_jsonl_line_does_not_drop_the_rest(tmp_path):
    lines = [
        json.dumps({"text": HARBOUR}),
        '{"text": "A date far away: the harbour is shut for good.", "published": 1e20}',
        '{"text": "Not a number: the harbour is shut again today.", "published": NaN}',
        '{"text": "Too many digits", "n": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"text": BRIDGE}),
    ]
    (tmp_path / "x.jsonl").write_text("\n".join(lines) + "\n")
    items = list(read_inputs([str(tmp_path / "x.jsonl")]))
    read = {i.path.rsplit("#")[1]: i for i in items if isinstance(i, Article)}
    skipped = {i.path.rsplit("#")[1]: i.reason for i in items if isinstance(i, Skipped)}
    assert sorted(read) == ["1", "2", "3", "6"]
    assert read["2"].published is None and read["3"].published is None  # unknown stays empty
    assert "line 4" in skipped["4"] and "digits" in skipped["4"]
    assert "line 5" in skipped["5"] and "nested too deeply" in skipped["5"]


def test_every_gzip_member_is_read(tmp_path):
    data = gzip.compress((json.dumps({"text": HARBOUR}) + "\n").encode())
    data += gzip.compress((json.dumps({"text": BRIDGE}) + "\n").encode())
    (tmp_path / "two.jsonl.gz").write_bytes(data)
    (tmp_path / "two.txt.gz").write_bytes(gzip.compress(b"Orchard frost\n\n") + gzip.compress(ORCHARD.encode()))
    items = list(read_inputs([str(tmp_path)]))
    assert all(isinstance(i, Article) for i in items)
    assert [i.path.rsplit("/")[-1] for i in items] == ["two.jsonl.gz#1", "two.jsonl.gz#2", "two.txt.gz"]
    assert "apricot" in items[2].text


def test_an_empty_json_array_and_an_unreadable_folder_are_named(tmp_path):
    folder = good_folder(tmp_path)
    (folder / "none.json").write_text("[]")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(HARBOUR)
    locked.chmod(0)
    try:
        db = str(tmp_path / "s.db")
        run = storylens("ingest", str(folder), "--db", db, wrap=without_root_powers())
    finally:
        locked.chmod(0o755)
    assert_clean(run, 3)
    assert "none.json" in run.stderr and "no records" in run.stderr
    assert "locked" in run.stderr and "permission denied" in run.stderr
    assert stored_paths(db) == [str(folder / "good.txt")]


def without_root_powers() -> list[str]:
    """Root reads every folder: drop the capabilities that let it, so permissions apply as to anyone."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_every_skipped_input_is_written_to_the_skipped_file(tmp_path):
    folder = good_folder(tmp_path)
    for n in range(70):
        (folder / f"empty{n:02}.txt").write_bytes(b"")
    (folder / "tab\tname.txt").write_bytes(b"")
    out = tmp_path / "skipped.tsv"
    run = storylens("ingest", str(folder), "--db", str(tmp_path / "s.db"), "--skipped", str(out))
    assert_clean(run, 3)
    assert str(out) in run.stdout + run.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "input\treason" and len(lines) == 72
    assert lines[-1] == f"{folder}/tab\\tname.txt\tempty file"
    assert {line.split("\t")[0].rsplit("/")[-1] for line in lines[1:-1]} == {f"empty{n:02}.txt" for n in range(70)}
    plain = storylens("ingest", str(folder), "--db", str(tmp_path / "s.db"))
    assert_clean(plain, 3)
    assert "--skipped" in plain.stderr  # the table shows 50; the summary says how to get them all


def test_lone_surrogates_from_json_and_feeds_are_stored_as_replacement_characters(tmp_path):
    folder = good_folder(tmp_path)
    (folder / "odd.jsonl").write_text('{"text": "Lone \\ud800 half of a pair. ' + HARBOUR.replace("\n", " ") + '"}\n')
    item = f"<item><title>Half &#xD800; pair</title><description>{ORCHARD} &#55296;</description></item>"
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{item}</channel></rss>'
    (folder / "odd.rss").write_text(feed)
    db = str(tmp_path / "s.db")
    run = storylens("ingest", str(folder), "--db", db)
    assert_clean(run, 0)
    with closing(sqlite3.connect(db)) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY seq")]
    assert len(texts) == 3 and sum("\ufffd" in t for t in texts) == 2
