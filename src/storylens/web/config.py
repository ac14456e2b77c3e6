"""What `storylens serve` was started with; one object handed to every part of the app."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class ServeConfig:
    db: Path
    token: str | None = None  # writes are refused unless the user configured one
    max_request_bytes: int = 20 * MB
    writes_per_minute: int = 30  # per client address, counting refused attempts
    uploads: Path | None = None  # where uploaded files are kept (default: beside the store)
    public: bool = False  # bound to a non-loopback address on purpose
    watch: Path | None = None  # a feeds file or folder the server polls itself
    watch_every_s: float = 600.0

    @property
    def upload_dir(self) -> Path:
        return self.uploads or self.db.with_name(self.db.name + ".uploads")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
