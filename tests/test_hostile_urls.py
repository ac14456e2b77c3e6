"""Hostile and flaky http(s) servers: every request has a deadline and a size cap, a truncated body
is refused, and redirects do not reach loopback or private addresses unless allowed."""

from __future__ import annotations

import threading
import time

import pytest

from hostile import HANG_S, http_server
from samples import BRIDGE, HARBOUR, html_page
from storylens.ingest import read_inputs, web
from storylens.model import Article, Skipped

PAGE = html_page("Dock workers walk out", HARBOUR).encode()


def read_in_thread(urls: list[str], **kw) -> tuple[dict[str, Article], dict[str, str]]:
    """read_inputs with a hang detector: a run still going after HANG_S fails the test."""
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(read_inputs(urls, **kw)), daemon=True)
    worker.start()
    worker.join(HANG_S)
    assert not worker.is_alive(), "reading the URLs hung"
    arts = {i.path: i for i in out if isinstance(i, Article)}
    return arts, {i.path: i.reason for i in out if isinstance(i, Skipped)}


def ok(handler, body: bytes = PAGE, ctype: str = "text/html") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def trickle(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    while True:  # one byte at a time, never idle long enough for a read timeout
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def lying_length(declared: int):
    def route(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(("Bridge closed\n\n" + BRIDGE + "\n\n" + "More. " * 800).encode()[:5000])

    return route


def redirect(to: str):
    def route(handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_a_server_that_trickles_meets_the_overall_deadline(monkeypatch):
    monkeypatch.setattr(web, "URL_DEADLINE_S", 2.0, raising=False)
    with http_server({"/slow": trickle, "/page": ok}) as base:
        arts, skipped = read_in_thread([base + "/slow", base + "/page"])
    assert "deadline" in skipped[base + "/slow"]
    assert list(arts) == [base + "/page"]


def test_a_body_shorter_than_its_content_length_is_refused():
    routes = {"/huge": lying_length(10 * 1024**3), "/short": lying_length(20_000), "/page": ok}
    with http_server(routes) as base:
        arts, skipped = read_in_thread([base + "/huge", base + "/short", base + "/page"], max_bytes=1_000_000)
    assert "over the size limit" in skipped[base + "/huge"]
    assert "truncated" in skipped[base + "/short"] and "5000 of 20000 bytes" in skipped[base + "/short"]
    assert list(arts) == [base + "/page"]


def unsized(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()  # no Content-Length: the body ends when the connection closes
    handler.wfile.write(b"Big news\n\n" + b"word " * 400_000)


def test_every_response_has_a_size_cap():
    routes = {"/declared": lambda h: ok(h, b"Big news\n\n" + b"word " * 400_000, "text/plain"), "/unsized": unsized}
    with http_server(routes) as base:
        arts, skipped = read_in_thread([base + "/declared", base + "/unsized"], max_bytes=100_000)
    assert not arts
    assert "declares 2.0 MB" in skipped[base + "/declared"] and "over the size limit" in skipped[base + "/declared"]
    assert skipped[base + "/unsized"] == "the answer is over the size limit of 0.1 MB (raise it with --max-size)"


@pytest.fixture
def inside():
    """A server on another loopback address: a stand-in for a private service a redirect must not reach."""
    with http_server({"/secret": ok}, host="127.0.0.2") as base:
        yield base


def test_a_redirect_to_a_loopback_or_private_address_is_not_followed(inside, monkeypatch):
    monkeypatch.delenv("STORYLENS_ALLOW_PRIVATE_URLS", raising=False)
    routes = {
        "/to-inside": redirect(inside + "/secret"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-file": redirect("file:///etc/passwd"),
        "/to-self": redirect("/page"),
        "/page": ok,
    }
    with http_server(routes) as base:
        urls = [base + p for p in routes]
        arts, skipped = read_in_thread(urls)
    assert "loopback or private" in skipped[base + "/to-inside"] and "--allow-private-urls" not in str(skipped)
    assert "STORYLENS_ALLOW_PRIVATE_URLS" in skipped[base + "/to-inside"]
    assert "loopback or private" in skipped[base + "/to-metadata"]
    assert "only http(s)" in skipped[base + "/to-file"]
    # the host the user named is theirs to read: a redirect that stays on it is followed
    assert sorted(arts) == [base + "/page", base + "/to-self"]


def test_private_redirects_are_followed_when_allowed(inside, monkeypatch):
    monkeypatch.setenv("STORYLENS_ALLOW_PRIVATE_URLS", "1")
    with http_server({"/to-inside": redirect(inside + "/secret")}) as base:
        arts, skipped = read_in_thread([base + "/to-inside"])
    assert not skipped and "single ship" in arts[base + "/to-inside"].text
