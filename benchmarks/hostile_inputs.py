"""Hostile inputs for every reader, made from a `random.Random`, and the check one input must pass.

Shared by the fuzz test (hypothesis drives the Random) and the fuzz benchmark (a seeded Random).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

from storylens.ingest import read_one
from storylens.model import Article, Skipped

ARTICLE = (
    "Dock workers at Port Calder walked off the job on Monday, halting traffic at the harbour.\n\n"
    "\u201cWe will not load a single ship until the contract is signed,\u201d union leader Mara Elling said."
)
NASTY_TEXT = [
    "\x00", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "\x1b[2J", "\u202e", "\ufeff", "\ud800", "\r", "\r\n", "\u2028",
    "[/b]", "&amp;&#0;&#xD800;", "<![CDATA[", "]]>", "-->", "\\u0000", "%s%n", "\U0001f4a9", "caf\u00e9",
]  # fmt: skip
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """A few random edits: flipped bits, cuts, repeats, junk and nasty text spliced in."""
    data = bytearray(data)
    for _ in range(rng.randint(0, 4)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(5)
        if kind == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[at:]
        elif kind == 2:
            data[at:at] = data[at : at + rng.randint(1, 64)] * rng.randint(2, 50)
        elif kind == 3:
            data[at:at] = rng.randbytes(rng.randint(1, 32))
        else:
            data[at:at] = rng.choice(NASTY_TEXT).encode("utf-8", "surrogatepass")
    return bytes(data)


def _text(rng: random.Random) -> bytes:
    body = rng.choice([ARTICLE, "Headline\n\n" + ARTICLE, ARTICLE * rng.randint(1, 200), "x" * rng.randint(0, 5000)])
    data = rng.choice(BOMS) + body.encode(rng.choice(["utf-8", "utf-16", "cp1252", "latin-1"]), "replace")
    return _mutate(rng, data)


def _html(rng: random.Random) -> bytes:
    depth = rng.choice([1, 10, 1000, 20_000])
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
    page = rng.choice([
        f"<!DOCTYPE html><html><head><title>T</title></head><body><article>{paras}</article></body></html>",
        "<html><body>" + "<div>" * depth + paras + "</div>" * rng.choice([0, depth]) + "</body></html>",
        '<?xml version="1.0"?><!DOCTYPE h [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<html><body><p>&b;&b;&b;</p>" + paras + "</body></html>",
        f'<html><head><meta charset="{rng.choice(["utf-7", "x-bogus", "utf-16", ""])}"></head><body>{paras}</body>',
        "<html><body><script>" + "x" * rng.randint(0, 100_000) + "</script><!-- unclosed " + paras,
        "<html>" + rng.choice(NASTY_TEXT) * rng.randint(1, 1000),
    ])  # fmt: skip
    return _mutate(rng, page.encode("utf-8", "surrogatepass"))


def _json_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([0, -1, 10 ** rng.randint(1, 30), 1e20, -1e308, 2**63])
    if kind == 1:
        return rng.choice(["", ARTICLE, "2026-03-02", "not a date", "9" * 50, *NASTY_TEXT])
    if kind in (2, 3):
        return rng.choice([None, True, False])
    if kind in (4, 5):
        return ARTICLE
    if kind in (6, 7):
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["text", "title", "url", "published", "source", "body", "date", "link"]
    return {rng.choice(keys): _json_value(rng, depth + 1) for _ in range(rng.randint(0, 6))}


def _record(rng: random.Random) -> str:
    """One JSON text: usually a record, sometimes something JSON parsers choke on."""
    kind = rng.randrange(12)
    if kind == 0:
        return "[" * rng.choice([100, 10_000, 100_000]) + "]" * rng.choice([0, 100_000])
    if kind == 1:
        return '{"text": "' + ARTICLE + '", "n": ' + "9" * rng.choice([4000, 5000, 50_000]) + "}"
    if kind == 2:
        return '{"text": "' + ARTICLE + '", "published": ' + rng.choice(["NaN", "Infinity", "-Infinity", "1e999"]) + "}"
    if kind == 3:
        return '{"text": "\\ud800\\udfff\\u0000 ' + ARTICLE + '"}'
    record = _json_value(rng)
    if rng.random() < 0.7:
        record = {"text": ARTICLE, **(record if isinstance(record, dict) else {"x": record})}
    return json.dumps(record, ensure_ascii=rng.random() < 0.5)


def _json(rng: random.Random) -> bytes:
    records = [_record(rng) for _ in range(rng.randint(0, 5))]
    text = rng.choice(["[" + ",".join(records) + "]", records[0] if records else "{}", "[]", "null", '"text"'])
    return _mutate(rng, rng.choice(BOMS[:2]) + text.encode("utf-8", "surrogatepass"))


def _jsonl(rng: random.Random) -> bytes:
    lines = [_record(rng) for _ in range(rng.randint(0, 8))]
    sep = rng.choice(["\n", "\r\n", "\n\n", "\r"])
    return _mutate(rng, rng.choice(BOMS[:2]) + sep.join(lines).encode("utf-8", "surrogatepass"))


def _feed(rng: random.Random) -> bytes:
    item = rng.choice([
        f"<item><title>Strike</title><link>https://a.test/1</link><description>{ARTICLE}</description></item>",
        "<item><title>No body</title></item>",
        f"<item><description><![CDATA[<p>{ARTICLE}</p>]]></description><pubDate>{rng.choice(NASTY_TEXT)}</pubDate></item>",
        "<item><title>&lol9;</title><description>&xxe;</description></item>",
    ])  # fmt: skip
    doctype = rng.choice([
        "",
        '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE r [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
    ])  # fmt: skip
    body = rng.choice([
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>F</title>{item * rng.randint(0, 20)}'
        "</channel></rss>",
        f'<?xml version="1.0"?>{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry>'
        f"<title>E</title><content type=\"html\">{ARTICLE}</content></entry></feed>",
        '<?xml version="1.0"?><rss>' + "<channel>" * rng.choice([10, 5000]),
    ])  # fmt: skip
    return _mutate(rng, body.encode("utf-8", "surrogatepass"))


def _warc_record(rng: random.Random, url: str) -> bytes:
    html = f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode()
    encoding = b""
    if rng.random() < 0.2:
        html, encoding = gzip.compress(html), b"Content-Encoding: gzip\r\n"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + encoding + b"\r\n" + html
    length = rng.choice([str(len(http)), str(len(http)), "0", "-5", "10737418240", "abc", str(len(http) // 2)])
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    record = head + http + b"\r\n\r\n"
    return gzip.compress(record) if rng.random() < 0.5 else record


def _warc(rng: random.Random) -> bytes:
    records = b"".join(_warc_record(rng, f"https://a.test/{n}") for n in range(rng.randint(0, 4)))
    return _mutate(rng, records)


@functools.cache
def _bomb() -> bytes:
    """256 MB of zeros in about 250 kB of gzip: what a small file can claim to hold."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = bytes(16 * 1024 * 1024)
        for _ in range(16):
            gz.write(block)
    return out.getvalue()


