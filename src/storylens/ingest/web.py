"""http(s) inputs: one GET with an overall deadline, a size cap, and careful redirects.

The address the user gives is fetched as given. A redirect is followed only to http(s), and only to
a public address, unless it stays on the host the user named when that host is itself loopback or
private, or STORYLENS_ALLOW_PRIVATE_URLS=1 is set: a page on the internet must not make storylens
read from this machine or its network (a router, a cloud metadata service).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from storylens.ingest.streams import over_limit, too_big
from storylens.model import InputError

URL_CONNECT_TIMEOUT_S = 10.0
URL_READ_TIMEOUT_S = 15.0  # the longest silence between two packets
URL_DEADLINE_S = 60.0  # everything, from the first connect to the last byte of the last redirect
MAX_REDIRECTS = 5
ALLOW_PRIVATE_ENV = "STORYLENS_ALLOW_PRIVATE_URLS"
USER_AGENT = "storylens/0.1 (+offline news analysis)"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass
class Response:
    body: bytes
    url: str
    content_type: str | None
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304 to a conditional request: `body` is empty


def fetch(url: str, max_bytes: int, validators: dict[str, str] | None = None) -> Response:
    """The body of `url` after redirects; an `InputError` says why there is none. `validators` (`If-None-Match`,
    `If-Modified-Since`) make the request conditional: an unchanged resource comes back `not_modified`."""
    deadline = time.monotonic() + URL_DEADLINE_S
    allow_private = os.environ.get(ALLOW_PRIVATE_ENV, "") not in ("", "0")
    trusted_host: str | None = None  # the user's own host, when it is loopback or private
    for hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise InputError(f"redirected to {url}: only http(s) addresses are read")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise InputError(f"bad port in {url}") from None
        host = parts.hostname or ""
        address, private = _resolve(host, port)
        if hop == 0 and private:
            trusted_host = host
        elif private and not allow_private and host != trusted_host:
            raise InputError(
                f"redirected to {url}, a loopback or private address: not followed (set {ALLOW_PRIVATE_ENV}=1 to allow)"
            )
        response = _get(parts.scheme, host, port, address, _target(parts), max_bytes, deadline, validators or {})
        if isinstance(response, str):
            url = urljoin(url, response)
            continue
        response.url = url
        return response
    raise InputError(f"more than {MAX_REDIRECTS} redirects")


def _resolve(host: str, port: int) -> tuple[str, bool]:
    """The address to connect to, and whether any address of the host is not public."""
    if not host:
        raise InputError("the URL has no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(f"the URL did not answer: cannot resolve {host} ({err})") from None
    addresses = [info[4][0] for info in infos]
    return addresses[0], any(_is_private(a) for a in addresses)


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _target(parts) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _get(
    scheme: str, host: str, port: int, address: str, target: str, max_bytes: int, deadline: float, validators: dict
):
    """One request: a `Response`, or the Location of a redirect."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _late()
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = kind(host, port, timeout=min(URL_CONNECT_TIMEOUT_S, remaining), address=address)
    expired = threading.Event()
    # the deadline holds even against a server that sends a byte just before each read timeout
    timer = threading.Timer(remaining, _abort, args=(conn, expired))
    timer.daemon = True
    timer.start()
    try:
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **validators}
        conn.request("GET", target, headers=headers)
        conn.sock.settimeout(URL_READ_TIMEOUT_S)
        resp = conn.getresponse()
        if resp.status in _REDIRECTS and resp.getheader("Location"):
            return resp.getheader("Location")
        if resp.status == 304 and validators:
            return Response(b"", "", None, None, resp.getheader("ETag"), resp.getheader("Last-Modified"), True)
        if not 200 <= resp.status < 300:
            raise InputError(f"the server answered HTTP {resp.status} {resp.reason}")
        body = _body(resp, max_bytes, expired)
        return Response(
            body, "", resp.headers.get_content_type(), resp.headers.get_content_charset(),
            resp.getheader("ETag"), resp.getheader("Last-Modified"),
        )  # fmt: skip
    except InputError:
        raise
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set():
            raise _late() from None
        if isinstance(err, http.client.IncompleteRead):
            raise InputError(f"truncated body: the answer broke off ({err})") from None
        raise InputError(f"the URL did not answer: {err}") from None
    finally:
        timer.cancel()
        conn.close()


def _body(resp: http.client.HTTPResponse, max_bytes: int, expired: threading.Event) -> bytes:
    declared = resp.length
    if declared is not None and declared > max_bytes:
        raise InputError("the server declares " + too_big(declared, max_bytes))
    parts: list[bytes] = []
    size = 0
    while chunk := resp.read1(_CHUNK):  # read1: one packet at a time, so the deadline is checked often
        if expired.is_set():
            raise _late()
        size += len(chunk)
        if size > max_bytes:
            raise InputError("the answer is " + over_limit(max_bytes))
        parts.append(chunk)
    if expired.is_set():
        raise _late()
    if declared is not None and size < declared:
        raise InputError(f"truncated body: the server sent {size} of {declared} bytes")
    return b"".join(parts)


def _abort(conn: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    if conn.sock is not None:
        with contextlib.suppress(OSError):
            conn.sock.shutdown(socket.SHUT_RDWR)  # wakes the read that is waiting


def _late() -> InputError:
    return InputError(f"no complete answer within the {URL_DEADLINE_S:g} s deadline")


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, host: str, port: int, *, timeout: float, address: str) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, timeout: float, address: str) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
