"""The store: one SQLite file, the source of truth for incremental runs and the web app."""

from storylens.store.db import BatchResult, Store, StoreError

__all__ = ["BatchResult", "Store", "StoreError"]
