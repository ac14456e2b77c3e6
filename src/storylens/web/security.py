"""What keeps a story desk on the network safe: headers that let no outside resource or injected script run,
a cap on request size, a rate limit on writes, and the token every write needs."""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# scripts and styles come only from /static; nothing is fetched from elsewhere, no inline script runs
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_TRACKED = 10_000  # client addresses the rate limiter remembers before pruning


class Guard:
    """ASGI middleware: security headers on every answer, 413 for a body over `max_bytes` (declared or
    streamed), 429 when a client sends more writes than `writes_per_minute`."""

    def __init__(self, app: ASGIApp, max_bytes: int, writes_per_minute: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limiter = RateLimiter(writes_per_minute, 60.0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if scope["method"] in WRITE_METHODS:
            client = (scope.get("client") or ("?", 0))[0]
            if not self.limiter.allow(client):
                await _plain(send_with_headers, 429, "too many writes from this address; wait a minute")
                return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _plain(send_with_headers, 413, f"request body over {self.max_bytes} bytes")
            return
        if scope["method"] in WRITE_METHODS:
            # read the body here, up to the cap, and hand it on: a body streamed without a length is capped too
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_bytes:
                    await _plain(send_with_headers, 413, f"request body over {self.max_bytes} bytes")
                    return
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


class RateLimiter:
    """At most `count` events per `seconds` per key (a sliding window of event times)."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self.events: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self.lock:
            if len(self.events) > MAX_TRACKED:  # forget clients that went quiet
                self.events = {k: v for k, v in self.events.items() if v and now - v[-1] < self.seconds}
            recent = [t for t in self.events.get(key, []) if now - t < self.seconds]
            allowed = len(recent) < self.count
            if allowed:
                recent.append(now)
            self.events[key] = recent
            return allowed


def token_matches(configured: str | None, given: str | None) -> bool:
    """Whether a write may go ahead: only with a configured token, compared in constant time."""
    if not configured or not given:
        return False
    return hmac.compare_digest(configured.encode("utf-8"), given.encode("utf-8"))


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


async def _plain(send: Callable[[Message], Awaitable[None]], status: int, text: str) -> None:
    body = json.dumps({"detail": text}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
