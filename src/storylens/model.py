"""The records that flow between stages. Plain dataclasses; nothing here imports storylens."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One news article as read from its input, before any analysis.

    `text` is what a reader is shown (typography kept); `id` is a hash of its normalized form,
    so the same text read from two places gets the same id.
    """

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    byline: str | None = None
    fmt: str = "text"
    extra_paths: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An input that could not be read, with a reason a person can act on."""

    path: str
    reason: str


class InputError(Exception):
    """Raised by a reader when one input cannot be read; the batch goes on without it."""