def _gz(rng: random.Random) -> tuple[str, bytes]:
    inner, data = rng.choice([("txt", _text), ("jsonl", _jsonl), ("html", _html), ("json", _json)])
    payload = data(rng)
    kind = rng.randrange(6)
    if kind == 0:
        out = gzip.compress(payload) + gzip.compress(payload)  # two members
    elif kind == 1:
        out = gzip.compress(payload)[: rng.randint(0, 40)]  # truncated
    elif kind == 2:
        out = gzip.compress(payload) + rng.randbytes(rng.randint(1, 16))  # junk after the end
    elif kind == 3:
        out = _bomb()[: rng.choice([len(_bomb()), 100_000])]
    elif kind == 4:
        out = gzip.compress(gzip.compress(payload))  # gzip inside gzip
    else:
        out = _mutate(rng, gzip.compress(payload))
    return f"{inner}.gz", out


SUFFIXES = ["txt", "html", "json", "jsonl", "rss", "warc", "gz"]
MAKERS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "text": lambda rng: ("txt", _text(rng)),
    "html": lambda rng: ("html", _html(rng)),
    "json": lambda rng: ("json", _json(rng)),
    "jsonl": lambda rng: ("jsonl", _jsonl(rng)),
    "feed": lambda rng: (rng.choice(["rss", "atom", "xml"]), _feed(rng)),
    "warc": lambda rng: (rng.choice(["warc", "warc.gz"]), _warc(rng)),
    "gz": _gz,
    "bytes": lambda rng: (rng.choice(SUFFIXES), rng.randbytes(rng.randint(0, 4096))),
}


@dataclass
class Outcome:
    articles: int
    skipped: int
    parser_errors: int  # a reader's exception turned into a Skipped by the safety net in read_one


def check_one(path: str, max_bytes: int) -> Outcome:
    """Read one hostile file; raise AssertionError if the result breaks a promise of the readers."""
    items = list(read_one(path, max_bytes=max_bytes, options={"fields": {}}))
    assert items, "an input vanished: neither an article nor a reason"
    for item in items:
        assert isinstance(item, Article | Skipped), f"a reader yielded {type(item).__name__}"
        assert item.path and item.path.startswith(path), f"not named after the input: {item.path!r}"
        if isinstance(item, Skipped):
            assert item.reason.strip(), "a skipped input without a reason"
        else:
            assert item.text.strip() and item.id, "an article without text"
            for value in (item.text, item.title, item.url, item.source, item.byline, item.published):
                (value or "").encode("utf-8")  # storable: no lone surrogates
    errors = sum(1 for i in items if isinstance(i, Skipped) and i.reason.startswith("could not be parsed ("))
    return Outcome(sum(isinstance(i, Article) for i in items), sum(isinstance(i, Skipped) for i in items), errors)


def write_input(folder: str, index: int, reader: str, rng: random.Random) -> str:
    suffix, data = MAKERS[reader](rng)
    path = os.path.join(folder, f"{reader}-{index}.{suffix}")
    with open(path, "wb") as out:
        out.write(data)
    return path
