"""What can go wrong, as one hierarchy: the command line maps each kind to its exit code and message."""

from __future__ import annotations


class StorylensError(Exception):
    """A failure a person can act on; the message says what to do."""


class StoreError(StorylensError):
    """The store file cannot be used; the message says why and what to do."""


class ModelError(StorylensError):
    """The spaCy pipeline asked for is not installed; the message says how to install it."""


class ExportError(StorylensError):
    """The tables cannot be written as asked (a format whose library is missing); the message says what to do."""
